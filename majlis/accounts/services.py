"""Writes about people: guests, sign-in records, national SSO profiles, sessions, the stand-in
register.

Every change here writes an audit entry (house style, habit 4). None of them ever receives a
password, a code or a token: only the facts of what happened.
"""

import datetime
import hashlib
import logging
import secrets
import uuid
from importlib import import_module
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from majlis.accounts.models import ApiToken, StandInIdentity, User
from majlis.accounts.sso.claims import Person
from majlis.core.services import audit_record

logger = logging.getLogger("majlis.security")


def guest_get_or_create(*, phone: str) -> User:
    """The guest identity of a verified mobile number: it owns what that number started."""
    existing = User.objects.filter(phone=phone, is_guest=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            user = User(username=f"guest-{secrets.token_hex(8)}", phone=phone, is_guest=True)
            user.set_unusable_password()
            user.save()
            audit_record(action="accounts.user.guest_created", obj=user, actor=user)
            return user
    except IntegrityError:  # the same number verified twice at once: the other request won
        return User.objects.get(phone=phone, is_guest=True)


@transaction.atomic
def user_signed_in(
    *, user: User, request: HttpRequest | None, method: str, provider: str = ""
) -> None:
    """Record a completed sign-in (after every factor)."""
    audit_record(
        action="accounts.user.signed_in",
        obj=user,
        actor=user,
        request=request,
        data={"method": method, "provider": provider},
    )
    logger.info("sign-in: user=%s method=%s provider=%s", user.pk, method, provider or "-")


@transaction.atomic
def user_signed_out(*, user: User, request: HttpRequest | None, reason: str = "sign_out") -> None:
    audit_record(
        action="accounts.user.signed_out", obj=user, actor=user, request=request,
        data={"reason": reason},
    )  # fmt: skip
    logger.info("sign-out: user=%s reason=%s", user.pk, reason)


def _holder_of_phone(phone: str, user: User) -> bool:
    return User.objects.filter(phone=phone).exclude(pk=user.pk).exists()


@transaction.atomic
def user_sso_profile_apply(
    *,
    user: User,
    person: Person,
    provider: str,
    issuer: str,
    linked: bool,
    request: HttpRequest | None,
) -> User:
    """Keep what national SSO says about the person: names, national ID, phone and e-mail.

    The phone and e-mail are marked as coming from SSO so that later forms prefill and lock them.
    A phone that already belongs to another account is not taken over (the unique number is how
    the guest-by-SMS sign-in finds a person); the audit entry says so.
    """
    fields: list[str] = []
    values: dict[str, Any] = {
        "display_name": person.display_name[:200],
        "name_parts_ar": person.name_parts_ar,
        "name_parts_en": person.name_parts_en,
        "national_id": person.national_id,
    }
    if person.name_parts_en:
        values["first_name"] = person.name_parts_en[0][:150]
        values["last_name"] = person.name_parts_en[-1][:150]
    phone_conflict = bool(person.phone) and _holder_of_phone(person.phone, user)
    if person.phone and not phone_conflict:
        values.update(phone=person.phone, phone_from_sso=True)
    if person.email:
        values.update(email=person.email, email_from_sso=True)
    for name, value in values.items():
        if value and getattr(user, name) != value:
            setattr(user, name, value)
            fields.append(name)
    if fields:
        user.save(update_fields=fields)
    if linked or fields:
        audit_record(
            action="accounts.user.sso_linked" if linked else "accounts.user.sso_profile_updated",
            obj=user,
            actor=user,
            request=request,
            # Which fields changed, never their values: the national ID stays out of the log.
            data={"provider": provider, "issuer": issuer, "fields": sorted(fields),
                  "phone_conflict": phone_conflict},
        )  # fmt: skip
    return user


@transaction.atomic
def sso_sign_in_rejected(*, provider: str, error: str, reason: str, request: HttpRequest) -> None:
    """A national SSO response was refused (bad state, token, nonce, issuer…)."""
    audit_record(
        action="accounts.sso.rejected",
        request=request,
        data={"provider": provider, "error": error, "reason": reason},
        actor_label="anonymous",
    )
    logger.warning("national SSO rejected: provider=%s error=%s reason=%s", provider, error, reason)


@transaction.atomic
def mfa_totp_enabled(*, user: User, request: HttpRequest | None) -> None:
    audit_record(action="accounts.mfa.totp_enabled", obj=user, actor=user, request=request)
    logger.info("TOTP enabled: user=%s", user.pk)


@transaction.atomic
def mfa_totp_disabled(*, user: User, request: HttpRequest | None) -> None:
    audit_record(action="accounts.mfa.totp_disabled", obj=user, actor=user, request=request)
    logger.info("TOTP disabled: user=%s", user.pk)


@transaction.atomic
def mfa_totp_reset(*, user: User, request: HttpRequest | None) -> None:
    """An administrator removes a staff member's TOTP (a lost phone); they set it up again."""
    deleted, _rows = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    if deleted:
        audit_record(action="accounts.mfa.totp_reset", obj=user, request=request)
        user_sessions_end(user=user, reason="two_factor_reset")


def _session_keys_of(user: User) -> set[str]:
    """Every stored session of the user: the index allauth.usersessions keeps at sign-in, and,
    on the database backend, a scan for sessions made another way (force_login, a shell)."""
    keys = set(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                keys.add(session.session_key)
    return keys


@transaction.atomic
def user_sessions_end(*, user: User, reason: str) -> int:
    """Delete every server-side session of the user; returns how many there were."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = _session_keys_of(user)
    for key in keys:
        store().delete(key)
    UserSession.objects.filter(user_id=user.pk).delete()
    if keys:
        audit_record(
            action="accounts.user.sessions_ended",
            obj=user,
            data={"count": len(keys), "reason": reason},
        )
    return len(keys)


@transaction.atomic
def user_deactivate(*, user: User, request: HttpRequest | None = None) -> User:
    """Disable an account: it can no longer sign in, and its open sessions end now."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])  # the post_save receiver ends the sessions
        audit_record(action="accounts.user.deactivated", obj=user, request=request)
    return user


@transaction.atomic
def standin_identity_put(
    *,
    national_id: str,
    name_parts_ar: list[str],
    name_parts_en: list[str],
    phone: str,
    email: str,
    pin: str,
) -> StandInIdentity:
    """Create or refresh a citizen of the stand-in national SSO (demo data, tests).

    The subject is derived from the national ID, so it stays the same across reinstalls, as a
    real provider's does; the PIN is set only when the identity is new.
    """
    identity = (
        StandInIdentity.objects.select_related("user").filter(national_id=national_id).first()
    )
    if identity is None:
        user = User(username=f"standin-{national_id}", is_active=True)
        user.set_unusable_password()
        user.save()
        identity = StandInIdentity(
            user=user,
            national_id=national_id,
            subject=uuid.uuid5(uuid.NAMESPACE_URL, f"majlis-standin:{national_id}").hex,
            pin_hash=make_password(pin),
        )
    identity.name_parts_ar = name_parts_ar
    identity.name_parts_en = name_parts_en
    identity.phone = phone
    identity.email = email
    identity.save()
    user = identity.user
    user.display_name = " ".join(name_parts_en)
    user.save(update_fields=["display_name"])
    return identity


def account_register(
    *, username: str, display_name: str, phone: str, password_hash: str
) -> User | None:
    """Create a citizen's account once its mobile number is proven; None when the username or
    the number already belongs to an account (told to the person who proved the number only)."""
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username, display_name=display_name, phone=phone, password=password_hash
            )
            audit_record(action="accounts.user.registered", obj=user, actor=user)
            return user
    except IntegrityError:
        return None


def account_password_reset(*, user: User, password: str) -> None:
    """A new password for an account whose number was just proven; every session ends."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(action="accounts.user.password_reset", obj=user, actor=user)
    user_sessions_end(user=user, reason="password_reset")


API_TOKEN_LIFETIME = datetime.timedelta(days=30)


def api_token_issue(*, user: User, request: HttpRequest | None = None) -> str:
    """A new bearer token for the mobile API; the raw value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_digest=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + API_TOKEN_LIFETIME,
    )
    audit_record(action="accounts.api_token.issued", obj=user, actor=user, request=request)
    return raw


def api_token_revoke(*, raw: str, request: HttpRequest | None = None) -> None:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    for token in ApiToken.objects.filter(key_digest=digest).select_related("user"):
        audit_record(action="accounts.api_token.revoked", obj=token.user, actor=token.user,
                     request=request)  # fmt: skip
        token.delete()
