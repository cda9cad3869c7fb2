"""Queue simulator for bench/p1_eta.py: one day of a first-come-first-served desk.

Emits the event log that `majlis eta_replay` reads (time, event, ticket, value) and, at every
arrival, a snapshot of the exact state (who waits since when, which calls run since when,
agents on duty) for the optimal predictor, plus each customer's outcome.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import NormalDist

CAP = 1800.0


@dataclass(frozen=True)
class Service:
    """Exponential (mean) or lognormal (mean, cv); every call is cut at `cap`."""

    kind: str
    mean: float
    cv: float = 1.0
    cap: float = math.inf

    def _lognormal(self) -> tuple[float, float]:
        sigma2 = math.log(1.0 + self.cv**2)
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: random.Random) -> float:
        if self.kind == "exp":
            x = rng.expovariate(1.0 / self.mean)
        else:
            mu, sigma = self._lognormal()
            x = rng.lognormvariate(mu, sigma)
        return min(x, self.cap)

    def sample_given(self, elapsed: float, rng: random.Random) -> float:
        """Remaining time of a call that has run `elapsed` seconds."""
        if self.kind == "exp":
            return min(rng.expovariate(1.0 / self.mean), self.cap - elapsed)
        mu, sigma = self._lognormal()
        normal = NormalDist(mu, sigma)
        lo = normal.cdf(math.log(elapsed)) if elapsed > 0 else 0.0
        u = lo + (1.0 - lo) * rng.random()
        if u >= 1.0 - 1e-15:
            return self.cap - elapsed if self.cap < math.inf else 0.0
        x = math.exp(normal.inv_cdf(max(u, 1e-300)))
        return max(0.0, min(x, self.cap) - elapsed)


@dataclass(frozen=True)
class Patience:
    """Exponential (mean) or Weibull (mean, shape)."""

    kind: str
    mean: float
    shape: float = 1.0

    @property
    def scale(self) -> float:
        return self.mean / math.gamma(1.0 + 1.0 / self.shape)

    def survival(self, x: float) -> float:
        if self.kind == "exp":
            return math.exp(-x / self.mean)
        return math.exp(-((x / self.scale) ** self.shape))

    def sample_given(self, elapsed: float, rng: random.Random) -> float:
        """Remaining patience of someone who has waited `elapsed` seconds."""
        if self.kind == "exp":
            return rng.expovariate(1.0 / self.mean)
        k, lam = self.shape, self.scale
        total = lam * ((elapsed / lam) ** k - math.log(1.0 - rng.random())) ** (1.0 / k)
        return float(total - elapsed)


@dataclass(frozen=True)
class Case:
    name: str
    service: Service
    patience: Patience
    rate: Callable[[float], float]  # arrivals per second at time t
    rate_max: float
    staffing: tuple[tuple[float, int], ...]  # (from time, agents on duty)
    day: float = 8 * 3600.0
    markovian: bool = False
    small: bool = False


@dataclass
class Snapshot:
    """The exact state an arrival found."""

    time: float
    ticket: str
    agents: int
    waiting_elapsed: list[float]  # of those ahead, in line order
    in_service_elapsed: list[float]


@dataclass
class Day:
    events: list[tuple[float, str, str, int]] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    waits: dict[str, float] = field(default_factory=dict)  # served tickets only


def simulate(case: Case, seed: int) -> Day:
    rng = random.Random(seed)
    day = Day()
    log = day.events
    # Event heap: (time, order, kind, ticket). Order keeps equal times in a fixed sequence.
    heap: list[tuple[float, int, str, str]] = []
    order = 0

    def push(t: float, kind: str, ticket: str = "") -> None:
        nonlocal order
        order += 1
        heapq.heappush(heap, (t, order, kind, ticket))

    for t, agents in case.staffing:
        push(t, "agents", str(agents))
    # Non-homogeneous Poisson arrivals by thinning.
    t, n = 0.0, 0
    while True:
        t += rng.expovariate(case.rate_max)
        if t >= case.day:
            break
        if rng.random() * case.rate_max < case.rate(t):
            push(t, "arrive", f"T{n}")
            n += 1

    agents = 0
    waiting: deque[str] = deque()
    arrived: dict[str, float] = {}
    started: dict[str, float] = {}

    def start_calls(now: float) -> None:
        while waiting and len(started) < agents:
            ticket = waiting.popleft()
            started[ticket] = now
            day.waits[ticket] = now - arrived[ticket]
            log.append((now, "start", ticket, 0))
            push(now + case.service.sample(rng), "finish", ticket)

    while heap:
        now, _, kind, ticket = heapq.heappop(heap)
        if kind == "agents":
            agents = int(ticket)
            log.append((now, "agents", "", agents))
            start_calls(now)
        elif kind == "arrive":
            day.snapshots.append(
                Snapshot(
                    time=now,
                    ticket=ticket,
                    agents=agents,
                    waiting_elapsed=[now - arrived[w] for w in waiting],
                    in_service_elapsed=[now - s for s in started.values()],
                )
            )
            log.append((now, "arrive", ticket, 0))
            arrived[ticket] = now
            waiting.append(ticket)
            push(now + case.patience.sample_given(0.0, rng), "abandon", ticket)
            start_calls(now)
        elif kind == "abandon":
            if ticket in waiting:
                waiting.remove(ticket)
                log.append((now, "abandon", ticket, 0))
        elif kind == "finish":
            del started[ticket]
            log.append((now, "finish", ticket, 0))
            start_calls(now)
    return day
