"""National SSO through the front door: the portal as OpenID client, the stand-in as provider.

Every S12 attack (QUALITY.md) is played against the full flow: tampered state, replayed code,
wrong nonce / aud / iss, an expired token, alg=none, the same subject from another issuer.
"""

import logging
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp

from majlis.accounts.demo import CITIZENS, STANDIN_PIN, sso_demo_load
from majlis.accounts.models import User
from majlis.accounts.tests.oidc_wire import OtherProvider, Wire, resign
from majlis.core.models import AuditEntry

ISSUER = "http://testserver/sso-demo"
AISHA, SAIF, FATIMAH = CITIZENS[0], CITIZENS[1], CITIZENS[2]


@pytest.fixture
def wire(demo: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Wire:
    settings.SSO_STANDIN_ISSUER = ISSUER
    sso_demo_load(issuer=ISSUER)
    the_wire = Wire()

    def session(self: Any) -> requests.Session:
        session = requests.Session()
        session.mount("http://", the_wire)
        return session

    monkeypatch.setattr(DefaultSocialAccountAdapter, "get_requests_session", session)
    return the_wire


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start(client: Any, provider: str = "uaepass", next_url: str = "/ajman/") -> str:
    """Press "Sign in with …": returns the provider's authorization URL."""
    response = client.post(f"/accounts/oidc/{provider}/login/", {"next": next_url})
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def approve(client: Any, authorize_url: str, citizen: Any = AISHA, pin: str = STANDIN_PIN) -> str:
    """At the stand-in: its sign-in page, then national ID and PIN. Returns the callback URL."""
    assert authorize_url.startswith(f"{ISSUER}/identity/o/authorize?")
    assert client.get(_path(authorize_url)).status_code == 200  # the page checker runs on it
    response = client.post(_path(authorize_url), {"national_id": citizen.national_id, "pin": pin})
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def sign_in(client: Any, provider: str = "uaepass", citizen: Any = AISHA) -> Any:
    callback = approve(client, start(client, provider), citizen)
    return client.get(_path(callback))


def _signed_in_user(client: Any) -> Any:
    return client.get("/accounts/home/").wsgi_request.user


def test_it_signs_a_citizen_in_with_uae_pass_from_start_to_finish(client: Any, wire: Wire) -> None:
    authorize_url = start(client)
    before = client.session.session_key  # the session that holds the state
    query = parse_qs(urlsplit(authorize_url).query)
    # state, nonce and PKCE (S256) are all in the request the browser carries to the provider.
    assert query["client_id"] == ["majlis-uaepass"]
    assert query["response_type"] == ["code"]
    assert len(query["state"][0]) >= 12
    assert len(query["nonce"][0]) >= 32
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0]

    callback = approve(client, authorize_url)
    assert callback.startswith("http://testserver/accounts/oidc/uaepass/login/callback/?")
    response = client.get(_path(callback))
    assert response.status_code == 302
    assert response["Location"] == "/ajman/"
    assert client.session.session_key != before  # a new session id at sign-in
    assert set(wire.calls) >= {
        "/sso-demo/.well-known/openid-configuration", "/sso-demo/.well-known/jwks.json",
        "/sso-demo/identity/o/api/token", "/sso-demo/identity/o/api/userinfo",
    }  # fmt: skip

    user = _signed_in_user(client)
    assert user.is_authenticated
    assert user.name_parts_ar == ["عائشة", "محمد", "سعيد", "الزعابي"]
    assert user.name_parts_en == ["Aisha", "Mohammed", "Saeed", "Al Zaabi"]
    assert user.display_name == "عائشة محمد سعيد الزعابي"
    assert user.national_id == AISHA.national_id
    assert (user.phone, user.phone_from_sso) == ("+971501234561", True)
    assert (user.email, user.email_from_sso) == ("aisha@example.ae", True)
    assert not user.has_usable_password()
    assert not user.is_staff
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "uaepass"
    assert account.uid == f"{ISSUER} {account.extra_data['id_token']['sub']}"
    actions = list(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert "accounts.user.sso_linked" in actions
    assert "accounts.user.signed_in" in actions

    # The Ajman pages now show her name, not the sign-in buttons.
    page = client.get("/ajman/")
    assert "عائشة محمد سعيد الزعابي" in page.text
    assert "/accounts/oidc/uaepass/login/" not in page.text

    # Signing in again is the same person, not a second account.
    client.post("/accounts/logout/")
    sign_in(client)
    assert _signed_in_user(client).pk == user.pk
    assert User.objects.filter(national_id=AISHA.national_id, standin_identity=None).count() == 1


def test_it_shows_the_sign_in_buttons_under_each_authority_s_sso_name(
    client: Any, wire: Wire
) -> None:
    from conftest import CheckedClient

    english = CheckedClient()
    english.cookies["majlis_language"] = "en"
    assert "الدخول عبر UAE PASS" in client.get("/ajman/").text
    assert "الدخول عبر النفاذ الوطني" in client.get("/najran/").text
    assert "الدخول عبر النفاذ الوطني" in client.get("/madinah/services/meet-an-official/").text
    assert "/accounts/oidc/" not in client.get("/amman/").text
    assert "Sign in with Nafath" in english.get("/najran/").text
    assert "Sign in with UAE PASS" in english.get("/accounts/login/").text


def test_it_signs_in_with_nafath_in_english(english: Any, wire: Wire) -> None:
    response = sign_in(english, "nafath", FATIMAH)
    assert response.status_code == 302
    user = _signed_in_user(english)
    assert user.name_parts_en == ["Fatimah", "Ali", "Hassan", "Al Yami"]
    assert user.phone == "+966501234561"


def test_it_links_the_same_issuer_and_subject_through_another_app_to_the_same_person(
    client: Any, wire: Wire
) -> None:
    # In the demo both apps point at the one stand-in issuer: (issuer, subject) is one identity.
    sign_in(client, "uaepass", SAIF)
    first = _signed_in_user(client)
    client.post("/accounts/logout/")
    sign_in(client, "nafath", SAIF)
    assert _signed_in_user(client).pk == first.pk
    assert set(SocialAccount.objects.filter(user=first).values_list("provider", flat=True)) == {
        "uaepass", "nafath",
    }  # fmt: skip


def _refused(client: Any, response: Any, because: str) -> None:
    """Refused with allauth's error page (401), not signed in, and refused for `because`."""
    assert response.status_code == 401, response.content[:300]
    assert "لم يكتمل تسجيل الدخول" in response.text
    assert not _signed_in_user(client).is_authenticated
    reason = AuditEntry.objects.filter(action="accounts.sso.rejected").latest("pk").data["reason"]
    assert because in reason


def test_it_refuses_a_tampered_state(client: Any, wire: Wire) -> None:
    callback = approve(client, start(client))
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
    _refused(client, client.get(f"{parts.path}?{urlencode(query)}"), "state")
    assert AuditEntry.objects.filter(action="accounts.sso.rejected").exists()
    assert not User.objects.filter(national_id=AISHA.national_id, standin_identity=None).exists()


def test_it_refuses_a_callback_in_another_browser(client: Any, wire: Wire) -> None:
    from django.test import Client

    callback = approve(client, start(client))
    thief = (
        Client()
    )  # the code and state leaked, but the state lives in the first browser's session
    response = thief.get(_path(callback))
    assert response.status_code == 401


def test_it_refuses_a_replayed_code(client: Any, wire: Wire) -> None:
    callback = approve(client, start(client))
    assert client.get(_path(callback)).status_code == 302
    client.post("/accounts/logout/")
    # The same callback again: its state was used up.
    _refused(client, client.get(_path(callback)), "state")
    # The old code with a fresh, valid state: the provider refuses the code at the token endpoint.
    old_code = parse_qs(urlsplit(callback).query)["code"][0]
    fresh = urlsplit(approve(client, start(client)))
    query = {key: values[0] for key, values in parse_qs(fresh.query).items()}
    query["code"] = old_code
    _refused(client, client.get(f"{fresh.path}?{urlencode(query)}"), "token request refused")


def test_it_refuses_a_code_exchanged_without_the_pkce_verifier(client: Any, wire: Wire) -> None:
    def drop_verifier(where: str, data: dict[str, Any]) -> dict[str, Any]:
        if where == "request /sso-demo/identity/o/api/token":
            data = {**data, "code_verifier": "x" * 43}
        return data

    wire.tamper = drop_verifier
    _refused(client, sign_in(client), "token request refused")


def _with_id_token(wire: Wire, change: Any, *, alg: str = "RS256") -> None:
    def tamper(where: str, data: dict[str, Any]) -> dict[str, Any]:
        if where == "reply /sso-demo/identity/o/api/token" and "id_token" in data:
            data = {**data, "id_token": resign(data["id_token"], change, alg=alg)}
        return data

    wire.tamper = tamper


# Each forged token is signed with the stand-in's real key: only the claims give it away.
ID_TOKEN_ATTACKS = {
    "wrong-nonce": (lambda c: {**c, "nonce": "not-the-nonce-we-sent"}, "nonce does not match"),
    "no-nonce": (lambda c: {k: v for k, v in c.items() if k != "nonce"}, "nonce does not match"),
    "wrong-aud": (lambda c: {**c, "aud": "someone-else"}, "InvalidAudienceError"),
    "extra-aud-without-azp": (lambda c: {**c, "aud": [c["aud"], "someone-else"]}, "azp"),
    "wrong-iss": (lambda c: {**c, "iss": "http://evil.test"}, "InvalidIssuerError"),
    "expired": (
        lambda c: {**c, "iat": c["iat"] - 3600, "exp": c["iat"] - 1800},
        "ExpiredSignatureError",
    ),
    "future-auth-time": (lambda c: {**c, "auth_time": c["iat"] + 3600}, "auth_time"),
    "stale-sign-in": (lambda c: {**c, "auth_time": c["iat"] - 3600}, "too old"),
    "wrong-acr": (lambda c: {**c, "acr": "urn:weak"}, "acr is not accepted"),
    "other-subject": (lambda c: {**c, "sub": "someone-else"}, "another subject"),
}


@pytest.mark.parametrize("attack", ID_TOKEN_ATTACKS)
def test_it_refuses_an_id_token_that_is_not_for_this_sign_in(
    client: Any, wire: Wire, attack: str
) -> None:
    change, because = ID_TOKEN_ATTACKS[attack]
    _with_id_token(wire, change)
    _refused(client, sign_in(client), because)


def test_it_refuses_an_unsigned_id_token(client: Any, wire: Wire) -> None:
    _with_id_token(wire, lambda c: c, alg="none")
    _refused(client, sign_in(client), "algorithm not allowed")


def test_it_refuses_an_id_token_signed_with_a_shared_secret_algorithm(
    client: Any, wire: Wire
) -> None:
    import jwt

    def tamper(where: str, data: dict[str, Any]) -> dict[str, Any]:
        if where == "reply /sso-demo/identity/o/api/token" and "id_token" in data:
            claims = jwt.decode(data["id_token"], options={"verify_signature": False})
            header = jwt.get_unverified_header(data["id_token"])
            forged = jwt.encode(claims, "a-guessable-secret-key-of-32-bytes!", algorithm="HS256",
                                headers={"kid": header["kid"]})  # fmt: skip
            data = {**data, "id_token": forged}
        return data

    wire.tamper = tamper
    _refused(client, sign_in(client), "algorithm not allowed")


def test_it_refuses_userinfo_about_someone_else(client: Any, wire: Wire) -> None:
    def tamper(where: str, data: dict[str, Any]) -> dict[str, Any]:
        if where == "reply /sso-demo/identity/o/api/userinfo":
            data = {**data, "sub": "someone-else", "national_id": SAIF.national_id}
        return data

    wire.tamper = tamper
    _refused(client, sign_in(client), "another subject")


def test_it_refuses_a_replayed_id_token(client: Any, wire: Wire) -> None:
    seen: dict[str, str] = {}

    def replay(where: str, data: dict[str, Any]) -> dict[str, Any]:
        if where == "reply /sso-demo/identity/o/api/token" and "id_token" in data:
            # The first ID token is kept and sent again in place of the second one.
            data = {**data, "id_token": seen.setdefault("id_token", data["id_token"])}
        return data

    wire.tamper = replay
    assert sign_in(client).status_code == 302
    client.post("/accounts/logout/")
    # The nonce check catches it first (the old token carries the old nonce); a token replayed
    # with the same jti would meet allauth's jti cache behind it.
    _refused(client, sign_in(client), "nonce does not match")


def test_it_keeps_the_same_subject_from_another_issuer_a_different_person(
    client: Any, wire: Wire
) -> None:
    sign_in(client, "uaepass", AISHA)
    aisha = _signed_in_user(client)
    subject = SocialAccount.objects.get(user=aisha).extra_data["id_token"]["sub"]
    client.post("/accounts/logout/")

    # Another national SSO, with its own issuer and key, says its user has the very same `sub`.
    other = OtherProvider()
    wire.other = other
    SocialApp.objects.create(
        provider="openid_connect", provider_id="otherpass", name="Other", client_id=other.client_id,
        secret="other-secret", settings={"server_url": other.issuer, "issuer": other.issuer},
    )  # fmt: skip
    authorize_url = start(client, "otherpass")
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    nonce = parse_qs(urlsplit(authorize_url).query)["nonce"][0]
    other.claims = {"sub": subject, "nonce": nonce, "name": "Mallory Example"}
    response = client.get(
        f"/accounts/oidc/otherpass/login/callback/?{urlencode({'code': 'c', 'state': state})}"
    )
    assert response.status_code == 302
    mallory = _signed_in_user(client)
    assert mallory.is_authenticated
    assert mallory.pk != aisha.pk
    assert SocialAccount.objects.get(user=mallory).uid == f"{other.issuer} {subject}"

    # And the app re-pointed at the other issuer cannot reach Aisha's account either.
    client.post("/accounts/logout/")
    app = SocialApp.objects.get(provider_id="uaepass")
    app.settings = {**app.settings, "server_url": other.issuer, "issuer": other.issuer}
    app.client_id = other.client_id
    app.save()
    authorize_url = start(client, "uaepass")
    query = parse_qs(urlsplit(authorize_url).query)
    other.claims = {"sub": subject, "nonce": query["nonce"][0]}
    client.get(
        "/accounts/oidc/uaepass/login/callback/?"
        + urlencode({"code": "c", "state": query["state"][0]})
    )
    assert _signed_in_user(client).pk != aisha.pk


def test_it_refuses_a_wrong_pin_at_the_stand_in(client: Any, wire: Wire) -> None:
    authorize_url = start(client)
    response = client.post(
        _path(authorize_url), {"national_id": AISHA.national_id, "pin": "wrong-pin"}
    )
    assert response.status_code == 200
    assert "رقم الهوية الوطنية أو الرمز السري غير صحيح" in response.text


def test_it_keeps_passwords_codes_and_tokens_out_of_the_logs(
    client: Any, wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets_seen: list[str] = [STANDIN_PIN, AISHA.national_id]
    secrets_seen += list(SocialApp.objects.values_list("secret", flat=True))

    def collect(where: str, data: dict[str, Any]) -> dict[str, Any]:
        for key in ("code", "code_verifier", "client_secret", "access_token", "id_token"):
            if data.get(key):
                secrets_seen.append(str(data[key]))
        return data

    wire.tamper = collect
    authorize_url = start(client)
    query = parse_qs(urlsplit(authorize_url).query)
    secrets_seen += [query["state"][0], query["nonce"][0]]
    callback = approve(client, authorize_url)
    secrets_seen.append(parse_qs(urlsplit(callback).query)["code"][0])
    assert client.get(_path(callback)).status_code == 302
    client.post("/accounts/logout/")
    client.get(_path(callback))  # a refused replay is logged too
    # A wrong PIN at the stand-in, and a wrong password at the portal.
    client.post(_path(start(client)), {"national_id": AISHA.national_id, "pin": "wrong-pin-123"})
    client.post("/accounts/login/", {"login": "najran.admin", "password": "wrong-password-456"})
    secrets_seen += ["wrong-pin-123", "wrong-password-456"]

    logged = caplog.text + "\n".join(str(entry.data) for entry in AuditEntry.objects.all())
    assert "national SSO rejected" in caplog.text
    assert "sign-in: user=" in caplog.text
    leaked = [value for value in secrets_seen if value and value in logged]
    assert leaked == [], [line for line in logged.splitlines() if any(v in line for v in leaked)]


def test_it_checks_id_tokens_itself_because_allauth_skips_the_signature(
    wire: Wire, rf: Any
) -> None:
    """Why NationalSsoAdapter exists: allauth's own adapter takes an ID token from the token
    endpoint without checking its signature (OpenID Connect allows that over TLS), so it would
    accept alg=none. Ours refuses it."""
    import time

    import jwt
    from allauth.socialaccount.providers.oauth2.client import OAuth2Error
    from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

    from majlis.accounts.sso.views import verify_id_token

    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "majlis-uaepass", "sub": "x", "iat": now, "exp": now + 300}
    unsigned = jwt.encode(claims, "", algorithm="none")
    stock = OpenIDConnectOAuth2Adapter(rf.get("/"), "uaepass")
    stock.did_fetch_access_token = True
    stock._openid_config = {"issuer": ISSUER, "jwks_uri": f"{ISSUER}/.well-known/jwks.json"}
    app = SocialApp.objects.get(provider_id="uaepass")
    assert stock._decode_id_token(app, unsigned)["sub"] == "x"  # allauth: accepted
    with pytest.raises(OAuth2Error, match="algorithm not allowed"):
        verify_id_token(
            unsigned, issuer=ISSUER, client_id="majlis-uaepass",
            jwks_uri=f"{ISSUER}/.well-known/jwks.json", nonce="n",
        )  # fmt: skip


def test_it_lets_the_sign_in_buttons_reach_the_provider_under_the_csp(
    client: Any, wire: Wire
) -> None:
    # The button posts to us and we redirect to the provider: form-action must allow its origin.
    from django.core.cache import cache

    app = SocialApp.objects.get(provider_id="uaepass")
    app.settings = {**app.settings, "server_url": "https://id.uaepass.example"}
    app.save()
    cache.delete("accounts:sso-form-action-origins")
    policy = client.get("/ajman/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split("; ") if d.startswith("form-action"))
    assert form_action.split() == [
        "form-action",
        "'self'",
        "http://testserver",
        "https://id.uaepass.example",
    ]
