"""Signing in from the mobile app: a code by SMS to the mobile number, then a bearer token.

The code is bound to the `attempt` value that the first call returns (as a browser's code is
bound to its session), so a code read off someone else's phone is useless without it.
"""

import secrets
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from majlis.accounts import otp
from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm, MobileForm
from majlis.accounts.models import OtpChallenge
from majlis.accounts.services import api_token_issue, api_token_revoke, guest_get_or_create
from majlis.api.common import BearerToken, ErrorOut, form_errors, problem
from majlis.catalogue.models import Authority
from majlis.core.client import client_address
from majlis.core.ratelimit import RateLimiterUnavailable

router = Router(tags=["sign-in"])


class CodeIn(Schema):
    mobile: str
    authority: str = ""


class CodeOut(Schema):
    attempt: str
    expires_in: int
    resend_in: int


class TokenIn(Schema):
    attempt: str
    code: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105  (the scheme name, not a secret)
    expires_in: int


def _otp_problem(error: Exception) -> tuple[int, dict[str, Any]]:
    if isinstance(error, otp.OtpError):
        return otp.otp_error_status(error), problem(otp.otp_error_text(error))
    return 503, problem(_("The service is busy. Please try again in a minute."))


@router.post(
    "/code", response={202: CodeOut, 400: ErrorOut, 429: ErrorOut, 503: ErrorOut}, auth=None
)
def send_code(request: HttpRequest, data: CodeIn) -> Status[Any]:
    """Send a sign-in code by SMS. Keep `attempt` for `/auth/token`."""
    authority = Authority.objects.filter(slug=data.authority, is_active=True).first()
    region = authority.phone_region if authority else "AE"
    form = MobileForm({"mobile": data.mobile}, region=region)
    if not form.is_valid():
        return Status(400, form_errors(form))
    attempt = secrets.token_urlsafe(24)
    try:
        otp.otp_send(
            phone=form.cleaned_data["mobile"], purpose=OtpPurpose.GUEST_SIGN_IN,
            session_key=attempt, client_address=client_address(request),
            language=request.LANGUAGE_CODE,
        )  # fmt: skip
    except (otp.OtpError, RateLimiterUnavailable) as error:
        return Status(*_otp_problem(error))
    lifetime = int(otp.CODE_LIFETIME.total_seconds())
    resend = int(otp.RESEND_COOLDOWN.total_seconds())
    return Status(202, {"attempt": attempt, "expires_in": lifetime, "resend_in": resend})


@router.post(
    "/token", response={200: TokenOut, 400: ErrorOut, 429: ErrorOut, 503: ErrorOut}, auth=None
)
def token(request: HttpRequest, data: TokenIn) -> Status[Any]:
    """Exchange the SMS code for a bearer token (valid 30 days)."""
    form = CodeForm({"code": data.code})
    if not form.is_valid():
        return Status(400, form_errors(form))
    challenge = (
        OtpChallenge.objects.filter(session_hash=otp.session_fingerprint(data.attempt))
        .order_by("-created_at")
        .first()
    )
    try:
        if challenge is None:
            raise otp.OtpExpired
        otp.otp_verify(
            challenge_id=challenge.pk, code=form.cleaned_data["code"], session_key=data.attempt
        )
    except (otp.OtpError, RateLimiterUnavailable) as error:
        return Status(*_otp_problem(error))
    user = guest_get_or_create(phone=challenge.phone)
    from majlis.accounts.services import API_TOKEN_LIFETIME

    raw = api_token_issue(user=user, request=request)
    return Status(200, {"token": raw, "expires_in": int(API_TOKEN_LIFETIME.total_seconds())})


@router.delete("/token", response={204: None}, auth=BearerToken())
def sign_out(request: HttpRequest) -> Status[None]:
    """End this token (sign out of the app)."""
    header = request.headers.get("Authorization", "")
    api_token_revoke(raw=header.partition(" ")[2].strip(), request=request)
    return Status(204, None)
