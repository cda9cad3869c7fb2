"""The door of the back-office pages that the domains add under /staff/."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse


def staff_only[View: Callable[..., HttpResponseBase]](view: View) -> View:
    """Sign-in first for visitors (the middleware then asks staff for TOTP); a signed-in citizen
    gets the 404 that any back-office object gives to someone not working on it (S5)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return cast(View, wrapper)
