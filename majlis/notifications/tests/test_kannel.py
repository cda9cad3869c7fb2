"""SMS through the real Kannel adapter and a real Kannel gateway (bearerbox, smsbox, fakesmsc)."""

import time
import urllib.parse

import pytest
from django.test import override_settings

from majlis.notifications.choices import Channel, MessageKind, MessageStatus
from majlis.notifications.models import InboundSms, Message
from majlis.notifications.providers import _load
from majlis.notifications.services import message_send
from majlis.notifications.tasks import deliver_message
from majlis.notifications.tests.kannel_gateway import KannelGateway

TOKEN = "kannel-callback-token-for-tests"
pytestmark = pytest.mark.django_db(transaction=True)


def _until(predicate, timeout: float = 60.0):  # generous: the suite runs in parallel
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def gateway(tmp_path, live_server):
    gateway = KannelGateway(
        tmp_path, inbound_url=f"{live_server.url}/notifications/kannel/inbound/?token={TOKEN}"
    )
    _load.cache_clear()
    with override_settings(
        SMS_PROVIDER="kannel",
        KANNEL_SENDSMS_URL=gateway.sendsms_url,
        KANNEL_USERNAME=gateway.username,
        KANNEL_PASSWORD=gateway.password,
        KANNEL_SENDER="Majlis",
        KANNEL_CALLBACK_BASE=live_server.url,
        KANNEL_CALLBACK_TOKEN=TOKEN,
    ):
        # A handset sends Arabic as UCS-2; fakesmsc takes it URL-escaped.
        arabic = urllib.parse.quote("حالة NJR-1448-000067".encode("utf-16-be"))
        gateway.start(citizen_sms=f"968912345678 90888 ucs2 {arabic}")
        yield gateway
    gateway.stop()
    _load.cache_clear()


def test_it_sends_arabic_and_follows_the_delivery_reports(gateway, settings):
    settings.NOTIFICATIONS_KEEP_CODES = False
    message = message_send(
        channel=Channel.SMS,
        kind=MessageKind.SIGN_IN_CODE,
        recipient="+971501234567",
        language="ar",
        context={"code": "482913", "minutes": 3},
    )
    assert deliver_message.call(message.pk) == MessageStatus.SENT
    texts = _until(gateway.delivered_texts)
    assert texts == [
        (
            "Majlis",
            "971501234567",
            "رمز الدخول الخاص بك هو 482913، وتنتهي صلاحيته بعد 3 دقائق. لا تشاركه مع أحد.",
        ),
    ]
    # Kannel reports "submitted" (8) then "delivered" (1) to our callback.
    assert _until(lambda: Message.objects.get(pk=message.pk).status == MessageStatus.DELIVERED)
    message.refresh_from_db()
    assert message.provider == "kannel"
    assert message.body == ""  # the code is gone once delivered


def test_it_stores_a_citizens_sms_once(gateway):
    inbound = _until(lambda: InboundSms.objects.first())
    assert (inbound.sender, inbound.receiver, inbound.provider) == (
        "968912345678",
        "90888",
        "kannel",
    )
    assert inbound.text == "حالة NJR-1448-000067"
    assert InboundSms.objects.count() == 1


def test_it_keeps_retrying_while_the_gateway_refuses_our_credentials(gateway):
    with override_settings(KANNEL_PASSWORD="wrong"):
        message = message_send(
            channel=Channel.SMS,
            kind=MessageKind.REPLY,
            recipient="+971501234567",
            language="en",
            context={"reference": "NJR-1448-000067"},
        )
        assert deliver_message.call(message.pk) == MessageStatus.TEMPORARY_FAILURE
    message.refresh_from_db()
    assert "403" in message.last_error


def test_it_ignores_callbacks_without_the_token(client, gateway):
    message = message_send(
        channel=Channel.SMS,
        kind=MessageKind.REPLY,
        recipient="+97150",
        language="en",
        context={"reference": "X"},
    )
    wrong = client.get(
        "/notifications/kannel/dlr/", {"id": message.public_id, "type": 1, "token": "guess"}
    )
    assert wrong.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
