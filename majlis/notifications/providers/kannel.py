"""SMS through a Kannel gateway's HTTP `sendsms` interface.

Arabic goes as UCS-2 (coding=2) with the text in UTF-8. Each message asks for every delivery
report (dlr-mask 31) at our callback, carrying our message id; Kannel has no de-duplication of its
own, so a retry after a crash mid-send can reach the phone twice (QUALITY R3 counts those).
"""

from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.urls import reverse

from majlis.notifications.providers.base import (
    Accepted,
    Outbound,
    PermanentFailure,
    TemporaryFailure,
)
from majlis.notifications.sms import sms_encoding

# Kannel asks for these bits of delivery report: delivered, failed, buffered, submitted, rejected.
DLR_MASK = 1 | 2 | 4 | 8 | 16


class KannelProvider:
    name = "kannel"

    def send(self, message: Outbound) -> Accepted:
        callback = settings.KANNEL_CALLBACK_BASE.rstrip("/") + reverse("notifications:kannel_dlr")
        dlr_url = f"{callback}?" + urlencode(
            {"id": message.public_id, "token": settings.KANNEL_CALLBACK_TOKEN}
        )
        # Kannel fills in %d (the report type) itself; it must stay unescaped in the URL.
        dlr_url += "&type=%d"
        # POST with the credentials and addresses in headers: nothing secret ends up in a URL
        # (which proxies and HTTP client logs record); the text travels as the UTF-8 body.
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            "X-Kannel-Username": settings.KANNEL_USERNAME,
            "X-Kannel-Password": settings.KANNEL_PASSWORD,
            "X-Kannel-From": settings.KANNEL_SENDER,
            "X-Kannel-To": message.recipient.lstrip("+"),
            "X-Kannel-Coding": "2" if sms_encoding(message.body) == "UCS-2" else "0",
            "X-Kannel-DLR-Mask": str(DLR_MASK),
            "X-Kannel-DLR-Url": dlr_url,
        }
        try:
            response = httpx.post(
                settings.KANNEL_SENDSMS_URL,
                content=message.body.encode("utf-8"),
                headers=headers,
                timeout=settings.KANNEL_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            raise TemporaryFailure(f"kannel: {type(exc).__name__}") from exc
        answer = response.text.strip()[:120]
        if response.status_code in (200, 202):
            return Accepted(provider_message_id=message.public_id)
        if response.status_code in (400, 404) or "denied" in answer.lower():
            raise PermanentFailure(f"kannel {response.status_code}: {answer}")
        # 403 (credentials) and 5xx are the operator's to fix; keep retrying with back-off.
        raise TemporaryFailure(f"kannel {response.status_code}: {answer}")
