"""E-mail through the real SMTP adapter to a real SMTP server (aiosmtpd on loopback)."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from majlis.notifications.choices import Channel, MessageKind, MessageStatus
from majlis.notifications.providers import _load
from majlis.notifications.services import message_send
from majlis.notifications.tasks import deliver_message

pytestmark = pytest.mark.django_db


class Mailbox:
    """Accepts mail, except: refuses 'gone@' with 550 and defers 'busy@' with 451."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    _load.cache_clear()
    with override_settings(
        EMAIL_PROVIDER="smtp", MAILERS=mailers, DEFAULT_FROM_EMAIL="majlis@najran.example"
    ):
        yield mailbox
    controller.stop()
    _load.cache_clear()


def _email(recipient: str, language: str = "ar"):
    return message_send(
        channel=Channel.EMAIL,
        kind=MessageKind.REQUEST_RECEIVED,
        recipient=recipient,
        language=language,
        context={"reference": "NJR-1448-000067", "service": "طلب موعد مع الإمارة", "link": "L"},
    )


def test_it_delivers_arabic_mail_with_our_message_id(smtp_server):
    message = _email("amina@example.org")
    assert deliver_message.call(message.pk) == MessageStatus.SENT
    message.refresh_from_db()
    assert message.provider == "smtp"
    assert message.provider_message_id == f"<{message.public_id}@najran.example>"
    [received] = smtp_server.received
    assert received["Message-ID"] == message.provider_message_id
    assert received["Subject"] == "تم استلام الطلب NJR-1448-000067"
    assert "استلمنا طلبك NJR-1448-000067" in received.get_content()


def test_it_gives_up_on_a_refused_mailbox(smtp_server):
    message = _email("gone@example.org")
    assert deliver_message.call(message.pk) == MessageStatus.PERMANENT_FAILURE
    message.refresh_from_db()
    assert "550" in message.last_error
    assert smtp_server.received == []


def test_it_retries_a_deferred_mailbox(smtp_server, django_capture_on_commit_callbacks):
    message = _email("busy@example.org")
    with django_capture_on_commit_callbacks():
        assert deliver_message.call(message.pk) == MessageStatus.TEMPORARY_FAILURE
    message.refresh_from_db()
    assert message.next_attempt_at is not None


def test_it_retries_when_the_server_is_down():
    port = _free_port()  # nothing listens there
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    _load.cache_clear()
    with override_settings(EMAIL_PROVIDER="smtp", MAILERS=mailers):
        message = _email("amina@example.org")
        assert deliver_message.call(message.pk) == MessageStatus.TEMPORARY_FAILURE
    _load.cache_clear()
