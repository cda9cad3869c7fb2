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

from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm, MobileForm, NewPasswordForm, RegisterForm
from majlis.accounts.models import User
from majlis.accounts.services import account_password_reset, account_register
from majlis.accounts.views import otp_flow

REGISTER_KEY, RESET_KEY, RESET_PROVEN_KEY = "register_pending", "reset_pending", "reset_proven"
RESET_WINDOW_SECONDS = 600


def _page_for(flow: str) -> otp_flow.CodePage:
    """The OTP screen of the sign-up or reset journey; Cancel goes back to sign-in."""

    def page(
        request: HttpRequest,
        pending: dict[str, Any],
        form: CodeForm,
        status: int = 200,
        problem: str = "",
    ) -> HttpResponse:
        urls = (
            reverse(f"accounts:{flow}_code"),
            reverse(f"accounts:{flow}_resend"),
            reverse("accounts:login"),
        )
        return otp_flow.code_page(request, pending, form, urls=urls, status=status,
                                  problem=problem)  # fmt: skip

    return page


_register_page, _reset_page = _page_for("register"), _page_for("reset")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    next_url = otp_flow.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = RegisterForm(request.POST or None, region=settings.PHONE_REGION)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        challenge, status = otp_flow.send_for_form(
            request, form, data["mobile"], OtpPurpose.VERIFY_PHONE
        )
        if challenge is not None:
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
    pending = otp_flow.code_step(request, REGISTER_KEY, _register_page, start="accounts:register")
    if isinstance(pending, HttpResponse):
        return pending
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
    return otp_flow.resend_code(
        request, REGISTER_KEY, OtpPurpose.VERIFY_PHONE, _register_page,
        start="accounts:register", code_route="accounts:register_code",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    form = MobileForm(request.POST or None, region=settings.PHONE_REGION)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["mobile"]
        # The same steps, limits and pages whether or not an account has this number (S4).
        known = User.objects.filter(phone=phone, is_guest=False, is_active=True).exists()
        challenge, status = otp_flow.send_for_form(
            request, form, phone, OtpPurpose.RESET_PASSWORD, deliver=known
        )
        if challenge is not None:
            request.session[RESET_KEY] = {"id": challenge.pk, "phone": phone, "deliver": known}
            return redirect("accounts:reset_code")
    return render(request, "accounts/portal/reset.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def reset_code(request: HttpRequest) -> HttpResponse:
    pending = otp_flow.code_step(request, RESET_KEY, _reset_page, start="accounts:reset")
    if isinstance(pending, HttpResponse):
        return pending
    request.session[RESET_PROVEN_KEY] = {
        "phone": pending["phone"],
        "at": timezone.now().timestamp(),
    }
    return redirect("accounts:reset_password")


@require_POST
def reset_resend(request: HttpRequest) -> HttpResponse:
    return otp_flow.resend_code(
        request, RESET_KEY, OtpPurpose.RESET_PASSWORD, _reset_page,
        start="accounts:reset", code_route="accounts:reset_code",
    )  # fmt: skip


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
