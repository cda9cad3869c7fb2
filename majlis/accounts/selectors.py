"""Reads about people: which authorities a staff member works for, which national sign-on
services exist, whether a user has two-factor set up."""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from majlis.accounts.choices import Role
from majlis.accounts.models import ApiToken, StaffRole, StandInIdentity

_TOKEN_TOUCH = datetime.timedelta(minutes=5)
_SSO_ORIGINS_KEY = "accounts:sso-form-action-origins"
# Checked against when no identity matches, so a wrong national ID costs as much as a wrong PIN.
_DUMMY_PIN_HASH = make_password("not-a-pin")


def staff_authority_ids(
    user: AbstractBaseUser | AnonymousUser, *, roles: tuple[Role, ...] | None = None
) -> set[int]:
    """Ids of the authorities where the user holds a role (any role, or one of `roles`)."""
    if not user.is_authenticated:
        return set()
    rows = StaffRole.objects.filter(user_id=user.pk)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return set(rows.values_list("authority_id", flat=True))


@dataclass(frozen=True)
class SsoProvider:
    """A national sign-on service as pages show it: "UAE PASS", "النفاذ الوطني" / "Nafath"."""

    provider_id: str
    name_ar: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_ar if translation.get_language() == "ar" else self.name_en

    @property
    def login_url(self) -> str:
        return reverse("openid_connect_login", kwargs={"provider_id": self.provider_id})


def _sso_provider(app: SocialApp) -> SsoProvider:
    settings = app.settings or {}
    return SsoProvider(
        provider_id=app.provider_id,
        name_ar=str(settings.get("name_ar") or app.name),
        name_en=str(settings.get("name_en") or app.name),
    )


def sso_provider_list() -> list[SsoProvider]:
    """The national sign-on services configured on this deployment (SocialApps of OIDC)."""
    apps = SocialApp.objects.filter(provider="openid_connect").exclude(provider_id="")
    return [_sso_provider(app) for app in apps.order_by("provider_id")]


def sso_provider_get(*, provider_id: str) -> SsoProvider | None:
    """One configured national sign-on service, by the id an authority names it with."""
    if not provider_id:
        return None
    app = SocialApp.objects.filter(provider="openid_connect", provider_id=provider_id).first()
    return _sso_provider(app) if app is not None else None


def user_has_totp(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def standin_identity_authenticate(*, national_id: str, pin: str) -> StandInIdentity | None:
    """The stand-in citizen with this national ID and PIN, or None (same work either way)."""
    identity = (
        StandInIdentity.objects.select_related("user").filter(national_id=national_id).first()
    )
    encoded = identity.pin_hash if identity is not None else _DUMMY_PIN_HASH
    matches = check_password(pin, encoded)
    if identity is None or not matches or not identity.user.is_active:
        return None
    return identity


def sso_form_action_origins() -> list[str]:
    """Origins of the configured national SSO services (scheme://host[:port]).

    A sign-in button posts to our own /accounts/oidc/…/login/, which redirects to the provider;
    browsers hold that redirect to the page's CSP form-action, so these origins join it. Kept in
    the cache for a minute: every HTML response asks.
    """
    origins = cache.get(_SSO_ORIGINS_KEY)
    if origins is None:
        origins = []
        for app in SocialApp.objects.filter(provider="openid_connect").exclude(provider_id=""):
            parts = urlsplit(str((app.settings or {}).get("server_url", "")))
            if parts.scheme in {"https", "http"} and parts.netloc:
                origins.append(f"{parts.scheme}://{parts.netloc}")
        origins = sorted(set(origins))
        cache.set(_SSO_ORIGINS_KEY, origins, 60)
    return list(origins)


def api_token_user(*, raw: str) -> Any:
    """The active user of a live bearer token, or None."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_digest=digest, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or timezone.now() - token.last_used_at > _TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def session_second_factor_proven(session: Any) -> bool:
    """Did this session prove a second factor (TOTP) at sign-in? Staff pages and the staff side
    of call sockets require it."""
    from majlis.accounts.signals import TOTP_PROVEN_KEY

    if session.get(TOTP_PROVEN_KEY):
        return True
    methods = session.get("account_authentication_methods", [])
    return any(isinstance(m, dict) and m.get("method") == "mfa" for m in methods)
