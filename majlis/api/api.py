"""The mobile API (`/api/v1/`): one router per domain, documented at `/api/v1/openapi.json`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from majlis.api import auth, cases, queueing
from majlis.api.common import refuse_unusable_input, unreadable_body

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}


class MajlisApi(NinjaAPI):
    """Documents the answers every operation can give besides its own: 400 when its input has
    the wrong shape (`invalid_input` below) and 401 when it needs a token and has none."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(400, {"description": "Input of the wrong shape", **_ERROR})
                if operation.get("security"):
                    responses.setdefault(401, {"description": "No valid token", **_ERROR})
        return schema


# No interactive docs page: it would load scripts from a CDN, which our CSP forbids.
api = MajlisApi(
    title="Majlis",
    version="1",
    description="Citizen services: sign in by SMS code, queues and video calls, ratings, "
    "e-service requests (forms, files, the thread with the officers, the public inquiry).",
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/auth", auth.router)
api.add_router("/", queueing.router)
api.add_router("/", cases.router)
api.add_decorator(refuse_unusable_input, mode="view")


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


@api.exception_handler(HttpError)
def unreadable(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """A body that is not the JSON or form it claims to be, in the same shape as other errors."""
    return api.create_response(request, unreadable_body(), status=exc.status_code)
