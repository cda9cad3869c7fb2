"""What the requests part of the mobile API shares: its router, the gates (the citizen behind
the token, their request, a service that takes requests) and the error shapes."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from majlis.accounts.models import User
from majlis.api.common import BearerToken, problem
from majlis.cases import selectors
from majlis.cases.models import Case
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Service

router = Router(tags=["requests"], auth=BearerToken())

CASE_KINDS = (ServiceKind.E_SERVICE, ServiceKind.APPOINTMENT)
BINARY = {"type": "string", "format": "binary"}


def multipart_body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """The multipart body of an operation that takes files: its fields, and files as parts
    named at run time (answers paths, `document_<id>`), which the generated schema cannot name.
    Without files, the same fields may come url-encoded."""
    schema = {"type": "object", "properties": properties, "required": required,
              "additionalProperties": BINARY}  # fmt: skip
    return {"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}}


# -- gates ----------------------------------------------------------------------------------------


def citizen_of(request: HttpRequest) -> User | None:
    """The citizen behind the token; staff file and follow nothing of their own here."""
    user = request.user
    return user if isinstance(user, User) and not user.is_staff else None


def own_case(request: HttpRequest, reference: str) -> Case | None:
    citizen = citizen_of(request)
    if citizen is None:
        return None
    return selectors.case_get_for_citizen(citizen=citizen, reference=reference)


def case_service(authority: str, service: str) -> Service | None:
    return (
        Service.objects.select_related("authority")
        .filter(authority__slug=authority, authority__is_active=True, slug=service,
                kind__in=CASE_KINDS, is_active=True)
        .first()
    )  # fmt: skip


def sign_in_needed(user: User, service: Service) -> bool:
    """A number proven by SMS is enough only where the page lets guests file too."""
    return user.is_guest and not service.allow_guest


def sign_in_problem() -> dict[str, Any]:
    return problem(
        _("This service needs national sign-on: sign in with it to fill in the request.")
    )


def invalid(errors: dict[str, list[str]]) -> Status[Any]:
    return Status(400, {"message": _("Please correct the marked fields."), "errors": errors})
