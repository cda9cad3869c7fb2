"""Sign-in codes sent by SMS: sending, checking, and the limits around both (QUALITY S1-S3).

- a code is 6 digits from `secrets`, valid for 180 s, stored only as a keyed hash;
- it is bound to the browser session that asked for it;
- "Resend" works after a 30 s cooldown and voids the previous code;
- a code dies after 5 tries; every try is counted before it is compared, so parallel guesses
  cannot get past the limit;
- a phone is locked after 10 failed tries in 24 h, whatever address they came from;
- codes sent are capped per phone (3 per 15 min, 10 per day) and per client address (20 per hour);
- when the cap store is unreachable nothing is sent and nothing is verified (fail closed).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from majlis.accounts.choices import OtpPurpose, OtpStatus
from majlis.accounts.models import OtpChallenge
from majlis.core.phone import mask_phone
from majlis.core.ratelimit import rate_count, rate_give_back, rate_take
from majlis.core.services import audit_record
from majlis.notifications.choices import Channel, MessageKind
from majlis.notifications.services import message_send

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(seconds=180)
RESEND_COOLDOWN = timedelta(seconds=30)
TRIES_PER_CODE = 5
FAILURES_BEFORE_LOCK = 10
LOCK_WINDOW = timedelta(hours=24)
SEND_CAPS_PER_PHONE = ((3, timedelta(minutes=15)), (10, timedelta(days=1)))
SEND_CAP_PER_ADDRESS = (20, timedelta(hours=1))


class OtpError(Exception):
    """Why a code could not be sent or accepted; `code` names the case for the view."""

    code = "error"

    def __init__(self, *, seconds: int = 0, tries_left: int = 0) -> None:
        super().__init__(self.code)
        self.seconds = seconds
        self.tries_left = tries_left


class OtpLocked(OtpError):
    code = "locked"


class OtpCooldown(OtpError):
    code = "cooldown"


class OtpRateLimited(OtpError):
    code = "rate_limited"


class OtpExpired(OtpError):
    code = "expired"


class OtpWrong(OtpError):
    code = "wrong"


class OtpExhausted(OtpError):
    code = "exhausted"


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def session_fingerprint(session_key: str) -> str:
    return _digest(f"otp-session:{session_key}")


def _code_hash(challenge_salt: str, code: str) -> str:
    return f"{challenge_salt}${_digest(f'otp-code:{challenge_salt}:{code}')}"


def _failures_key(phone: str) -> str:
    return f"otp-fail:{phone}"


def otp_is_locked(phone: str) -> bool:
    return rate_count(_failures_key(phone), window=LOCK_WINDOW) >= FAILURES_BEFORE_LOCK


def otp_send(
    *,
    phone: str,
    purpose: OtpPurpose,
    session_key: str,
    client_address: str | None,
    language: str,
    deliver: bool = True,
) -> OtpChallenge:
    """Send a new code to `phone` for this session, voiding the session's previous code.

    With `deliver=False` everything happens (limits counted, challenge stored) except the SMS:
    a password reset for a number with no account then looks exactly like one for a number that
    has one (QUALITY S4), and its code, never sent, can't be guessed in 5 tries.
    """
    fingerprint = session_fingerprint(session_key)
    if otp_is_locked(phone):
        raise OtpLocked
    previous = (
        OtpChallenge.objects.filter(phone=phone, purpose=purpose, session_hash=fingerprint)
        .order_by("-created_at")
        .first()
    )
    now = timezone.now()
    if previous is not None and now - previous.created_at < RESEND_COOLDOWN:
        wait = RESEND_COOLDOWN - (now - previous.created_at)
        raise OtpCooldown(seconds=int(wait.total_seconds()) + 1)
    for limit, window in SEND_CAPS_PER_PHONE:
        if not rate_take(f"sms-phone-{window.total_seconds():.0f}:{phone}", limit=limit,
                         window=window):  # fmt: skip
            raise OtpRateLimited
    if client_address:
        limit, window = SEND_CAP_PER_ADDRESS
        if not rate_take(f"sms-address:{client_address}", limit=limit, window=window):
            raise OtpRateLimited
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        OtpChallenge.objects.filter(
            phone=phone, purpose=purpose, session_hash=fingerprint, status=OtpStatus.ACTIVE
        ).update(status=OtpStatus.REPLACED)
        challenge = OtpChallenge.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_code_hash(secrets.token_hex(8), code),
            session_hash=fingerprint,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            client_address=client_address,
        )
        if deliver:
            message_send(
                channel=Channel.SMS,
                kind=MessageKind.SIGN_IN_CODE,
                recipient=phone,
                language=language,
                context={"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)},
                related=challenge,
            )
        audit_record(
            action="accounts.otp.sent",
            obj=challenge,
            actor_label=mask_phone(phone),
            data={"purpose": purpose, "phone": mask_phone(phone)},
        )
    return challenge


def otp_verify(*, challenge_id: int, code: str, session_key: str) -> OtpChallenge:
    """Accept `code` for the challenge once, or raise why not. Counts every try first."""
    fingerprint = session_fingerprint(session_key)
    challenge = OtpChallenge.objects.filter(pk=challenge_id, session_hash=fingerprint).first()
    if challenge is None or challenge.status in (OtpStatus.USED, OtpStatus.REPLACED):
        raise OtpExpired
    if challenge.status == OtpStatus.EXHAUSTED:
        raise OtpExhausted
    if timezone.now() >= challenge.expires_at:
        raise OtpExpired
    if not rate_take(
        _failures_key(challenge.phone), limit=FAILURES_BEFORE_LOCK, window=LOCK_WINDOW
    ):
        raise OtpLocked
    counted = OtpChallenge.objects.filter(
        pk=challenge.pk, status=OtpStatus.ACTIVE, wrong_tries__lt=TRIES_PER_CODE
    ).update(wrong_tries=F("wrong_tries") + 1)
    if not counted:
        rate_give_back(_failures_key(challenge.phone))
        raise OtpExhausted
    salt = challenge.code_hash.split("$", 1)[0]
    cleaned = "".join(ch for ch in code if ch.isdigit())[:CODE_DIGITS]
    if len(cleaned) == CODE_DIGITS and hmac.compare_digest(
        _code_hash(salt, cleaned), challenge.code_hash
    ):
        used = OtpChallenge.objects.filter(pk=challenge.pk, status=OtpStatus.ACTIVE).update(
            status=OtpStatus.USED, wrong_tries=F("wrong_tries") - 1
        )
        rate_give_back(_failures_key(challenge.phone))  # a right code is not a failure
        if not used:  # another request used it a moment ago: single use
            raise OtpExpired
        challenge.refresh_from_db()
        audit_record(action="accounts.otp.verified", obj=challenge,
                     actor_label=mask_phone(challenge.phone))  # fmt: skip
        return challenge
    challenge.refresh_from_db()
    if challenge.wrong_tries >= TRIES_PER_CODE:
        OtpChallenge.objects.filter(pk=challenge.pk, status=OtpStatus.ACTIVE).update(
            status=OtpStatus.EXHAUSTED
        )
        audit_record(action="accounts.otp.exhausted", obj=challenge,
                     actor_label=mask_phone(challenge.phone))  # fmt: skip
        raise OtpExhausted
    raise OtpWrong(tries_left=TRIES_PER_CODE - challenge.wrong_tries)


# Refusals that are about pace, not about the code: "too many requests".
_STATUS = {"rate_limited": 429, "locked": 429, "cooldown": 429}


def otp_error_text(error: OtpError) -> str:
    """What to tell the person, in their language, for a refused code or send."""
    if isinstance(error, OtpCooldown):
        return ngettext(
            "You can ask for a new code in %(seconds)d second.",
            "You can ask for a new code in %(seconds)d seconds.",
            error.seconds,
        ) % {"seconds": error.seconds}
    if isinstance(error, OtpWrong):
        return ngettext(
            "The code is not correct. You have %(tries)d try left.",
            "The code is not correct. You have %(tries)d tries left.",
            error.tries_left,
        ) % {"tries": error.tries_left}
    messages = {
        "rate_limited": _("Too many codes were sent to this number or from this device. "
                          "Please try again later."),
        "locked": _("This number is locked for 24 hours after too many wrong codes."),
        "expired": _("This code has expired or a newer one was sent. Ask for a new code."),
        "exhausted": _("Too many wrong tries for this code. Ask for a new code."),
    }  # fmt: skip
    return messages.get(error.code, _("The code could not be checked. Please try again."))


def otp_error_status(error: OtpError) -> int:
    """The HTTP status to answer a refusal with."""
    return _STATUS.get(error.code, 400)
