"""Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291).

A push message's recipient is the id of one PushSubscription. The payload is JSON (title, body,
url) that the service worker shows as a notification. A push service answering 404 or 410 means
the subscription is gone: it is deleted and the message fails for good.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from pywebpush import WebPushException, webpush

from majlis.notifications.models import PushSubscription
from majlis.notifications.providers.base import (
    Accepted,
    Outbound,
    PermanentFailure,
    TemporaryFailure,
)


class WebPushProvider:
    name = "webpush"

    def send(self, message: Outbound) -> Accepted:
        subscription = PushSubscription.objects.filter(pk=message.recipient).first()
        if subscription is None:
            raise PermanentFailure("webpush: the subscription was removed")
        endpoint = urlsplit(subscription.endpoint)
        payload = json.dumps(
            {"title": message.subject, "body": message.body, "tag": message.public_id},
            ensure_ascii=False,
        )
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={
                    "sub": settings.VAPID_SUBJECT,
                    "aud": f"{endpoint.scheme}://{endpoint.netloc}",
                },
                ttl=settings.WEBPUSH_TTL,
                timeout=settings.WEBPUSH_TIMEOUT,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):
                subscription.delete()
                raise PermanentFailure(f"webpush {status}: subscription gone") from exc
            if status is not None and 400 <= status < 500 and status != 429:
                raise PermanentFailure(f"webpush {status}") from exc
            raise TemporaryFailure(f"webpush {status or 'no answer'}") from exc
        except OSError as exc:
            raise TemporaryFailure(f"webpush: {type(exc).__name__}") from exc
        return Accepted(provider_message_id=message.public_id)
