"""What every router of the mobile API shares: bearer-token sign-in, errors in the user's
language (Accept-Language: ar or en), and the error shapes."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
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


_NUL = "\x00"


def _holds_nul(request: HttpRequest) -> bool:
    if _NUL in request.path or _NUL in request.headers.get("Idempotency-Key", ""):
        return True
    if any(_NUL in key + "".join(values) for key, values in request.GET.lists()):
        return True
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        if any(_NUL in key + "".join(values) for key, values in request.POST.lists()):
            return True
        return any(
            _NUL in key or any(_NUL in (f.name or "") for f in files)
            for key, files in request.FILES.lists()
        )
    # JSON writes the character as an escape; a raw one is not JSON and fails to parse anyway.
    return b"\\u0000" in request.body


def unreadable_body() -> dict[str, Any]:
    return problem(_("The request could not be read: check its format."))


def refuse_unusable_input(run: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse, before anything reads it, input that cannot be used, in the API's error shape:

    - text holding the NUL character: no field of ours accepts it (Django's forms refuse it too)
      and PostgreSQL can neither store nor compare it, so it would end in a server error;
    - a body Django will not parse (malformed multipart, too many fields or files, too large),
      which would otherwise get Django's HTML error page.
    """

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            holds_nul = _holds_nul(request)
        except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            return JsonResponse(unreadable_body(), status=400)
        if holds_nul:
            body = problem(_("The request holds a character that is not allowed."))
            return JsonResponse(body, status=400)
        return run(request, *args, **kwargs)

    return checked
