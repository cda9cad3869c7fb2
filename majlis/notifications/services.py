"""Writes of the notifications domain: creating messages and recording what providers report."""

import enum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from majlis.core.background_tasks import tasks_are_transactional
from majlis.core.services import audit_record
from majlis.notifications.choices import (
    FINAL,
    SENSITIVE_KINDS,
    Channel,
    MessageKind,
    MessageStatus,
    PreferredChannel,
)
from majlis.notifications.models import ContactPreference, InboundSms, Message, PushSubscription
from majlis.notifications.rendering import render_message
from majlis.notifications.sms import sms_parts


# No savepoint: a message is queued inside its caller's transaction (a ticket, a request), and
# when it fails the whole change fails with it; two round trips saved on every change.
@transaction.atomic(savepoint=False)
def message_send(
    *,
    channel: Channel,
    kind: MessageKind,
    recipient: str,
    language: str,
    context: dict[str, Any],
    user: AbstractBaseUser | None = None,
    related: models.Model | None = None,
) -> Message:
    """Render and queue one message; the worker sends it once this transaction commits."""
    from majlis.notifications.tasks import enqueue_delivery

    subject, body = render_message(kind=kind, channel=channel, language=language, context=context)
    encoding, segments = sms_parts(body) if channel == Channel.SMS else ("", 0)
    now = timezone.now()
    message = Message.objects.create(
        channel=channel,
        kind=kind,
        language=language,
        recipient=recipient,
        subject=subject,
        body=body,
        sensitive=kind in SENSITIVE_KINDS,
        segments=segments,
        encoding=encoding,
        status=MessageStatus.QUEUED,
        queued_at=now,
        next_attempt_at=now,
        user_id=user.pk if user is not None else None,
        content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        object_id=str(related.pk) if related is not None else "",
    )
    urgent = message.sensitive  # a code is useless after three minutes
    if tasks_are_transactional():
        # The task is a row in the same database: queued in this transaction it is as durable
        # as the message, invisible to workers until the commit, and costs no commit of its own.
        enqueue_delivery(message.pk, urgent=urgent)
    else:
        transaction.on_commit(lambda: enqueue_delivery(message.pk, urgent=urgent))
    return message


class Outcome(enum.StrEnum):
    """What a delivery report says about a message."""

    ACCEPTED = "accepted"  # taken by the network, not yet delivered
    DELIVERED = "delivered"
    FAILED = "failed"


@transaction.atomic
def message_record_report(
    *, provider: str, message_id: str, outcome: Outcome, error: str = ""
) -> Message | None:
    """A provider's delivery report: `message_id` is our public id or the provider's own id.

    Reports can arrive late, twice or out of order: a final status is never overwritten, and an
    intermediate report never moves a message backwards. Kannel sends its reports from several
    threads at once, so the row is locked while it is read and written: without the lock a
    "submitted" report that read the row first could save "sent" over "delivered".
    """
    message = (
        Message.objects.select_for_update()
        .filter(provider=provider)
        .filter(models.Q(public_id=message_id) | models.Q(provider_message_id=message_id))
        .first()
    )
    if message is None or message.status in FINAL:
        return message
    now = timezone.now()
    wipe = message.sensitive and not settings.NOTIFICATIONS_KEEP_CODES
    if outcome == Outcome.ACCEPTED:
        if message.status == MessageStatus.SENDING:
            message.status = MessageStatus.SENT
            message.sent_at = now
            message.body = "" if wipe else message.body
            message.save(update_fields=["status", "sent_at", "body"])
        return message
    if outcome == Outcome.DELIVERED:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = now
    else:
        message.status = MessageStatus.PERMANENT_FAILURE
        message.failed_at = now
        message.last_error = error[:300]
    if wipe:
        message.body = ""
    message.save(update_fields=["status", "delivered_at", "failed_at", "last_error", "body"])
    return message


inbound_sms_received = (
    Signal()
)  # sender=InboundSms, message=<InboundSms>; the contact domain listens


def inbound_sms_receive(
    *, provider: str, sender: str, receiver: str, text: str, provider_message_id: str
) -> InboundSms:
    """Store an incoming SMS once (gateways retry), then tell whoever listens after commit."""
    if provider_message_id:
        existing = InboundSms.objects.filter(
            provider=provider, provider_message_id=provider_message_id
        ).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        message = InboundSms.objects.create(
            provider=provider, sender=sender, receiver=receiver, text=text,
            provider_message_id=provider_message_id,
        )  # fmt: skip
        transaction.on_commit(lambda: inbound_sms_received.send(sender=InboundSms, message=message))
    return message


def contact_preference_set(*, user: AbstractBaseUser, channel: PreferredChannel) -> None:
    """Record the channel a citizen chose for everything Majlis tells them from now on."""
    with transaction.atomic():
        ContactPreference.objects.update_or_create(user_id=user.pk, defaults={"channel": channel})
        audit_record(action="notifications.contact_preference.changed", actor=user,
                     data={"channel": str(channel)})  # fmt: skip


def notify_user(
    *,
    user: AbstractBaseUser,
    kind: MessageKind,
    context: dict[str, Any],
    related: models.Model | None = None,
) -> Message | None:
    """Tell a person something on their preferred channel, in their language."""
    from majlis.notifications.selectors import preferred_channel_get

    channel = preferred_channel_get(user)
    if channel is None:
        return None
    if channel == Channel.PUSH:
        sent = [
            message_send(
                channel=channel,
                kind=kind,
                recipient=str(subscription_id),
                language=getattr(user, "language", "") or "ar",
                context=context,
                user=user,
                related=related,
            )
            for subscription_id in PushSubscription.objects.filter(user_id=user.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        ]
        return sent[0] if sent else None
    recipient = getattr(user, "phone" if channel == Channel.SMS else "email")
    return message_send(
        channel=channel, kind=kind, recipient=recipient,
        language=getattr(user, "language", "") or "ar", context=context, user=user,
        related=related,
    )  # fmt: skip


def push_subscription_save(
    *, user: AbstractBaseUser, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Store (or move to this person) a browser's push subscription."""
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user_id": user.pk, "p256dh": p256dh, "auth": auth}
        )
        audit_record(action="notifications.push_subscription.saved", obj=subscription, actor=user)
    return subscription
