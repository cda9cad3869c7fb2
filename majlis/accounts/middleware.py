"""Staff sessions: 30 minutes idle and they end; no back office without TOTP.

Runs after AuthenticationMiddleware. For a signed-in staff member, every request stamps the
session with its time; a request that arrives more than STAFF_IDLE_TIMEOUT after the previous one
finds the session already over, deletes it server-side and goes to the sign-in page. Citizens'
sessions are bounded by SESSION_COOKIE_AGE alone.

Two-factor: allauth asks for the TOTP code at sign-in when a user has one, but it does not make
anyone have one. Here a staff member reaching the admin without TOTP is sent to set it up first,
and one whose session never proved the second factor (a sign-in from before it was set up, a
session made another way) is signed out and sent to sign in again.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from majlis.accounts import selectors

LAST_SEEN_KEY = "majlis_last_seen"


def _now() -> float:
    return time.time()  # a seam for tests that move the clock


def _second_factor_proven(request: HttpRequest) -> bool:
    from majlis.accounts.selectors import session_second_factor_proven

    return session_second_factor_proven(request.session)


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The Django admin, and the back-office pages the domains add under /staff/.
        self.staff_prefixes = (reverse("admin:index"), "/staff/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff:
            now = _now()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if (
                isinstance(last_seen, (int, float))
                and now - last_seen > settings.STAFF_IDLE_TIMEOUT
            ):
                request.majlis_signout_reason = "idle"  # type: ignore[attr-defined]
                logout(request)  # flushes: the stored session is deleted, not just forgotten
                messages.info(request, _("You were signed out after 30 minutes without activity."))
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            request.session[LAST_SEEN_KEY] = now
            if request.path.startswith(self.staff_prefixes):
                response = self._require_totp(request)
                if response is not None:
                    return response
        return self.get_response(request)

    def _require_totp(self, request: HttpRequest) -> HttpResponse | None:
        if not selectors.user_has_totp(user=request.user):
            setup = reverse("accounts:totp_setup")
            return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        if not _second_factor_proven(request):
            request.majlis_signout_reason = "second_factor_missing"  # type: ignore[attr-defined]
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        return None


class SsoFormActionMiddleware:
    """Lets sign-in buttons reach the national SSO: adds its origins to CSP form-action.

    Chromium applies form-action to every redirect that follows a form submission, so the POST
    to our SSO login view, answered with a redirect to the provider's authorization endpoint,
    is blocked unless the provider's origin is allowed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        login = reverse("openid_connect_login", kwargs={"provider_id": "x"})
        self.login_prefix = login.removesuffix("x/login/").encode()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.get("Content-Type", "").startswith("text/html")
            or getattr(response, "streaming", False)
            or self.login_prefix not in response.content
        ):
            return response  # no sign-in button on the page
        origins = selectors.sso_form_action_origins()
        if origins:
            config = dict(getattr(response, "_csp_config", None) or settings.SECURE_CSP)
            config["form-action"] = [*config.get("form-action", []), *origins]
            response._csp_config = config  # type: ignore[attr-defined]  # read by Django's CSP
        return response
