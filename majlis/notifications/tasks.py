"""Delivery: the worker claims a queued message, hands it to the provider, records the outcome.

Every step is safe to repeat. A message is claimed by one conditional UPDATE, so two workers never
send it at once; a worker killed mid-send leaves it in `sending`, and the sweeper queues it again
after a grace period — providers that de-duplicate on our message id then drop the repeat.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from majlis.notifications.choices import DONE, PENDING, MessageStatus
from majlis.notifications.models import Message
from majlis.notifications.providers import provider_for
from majlis.notifications.providers.base import Outbound, PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """Back-off after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at 30 min (with the
    default base of 30 s)."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATIONS_RETRY_CAP_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), cap))


# Queue order: a sign-in code first, then any first attempt, then retries. Without a priority a
# due retry would run before every fresh message (the backend orders undated tasks last), and a
# provider outage would starve new messages, codes included, behind the retries.
PRIORITY_CODE, PRIORITY_FIRST_TRY, PRIORITY_RETRY = 20, 0, -20


def enqueue_delivery(
    message_id: int, *, when: timedelta | None = None, urgent: bool = False
) -> None:
    now = timezone.now()
    if when:
        task = deliver_message.using(run_after=now + when, priority=PRIORITY_RETRY)
    else:
        priority = PRIORITY_CODE if urgent else PRIORITY_FIRST_TRY
        task = deliver_message.using(run_after=now, priority=priority)
    result = task.enqueue(message_id)
    Message.objects.filter(pk=message_id).update(task_id=str(result.id))


def _task_waiting(task_id: str) -> bool:
    """Is the message's task still in the queue? (Not run yet, and not lost with a dead worker.)"""
    if not task_id:
        return False
    try:
        return deliver_message.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def _claim(message_id: int, provider: str) -> Message | None:
    """Take the message for this worker, recording the provider before anything is sent, so a
    delivery report that arrives before the worker's own save still finds its message."""
    now = timezone.now()
    claimed = Message.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=message_id,
        status__in=PENDING,
    ).update(
        status=MessageStatus.SENDING, sending_at=now, attempts=F("attempts") + 1, provider=provider
    )
    return Message.objects.get(pk=message_id) if claimed else None


@task(queue_name="notifications")
def deliver_message(message_id: int) -> str:
    channel = Message.objects.filter(pk=message_id).values_list("channel", flat=True).first()
    if channel is None:
        return "skipped"
    provider = provider_for(channel)
    message = _claim(message_id, provider.name)
    if message is None:
        return "skipped"  # already sent, being sent, or not due yet
    outbound = Outbound(
        public_id=message.public_id,
        channel=message.channel,
        recipient=message.recipient,
        subject=message.subject,
        body=message.body,
        language=message.language,
        sensitive=message.sensitive,
    )
    now = timezone.now
    fields = ["status", "last_error", "next_attempt_at"]
    try:
        accepted = provider.send(outbound)
    except TemporaryFailure as exc:
        message.last_error = str(exc)[:300]
        if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            message.status = MessageStatus.PERMANENT_FAILURE
            message.failed_at = now()
            message.next_attempt_at = None
            fields.append("failed_at")
        else:
            message.status = MessageStatus.TEMPORARY_FAILURE
            message.next_attempt_at = now() + retry_delay(message.attempts)
        logger.warning(
            "message %s: temporary failure on attempt %s via %s",
            message.public_id, message.attempts, provider.name,
        )  # fmt: skip
    except PermanentFailure as exc:
        message.status = MessageStatus.PERMANENT_FAILURE
        message.last_error = str(exc)[:300]
        message.failed_at = now()
        message.next_attempt_at = None
        fields.append("failed_at")
        logger.warning("message %s: refused by %s", message.public_id, provider.name)
    else:
        message.provider_message_id = accepted.provider_message_id[:100]
        message.status = MessageStatus.DELIVERED if accepted.delivered else MessageStatus.SENT
        message.sent_at = now()
        message.delivered_at = message.sent_at if accepted.delivered else None
        message.last_error = ""
        message.next_attempt_at = None
        fields += ["provider_message_id", "sent_at", "delivered_at"]
    if message.sensitive and not settings.NOTIFICATIONS_KEEP_CODES and message.status in DONE:
        message.body = ""  # a code is never needed again once it left or failed for good
        fields.append("body")
    with transaction.atomic():
        # Only if still ours: a delivery report may already have moved the message on.
        saved = Message.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
            **{name: getattr(message, name) for name in fields}
        )
        if saved and message.status == MessageStatus.TEMPORARY_FAILURE:
            delay = retry_delay(message.attempts)
            transaction.on_commit(lambda: enqueue_delivery(message_id, when=delay))
    if not saved:
        return str(Message.objects.values_list("status", flat=True).get(pk=message_id))
    return str(message.status)


def sweep_stuck_messages(*, sending_grace: timedelta, queued_grace: timedelta) -> int:
    """Queue again what a dead worker or a lost task left behind; returns how many.

    - `sending` for longer than `sending_grace`: the worker died mid-send;
    - `queued` or `temporary_failure`, due for longer than `queued_grace`, and its task no longer
      waiting in the queue: the task was lost (its worker died before claiming the message).
      A message whose task is merely waiting behind a backlog is left alone.
    """
    now = timezone.now()
    sending = Message.objects.filter(
        status=MessageStatus.SENDING, sending_at__lt=now - sending_grace
    ).values_list("pk", flat=True)[:1000]
    due = Message.objects.filter(
        status__in=PENDING, next_attempt_at__lt=now - queued_grace
    ).values_list("pk", "task_id")[:1000]
    stuck = [*sending, *(pk for pk, task_id in due if not _task_waiting(task_id))]
    # Re-check the age in the UPDATE itself: a message re-claimed meanwhile is left alone.
    Message.objects.filter(
        pk__in=stuck, status=MessageStatus.SENDING, sending_at__lt=now - sending_grace
    ).update(status=MessageStatus.QUEUED, next_attempt_at=now)
    for message_id in stuck:
        enqueue_delivery(message_id, urgent=True)  # already late
    return len(stuck)
