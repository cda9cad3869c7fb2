"""What every "code by SMS" journey shares (guest sign-in, sign-up, password reset): sending a
code on behalf of a form, the OTP screen, checking a code, sending it again, and the words for
each refusal."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from majlis.accounts import otp
from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm
from majlis.accounts.models import OtpChallenge
from majlis.core.client import client_address
from majlis.core.phone import mask_phone
from majlis.core.ratelimit import RateLimiterUnavailable

# The OTP screen of one journey, given the pending state, the code form, a status and a problem.
CodePage = Callable[..., HttpResponse]


def safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("portal:catalogue:home")


def error_text(error: otp.OtpError) -> str:
    return otp.otp_error_text(error)


def status_of(error: otp.OtpError) -> int:
    return otp.otp_error_status(error)


def busy() -> str:
    return _("The service is busy. Please try again in a minute.")


def session_key(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()
    return str(request.session.session_key)


def send_code(
    request: HttpRequest, phone: str, purpose: OtpPurpose, *, deliver: bool = True
) -> OtpChallenge:
    return otp.otp_send(
        phone=phone,
        purpose=purpose,
        session_key=session_key(request),
        client_address=client_address(request),
        language=request.LANGUAGE_CODE,
        deliver=deliver,
    )


def send_for_form(
    request: HttpRequest, form: Any, phone: str, purpose: OtpPurpose, *, deliver: bool = True
) -> tuple[OtpChallenge | None, int]:
    """Send a code for a submitted form; on refusal put the reason on the form (next to the
    mobile field) and return the HTTP status to answer with."""
    try:
        return send_code(request, phone, purpose, deliver=deliver), 200
    except otp.OtpError as error:
        form.add_error("mobile", error_text(error))
        return None, status_of(error)
    except RateLimiterUnavailable:
        form.add_error(None, busy())
        return None, 503


def code_page(
    request: HttpRequest,
    pending: dict[str, Any],
    form: CodeForm,
    *,
    urls: tuple[str, str, str],
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    """The OTP screen: the masked number, the countdown, the code form, "Send it again" and
    Cancel (`urls`: code, resend, cancel)."""
    challenge = OtpChallenge.objects.filter(pk=pending["id"]).first()
    code_url, resend_url, cancel_url = urls
    context = {
        "form": form,
        "masked_phone": mask_phone(pending["phone"]),
        "expires_at": challenge.expires_at if challenge else None,
        "resend_at": challenge.created_at + otp.RESEND_COOLDOWN if challenge else None,
        "lifetime_seconds": int(otp.CODE_LIFETIME.total_seconds()),
        "problem": problem,
        "code_url": code_url,
        "resend_url": resend_url,
        "cancel_url": cancel_url,
    }
    return render(request, "accounts/portal/code.html", context, status=status)


def check_code(
    request: HttpRequest, pending: dict[str, Any], page: CodePage
) -> HttpResponse | None:
    """None when the posted code is right; otherwise the OTP screen with the reason."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return page(request, pending, form, status=400)
    try:
        otp.otp_verify(
            challenge_id=pending["id"], code=form.cleaned_data["code"],
            session_key=session_key(request),
        )  # fmt: skip
    except otp.OtpError as error:
        form.add_error("code", error_text(error))
        return page(request, pending, form, status=status_of(error))
    except RateLimiterUnavailable:
        return page(request, pending, form, status=503, problem=busy())
    return None


def code_step(
    request: HttpRequest, key: str, page: CodePage, *, start: str
) -> dict[str, Any] | HttpResponse:
    """The OTP screen of the journey pending in the session under `key`: on GET the screen, on
    POST a refusal, or — the code being right — the pending state, taken out of the session.
    Without a pending journey it goes back to `start`."""
    pending = request.session.get(key)
    if not isinstance(pending, dict):
        return redirect(start)
    if request.method == "GET":
        return page(request, pending, CodeForm())
    problem = check_code(request, pending, page)
    if problem is not None:
        return problem
    del request.session[key]
    return pending


def resend_code(
    request: HttpRequest,
    key: str,
    purpose: OtpPurpose,
    page: CodePage,
    *,
    start: str,
    code_route: str,
) -> HttpResponse:
    """ "Send it again": a new code for the pending journey stored in the session under `key`."""
    pending = request.session.get(key)
    if not isinstance(pending, dict):
        return redirect(start)
    try:
        challenge = send_code(
            request, pending["phone"], purpose, deliver=pending.get("deliver", True)
        )
    except otp.OtpError as error:
        return page(
            request, pending, CodeForm(), status=status_of(error), problem=error_text(error)
        )
    except RateLimiterUnavailable:
        return page(request, pending, CodeForm(), status=503, problem=busy())
    request.session[key] = {**pending, "id": challenge.pk}
    return redirect(code_route)
