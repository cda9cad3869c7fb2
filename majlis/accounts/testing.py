"""Test helpers for identity: TOTP codes computed from the secret (RFC 6238, independently of
allauth), and signing staff in with their second factor proven."""

import base64
import hashlib
import hmac
import struct
import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from majlis.accounts.signals import TOTP_PROVEN_KEY


def totp_code(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """The code for `at` (default: now). For "now", a code about to expire is not handed out: it
    waits for the next period first, so that the server (which allows no drift) still accepts it
    after a slow browser round trip."""
    if at is None:
        left = period - time.time() % period
        if left < 5:
            time.sleep(left + 0.05)
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def give_totp(user: Any) -> str:
    """Set up TOTP for the user (as the set-up page would) and return its secret."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_staff(client: Any, user: Any) -> Any:
    """force_login for staff, with TOTP set up and proven in the session as after a sign-in."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    client.force_login(user)
    session = client.session
    session[TOTP_PROVEN_KEY] = True
    session.save()
    return client
