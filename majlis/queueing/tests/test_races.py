"""QUALITY R2 for the queue: many people joining and many agents calling at the same moment.

Real threads, each with its own PostgreSQL connection, start together at a barrier and run the
real services. The same harness also runs a deliberately naive queue written here (number =
max() + 1, call-next = read the first waiting row then update it), with a short pause between
the read and the write: it must show the races, which proves the checks can fail.
"""

import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections, transaction

from majlis.accounts.models import User
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services
from majlis.queueing.choices import TicketStatus
from majlis.queueing.models import BranchDay, Counter, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16
NAIVE_PAUSE = 0.003  # seconds between the naive read and its write: the window a race needs


@pytest.fixture
def desk(demo: Any) -> dict[str, Any]:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    return {"branch": branch, "service": service}


@pytest.fixture(autouse=True)
def _pool_for_every_thread() -> Iterator[None]:
    """Each thread keeps its own connection for its whole run: make the pool big enough."""
    pool = getattr(connection, "pool", None)
    if pool is None:  # not PostgreSQL with a pool: each thread opens its own connection anyway
        yield
        return
    before = (pool.min_size, pool.max_size)
    pool.resize(min_size=before[0], max_size=THREADS + 4)
    yield
    pool.resize(min_size=before[0], max_size=before[1])


def _parallel[T](workers: int, job: Callable[[int], list[T]]) -> list[T]:
    """Run `job(index)` in `workers` threads that start at the same instant; gather the results
    and re-raise the first error. Each thread closes its own connection when it is done."""
    barrier = threading.Barrier(workers)
    results: list[list[T]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job(index)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    if errors:
        raise errors[0]
    return [item for chunk in results for item in chunk]


def _issue_all(count: int, issue: Callable[[int], int]) -> list[int]:
    """`count` joins spread over the threads; returns every number handed out."""

    def job(index: int) -> list[int]:
        return [issue(n) for n in range(index, count, THREADS)]

    return _parallel(THREADS, job)


def _duplicates(values: list[Any]) -> dict[Any, int]:
    return {value: seen for value, seen in Tally(values).items() if seen > 1}


# --- the real services --------------------------------------------------------------------------


def test_it_numbers_a_thousand_concurrent_joins_without_duplicates_or_gaps(
    desk: dict[str, Any],
) -> None:
    count = 1000
    citizens = User.objects.bulk_create(
        User(username=f"race-{n}", phone=f"+9715{n:08d}", password="!") for n in range(count)
    )

    def issue(n: int) -> int:
        ticket = services.ticket_issue(
            branch=desk["branch"], service=desk["service"], citizen=citizens[n],
            phone=citizens[n].phone,
        )  # fmt: skip
        return ticket.number

    numbers = _issue_all(count, issue)

    assert _duplicates(numbers) == {}
    assert sorted(numbers) == list(range(1, count + 1))
    stored = list(Ticket.objects.values_list("number", flat=True))
    assert sorted(stored) == list(range(1, count + 1))
    day = BranchDay.objects.get(branch=desk["branch"])
    assert day.version == 0  # a plain join lands behind everyone: it moves no page's place
    codes = set(Ticket.objects.values_list("code", flat=True))
    assert len(codes) == count
    assert {"AJ-001", "AJ-1000"} <= codes


def test_it_gives_one_ticket_to_a_citizen_who_joins_fifty_times_at_once(
    desk: dict[str, Any],
) -> None:
    citizen = User.objects.create_user(username="impatient", phone="+971500000777")

    def job(_index: int) -> list[int]:
        ticket = services.ticket_issue(
            branch=desk["branch"], service=desk["service"], citizen=citizen, phone=citizen.phone
        )
        return [ticket.pk]

    got = _parallel(50, job)

    assert Ticket.objects.count() == 1
    assert set(got) == {Ticket.objects.get().pk}
    # The refused attempts took no number: the next citizen's ticket is the second.
    other = User.objects.create_user(username="next", phone="+971500000778")
    after = services.ticket_issue(
        branch=desk["branch"], service=desk["service"], citizen=other, phone=other.phone
    )
    assert after.number == 2


def _agents(desk: dict[str, Any], count: int) -> list[Any]:
    """`count` agents, each with a shift at a desk of its own serving the service."""
    shifts = []
    for index in range(count):
        counter, _ = Counter.objects.get_or_create(
            branch=desk["branch"], number=str(index + 1),
            defaults={"name_ar": f"مكتب {index + 1}", "name_en": f"Desk {index + 1}"},
        )  # fmt: skip
        agent = User.objects.create_user(username=f"agent-{index}", is_staff=True)
        shifts.append(services.shift_open(agent=agent, counter=counter, services=[desk["service"]]))
    return shifts


def test_it_never_calls_a_ticket_twice_when_five_agents_press_call_next_at_once(
    desk: dict[str, Any],
) -> None:
    waiting = 200
    for _ in range(waiting):
        services.ticket_issue(
            branch=desk["branch"], service=desk["service"], citizen=None, phone=""
        )
    shifts = _agents(desk, 5)

    def job(index: int) -> list[int]:
        shift, called = shifts[index], []
        while (ticket := services.ticket_call_next(shift=shift)) is not None:
            called.append(ticket.pk)
            services.ticket_finish(ticket=ticket, actor=shift.agent)  # free for the next call
        return called

    called = _parallel(5, job)

    assert _duplicates(called) == {}
    assert len(called) == waiting
    assert set(called) == set(Ticket.objects.values_list("pk", flat=True))
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()
    assert set(Ticket.objects.values_list("times_called", flat=True)) == {1}
    assert Ticket.objects.values("agent").distinct().count() > 1  # the agents really competed
    day = BranchDay.objects.get(branch=desk["branch"])
    assert day.version == len(shifts) + 2 * waiting  # shifts, calls, finishes (joins have none)


# --- the naive queue, to prove the checks above can fail ----------------------------------------


@pytest.fixture
def naive_table() -> Iterator[str]:
    """A bare ticket table without the unique number or any locking discipline."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE race_naive_ticket (id serial PRIMARY KEY, number integer NOT NULL, "
            "status varchar(16) NOT NULL DEFAULT 'waiting', agent integer)"
        )
    yield "race_naive_ticket"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE race_naive_ticket")


def _naive_issue(_n: int) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(number), 0) + 1 FROM race_naive_ticket")
        number = int(cursor.fetchone()[0])
        time.sleep(NAIVE_PAUSE)
        cursor.execute("INSERT INTO race_naive_ticket (number) VALUES (%s)", [number])
    return number


def _naive_call_next(agent: int) -> int | None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM race_naive_ticket WHERE status = 'waiting' ORDER BY id LIMIT 1"
        )
        row = cursor.fetchone()
        if row is None:
            return None
        time.sleep(NAIVE_PAUSE)
        cursor.execute(
            "UPDATE race_naive_ticket SET status = 'called', agent = %s WHERE id = %s",
            [agent, row[0]],
        )
    return int(row[0])


def test_it_catches_the_races_of_a_naive_queue(naive_table: str) -> None:
    numbers = _issue_all(200, _naive_issue)
    assert _duplicates(numbers) != {}, "max()+1 without a lock should have repeated numbers"
    assert sorted(numbers) != list(range(1, 201))

    def job(index: int) -> list[int]:
        called = []
        while (ticket := _naive_call_next(index)) is not None:
            called.append(ticket)
        return called

    called = _parallel(5, job)
    assert _duplicates(called) != {}, "read-then-update should have called a ticket twice"
