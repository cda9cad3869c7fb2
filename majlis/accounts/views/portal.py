"""Sign-in (username and password, then TOTP for those who have it; or national SSO), sign-out,
two-factor set-up for staff, and where the admin's own sign-in page leads.

allauth's views do the work; these subclasses choose our templates and where to go next.
"""

from typing import Any

from allauth.account import views as allauth_views
from allauth.mfa.totp import views as totp_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from majlis.accounts import selectors
from majlis.accounts.signals import TOTP_PROVEN_KEY


class SignInView(allauth_views.LoginView):
    template_name = "accounts/portal/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = selectors.sso_provider_list()
        return context


class SignOutView(allauth_views.LogoutView):
    template_name = "accounts/portal/logout.html"


class TotpSetupView(totp_views.ActivateTOTPView):
    """allauth's TOTP activation, returning to where the staff member was going."""

    template_name = "accounts/portal/totp_setup.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        # The code just entered proves the second factor for this session, as a sign-in code
        # would (allauth records only codes entered at sign-in).
        self.request.session[TOTP_PROVEN_KEY] = True
        return response

    def get_success_url(self) -> str:
        target = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("accounts:home")


def not_offered(request: HttpRequest, rest: str = "") -> HttpResponse:
    """allauth pages this deployment does not offer (they exist under allauth's URL names)."""
    raise Http404


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in page is ours: the same password, TOTP and rate limits for everyone."""
    target = reverse("accounts:login")
    query = {"next": request.GET["next"]} if request.GET.get("next") else {}
    return redirect(f"{target}?{urlencode(query)}" if query else target)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: staff go to the back office, citizens to the service catalogue."""
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("portal:catalogue:home")
