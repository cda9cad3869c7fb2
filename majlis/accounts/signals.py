"""Receivers: allauth's and Django's events about people, turned into audit entries and session
changes through the services. Connected in AccountsConfig.ready()."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from majlis.accounts import services
from majlis.accounts.models import User

# Set in the session when TOTP was set up in it (TotpSetupView): the code entered to confirm the
# new authenticator proves the second factor for this session as a sign-in code would.
TOTP_PROVEN_KEY = "majlis_totp_proven"


def on_user_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        services.user_signed_in(
            user=user, request=request, method="sso", provider=sociallogin.account.provider
        )
    else:
        services.user_signed_in(user=user, request=request, method="password")


def on_user_logged_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if isinstance(user, User):
        reason = getattr(request, "majlis_signout_reason", "sign_out")
        services.user_signed_out(user=user, request=request, reason=reason)


def on_authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        services.mfa_totp_enabled(user=user, request=request)


def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        services.mfa_totp_disabled(user=user, request=request)
        request.session.pop(TOTP_PROVEN_KEY, None)


def on_user_saved(
    sender: Any, instance: User, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    # Disabling an account, by any route (the admin's checkbox, a service, a shell), ends its
    # sessions at once rather than at their next request.
    if update_fields is not None and "is_active" not in update_fields:
        return
    if not created and not instance.is_active:
        services.user_sessions_end(user=instance, reason="deactivated")
