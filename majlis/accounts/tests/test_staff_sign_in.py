"""Staff sign-in (QUALITY.md S13): password then TOTP, no admin without TOTP, a new session id at
sign-in, 30 minutes idle and the session is over, sign-out and disabling end sessions server-side.
"""

import re
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client

from majlis.accounts import middleware
from majlis.accounts.models import User
from majlis.accounts.testing import give_totp, sign_in_staff, totp_code
from majlis.catalogue.demo import DEMO_PASSWORD
from majlis.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _password(client: Any, username: str = "najran.admin", next_url: str = "") -> Any:
    path = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(path, {"login": username, "password": DEMO_PASSWORD})


def _session_key(client: Any) -> str:
    return str(client.cookies["sessionid"].value)


def test_it_sends_staff_without_totp_to_set_it_up_before_the_admin(
    client: Any, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = _password(client)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    # /accounts/home/ → /admin/ → the set-up page, which will bring them back to the admin.
    assert response.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"
    assert "إعداد التحقق بخطوتين" in response.text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', response.text)
    assert secret is not None
    wrong = client.post("/accounts/2fa/totp/activate/?next=/admin/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "totp-secret" in wrong.text

    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        response = client.post(
            "/accounts/2fa/totp/activate/?next=/admin/", {"code": totp_code(secret.group(1))}
        )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    user = User.objects.get(username="najran.admin")
    assert AuditEntry.objects.filter(action="accounts.mfa.totp_enabled", object_id=user.pk).exists()


def test_it_asks_staff_for_the_code_and_gives_a_new_session_id(client: Any, demo: Any) -> None:
    user = User.objects.get(username="najran.admin")
    secret = give_totp(user)
    client.get("/accounts/login/")
    session = client.session
    session["visited"] = True  # a session that exists before sign-in
    session.save()
    before = session.session_key
    response = _password(client, next_url="/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in until the code

    page = client.get("/accounts/2fa/authenticate/")
    assert "التحقق بخطوتين" in page.text
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "12345x"})
    assert wrong.status_code == 200
    assert "code" in wrong.text
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    after = _session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert UserSession.objects.filter(user=user, session_key=after).exists()
    entry = AuditEntry.objects.filter(action="accounts.user.signed_in", object_id=user.pk).get()
    assert entry.data["method"] == "password"


def test_it_refuses_a_used_totp_code(client: Any, demo: Any) -> None:
    secret = give_totp(User.objects.get(username="najran.admin"))
    code = totp_code(secret)
    _password(client)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    other = Client()
    _password(other)
    # The same code a second time within its 30 seconds: refused (replay).
    assert other.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert other.get("/admin/").status_code == 302


def test_it_routes_the_admin_sign_in_through_ours(client: Any, demo: Any) -> None:
    response = client.get("/admin/login/?next=/admin/catalogue/service/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fcatalogue%2Fservice%2F"
    # The admin's own form is gone: posting a password to it signs no one in.
    client.post("/admin/login/", {"username": "najran.admin", "password": DEMO_PASSWORD})
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_it_signs_out_a_staff_session_that_never_proved_the_second_factor(
    client: Any, demo: Any
) -> None:
    user = User.objects.get(username="najran.admin")
    give_totp(user)
    client.force_login(user)  # a session from before TOTP, or made another way
    key = _session_key(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_it_ends_a_staff_session_after_30_minutes_idle(
    client: Any, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = User.objects.get(username="najran.admin")
    sign_in_staff(client, user)
    clock = [1_800_000_000.0]
    monkeypatch.setattr(middleware, "_now", lambda: clock[0])
    assert client.get("/admin/").status_code == 200
    key = _session_key(client)

    clock[0] += 29 * 60  # active again within the limit: still signed in, and the clock restarts
    assert client.get("/admin/").status_code == 200
    clock[0] += 29 * 60
    assert client.get("/admin/").status_code == 200

    clock[0] += 30 * 60 + 1
    response = client.get("/admin/catalogue/service/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/catalogue/service/"
    assert not Session.objects.filter(session_key=key).exists()
    entry = AuditEntry.objects.filter(action="accounts.user.signed_out", object_id=user.pk).get()
    assert entry.data["reason"] == "idle"
    # The old cookie is worth nothing now.
    stale = Client()
    stale.cookies["sessionid"] = key
    assert stale.get("/admin/").status_code == 302


def test_it_keeps_a_citizen_session_past_30_minutes(
    client: Any, amina: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(amina)
    clock = [1_800_000_000.0]
    monkeypatch.setattr(middleware, "_now", lambda: clock[0])
    client.get("/ajman/")
    clock[0] += 45 * 60
    assert client.get("/accounts/home/").wsgi_request.user == amina


def test_it_deletes_the_session_on_sign_out(client: Any, demo: Any) -> None:
    sign_in_staff(client, User.objects.get(username="najran.admin"))
    key = _session_key(client)
    assert (
        client.get("/accounts/logout/").status_code == 200
    )  # a confirmation page, no GET sign-out
    assert Session.objects.filter(session_key=key).exists()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/admin/").status_code == 302


def test_it_ends_every_session_of_a_disabled_account(client: Any, demo: Any, amina: Any) -> None:
    phone, laptop = Client(), Client()
    phone.force_login(amina)
    laptop.post("/accounts/login/", {"login": "amina", "password": "persona-pass-1"})
    keys = {_session_key(phone), _session_key(laptop)}
    assert Session.objects.filter(session_key__in=keys).count() == 2

    # An administrator unticks "active" in the admin.
    admin_user = User.objects.get(username="admin")
    sign_in_staff(client, admin_user)
    form = client.get(f"/admin/accounts/user/{amina.pk}/change/")
    assert form.status_code == 200
    data = {
        "username": "amina", "display_name": amina.display_name, "first_name": "", "last_name": "",
        "email": "", "name_parts_ar": "[]", "name_parts_en": "[]", "phone": amina.phone,
        "language": "ar", "national_id": "", "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00", "initial-date_joined_0": "2025-01-01",
        "initial-date_joined_1": "00:00:00",
        "staff_roles-TOTAL_FORMS": "0", "staff_roles-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(f"/admin/accounts/user/{amina.pk}/change/", data)
    assert response.status_code == 302, response.content[:3000]
    amina.refresh_from_db()
    assert not amina.is_active
    assert Session.objects.filter(session_key__in=keys).count() == 0
    assert not UserSession.objects.filter(user=amina).exists()
    assert phone.get("/accounts/home/").wsgi_request.user.is_anonymous
    assert AuditEntry.objects.filter(
        action="accounts.user.sessions_ended", object_id=amina.pk
    ).exists()


@pytest.mark.parametrize(
    "path",
    ["/accounts/2fa/", "/accounts/2fa/totp/deactivate/", "/accounts/email/",
     "/accounts/password/reset/", "/accounts/3rdparty/", "/accounts/sessions/",
     "/accounts/password/reset/done/", "/accounts/password/reset/key/1-abc/",
     "/accounts/password/reset/key/done/", "/accounts/confirm-email/",
     "/accounts/confirm-email/some-key/"],
)  # fmt: skip
def test_it_does_not_offer_allauth_s_other_self_service_pages(
    client: Any, demo: Any, path: str
) -> None:
    sign_in_staff(client, User.objects.get(username="najran.admin"))
    assert client.get(path).status_code == 404
