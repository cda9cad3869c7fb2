"""What every router of the mobile API shares: bearer-token sign-in, errors in the user's
language (Accept-Language: ar or en), and the error shapes."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import HttpBearer

from majlis.accounts.selectors import api_token_user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from `POST /auth/token`. Cookies are never accepted
    here, so the API needs no CSRF token and a page can't be tricked into calling it."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(raw=token)
        if user is not None:
            request.user = user
        return user


class ErrorOut(Schema):
    """`message` says what went wrong; `errors` maps each field to its problems."""

    message: str
    errors: dict[str, list[str]] = {}


def form_errors(form: Any) -> dict[str, Any]:
    errors = {field: [str(e) for e in problems] for field, problems in form.errors.items()}
    return {"message": _("Please correct the marked fields."), "errors": errors}


def problem(message: str) -> dict[str, Any]:
    return {"message": message, "errors": {}}


def not_found() -> dict[str, Any]:
    return problem(_("Not found."))
