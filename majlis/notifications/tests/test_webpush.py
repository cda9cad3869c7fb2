"""Web push through the real adapter (pywebpush) to a local push service that does what a
browser vendor's does: checks the VAPID token, and hands the encrypted body to the "browser",
which here decrypts it with its own key pair (RFC 8291)."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings

from majlis.notifications.choices import MessageKind, MessageStatus, PreferredChannel
from majlis.notifications.models import PushSubscription
from majlis.notifications.providers import _load
from majlis.notifications.services import (
    contact_preference_set,
    notify_user,
    push_subscription_save,
)
from majlis.notifications.tasks import deliver_message
from majlis.notifications.vapid import application_server_key

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService(BaseHTTPRequestHandler):
    delivered: list[bytes] = []
    gone: set[str] = set()
    vapid_public: str = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path in self.gone:
            return self._answer(410)
        scheme, _, params = self.headers.get("Authorization", "").partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        if scheme != "vapid" or fields.get("k") != self.vapid_public or not self._token_ok(fields):
            return self._answer(403)
        if self.headers.get("Content-Encoding") != "aes128gcm":
            return self._answer(400)
        self.delivered.append(body)
        self._answer(201)

    def _token_ok(self, fields: dict[str, str]) -> bool:
        header, claims, signature = fields["t"].split(".")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(fields["k"]))
        raw = unb64(signature)
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception:
            return False
        payload = json.loads(unb64(claims))
        audience = f"http://{self.headers['Host']}"
        return bool(payload["aud"] == audience and payload["exp"] > time.time())

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PushService)
    PushService.delivered, PushService.gone = [], set()
    PushService.vapid_public = application_server_key()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _load.cache_clear()
    with override_settings(PUSH_PROVIDER="webpush"):
        yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    _load.cache_clear()


def _browser_subscription(user, base: str, name: str):
    """What a browser makes: a P-256 key pair and a 16-byte auth secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = os.urandom(16)
    subscription = push_subscription_save(
        user=user, endpoint=f"{base}/push/{name}", p256dh=b64(public), auth=b64(auth)
    )
    return subscription, private, auth


def test_it_pushes_an_encrypted_notification_the_browser_can_read(push_service, amina):
    subscription, private, auth = _browser_subscription(amina, push_service, "phone")
    contact_preference_set(user=amina, channel=PreferredChannel.PUSH)
    message = notify_user(user=amina, kind=MessageKind.REPLY,
                          context={"reference": "NJR-1448-000067", "link": "L"})  # fmt: skip
    assert message.recipient == str(subscription.pk)
    assert deliver_message.call(message.pk) == MessageStatus.SENT
    [body] = PushService.delivered
    plain = http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm")
    shown = json.loads(plain)
    assert shown["title"] == "رسالة جديدة بخصوص الطلب NJR-1448-000067"
    assert shown["body"].startswith("لديك رسالة جديدة")


def test_it_forgets_a_subscription_the_push_service_says_is_gone(push_service, amina):
    subscription, _private, _auth = _browser_subscription(amina, push_service, "old-laptop")
    PushService.gone.add("/push/old-laptop")
    contact_preference_set(user=amina, channel=PreferredChannel.PUSH)
    message = notify_user(user=amina, kind=MessageKind.REPLY, context={"reference": "X"})
    assert deliver_message.call(message.pk) == MessageStatus.PERMANENT_FAILURE
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()
    # With no device left, her next update goes by SMS again.
    assert (
        notify_user(user=amina, kind=MessageKind.REPLY, context={"reference": "X"}).channel == "sms"
    )


def test_it_takes_a_subscription_from_a_signed_in_browser(client, amina):
    client.force_login(amina)
    page = client.get("/notifications/preferences/")
    assert f'data-vapid-key="{application_server_key()}"' in page.text
    subscription = {"endpoint": "https://push.example.net/send/abc",
                    "keys": {"p256dh": "BIX" + "A" * 84, "auth": "c2VjcmV0c2VjcmV0"}}  # fmt: skip
    response = client.post("/notifications/push/subscribe/", subscription,
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert PushSubscription.objects.get(user=amina).endpoint.endswith("/send/abc")
    bad = client.post("/notifications/push/subscribe/", {"endpoint": "http://insecure"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
