from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.catalogue.models import Authority, Service
from majlis.feedback.choices import Stars
from majlis.queueing.models import Ticket


class Rating(models.Model):
    """A citizen's rating of a service they received: 1–5 stars and an optional comment.

    Each rated thing (a queue ticket, a request once decided; later a visit) is rated once.
    """

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="ratings"
    )
    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="rating",
    )  # fmt: skip
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("request"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="rating",
    )  # fmt: skip
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="ratings_received",
    )  # fmt: skip
    stars = models.PositiveSmallIntegerField(_("rating"), choices=Stars.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="feedback_rating_stars"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.stars}"
