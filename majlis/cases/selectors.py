"""Reads of the cases domain, and its access gates.

A request is reached only through a gate: its citizen (`case_get_for_citizen`), the staff who
work on it (`case_get_for_staff`) or the public inquiry (`case_status_inquire`, status only).
Every gate answers None alike for "no such request" and "not yours".
"""

import re
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from majlis.accounts.choices import Role
from majlis.accounts.models import StaffRole, User
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case, CaseDraft, CaseFile, CaseMessage, DocumentRequest
from majlis.catalogue.models import Authority, Department, Service
from majlis.core.i18n import gregorian_years_of_hijri_year

# Roles that see every request of their authority (and may route and assign); an officer sees
# the requests of the departments they hold a role in.
AUTHORITY_WIDE_ROLES = (Role.TRIAGE, Role.SUPERVISOR, Role.AUTHORITY_ADMIN)
CASE_ROLES = (Role.DEPARTMENT_OFFICER, *AUTHORITY_WIDE_ROLES)


def case_list_for_citizen(*, citizen: AbstractBaseUser | AnonymousUser) -> QuerySet[Case]:
    if not citizen.is_authenticated:
        return Case.objects.none()
    return Case.objects.select_related("service", "authority").filter(citizen_id=citizen.pk)


def case_get_for_citizen(
    *, citizen: AbstractBaseUser | AnonymousUser, reference: str
) -> Case | None:
    """The citizen's own request; anybody else's, or none, is the same None."""
    return case_list_for_citizen(citizen=citizen).filter(reference=reference).first()


def case_get_for_submission(
    *, citizen: AbstractBaseUser | AnonymousUser, submission_key: str
) -> Case | None:
    """The citizen's request filed with this key (a retried submission), if any."""
    if not submission_key:
        return None
    return case_list_for_citizen(citizen=citizen).filter(submission_key=submission_key).first()


def _staff_scope(user: AbstractBaseUser | AnonymousUser) -> Q | None:
    """The requests a staff member works on, as a filter; None when they work on none."""
    if not user.is_authenticated or not getattr(user, "is_staff", False):
        return None
    if getattr(user, "is_superuser", False):
        return Q()
    rows = StaffRole.objects.filter(user_id=user.pk, role__in=CASE_ROLES).values_list(
        "role", "authority_id", "department_id"
    )
    scope = Q(pk__in=[])
    for role, authority_id, department_id in rows:
        if role in AUTHORITY_WIDE_ROLES:
            scope |= Q(authority_id=authority_id)
        elif department_id is not None:
            scope |= Q(department_id=department_id)
    return scope


def case_list_for_staff(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Case]:
    scope = _staff_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.select_related("service", "authority", "department", "assignee").filter(
        scope
    )


def case_get_for_staff(*, user: AbstractBaseUser | AnonymousUser, reference: str) -> Case | None:
    return case_list_for_staff(user=user).filter(reference=reference).first()


def case_staff_can_route(*, user: AbstractBaseUser | AnonymousUser, case: Case) -> bool:
    """Route to another department and assign to anyone: triage, supervisors, administrators."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return StaffRole.objects.filter(
        user_id=user.pk, role__in=AUTHORITY_WIDE_ROLES, authority_id=case.authority_id
    ).exists()


def officer_list_for_case(*, case: Case) -> QuerySet[User]:
    """Who a request can be assigned to: its department's officers and authority-wide staff."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(
                staff_roles__role=Role.DEPARTMENT_OFFICER,
                staff_roles__department_id=case.department_id,
            )
            | Q(
                staff_roles__role__in=AUTHORITY_WIDE_ROLES,
                staff_roles__authority_id=case.authority_id,
            )
        )
        .distinct()
        .order_by("display_name", "username")
    )


def _staff_rows(user: AbstractBaseUser | AnonymousUser) -> list[tuple[str, int, int | None]]:
    """(role, authority, department) of each case role a signed-in staff member holds."""
    return list(
        StaffRole.objects.filter(user_id=cast(int, user.pk), role__in=CASE_ROLES).values_list(
            "role", "authority_id", "department_id"
        )
    )


def department_list_for_staff(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Department]:
    """The departments whose requests a staff member sees (the inbox's department filter)."""
    if not user.is_authenticated or not getattr(user, "is_staff", False):
        return Department.objects.none()
    departments = Department.objects.select_related("authority").order_by(
        "authority__position", "position", "name_en"
    )
    if getattr(user, "is_superuser", False):
        return departments
    scope = Q(pk__in=[])
    for role, authority_id, department_id in _staff_rows(user):
        if role in AUTHORITY_WIDE_ROLES:
            scope |= Q(authority_id=authority_id)
        elif department_id is not None:
            scope |= Q(pk=department_id)
    return departments.filter(scope)


def case_route_authority_ids(*, user: AbstractBaseUser | AnonymousUser) -> set[int] | None:
    """The authorities in which a staff member may route and assign to anyone; None: all."""
    if not user.is_authenticated or not getattr(user, "is_staff", False):
        return set()
    if getattr(user, "is_superuser", False):
        return None
    return {a for role, a, _d in _staff_rows(user) if role in AUTHORITY_WIDE_ROLES}


def officer_list_for_staff(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[User]:
    """Whom a staff member may hand requests to from the inbox (each case is checked again).

    Triage, supervisors and administrators: every officer and authority-wide member of their
    authorities. Anyone else: themselves only.
    """
    if not user.is_authenticated or not getattr(user, "is_staff", False):
        return User.objects.none()
    active = User.objects.filter(is_active=True, is_staff=True)
    authorities = case_route_authority_ids(user=user)
    if authorities is None:
        officers = active.filter(staff_roles__role__in=CASE_ROLES)
    elif authorities:
        officers = active.filter(
            staff_roles__role__in=CASE_ROLES, staff_roles__authority_id__in=authorities
        )
    else:
        officers = active.filter(pk=user.pk)
    return officers.distinct().order_by("display_name", "username")


def officer_list_for_departments(*, departments: list[Department]) -> QuerySet[User]:
    """Who works on these departments' requests: their officers and their authorities' triage,
    supervisors and administrators (the inbox's "assigned to" filter)."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(
                staff_roles__role=Role.DEPARTMENT_OFFICER,
                staff_roles__department_id__in=[d.pk for d in departments],
            )
            | Q(
                staff_roles__role__in=AUTHORITY_WIDE_ROLES,
                staff_roles__authority_id__in={d.authority_id for d in departments},
            )
        )
        .distinct()
        .order_by("display_name", "username")
    )


def document_request_list_open(*, case: Case) -> QuerySet[DocumentRequest]:
    return case.document_requests.filter(fulfilled_at__isnull=True)


def case_thread(*, case: Case) -> QuerySet[CaseMessage]:
    """The request's messages, oldest first, with their checklists and files (three queries)."""
    return case.messages.order_by("created_at", "pk").prefetch_related(
        "document_requests",
        Prefetch(
            "files",
            queryset=CaseFile.objects.select_related("upload", "document_request").order_by("pk"),
        ),
    )


def case_file_get(*, case: Case, public_id: str) -> CaseFile | None:
    """A file of this request (a form answer or sent in its thread), by its upload's public id."""
    return (
        CaseFile.objects.select_related("upload")
        .filter(case=case, upload__public_id=public_id)
        .first()
    )


def case_draft_get(
    *, citizen: AbstractBaseUser | AnonymousUser, service: Service
) -> CaseDraft | None:
    if not citizen.is_authenticated:
        return None
    return CaseDraft.objects.filter(citizen_id=citizen.pk, service=service).first()


# -- the public inquiry ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*(?:[A-Za-z]{2,6}-\d{4}-)?0*(\d{1,9})\s*$")


@dataclass(frozen=True)
class InquiryAnswer:
    """All the public inquiry reveals: the number as the authority writes it, and its status."""

    reference: str
    status: CaseStatus


def _gregorian_years(hijri: int) -> tuple[int, ...]:
    """The Gregorian years of a Hijri year; none outside the calendar's table (a typed 2099)."""
    try:
        return gregorian_years_of_hijri_year(hijri)
    except ValueError:
        return ()


def case_status_inquire(*, authority: Authority, number: str, year: int) -> InquiryAnswer | None:
    """Request number (`67` or `NJR-1448-000067`) and year (Hijri or Gregorian) → status only.

    A Gregorian year finds the request numbered in a Hijri year that overlaps it. Unknown
    number, wrong year, another authority's request and nonsense all give the same None.
    """
    match = _NUMBER.match(number or "")
    if match is None:
        return None
    if match.group(0).strip()[:1].isalpha() and not number.strip().upper().startswith(
        f"{authority.code}-"
    ):
        return None
    candidates = Case.objects.filter(authority=authority, number=int(match.group(1)))
    years = {year}
    if authority.show_hijri and year > 1900:
        near = (year - 622) * 33 // 32  # 33 Hijri years take 32 Gregorian ones
        years |= {y for y in range(near - 1, near + 3) if year in _gregorian_years(y)}
    case = candidates.filter(year__in=years).order_by("-year").first()
    if case is None:
        return None
    return InquiryAnswer(reference=case.reference, status=CaseStatus(case.status))


def case_summary_document(*, case: Case, language: str, status_url: str) -> bytes:
    """The request's summary PDF (cases/pdf.py), for the pages and the API alike."""
    from majlis.cases.pdf import case_summary_pdf

    return case_summary_pdf(case, language=language, status_url=status_url)
