"""The citizen's "My account" for requests (seeds/001 «حسابي», seeds/002 «المواعيد السابقة»).

My requests with a "you have a message" badge; a request's page with its answers in the labels
of the form it was sent with, the thread with the officer (never the officer's name, never the
internal notes), the reply with files for the officer's checklist, and cancelling; its files.

A reply that is refused keeps everything: the text comes back in the form, and the files that
passed their checks come back as "already attached" (hidden `<input>__kept` ids of the
citizen's own, not yet used uploads) so that they are not asked for again.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from majlis.accounts.models import User
from majlis.cases import selectors, services
from majlis.cases.answers import answer_rows, answer_text, shown_file
from majlis.cases.choices import OPEN_STATUSES, CaseStatus
from majlis.cases.forms import MAX_OTHER_FILES, ReplyForm
from majlis.cases.models import Case, CaseFile, DocumentRequest
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Authority, Service
from majlis.core.choices import UploadStatus
from majlis.core.i18n import format_hijri
from majlis.core.models import Upload
from majlis.core.uploads.errors import UploadRejected
from majlis.core.uploads.policy import MiB, UploadPolicy
from majlis.core.uploads.services import upload_accept
from majlis.core.uploads.views import upload_response

PAGE_SIZE = 20
CASE_KINDS = (ServiceKind.E_SERVICE, ServiceKind.APPOINTMENT)
REPLY_FILES = UploadPolicy(kinds={"image", "pdf"}, max_bytes=5 * MiB)
KEPT_SUFFIX = "__kept"
DECIDED = (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.COMPLETED)


def _citizen_or_login(request: HttpRequest) -> User | HttpResponse:
    """The signed-in citizen; a visitor is sent to sign in, staff find nothing here."""
    user = request.user
    if not isinstance(user, User):
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    if user.is_staff:
        raise Http404
    return user


def _own_case(request: HttpRequest, slug: str, reference: str) -> tuple[Case, User]:
    """The gate: the signed-in citizen's own request at this authority, else the same 404."""
    case = selectors.case_get_for_citizen(citizen=request.user, reference=reference)
    if case is None or case.authority.slug != slug or not isinstance(request.user, User):
        raise Http404
    return case, request.user


def _page_of(request: HttpRequest, cases: Any) -> Any:
    return Paginator(cases.order_by("-submitted_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )


# -- my requests ----------------------------------------------------------------------------------


@never_cache
@require_GET
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    authority = get_object_or_404(Authority, slug=slug, is_active=True)
    user = _citizen_or_login(request)
    if isinstance(user, HttpResponse):
        return user
    cases = selectors.case_list_for_citizen(citizen=user).filter(authority=authority)
    context = {"authority": authority, "page": _page_of(request, cases)}
    return render(request, "cases/portal/mine.html", context)


@dataclass(frozen=True)
class PreviousRow:
    """A line of "previous appointments": the request and the two answers Madinah shows."""

    case: Case
    requested_date: str
    official: str


@never_cache
@require_GET
def previous(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    """The citizen's earlier requests for one service (Madinah's «المواعيد السابقة»)."""
    service = get_object_or_404(
        Service.objects.select_related("authority"),
        authority__slug=slug, authority__is_active=True, slug=service_slug, kind__in=CASE_KINDS,
    )  # fmt: skip
    user = _citizen_or_login(request)
    if isinstance(user, HttpResponse):
        return user
    cases = (
        selectors.case_list_for_citizen(citizen=user)
        .filter(service=service)
        .select_related("form_version")
    )
    page = _page_of(request, cases)
    language = request.LANGUAGE_CODE
    rows = [
        PreviousRow(
            case=case,
            requested_date=answer_text(case=case, name="requested_date", language=language),
            official=answer_text(case=case, name="official", language=language),
        )
        for case in page
    ]
    context = {
        "authority": service.authority,
        "service": service,
        "page": page,
        "rows": rows,
        "has_date": any(row.requested_date for row in rows),
        "has_official": any(row.official for row in rows),
    }
    return render(request, "cases/portal/previous.html", context)


# -- one request ----------------------------------------------------------------------------------


def _local(case: Case, moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment, ZoneInfo(case.authority.time_zone))


def _hijri(case: Case, moment: datetime.datetime | None, language: str) -> str:
    local = _local(case, moment)
    if local is None or not case.authority.show_hijri:
        return ""
    return format_hijri(local.date(), language)


def _detail_page(
    request: HttpRequest,
    case: Case,
    *,
    form: ReplyForm | None = None,
    kept: dict[str, list[Upload]] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    language = request.LANGUAGE_CODE
    is_open = case.status in OPEN_STATUSES
    if is_open and form is None:
        form = ReplyForm(document_requests=list(selectors.document_request_list_open(case=case)))
    thread = list(selectors.case_thread(case=case))
    context = {
        "authority": case.authority,
        "case": case,
        "status_label": CaseStatus(case.status).label,
        "waiting": case.status == CaseStatus.WAITING_CITIZEN,
        "is_open": is_open,
        "submitted_hijri": _hijri(case, case.submitted_at, language),
        "decided": case.status in DECIDED and bool(case.decision_note or case.agreed_at),
        "can_rate": case.status in DECIDED,
        "agreed_hijri": _hijri(case, case.agreed_at, language),
        "answers": answer_rows(case=case, language=language),
        "thread": [
            {"message": message, "files": [(f, shown_file(f)) for f in message.files.all()]}
            for message in thread
        ],
        "form": form if is_open else None,
        "problem": problem,
    }
    if is_open and form is not None:
        kept = kept or {}
        inputs = [
            {"field": form[name], "kept": [_kept_view(u) for u in kept.get(name, [])]}
            for name in form.file_fields()
        ]
        context["document_inputs"], context["other_input"] = inputs[:-1], inputs[-1]
    return render(request, "cases/portal/detail.html", context, status=status)


def _kept_view(upload: Upload) -> dict[str, str]:
    return {"public_id": upload.public_id, "name": upload.display_name}


@never_cache
@require_GET
def detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    case, _citizen = _own_case(request, slug, reference)
    services.case_read_by_citizen(case=case)  # the messages are on the page now
    return _detail_page(request, case)


# -- reply ----------------------------------------------------------------------------------------


def _posted_kept(request: HttpRequest, user: User, names: list[str]) -> dict[str, list[Upload]]:
    """The uploads the page carried over from a refused reply: the citizen's own, not yet used.

    An id that is not the citizen's, was used already, or failed its scan is dropped silently.
    """
    wanted = {name: request.POST.getlist(name + KEPT_SUFFIX) for name in names}
    ids = {public_id for values in wanted.values() for public_id in values}
    if not ids:
        return {}
    usable = (
        Upload.objects.filter(
            public_id__in=ids,
            uploaded_by=user,
            status__in=(UploadStatus.PENDING_SCAN, UploadStatus.CLEAN),
        )
        .exclude(pk__in=CaseFile.objects.values("upload_id"))
        .in_bulk(field_name="public_id")
    )
    found: dict[str, list[Upload]] = {}
    for name, values in wanted.items():
        uploads = [usable[public_id] for public_id in dict.fromkeys(values) if public_id in usable]
        if uploads:
            found[name] = uploads[:1] if name != "other_files" else uploads[:MAX_OTHER_FILES]
    return found


def _accept_files(form: ReplyForm, user: User, kept: dict[str, list[Upload]]) -> None:
    """Accept each newly chosen file; a refusal becomes its input's error, an acceptance is kept.

    A new file for a checklist item replaces the one kept for it; other files add up to five.
    """
    for name in form.file_fields():
        posted = form.files.getlist(name)
        if not posted or form.errors.get(name):
            continue
        if name == "other_files" and len(posted) + len(kept.get(name, [])) > MAX_OTHER_FILES:
            form.add_error(name, _("Attach at most 5 other attachments."))
            continue
        accepted: list[Upload] = []
        for file in posted:
            try:
                accepted.append(upload_accept(file=file, owner=user, policy=REPLY_FILES))
            except UploadRejected as refusal:
                problem = refusal.message
                if name == "other_files":
                    # Several files share the input: say which one. U+2068/2069 isolate the name.
                    problem = _("%(name)s: %(problem)s") % {
                        "name": f"\u2068{file.name}\u2069", "problem": refusal.message,
                    }  # fmt: skip
                form.add_error(name, problem)
        if accepted:
            kept[name] = [*kept.get(name, []), *accepted] if name == "other_files" else accepted


@require_POST
def reply(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    case, citizen = _own_case(request, slug, reference)
    if case.status not in OPEN_STATUSES:
        # Nothing is accepted for a closed request: no file is kept for nothing.
        problem = services.CaseError("not_allowed").message
        return _detail_page(request, case, problem=problem, status=409)
    requested = list(selectors.document_request_list_open(case=case))
    form = ReplyForm(request.POST, request.FILES, document_requests=requested)
    form.is_valid()
    kept = _posted_kept(request, citizen, form.file_fields())
    _accept_files(form, citizen, kept)
    if form.errors:
        return _detail_page(request, case, form=form, kept=kept, status=400)
    files: list[tuple[Upload, DocumentRequest | None]] = [
        (upload, form.document_requests.get(name))
        for name in form.file_fields()
        for upload in kept.get(name, [])
    ]
    try:
        services.case_reply(
            case=case, citizen=citizen, body=form.cleaned_data["body"], files=files,
            request=request,
        )  # fmt: skip
    except services.CaseError as error:
        if error.code == "message_required":
            form.add_error("body", error.message)
            return _detail_page(request, case, form=form, kept=kept, status=400)
        return _detail_page(request, case, form=form, kept=kept, problem=error.message, status=409)
    messages.success(request, _("Your reply was sent to the officer."))
    return redirect("portal:cases:detail", slug, case.reference)


# -- cancel and files -----------------------------------------------------------------------------


@require_POST
def cancel(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    case, citizen = _own_case(request, slug, reference)
    try:
        services.case_cancel(case=case, citizen=citizen, request=request)
    except services.CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is cancelled."))
    return redirect("portal:cases:detail", slug, case.reference)


@require_GET
def file(request: HttpRequest, slug: str, reference: str, upload_id: str) -> HttpResponseBase:
    """A file of the citizen's own request, as a download; anything else is the same 404."""
    case, _citizen = _own_case(request, slug, reference)
    case_file = selectors.case_file_get(case=case, public_id=upload_id)
    if case_file is None:
        raise Http404
    return upload_response(case_file.upload)
