"""Continue as a guest: a mobile number, then the code sent to it by SMS (the Qareeb screens)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm, MobileForm
from majlis.accounts.services import guest_get_or_create
from majlis.accounts.views import otp_flow

SESSION_KEY = "guest_otp"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    next_url = otp_flow.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = MobileForm(request.POST or None, region=settings.PHONE_REGION)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["mobile"]
        challenge, status = otp_flow.send_for_form(request, form, phone, OtpPurpose.GUEST_SIGN_IN)
        if challenge is not None:
            request.session[SESSION_KEY] = {"id": challenge.pk, "phone": phone, "next": next_url}
            return redirect("accounts:guest_code")
    return render(
        request, "accounts/portal/guest_start.html", {"form": form, "next": next_url}, status=status
    )


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(SESSION_KEY)
    return pending if isinstance(pending, dict) else None


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
    return otp_flow.code_page(request, pending, form, urls=urls, status=status, problem=problem)


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    step = otp_flow.code_step(request, SESSION_KEY, _code_page, start="accounts:guest_start")
    if isinstance(step, HttpResponse):
        return step
    login(request, guest_get_or_create(phone=step["phone"]),
          backend="django.contrib.auth.backends.ModelBackend")  # fmt: skip
    return redirect(step["next"])


@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    return otp_flow.resend_code(
        request, SESSION_KEY, OtpPurpose.GUEST_SIGN_IN, _code_page,
        start="accounts:guest_start", code_route="accounts:guest_code",
    )  # fmt: skip


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    request.session.pop(SESSION_KEY, None)
    return redirect(pending["next"] if pending else reverse("portal:catalogue:home"))
