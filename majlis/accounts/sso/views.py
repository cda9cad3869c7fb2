"""The client side of national SSO: allauth's OpenID Connect views with a stricter ID-token check.

allauth's adapter skips the ID token's signature when the token came straight from the token
endpoint (OpenID Connect allows that over TLS), never sends or checks a `nonce`, takes the issuer
from the discovery document, and prefers userinfo without comparing its subject. For national
identity none of that is enough; `verify_id_token` and `NationalSsoAdapter.complete_login` close
those gaps.
"""

import hmac
import time
from typing import Any

import jwt
import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse

# Asymmetric signatures only: never `none`, never a shared-secret HMAC keyed by a public key.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
CLOCK_SKEW = 30  # seconds allowed between our clock and the provider's


def verify_id_token(
    raw: str,
    *,
    issuer: str,
    client_id: str,
    jwks_uri: str,
    nonce: str | None,
    max_auth_age: int | None = None,
    accepted_acr: list[str] | None = None,
) -> dict[str, Any]:
    """Check an ID token as OpenID Connect Core 3.1.3.7 says, and return its claims.

    Raises OAuth2Error (which allauth turns into its sign-in error page) on any failure.
    """
    try:
        header = jwt.get_unverified_header(raw)
    except jwt.PyJWTError as error:
        raise OAuth2Error("malformed id_token") from error
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise OAuth2Error("id_token algorithm not allowed")
    try:
        algorithm, key = jwtkit.fetch_key(raw, jwks_uri, jwtkit.lookup_kid_jwk)
        claims: dict[str, Any] = jwt.decode(
            raw,
            key=key,
            algorithms=[algorithm],
            issuer=issuer,
            audience=client_id,
            leeway=CLOCK_SKEW,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except (jwt.PyJWTError, KeyError, requests.RequestException) as error:
        # The class name says what failed (InvalidAudienceError, ExpiredSignatureError…);
        # the message could quote the token, so it stays out.
        raise OAuth2Error(f"invalid id_token ({type(error).__name__})") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        raise OAuth2Error("id_token azp is not this client")
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OAuth2Error("id_token nonce does not match")
    now = time.time()
    # auth_time when the provider sends it; otherwise iat bounds how old the sign-in can be.
    auth_time = claims.get("auth_time", claims["iat"])
    if not isinstance(auth_time, (int, float)) or auth_time > now + CLOCK_SKEW:
        raise OAuth2Error("id_token auth_time is not valid")
    if max_auth_age is not None and now - auth_time > max_auth_age + CLOCK_SKEW:
        raise OAuth2Error("sign-in at the provider is too old")
    if accepted_acr and claims.get("acr") not in accepted_acr:
        raise OAuth2Error("id_token acr is not accepted")
    amr = claims.get("amr")
    if amr is not None and not (isinstance(amr, list) and all(isinstance(m, str) for m in amr)):
        raise OAuth2Error("id_token amr is malformed")
    jwtkit.verify_jti(claims)  # a replayed ID token (same iss and jti) is refused
    return claims


class NationalSsoAdapter(OpenIDConnectOAuth2Adapter):
    # The state the callback consumed (set by NationalSsoCallbackView before complete_login).
    state: dict[str, Any] | None = None

    def pinned_issuer(self, app: SocialApp) -> str:
        issuer = app.settings.get("issuer")
        if not issuer:
            raise OAuth2Error("no issuer configured for this app")
        if self.openid_config.get("issuer") != issuer:
            raise OAuth2Error("discovery document names another issuer")
        return str(issuer)

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any
    ) -> SocialLogin:
        raw = kwargs["response"].get("id_token")
        if not isinstance(raw, str) or not raw:
            raise OAuth2Error("no id_token in the token response")
        claims = verify_id_token(
            raw,
            issuer=self.pinned_issuer(app),
            client_id=app.client_id,
            jwks_uri=self.openid_config["jwks_uri"],
            nonce=(self.state or {}).get("nonce"),
            max_auth_age=app.settings.get("max_auth_age"),
            accepted_acr=app.settings.get("accepted_acr"),
        )
        userinfo: dict[str, Any] = {}
        if app.settings.get("fetch_userinfo", True):
            userinfo = self._fetch_user_info(token.token)
            # OpenID Connect Core 5.3.2: userinfo about anyone else must not be used.
            if userinfo.get("sub") != claims["sub"]:
                raise OAuth2Error("userinfo is about another subject")
        login: SocialLogin = self.get_provider().sociallogin_from_response(
            request, {"userinfo": userinfo, "id_token": claims}
        )
        return login


class NationalSsoCallbackView(OAuth2CallbackView):
    adapter: NationalSsoAdapter

    def _get_state(self, request: HttpRequest, provider: Any) -> Any:
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2LoginView.adapter_view(NationalSsoAdapter(request, provider_id))
        response: HttpResponse = view(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
    return response


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = NationalSsoCallbackView.adapter_view(NationalSsoAdapter(request, provider_id))
        response: HttpResponse = view(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
    return response
