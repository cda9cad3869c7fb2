"""P6: an agent's "call next" with 1,000 citizens waiting and 10 agents pressing it at once.

Ten threads (ten agents, each with its own shift at its own desk and its own PostgreSQL
connection) start together at a barrier and call, finish, call again until the queue is empty:
1,000 calls of `services.ticket_call_next` (the full service: SKIP LOCKED pick, conditional
update, version bump, audit, the "called" SMS row, the no-show timer task, the "turn near" check,
the broadcast through Redis). The latency of each call is recorded; goal p99 < 250 ms with no
ticket called twice.

Baseline in the same run: the bare round trip such a pick needs, on a plain table of 1,000 rows
with the same partial index, by the same ten threads: BEGIN; SELECT id … ORDER BY sort_key
LIMIT 1 FOR UPDATE SKIP LOCKED; UPDATE … ; COMMIT.

    .venv/bin/python bench/p6_call_next.py
"""

import sys
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import django_setup, percentile, prepare_branch, table

AGENTS = 10
WAITING = 1000

django_setup(DATABASE_POOL_MAX=str(AGENTS + 4))

from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from majlis.accounts.models import User  # noqa: E402
from majlis.queueing import services  # noqa: E402
from majlis.queueing.models import BranchDay, Counter, Ticket  # noqa: E402


def run_agents(
    call: Callable[[int], int | None], finish: Callable[[int, int], None]
) -> tuple[list[float], list[int], float]:
    """Every agent calls until the queue is empty; returns latencies (s), called ids, wall time."""
    barrier = threading.Barrier(AGENTS + 1)
    latencies: list[list[float]] = [[] for _ in range(AGENTS)]
    called: list[list[int]] = [[] for _ in range(AGENTS)]
    errors: list[BaseException] = []

    def agent(index: int) -> None:
        try:
            barrier.wait()
            while True:
                started = time.perf_counter()
                got = call(index)
                latencies[index].append(time.perf_counter() - started)
                if got is None:
                    break
                called[index].append(got)
                finish(index, got)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=agent, args=(i,)) for i in range(AGENTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    return [x for chunk in latencies for x in chunk], [x for chunk in called for x in chunk], wall


def setup_queue(ctx: dict) -> list:
    """1,000 waiting tickets with mobile numbers, and ten agents on shift."""
    branch, service = ctx["branch"], ctx["service"]
    day = services.branch_today(branch)
    base = int(timezone.now().timestamp() * 1000) * 10_000
    Ticket.objects.bulk_create(
        Ticket(branch=branch, service=service, day=day, number=n, code=f"AJ-{n:03d}",
               phone=f"+9715{n:08d}", sort_key=base + n * 10_000 + n, near_notified=n > 4)
        for n in range(1, WAITING + 1)
    )  # fmt: skip
    BranchDay.objects.create(branch=branch, day=day, last_number=WAITING, version=WAITING)
    shifts = []
    for index in range(AGENTS):
        counter, _ = Counter.objects.get_or_create(
            branch=branch, number=f"B{index:02d}",
            defaults={"name_ar": f"مكتب {index}", "name_en": f"Desk {index}"},
        )  # fmt: skip
        agent, _ = User.objects.get_or_create(username=f"bench-agent-{index}", is_staff=True)
        shifts.append(services.shift_open(agent=agent, counter=counter, services=[service]))
    return shifts


def bench_service(ctx: dict) -> dict:
    shifts = setup_queue(ctx)
    tickets: dict[int, Ticket] = {}

    def call(index: int) -> int | None:
        ticket = services.ticket_call_next(shift=shifts[index])
        if ticket is None:
            return None
        tickets[ticket.pk] = ticket
        return ticket.pk

    def finish(index: int, pk: int) -> None:
        services.ticket_finish(ticket=tickets[pk], actor=shifts[index].agent)

    latencies, called, wall = run_agents(call, finish)
    for shift in shifts:
        services.shift_close(shift=shift)
    twice = {pk: n for pk, n in Tally(called).items() if n > 1}
    stored_twice = Ticket.objects.filter(branch=ctx["branch"], times_called__gt=1).count()
    left = Ticket.objects.filter(branch=ctx["branch"], status="waiting").count()
    return {"latencies": latencies, "calls": len(called), "wall": wall, "twice": len(twice),
            "stored_twice": stored_twice, "left": left}  # fmt: skip


def bench_plain() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_p6_plain")
        cursor.execute(
            "CREATE TABLE bench_p6_plain (id serial PRIMARY KEY, sort_key bigint NOT NULL, "
            "status varchar(16) NOT NULL DEFAULT 'waiting', agent integer, called_at timestamptz)"
        )
        cursor.execute(
            "CREATE INDEX bench_p6_plain_waiting ON bench_p6_plain (sort_key) "
            "WHERE status = 'waiting'"
        )
        cursor.execute(
            "INSERT INTO bench_p6_plain (sort_key) SELECT n FROM generate_series(1, %s) n",
            [WAITING],
        )

    def call(index: int) -> int | None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM bench_p6_plain WHERE status = 'waiting' ORDER BY sort_key "
                "LIMIT 1 FOR UPDATE SKIP LOCKED"
            )
            row = cursor.fetchone()
            if row is None:
                return None
            cursor.execute(
                "UPDATE bench_p6_plain SET status = 'called', agent = %s, called_at = now() "
                "WHERE id = %s",
                [index, row[0]],
            )
        return int(row[0])

    latencies, called, wall = run_agents(call, lambda index, pk: None)
    twice = {pk: n for pk, n in Tally(called).items() if n > 1}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_p6_plain")
    return {"latencies": latencies, "calls": len(called), "wall": wall, "twice": len(twice),
            "stored_twice": 0, "left": 0}  # fmt: skip


def main() -> None:
    ctx = prepare_branch()
    plain = bench_plain()
    full = bench_service(ctx)
    prepare_branch()
    rows = []
    for name, result in (("plain SELECT…SKIP LOCKED + UPDATE", plain),
                         ("services.ticket_call_next", full)):  # fmt: skip
        ms = [x * 1000 for x in result["latencies"]]
        rows.append([name, result["calls"], percentile(ms, 0.5), percentile(ms, 0.9),
                     percentile(ms, 0.99), max(ms), result["calls"] / result["wall"],
                     result["twice"], result["left"]])  # fmt: skip
    table(
        f"P6 call next: {WAITING} waiting, {AGENTS} agents calling at once (latency in ms)",
        ["path", "calls", "p50", "p90", "p99", "max", "calls/s", "called twice", "left waiting"],
        rows,
    )
    ratio = rows[1][4] / rows[0][4]
    print(f"\np99 ratio service / plain round trip: {ratio:.1f}x")
    verdict = (
        "PASS" if rows[1][4] < 250 and full["twice"] == 0 and full["stored_twice"] == 0 else "FAIL"
    )
    print(f"goal p99 < 250 ms and 0 called twice: {verdict} "
          f"(p99 {rows[1][4]:.1f} ms, called twice {full['twice']}, "
          f"times_called > 1 in the database {full['stored_twice']})")  # fmt: skip


if __name__ == "__main__":
    main()
