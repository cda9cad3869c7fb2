"""allauth's OpenID Connect provider, as national SSO needs it.

Registered in place of allauth's class through SOCIALACCOUNT_PROVIDERS["openid_connect"]
["provider_class"], so every SocialApp of provider "openid_connect" uses it. Added here:
- a fresh `nonce` in every authorization request, kept in the (single-use) state;
- PKCE always on, whatever the app's settings say;
- the request's own `scope` and `auth_params` ignored (allauth lets the query string add both);
- the account's uid is "<issuer> <subject>": an identity is keyed on (issuer, subject), so the same
  `sub` from another issuer is another identity even if an app is re-pointed.
"""

import secrets
from typing import Any

from allauth.socialaccount.providers.oauth2.utils import generate_code_challenge
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest, HttpResponse

from majlis.accounts.sso.views import NationalSsoAdapter


class NationalSsoProvider(OpenIDConnectProvider):
    # allauth imports `<package>.urls` for the provider's routes: ours use NationalSsoAdapter.
    package = "majlis.accounts.sso"
    oauth2_adapter_class = NationalSsoAdapter

    def get_default_scope(self) -> list[str]:
        return ["openid", "profile", "email"]

    def get_pkce_params(self) -> dict[str, str]:
        return dict(generate_code_challenge())

    def get_redirect_from_request_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        kwargs = super().get_redirect_from_request_kwargs(request)
        kwargs["scope"] = self.get_scope()
        kwargs["auth_params"] = self.get_auth_params()
        return kwargs

    def redirect(
        self,
        request: HttpRequest,
        process: str,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        acr_values = self.app.settings.get("acr_values")
        if acr_values:
            auth_params["acr_values"] = " ".join(acr_values)
        # `nonce` rides in the stashed state, which the callback consumes exactly once.
        response: HttpResponse = super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )
        return response

    def extract_uid(self, data: dict[str, Any]) -> str:
        claims = data["id_token"]
        return f"{claims['iss']} {claims['sub']}"


provider_classes = [NationalSsoProvider]
