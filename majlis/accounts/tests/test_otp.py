"""Sign-in codes (QUALITY S1, S2, S16): how they are made, kept, bound, limited and locked."""

import logging
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from majlis.accounts import otp
from majlis.accounts.choices import OtpPurpose, OtpStatus
from majlis.accounts.models import OtpChallenge
from majlis.notifications.models import Message

pytestmark = pytest.mark.django_db
PHONE = "+971501112233"


def _send(phone=PHONE, session="session-a", address="198.51.100.7"):
    return otp.otp_send(phone=phone, purpose=OtpPurpose.GUEST_SIGN_IN, session_key=session,
                        client_address=address, language="ar")  # fmt: skip


def _code_of(challenge) -> str:
    body = Message.objects.get(object_id=str(challenge.pk)).body
    return re.search(r"\b\d{6}\b", body)[0]


def _later(monkeypatch, seconds: float):
    """Move the clock to `seconds` after the real now (not after an earlier move)."""
    moment = datetime.now(tz=UTC) + timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_it_stores_six_random_digits_only_as_a_keyed_hash():
    challenge = _send()
    code = _code_of(challenge)
    assert re.fullmatch(r"\d{6}", code)
    assert code not in challenge.code_hash
    assert challenge.expires_at - challenge.created_at == timedelta(seconds=180)


def test_it_makes_a_thousand_codes_that_look_random():
    """S2 over 1,000 codes: all six digits, no repeats beyond chance, digits evenly spread."""
    codes = []
    for index in range(1000):
        challenge = _send(phone=f"+9715{index:08d}"[:13], session=f"s{index}", address=None)
        codes.append(_code_of(challenge))
    assert all(re.fullmatch(r"\d{6}", code) for code in codes)
    assert len(set(codes)) >= 990  # birthday bound for 1,000 draws from 10^6 is ~0.5 repeats
    digits = Counter("".join(codes))
    assert all(480 <= digits[str(d)] <= 720 for d in range(10)), digits  # 600 expected each


def test_it_accepts_a_code_once():
    challenge = _send()
    code = _code_of(challenge)
    assert otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")
    with pytest.raises(otp.OtpExpired):
        otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")


def test_it_refuses_a_code_at_180_seconds_and_one(monkeypatch):
    challenge = _send()
    code = _code_of(challenge)
    _later(monkeypatch, 181)
    with pytest.raises(otp.OtpExpired):
        otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")


def test_it_accepts_a_code_just_before_it_expires(monkeypatch):
    challenge = _send()
    code = _code_of(challenge)
    _later(monkeypatch, 179)
    assert otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")


def test_it_binds_a_code_to_the_session_that_asked():
    challenge = _send(session="session-a")
    code = _code_of(challenge)
    with pytest.raises(otp.OtpExpired):
        otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-b")
    challenge.refresh_from_db()
    assert challenge.wrong_tries == 0  # another session's try does not even count
    assert otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")


def test_it_voids_the_old_code_when_a_new_one_is_sent(monkeypatch):
    first = _send()
    old_code = _code_of(first)
    with pytest.raises(otp.OtpCooldown) as cooldown:
        _send()
    assert 1 <= cooldown.value.seconds <= 30
    _later(monkeypatch, 31)
    second = _send()
    first.refresh_from_db()
    assert first.status == OtpStatus.REPLACED
    with pytest.raises(otp.OtpExpired):
        otp.otp_verify(challenge_id=first.pk, code=old_code, session_key="session-a")
    assert otp.otp_verify(challenge_id=second.pk, code=_code_of(second), session_key="session-a")


def test_it_kills_a_code_after_five_wrong_tries():
    challenge = _send()
    code = _code_of(challenge)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for tries_left in (4, 3, 2, 1):
        with pytest.raises(otp.OtpWrong) as error:
            otp.otp_verify(challenge_id=challenge.pk, code=wrong, session_key="session-a")
        assert error.value.tries_left == tries_left
    with pytest.raises(otp.OtpExhausted):
        otp.otp_verify(challenge_id=challenge.pk, code=wrong, session_key="session-a")
    with pytest.raises(otp.OtpExhausted):
        otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")


@pytest.mark.django_db(transaction=True)
def test_it_counts_parallel_guesses_before_comparing_them():
    challenge = _send()
    code = _code_of(challenge)
    wrong = f"{(int(code) + 7) % 10**6:06d}"

    def guess(_):
        try:
            otp.otp_verify(challenge_id=challenge.pk, code=wrong, session_key="session-a")
        except otp.OtpError as error:
            return error.code
        finally:
            connection.close()
        return "accepted"

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = Counter(pool.map(guess, range(40)))
    challenge.refresh_from_db()
    assert challenge.wrong_tries == 5
    assert outcomes["accepted"] == 0
    assert outcomes["wrong"] <= 5  # only counted tries are compared


def test_it_locks_the_phone_after_ten_failures_whatever_the_address(monkeypatch):
    failures = 0
    for attempt in range(4):
        _later(monkeypatch, 31 * (attempt + 1) + 15 * 60 * (attempt // 3))
        challenge = _send(session=f"attacker-{attempt}", address=f"203.0.113.{attempt}")
        for _ in range(5):
            try:
                otp.otp_verify(
                    challenge_id=challenge.pk, code="000000", session_key=f"attacker-{attempt}"
                )
            except otp.OtpLocked:
                break
            except otp.OtpError:
                failures += 1
        if failures >= 10:
            break
    assert failures == 10
    assert otp.otp_is_locked(PHONE)
    with pytest.raises(otp.OtpLocked):
        _send(session="owner", address="192.0.2.1")


def test_it_never_logs_a_code(caplog):
    caplog.set_level(logging.DEBUG)
    challenge = _send()
    code = _code_of(challenge)
    with pytest.raises(otp.OtpWrong):
        otp.otp_verify(challenge_id=challenge.pk, code="999999" if code != "999999" else "111111",
                       session_key="session-a")  # fmt: skip
    otp.otp_verify(challenge_id=challenge.pk, code=code, session_key="session-a")
    assert code not in caplog.text
    from majlis.core.models import AuditEntry

    assert all(code not in str(entry.data) for entry in AuditEntry.objects.all())
    assert OtpChallenge.objects.filter(code_hash__contains=code).count() == 0


def test_it_withstands_ten_thousand_guesses_at_one_phone(monkeypatch):
    """S1: 10^4 guesses at one phone, spread over every code an attacker can get sent (fresh
    sessions and addresses, waiting out each cooldown), never succeed; each code dies after 5
    tries; the phone locks after 10 failures and stays locked, for its owner too."""
    import secrets

    challenges, last_sent = [], 0
    for attempt in range(12):  # more codes than the caps allow: the extra requests are refused
        _later(monkeypatch, 31 * (attempt + 1))
        try:
            challenges.append((_send(session=f"s{attempt}", address=f"203.0.113.{attempt}"),
                               f"s{attempt}"))  # fmt: skip
            last_sent = 31 * (attempt + 1)
        except (otp.OtpRateLimited, otp.OtpLocked):
            pass
    assert len(challenges) == 3  # 3 codes per 15 minutes per phone
    _later(monkeypatch, last_sent + 1)  # guess while the codes are still valid
    outcomes: Counter[str] = Counter()
    for guess in range(10_000):
        challenge, session = challenges[guess % len(challenges)]
        try:
            otp.otp_verify(challenge_id=challenge.pk, code=f"{secrets.randbelow(10**6):06d}",
                           session_key=session)  # fmt: skip
            outcomes["accepted"] += 1
        except otp.OtpError as error:
            outcomes[error.code] += 1
    assert sum(outcomes.values()) == 10_000
    assert outcomes["accepted"] == 0
    assert outcomes["wrong"] + outcomes["exhausted"] <= 10 + len(challenges)  # compared at most 10
    for challenge, _session in challenges:
        challenge.refresh_from_db()
        assert challenge.wrong_tries <= 5
    assert otp.otp_is_locked(PHONE)
    with pytest.raises(otp.OtpLocked):
        _send(session="owner", address="192.0.2.1")
