"""Continue as a guest: a mobile number, then the code sent to it by SMS (the Qareeb screens)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from majlis.accounts import otp
from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm, MobileForm
from majlis.accounts.models import OtpChallenge
from majlis.accounts.services import guest_get_or_create
from majlis.core.client import client_address
from majlis.core.phone import mask_phone
from majlis.core.ratelimit import RateLimiterUnavailable

SESSION_KEY = "guest_otp"


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("portal:catalogue:home")


def _error_text(error: otp.OtpError) -> str:
    if isinstance(error, otp.OtpCooldown):
        return ngettext(
            "You can ask for a new code in %(seconds)d second.",
            "You can ask for a new code in %(seconds)d seconds.",
            error.seconds,
        ) % {"seconds": error.seconds}
    if isinstance(error, otp.OtpWrong):
        return ngettext(
            "The code is not correct. You have %(tries)d try left.",
            "The code is not correct. You have %(tries)d tries left.",
            error.tries_left,
        ) % {"tries": error.tries_left}
    messages = {
        "rate_limited": _("Too many codes were sent to this number or from this device. "
                          "Please try again later."),
        "locked": _("This number is locked for 24 hours after too many wrong codes."),
        "expired": _("This code has expired or a newer one was sent. Ask for a new code."),
        "exhausted": _("Too many wrong tries for this code. Ask for a new code."),
    }  # fmt: skip
    return messages.get(error.code, _("The code could not be checked. Please try again."))


_STATUS = {"rate_limited": 429, "locked": 429, "cooldown": 429}


def _busy() -> str:
    return _("The service is busy. Please try again in a minute.")


def _session_key(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()
    return str(request.session.session_key)


def _send(request: HttpRequest, phone: str) -> OtpChallenge:
    return otp.otp_send(
        phone=phone,
        purpose=OtpPurpose.GUEST_SIGN_IN,
        session_key=_session_key(request),
        client_address=client_address(request),
        language=request.LANGUAGE_CODE,
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = MobileForm(request.POST or None, region=settings.PHONE_REGION)
    status = 200
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["mobile"]
        try:
            challenge = _send(request, phone)
        except otp.OtpError as error:
            form.add_error("mobile", _error_text(error))
            status = _STATUS.get(error.code, 400)
        except RateLimiterUnavailable:
            form.add_error(None, _busy())
            status = 503
        else:
            request.session[SESSION_KEY] = {"id": challenge.pk, "phone": phone, "next": next_url}
            return redirect("accounts:guest_code")
    elif request.method == "POST":
        status = 400
    return render(
        request, "accounts/portal/guest_start.html", {"form": form, "next": next_url}, status=status
    )


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(SESSION_KEY)
    return pending if isinstance(pending, dict) else None


def code_page(
    request: HttpRequest,
    pending: dict[str, Any],
    form: CodeForm,
    *,
    urls: tuple[str, str, str],
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    """The OTP screen every code flow shares (guest, sign-up, password reset): the masked
    number, the countdown, the code form, "Send it again" and Cancel (`urls`: code, resend,
    cancel)."""
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


def _code_page(
    request: HttpRequest,
    pending: dict[str, Any],
    form: CodeForm,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    urls = (
        reverse("accounts:guest_code"),
        reverse("accounts:guest_resend"),
        reverse("accounts:guest_cancel"),
    )
    return code_page(request, pending, form, urls=urls, status=status, problem=problem)


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:guest_start")
    form = CodeForm(request.POST or None)
    if request.method == "GET":
        return _code_page(request, pending, form)
    if not form.is_valid():
        return _code_page(request, pending, form, status=400)
    try:
        otp.otp_verify(
            challenge_id=pending["id"], code=form.cleaned_data["code"],
            session_key=_session_key(request),
        )  # fmt: skip
    except otp.OtpError as error:
        form.add_error("code", _error_text(error))
        return _code_page(request, pending, form, status=_STATUS.get(error.code, 400))
    except RateLimiterUnavailable:
        form.add_error(None, _busy())
        return _code_page(request, pending, form, status=503)
    user = guest_get_or_create(phone=pending["phone"])
    del request.session[SESSION_KEY]
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(pending["next"])


@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:guest_start")
    form = CodeForm()
    try:
        challenge = _send(request, pending["phone"])
    except otp.OtpError as error:
        status = _STATUS.get(error.code, 400)
        return _code_page(request, pending, form, status=status, problem=_error_text(error))
    except RateLimiterUnavailable:
        return _code_page(request, pending, form, status=503, problem=_busy())
    request.session[SESSION_KEY] = {**pending, "id": challenge.pk}
    return redirect("accounts:guest_code")


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    request.session.pop(SESSION_KEY, None)
    return redirect(pending["next"] if pending else reverse("portal:catalogue:home"))
