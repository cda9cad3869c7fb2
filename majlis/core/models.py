from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who did what to which object, when (UTC) and from which address.

    Rows are only ever inserted. The actor's label is copied so the entry still reads correctly
    after the account is renamed or removed.
    """

    created_at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"], name="core_audit_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"


class RateEvent(models.Model):
    """One counted action (an SMS sent, a wrong code) under a rate-cap key, for the database
    backend of the rate caps; with Redis configured, these live in Redis instead."""

    key = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="core_rateevent_key_at")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M:%S}"
