"""The queue's rules through its services: numbering, order, calling, the citizen's actions."""

from typing import Any

import pytest

from majlis.accounts.models import User
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services
from majlis.queueing.choices import TicketPriority, TicketStatus
from majlis.queueing.models import BranchDay, Counter, Ticket

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def desk(demo: Any) -> dict[str, Any]:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    agent = User.objects.get(username="ajman.video")
    counter = Counter.objects.get(branch=branch, number="1")
    shift = services.shift_open(agent=agent, counter=counter, services=[service])
    return {"branch": branch, "service": service, "agent": agent, "shift": shift}


def _join(desk: dict[str, Any], n: int, **extra: Any) -> Ticket:
    citizen = User.objects.create_user(username=f"c{n}-{extra.get('priority', 0)}", phone="")
    return services.ticket_issue(
        branch=desk["branch"], service=desk["service"], citizen=citizen,
        phone=f"+97150000{n:04d}", **extra,
    )  # fmt: skip


def test_it_numbers_tickets_with_the_branch_prefix_and_no_gaps(desk: dict[str, Any]) -> None:
    codes = [_join(desk, n).code for n in range(1, 5)]
    assert codes == ["AJ-001", "AJ-002", "AJ-003", "AJ-004"]
    assert BranchDay.objects.filter(branch=desk["branch"]).count() == 1


def test_it_gives_a_citizen_back_the_ticket_they_hold(desk: dict[str, Any]) -> None:
    citizen = User.objects.create_user(username="twice")
    first = services.ticket_issue(
        branch=desk["branch"], service=desk["service"], citizen=citizen, phone="+971500000001"
    )
    second = services.ticket_issue(
        branch=desk["branch"], service=desk["service"], citizen=citizen, phone="+971500000001"
    )
    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


def test_it_calls_in_order_with_priority_ahead(desk: dict[str, Any]) -> None:
    first = _join(desk, 1)
    _join(desk, 2)
    urgent = _join(desk, 3, priority=TicketPriority.PRIORITY)
    called = services.ticket_call_next(shift=desk["shift"])
    assert called is not None
    assert called.pk == urgent.pk
    assert called.status == TicketStatus.CALLED
    assert called.counter_id == desk["shift"].counter_id
    with pytest.raises(services.QueueError):
        services.ticket_call_next(shift=desk["shift"])  # finish the current one first
    services.ticket_start(ticket=called, actor=called.citizen)
    services.ticket_finish(ticket=called, actor=desk["agent"])
    again = services.ticket_call_next(shift=desk["shift"])
    assert again is not None
    assert again.pk == first.pk


def test_it_steps_back_once_on_more_time(desk: dict[str, Any]) -> None:
    tickets = [_join(desk, n) for n in range(1, 7)]
    moved = services.ticket_more_time(ticket=tickets[0], actor=tickets[0].citizen)
    order = list(
        Ticket.objects.filter(status=TicketStatus.WAITING)
        .order_by("sort_key")
        .values_list("code", flat=True)
    )
    assert order.index(moved.code) == 3  # three places back
    with pytest.raises(services.QueueError):
        services.ticket_more_time(ticket=moved, actor=moved.citizen)


def test_it_queues_the_answer_timer_with_the_call(desk: dict[str, Any]) -> None:
    from django_tasks_db.models import DBTaskResult

    ticket = _join(desk, 1)
    called = services.ticket_call_next(shift=desk["shift"])
    assert called is not None
    assert called.pk == ticket.pk
    timers = DBTaskResult.objects.filter(task_path="majlis.queueing.tasks.expire_call")
    assert timers.count() == 1
    timer = timers.get()
    grace = services.policy_for(desk["service"]).grace_seconds
    assert timer.args_kwargs["args"] == [called.pk, 1]
    assert abs((timer.run_after - called.called_at).total_seconds() - grace) < 5


def test_a_citizen_who_does_not_answer_is_passed_and_the_next_called(
    desk: dict[str, Any],
) -> None:
    from majlis.queueing.tasks import expire_call

    first, second = _join(desk, 1), _join(desk, 2)
    services.ticket_call_next(shift=desk["shift"])
    services.ticket_recall(ticket=first, agent=desk["agent"])
    expire_call.call(first.pk, 1)  # the first call's timer, made stale by the recall
    first.refresh_from_db()
    assert first.status == TicketStatus.CALLED
    expire_call.call(first.pk, 2)  # the recall's own timer
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == TicketStatus.NO_SHOW
    assert second.status == TicketStatus.CALLED
    assert second.agent_id == desk["agent"].pk
    expire_call.call(first.pk, 2)  # a repeated timer changes nothing
    second.refresh_from_db()
    assert second.status == TicketStatus.CALLED


def test_a_started_call_is_not_passed(desk: dict[str, Any]) -> None:
    from majlis.queueing.tasks import expire_call

    ticket = _join(desk, 1)
    services.ticket_call_next(shift=desk["shift"])
    services.ticket_start(ticket=ticket, actor=ticket.citizen)
    expire_call.call(ticket.pk, 1)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SERVING
