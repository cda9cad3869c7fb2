"""The officers' back office for requests: the inbox, one request's page, and its actions.

Every request is reached through `selectors.case_get_for_staff`: a request outside the officer's
departments is a 404, exactly like one that does not exist. Every button is a POST form that
works without JavaScript; a refused action shows the request's page again (status 400) with the
error next to its field and everything typed still in place.
"""

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models as db
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from majlis.accounts.models import User
from majlis.accounts.views.access import staff_only
from majlis.cases import selectors, services
from majlis.cases.answers import answer_rows
from majlis.cases.choices import OPEN_STATUSES, CaseStatus
from majlis.cases.forms import (
    ASSIGNEE_MINE,
    ASSIGNEE_NOBODY,
    DUE_OVERDUE,
    DUE_TODAY,
    STAFF_STATUS_LABELS,
    AskForm,
    AssignForm,
    BulkAssignForm,
    DecisionForm,
    InboxFilterForm,
    RouteForm,
    message_form,
    note_form,
)
from majlis.cases.models import Case
from majlis.catalogue.models import Authority, Department
from majlis.core.choices import UploadStatus
from majlis.core.i18n import format_hijri
from majlis.core.national_id import mask_national_id
from majlis.core.selectors import audit_list_for_object
from majlis.core.uploads.views import upload_response

PER_PAGE = 25
DECISIONS = ("approve", "reject", "complete")
MOVES = ("start", *DECISIONS)
# What each move tells the officer once done.
DONE = {
    "start": _("Processing has started."),
    "approve": _("The request is approved. The citizen has been told."),
    "reject": _("The request is rejected. The citizen has been told."),
    "complete": _("The request is completed. The citizen has been told."),
}
# The history's words for each audit action of a request.
HISTORY_LABELS = {
    "cases.case.submitted": _("Submitted by the citizen"),
    "cases.case.started": _("Processing started"),
    "cases.case.documents_requested": _("Asked the citizen for more"),
    "cases.case.replied": _("The citizen replied"),
    "cases.case.message_sent": _("Message sent to the citizen"),
    "cases.case.approved": _("Approved"),
    "cases.case.rejected": _("Rejected"),
    "cases.case.completed": _("Completed"),
    "cases.case.cancelled": _("Cancelled by the citizen"),
    "cases.case.assigned": _("Assigned"),
    "cases.case.routed": _("Sent to another department"),
    "cases.case.note_added": _("Internal note added"),
}
# The actions whose entry carries the officer's decision note (a note's own entry has its id).
DECISION_ACTIONS = {
    "cases.case.started",
    "cases.case.approved",
    "cases.case.rejected",
    "cases.case.completed",
}
# Statuses in the order a request moves through them (the inbox's "sort by status").
STATUS_ORDER = [str(status) for status in CaseStatus]
# Open requests whose clock runs: while the citizen is asked, the due date moves on.
CLOCK_RUNNING = [s for s in STATUS_ORDER if s in OPEN_STATUSES and s != CaseStatus.WAITING_CITIZEN]


def _officer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _case(request: HttpRequest, reference: str) -> Case:
    """The request, if this officer works on it; any other is not found."""
    case = selectors.case_get_for_staff(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


def _hijri(moment: datetime.datetime | None, authority: Authority) -> str:
    """The Hijri date of a moment, as the authority's clock reads it ("" where not shown)."""
    if moment is None or not authority.show_hijri:
        return ""
    local = timezone.localtime(moment, ZoneInfo(authority.time_zone))
    try:
        return format_hijri(local.date(), translation.get_language())
    except (OverflowError, ValueError):
        return ""  # outside the Umm al-Qura table (before 1343 or after 1500 AH)


def _is_overdue(case: Case, now: datetime.datetime) -> bool:
    return bool(case.due_at and case.due_at < now and case.status in CLOCK_RUNNING)


# --- the inbox ----------------------------------------------------------------------------------


def _due_today(authorities: Iterable[Authority], now: datetime.datetime) -> Q:
    """Due before the end of today, each authority's today by its own clock (not yet overdue)."""
    due = Q(pk__in=[])
    for authority in authorities:
        local = timezone.localtime(now, ZoneInfo(authority.time_zone))
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + datetime.timedelta(days=1)
        due |= Q(authority_id=authority.pk, due_at__gte=start, due_at__lt=end)
    return due & Q(status__in=CLOCK_RUNNING)


def _search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Request number, applicant's name, the full ID number, or the mobile number."""
    text = " ".join(text.split())
    if not text:
        return cases
    digits = "".join(ch for ch in text if ch.isdigit())
    found = Q(reference__icontains=text) | Q(applicant_name__icontains=text)
    # The ID in full only: a part of one finds nobody.
    found |= Q(national_id__in=[v for v in (text, digits) if v])
    if text.isdigit() and len(text) <= 9:
        found |= Q(number=int(text))  # "67" finds NJR-1448-000067
    if len(digits) >= 7:
        # 0501234567, 501234567 and +966501234567 are one number: compare the local part.
        found |= Q(phone__endswith=digits.lstrip("0"))
    return cases.filter(found)


def _filtered(
    request: HttpRequest, form: InboxFilterForm, authorities: Iterable[Authority]
) -> QuerySet[Case]:
    cases = selectors.case_list_for_staff(user=request.user)
    form.is_valid()
    statuses = form.value("status")
    if statuses:
        cases = cases.filter(status__in=statuses)
    department = form.departments.get(form.value("department"))
    if department is not None:
        cases = cases.filter(department=department)
    assignee = form.value("assignee")
    if assignee == ASSIGNEE_MINE:
        cases = cases.filter(assignee_id=request.user.pk)
    elif assignee == ASSIGNEE_NOBODY:
        cases = cases.filter(assignee__isnull=True)
    elif assignee in form.people:
        cases = cases.filter(assignee=form.people[assignee])
    now = timezone.now()
    due = form.value("due")
    if due == DUE_OVERDUE:
        cases = cases.filter(due_at__lt=now, status__in=CLOCK_RUNNING)
    elif due == DUE_TODAY:
        cases = cases.filter(_due_today(authorities, now))
    cases = _search(cases, form.value("q"))
    sort = form.value("sort")
    if sort == "submitted":
        return cases.order_by("-submitted_at", "-pk")
    if sort == "status":
        rank = db.Case(
            *(When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)),
            output_field=IntegerField(),
        )
        return cases.order_by(rank, F("due_at").asc(nulls_last=True), "pk")
    return cases.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")


def _inbox(
    request: HttpRequest, *, bulk: BulkAssignForm | None = None, status: int = 200
) -> HttpResponse:
    user = _officer(request)
    departments = list(selectors.department_list_for_staff(user=request.user))
    people = list(selectors.officer_list_for_staff(user=request.user))
    colleagues = list(selectors.officer_list_for_departments(departments=departments))
    authorities = {d.authority_id: d.authority for d in departments}.values()
    form = InboxFilterForm(request.GET, departments=departments, people=colleagues)
    cases = _filtered(request, form, authorities)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    chosen = set(bulk.references) if bulk is not None else set()
    rows = [
        {
            "case": case,
            "masked_id": mask_national_id(case.national_id) if case.national_id else "",
            "status": STAFF_STATUS_LABELS.get(case.status, case.status),
            "overdue": _is_overdue(case, now),
            "due_hijri": _hijri(case.due_at, case.authority),
            "chosen": case.reference in chosen,
        }
        for case in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "bulk": bulk or BulkAssignForm(people=people, references=[]),
        "only_self": [p.pk for p in people] == [user.pk],
        "query": request.GET.urlencode(),
    }
    return render(request, "cases/staff/inbox.html", context, status=status)


@require_safe
@staff_only
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request)


@require_POST
@staff_only
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Give each ticked request to one officer; requests this officer may not hand to that
    person (another department's, or anyone else's for an officer without routing power) are
    skipped and counted, never assigned."""
    user = _officer(request)
    people = list(selectors.officer_list_for_staff(user=request.user))
    form = BulkAssignForm(request.POST, people=people, references=request.POST.getlist("cases"))
    if not form.is_valid():
        return _inbox(request, bulk=form, status=400)
    assignee = form.chosen()
    done = skipped = 0
    for reference in form.references:
        case = selectors.case_get_for_staff(user=request.user, reference=reference)
        if case is None or (
            assignee.pk != user.pk and not selectors.case_staff_can_route(user=user, case=case)
        ):
            skipped += 1
            continue
        try:
            services.case_assign(case=case, assignee=assignee, actor=user, request=request)
        except services.CaseError:
            skipped += 1  # the person does not work on that request's department
            continue
        done += 1
    messages.success(request, _bulk_done(done, skipped))
    target = reverse("staff:cases:inbox")
    return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)


def _bulk_done(done: int, skipped: int) -> str:
    text = ngettext("%(count)d request assigned.", "%(count)d requests assigned.", done) % {
        "count": done
    }
    if skipped:
        text += " " + ngettext(
            "%(count)d request skipped: it is not yours to assign to that person.",
            "%(count)d requests skipped: they are not yours to assign to that person.",
            skipped,
        ) % {"count": skipped}
    return text


# --- one request --------------------------------------------------------------------------------


def _assign_form(request: HttpRequest, case: Case, can_route: bool, data: Any = None) -> AssignForm:
    """Triage and supervisors choose anyone who works on the request; an officer may take it
    or, when it is theirs, give it back."""
    user = _officer(request)
    current = case.assignee.get_username() if case.assignee is not None else ""
    if can_route:
        people = list(selectors.officer_list_for_case(case=case))
        return AssignForm(data, people=people, release=case.assignee_id is not None,
                          initial={"assignee": current})  # fmt: skip
    people = [user] if case.assignee_id != user.pk else []
    return AssignForm(data, people=people, release=case.assignee_id == user.pk)


def _route_form(case: Case, data: Any = None) -> RouteForm:
    others = Department.objects.filter(authority_id=case.authority_id, is_active=True)
    if case.department_id is not None:
        others = others.exclude(pk=case.department_id)
    return RouteForm(data, departments=list(others.select_related("authority")))


def _history(case: Case) -> list[dict[str, Any]]:
    """The request's audit entries, newest first, in words (with whom or where, for assignments
    and routing)."""
    entries = list(audit_list_for_object(case))
    user_ids = {e.data.get("to") for e in entries if e.action == "cases.case.assigned"}
    dept_ids = {e.data.get("to") for e in entries if e.action == "cases.case.routed"}
    users = User.objects.in_bulk([i for i in user_ids if isinstance(i, int)])
    departments = Department.objects.in_bulk([i for i in dept_ids if isinstance(i, int)])
    history = []
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        detail = ""
        if entry.action == "cases.case.assigned":
            person = users.get(data.get("to"))
            detail = str(person) if person else str(_("Nobody (back to the department)"))
        elif entry.action == "cases.case.routed":
            department = departments.get(data.get("to"))
            detail = str(department) if department else ""
        elif entry.action in DECISION_ACTIONS and data.get("note"):
            detail = str(data["note"])
        history.append(
            {
                "entry": entry,
                "label": HISTORY_LABELS.get(entry.action, ""),
                "actor": str(entry.actor) if entry.actor else entry.actor_label,
                "detail": detail,
                "documents": data.get("documents") or [],
            }
        )
    return history


def _detail(
    request: HttpRequest,
    case: Case,
    *,
    forms: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    user = _officer(request)
    authority = case.authority
    can_route = selectors.case_staff_can_route(user=user, case=case)
    moves = [m for m in MOVES if case.status in services.STAFF_MOVES[m][0]]
    decisions = [m for m in DECISIONS if m in moves]
    now = timezone.now()
    context = {
        "case": case,
        "authority": authority,
        "status_label": STAFF_STATUS_LABELS.get(case.status, case.status),
        "overdue": _is_overdue(case, now),
        "submitted_hijri": _hijri(case.submitted_at, authority),
        "due_hijri": _hijri(case.due_at, authority),
        "agreed_hijri": _hijri(case.agreed_at, authority),
        "answers": answer_rows(case=case, language=translation.get_language() or "ar"),
        "thread": list(selectors.case_thread(case=case).select_related("author")),
        "notes": list(case.notes.select_related("author")),
        "history": _history(case),
        "moves": moves,
        "decisions": decisions,
        "can_start": "start" in moves,
        "can_ask": case.status in services.STAFF_MOVES["request_info"][0],
        "can_route": can_route,
        "decision_form": forms.get("decision")
        or DecisionForm(time_zone=authority.time_zone, with_date="approve" in decisions),
        "ask_form": forms.get("ask") or AskForm(),
        "message_form": forms.get("message") or message_form(),
        "note_form": forms.get("note") or note_form(),
        "assign_form": forms.get("assign") or _assign_form(request, case, can_route),
        "route_form": forms.get("route") or _route_form(case),
        "failed": next(iter(forms), "") if status >= 400 else "",
        "statuses": UploadStatus,
    }
    return render(request, "cases/staff/detail.html", context, status=status)


@require_safe
@staff_only
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    response = _detail(request, case)
    services.case_read_by_staff(case=case)  # the citizen's new replies have now been seen
    return response


def _refused(form: Form, error: services.CaseError, field: str | None = None) -> None:
    """A service's refusal, shown next to the field it concerns (or above the form)."""
    where = field if error.code in ("reason_required", "message_required") else None
    if error.code in ("not_an_officer",):
        where = "assignee"
    if error.code in ("wrong_department",):
        where = "department"
    form.add_error(where if where in form.fields else None, error.message)


def _done(request: HttpRequest, case: Case, text: Any) -> HttpResponse:
    messages.success(request, str(text))
    return redirect("staff:cases:detail", case.reference)


@require_POST
@staff_only
def move(request: HttpRequest, reference: str, move: str) -> HttpResponse:
    """start | approve (note, agreed date and time) | reject (reason) | complete."""
    if move not in MOVES:
        raise Http404
    case = _case(request, reference)
    with_date = move == "approve" or "decision-agreed_at" in request.POST
    form = DecisionForm(
        request.POST, move=move, time_zone=case.authority.time_zone, with_date=with_date
    )
    if not form.is_valid():
        return _detail(request, case, forms={"decision": form}, status=400)
    agreed_at = form.cleaned_data.get("agreed_at") if move == "approve" else None
    try:
        services.case_staff_move(
            case=case, move=move, actor=_officer(request), note=form.cleaned_data["note"],
            agreed_at=agreed_at, request=request,
        )  # fmt: skip
    except services.CaseError as error:
        _refused(form, error, "note")
        return _detail(request, case, forms={"decision": form}, status=400)
    return _done(request, case, DONE[move])


@require_POST
@staff_only
def ask(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = AskForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, forms={"ask": form}, status=400)
    try:
        services.case_request_information(
            case=case, actor=_officer(request), body=form.cleaned_data["body"],
            documents=form.cleaned_data["documents"], request=request,
        )  # fmt: skip
    except services.CaseError as error:
        _refused(form, error, "body")
        return _detail(request, case, forms={"ask": form}, status=400)
    return _done(request, case, _("The citizen has been asked and told by SMS."))


@require_POST
@staff_only
def message(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = message_form(request.POST)
    if not form.is_valid():
        return _detail(request, case, forms={"message": form}, status=400)
    try:
        services.case_message_staff(
            case=case, actor=_officer(request), body=form.cleaned_data["body"], request=request
        )
    except services.CaseError as error:
        _refused(form, error, "body")
        return _detail(request, case, forms={"message": form}, status=400)
    return _done(request, case, _("The message has been sent."))


@require_POST
@staff_only
def note(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = note_form(request.POST)
    if not form.is_valid():
        return _detail(request, case, forms={"note": form}, status=400)
    try:
        services.case_note_add(
            case=case, actor=_officer(request), body=form.cleaned_data["body"], request=request
        )
    except services.CaseError as error:
        _refused(form, error, "body")
        return _detail(request, case, forms={"note": form}, status=400)
    return _done(request, case, _("The note has been saved. Only staff can read it."))


@require_POST
@staff_only
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    user = _officer(request)
    can_route = selectors.case_staff_can_route(user=user, case=case)
    form = _assign_form(request, case, can_route, request.POST)
    if not form.is_valid():
        return _detail(request, case, forms={"assign": form}, status=400)
    assignee = form.chosen()
    try:
        services.case_assign(case=case, assignee=assignee, actor=user, request=request)
    except services.CaseError as error:
        _refused(form, error)
        return _detail(request, case, forms={"assign": form}, status=400)
    if assignee is None:
        return _done(request, case, _("The request is back with its department."))
    return _done(request, case, _("The request is assigned."))


@require_POST
@staff_only
def route(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    user = _officer(request)
    form = _route_form(case, request.POST)
    if not selectors.case_staff_can_route(user=user, case=case):
        # The officer sees the request, so this is no 404: routing is triage's and supervisors'.
        form.add_error(None, _("Only triage, supervisors and administrators send a request to "
                               "another department."))  # fmt: skip
        return _detail(request, case, forms={"route": form}, status=403)
    if not form.is_valid():
        return _detail(request, case, forms={"route": form}, status=400)
    try:
        services.case_route(case=case, department=form.chosen(), actor=user, request=request)
    except services.CaseError as error:
        _refused(form, error)
        return _detail(request, case, forms={"route": form}, status=400)
    if selectors.case_get_for_staff(user=user, reference=case.reference) is None:
        messages.success(request, str(_("The request has been sent to the other department.")))
        return redirect("staff:cases:inbox")
    return _done(request, case, _("The request has been sent to the other department."))


@require_safe
@staff_only
def file(request: HttpRequest, reference: str, upload_id: str) -> HttpResponseBase:
    """One of the request's files: pictures inline (for the preview), anything else as a download;
    nothing before its virus scan has found it clean."""
    case = _case(request, reference)
    found = selectors.case_file_get(case=case, public_id=upload_id)
    if found is None:
        raise Http404
    return upload_response(found.upload, inline=True)
