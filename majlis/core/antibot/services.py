"""Issue and verify anti-bot challenges. The plain API for forms and for the mobile API:

    antibot_issue(*, session_key: str, client_address: str | None) -> Challenge
    antibot_verify(*, challenge_id: str, session_key: str, client_address: str | None,
                   answer: str | None = None, nonce: str | None = None) -> bool

Both raise `AntiBotRefused` when a rate cap is reached (code "limited") or the cap store cannot
be reached (code "unavailable": the caps fail closed). A challenge is bound to the session that
asked for it, lives `ANTIBOT_TTL_SECONDS`, and is consumed by the first verification, right or
wrong, so a replay is refused and each question gets one guess.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from majlis.core.antibot.questions import answer_normalise, question_new, question_text
from majlis.core.models import AntiBotChallenge
from majlis.core.ratelimit import RateLimiterUnavailable, rate_give_back, rate_take

_MAX_NONCE_DIGITS = 20


class AntiBotRefused(Exception):
    """No challenge issued or checked: `code` is "limited" (a cap) or "unavailable" (the store)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        """What to tell the person, in the active language."""
        if self.code == "limited":
            return gettext(
                "Too many verification attempts from your connection. "
                "Please wait ten minutes and try again."
            )
        return gettext("The verification check is not available right now. Please try again soon.")


@dataclass(frozen=True)
class Challenge:
    """What a client needs: find `nonce` with SHA-256(id + nonce) starting with `pow_bits` zero
    bits, or show `question` (in the active language) and send the typed answer."""

    id: str
    pow_bits: int
    question: str
    expires_at: datetime


def _session_hash(session_key: str) -> str:
    # Only a digest is stored: the table never holds a usable session key.
    return hashlib.sha256(f"antibot:{session_key}".encode()).hexdigest()


def _address(client_address: str | None) -> str:
    return client_address or "unknown"


def _window() -> timedelta:
    return timedelta(seconds=settings.ANTIBOT_WINDOW_SECONDS)


def _take_all(caps: list[tuple[str, int]]) -> None:
    """Count one action under every key, or none: raise AntiBotRefused if any cap is full."""
    taken: list[str] = []
    try:
        for key, limit in caps:
            if not rate_take(key, limit=limit, window=_window()):
                for done in taken:
                    rate_give_back(done)
                raise AntiBotRefused("limited")
            taken.append(key)
    except RateLimiterUnavailable as exc:
        raise AntiBotRefused("unavailable") from exc


def pow_valid(challenge_id: str, nonce: str, bits: int) -> bool:
    """True if SHA-256(challenge_id + nonce) starts with `bits` zero bits (nonce: 1-20 digits)."""
    if not (nonce.isascii() and nonce.isdigit() and len(nonce) <= _MAX_NONCE_DIGITS):
        return False
    digest = hashlib.sha256(f"{challenge_id}{nonce}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0


def antibot_issue(*, session_key: str, client_address: str | None) -> Challenge:
    """A new challenge for this session, counted against the issue caps."""
    session = _session_hash(session_key)
    _take_all(
        [
            (f"antibot:issue:addr:{_address(client_address)}", settings.ANTIBOT_ISSUE_PER_ADDRESS),
            (f"antibot:issue:sess:{session[:32]}", settings.ANTIBOT_ISSUE_PER_SESSION),
        ]
    )
    if secrets.randbelow(50) == 0:  # no timer needed: issuing now and then sweeps expired rows
        antibot_prune()
    question, answer = question_new()
    now = timezone.now()
    row = AntiBotChallenge.objects.create(
        public_id=secrets.token_urlsafe(16),
        session_hash=session,
        pow_bits=settings.ANTIBOT_POW_BITS,
        question=question,
        answer=answer,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.ANTIBOT_TTL_SECONDS),
    )
    return Challenge(
        id=row.public_id,
        pow_bits=row.pow_bits,
        question=question_text(question),
        expires_at=row.expires_at,
    )


def _consume(challenge_id: str, session: str) -> AntiBotChallenge | None:
    """Take the session's challenge out of the table; None if absent or someone took it first."""
    row = AntiBotChallenge.objects.filter(public_id=challenge_id, session_hash=session).first()
    if row is None:
        return None
    # One DELETE per row: of two concurrent verifications only one removes it, and only that one
    # may go on (a replay, even a simultaneous one, is refused).
    deleted, _detail = AntiBotChallenge.objects.filter(pk=row.pk).delete()
    return row if deleted else None


def antibot_verify(
    *,
    challenge_id: str,
    session_key: str,
    client_address: str | None,
    answer: str | None = None,
    nonce: str | None = None,
) -> bool:
    """True if the challenge is this session's, unexpired, unused, and the nonce solves the puzzle
    or the answer is right. Consumes the challenge either way. Wrong attempts count against the
    failure caps; once full, AntiBotRefused("limited") is raised even for a right answer."""
    session = _session_hash(session_key)
    fail_keys = [
        (f"antibot:fail:addr:{_address(client_address)}", settings.ANTIBOT_FAILS_PER_ADDRESS),
        (f"antibot:fail:sess:{session[:32]}", settings.ANTIBOT_FAILS_PER_SESSION),
    ]
    # Counted first and given back on success, so concurrent guesses can never pass the cap.
    _take_all(fail_keys)
    row = _consume(challenge_id, session) if challenge_id else None
    passed = row is not None and row.expires_at > timezone.now() and _passes(row, answer, nonce)
    if passed:
        try:
            for key, _limit in fail_keys:
                rate_give_back(key)
        except RateLimiterUnavailable as exc:
            raise AntiBotRefused("unavailable") from exc
    return passed


def _passes(row: AntiBotChallenge, answer: str | None, nonce: str | None) -> bool:
    if nonce and pow_valid(row.public_id, nonce, row.pow_bits):
        return True
    return bool(answer) and secrets.compare_digest(
        answer_normalise(answer or "").encode(), row.answer.encode()
    )


def antibot_prune() -> int:
    """Delete expired challenges (never verified); returns how many."""
    deleted, _detail = AntiBotChallenge.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def challenge_data(challenge: Challenge) -> dict[str, Any]:
    """The challenge as the mobile API sends it."""
    return {
        "id": challenge.id,
        "pow_bits": challenge.pow_bits,
        "question": challenge.question,
        "expires_at": challenge.expires_at.isoformat(),
    }
