import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.notifications.choices import Channel, MessageKind, MessageStatus, PreferredChannel


def new_public_id() -> str:
    """Our message id: given to providers so a retry can be recognised as the same message."""
    return secrets.token_hex(12)


class Message(models.Model):
    """One outbound SMS, e-mail or web push, from creation to its final delivery status.

    The row is the outbox: the worker sends from it, delivery reports update it, and staff read
    it on the object it concerns. Bodies of sensitive kinds (sign-in codes) are wiped once final.
    """

    public_id = models.CharField(_("message id"), max_length=32, unique=True, default=new_public_id)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=2, default="ar")
    recipient = models.CharField(_("recipient"), max_length=254, db_index=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    sensitive = models.BooleanField(_("holds a secret"), default=False)
    segments = models.PositiveSmallIntegerField(_("SMS parts"), default=0)
    encoding = models.CharField(_("SMS encoding"), max_length=8, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED,
        db_index=True,
    )  # fmt: skip
    provider = models.CharField(_("provider"), max_length=32, blank=True)
    provider_message_id = models.CharField(
        _("provider's id"), max_length=100, blank=True, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The background task that will send it next; the sweeper asks the task backend about it.
    task_id = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sending_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="messages",
    )  # fmt: skip

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_message_pending"),
            models.Index(fields=["content_type", "object_id"], name="notif_message_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.public_id} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        """+97150•••••87: enough for staff to recognise, not to copy."""
        value = self.recipient
        if "@" in value:
            name, _at, domain = value.partition("@")
            return f"{name[:2]}•••@{domain}"
        if len(value) <= 6:
            return "•" * len(value)
        return f"{value[:6]}{'•' * (len(value) - 8)}{value[-2:]}"


class InboundSms(models.Model):
    """A text message a citizen sent to the authority's number (through Kannel's get-url)."""

    sender = models.CharField(_("sender"), max_length=20)
    receiver = models.CharField(_("to number"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    provider = models.CharField(_("provider"), max_length=32)
    provider_message_id = models.CharField(_("provider's id"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("incoming SMS")
        verbose_name_plural = _("incoming SMS")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="notif_inbound_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"


class ContactPreference(models.Model):
    """How a citizen wants to be told things: by SMS, e-mail or push (issue: preferred channel)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_preference"
    )
    channel = models.CharField(
        _("preferred channel"), max_length=8, choices=PreferredChannel.choices
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel}"


class PushSubscription(models.Model):
    """A browser or installed web app that agreed to receive notifications for one person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("push endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.endpoint[:40]}"
