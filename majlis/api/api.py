"""The mobile API (`/api/v1/`): one router per domain, documented at `/api/v1/openapi.json`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from majlis.api import auth, queueing

# No interactive docs page: it would load scripts from a CDN, which our CSP forbids.
api = NinjaAPI(
    title="Majlis",
    version="1",
    description="Citizen services: sign in by SMS code, queues and video calls, ratings.",
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/auth", auth.router)
api.add_router("/", queueing.router)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input of the wrong shape: one message per field, in the user's language."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "data")]
        errors.setdefault(".".join(location) or "body", []).append(_("This value is not valid."))
    body: dict[str, Any] = {"message": _("Please correct the marked fields."), "errors": errors}
    return api.create_response(request, body, status=400)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"message": _("Sign in first: send the token from /auth/token."), "errors": {}}
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response
