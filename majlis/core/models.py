import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.core.choices import UploadStatus


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


def new_upload_public_id() -> str:
    """128 random bits: the only handle on an upload that anyone outside the database sees."""
    return secrets.token_urlsafe(16)


class Upload(models.Model):
    """A file a user sent, after it passed the checks of `core.uploads.services.upload_accept`.

    The stored bytes are what Majlis wrote (images re-encoded), under a name of its own; the user's
    file name is kept for display only. Nothing is served until the virus scan marks it clean.
    """

    public_id = models.CharField(
        _("upload id"), max_length=32, unique=True, default=new_upload_public_id, editable=False
    )
    display_name = models.CharField(_("file name"), max_length=200)
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=UploadStatus.choices,
        default=UploadStatus.PENDING_SCAN,
        db_index=True,
    )
    scan_result = models.CharField(_("scan result"), max_length=300, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(default=0)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AntiBotChallenge(models.Model):
    """A verification challenge issued to one session (core.antibot): a proof-of-work puzzle and a
    text question, either of which passes it. Used once, then deleted; expired rows are pruned."""

    public_id = models.CharField(max_length=32, unique=True)
    session_hash = models.CharField(max_length=64)
    pow_bits = models.PositiveSmallIntegerField()
    question = models.JSONField()
    answer = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.public_id
