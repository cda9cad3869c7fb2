"""SMS through Twilio's REST Messages API.

Sending: POST {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json with HTTP Basic
credentials (account SID, auth token), form fields To, From, Body and StatusCallback. Twilio
answers with the message's SID and later posts status changes to the callback, signed with
`X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + every form field's name and value,
sorted by name)). `twilio_signature` computes it; the webhook refuses anything that doesn't match.
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable

import httpx
from django.conf import settings
from django.urls import reverse

from majlis.notifications.providers.base import (
    Accepted,
    Outbound,
    PermanentFailure,
    TemporaryFailure,
)


def twilio_signature(auth_token: str, url: str, fields: Iterable[tuple[str, str]]) -> str:
    payload = url + "".join(name + value for name, value in sorted(fields))
    digest = hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_callback_url() -> str:
    return settings.TWILIO_CALLBACK_BASE.rstrip("/") + reverse("notifications:twilio_status")


class TwilioProvider:
    name = "twilio"

    def send(self, message: Outbound) -> Accepted:
        sid = settings.TWILIO_ACCOUNT_SID
        url = f"{settings.TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        fields = {
            "To": message.recipient,
            "From": settings.TWILIO_FROM,
            "Body": message.body,
            "StatusCallback": twilio_callback_url(),
        }
        try:
            response = httpx.post(
                url, data=fields, auth=(sid, settings.TWILIO_AUTH_TOKEN),
                timeout=settings.TWILIO_TIMEOUT,
            )  # fmt: skip
        except httpx.HTTPError as exc:
            raise TemporaryFailure(f"twilio: {type(exc).__name__}") from exc
        if response.status_code in (200, 201):
            return Accepted(provider_message_id=str(response.json().get("sid", ""))[:100])
        try:
            detail = str(response.json().get("code", ""))
        except ValueError:
            detail = ""
        if response.status_code == 400:  # invalid number, unsubscribed recipient, bad request
            raise PermanentFailure(f"twilio 400 {detail}".strip())
        # 401 (credentials), 429 (throttled) and 5xx are worth another try later.
        raise TemporaryFailure(f"twilio {response.status_code} {detail}".strip())
