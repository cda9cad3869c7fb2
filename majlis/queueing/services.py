"""Everything that can happen to a queue ticket and to an agent's shift.

Each change runs in one transaction that also bumps the branch's day row (`BranchDay`): ticket
numbers come from that upsert (no duplicates, no gaps, no `max()+1`), and its version orders the
changes in commit order. After commit, one message goes to the branch's group with the version and
what moved (ticket keys removed or added per service); every waiting page works out its own
place from that, so a change costs one broadcast whatever the number of people waiting.
"""

import datetime
import functools
import json
import logging
import time
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from majlis.accounts.models import User
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Branch, Service
from majlis.core.background_tasks import tasks_are_transactional
from majlis.core.i18n import localized
from majlis.core.realtime import group_publish
from majlis.core.services import audit_record
from majlis.queueing.choices import (
    WITH_AGENT,
    ShiftStatus,
    TicketChannel,
    TicketPriority,
    TicketStatus,
)
from majlis.queueing.models import (
    AgentShift,
    BranchDay,
    Counter,
    QueuePolicy,
    Ticket,
    TicketNote,
)
from majlis.queueing.signals import ticket_finished

logger = logging.getLogger(__name__)

QUEUE_KINDS = (ServiceKind.VIDEO_QUEUE, ServiceKind.WALK_IN_QUEUE)
# Numbers of one branch and day fit in four digits; the key embeds them to stay unique.
MAX_TICKETS_PER_DAY = 9999
_KEY_FACTOR = 10_000


class QueueError(Exception):
    """A queue action that cannot happen now; `code` names why, `message` says it to the user."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        from django.utils.translation import gettext as _

        texts = {
            "closed": _("This service is not taking tickets at this branch now."),
            "full": _("The branch has given all its numbers for today. Please try again tomorrow."),
            "not_waiting": _("This ticket is no longer waiting."),
            "no_more_time": _("You have already asked for more time with this ticket."),
        }
        return texts.get(self.code, _("This cannot be done now."))


_POLICY_SECONDS = 30.0
_policies: dict[int, tuple[float, QueuePolicy]] = {}


def policy_for(service: Service) -> QueuePolicy:
    """The service's queue policy (defaults without a row). Read on every join and call, so
    each process keeps it for half a minute: an edit in the admin applies within that."""
    cached = _policies.get(service.pk)
    if cached is not None and time.monotonic() - cached[0] < _POLICY_SECONDS:
        return cached[1]
    policy = QueuePolicy.objects.filter(service_id=service.pk).first() or QueuePolicy(
        service_id=service.pk
    )
    _policies[service.pk] = (time.monotonic(), policy)
    return policy


_branches: dict[int, tuple[float, frozenset[int]]] = {}


def _branch_ids_of(service: Service) -> frozenset[int]:
    """The branches that take tickets for the service, kept like the policy."""
    cached = _branches.get(service.pk)
    if cached is not None and time.monotonic() - cached[0] < _POLICY_SECONDS:
        return cached[1]
    ids = frozenset(service.branches.filter(is_active=True).values_list("pk", flat=True))
    _branches[service.pk] = (time.monotonic(), ids)
    return ids


def caches_clear(**_signal: Any) -> None:
    """Forget the kept policies, branch lists and wait tables (on any change to them; tests
    between cases)."""
    from majlis.queueing.selectors import eta_tables_forget

    _policies.clear()
    _branches.clear()
    _days_open.clear()
    eta_tables_forget()


def branch_today(branch: Branch, now: datetime.datetime | None = None) -> datetime.date:
    """The branch's business day: the date where the authority is, not on the server."""
    zone = zoneinfo.ZoneInfo(branch.authority.time_zone)
    return (now or timezone.now()).astimezone(zone).date()


def group_name(branch_id: int) -> str:
    return f"queue.branch.{branch_id}"


# --- the change message -------------------------------------------------------------------------


@dataclass
class _Change:
    """What one transaction did to a branch's queue, published once it commits."""

    branch_id: int
    version: int = 0
    ops: list[list[Any]] = field(default_factory=list)
    now: dict[str, str] = field(default_factory=dict)
    call: dict[str, Any] | None = None
    eta_services: set[int] = field(default_factory=set)

    def removed(self, ticket: Ticket) -> None:
        self.ops.append(["rm", ticket.service_id, ticket.sort_key])
        self.eta_services.add(ticket.service_id)

    def added(self, ticket: Ticket) -> None:
        self.ops.append(["add", ticket.service_id, ticket.sort_key])

    def publish_on_commit(self) -> None:
        transaction.on_commit(self.publish)

    def publish(self) -> None:
        from majlis.queueing.selectors import eta_tables

        payload: dict[str, Any] = {"ops": self.ops, "at": time.time()}
        if self.version:
            payload["v"] = self.version
        if self.now:
            payload["now"] = self.now
        if self.call:
            payload["call"] = self.call
        if self.eta_services:
            payload["eta"] = eta_tables(branch_id=self.branch_id, service_ids=self.eta_services)
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        group_publish(group_name(self.branch_id), {"type": "queue.event", "text": text})


def _bump(branch_id: int, day: datetime.date, *, numbers: int = 0) -> tuple[int, int]:
    """Advance the branch's day row by `numbers` tickets and one version, in one statement
    (an upsert that PostgreSQL and SQLite both run); returns (last number, version)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO queueing_branchday (branch_id, day, last_number, version) "
            "VALUES (%s, %s, %s, 1) ON CONFLICT (branch_id, day) DO UPDATE SET "
            "last_number = queueing_branchday.last_number + %s, "
            "version = queueing_branchday.version + 1 "
            "RETURNING last_number, version",
            [branch_id, day, numbers, numbers],
        )
        row = cursor.fetchone()
    return int(row[0]), int(row[1])


def _change(ticket: Ticket) -> _Change:
    _, version = _bump(ticket.branch_id, ticket.day)
    change = _Change(branch_id=ticket.branch_id, version=version)
    change.publish_on_commit()
    return change


def _millis(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _audit(
    ticket: Ticket,
    verb: str,
    actor: User | None,
    request: HttpRequest | None,
    **data: Any,
) -> None:
    audit_record(
        action=f"queueing.ticket.{verb}",
        obj=ticket,
        actor=actor,
        request=request,
        data={"ticket": ticket.code, "status": ticket.status, **data},
    )


def _left_agent(ticket: Ticket, actor: User | None) -> None:
    """Tell listeners (the video call) after commit that the agent is done with the ticket."""
    transaction.on_commit(
        lambda: ticket_finished.send(sender=Ticket, ticket=ticket, actor=actor), robust=True
    )


def _link(ticket: Ticket) -> str:
    from django.conf import settings
    from django.urls import reverse

    path = reverse("portal:queueing:ticket", args=[ticket.branch.authority.slug, ticket.public_id])
    site = str(getattr(settings, "SITE_URL", ""))
    return f"{site.rstrip('/')}{path}" if site else path


def _tell(ticket: Ticket, kind: str, **context: Any) -> None:
    """An SMS to the ticket's number in the ticket's language (and an e-mail when given)."""
    from majlis.notifications.choices import Channel, MessageKind
    from majlis.notifications.services import message_send

    place = localized(ticket.branch, "name", ticket.language)
    base = {"ticket": ticket.code, "place": place, "link": _link(ticket), **context}
    if ticket.phone:
        message_send(
            channel=Channel.SMS, kind=MessageKind(kind), recipient=ticket.phone,
            language=ticket.language, context=base, user=ticket.citizen, related=ticket,
        )  # fmt: skip
    if ticket.email and kind == MessageKind.TICKET_ISSUED:
        message_send(
            channel=Channel.EMAIL, kind=MessageKind(kind), recipient=ticket.email,
            language=ticket.language, context=base, user=ticket.citizen, related=ticket,
        )  # fmt: skip


# --- joining ------------------------------------------------------------------------------------


@transaction.atomic
def ticket_issue(
    *,
    branch: Branch,
    service: Service,
    citizen: User | None,
    phone: str,
    email: str = "",
    language: str = "ar",
    channel: TicketChannel = TicketChannel.WEB,
    priority: TicketPriority = TicketPriority.NORMAL,
    appointment_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Ticket:
    """Give the next number of the branch's day. A citizen who already holds an open ticket for
    the service gets that one back (a double click or a second device never makes two).

    Every change of the branch waits for its day row, so everything that can be read before is
    read before; from the number on, three statements run until the commit (bench P2).
    """
    if service.kind not in QUEUE_KINDS or not service.is_active or not branch.is_active:
        raise QueueError("closed")
    if branch.pk not in _branch_ids_of(service):
        raise QueueError("closed")
    if citizen is not None:
        if connection.vendor == "postgresql":
            _serialise_citizen(citizen.pk)
        existing = _open_ticket_of(citizen, service)
        if existing is not None:
            return existing
    policy = policy_for(service)
    now = timezone.now()
    day = branch_today(branch, now)
    joined = now
    if priority == TicketPriority.PRIORITY:
        joined = now - datetime.timedelta(minutes=policy.priority_lead_minutes)
    elif priority == TicketPriority.APPOINTMENT and appointment_at is not None:
        joined = appointment_at
    base_key = _millis(joined) * _KEY_FACTOR
    ticket = Ticket(
        branch=branch, service=service, day=day, citizen=citizen, phone=phone, email=email,
        language=language[:2], channel=channel, priority=priority, joined_at=now,
    )  # fmt: skip
    version = _insert_numbered(ticket, base_key, near_ahead=policy.near_ahead)
    if version is None:
        # The same citizen joined twice at the same moment: the other request's ticket stands,
        # and this transaction (with its number) is rolled back, so no number is skipped.
        existing = _open_ticket_of(citizen, service) if citizen is not None else None
        transaction.set_rollback(True)
        if existing is None:
            raise QueueError("closed")
        return existing
    if ticket.number > MAX_TICKETS_PER_DAY:
        transaction.set_rollback(True)
        raise QueueError("full")
    _audit(ticket, "issued", citizen, request, channel=str(channel))
    change = _Change(branch_id=branch.pk, version=version)
    change.added(ticket)
    change.publish_on_commit()
    _tell(ticket, "ticket_issued")
    return ticket


# PostgreSQL: the number is the branch's sequence minus the day's offset (`BranchDay.base`), so
# joins of one branch never wait for each other (a row lock would hold every join of the branch
# until the one before commits: bench P2). A number is lost only when its join fails after taking
# it; one citizen's joins are serialised first (`_serialise_citizen`), so a double click costs none.
_INSERT_NUMBERED = """
WITH n AS (
    SELECT nextval(%s::regclass) - base AS number
    FROM queueing_branchday WHERE branch_id = %s AND day = %s
)
INSERT INTO queueing_ticket (
    public_id, branch_id, service_id, day, number, code, citizen_id, phone, email, language,
    channel, status, priority, sort_key, joined_at, times_called, more_time_used, near_notified
)
SELECT %s, %s, %s, %s, n.number,
    %s || '-' || CASE WHEN n.number < 1000 THEN lpad(n.number::text, 3, '0')
                      ELSE n.number::text END,
    %s, %s, %s, %s, %s, 'waiting', %s, %s + n.number, %s, 0, false,
    -- Already near the front: a "turn near" SMS would say nothing new.
    (SELECT COUNT(*) FROM (
        SELECT 1 FROM queueing_ticket WHERE branch_id = %s AND day = %s AND service_id = %s
        AND status = 'waiting' AND sort_key < %s LIMIT %s) AS ahead) <= %s
FROM n
ON CONFLICT DO NOTHING
RETURNING id, number, code, sort_key, near_notified
"""

# The day's offset: where the branch's sequence stood before the day's first number. Two first
# joins racing both try; the second waits for the first's row and keeps its offset.
_OPEN_DAY = """
INSERT INTO queueing_branchday (branch_id, day, last_number, version, base)
SELECT %s, %s, 0, 0, CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence}
ON CONFLICT (branch_id, day) DO UPDATE SET base = EXCLUDED.base
WHERE queueing_branchday.base IS NULL
"""


def _sequence_name(branch_id: int) -> str:
    return f"queueing_number_{int(branch_id)}"


def _open_day(branch_id: int, day: datetime.date) -> None:
    """Make sure the branch's number sequence and its day row exist."""
    sequence = _sequence_name(branch_id)
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence}")
        except (IntegrityError, ProgrammingError):
            pass  # created by a join running at the same moment
        cursor.execute(_OPEN_DAY.format(sequence=sequence), [branch_id, day])


def _serialise_citizen(citizen_id: int) -> None:
    """One citizen's joins run one after the other (until commit), so a double click finds the
    first ticket instead of taking a number it would give back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CITIZEN_LOCK, citizen_id])


_CITIZEN_LOCK = 7301  # the advisory-lock namespace of queue joins


_days_open: set[tuple[int, datetime.date]] = set()


def _day_exists(ticket: Ticket) -> bool:
    return BranchDay.objects.filter(branch_id=ticket.branch_id, day=ticket.day).exists()


def _insert_numbered(ticket: Ticket, base_key: int, *, near_ahead: int) -> int | None:
    """Number the ticket and insert it; returns the branch's new version (0: unversioned), or
    None when the citizen's open ticket for the service already exists (the insert did nothing).

    PostgreSQL numbers from the branch's sequence (above); SQLite, one writer at a time anyway,
    from the day row, which also gives every join a version.
    """
    if connection.vendor == "postgresql":
        params: list[Any] = [
            _sequence_name(ticket.branch_id), ticket.branch_id, ticket.day, ticket.public_id,
            ticket.branch_id, ticket.service_id, ticket.day, ticket.branch.ticket_prefix,
            ticket.citizen_id, ticket.phone, ticket.email, ticket.language, ticket.channel,
            ticket.priority, base_key, ticket.joined_at, ticket.branch_id, ticket.day,
            ticket.service_id, base_key, near_ahead + 1, near_ahead,
        ]  # fmt: skip
        row = None
        for _attempt in range(2):
            key = (ticket.branch_id, ticket.day)
            if key not in _days_open:
                _open_day(ticket.branch_id, ticket.day)
                # Remembered once committed: a rolled-back join takes its new sequence with it.
                transaction.on_commit(functools.partial(_days_open.add, key))
            with connection.cursor() as cursor:
                cursor.execute(_INSERT_NUMBERED, params)
                row = cursor.fetchone()
            # No row: the citizen's open ticket (conflict), or no day row (it went: tests).
            if row is not None or _day_exists(ticket):
                break
            _days_open.discard((ticket.branch_id, ticket.day))  # the day row went (tests)
        if row is None:
            return None
        ticket.pk, ticket.number, ticket.code, ticket.sort_key, ticket.near_notified = row
        ticket._state.adding = False
        # A join lands behind everyone already waiting: it moves no page's place, so it is
        # published without a version (below); only a priority or appointment ticket, placed
        # ahead of others, changes the branch's version.
        if ticket.priority == TicketPriority.NORMAL:
            return 0
        return _bump(ticket.branch_id, ticket.day)[1]
    ahead = Ticket.objects.filter(
        branch_id=ticket.branch_id, service_id=ticket.service_id, day=ticket.day,
        status=TicketStatus.WAITING, sort_key__lt=base_key,
    ).count()  # fmt: skip
    ticket.near_notified = ahead <= near_ahead
    number, version = _bump(ticket.branch_id, ticket.day, numbers=1)
    ticket.number = number
    ticket.code = f"{ticket.branch.ticket_prefix}-{number:03d}"
    ticket.sort_key = base_key + number
    try:
        with transaction.atomic():
            ticket.save(force_insert=True)
    except IntegrityError:
        if ticket.citizen_id is None:
            raise
        return None
    return version


def _open_ticket_of(citizen: User, service: Service) -> Ticket | None:
    return (
        Ticket.objects.filter(citizen_id=citizen.pk, service=service)
        .filter(Q(status=TicketStatus.WAITING) | Q(status__in=WITH_AGENT))
        .order_by("-joined_at")
        .first()
    )


def _locked(ticket: Ticket) -> Ticket:
    """The ticket re-read under a row lock: every transition decides on current data."""
    return (
        Ticket.objects.select_for_update()
        .select_related("branch__authority", "service")
        .get(pk=ticket.pk)
    )


def _warn_near(branch_id: int, service_id: int, day: datetime.date) -> None:
    """Send "your turn is near" to whoever now has `near_ahead` people or fewer in front."""
    limit = policy_for(Service(pk=service_id)).near_ahead
    front = list(
        Ticket.objects.filter(
            branch_id=branch_id, service_id=service_id, day=day, status=TicketStatus.WAITING
        )
        .select_related("branch__authority")
        .order_by("sort_key")[: limit + 1]
    )
    pending = [ticket.pk for ticket in front if not ticket.near_notified]
    if not pending:
        return
    # Rows another transaction holds (being called, cancelled or moved) are skipped, not waited
    # for: that transaction waits for the branch's day row, which this one holds (a deadlock
    # five agents pressing "call next" together used to hit). Its own change warns again.
    free = set(
        Ticket.objects.select_for_update(skip_locked=True)
        .filter(pk__in=pending, near_notified=False)
        .values_list("pk", flat=True)
    )
    for ahead, ticket in enumerate(front):
        if ticket.pk in free:
            Ticket.objects.filter(pk=ticket.pk).update(near_notified=True)
            _tell(ticket, "turn_near", ahead=ahead)


# --- the citizen's actions ----------------------------------------------------------------------


@transaction.atomic
def ticket_cancel(
    *, ticket: Ticket, actor: User | None, request: HttpRequest | None = None
) -> Ticket:
    ticket = _locked(ticket)
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        raise QueueError("not_waiting")
    was_waiting = ticket.status == TicketStatus.WAITING
    ticket.status = TicketStatus.CANCELLED
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    change = _change(ticket)
    if was_waiting:
        change.removed(ticket)
    change.eta_services.add(ticket.service_id)
    _audit(ticket, "cancelled", actor, request)
    _warn_near(ticket.branch_id, ticket.service_id, ticket.day)
    return ticket


@transaction.atomic
def ticket_more_time(
    *, ticket: Ticket, actor: User | None, request: HttpRequest | None = None
) -> Ticket:
    """ "I need more time": step back a few places, once. A called citizen goes back to waiting."""
    ticket = _locked(ticket)
    if ticket.more_time_used or ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        raise QueueError("no_more_time")
    places = policy_for(ticket.service).more_time_places
    behind = list(
        Ticket.objects.filter(
            branch_id=ticket.branch_id, service_id=ticket.service_id, day=ticket.day,
            status=TicketStatus.WAITING, sort_key__gt=ticket.sort_key,
        ).order_by("sort_key").values_list("sort_key", flat=True)[: places + 1]
    )  # fmt: skip
    if not behind:
        new_key = ticket.sort_key  # nobody behind: the place stays
    elif len(behind) <= places:
        new_key = behind[-1] + _KEY_FACTOR  # fewer behind than the places: go last
    else:
        low, high = behind[places - 1], behind[places]
        new_key = (low + high) // 2 if high - low > 1 else high + 1
    change = _change(ticket)
    if ticket.status == TicketStatus.WAITING:
        change.removed(ticket)
    else:
        change.eta_services.add(ticket.service_id)
    ticket.sort_key = new_key
    ticket.status = TicketStatus.WAITING
    ticket.more_time_used = True
    ticket.counter = None
    ticket.agent = None
    ticket.save(update_fields=["sort_key", "status", "more_time_used", "counter", "agent"])
    change.added(ticket)
    _audit(ticket, "more_time", actor, request, places=places)
    return ticket


# --- the agent's actions ------------------------------------------------------------------------


def _call_payload(ticket: Ticket) -> dict[str, Any]:
    counter = ticket.counter
    return {
        "code": ticket.code,
        "service": ticket.service_id,
        "counter": counter.number if counter else "",
        "counter_ar": counter.name_ar if counter else "",
        "counter_en": counter.name_en if counter else "",
    }


def _schedule_grace(ticket: Ticket) -> None:
    from majlis.queueing.tasks import expire_call

    grace = policy_for(ticket.service).grace_seconds
    ticket_id, times = ticket.pk, ticket.times_called
    run_after = timezone.now() + datetime.timedelta(seconds=grace)
    timer = expire_call.using(run_after=run_after)
    if tasks_are_transactional():
        timer.enqueue(ticket_id, times)  # a row committed with the call: no commit of its own
    else:
        transaction.on_commit(lambda: timer.enqueue(ticket_id, times))


_TAKE = (
    "UPDATE queueing_ticket SET status = 'called', called_at = %s, counter_id = %s, "
    "agent_id = %s, times_called = 1 WHERE status = 'waiting' AND id = ("
    "SELECT id FROM queueing_ticket WHERE branch_id = %s AND day = %s AND status = 'waiting' "
    "AND service_id {services} ORDER BY sort_key, id LIMIT 1{lock}) RETURNING id"
)
_TAKE_POSTGRESQL = _TAKE.format(services="= ANY(%s)", lock=" FOR UPDATE SKIP LOCKED")
_TAKE_SQLITE = _TAKE.format(services="IN (SELECT value FROM json_each(%s))", lock="")


def _take_first_waiting(
    shift: AgentShift, day: datetime.date, service_ids: list[int]
) -> int | None:
    """Mark the first waiting ticket of the services as called by this desk, in one statement;
    returns its id. On PostgreSQL the row is picked FOR UPDATE SKIP LOCKED, so agents calling at
    once each take a different ticket without waiting for each other; on SQLite the IMMEDIATE
    transaction already holds the only write lock. The `status = 'waiting'` test makes a second
    taker of the same row (there can be none) change nothing."""
    if not service_ids:
        return None
    postgresql = connection.vendor == "postgresql"
    services: list[int] | str = service_ids if postgresql else json.dumps(service_ids)
    params: list[Any] = [
        timezone.now(),
        shift.counter_id,
        shift.agent_id,
        shift.branch_id,
        day,
        services,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_POSTGRESQL if postgresql else _TAKE_SQLITE, params)
        row = cursor.fetchone()
    return int(row[0]) if row else None


@transaction.atomic
def ticket_call_next(*, shift: AgentShift, request: HttpRequest | None = None) -> Ticket | None:
    """Call the first waiting ticket among the shift's services. Two agents never get the same
    ticket: the candidate row is locked with SKIP LOCKED (PostgreSQL; SQLite serialises writers
    with IMMEDIATE transactions) and then taken by a conditional UPDATE."""
    if shift.ended_at is not None:
        raise QueueError("no_shift")
    if Ticket.objects.filter(agent=shift.agent, status__in=WITH_AGENT).exists():
        raise QueueError("busy")
    branch = shift.branch
    day = branch_today(branch)
    service_ids = list(shift.services.values_list("pk", flat=True))
    taken = _take_first_waiting(shift, day, service_ids)
    if taken is None:
        return None
    ticket = Ticket.objects.select_related("branch__authority", "service", "counter").get(pk=taken)
    _audit(ticket, "called", shift.agent, request, counter=shift.counter.number)
    _tell(ticket, "called")
    _schedule_grace(ticket)
    _warn_near(branch.pk, ticket.service_id, day)
    # The day row stays locked until commit and every change of the branch waits for it, so it
    # is taken last (two round trips under the lock instead of about ten; see bench/p6).
    change = _Change(branch_id=branch.pk, version=_bump(branch.pk, day)[1])
    change.ops.append(["rm", ticket.service_id, ticket.sort_key])
    change.eta_services.add(ticket.service_id)
    change.now = {str(ticket.service_id): ticket.code}
    change.call = _call_payload(ticket)
    change.publish_on_commit()
    return ticket


@transaction.atomic
def ticket_recall(*, ticket: Ticket, agent: User, request: HttpRequest | None = None) -> Ticket:
    ticket = _locked(ticket)
    if ticket.status != TicketStatus.CALLED or ticket.agent_id != agent.pk:
        raise QueueError("not_called")
    ticket.times_called += 1
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["times_called", "called_at"])
    change = _change(ticket)
    change.call = _call_payload(ticket)
    _audit(ticket, "recalled", agent, request, times=ticket.times_called)
    _schedule_grace(ticket)
    return ticket


@transaction.atomic
def ticket_start(
    *, ticket: Ticket, actor: User | None, request: HttpRequest | None = None
) -> Ticket:
    """Service begins: the citizen pressed "Start conversation", or the agent started at the
    counter. Starting twice is harmless (the second press finds it started)."""
    ticket = _locked(ticket)
    if ticket.status == TicketStatus.SERVING:
        return ticket
    if ticket.status != TicketStatus.CALLED:
        raise QueueError("not_called")
    ticket.status = TicketStatus.SERVING
    ticket.served_at = timezone.now()
    ticket.save(update_fields=["status", "served_at"])
    _change(ticket).eta_services.add(ticket.service_id)
    _audit(ticket, "started", actor, request)
    return ticket


@transaction.atomic
def ticket_no_show(
    *, ticket: Ticket, actor: User | None, request: HttpRequest | None = None
) -> Ticket:
    ticket = _locked(ticket)
    if ticket.status != TicketStatus.CALLED:
        raise QueueError("not_called")
    ticket.status = TicketStatus.NO_SHOW
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    _change(ticket).eta_services.add(ticket.service_id)
    _audit(ticket, "no_show", actor, request, automatic=actor is None)
    _left_agent(ticket, actor)
    return ticket


@transaction.atomic
def ticket_finish(
    *, ticket: Ticket, actor: User | None, request: HttpRequest | None = None
) -> Ticket:
    ticket = _locked(ticket)
    if ticket.status not in WITH_AGENT:
        raise QueueError("not_serving")
    now = timezone.now()
    ticket.status = TicketStatus.DONE
    ticket.served_at = ticket.served_at or now
    ticket.finished_at = now
    ticket.save(update_fields=["status", "served_at", "finished_at"])
    _change(ticket).eta_services.add(ticket.service_id)
    _audit(ticket, "finished", actor, request)
    _left_agent(ticket, actor)
    return ticket


def _switch_hold(
    ticket: Ticket, agent: User, request: HttpRequest | None, *, to: TicketStatus
) -> Ticket:
    """Serving ⇄ on hold, by the ticket's own agent."""
    ticket = _locked(ticket)
    held = to == TicketStatus.ON_HOLD
    expected = TicketStatus.SERVING if held else TicketStatus.ON_HOLD
    if ticket.status != expected or ticket.agent_id != agent.pk:
        raise QueueError("not_serving" if held else "not_on_hold")
    ticket.status = to
    ticket.save(update_fields=["status"])
    _change(ticket)
    _audit(ticket, "held" if held else "resumed", agent, request)
    return ticket


@transaction.atomic
def ticket_hold(*, ticket: Ticket, agent: User, request: HttpRequest | None = None) -> Ticket:
    """Pause the service (the citizen fetches a document); the agent stays with this ticket."""
    return _switch_hold(ticket, agent, request, to=TicketStatus.ON_HOLD)


@transaction.atomic
def ticket_resume(*, ticket: Ticket, agent: User, request: HttpRequest | None = None) -> Ticket:
    return _switch_hold(ticket, agent, request, to=TicketStatus.SERVING)


@transaction.atomic
def ticket_transfer(
    *,
    ticket: Ticket,
    agent: User,
    service: Service,
    branch: Branch | None = None,
    request: HttpRequest | None = None,
) -> Ticket:
    """Send the citizen to another service or branch. They keep their place by their original
    arrival (so they are served soon); to another branch they get that branch's next number
    and their page follows."""
    ticket = _locked(ticket)
    target = branch or ticket.branch
    if ticket.status not in WITH_AGENT:
        raise QueueError("not_serving")
    _left_agent(ticket, agent)
    if service.kind not in QUEUE_KINDS or service.authority_id != ticket.service.authority_id:
        raise QueueError("closed")
    if not service.branches.filter(pk=target.pk).exists():
        raise QueueError("closed")
    if target.pk == ticket.branch_id:
        change = _change(ticket)
        change.eta_services.add(ticket.service_id)
        ticket.service = service
        ticket.status = TicketStatus.WAITING
        ticket.counter = None
        ticket.agent = None
        ticket.near_notified = True
        ticket.save(update_fields=["service", "status", "counter", "agent", "near_notified"])
        change.added(ticket)
        _audit(ticket, "transferred", agent, request, service=service.slug)
        return ticket
    ticket.status = TicketStatus.TRANSFERRED
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    _change(ticket).eta_services.add(ticket.service_id)
    moved = ticket_issue(
        branch=target, service=service, citizen=None, phone=ticket.phone, email="",
        language=ticket.language, channel=TicketChannel.TRANSFER, request=request,
    )  # fmt: skip
    moved.citizen = ticket.citizen
    moved.save(update_fields=["citizen"])
    ticket.transferred_to = moved
    ticket.save(update_fields=["transferred_to"])
    _audit(ticket, "transferred", agent, request, service=service.slug, to=moved.code)
    return moved


@transaction.atomic
def ticket_note_add(
    *, ticket: Ticket, author: User, text: str, request: HttpRequest | None = None
) -> TicketNote:
    note = TicketNote.objects.create(ticket=ticket, author=author, text=text[:2000])
    audit_record(action="queueing.ticket.noted", obj=ticket, actor=author, request=request,
                 data={"ticket": ticket.code})  # fmt: skip
    return note


# --- shifts -------------------------------------------------------------------------------------


@transaction.atomic
def shift_open(
    *,
    agent: User,
    counter: Counter,
    services: list[Service],
    request: HttpRequest | None = None,
) -> AgentShift:
    """Sit at a desk: the agent's earlier open shift ends; a desk someone else holds is refused."""
    now = timezone.now()
    AgentShift.objects.filter(agent_id=agent.pk, ended_at__isnull=True).update(ended_at=now)
    if AgentShift.objects.filter(counter=counter, ended_at__isnull=True).exists():
        raise QueueError("counter_taken")
    shift = AgentShift.objects.create(agent=agent, branch=counter.branch, counter=counter)
    shift.services.set(services)
    day = branch_today(counter.branch, now)
    change = _Change(branch_id=counter.branch_id, version=_bump(counter.branch_id, day)[1])
    change.eta_services.update(s.pk for s in services)
    change.publish_on_commit()
    audit_record(
        action="queueing.shift.opened", obj=shift, actor=agent, request=request,
        data={"counter": counter.number, "services": [s.slug for s in services]},
    )  # fmt: skip
    return shift


@transaction.atomic
def shift_set_status(
    *, shift: AgentShift, status: ShiftStatus, request: HttpRequest | None = None
) -> AgentShift:
    shift.status = status
    shift.save(update_fields=["status"])
    _shift_changed(shift)
    audit_record(action=f"queueing.shift.{status}", obj=shift, actor=shift.agent, request=request)
    return shift


@transaction.atomic
def shift_close(*, shift: AgentShift, request: HttpRequest | None = None) -> AgentShift:
    if shift.ended_at is None:
        shift.ended_at = timezone.now()
        shift.save(update_fields=["ended_at"])
        _shift_changed(shift)
        audit_record(action="queueing.shift.closed", obj=shift, actor=shift.agent, request=request)
    return shift


def _shift_changed(shift: AgentShift) -> None:
    day = branch_today(shift.branch)
    change = _Change(branch_id=shift.branch_id, version=_bump(shift.branch_id, day)[1])
    change.eta_services.update(shift.services.values_list("pk", flat=True))
    change.publish_on_commit()
