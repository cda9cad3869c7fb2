"""SMS through the Twilio adapter against a local server speaking Twilio's Messages API, which
signs its status callbacks the way Twilio documents (computed here independently)."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.test import override_settings

from majlis.notifications.choices import Channel, MessageKind, MessageStatus
from majlis.notifications.models import Message
from majlis.notifications.providers import _load
from majlis.notifications.services import message_send
from majlis.notifications.tasks import deliver_message

SID, TOKEN = "AC00000000000000000000000000000001", "twilio-auth-token-for-tests"
INVALID = "+15005550001"  # the number Twilio's test credentials refuse as invalid
pytestmark = pytest.mark.django_db(transaction=True)


def sign(url: str, fields: dict[str, str]) -> str:
    data = url + "".join(f"{key}{fields[key]}" for key in sorted(fields))
    return base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


class FakeTwilio(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []

    def do_POST(self):
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._reply(401, {"code": 20003, "message": "Authenticate"})
        if not self.path.endswith(f"/Accounts/{SID}/Messages.json"):
            return self._reply(404, {"code": 20404})
        length = int(self.headers["Content-Length"])
        fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if fields["To"] == INVALID:
            return self._reply(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
        sid = f"SM{len(self.received):032d}"
        self.received.append(fields)
        self._reply(201, {"sid": sid, "status": "queued"})
        threading.Thread(target=self._report, args=(fields["StatusCallback"], sid)).start()

    def _report(self, url: str, sid: str) -> None:
        time.sleep(0.2)
        for status in ("sent", "delivered"):
            fields = {"MessageSid": sid, "MessageStatus": status, "AccountSid": SID}
            httpx.post(url, data=fields, headers={"X-Twilio-Signature": sign(url, fields)})

    def _reply(self, status: int, body: dict[str, object]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(live_server):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    FakeTwilio.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _load.cache_clear()
    with override_settings(
        SMS_PROVIDER="twilio", TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_FROM="+971500000000", TWILIO_API_BASE=f"http://127.0.0.1:{server.server_port}",
        TWILIO_CALLBACK_BASE=live_server.url,
    ):  # fmt: skip
        yield FakeTwilio
    server.shutdown()
    server.server_close()
    _load.cache_clear()


def _sms(recipient: str = "+971501234567") -> Message:
    return message_send(channel=Channel.SMS, kind=MessageKind.REPLY, recipient=recipient,
                        language="ar", context={"reference": "NJR-1448-000067"})  # fmt: skip


def test_it_sends_and_follows_signed_status_callbacks(twilio):
    message = _sms()
    assert deliver_message.call(message.pk) == MessageStatus.SENT
    [fields] = twilio.received
    assert fields["Body"].startswith("لديك رسالة جديدة بخصوص الطلب NJR-1448-000067")
    assert fields["StatusCallback"].endswith("/notifications/twilio/status/")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == MessageStatus.DELIVERED:
            break
        time.sleep(0.1)
    assert message.status == MessageStatus.DELIVERED
    assert message.provider_message_id == "SM" + "0" * 32


def test_it_gives_up_on_an_invalid_number(twilio):
    message = _sms(INVALID)
    assert deliver_message.call(message.pk) == MessageStatus.PERMANENT_FAILURE
    message.refresh_from_db()
    assert "21211" in message.last_error


def test_it_retries_when_the_credentials_are_refused(twilio):
    with override_settings(TWILIO_AUTH_TOKEN="wrong"):
        message = _sms()
        assert deliver_message.call(message.pk) == MessageStatus.TEMPORARY_FAILURE


def test_it_refuses_a_callback_without_a_valid_signature(twilio, live_server, client):
    message = _sms()
    deliver_message.call(message.pk)
    message.refresh_from_db()
    url = f"{live_server.url}/notifications/twilio/status/"
    fields = {"MessageSid": message.provider_message_id, "MessageStatus": "failed"}
    forged = client.post("/notifications/twilio/status/", fields,
                         HTTP_X_TWILIO_SIGNATURE=sign(url + "?x=1", fields))  # fmt: skip
    unsigned = client.post("/notifications/twilio/status/", fields)
    assert forged.status_code == unsigned.status_code == 404
    message.refresh_from_db()
    assert message.status != MessageStatus.PERMANENT_FAILURE
