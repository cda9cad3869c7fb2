"""The page shell: language choice, security headers, the installable web app."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_it_opens_in_arabic_whatever_the_browser_asks(client, demo):
    response = client.get("/najran/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in response.text


def test_it_switches_to_english_in_one_click_and_remembers(client, demo):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/najran/"})
    assert response.status_code == 302
    assert response["Location"] == "/najran/"
    assert response.cookies["majlis_language"].value == "en"
    page = client.get("/madinah/")
    assert '<html lang="en" dir="ltr">' in page.text
    assert "Services" in page.text


def test_it_sends_a_strict_content_security_policy_and_safe_headers(client, demo):
    response = client.get("/najran/services/emirate-appointment/")
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.text  # no inline script anywhere


def test_it_ships_an_installable_web_app(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        response.close()
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert "/offline/" in worker.content.decode()
    assert client.get("/offline/").status_code == 200


def test_it_reports_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_it_signs_staff_in_to_the_admin(client, demo):
    from majlis.accounts.models import User
    from majlis.accounts.testing import give_totp, totp_code

    secret = give_totp(User.objects.get(username="najran.admin"))
    response = client.post(
        "/accounts/login/", {"login": "najran.admin", "password": "majlis-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "إدارة مجلس" in response.text


def test_it_shows_a_translated_error_for_a_wrong_password(client, demo):
    response = client.post("/accounts/login/", {"login": "najran.admin", "password": "nope"})
    assert response.status_code == 200
    assert "najran.admin" in response.text  # what was typed is kept
    assert 'role="alert"' in response.text
