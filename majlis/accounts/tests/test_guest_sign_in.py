"""Continue as a guest, through the front door (QUALITY S1, S3, S4)."""

import re

import pytest
from django.test import Client

from conftest import CheckedClient
from majlis.accounts.models import User
from majlis.notifications.choices import MessageKind
from majlis.notifications.models import Message

pytestmark = pytest.mark.django_db


def _last_code(phone: str) -> str:
    body = Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
    return re.search(r"\b\d{6}\b", body)[0]


def test_it_signs_a_guest_in_with_the_code_from_the_sms(client, demo):
    start = client.get("/accounts/guest/?next=/ajman/")
    assert start.status_code == 200
    assert "تواصل كضيف" in start.text
    sent = client.post("/accounts/guest/", {"mobile": "050 111 2233", "next": "/ajman/"})
    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/guest/code/"
    page = client.get("/accounts/guest/code/")
    assert "+97150•••••33" in page.text
    assert "data-otp-expires" in page.text
    done = client.post("/accounts/guest/code/", {"code": _last_code("+971501112233")})
    assert done.status_code == 302
    assert done["Location"] == "/ajman/"
    guest = User.objects.get(phone="+971501112233", is_guest=True)
    assert client.session["_auth_user_id"] == str(guest.pk)
    assert not guest.has_usable_password()


def test_it_keeps_the_number_and_explains_a_bad_one_next_to_the_field(english):
    response = english.post("/accounts/guest/", {"mobile": "04 234 5678"})
    assert response.status_code == 400
    assert 'value="04 234 5678"' in response.text
    assert "Enter a mobile number that can receive SMS" in response.text
    assert 'aria-invalid="true"' in response.text


def test_it_says_how_many_tries_are_left(english):
    english.post("/accounts/guest/", {"mobile": "0501112233"})
    code = _last_code("+971501112233")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = english.post("/accounts/guest/code/", {"code": wrong})
    assert response.status_code == 400
    assert "You have 4 tries left" in response.text


def test_it_resends_after_the_cooldown_only(client, monkeypatch):
    client.post("/accounts/guest/", {"mobile": "0501112233"})
    too_soon = client.post("/accounts/guest/resend/")
    assert too_soon.status_code == 429
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(seconds=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.post("/accounts/guest/resend/").status_code == 302
    assert Message.objects.filter(recipient="+971501112233").count() == 2


def test_it_caps_sms_to_one_number_whoever_asks():
    """S3: 1,000 requests for one number from fresh sessions and addresses: 3 SMS, then 429."""
    statuses = []
    for index in range(1000):
        response = Client().post(
            "/accounts/guest/",
            {"mobile": "0501112233"},
            REMOTE_ADDR=f"10.{index // 250}.{index % 250}.1",
        )
        statuses.append(response.status_code)
    assert Message.objects.filter(recipient="+971501112233").count() == 3
    assert statuses.count(302) == 3
    assert statuses.count(429) == 997


def test_it_caps_sms_from_one_address_whatever_the_number():
    """S3: 1,000 random numbers from one address (with a forged X-Forwarded-For): 20 SMS."""
    statuses = []
    for index in range(1000):
        response = Client().post(
            "/accounts/guest/",
            {"mobile": f"05{index:08d}"},
            REMOTE_ADDR="203.0.113.50",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{index % 250}",  # not a trusted proxy: ignored
        )
        statuses.append(response.status_code)
    assert Message.objects.count() == 20
    assert statuses.count(302) == 20
    assert statuses.count(429) == 980


def test_it_answers_alike_for_a_known_and_an_unknown_number(amina):
    """S4: whether an account has the number or not, the guest flow answers the same."""
    known, unknown = CheckedClient(), CheckedClient()
    first = known.post("/accounts/guest/", {"mobile": "0501110001"})  # Amina's account number
    second = unknown.post("/accounts/guest/", {"mobile": "0501119999"})
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    page_a = known.get("/accounts/guest/code/").text
    page_b = unknown.get("/accounts/guest/code/").text

    def strip(text: str) -> str:
        text = re.sub(r"\+\d{5}•+\d{2}", "PHONE", text)
        text = re.sub(r'data-otp-[a-z-]+="[^"]*"', "", text)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert strip(page_a) == strip(page_b)


def test_it_refuses_to_send_when_the_cap_store_is_down(client, settings):
    from majlis.core import ratelimit

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    ratelimit._redis.cache_clear()
    response = client.post("/accounts/guest/", {"mobile": "0501112233"})
    ratelimit._redis.cache_clear()
    assert response.status_code == 503
    assert Message.objects.count() == 0
