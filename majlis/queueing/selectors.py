"""Reads of the queue: access gates, a waiting page's snapshot, wait estimates, boards."""

import datetime
import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, F, Min, Q, QuerySet
from django.utils import timezone

from majlis.accounts.choices import Role
from majlis.accounts.models import StaffRole
from majlis.catalogue.models import Branch, Service
from majlis.queueing import eta
from majlis.queueing.choices import WITH_AGENT, ShiftStatus, TicketStatus
from majlis.queueing.models import AgentShift, Counter, Ticket, TicketNote
from majlis.queueing.services import QUEUE_KINDS, branch_today

QUEUE_ROLES = (Role.VIDEO_AGENT, Role.COUNTER_AGENT, Role.SUPERVISOR, Role.AUTHORITY_ADMIN)
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.AUTHORITY_ADMIN)
# Waiting pages get predicted waits for this many places; beyond, the last step is repeated.
ETA_TABLE_SIZE = 50
_STATS_SECONDS = 60


# --- gates --------------------------------------------------------------------------------------


def ticket_get_for_citizen(
    *, user: AbstractBaseUser | AnonymousUser, public_id: str
) -> Ticket | None:
    """The citizen's own ticket; anybody else's, or none, is the same None."""
    if not user.is_authenticated:
        return None
    return (
        Ticket.objects.select_related("branch__authority", "service", "counter")
        .filter(public_id=public_id, citizen_id=user.pk)
        .first()
    )


def branch_list_for_staff(
    *, user: AbstractBaseUser | AnonymousUser, roles: tuple[Role, ...] = QUEUE_ROLES
) -> QuerySet[Branch]:
    """Branches whose queues the staff member may work (or, with SUPERVISOR_ROLES, watch)."""
    branches = Branch.objects.filter(is_active=True).select_related("authority")
    if not user.is_authenticated or not getattr(user, "is_staff", False):
        return branches.none()
    if getattr(user, "is_superuser", False):
        return branches
    roles_held = StaffRole.objects.filter(user_id=user.pk, role__in=roles)
    allowed = Q(pk__in=[])
    for authority_id, branch_id in roles_held.values_list("authority_id", "branch_id"):
        allowed |= Q(pk=branch_id) if branch_id else Q(authority_id=authority_id)
    return branches.filter(allowed)


def ticket_get_for_agent(
    *, user: AbstractBaseUser | AnonymousUser, public_id: str
) -> Ticket | None:
    """A ticket of a branch the staff member works in."""
    return (
        Ticket.objects.select_related("branch__authority", "service", "counter")
        .filter(public_id=public_id, branch__in=branch_list_for_staff(user=user))
        .first()
    )


def shift_get_open(*, user: AbstractBaseUser | AnonymousUser) -> AgentShift | None:
    if not user.is_authenticated:
        return None
    return (
        AgentShift.objects.select_related("branch__authority", "counter", "agent")
        .filter(agent_id=user.pk, ended_at__isnull=True)
        .first()
    )


def queue_services(branch: Branch) -> QuerySet[Service]:
    return branch.services.filter(kind__in=QUEUE_KINDS, is_active=True)


def counters_free(branch: Branch) -> QuerySet[Counter]:
    taken = AgentShift.objects.filter(ended_at__isnull=True).values("counter_id")
    return branch.counters.filter(is_active=True).exclude(pk__in=taken)


# --- wait estimates -----------------------------------------------------------------------------


def _stats_for(service_id: int) -> eta.QueueStats:
    """What the service's recent history says about call lengths and patience (cached briefly:
    it moves slowly, and every broadcast would otherwise read it again)."""
    key = f"queueing:eta-stats:{service_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    since = timezone.now() - datetime.timedelta(days=14)
    rows = list(
        Ticket.objects.filter(service_id=service_id, finished_at__gte=since)
        .filter(status__in=[TicketStatus.DONE, TicketStatus.CANCELLED, TicketStatus.NO_SHOW])
        .order_by("-finished_at")
        .values_list("status", "joined_at", "called_at", "served_at", "finished_at")[:400]
    )
    durations: list[tuple[float, float]] = []
    waits: list[tuple[float, float, bool]] = []
    for status, joined, called, served, finished in rows:
        if finished is None or joined is None:
            continue
        at = finished.timestamp()
        if status == TicketStatus.DONE and served is not None:
            durations.append((at, (finished - served).total_seconds()))
        if called is not None:
            waits.append((called.timestamp(), (called - joined).total_seconds(), False))
        elif status == TicketStatus.CANCELLED:
            waits.append((at, (finished - joined).total_seconds(), True))
    stats = eta.learn_stats(services=durations, waits=waits)
    cache.set(key, stats, _STATS_SECONDS)
    return stats


def _agents_on_duty(branch_id: int, service_id: int) -> int:
    return AgentShift.objects.filter(
        branch_id=branch_id, ended_at__isnull=True, status=ShiftStatus.AVAILABLE,
        services__pk=service_id,
    ).count()  # fmt: skip


def _desk_state(branch_id: int, service_id: int) -> tuple[list[float], list[float]]:
    """How long each call in progress has run, and how long the people at the front of the
    queue have waited (in line order)."""
    now = timezone.now()
    busy = Ticket.objects.filter(
        branch_id=branch_id, service_id=service_id, status__in=WITH_AGENT
    ).values_list("called_at", "served_at")
    elapsed = [(now - (served or called)).total_seconds() for called, served in busy if called]
    front = Ticket.objects.filter(
        branch_id=branch_id, service_id=service_id, day=branch_today_by_id(branch_id),
        status=TicketStatus.WAITING,
    ).order_by("sort_key").values_list("joined_at", flat=True)[:ETA_TABLE_SIZE]  # fmt: skip
    waited = [(now - joined).total_seconds() for joined in front]
    return elapsed, waited


# A burst of calls (ten agents pressing at once) would compute the same table ten times: a
# table is reused for two seconds while the number of agents on duty stays the same.
_ETA_REUSE_SECONDS = 2.0
_eta_recent: dict[tuple[int, int, int], tuple[float, list[int]]] = {}


def eta_tables_forget() -> None:
    _eta_recent.clear()


def eta_tables(*, branch_id: int, service_ids: set[int]) -> dict[str, list[int] | None]:
    """Predicted waits (seconds) by people ahead, 0…ETA_TABLE_SIZE, per service; None while no
    agent is on duty (the page then says the desk has not opened yet)."""
    tables: dict[str, list[int] | None] = {}
    for service_id in sorted(service_ids):
        agents = _agents_on_duty(branch_id, service_id)
        if agents == 0:
            tables[str(service_id)] = None
            continue
        key = (branch_id, service_id, agents)
        recent = _eta_recent.get(key)
        if recent is not None and time.monotonic() - recent[0] < _ETA_REUSE_SECONDS:
            tables[str(service_id)] = recent[1]
            continue
        elapsed, waited = _desk_state(branch_id, service_id)
        values = eta.eta_table(
            max_ahead=ETA_TABLE_SIZE, agents=agents, in_service_elapsed=elapsed,
            waiting_elapsed=waited, stats=_stats_for(service_id),
        )  # fmt: skip
        table = [round(v) for v in values]
        _eta_recent[key] = (time.monotonic(), table)
        tables[str(service_id)] = table
    return tables


def branch_today_by_id(branch_id: int) -> datetime.date:
    branch = Branch.objects.select_related("authority").get(pk=branch_id)
    return branch_today(branch)


# --- the waiting page ---------------------------------------------------------------------------


def _version_and_ahead(ticket: Ticket) -> tuple[int, int]:
    """The branch's version and the people ahead, read in one statement (one snapshot), so a
    page that resynchronises never counts a change twice or misses it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM queueing_branchday WHERE branch_id = %s AND day = %s), "
            "(SELECT COUNT(*) FROM queueing_ticket WHERE branch_id = %s AND day = %s "
            "AND service_id = %s AND status = 'waiting' AND sort_key < %s)",
            [ticket.branch_id, ticket.day, ticket.branch_id, ticket.day, ticket.service_id,
             ticket.sort_key],
        )  # fmt: skip
        version, ahead = cursor.fetchone()
    return int(version or 0), int(ahead)


def now_serving(*, branch_id: int, service_id: int, day: datetime.date) -> str:
    code = (
        Ticket.objects.filter(
            branch_id=branch_id, service_id=service_id, day=day, called_at__isnull=False
        )
        .order_by("-called_at")
        .values_list("code", flat=True)
        .first()
    )
    return code or ""


def ticket_snapshot(ticket: Ticket) -> dict[str, Any]:
    """Everything a waiting page shows, at a version it can apply later changes to."""
    version, ahead = _version_and_ahead(ticket)
    ticket.refresh_from_db(fields=["status", "sort_key", "service", "counter", "transferred_to"])
    table = eta_tables(branch_id=ticket.branch_id, service_ids={ticket.service_id})
    data: dict[str, Any] = {
        "v": version,
        "at": timezone.now().timestamp(),
        "code": ticket.code,
        "status": ticket.status,
        "service": ticket.service_id,
        "key": ticket.sort_key,
        "ahead": ahead if ticket.status == TicketStatus.WAITING else 0,
        "now": now_serving(
            branch_id=ticket.branch_id, service_id=ticket.service_id, day=ticket.day
        ),
        "eta": table[str(ticket.service_id)],
        "more_time": not ticket.more_time_used,
    }
    if ticket.counter_id is not None and ticket.status in WITH_AGENT:
        data["counter"] = ticket.counter.number if ticket.counter else ""
    if ticket.transferred_to_id is not None:
        data["moved_to"] = ticket.transferred_to.public_id if ticket.transferred_to else ""
    return data


def ticket_list_open_for_citizen(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Ticket]:
    if not user.is_authenticated:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(citizen_id=user.pk)
        .filter(Q(status=TicketStatus.WAITING) | Q(status__in=WITH_AGENT))
        .select_related("branch__authority", "service")
    )


# --- staff --------------------------------------------------------------------------------------


def queue_waiting(*, branch: Branch, service_ids: list[int]) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        branch=branch, day=branch_today(branch), service_id__in=service_ids,
        status=TicketStatus.WAITING,
    ).select_related("service").order_by("sort_key", "pk")  # fmt: skip


def ticket_current_for_agent(*, user: AbstractBaseUser) -> Ticket | None:
    return (
        Ticket.objects.filter(agent_id=user.pk, status__in=WITH_AGENT)
        .select_related("branch__authority", "service", "counter")
        .first()
    )


def board_for_branch(branch: Branch) -> dict[str, Any]:
    """The hall's TV: who is called to which desk now, and the last calls."""
    day = branch_today(branch)
    called = Ticket.objects.filter(branch=branch, day=day, called_at__isnull=False)
    current = (
        called.filter(status__in=WITH_AGENT).select_related("counter").order_by("counter__number")
    )
    recent = called.select_related("counter").order_by("-called_at")[:8]
    return {"current": list(current), "recent": list(recent)}


def branch_stats(branch: Branch) -> dict[str, Any]:
    """The supervisor's figures for today."""
    day = branch_today(branch)
    now = timezone.now()
    today = Ticket.objects.filter(branch=branch, day=day)
    counts = today.aggregate(
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        no_shows=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
        served=Count("pk", filter=Q(status=TicketStatus.DONE)),
        cancelled=Count("pk", filter=Q(status=TicketStatus.CANCELLED)),
        oldest=Min("joined_at", filter=Q(status=TicketStatus.WAITING)),
        average_wait=Avg(F("called_at") - F("joined_at"), filter=Q(called_at__isnull=False)),
    )
    oldest = counts.pop("oldest")
    average = counts.pop("average_wait")
    shifts = AgentShift.objects.filter(branch=branch, ended_at__isnull=True).select_related(
        "agent", "counter"
    )
    return {
        **counts,
        "longest_wait_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "average_wait_seconds": int(average.total_seconds()) if average else 0,
        "agents_active": sum(1 for s in shifts if s.status == ShiftStatus.AVAILABLE),
        "shifts": list(shifts),
    }


# --- staff pages (staffui) ----------------------------------------------------------------------


def transfer_targets(ticket: Ticket) -> list[tuple[Service, Branch]]:
    """Where an agent may send a ticket: every queue service of the ticket's authority at every
    active branch that offers it, except where the ticket already is."""
    pairs: list[tuple[Service, Branch]] = []
    services = (
        Service.objects.filter(
            authority_id=ticket.service.authority_id, kind__in=QUEUE_KINDS, is_active=True
        )
        .prefetch_related("branches__authority")
        .order_by("pk")
    )
    for service in services:
        for branch in service.branches.all():
            if not branch.is_active:
                continue
            if service.pk == ticket.service_id and branch.pk == ticket.branch_id:
                continue
            pairs.append((service, branch))
    return pairs


def ticket_notes(ticket: Ticket) -> QuerySet[TicketNote]:
    """A ticket's notes, oldest first (staff only)."""
    return ticket.notes.select_related("author").order_by("created_at", "pk")


def tickets_with_agents(branch: Branch) -> dict[int, Ticket]:
    """Today's tickets that agents of the branch are busy with, by agent id."""
    rows = Ticket.objects.filter(
        branch=branch, day=branch_today(branch), status__in=WITH_AGENT, agent_id__isnull=False
    ).select_related("service")
    return {t.agent_id: t for t in rows if t.agent_id is not None}
