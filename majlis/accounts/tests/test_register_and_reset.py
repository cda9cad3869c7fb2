"""Create an account with a verified mobile, and reset a password by SMS code (QUALITY S4)."""

import re

import pytest

from conftest import CheckedClient
from majlis.accounts.models import User
from majlis.notifications.choices import MessageKind
from majlis.notifications.models import Message

pytestmark = pytest.mark.django_db


def _code(phone: str) -> str:
    body = Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
    return re.search(r"\b\d{6}\b", body)[0]


def _register(client, **changes):
    data = {
        "display_name": "مريم سعيد الكتبي",
        "mobile": "0501234500",
        "username": "maryam.k",
        "password1": "Qareeb-video-2026",
        "password2": "Qareeb-video-2026",
        **changes,
    }
    return client.post("/accounts/register/", data)


def test_it_creates_the_account_only_once_the_number_is_proven(client, demo):
    assert _register(client)["Location"] == "/accounts/register/code/"
    assert not User.objects.filter(username="maryam.k").exists()
    assert client.get("/accounts/register/code/").status_code == 200
    done = client.post("/accounts/register/code/", {"code": _code("+971501234500")})
    assert done.status_code == 302
    user = User.objects.get(username="maryam.k")
    assert (user.phone, user.display_name, user.is_guest) == (
        "+971501234500",
        "مريم سعيد الكتبي",
        False,
    )
    assert user.check_password("Qareeb-video-2026")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_explains_bad_input_next_to_each_field_and_keeps_it(english, demo):
    response = _register(english, mobile="12", username="bad name", password2="other")
    assert response.status_code == 400
    text = response.text
    assert "Enter a mobile number that can receive SMS" in text
    assert "Use letters, digits" in text
    assert "The two passwords are not the same." in text
    assert 'value="مريم سعيد الكتبي"' in text  # kept
    assert not Message.objects.exists()


def test_it_refuses_a_weak_password(english, demo):
    response = _register(english, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert "This password is too common." in response.text


def test_it_tells_the_prover_of_a_number_that_it_already_has_an_account(client, amina):
    # Up to the code, nothing tells a stranger whether the number has an account (S4).
    assert _register(client, mobile="+966501110001", username="another.name").status_code == 302
    response = client.post("/accounts/register/code/", {"code": _code("+966501110001")})
    assert response.status_code == 409
    assert "لهذا الرقم حساب من قبل" in response.text  # told only once the number is proven
    assert not User.objects.filter(username="another.name").exists()


def test_it_resets_a_password_with_a_code_and_ends_old_sessions(client, amina):
    old = CheckedClient()
    old.force_login(amina)
    assert client.post("/accounts/forgot/", {"mobile": "+966501110001"}).status_code == 302
    assert (
        client.post("/accounts/forgot/code/", {"code": _code("+966501110001")}).status_code == 302
    )
    page = client.get("/accounts/forgot/password/")
    assert page.status_code == 200
    saved = client.post(
        "/accounts/forgot/password/",
        {"password1": "A-new-strong-one-77", "password2": "A-new-strong-one-77"},
    )
    assert saved.status_code == 302
    amina.refresh_from_db()
    assert amina.check_password("A-new-strong-one-77")
    assert old.get("/accounts/home/").wsgi_request.user.is_anonymous  # the old session ended


def test_it_answers_alike_for_a_number_with_and_without_an_account(amina):
    """S4: same status, same pages; only the number with an account gets an SMS."""
    known, unknown = CheckedClient(), CheckedClient()
    first = known.post("/accounts/forgot/", {"mobile": "+966501110001"})
    second = unknown.post("/accounts/forgot/", {"mobile": "+966501119999"})
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])

    def strip(text: str) -> str:
        text = re.sub(r"\+\d{5}•+\d{2}", "PHONE", text)
        text = re.sub(r'data-otp-[a-z-]+="[^"]*"', "", text)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert strip(known.get("/accounts/forgot/code/").text) == strip(
        unknown.get("/accounts/forgot/code/").text
    )
    wrong_a = known.post("/accounts/forgot/code/", {"code": "000000"})
    wrong_b = unknown.post("/accounts/forgot/code/", {"code": "000000"})
    assert wrong_a.status_code == wrong_b.status_code == 400
    assert strip(wrong_a.text) == strip(wrong_b.text)
    assert Message.objects.filter(recipient="+966501110001").count() == 1
    assert not Message.objects.filter(recipient="+966501119999").exists()


def test_it_does_not_open_the_new_password_page_without_a_proven_number(client, amina):
    response = client.get("/accounts/forgot/password/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/forgot/"
