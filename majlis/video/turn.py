"""ICE servers handed to a browser for one call: STUN, and TURN with time-limited credentials.

coturn's "TURN REST API" scheme (`use-auth-secret` + `static-auth-secret` in turnserver.conf):
the username is `<expiry as unix time>:<user id>` and the password is
base64(HMAC-SHA1(shared secret, username)). coturn recomputes the password from the username and
refuses it after the expiry, so nothing is stored and a leaked credential dies on its own.
The secret never leaves the server and is never logged.
"""

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings


def turn_credentials(
    *, user_id: int | str, secret: str, ttl: int, now: float | None = None
) -> tuple[str, str]:
    """(username, credential) valid for `ttl` seconds from `now`."""
    expiry = int((time.time() if now is None else now) + ttl)
    username = f"{expiry}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_servers(*, user_id: int | str) -> list[dict[str, Any]]:
    """The `iceServers` of an RTCPeerConnection: STUN as configured, and TURN only when both
    its addresses and its secret are set (without TURN, calls behind strict NATs fail)."""
    servers: list[dict[str, Any]] = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SECRET:
        username, credential = turn_credentials(
            user_id=user_id, secret=settings.TURN_SECRET, ttl=settings.TURN_TTL_SECONDS
        )
        servers.append(
            {"urls": list(settings.TURN_URLS), "username": username, "credential": credential}
        )
    return servers
