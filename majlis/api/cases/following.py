"""Following a request from the app: the citizen's requests, one request with its thread,
replies with the documents asked for, cancelling, and downloads.

Every request is reached through `case_get_for_citizen`: someone else's request and a request
that does not exist get the same 404, body and all.
"""

from math import ceil
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Form, Status
from ninja.params import P, QueryEx

from majlis.accounts.models import User
from majlis.api.cases.base import (
    BINARY,
    citizen_of,
    invalid,
    multipart_body,
    own_case,
    router,
)
from majlis.api.cases.schemas import (
    CaseOut,
    CasePageOut,
    CaseSummaryOut,
    MessageOut,
)
from majlis.api.common import ErrorOut, form_errors, not_found, problem
from majlis.api.queueing import RatingIn, RatingOut
from majlis.cases import selectors, services
from majlis.cases.choices import OPEN_STATUSES, CaseStatus
from majlis.cases.forms import MAX_OTHER_FILES, REPLY_MAX_LENGTH, ReplyForm, document_field
from majlis.cases.models import Case, CaseFile, DocumentRequest
from majlis.core.i18n import localized
from majlis.core.models import Upload
from majlis.core.uploads.errors import UploadRejected
from majlis.core.uploads.policy import MiB, UploadPolicy
from majlis.core.uploads.selectors import upload_is_servable
from majlis.core.uploads.services import upload_accept
from majlis.core.uploads.views import upload_response
from majlis.feedback import services as feedback_services
from majlis.feedback.forms import RatingForm

PAGE_SIZE = 20
REPLY_POLICY = UploadPolicy(kinds={"image", "pdf"}, max_bytes=5 * MiB)  # as on the page
OTHER_FILES = "other_files"  # the reply form's input for files that answer no checklist item
_FILE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


# -- the citizen's requests -----------------------------------------------------------------------


def _summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference, "authority": case.authority.slug,
        "service": case.service.slug, "service_name": localized(case.service, "name"),
        "status": case.status, "status_label": str(CaseStatus(case.status).label),
        "submitted_at": case.submitted_at, "unread": case.unread_by_citizen,
    }  # fmt: skip


@router.get("/requests", response={200: CasePageOut, 404: ErrorOut})
def request_list(
    request: HttpRequest,
    page: QueryEx[int, P(ge=1, le=10_000)] = 1,
    authority: QueryEx[str, P(max_length=60)] = "",
    service: QueryEx[str, P(max_length=60)] = "",
) -> Any:
    """The citizen's requests, newest first, 20 a page; `authority` and `service` narrow it
    (a service's earlier requests: "previous appointments")."""
    citizen = citizen_of(request)
    if citizen is None:
        return Status(404, not_found())
    rows = selectors.case_list_for_citizen(citizen=citizen).order_by("-submitted_at", "-pk")
    if authority:
        rows = rows.filter(authority__slug=authority)
    if service:
        rows = rows.filter(service__slug=service)
    count = rows.count()
    start = (page - 1) * PAGE_SIZE
    items = [_summary(case) for case in rows[start : start + PAGE_SIZE]]
    return Status(200, {"count": count, "page": page, "pages": ceil(count / PAGE_SIZE),
                        "items": items})  # fmt: skip


def _file_out(case: Case, row: CaseFile) -> dict[str, Any]:
    upload = row.upload
    return {
        "id": upload.public_id, "path": row.path, "name": upload.display_name,
        "size": upload.size, "content_type": upload.content_type,
        "available": upload_is_servable(upload),
        "download": reverse("api:request_file", args=[case.reference, upload.public_id]),
    }  # fmt: skip


def _message_out(case: Case, message: Any) -> dict[str, Any]:
    return {
        "author": message.author_kind, "body": message.body, "created_at": message.created_at,
        "documents": [{"id": d.pk, "label": d.label, "fulfilled": d.fulfilled_at is not None}
                      for d in message.document_requests.all()],
        "files": [_file_out(case, f) for f in message.files.all()],
    }  # fmt: skip


def _case_out(case: Case) -> dict[str, Any]:
    files = case.files.filter(message__isnull=True).select_related("upload")
    messages = selectors.case_thread(case=case)
    is_open = case.status in OPEN_STATUSES
    return {
        **_summary(case),
        "updated_at": case.updated_at, "closed_at": case.closed_at,
        "decision_note": case.decision_note, "agreed_at": case.agreed_at,
        "answers": case.answers, "files": [_file_out(case, f) for f in files],
        "messages": [_message_out(case, m) for m in messages],
        "can_reply": is_open, "can_cancel": is_open,
    }  # fmt: skip


@router.get("/requests/{reference}", response={200: CaseOut, 404: ErrorOut})
def request_detail(request: HttpRequest, reference: str) -> Any:
    """Where the request stands, what was sent, and the thread with the officers (the
    documents they asked for and whether each was sent). Reading it marks the thread read."""
    case = own_case(request, reference)
    if case is None:
        return Status(404, not_found())
    services.case_read_by_citizen(case=case)
    return Status(200, _case_out(case))


@router.post(
    "/requests/{reference}/cancel", response={200: CaseSummaryOut, 404: ErrorOut, 409: ErrorOut}
)
def request_cancel(request: HttpRequest, reference: str) -> Any:
    """Withdraw a request that is still open."""
    case = own_case(request, reference)
    citizen = citizen_of(request)
    if case is None or citizen is None:
        return Status(404, not_found())
    try:
        case = services.case_cancel(case=case, citizen=citizen, request=request)
    except services.CaseError as error:
        return Status(409, problem(error.message))
    return Status(200, _summary(case))


def _reply_form(
    request: HttpRequest, case: Case, body: str
) -> tuple[ReplyForm, dict[str, list[str]]]:
    """The page's reply form, fed from the parts (`files` is its "other attachments"), and the
    `document_<id>` parts that name no open item of this request's checklist."""
    requested = list(selectors.document_request_list_open(case=case))
    files: MultiValueDict[str, Any] = MultiValueDict()
    stray: dict[str, list[str]] = {}
    for key in request.FILES:
        if key == "files":
            files.setlist(OTHER_FILES, request.FILES.getlist(key))
        elif key.startswith("document_"):
            if key in {document_field(item) for item in requested}:
                files.setlist(key, request.FILES.getlist(key)[:1])
            else:
                stray[key] = [_("This document was not asked for in this request.")]
    form = ReplyForm({"body": body}, files, document_requests=requested)
    form.is_valid()
    return form, stray


def _accept_reply_files(
    form: ReplyForm, citizen: User
) -> list[tuple[Upload, DocumentRequest | None]]:
    """Keep each file of a valid input; a refusal becomes that input's error."""
    accepted: list[tuple[Upload, DocumentRequest | None]] = []
    for name in form.file_fields():
        if form.errors.get(name):
            continue
        for posted in form.files.getlist(name):
            try:
                upload = upload_accept(file=posted, owner=citizen, policy=REPLY_POLICY)
            except UploadRejected as refusal:
                form.add_error(name, refusal.message)
                continue
            accepted.append((upload, form.document_requests.get(name)))
    return accepted


def _reply_errors(form: ReplyForm) -> dict[str, list[str]]:
    return {
        "files" if name == OTHER_FILES else name: [str(e) for e in problems]
        for name, problems in form.errors.items()
    }


@router.post(
    "/requests/{reference}/messages",
    response={201: MessageOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    openapi_extra=multipart_body(
        {"body": {"type": "string", "maxLength": REPLY_MAX_LENGTH},
         "files": {"type": "array", "items": BINARY, "maxItems": MAX_OTHER_FILES}}, []
    ),
)  # fmt: skip
def request_reply(request: HttpRequest, reference: str, body: Form[str] = "") -> Any:
    """Write to the officers, with files: a file answering an open item of the checklist goes as
    the part `document_<id>` (the item's id in the thread), up to 5 others as `files`; PDF, JPG
    or PNG, 5 MB each. A request waiting for the citizen goes back to the officers."""
    case = own_case(request, reference)
    citizen = citizen_of(request)
    if case is None or citizen is None:
        return Status(404, not_found())
    if case.status not in OPEN_STATUSES:
        # Nothing is accepted for a closed request: no file is kept for nothing.
        return Status(409, problem(services.CaseError("not_allowed").message))
    form, stray = _reply_form(request, case, body)
    if form.errors or stray:
        return invalid({**_reply_errors(form), **stray})
    accepted = _accept_reply_files(form, citizen)
    if form.errors:
        return invalid(_reply_errors(form))
    try:
        message = services.case_reply(
            case=case, citizen=citizen, body=form.cleaned_data["body"], files=accepted,
            request=request,
        )  # fmt: skip
    except services.CaseError as error:
        if error.code == "message_required":
            return invalid({"body": [error.message]})
        return Status(409, problem(error.message))
    return Status(201, _message_out(case, message))


@router.get(
    "/requests/{reference}/files/{upload_id}",
    response={200: None, 404: ErrorOut},
    openapi_extra={"responses": {"200": {
        "description": "The file, as an attachment.",
        "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in _FILE_TYPES},
    }}},
)  # fmt: skip
def request_file(request: HttpRequest, reference: str, upload_id: str) -> Any:
    """Download a file of the request (the form's or the thread's) once its scan has passed."""
    case = own_case(request, reference)
    row = selectors.case_file_get(case=case, public_id=upload_id) if case is not None else None
    if row is None or not upload_is_servable(row.upload):
        return Status(404, not_found())
    return upload_response(row.upload)


@router.get(
    "/requests/{reference}/summary.pdf",
    response={200: None, 404: ErrorOut},
    openapi_extra={"responses": {"200": {
        "description": "The request's summary document, in the app's language.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }}},
)  # fmt: skip
def request_summary(request: HttpRequest, reference: str) -> Any:
    """The summary document (PDF) of the request, with a QR code to its page."""
    case = own_case(request, reference)
    if case is None:
        return Status(404, not_found())
    status_url = request.build_absolute_uri(
        reverse("portal:cases:detail", args=[case.authority.slug, case.reference])
    )
    pdf = selectors.case_summary_document(
        case=case, language=request.LANGUAGE_CODE, status_url=status_url
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/requests/{reference}/rating",
    response={201: RatingOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def request_rate(request: HttpRequest, reference: str, data: RatingIn) -> Any:
    """Rate the service once the request is decided (1–5 stars, an optional comment), once."""
    case = own_case(request, reference)
    citizen = citizen_of(request)
    if case is None or citizen is None:
        return Status(404, not_found())
    form = RatingForm({"stars": data.stars, "comment": data.comment})
    if not form.is_valid():
        return Status(400, form_errors(form))
    try:
        rating = feedback_services.rating_for_case_submit(
            case=case, citizen=citizen, stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"], request=request,
        )  # fmt: skip
    except feedback_services.FeedbackError as error:
        return Status(409, problem(error.message))
    return Status(201, {"stars": rating.stars, "comment": rating.comment})
