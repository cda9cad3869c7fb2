"""Writes of the cases domain: submitting a request, moving it through its workflow, the thread.

Every function here is the one place its change happens: it locks the request's row, checks the
move is allowed from where the request stands, writes, records an audit entry and queues the
citizen's notification in the same transaction (sent once it commits).
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from majlis.accounts.models import User
from majlis.cases.choices import OPEN_STATUSES, CaseStatus, MessageAuthor
from majlis.cases.models import (
    Case,
    CaseDraft,
    CaseFile,
    CaseMessage,
    CaseNote,
    DocumentRequest,
)
from majlis.catalogue.models import Authority, Department, FormVersion, Service
from majlis.core.i18n import hijri_year, localized
from majlis.core.models import Upload
from majlis.core.services import audit_record
from majlis.notifications.choices import Channel, MessageKind
from majlis.notifications.services import message_send, notify_user

# Where each staff move may start from, and where it leads.
STAFF_MOVES: dict[str, tuple[frozenset[str], CaseStatus]] = {
    "start": (frozenset({CaseStatus.SUBMITTED, CaseStatus.RESUBMITTED}), CaseStatus.PROCESSING),
    "request_info": (
        frozenset({CaseStatus.SUBMITTED, CaseStatus.PROCESSING, CaseStatus.RESUBMITTED}),
        CaseStatus.WAITING_CITIZEN,
    ),
    "approve": (
        frozenset({CaseStatus.SUBMITTED, CaseStatus.PROCESSING, CaseStatus.RESUBMITTED}),
        CaseStatus.APPROVED,
    ),
    "reject": (
        frozenset({CaseStatus.SUBMITTED, CaseStatus.PROCESSING, CaseStatus.RESUBMITTED}),
        CaseStatus.REJECTED,
    ),
    "complete": (
        frozenset({CaseStatus.PROCESSING, CaseStatus.RESUBMITTED, CaseStatus.APPROVED}),
        CaseStatus.COMPLETED,
    ),
}
_PAST = {"start": "started", "approve": "approved", "reject": "rejected", "complete": "completed"}
REFERENCE_DIGITS = 6
MAX_DOCUMENTS_REQUESTED = 10


class CaseError(Exception):
    """A move the request's state or the actor's role does not allow; `message` is translated."""

    MESSAGES = {
        "not_allowed": lambda: _("This request cannot be changed this way now."),
        "reason_required": lambda: _("Give the reason for the rejection."),
        "message_required": lambda: _("Write a message or attach a file."),
        "too_many_documents": lambda: _("Ask for at most 10 documents at a time."),
        "wrong_department": lambda: _("Choose a department of this authority."),
        "not_an_officer": lambda: _("This person does not work on this department's requests."),
    }

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code]())


# -- numbers --------------------------------------------------------------------------------------


def reference_year(authority: Authority, when: datetime.datetime) -> int:
    """The year a request submitted at `when` is numbered in: Hijri where the authority shows it."""
    day = when.astimezone(ZoneInfo(authority.time_zone)).date()
    return hijri_year(day) if authority.show_hijri else day.year


def reference_format(authority: Authority, year: int, number: int) -> str:
    return f"{authority.code}-{year}-{number:0{REFERENCE_DIGITS}d}"


# The table name is fixed (ReferenceCounter's); the values are parameters.
_TAKE_NUMBER = (
    "INSERT INTO cases_referencecounter (authority_id, year, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (authority_id, year) DO UPDATE SET last = cases_referencecounter.last + 1 "
    "RETURNING last"
)


def _next_number(authority: Authority, year: int) -> int:
    """Take the next number of (authority, year) in one statement (PostgreSQL and SQLite alike).

    The counter row stays locked until the caller's transaction ends, so numbers are given in
    commit order; a rolled-back submission gives its number back instead of leaving a gap.
    """
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_NUMBER, [authority.pk, year])
        row = cursor.fetchone()
    assert row is not None  # noqa: S101  (RETURNING always gives the row)
    return int(row[0])


# -- submission -----------------------------------------------------------------------------------


def _fields_by(version: FormVersion) -> dict[str, dict[str, Any]]:
    return {meta["name"]: meta for meta in version.fields}


def _identity_of(version: FormVersion, answers: Mapping[str, Any]) -> dict[str, str]:
    """Name, ID, mobile and e-mail as the form gave them (the fields marked for prefill)."""
    found: dict[str, str] = {}
    for name, meta in _fields_by(version).items():
        source = meta.get("prefill") or {"phone": "phone", "email": "email"}.get(meta["type"])
        value = answers.get(name)
        if not source or source in found or value in (None, "", []):
            continue
        found[source] = " ".join(value) if isinstance(value, list) else str(value)
    return found


def _department_for(service: Service, version: FormVersion, answers: Mapping[str, Any]) -> Any:
    for name, meta in _fields_by(version).items():
        if meta.get("routes_to_department") and answers.get(name):
            chosen = Department.objects.filter(
                authority_id=service.authority_id, code=answers[name], is_active=True
            ).first()
            if chosen is not None:
                return chosen
    return service.department


def _notify_submitted(case: Case) -> None:
    context = {
        "reference": case.reference,
        "service": localized(case.service, "name", case.language),
        "link": "",
    }
    if case.phone:
        message_send(
            channel=Channel.SMS, kind=MessageKind.REQUEST_RECEIVED, recipient=case.phone,
            language=case.language, context=context, user=case.citizen, related=case,
        )  # fmt: skip
    if case.email:
        message_send(
            channel=Channel.EMAIL, kind=MessageKind.REQUEST_RECEIVED, recipient=case.email,
            language=case.language, context=context, user=case.citizen, related=case,
        )  # fmt: skip


def case_submit(
    *,
    service: Service,
    version: FormVersion,
    citizen: User,
    answers: Mapping[str, Any],
    files: Mapping[str, Upload],
    language: str,
    submission_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """File a request from a valid form: number it, route it, keep its files, tell the citizen.

    `files` maps each file's answers path (`reason_letter`, `companions.0.id_image`) to an upload
    already accepted. The same `submission_key` from the same citizen gives back the first
    request (a double click, a retried API call) instead of filing a second one.
    """
    if submission_key:
        earlier = Case.objects.filter(citizen=citizen, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            case = _case_create(service, version, citizen, answers, files, language, submission_key)
            audit_record(
                action="cases.case.submitted", obj=case, actor=citizen, request=request,
                data={"reference": case.reference, "service": service.slug,
                      "form_version": version.number, "files": len(files)},
            )  # fmt: skip
            _notify_submitted(case)
            CaseDraft.objects.filter(citizen=citizen, service=service).delete()
    except IntegrityError:
        if not submission_key:
            raise
        # Two submissions with one key at the same moment: the other one won, give it back.
        return Case.objects.get(citizen=citizen, submission_key=submission_key)
    return case


def _case_create(
    service: Service,
    version: FormVersion,
    citizen: User,
    answers: Mapping[str, Any],
    files: Mapping[str, Upload],
    language: str,
    submission_key: str,
) -> Case:
    authority = service.authority
    now = timezone.now()
    year = reference_year(authority, now)
    number = _next_number(authority, year)
    identity = _identity_of(version, answers)
    case = Case.objects.create(
        reference=reference_format(authority, year, number),
        authority=authority,
        year=year,
        number=number,
        service=service,
        form_version=version,
        citizen=citizen,
        department=_department_for(service, version, answers),
        answers=dict(answers),
        applicant_name=(identity.get("name") or citizen.display_name)[:200],
        national_id=identity.get("national_id", citizen.national_id)[:20],
        phone=identity.get("phone", citizen.phone)[:20],
        email=identity.get("email", "")[:254],
        language="ar" if language.startswith("ar") else "en",
        submission_key=submission_key[:64],
        submitted_at=now,
        updated_at=now,
        due_at=now + datetime.timedelta(days=service.sla_days),
    )
    CaseFile.objects.bulk_create(
        CaseFile(case=case, upload=upload, path=path) for path, upload in files.items()
    )
    return case


def case_draft_save(
    *,
    citizen: User,
    service: Service,
    version: FormVersion,
    data: Mapping[str, list[str]],
    files: Mapping[str, str],
) -> CaseDraft:
    """Keep what the citizen typed (`data`) and the uploads already accepted (`files`: key → id)."""
    draft, _created = CaseDraft.objects.update_or_create(
        citizen=citizen, service=service,
        defaults={"form_version": version, "data": dict(data), "files": dict(files),
                  "updated_at": timezone.now()},
    )  # fmt: skip
    return draft


def case_draft_discard(*, citizen: User, service: Service) -> None:
    CaseDraft.objects.filter(citizen=citizen, service=service).delete()


# -- the workflow ---------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("service", "citizen").get(pk=case.pk)


def _tell_citizen(case: Case, kind: MessageKind, **extra: Any) -> None:
    with translation.override(case.language):
        context = {
            "reference": case.reference,
            "service": localized(case.service, "name", case.language),
            "status": str(CaseStatus(case.status).label),
            **extra,
        }
    notify_user(user=case.citizen, kind=kind, context=context, related=case)


def _move(
    case: Case, *, to: CaseStatus, allowed_from: frozenset[str], fields: dict[str, Any]
) -> Case:
    if case.status not in allowed_from:
        raise CaseError("not_allowed")
    now = timezone.now()
    if case.status == CaseStatus.WAITING_CITIZEN and case.waiting_since and case.due_at:
        # The clock stood still while the citizen was asked: move the due date on by that long.
        fields["due_at"] = case.due_at + (now - case.waiting_since)
        fields["waiting_since"] = None
    if to == CaseStatus.WAITING_CITIZEN:
        fields["waiting_since"] = now
    if to in (CaseStatus.REJECTED, CaseStatus.COMPLETED, CaseStatus.CANCELLED):
        fields["closed_at"] = now
    fields.update(status=to, updated_at=now)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=list(fields))
    return case


@transaction.atomic
def case_staff_move(
    *,
    case: Case,
    move: str,
    actor: User,
    note: str = "",
    agreed_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """start, approve (optionally with the agreed date and time), reject (with a reason), complete.

    The caller has checked that `actor` works on this request (selectors.case_get_for_staff).
    Asking the citizen for something is `case_request_information`.
    """
    if move not in STAFF_MOVES or move == "request_info":
        raise CaseError("not_allowed")
    note = note.strip()
    if move == "reject" and not note:
        raise CaseError("reason_required")
    case = _locked(case)
    allowed_from, to = STAFF_MOVES[move]
    before = case.status
    fields: dict[str, Any] = {}
    if note:
        fields["decision_note"] = note
    if move == "approve" and agreed_at is not None:
        fields["agreed_at"] = agreed_at
    if case.assignee_id is None:
        fields["assignee"] = actor  # whoever decides a request has taken it
    _move(case, to=to, allowed_from=allowed_from, fields=fields)
    audit_record(
        action=f"cases.case.{_PAST[move]}",
        obj=case, actor=actor, request=request,
        data={"from": before, "to": str(to), "note": note,
              "agreed_at": agreed_at.isoformat() if agreed_at else None},
    )  # fmt: skip
    if move != "start":
        _tell_citizen(case, MessageKind.STATUS_CHANGED)
    return case


@transaction.atomic
def case_request_information(
    *,
    case: Case,
    actor: User,
    body: str,
    documents: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> CaseMessage:
    """Write to the citizen and wait for them; `documents` is the checklist of what to send."""
    labels = [label.strip()[:200] for label in documents if label.strip()]
    body = body.strip()
    if not body and not labels:
        raise CaseError("message_required")
    if len(labels) > MAX_DOCUMENTS_REQUESTED:
        raise CaseError("too_many_documents")
    case = _locked(case)
    allowed_from, to = STAFF_MOVES["request_info"]
    before = case.status
    _move(
        case, to=to, allowed_from=allowed_from,
        fields={"unread_by_citizen": case.unread_by_citizen + 1,
                **({"assignee": actor} if case.assignee_id is None else {})},
    )  # fmt: skip
    message = CaseMessage.objects.create(
        case=case, author=actor, author_kind=MessageAuthor.STAFF, body=body
    )
    DocumentRequest.objects.bulk_create(
        DocumentRequest(case=case, message=message, label=label) for label in labels
    )
    audit_record(
        action="cases.case.documents_requested", obj=case, actor=actor, request=request,
        data={"from": before, "to": str(to), "documents": labels, "message": message.pk},
    )  # fmt: skip
    _tell_citizen(case, MessageKind.DOCUMENTS_REQUESTED)
    return message


@transaction.atomic
def case_message_staff(
    *, case: Case, actor: User, body: str, request: HttpRequest | None = None
) -> CaseMessage:
    """An officer writes to the citizen without asking for anything (the status stays)."""
    body = body.strip()
    if not body:
        raise CaseError("message_required")
    case = _locked(case)
    case.unread_by_citizen += 1
    case.updated_at = timezone.now()
    case.save(update_fields=["unread_by_citizen", "updated_at"])
    message = CaseMessage.objects.create(
        case=case, author=actor, author_kind=MessageAuthor.STAFF, body=body
    )
    audit_record(action="cases.case.message_sent", obj=case, actor=actor, request=request,
                 data={"message": message.pk})  # fmt: skip
    _tell_citizen(case, MessageKind.REPLY)
    return message


@transaction.atomic
def case_reply(
    *,
    case: Case,
    citizen: User,
    body: str,
    files: Sequence[tuple[Upload, DocumentRequest | None]] = (),
    request: HttpRequest | None = None,
) -> CaseMessage:
    """The citizen answers (text, files for the checklist); a request waiting for them moves on."""
    body = body.strip()
    if not body and not files:
        raise CaseError("message_required")
    case = _locked(case)
    if case.citizen_id != citizen.pk or case.status not in OPEN_STATUSES:
        raise CaseError("not_allowed")
    before = case.status
    fields: dict[str, Any] = {"unread_by_staff": case.unread_by_staff + 1}
    if case.status == CaseStatus.WAITING_CITIZEN:
        _move(case, to=CaseStatus.RESUBMITTED, allowed_from=OPEN_STATUSES, fields=fields)
    else:
        fields["updated_at"] = timezone.now()
        for name, value in fields.items():
            setattr(case, name, value)
        case.save(update_fields=list(fields))
    message = CaseMessage.objects.create(
        case=case, author=citizen, author_kind=MessageAuthor.CITIZEN, body=body
    )
    now = timezone.now()
    for upload, wanted in files:
        if wanted is not None and wanted.case_id != case.pk:
            raise CaseError("not_allowed")
        CaseFile.objects.create(case=case, upload=upload, message=message, document_request=wanted)
        if wanted is not None and wanted.fulfilled_at is None:
            DocumentRequest.objects.filter(pk=wanted.pk).update(fulfilled_at=now)
    audit_record(
        action="cases.case.replied", obj=case, actor=citizen, request=request,
        data={"from": before, "to": case.status, "message": message.pk, "files": len(files)},
    )  # fmt: skip
    return message


@transaction.atomic
def case_cancel(*, case: Case, citizen: User, request: HttpRequest | None = None) -> Case:
    case = _locked(case)
    if case.citizen_id != citizen.pk:
        raise CaseError("not_allowed")
    before = case.status
    _move(case, to=CaseStatus.CANCELLED, allowed_from=OPEN_STATUSES, fields={})
    audit_record(action="cases.case.cancelled", obj=case, actor=citizen, request=request,
                 data={"from": before})  # fmt: skip
    return case


@transaction.atomic
def case_assign(
    *, case: Case, assignee: User | None, actor: User, request: HttpRequest | None = None
) -> Case:
    """Give the request to an officer (None: back to the department's pile).

    The caller checks that `actor` may assign; `assignee` must work on the request's department.
    """
    from majlis.cases.selectors import officer_list_for_case

    case = _locked(case)
    if assignee is not None and assignee.pk not in {o.pk for o in officer_list_for_case(case=case)}:
        raise CaseError("not_an_officer")
    before = case.assignee_id
    case.assignee = assignee
    case.updated_at = timezone.now()
    case.save(update_fields=["assignee", "updated_at"])
    audit_record(
        action="cases.case.assigned", obj=case, actor=actor, request=request,
        data={"from": before, "to": assignee.pk if assignee else None},
    )  # fmt: skip
    return case


@transaction.atomic
def case_route(
    *, case: Case, department: Department, actor: User, request: HttpRequest | None = None
) -> Case:
    """Send the request to another department of its authority; it leaves its officer's hands."""
    case = _locked(case)
    if department.authority_id != case.authority_id:
        raise CaseError("wrong_department")
    before = case.department_id
    case.department = department
    case.assignee = None
    case.updated_at = timezone.now()
    case.save(update_fields=["department", "assignee", "updated_at"])
    audit_record(
        action="cases.case.routed", obj=case, actor=actor, request=request,
        data={"from": before, "to": department.pk},
    )  # fmt: skip
    return case


@transaction.atomic
def case_note_add(
    *, case: Case, actor: User, body: str, request: HttpRequest | None = None
) -> CaseNote:
    """An internal note: staff only, never shown or sent to the citizen."""
    body = body.strip()
    if not body:
        raise CaseError("message_required")
    note = CaseNote.objects.create(case=case, author=actor, body=body[:4000])
    audit_record(action="cases.case.note_added", obj=case, actor=actor, request=request,
                 data={"note": note.pk})  # fmt: skip
    return note


def case_read_by_citizen(*, case: Case) -> None:
    if case.unread_by_citizen:
        Case.objects.filter(pk=case.pk).update(unread_by_citizen=0)
        case.unread_by_citizen = 0


def case_read_by_staff(*, case: Case) -> None:
    if case.unread_by_staff:
        Case.objects.filter(pk=case.pk).update(unread_by_staff=0)
        case.unread_by_staff = 0
