"""Create an account (name, mobile, username, password; the mobile proven by an SMS code) and
reset a forgotten password with a code sent to the account's mobile (the Qareeb guide's
"Create an account / Change password")."""

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from majlis.accounts import otp
from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm, MobileForm, NewPasswordForm, RegisterForm
from majlis.accounts.models import OtpChallenge, User
from majlis.accounts.services import account_password_reset, account_register
from majlis.accounts.views.guest import (
    _STATUS,
    _busy,
    _error_text,
    _safe_next,
    _session_key,
    code_page,
)
from majlis.core.client import client_address
from majlis.core.ratelimit import RateLimiterUnavailable

REGISTER_KEY, RESET_KEY, RESET_PROVEN_KEY = "register_pending", "reset_pending", "reset_proven"
RESET_WINDOW_SECONDS = 600


def _send(
    request: HttpRequest, phone: str, purpose: OtpPurpose, *, deliver: bool = True
) -> OtpChallenge:
    return otp.otp_send(
        phone=phone,
        purpose=purpose,
        session_key=_session_key(request),
        client_address=client_address(request),
        language=request.LANGUAGE_CODE,
        deliver=deliver,
    )


def _code_page(
    request: HttpRequest,
    pending: dict[str, Any],
    flow: str,
    form: CodeForm,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    urls = (
        reverse(f"accounts:{flow}_code"),
        reverse(f"accounts:{flow}_resend"),
        reverse("accounts:login"),
    )
    return code_page(request, pending, form, urls=urls, status=status, problem=problem)


def _verify(request: HttpRequest, pending: dict[str, Any], flow: str) -> HttpResponse | None:
    """None when the code is right; otherwise the code page with the reason."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, pending, flow, form, status=400)
    try:
        otp.otp_verify(
            challenge_id=pending["id"],
            code=form.cleaned_data["code"],
            session_key=_session_key(request),
        )
    except otp.OtpError as error:
        form.add_error("code", _error_text(error))
        return _code_page(request, pending, flow, form, status=_STATUS.get(error.code, 400))
    except RateLimiterUnavailable:
        return _code_page(request, pending, flow, form, status=503, problem=_busy())
    return None


def _resend(request: HttpRequest, key: str, flow: str, purpose: OtpPurpose) -> HttpResponse:
    pending = request.session.get(key)
    if not isinstance(pending, dict):
        return redirect(f"accounts:{flow}")
    try:
        challenge = _send(request, pending["phone"], purpose, deliver=pending.get("deliver", True))
    except otp.OtpError as error:
        return _code_page(
            request,
            pending,
            flow,
            CodeForm(),
            status=_STATUS.get(error.code, 400),
            problem=_error_text(error),
        )
    except RateLimiterUnavailable:
        return _code_page(request, pending, flow, CodeForm(), status=503, problem=_busy())
    request.session[key] = {**pending, "id": challenge.pk}
    return redirect(f"accounts:{flow}_code")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = RegisterForm(request.POST or None, region=settings.PHONE_REGION)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = _send(request, data["mobile"], OtpPurpose.VERIFY_PHONE)
        except otp.OtpError as error:
            form.add_error("mobile", _error_text(error))
            status = _STATUS.get(error.code, 400)
        except RateLimiterUnavailable:
            form.add_error(None, _busy())
            status = 503
        else:
            request.session[REGISTER_KEY] = {
                "id": challenge.pk,
                "phone": data["mobile"],
                "next": next_url,
                "username": data["username"],
                "display_name": data["display_name"],
                "password_hash": make_password(data["password1"]),
            }
            return redirect("accounts:register_code")
    return render(
        request, "accounts/portal/register.html", {"form": form, "next": next_url}, status=status
    )


@require_http_methods(["GET", "POST"])
def register_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(REGISTER_KEY)
    if not isinstance(pending, dict):
        return redirect("accounts:register")
    if request.method == "GET":
        return _code_page(request, pending, "register", CodeForm())
    problem = _verify(request, pending, "register")
    if problem is not None:
        return problem
    del request.session[REGISTER_KEY]
    user = account_register(
        username=pending["username"],
        display_name=pending["display_name"],
        phone=pending["phone"],
        password_hash=pending["password_hash"],
    )
    if user is None:
        return render(request, "accounts/portal/register_taken.html", status=409)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(pending["next"])


@require_POST
def register_resend(request: HttpRequest) -> HttpResponse:
    return _resend(request, REGISTER_KEY, "register", OtpPurpose.VERIFY_PHONE)


@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    form = MobileForm(request.POST or None, region=settings.PHONE_REGION)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["mobile"]
        # The same steps, limits and pages whether or not an account has this number (S4).
        known = User.objects.filter(phone=phone, is_guest=False, is_active=True).exists()
        try:
            challenge = _send(request, phone, OtpPurpose.RESET_PASSWORD, deliver=known)
        except otp.OtpError as error:
            form.add_error("mobile", _error_text(error))
            status = _STATUS.get(error.code, 400)
        except RateLimiterUnavailable:
            form.add_error(None, _busy())
            status = 503
        else:
            request.session[RESET_KEY] = {"id": challenge.pk, "phone": phone, "deliver": known}
            return redirect("accounts:reset_code")
    return render(request, "accounts/portal/reset.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def reset_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(RESET_KEY)
    if not isinstance(pending, dict):
        return redirect("accounts:reset")
    if request.method == "GET":
        return _code_page(request, pending, "reset", CodeForm())
    problem = _verify(request, pending, "reset")
    if problem is not None:
        return problem
    del request.session[RESET_KEY]
    request.session[RESET_PROVEN_KEY] = {
        "phone": pending["phone"],
        "at": timezone.now().timestamp(),
    }
    return redirect("accounts:reset_password")


@require_POST
def reset_resend(request: HttpRequest) -> HttpResponse:
    return _resend(request, RESET_KEY, "reset", OtpPurpose.RESET_PASSWORD)


@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest) -> HttpResponse:
    proven = request.session.get(RESET_PROVEN_KEY)
    fresh = (
        isinstance(proven, dict)
        and timezone.now().timestamp() - proven["at"] < RESET_WINDOW_SECONDS
    )
    user = (
        User.objects.filter(phone=proven["phone"], is_guest=False, is_active=True).first()
        if fresh and isinstance(proven, dict)
        else None
    )
    if user is None:
        request.session.pop(RESET_PROVEN_KEY, None)
        return redirect("accounts:reset")
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        account_password_reset(user=user, password=form.cleaned_data["password1"])
        request.session.pop(RESET_PROVEN_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/portal/reset_password.html", {"form": form}, status=status)
