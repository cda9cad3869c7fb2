"""Filing a request from the app: the service's form, the registry check, the request itself
with its files, drafts, and the public inquiry by number and year.

Answers are checked by the very form the page uses (`cases.form_data` turns the app's JSON into
that form's POST), so a field error reads the same in the app as on the page.
"""

import json
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Form, Status
from ninja.params import HeaderEx, P, QueryEx

from majlis.api.cases.base import (
    case_service,
    citizen_of,
    invalid,
    multipart_body,
    router,
    sign_in_needed,
    sign_in_problem,
)
from majlis.api.cases.schemas import (
    DraftIn,
    DraftOut,
    FormOut,
    InquiryOut,
    PermitOut,
    SubmittedOut,
)
from majlis.api.common import ErrorOut, not_found, problem
from majlis.cases import selectors, services
from majlis.cases.form_data import (
    REGISTRY_FIELDS,
    AnswersNotValid,
    answers_from_form_data,
    file_path,
    form_answers,
    form_data_from_answers,
    form_errors_by_path,
    form_files_accept,
    form_registry_check,
    form_uploads,
    permit_renewable,
    registry_answer,
)
from majlis.cases.models import Case
from majlis.catalogue.models import Authority, FormVersion, Service
from majlis.catalogue.selectors import form_class_get, form_version_current, registry_lookup
from majlis.core.client import client_address
from majlis.core.i18n import localized
from majlis.core.ratelimit import RateLimiterUnavailable, rate_take

INQUIRY_CAP = (30, timedelta(minutes=10))  # per client address, as on the inquiry page
# Arabic-Indic and Persian digits, as an Arabic keyboard may type them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
REGISTRY_CAP = (30, timedelta(minutes=10))  # per citizen


# -- the form -------------------------------------------------------------------------------------


def _field_out(meta: dict[str, Any]) -> dict[str, Any]:
    kind = meta["type"]
    condition = meta.get("show_if")
    out: dict[str, Any] = {
        "name": meta["name"], "type": kind,
        "required": bool(meta.get("required")) or kind == "declaration",
        "label_ar": meta.get("label_ar", ""), "label_en": meta.get("label_en", ""),
        "help_ar": meta.get("help_ar", ""), "help_en": meta.get("help_en", ""),
        "prefill": meta.get("prefill"), "options": meta.get("options"),
        "widget": meta.get("widget"),
    }  # fmt: skip
    if condition:
        values = condition["value"]
        out["show_if"] = {
            "field": condition["field"],
            "values": values if isinstance(values, list) else [values],
        }
    for key in ("max_length", "min", "max", "decimal_places", "not_before_today", "country"):
        out[key] = meta.get(key)
    if kind == "file":
        out["kinds"] = [k.lower() for k in meta.get("kinds", ["pdf", "jpg", "jpeg", "png"])]
        out["max_mb"] = int(meta.get("max_mb", 5))
    if kind == "group":
        out["fields"] = [_field_out(row) for row in meta["fields"]]
        for key in ("add_label_ar", "add_label_en", "row_label_ar", "row_label_en"):
            out[key] = meta.get(key)
    return out


@router.get(
    "/services/{authority}/{service}/form", response={200: FormOut, 404: ErrorOut}, auth=None
)
def service_form(request: HttpRequest, authority: str, service: str) -> Any:
    """The service's current form, to draw it in the app: its fields in order, with labels in
    both languages, the conditions that show them, the groups and the files they take."""
    found = case_service(authority, service)
    version = form_version_current(service=found) if found else None
    if found is None or version is None:
        return Status(404, not_found())
    fields = version.fields
    return Status(200, {
        "authority": found.authority.slug, "service": found.slug,
        "name": localized(found, "name"), "version": version.number,
        "sign_in_required": not found.allow_guest,
        "registry_check": all(any(f["name"] == n for f in fields) for n in REGISTRY_FIELDS),
        "fields": [_field_out(meta) for meta in fields],
    })  # fmt: skip


@router.get(
    "/services/{authority}/{service}/registry",
    response={200: PermitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut,
              503: ErrorOut},
)  # fmt: skip
def service_registry_check(
    request: HttpRequest,
    authority: str,
    service: str,
    contractor_number: QueryEx[str, P(max_length=40)],
    permit_number: QueryEx[str, P(max_length=40)],
    permit_year: QueryEx[str, P(max_length=10)],
) -> Any:
    """ "Check" before filing: the contractor the registry names for these numbers (Amman)."""
    citizen = citizen_of(request)
    found = case_service(authority, service)
    version = form_version_current(service=found) if found else None
    names = {meta["name"] for meta in version.fields} if version else set()
    if citizen is None or found is None or not set(REGISTRY_FIELDS) <= names:
        return Status(404, not_found())
    if sign_in_needed(citizen, found):
        return Status(403, sign_in_problem())
    try:
        allowed = rate_take(f"api-registry:{citizen.pk}", limit=REGISTRY_CAP[0],
                            window=REGISTRY_CAP[1])  # fmt: skip
    except RateLimiterUnavailable:
        return Status(503, problem(_("The service is busy. Please try again in a minute.")))
    if not allowed:
        return Status(429, problem(_("Too many checks. Please wait a few minutes and try again.")))
    result = registry_lookup(
        authority=found.authority, contractor_number=contractor_number,
        permit_number=permit_number, permit_year=permit_year,
    )  # fmt: skip
    if not permit_renewable(result):
        message = result.message
        return Status(400, {"message": message, "errors": {result.field or "__all__": [message]}})
    return Status(200, registry_answer(result))


# -- filing ---------------------------------------------------------------------------------------


def _answers_json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _submitted(case: Case) -> dict[str, Any]:
    return {"reference": case.reference, "status": case.status, "submitted_at": case.submitted_at}


@router.post(
    "/requests",
    response={200: SubmittedOut, 201: SubmittedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
              409: ErrorOut},
    openapi_extra=multipart_body(
        {"authority": {"type": "string"}, "service": {"type": "string"},
         "answers": {"type": "string", "description": "A JSON object: {field: value}."},
         "version": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
        ["authority", "service", "answers"],
    ),
)  # fmt: skip
def request_submit(
    request: HttpRequest,
    authority: Form[str],
    service: Form[str],
    answers: Form[str],
    version: Form[int | None] = None,
    idempotency_key: HeaderEx[str, P(alias="Idempotency-Key", max_length=64)] = "",
) -> Any:
    """File a request. `answers` is a JSON object {field: value} (a group: a list of objects;
    a four-part name: a list of four texts; a multichoice: a list; a declaration: true); each
    file is a part named by its answers path (`reason_letter`, `companions.0.id_image`).

    With an `Idempotency-Key`, sending the same request again (a retry after a lost reply) gives
    back the first one with 200 instead of filing a second. Errors come per answers path, in
    the language of `Accept-Language`."""
    place = _filing_place(request, authority, service)
    if isinstance(place, Status):
        return place
    citizen, found, current = place
    earlier = selectors.case_get_for_submission(citizen=citizen, submission_key=idempotency_key)
    if earlier is not None:
        return Status(200, _submitted(earlier))
    if version is not None and version != current.number:
        return Status(409, problem(_("This form has changed since you opened it: load it again.")))
    given = _answers_json(answers)
    if given is None:
        return invalid({"answers": [_("Send the answers as a JSON object.")]})
    try:
        data, files = form_data_from_answers(current, given, request.FILES)
    except AnswersNotValid as error:
        return invalid(error.errors)
    form = form_class_get(version=current, language=request.LANGUAGE_CODE)(
        data, files, user=citizen
    )
    form.is_valid()
    form_files_accept(form, citizen)
    registry = form_registry_check(form, found.authority) if not form.errors else None
    if not form.is_valid():
        return invalid(form_errors_by_path(form))
    case = services.case_submit(
        service=found, version=current, citizen=citizen, answers=form_answers(form, registry),
        files=form_uploads(form), language=request.LANGUAGE_CODE,
        submission_key=idempotency_key, request=request,
    )  # fmt: skip
    return Status(201, _submitted(case))


# -- drafts ---------------------------------------------------------------------------------------


def _filing_place(request: HttpRequest, authority: str, service: str) -> Any:
    """(citizen, service, version) to file or draft in, or the Status to answer instead."""
    citizen = citizen_of(request)
    found = case_service(authority, service)
    current = form_version_current(service=found) if found else None
    if citizen is None or found is None or current is None:
        return Status(404, not_found())
    if sign_in_needed(citizen, found):
        return Status(403, sign_in_problem())
    return citizen, found, current


def _draft_out(service: Service, version: FormVersion, draft: Any) -> dict[str, Any]:
    return {
        "authority": service.authority.slug, "service": service.slug, "version": version.number,
        "answers": answers_from_form_data(version, draft.data),
        "files": sorted(file_path(key) for key in draft.files),
        "updated_at": draft.updated_at,
    }  # fmt: skip


_DRAFT = "/requests/drafts/{authority}/{service}"


@router.get(_DRAFT, response={200: DraftOut, 403: ErrorOut, 404: ErrorOut})
def request_draft_get(request: HttpRequest, authority: str, service: str) -> Any:
    """The answers kept for this service and not filed yet (from the app or the web page)."""
    place = _filing_place(request, authority, service)
    if isinstance(place, Status):
        return place
    citizen, found, current = place
    draft = selectors.case_draft_get(citizen=citizen, service=found)
    if draft is None:
        return Status(404, not_found())
    return Status(200, _draft_out(found, current, draft))


@router.put(_DRAFT, response={200: DraftOut, 403: ErrorOut, 404: ErrorOut})
def request_draft_put(request: HttpRequest, authority: str, service: str, data: DraftIn) -> Any:
    """Keep the answers typed so far (as the page's autosave does), replacing earlier ones.

    They open on the web page too. Answers of the wrong shape are left out, not refused: a
    draft is unfinished by nature. Files are sent with the request itself."""
    place = _filing_place(request, authority, service)
    if isinstance(place, Status):
        return place
    citizen, found, current = place
    posted, _files = form_data_from_answers(current, data.answers, {}, strict=False)
    earlier = selectors.case_draft_get(citizen=citizen, service=found)
    draft = services.case_draft_save(
        citizen=citizen, service=found, version=current, data=dict(posted.lists()),
        files=earlier.files if earlier is not None else {},
    )  # fmt: skip
    return Status(200, _draft_out(found, current, draft))


@router.delete(_DRAFT, response={204: None, 403: ErrorOut, 404: ErrorOut})
def request_draft_delete(request: HttpRequest, authority: str, service: str) -> Any:
    """Discard the draft ("start again")."""
    place = _filing_place(request, authority, service)
    if isinstance(place, Status):
        return place
    citizen, found, _current = place
    services.case_draft_discard(citizen=citizen, service=found)
    return Status(204, None)


# -- the public inquiry ---------------------------------------------------------------------------


@router.get(
    "/requests/inquiry",
    response={200: InquiryOut, 404: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    auth=None,
)
def request_inquiry(
    request: HttpRequest,
    authority: QueryEx[str, P(max_length=60)],
    number: QueryEx[str, P(max_length=40)],
    year: QueryEx[str, P(max_length=10)],
) -> Any:
    """A request's status by its number (`67` or `NJR-1448-000067`) and year (Hijri or
    Gregorian), without signing in: the inquiry page's question, with the same answers.

    It shows the status only; every miss — unknown number, wrong year, another authority's
    request, anything that is not a number — gets the same 404. The page and the API share one
    budget per client address (30 lookups in 10 minutes)."""
    try:
        # The page's key: asking through the other door gives no extra lookups.
        allowed = rate_take(f"cases:inquiry:{client_address(request) or 'unknown'}",
                            limit=INQUIRY_CAP[0], window=INQUIRY_CAP[1])  # fmt: skip
    except RateLimiterUnavailable:
        return Status(
            503, problem(_("The inquiry is not available at the moment. Try again shortly."))
        )
    if not allowed:
        return Status(429, problem(_(
            "You have made too many inquiries in a short time. Wait ten minutes and try again."
        )))  # fmt: skip
    found = Authority.objects.filter(slug=authority, is_active=True).first()
    digits = year.translate(_DIGITS).strip()
    answer = None
    if found is not None and digits.isascii() and digits.isdigit() and len(digits) <= 4:
        answer = selectors.case_status_inquire(
            authority=found, number=number.translate(_DIGITS), year=int(digits)
        )
    if answer is None:
        return Status(404, not_found())
    return Status(200, {"reference": answer.reference, "status": answer.status,
                        "status_label": str(answer.status.label)})  # fmt: skip
