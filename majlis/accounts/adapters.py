"""How allauth fits Majlis: who may sign up, the client address, what SSO claims become.

allauth calls these; each write goes through majlis.accounts.services.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.http import HttpRequest

from majlis.accounts import services
from majlis.accounts.models import User
from majlis.accounts.sso.claims import Person, person_from_claims
from majlis.core.client import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Citizens arrive through national SSO (or as guests by SMS code); staff accounts are
        # made by administrators. There is no open sign-up form.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # X-Forwarded-For only from trusted proxies (majlis.core.client), for rate limits too.
        # A placeholder address for rate limiting, not an address to bind to.
        return client_address(request) or "0.0.0.0"  # noqa: S104  # nosec B104


def _person(sociallogin: SocialLogin) -> Person:
    data = sociallogin.account.extra_data or {}
    claims = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    app = sociallogin.provider.app
    return person_from_claims(claims, (app.settings or {}).get("claims"))


def _issuer(sociallogin: SocialLogin) -> str:
    return str((sociallogin.account.extra_data or {}).get("id_token", {}).get("iss", ""))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def populate_user(
        self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]
    ) -> Any:
        # allauth would copy `name`, `given_name`… and the e-mail; the mapping is ours.
        user = super().populate_user(request, sociallogin, {"email": data.get("email")})
        user.set_unusable_password()
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        services.user_sso_profile_apply(
            user=user, person=_person(sociallogin), provider=sociallogin.account.provider,
            issuer=_issuer(sociallogin), linked=True, request=request,
        )  # fmt: skip
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if not sociallogin.is_existing:
            # The same (issuer, subject) through another app of the same issuer is the same
            # person: link this app to that account instead of making a second one.
            known = (
                SocialAccount.objects.filter(uid=sociallogin.account.uid)
                .select_related("user")
                .first()
            )
            if known is not None:
                sociallogin.connect(request, known.user)
        if sociallogin.is_existing and isinstance(sociallogin.user, User):
            services.user_sso_profile_apply(
                user=sociallogin.user, person=_person(sociallogin),
                provider=sociallogin.account.provider, issuer=_issuer(sociallogin),
                linked=False, request=request,
            )  # fmt: skip

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        # The exception's text can quote the provider's reply; only its class is recorded.
        services.sso_sign_in_rejected(
            provider=getattr(getattr(provider, "app", None), "provider_id", "") or str(provider),
            error=str(error or ""),
            reason=_reason(exception),
            request=request,
        )


def _reason(exception: BaseException | None) -> str:
    if exception is None:
        return "state"
    # Our own OAuth2Error messages are fixed phrases without data; others are named only.
    message = str(exception) if type(exception).__module__.startswith("allauth") else ""
    if message.startswith("Error retrieving access token"):
        message = "token request refused"
    return f"{type(exception).__name__}: {message}"[:200]
