"""The message lifecycle, driven through the real task backend and worker."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from majlis.notifications.choices import Channel, MessageKind, MessageStatus
from majlis.notifications.models import Message
from majlis.notifications.services import Outcome, message_record_report, message_send
from majlis.notifications.tasks import deliver_message, retry_delay, sweep_stuck_messages

pytestmark = pytest.mark.django_db


def _send(recipient="+971501234567", kind=MessageKind.TICKET_ISSUED, **context):
    context = {"ticket": "MN-006", "place": "المنامة", "link": "https://x/t", **context}
    return message_send(
        channel=Channel.SMS, kind=kind, recipient=recipient, language="ar", context=context
    )


def _work():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_it_queues_after_commit_and_the_worker_delivers():
    from django_tasks_db.models import DBTaskResult

    message = _send()  # its own transaction: the task is enqueued when it commits
    assert message.status == MessageStatus.QUEUED
    assert DBTaskResult.objects.filter(args_kwargs__args=[message.pk]).count() == 1
    assert message.body == "رقم انتظارك في المنامة هو MN-006. تابع دورك: https://x/t"
    assert (message.encoding, message.segments) == ("UCS-2", 1)
    _work()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.provider == "console"
    assert message.provider_message_id == f"console-{message.public_id}"
    assert message.attempts == 1


def test_it_renders_in_the_recipients_language():
    english = message_send(
        channel=Channel.SMS,
        kind=MessageKind.REPLY,
        recipient="+97150",
        language="en",
        context={"reference": "NJR-1448-000067"},
    )
    assert english.body.startswith("You have a new message about request NJR-1448-000067")
    email = message_send(
        channel=Channel.EMAIL,
        kind=MessageKind.REPLY,
        recipient="a@b.example",
        language="ar",
        context={"reference": "NJR-1448-000067", "link": "L"},
    )
    assert email.subject == "رسالة جديدة بخصوص الطلب NJR-1448-000067"


def test_it_wipes_a_sign_in_code_once_delivered(settings):
    settings.NOTIFICATIONS_KEEP_CODES = False
    message = _send(kind=MessageKind.SIGN_IN_CODE, code="482913", minutes=3)
    assert "482913" in message.body
    assert message.sensitive
    deliver_message.call(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.body == ""


def test_it_marks_a_refused_number_as_permanently_failed():
    message = _send(recipient="+971500000400")
    deliver_message.call(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE
    assert message.failed_at is not None
    assert "permanent" in message.last_error


def test_it_backs_off_on_temporary_failures_then_gives_up(django_capture_on_commit_callbacks):
    message = _send(recipient="+971500000500")
    with override_settings(NOTIFICATIONS_MAX_ATTEMPTS=3):
        for attempt in (1, 2):
            with django_capture_on_commit_callbacks(execute=True):
                assert deliver_message.call(message.pk) == MessageStatus.TEMPORARY_FAILURE
            message.refresh_from_db()
            assert message.attempts == attempt
            assert message.next_attempt_at > timezone.now() + retry_delay(attempt) - timedelta(
                seconds=5
            )
            # Not due yet: a second worker picking the task up early does nothing.
            assert deliver_message.call(message.pk) == "skipped"
            Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        deliver_message.call(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE
    assert message.attempts == 3


def test_it_sends_a_message_once_however_often_its_task_runs():
    message = _send()
    assert deliver_message.call(message.pk) == MessageStatus.DELIVERED
    assert deliver_message.call(message.pk) == "skipped"
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_it_requeues_what_a_dead_worker_left_in_sending():
    message = _send()
    long_ago = timezone.now() - timedelta(minutes=10)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, sending_at=long_ago)
    fresh = _send()
    Message.objects.filter(pk=fresh.pk).update(
        status=MessageStatus.SENDING, sending_at=timezone.now()
    )
    count = sweep_stuck_messages(
        sending_grace=timedelta(minutes=2), queued_grace=timedelta(hours=1)
    )
    assert count == 1
    _work()
    message.refresh_from_db()
    fresh.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert fresh.status == MessageStatus.SENDING  # still within its grace period


def test_it_applies_delivery_reports_once_and_never_reopens_a_final_status():
    message = _send()
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, provider="kannel", provider_message_id="k-1"
    )
    message_record_report(
        provider="kannel", message_id=message.public_id, outcome=Outcome.DELIVERED
    )
    message_record_report(provider="kannel", message_id="k-1", outcome=Outcome.FAILED, error="late")
    message_record_report(provider="kannel", message_id="k-1", outcome=Outcome.ACCEPTED)
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.last_error == ""
    assert (
        message_record_report(
            provider="console", message_id=message.public_id, outcome=Outcome.FAILED
        )
        is None
    )


def test_it_warns_when_production_would_send_nothing(settings):
    from majlis.notifications.checks import console_providers_in_production

    settings.EMBEDDED = False
    assert [w.id for w in console_providers_in_production(None)] == [
        "notifications.W001",
        "notifications.W002",
    ]
    settings.SMS_PROVIDER = "kannel"
    settings.EMAIL_PROVIDER = "smtp"
    assert console_providers_in_production(None) == []


def test_it_keeps_a_delivery_report_that_beats_the_workers_own_save(monkeypatch, settings):
    """Kannel can report 'submitted' before the worker saved 'sent': the report must stick."""
    settings.NOTIFICATIONS_KEEP_CODES = False
    from majlis.notifications.providers import console

    message = _send(kind=MessageKind.SIGN_IN_CODE, code="482913", minutes=3)
    real_send = console.ConsoleProvider.send

    def send_and_report_early(self, outbound):
        accepted = real_send(self, outbound)
        message_record_report(
            provider="console", message_id=outbound.public_id, outcome=Outcome.DELIVERED
        )
        return type(accepted)(provider_message_id=accepted.provider_message_id, delivered=False)

    monkeypatch.setattr(console.ConsoleProvider, "send", send_and_report_early)
    assert deliver_message.call(message.pk) == MessageStatus.DELIVERED
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.body == ""


@pytest.mark.django_db(transaction=True)
def test_it_queues_codes_first_and_retries_last():
    from django_tasks_db.models import DBTaskResult

    from majlis.notifications.tasks import enqueue_delivery

    retry = _send()
    enqueue_delivery(retry.pk, when=timedelta(seconds=-60))  # a retry that is already due
    fresh = _send()
    code = _send(kind=MessageKind.SIGN_IN_CODE, code="123456", minutes=3)
    order = [
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.ready().order_by(*DBTaskResult._meta.ordering or [])
    ]
    assert (
        order.index(code.pk) < order.index(fresh.pk) < order.index(retry.pk, order.index(fresh.pk))
    )


def test_it_lists_the_messages_about_an_object_for_staff(client, demo):
    from django.contrib.contenttypes.models import ContentType

    from majlis.accounts.models import User
    from majlis.accounts.testing import sign_in_staff
    from majlis.catalogue.models import Service

    service = Service.objects.get(slug="qareeb")
    about = message_send(
        channel=Channel.SMS,
        kind=MessageKind.REPLY,
        recipient="+971501230011",
        language="ar",
        context={"reference": "R-1"},
        related=service,
    )
    _send(recipient="+971501230022")  # about nothing in particular
    sign_in_staff(client, User.objects.get(username="admin"))
    history = client.get(f"/admin/catalogue/service/{service.pk}/history/")
    content_type = ContentType.objects.get_for_model(Service).pk
    link = f"?content_type__id__exact={content_type}&amp;object_id={service.pk}"
    assert link in history.text
    listing = client.get(f"/admin/notifications/message/{link.replace('&amp;', '&')}")
    assert listing.status_code == 200
    assert "+971501230011" in listing.text
    assert "+971501230022" not in listing.text
    assert about.public_id


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_once_never_move_a_delivered_message_back(monkeypatch):
    """'Submitted' reads the row, 'delivered' lands meanwhile: the message must stay delivered."""
    import threading

    from django.db import connection

    message = _send()
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, provider="kannel", provider_message_id="k-9"
    )
    submitted_read, delivered_done = threading.Event(), threading.Event()
    real_now = timezone.now

    def now_pausing_the_submitted_report():
        # Called between the read and the write: hold the "submitted" report there until the
        # "delivered" one finished, or for 1.5 s if it cannot finish (because it waits on a lock).
        if threading.current_thread().name == "submitted":
            submitted_read.set()
            delivered_done.wait(1.5)
        return real_now()

    monkeypatch.setattr(timezone, "now", now_pausing_the_submitted_report)

    def report(outcome, before=None):
        try:
            if before is not None:
                before.wait(5)
            message_record_report(provider="kannel", message_id="k-9", outcome=outcome)
        finally:
            delivered_done.set() if outcome == Outcome.DELIVERED else None
            connection.close()

    threads = [
        threading.Thread(target=report, args=(Outcome.ACCEPTED,), name="submitted"),
        threading.Thread(target=report, args=(Outcome.DELIVERED, submitted_read), name="delivered"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
