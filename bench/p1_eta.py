"""QUALITY P1: accuracy of the waiting page's estimate on simulated queues.

    .venv/bin/python bench/p1_eta.py [--quick] [--seeds N] [--jobs N]

For each case and seed, one day is simulated (bench/_sim_eta.py), its event log is replayed
through `ReplayPredictor` (what `majlis eta_replay` prints), and at every arrival the bench also
computes the optimal predictor's figure and the peers' history rules. The score is the mean
squared error over customers who were served (an abandoner has no wait to compare with), shown
as a ratio to the optimum's MSE on the same customers. bench/p1_eta.md explains the method.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sim_eta import CAP, Case, Day, Patience, Service, Snapshot, simulate

from majlis.queueing.eta import (
    BIN_WIDTH,
    QueueStats,
    ReplayPredictor,
    estimate_wait,
)

HOUR = 3600.0
MC_SAMPLES = 1000
HISTORY_DAYS = 2
"""Days replayed before the scored day, as the live server has yesterday's tickets."""


def true_stats(case: Case) -> QueueStats:
    """The eta.py model fed the true distributions (a diagnostic: how much of our gap is
    learning, how much the model's approximations)."""
    rng = random.Random(0)
    bins = int(CAP // BIN_WIDTH)
    mass = [0.0] * bins
    draws = [case.service.sample(rng) for _ in range(100_000)]
    for d in draws:
        mass[min(int(min(d, CAP) // BIN_WIDTH), bins - 1)] += 1.0 / len(draws)
    mean = sum(min(d, CAP) for d in draws) / len(draws)
    return QueueStats(
        service_mass=tuple(mass), mean_service=mean, abandon_rate=1.0 / case.patience.mean
    )


def _bump(base: float, peak: float) -> object:
    """Arrivals per second: a morning peak and an afternoon one over an 8-hour day."""

    def rate(t: float) -> float:
        h = t / HOUR
        return base + peak * (
            math.exp(-(((h - 2.0) / 1.2) ** 2)) + 0.8 * math.exp(-(((h - 6.0) / 1.0) ** 2))
        )

    return rate


def cases() -> list[Case]:
    def case(
        name: str,
        service: Service,
        patience: Patience,
        base: float,
        peak: float,
        staffing: tuple[tuple[float, int], ...],
        **kw: bool,
    ) -> Case:
        rate = _bump(base, peak)
        return Case(
            name=name,
            service=service,
            patience=patience,
            rate=rate,  # type: ignore[arg-type]
            rate_max=base + 1.1 * peak,
            staffing=staffing,
            **kw,
        )

    return [
        # Markovian: exponential calls and patience, constant staff, load swinging above 1.
        case(
            "M/M/3+M",
            Service("exp", 300.0),
            Patience("exp", 900.0),
            0.6 * 3 / 300,
            0.8 * 3 / 300,
            ((0.0, 3),),
            markovian=True,
        ),
        case(
            "M/M/10+M",
            Service("exp", 240.0),
            Patience("exp", 600.0),
            0.6 * 10 / 240,
            0.7 * 10 / 240,
            ((0.0, 10),),
            markovian=True,
        ),
        case(
            "M/M/1+M",
            Service("exp", 420.0),
            Patience("exp", 1200.0),
            0.5 / 420,
            0.8 / 420,
            ((0.0, 1),),
            markovian=True,
            small=True,
        ),
        # Video desks: lognormal calls cut at 30 minutes, Weibull patience, staff changing.
        case(
            "video c=3",
            Service("lognormal", 540.0, 0.8, CAP),
            Patience("weibull", 1200.0, 1.5),
            0.5 * 3 / 540,
            0.8 * 3 / 540,
            ((0.0, 2), (0.75 * HOUR, 3), (4 * HOUR, 2), (5 * HOUR, 3)),
        ),
        case(
            "video c=2",
            Service("lognormal", 480.0, 0.6, CAP),
            Patience("weibull", 1500.0, 1.5),
            0.5 * 2 / 480,
            0.8 * 2 / 480,
            ((0.0, 2), (3.5 * HOUR, 1), (4.5 * HOUR, 2)),
            small=True,
        ),
        case(
            "video c=1",
            Service("lognormal", 600.0, 0.5, CAP),
            Patience("weibull", 1800.0, 2.0),
            0.5 / 600,
            0.7 / 600,
            ((0.0, 1),),
            small=True,
        ),
    ]


def optimum_markov(case: Case, snap: Snapshot) -> float:
    """Exact E[wait | served, state] in M/M/c+M with the true rates, staff as now.

    A chain on (j in front, k calls beyond the agents on duty); the arrival's own patience
    is conditioned away by carrying P(served) and E[wait·1{served}] (docs in eta.py).
    """
    c, n, busy = snap.agents, len(snap.waiting_elapsed), len(snap.in_service_elapsed)
    if busy < c:
        return 0.0
    mu, theta = 1.0 / case.service.mean, 1.0 / case.patience.mean
    memo: dict[tuple[int, int], tuple[float, float]] = {}

    def solve(j: int, k: int) -> tuple[float, float]:
        if (j, k) in memo:
            return memo[(j, k)]
        done = (c + k) * mu
        out = done + j * theta + theta
        if k > 0:
            pc, ac = solve(j, k - 1)
        elif j == 0:
            pc, ac = 1.0, 0.0
        else:
            pc, ac = solve(j - 1, 0)
        pa, aa = solve(j - 1, k) if j > 0 else (0.0, 0.0)
        p = (done * pc + j * theta * pa) / out
        a = (done * (pc / out + ac) + j * theta * (pa / out + aa)) / out
        memo[(j, k)] = (p, a)
        return p, a

    sys.setrecursionlimit(10000)
    p, a = solve(n, busy - c)
    return a / p


def optimum_monte_carlo(case: Case, snap: Snapshot, rng: random.Random) -> float:
    """E[wait | served, state] by simulation from the exact state with the true distributions,
    staff as now: residual calls given their elapsed time, residual patience of each person
    in front given their wait so far, the arrival's own patience weighting its wait."""
    c, busy = snap.agents, len(snap.in_service_elapsed)
    if busy < c:
        return 0.0
    import heapq

    total_w, total = 0.0, 0.0
    for _ in range(MC_SAMPLES):
        ends = [case.service.sample_given(e, rng) for e in snap.in_service_elapsed]
        heapq.heapify(ends)
        leave = [case.patience.sample_given(e, rng) for e in snap.waiting_elapsed]
        head = 0
        while True:
            t = heapq.heappop(ends)
            if len(ends) >= c:  # a call beyond the agents on duty ended: nobody starts
                continue
            while head < len(leave) and leave[head] < t:
                head += 1
            if head == len(leave):
                break
            head += 1
            heapq.heappush(ends, t + case.service.sample(rng))
        weight = case.patience.survival(t)
        total_w += weight * t
        total += weight
    return total_w / total if total > 0 else 0.0


def run(job: tuple[int, int]) -> tuple[str, int, dict[str, float], int, float]:
    case = cases()[job[0]]
    seed = job[1]
    # History days (not scored), then the scored day, in one log one day apart.
    day: Day = simulate(case, seed)
    events: list[tuple[float, str, str, int]] = []
    for h in range(HISTORY_DAYS):
        past = simulate(case, seed + 1000 * (h + 1))
        offset = (h - HISTORY_DAYS) * 24 * HOUR
        events += [(t + offset, e, f"H{h}{k}" if k else k, v) for t, e, k, v in past.events]
    day.events = events + day.events
    oracle_stats = true_stats(case)
    rng = random.Random(seed * 7919 + 1)
    snapshots = {s.ticket: s for s in day.snapshots}
    predictor = ReplayPredictor()
    served_waits: deque[float] = deque(maxlen=10)
    arrived: dict[str, float] = {}
    agents = 0
    sq = dict.fromkeys(
        ["ours", "optimum", "ours, true rates", "last 10 waits", "last wait", "per person"], 0.0
    )
    count = 0
    for time, event, ticket, value in day.events:
        if event == "start":
            served_waits.append(time - arrived.pop(ticket))
        elif event == "agents":
            agents = value
        elif event == "arrive":
            arrived[ticket] = time
        ours = predictor.feed(time, event, ticket, value)
        if event != "arrive" or ticket not in day.waits:
            continue  # only served customers are scored
        assert ours is not None
        snap = snapshots[ticket]
        if case.markovian:
            best = optimum_markov(case, snap)
        else:
            best = optimum_monte_carlo(case, snap, rng)
        free = agents - len(snap.in_service_elapsed)
        ahead = len(snap.waiting_elapsed)
        per_person = 0.0 if free > 0 else (ahead + 1) * case.service.mean / max(agents, 1)
        oracle = estimate_wait(
            ahead=ahead,
            agents=agents,
            in_service_elapsed=snap.in_service_elapsed,
            stats=oracle_stats,
        )
        actual = day.waits[ticket]
        last10 = sum(served_waits) / len(served_waits) if served_waits else 0.0
        last = served_waits[-1] if served_waits else 0.0
        for name, value_ in (
            ("ours", ours),
            ("optimum", best),
            ("ours, true rates", oracle),
            ("last 10 waits", last10),
            ("last wait", last),
            ("per person", per_person),
        ):
            sq[name] += (value_ - actual) ** 2
        count += 1
    abandoned = sum(1 for e in day.events if e[1] == "abandon" and e[0] >= 0)
    return case.name, seed, sq, count, abandoned / max(1, count + abandoned)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds and fewer samples")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    global MC_SAMPLES
    seeds = 2 if args.quick else args.seeds
    if args.quick:
        MC_SAMPLES = 300
    jobs = [(i, s) for i in range(len(cases())) for s in range(1, seeds + 1)]
    with ProcessPoolExecutor(
        max_workers=args.jobs, initializer=_set_samples, initargs=(MC_SAMPLES,)
    ) as pool:
        results = list(pool.map(run, jobs))
    names = ["ours", "ours, true rates", "last 10 waits", "last wait", "per person"]
    head = f"{'case':<11} {'seed':>4} {'served':>6} {'aband.':>6} {'opt RMSE s':>10} " + " ".join(
        f"{n:>16}" for n in names
    )
    print("MSE ratio to the optimum (same customers, same run)")
    print(head)
    totals: dict[str, dict[str, float]] = {}
    for name, seed, sq, count, abandoned in results:
        opt = sq["optimum"]
        row = " ".join(f"{sq[n] / opt:>16.3f}" for n in names)
        rmse = math.sqrt(opt / count)
        print(f"{name:<11} {seed:>4} {count:>6} {abandoned:>6.0%} {rmse:>10.0f} {row}")
        agg = totals.setdefault(name, dict.fromkeys(sq, 0.0))
        for n in sq:
            agg[n] += sq[n]
    print()
    print("All seeds pooled")
    for name, agg in totals.items():
        row = " ".join(f"{agg[n] / agg['optimum']:>16.3f}" for n in names)
        print(f"{name:<11} {'all':>4} {'':>6} {'':>6} {'':>10} {row}")


def _set_samples(samples: int) -> None:
    global MC_SAMPLES
    MC_SAMPLES = samples


if __name__ == "__main__":
    main()
