"""The anti-bot check: proof of work or a text answer passes once, for its own session only, and
the caps hold (failing closed without their store). Then the demo form, through the front door."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from majlis.core import ratelimit
from majlis.core.antibot.questions import question_text
from majlis.core.antibot.services import (
    AntiBotRefused,
    antibot_issue,
    antibot_verify,
    pow_valid,
)
from majlis.core.models import AntiBotChallenge

pytestmark = pytest.mark.django_db

SESSION, OTHER, ADDRESS = "session-amina", "session-omar", "203.0.113.7"


@pytest.fixture(autouse=True)
def _easy_puzzle(settings):
    settings.ANTIBOT_POW_BITS = 8  # 256 tries on average: the tests stay fast


def _solve(challenge_id: str, bits: int, *, skip: int = 0) -> str:
    """The first nonce solving the puzzle (skip=1: the second one)."""
    found = 0
    nonce = 0
    while True:
        if pow_valid(challenge_id, str(nonce), bits):
            if found == skip:
                return str(nonce)
            found += 1
        nonce += 1


def _wrong_nonce(challenge_id: str, bits: int) -> str:
    return next(str(n) for n in range(10_000) if not pow_valid(challenge_id, str(n), bits))


def _answer(challenge_id: str) -> str:
    return AntiBotChallenge.objects.get(public_id=challenge_id).answer


def _issue(session: str = SESSION):
    return antibot_issue(session_key=session, client_address=ADDRESS)


def _verify(challenge_id: str, session: str = SESSION, **kwargs) -> bool:
    return antibot_verify(
        challenge_id=challenge_id, session_key=session, client_address=ADDRESS, **kwargs
    )


def test_it_accepts_the_right_nonce_and_refuses_a_wrong_one():
    challenge = _issue()
    assert challenge.pow_bits == 8
    assert _verify(challenge.id, nonce=_solve(challenge.id, 8)) is True
    other = _issue()
    assert _verify(other.id, nonce=_wrong_nonce(other.id, 8)) is False
    assert _verify(_issue().id, nonce="not-a-number") is False


def test_it_accepts_the_right_answer_in_any_digits_and_refuses_a_wrong_one():
    challenge = _issue()
    assert _verify(challenge.id, answer=f" {_answer(challenge.id)} ") is True
    arabic = _issue()
    indic = _answer(arabic.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert _verify(arabic.id, answer=indic) is True
    wrong = _issue()
    assert _verify(wrong.id, answer=str(int(_answer(wrong.id)) + 1)) is False


def test_it_refuses_a_replay():
    challenge = _issue()
    nonce = _solve(challenge.id, 8)
    assert _verify(challenge.id, nonce=nonce) is True
    assert _verify(challenge.id, nonce=nonce) is False
    assert _verify(challenge.id, nonce=_solve(challenge.id, 8, skip=1)) is False
    # A wrong guess uses the challenge up too: one guess per question.
    guessed = _issue()
    right = _answer(guessed.id)
    assert _verify(guessed.id, answer="999") is False
    assert _verify(guessed.id, answer=right) is False


def test_it_refuses_an_expired_challenge():
    challenge = _issue()
    AntiBotChallenge.objects.filter(public_id=challenge.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _verify(challenge.id, nonce=_solve(challenge.id, 8)) is False


def test_it_refuses_another_sessions_challenge_without_using_it_up():
    challenge = _issue(SESSION)
    nonce = _solve(challenge.id, 8)
    assert _verify(challenge.id, OTHER, nonce=nonce) is False
    assert _verify(challenge.id, SESSION, nonce=nonce) is True


def test_it_stores_no_session_key():
    _issue()
    row = AntiBotChallenge.objects.get()
    assert SESSION not in row.session_hash


def test_it_caps_challenges_per_address(settings):
    settings.ANTIBOT_ISSUE_PER_ADDRESS = 3
    for number in range(3):
        _issue(f"session-{number}")
    with pytest.raises(AntiBotRefused) as refused:
        _issue("session-new")
    assert refused.value.code == "limited"
    assert antibot_issue(session_key="elsewhere", client_address="198.51.100.1")


def test_it_caps_challenges_per_session(settings):
    settings.ANTIBOT_ISSUE_PER_SESSION = 2
    antibot_issue(session_key=SESSION, client_address="198.51.100.1")
    antibot_issue(session_key=SESSION, client_address="198.51.100.2")
    with pytest.raises(AntiBotRefused):
        antibot_issue(session_key=SESSION, client_address="198.51.100.3")


def test_it_caps_failed_answers_then_refuses_even_a_right_one(settings):
    settings.ANTIBOT_FAILS_PER_SESSION = 2
    for _ in range(2):
        assert _verify(_issue().id, answer="999") is False
    challenge = _issue()
    with pytest.raises(AntiBotRefused) as refused:
        _verify(challenge.id, answer=_answer(challenge.id))
    assert refused.value.code == "limited"


def test_it_does_not_count_right_answers_as_failures(settings):
    settings.ANTIBOT_FAILS_PER_SESSION = 2
    for _ in range(5):
        challenge = _issue()
        assert _verify(challenge.id, answer=_answer(challenge.id)) is True


@pytest.mark.parametrize("store", ["redis", "database"])
def test_it_counts_in_both_stores(settings, store):
    if store == "database":
        settings.REDIS_URL = ""
    ratelimit._redis.cache_clear()
    settings.ANTIBOT_ISSUE_PER_ADDRESS = 1
    _issue()
    with pytest.raises(AntiBotRefused):
        _issue()


def test_it_fails_closed_when_redis_is_unreachable(settings):
    challenge = _issue()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    ratelimit._redis.cache_clear()
    try:
        with pytest.raises(AntiBotRefused) as on_issue:
            _issue()
        with pytest.raises(AntiBotRefused) as on_verify:
            _verify(challenge.id, answer=_answer(challenge.id))
    finally:
        ratelimit._redis.cache_clear()
    assert on_issue.value.code == on_verify.value.code == "unavailable"


def test_it_asks_the_question_in_english_and_arabic():
    question = {"kind": "digits", "a": 15}
    with translation.override("en"):
        assert question_text(question) == "Type the number fifteen in digits."
        assert question_text({"kind": "add", "a": 3, "b": 4}) == (
            "What is three plus four? Answer in digits."
        )
        assert "ten minutes" in AntiBotRefused("limited").message
    with translation.override("ar"):
        assert question_text(question) == "اكتب العدد خمسة عشر بالأرقام."
        assert question_text({"kind": "subtract", "a": 9, "b": 2}) == (
            "كم يساوي تسعة ناقص اثنان؟ اكتب الجواب بالأرقام."
        )
        assert "عشر دقائق" in AntiBotRefused("limited").message


# --- Through the front door: the demo form (majlis/core/tests/antibot_urls.py) ----------------

URL = "/antibot-demo/"


def _challenge_id(html: str) -> str:
    found = re.search(r'name="antibot_id" value="([^"]*)"', html)
    assert found, "no challenge id on the page"
    return found.group(1)


@pytest.mark.urls("majlis.core.tests.antibot_urls")
def test_it_sends_the_form_with_the_answer_typed(english):
    page = english.get(URL).content.decode()
    assert 'data-bits="8"' in page
    assert "Verification code" in page
    challenge_id = _challenge_id(page)
    question = AntiBotChallenge.objects.get(public_id=challenge_id)
    with translation.override("en"):
        assert question_text(question.question) in page
    response = english.post(
        URL,
        {"name": "Amina", "reason": "Renewal", "antibot_id": challenge_id,
         "antibot_nonce": "", "antibot_answer": question.answer},
    )  # fmt: skip
    assert "Request sent" in response.content.decode()


@pytest.mark.urls("majlis.core.tests.antibot_urls")
def test_it_sends_the_form_with_the_puzzle_solved(client):
    challenge_id = _challenge_id(client.get(URL).content.decode())
    response = client.post(
        URL,
        {"name": "Amina", "reason": "تجديد", "antibot_id": challenge_id,
         "antibot_nonce": _solve(challenge_id, 8), "antibot_answer": ""},
    )  # fmt: skip
    assert "<h1" in response.content.decode()
    assert 'name="antibot_id"' not in response.content.decode()


@pytest.mark.urls("majlis.core.tests.antibot_urls")
def test_it_keeps_the_input_and_asks_a_new_question_after_a_wrong_answer(english):
    challenge_id = _challenge_id(english.get(URL).content.decode())
    response = english.post(
        URL,
        {"name": "Amina", "reason": "Renewal", "antibot_id": challenge_id,
         "antibot_nonce": "", "antibot_answer": "999"},
    )  # fmt: skip
    page = response.content.decode()
    assert "That answer is not right" in page
    assert 'value="Amina"' in page
    assert 'value="Renewal"' in page
    assert 'aria-invalid="true"' in page
    new_id = _challenge_id(page)
    assert new_id
    assert new_id != challenge_id
    assert not AntiBotChallenge.objects.filter(public_id=challenge_id).exists()


@pytest.mark.urls("majlis.core.tests.antibot_urls")
def test_it_asks_again_when_another_field_is_wrong(english):
    challenge_id = _challenge_id(english.get(URL).content.decode())
    answer = AntiBotChallenge.objects.get(public_id=challenge_id).answer
    response = english.post(
        URL,
        {"name": "", "reason": "Renewal", "antibot_id": challenge_id, "antibot_answer": answer},
    )
    page = response.content.decode()
    assert "That answer is not right" not in page
    assert _challenge_id(page) != challenge_id  # the first one was used: a new one is shown


@pytest.mark.urls("majlis.core.tests.antibot_urls")
def test_it_says_so_in_arabic_when_over_the_cap(client, settings):
    settings.ANTIBOT_ISSUE_PER_ADDRESS = 1
    client.get(URL)
    page = client.get(URL).content.decode()
    assert _challenge_id(page) == ""
    assert "عشر دقائق" in page
    response = client.post(URL, {"name": "Amina", "reason": "x", "antibot_id": ""})
    assert "عشر دقائق" in response.content.decode()
