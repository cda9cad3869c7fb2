from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from majlis.queueing.models import Ticket, new_public_id
from majlis.video.choices import EndReason


class CallSession(models.Model):
    """The video call of one started ticket: who may join it and until when.

    `ends_at` is fixed when the call starts (the service's longest call, 30 minutes for Qareeb);
    every socket process enforces it from this row, so the limit holds across reconnects and
    hosts. A ticket sent back to the queue and called again reuses its row (see `call_start`).
    """

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="call"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField(_("started at"))
    ends_at = models.DateTimeField(_("ends at the latest"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=16, choices=EndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("video call")
        verbose_name_plural = _("video calls")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.ticket.code} · {self.started_at:%H:%M}"

    @property
    def is_over(self) -> bool:
        return self.ended_at is not None
