"""The wait estimate shown on a citizen's waiting page.

Pure Python, no Django: the live server and the `eta_replay` command call the same functions.

The model (docs/eta.md has the long form):

* Agents serve first come, first served. A call lasts a random time from a learned distribution,
  cut at the video time limit (`SERVICE_CAP`, 30 minutes).
* Waiting citizens leave at a learned rate that depends on the time already waited (a
  piecewise-constant patience hazard; constant θ gives Erlang-A's exponential patience).
* A citizen with `ahead` people in front is served at the first call completion after everyone in
  front has gone, served or abandoned. While `j` people are in front, the queue in front shrinks
  at rate `r + j·θ`, where `r` is the rate at which agents free up. With exponential calls
  `r = c·μ` throughout and the expected wait has the Erlang-A closed form
  Σ 1/(c·μ + j·θ) (the "queue-length" predictor of Ibrahim & Whitt).
* Calls are not exponential: a call already 25 minutes long ends within 5 minutes. The first
  completion therefore uses the residual time of each call in progress given how long it has
  already run, E[min_i R_i]. On a desk of 2–3 agents the first c completions come at their
  exact expected times (each agent's residual, then fresh calls). Later completions come at
  the long-run rate c/mean, with one agent through Erlang phases that match the spread of the
  learned call lengths.
* By default the estimate is the expected wait *of those who are served*: a citizen who stays
  and is served is the one who reads the number against the clock, and that is also the quantity
  whose squared error the benchmark (bench/p1_eta.py) measures. With exponential patience this
  adds the citizen's own abandonment rate to every stage: Σ_{j=1}^{n+1} 1/(c·μ + j·θ).
  `condition_on_service=False` gives the wait of someone who will never leave instead.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "BIN_WIDTH",
    "PATIENCE_BIN",
    "PATIENCE_BINS",
    "PRIOR_HAZARD_EXPOSURE",
    "PRIOR_MEAN_SERVICE",
    "PRIOR_PATIENCE_EXPOSURE",
    "PRIOR_SERVICE_WEIGHT",
    "RECENCY_HALF_LIFE",
    "SERVICE_CAP",
    "QueueStats",
    "ReplayError",
    "ReplayPredictor",
    "StatsLearner",
    "estimate_wait",
    "eta_table",
    "learn_stats",
]

SERVICE_CAP = 1800.0
"""Video calls end at 30 minutes, so no service lasts longer."""

PRIOR_MEAN_SERVICE = 360.0
"""Before any call is observed a call is taken to last 6 minutes on average…"""

PRIOR_SERVICE_WEIGHT = 3.0
"""…with the weight of three observed calls, shaped as an exponential cut at the cap. Three is
enough to keep the first one or two real calls from swinging the estimate, little enough that a
morning's calls outweigh it."""

PRIOR_PATIENCE_EXPOSURE = 3600.0
"""Nobody is assumed to leave until someone has: the abandonment rate starts at 0 and is
(abandonments) / (waiting time observed + one hour), so one early abandonment after a short
wait does not make the estimate collapse."""

RECENCY_HALF_LIFE = 400.0
"""An observation counts half as much after 400 newer ones of its kind (calls, or waits).
Counted in observations, not hours: a night without calls should not erase yesterday, and the
rates must rest on a few hundred calls to be precise (with only the last hour's calls the
error of the learned mean alone outweighs any drift it follows). On a busy desk 400 calls are
a few hours, so the estimate still follows the day's drift."""

BIN_WIDTH = 30.0
"""The service distribution is kept as a histogram with this bin width up to the cap."""

PATIENCE_BIN = 300.0
PATIENCE_BINS = 10
"""Patience is learned as a hazard that is constant within 5-minute bins of time already
waited (the last bin open-ended, from 45 minutes). Wider bins than the calls' because
abandonments are few: a small desk sees a few dozen a day."""

PRIOR_HAZARD_EXPOSURE = 1800.0
"""Each patience bin's hazard is shrunk towards the overall rate with the weight of half an
hour of waiting observed in that bin, so an empty or thin bin falls back to the overall rate."""

MAX_PHASES = 8
"""At most this many Erlang phases per call (a CV down to 0.35); more buys little."""

SMALL_DESK = 3
"""Up to this many agents, the first `agents` completions come at their exact expected times
given the calls in progress (each agent a renewal process: the residual of its call, then fresh
calls). With more agents the completions interleave into a nearly Poisson stream, and the cost
(a convolution per agent and completion) grows as agents²."""

_BINS = int(SERVICE_CAP // BIN_WIDTH)
_INTEGRATION_STEP = 10.0


@dataclass(frozen=True)
class QueueStats:
    """What was learned about a queue: the distribution of call durations and the patience.

    `service_mass[b]` is the probability that a call lasts between `b·BIN_WIDTH` and
    `(b+1)·BIN_WIDTH` seconds (uniform within the bin); the last bin ends at the cap and holds
    the calls that were cut there. `mean_service` is the weighted mean of the durations
    themselves (not of the bin centres). `abandon_rate` is θ per second of waiting.
    """

    service_mass: tuple[float, ...]
    mean_service: float
    abandon_rate: float
    service_weight: float = 0.0
    """Recency-weighted number of calls behind the figures, prior included (for display)."""
    abandon_hazard: tuple[float, ...] = ()
    """Leaving rate per second by time already waited, one per `PATIENCE_BIN` (the last bin
    open-ended). Empty: the constant `abandon_rate` (exponential patience)."""
    _tail: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.service_mass) != _BINS:
            raise ValueError(f"service_mass needs {_BINS} bins")
        # tail[b] = P(S > b·BIN_WIDTH); tail[_BINS] = 0.
        tail = [0.0] * (_BINS + 1)
        for b in range(_BINS - 1, -1, -1):
            tail[b] = tail[b + 1] + self.service_mass[b]
        object.__setattr__(self, "_tail", tuple(tail))
        if self.abandon_hazard and len(self.abandon_hazard) != PATIENCE_BINS:
            raise ValueError(f"abandon_hazard needs {PATIENCE_BINS} bins")

    def hazard(self, waited: float) -> float:
        """The rate per second at which someone who has waited `waited` seconds leaves."""
        if not self.abandon_hazard:
            return self.abandon_rate
        b = min(max(0, int(waited // PATIENCE_BIN)), PATIENCE_BINS - 1)
        return self.abandon_hazard[b]

    def patience_survival(self, waited: float) -> float:
        """P(someone stays at least `waited` seconds), from the hazard."""
        if not self.abandon_hazard:
            return math.exp(-self.abandon_rate * max(0.0, waited))
        total, b, start = 0.0, 0, 0.0
        while start < waited:
            end = waited if b == PATIENCE_BINS - 1 else min(waited, start + PATIENCE_BIN)
            total += self.abandon_hazard[b] * (end - start)
            start, b = end, b + 1
        return math.exp(-total)

    def survival(self, x: float) -> float:
        """P(a call lasts longer than x seconds)."""
        if x <= 0.0:
            return 1.0
        if x >= SERVICE_CAP:
            return 0.0
        b = int(x // BIN_WIDTH)
        inside = (x - b * BIN_WIDTH) / BIN_WIDTH
        return self._tail[b + 1] + self.service_mass[b] * (1.0 - inside)

    def mean_residual(self, elapsed: float) -> float:
        """E[remaining time of a call that has already run `elapsed` seconds]."""
        return _integrate_product(self, [elapsed])


def _prior_mass() -> list[float]:
    """An exponential of mean PRIOR_MEAN_SERVICE, cut at the cap (the cut mass in the last bin)."""
    rate = 1.0 / PRIOR_MEAN_SERVICE
    mass = [
        math.exp(-rate * b * BIN_WIDTH) - math.exp(-rate * (b + 1) * BIN_WIDTH)
        for b in range(_BINS)
    ]
    mass[-1] += math.exp(-rate * SERVICE_CAP)
    return mass


_PRIOR_MASS = tuple(_prior_mass())
_PRIOR_MEAN = PRIOR_MEAN_SERVICE * (1.0 - math.exp(-SERVICE_CAP / PRIOR_MEAN_SERVICE))


class StatsLearner:
    """Learns `QueueStats` from observations, recent ones weighted more.

    The k-th call observed weighs 2^{k/half_life}; waits likewise among waits. Only ratios of
    weights matter, so the newest counts 1, the one `half_life` observations older ½.
    Observations must be given in the order they happened.
    """

    def __init__(self, *, half_life: float = RECENCY_HALF_LIFE) -> None:
        if half_life <= 0:
            raise ValueError("half_life must be positive")
        self.half_life = half_life
        self._services = 0
        self._waits = 0
        self._mass = [0.0] * _BINS
        self._weight = 0.0
        self._service_top = 1.0  # the weight of the newest call
        self._duration_sum = 0.0
        self._abandons = 0.0
        self._exposure = 0.0
        self._bin_abandons = [0.0] * PATIENCE_BINS
        self._bin_exposure = [0.0] * PATIENCE_BINS
        self._wait_top = 1.0

    def _rescale_services(self) -> None:
        scale = 1.0 / self._service_top
        self._mass = [m * scale for m in self._mass]
        self._weight *= scale
        self._duration_sum *= scale
        self._service_top = 1.0

    def observe_service(self, time: float, duration: float) -> None:
        """A call ended at `time` after `duration` seconds (`time` only orders observations)."""
        if not math.isfinite(duration) or duration < 0.0:
            return
        duration = min(duration, SERVICE_CAP)
        self._services += 1
        self._service_top *= math.pow(2.0, 1.0 / self.half_life)
        if self._service_top > 1e100:
            self._rescale_services()
        w = self._service_top
        b = min(int(duration // BIN_WIDTH), _BINS - 1)
        self._mass[b] += w
        self._weight += w
        self._duration_sum += w * duration

    def observe_wait(self, time: float, wait: float, *, abandoned: bool) -> None:
        """A wait ended at `time` after `wait` seconds, by service or by leaving the queue.

        A wait that ended in service is a censored patience: the citizen would have stayed at
        least that long.
        """
        if not math.isfinite(wait) or wait < 0.0:
            return
        self._waits += 1
        self._wait_top *= math.pow(2.0, 1.0 / self.half_life)
        if self._wait_top > 1e100:
            scale = 1.0 / self._wait_top
            self._abandons *= scale
            self._exposure *= scale
            self._bin_abandons = [a * scale for a in self._bin_abandons]
            self._bin_exposure = [x * scale for x in self._bin_exposure]
            self._wait_top = 1.0
        w = self._wait_top
        self._exposure += w * wait
        _add_exposure(self._bin_exposure, wait, w)
        if abandoned:
            self._abandons += w
            self._bin_abandons[min(int(wait // PATIENCE_BIN), PATIENCE_BINS - 1)] += w

    def stats(self, *, waiting_elapsed: Iterable[float] = ()) -> QueueStats:
        """The statistics learned so far. `waiting_elapsed` (optional) are the waits of people
        still in the queue: censored patience too, and leaving them out would overstate θ in
        a queue where many are still waiting."""
        scale = 1.0 / self._service_top
        weight = self._weight * scale
        total = weight + PRIOR_SERVICE_WEIGHT
        mass = tuple(
            (m * scale + PRIOR_SERVICE_WEIGHT * p) / total
            for m, p in zip(self._mass, _PRIOR_MASS, strict=True)
        )
        mean = (self._duration_sum * scale + PRIOR_SERVICE_WEIGHT * _PRIOR_MEAN) / total
        wait_scale = 1.0 / self._wait_top
        still = [max(0.0, e) for e in waiting_elapsed]
        exposure = self._exposure * wait_scale + PRIOR_PATIENCE_EXPOSURE + sum(still)
        rate = self._abandons * wait_scale / exposure
        # Nelson–Aalen by bin: abandonments over the waiting time observed in the bin, each
        # bin shrunk towards the overall rate.
        bin_exposure = [x * wait_scale for x in self._bin_exposure]
        for e in still:
            _add_exposure(bin_exposure, e, 1.0)
        hazard = tuple(
            (a * wait_scale + rate * PRIOR_HAZARD_EXPOSURE) / (x + PRIOR_HAZARD_EXPOSURE)
            for a, x in zip(self._bin_abandons, bin_exposure, strict=True)
        )
        return QueueStats(
            service_mass=mass,
            mean_service=max(mean, 1.0),
            abandon_rate=rate,
            service_weight=total,
            abandon_hazard=hazard,
        )


def _add_exposure(exposure: list[float], wait: float, weight: float) -> None:
    """Spread `wait` seconds of waiting over the patience bins it passed through."""
    for b in range(PATIENCE_BINS):
        start = b * PATIENCE_BIN
        if wait <= start:
            break
        end = wait if b == PATIENCE_BINS - 1 else min(wait, start + PATIENCE_BIN)
        exposure[b] += weight * (end - start)


def learn_stats(
    *,
    services: Iterable[tuple[float, float]],
    waits: Iterable[tuple[float, float, bool]],
    waiting_elapsed: Iterable[float] = (),
    half_life: float = RECENCY_HALF_LIFE,
) -> QueueStats:
    """Statistics from finished tickets, for the live server.

    `services`: (time the call ended, duration in seconds) per finished call.
    `waits`: (time the wait ended, wait in seconds, abandoned) per ticket that left the queue,
    served (abandoned=False) or not. Times (any one clock, e.g. Unix seconds) give the order:
    the newest observations weigh most. Pass the last few hundred of each, or all of them.
    `waiting_elapsed`: how long each citizen still in the queue has waited so far.
    """
    learner = StatsLearner(half_life=half_life)
    events: list[tuple[float, int, float, bool]] = [(t, 0, d, False) for t, d in services]
    events += [(t, 1, w, a) for t, w, a in waits]
    # In time order: the later an observation, the more it weighs.
    for time, kind, value, abandoned in sorted(events, key=lambda e: e[0]):
        if kind == 0:
            learner.observe_service(time, value)
        else:
            learner.observe_wait(time, value, abandoned=abandoned)
    return learner.stats(waiting_elapsed=waiting_elapsed)


def _integrate_product(stats: QueueStats, elapsed: Sequence[float]) -> float:
    """E[min_i R_i]: ∫ Π_i P(R_i > t) dt, R_i the remaining time of a call that has run
    elapsed[i] seconds. Calls are independent; the trapezoid rule on a 10-second grid."""
    bases = [stats.survival(e) for e in elapsed]
    if any(b <= 0.0 for b in bases):
        return 0.0
    horizon = SERVICE_CAP - max(0.0, min(elapsed))
    steps = max(1, math.ceil(horizon / _INTEGRATION_STEP))
    h = horizon / steps
    total = 0.5  # the product is 1 at t = 0
    last = 0.0
    for k in range(1, steps + 1):
        t = k * h
        p = 1.0
        for e, base in zip(elapsed, bases, strict=True):
            p *= stats.survival(e + t) / base
            if p == 0.0:
                break
        if k == steps:
            last = p
        else:
            total += p
        if p == 0.0:
            break
    return h * (total + 0.5 * last)


def eta_table(
    *,
    max_ahead: int,
    agents: int,
    in_service_elapsed: Sequence[float],
    stats: QueueStats,
    condition_on_service: bool = True,
    waiting_elapsed: Sequence[float] = (),
) -> list[float]:
    """Expected waits in seconds, until a call starts, for ahead = 0..max_ahead.

    `agents`: agents on duty. `in_service_elapsed`: for each call in progress, seconds since
    it started. Fewer calls than agents means agents are free: the first people in line go to
    them at once. More calls than agents (an agent going off duty finishes the call) means the
    first completions free nobody. With no agent on duty every entry is infinite.
    `waiting_elapsed` (optional): how long each citizen in the queue has waited, in line
    order. With a patience hazard that depends on the time waited, entry k uses the waits of
    the k people in front and the k+1-th citizen's own; positions not given count as just
    arrived.
    """
    if max_ahead < 0:
        return []
    if agents <= 0:
        return [math.inf] * (max_ahead + 1)
    elapsed = [min(max(0.0, e), SERVICE_CAP) for e in in_service_elapsed]
    free = max(0, agents - len(elapsed))
    table = [0.0] * min(free, max_ahead + 1)
    if free > max_ahead:
        return table
    # The free agents take the first `free` people in line and start fresh calls.
    elapsed += [0.0] * free
    extra = max(0, len(elapsed) - agents)
    # The mean gap before each of the first completions; after them, calls end at c/mean.
    lead = [_integrate_product(stats, elapsed)]
    if extra == 0 and 2 <= agents <= SMALL_DESK:
        epochs = _completion_epochs(stats, elapsed, agents)
        lead += [later - earlier for earlier, later in itertools.pairwise(epochs)]
    waited = [max(0.0, e) for e in waiting_elapsed[free : max_ahead + 1]]
    waited += [0.0] * (max_ahead + 1 - free - len(waited))
    rest = _stage_waits(
        depth=max_ahead - free,
        agents=agents,
        busy=len(elapsed),
        extra=extra,
        lead=lead,
        stats=stats,
        waited=waited,
        condition_on_service=condition_on_service,
    )
    return table + rest


def estimate_wait(
    *,
    ahead: int,
    agents: int,
    in_service_elapsed: Sequence[float],
    stats: QueueStats,
    condition_on_service: bool = True,
    waiting_elapsed: Sequence[float] = (),
) -> float:
    """Expected wait in seconds until a call starts for a citizen with `ahead` people in front.

    See `eta_table` for the arguments; this is its last entry.
    """
    return eta_table(
        max_ahead=max(0, ahead),
        agents=agents,
        in_service_elapsed=in_service_elapsed,
        stats=stats,
        condition_on_service=condition_on_service,
        waiting_elapsed=waiting_elapsed,
    )[-1]


def _stage_waits(
    *,
    depth: int,
    agents: int,
    busy: int,
    extra: int,
    lead: Sequence[float],
    stats: QueueStats,
    waited: Sequence[float],
    condition_on_service: bool,
) -> list[float]:
    """Expected waits for n = 0..depth people in front, all agents busy.

    A Markov chain on (j in front, q completions so far). The q-th completion comes at rate
    1/lead[q] (the mean gap before it, from the calls in progress), those after the lead at
    (calls in progress)/mean. A completion serves the
    head of the line once the `extra` calls beyond the agents on duty are done. The people in
    front leave at the patience hazard at their time waited; the citizen's own leaving is
    conditioned away: for each state we carry P = P(served) and A = E[wait · 1{served}], and
    return A/P. From a state with outflow λ and own-leaving rate κ, the time spent there has
    mean 1/(λ+κ) given that it does not end by leaving, and the next state follows the rates.

    With one agent, a call that is not the first runs through `k` exponential phases (an
    Erlang-k with the learned mean, k = 1/CV² of the learned durations): calls are more
    regular than exponential, and someone in front leaving does not restart the call. With
    more agents the completions of several calls interleave and come close to exponential.

    With a hazard that changes with the time waited, the rates of the state with j in front
    are taken at the time the citizen is expected to be halfway through it (a forward pass of
    expected stay times), and for the people in front at the mean of the waits of the j
    youngest of them (those ahead are called from the front, so the youngest remain).
    """
    mean = stats.mean_service
    q_max = max(extra + 1, len(lead))  # from here on every completion serves, at c/mean
    rates = [math.inf if gap <= 0.0 else 1.0 / gap for gap in lead]
    rates += [max(agents, busy - q) / mean for q in range(len(lead), q_max + 1)]
    phases = _phases(stats) if agents == 1 and extra == 0 else 1
    nu = phases * rates[q_max]  # each phase of a call in the steady regime
    hz = stats.abandon_hazard or (stats.abandon_rate,) * PATIENCE_BINS
    inv, last = 1.0 / PATIENCE_BIN, PATIENCE_BINS - 1
    own_on = 1.0 if condition_on_service else 0.0
    prefix = [0.0]
    for w in waited:
        prefix.append(prefix[-1] + w)
    result: list[float] = []
    for n in range(depth + 1):
        own = waited[n]
        # Forward pass: the leaving rates (in front, own) of each state, at its midpoint.
        ahead_rate = [0.0] * (n + 1)
        own_rate = [0.0] * (n + 1)
        t = 0.0
        for j in range(n, -1, -1):
            mean_ahead = (prefix[n] - prefix[n - j]) / j if j else 0.0
            r = rates[min(n - j, q_max)]
            b = int((mean_ahead + t) * inv)
            ab = j * hz[b if b < last else last]
            b = int((own + t) * inv)
            kappa = own_on * hz[b if b < last else last]
            if r != math.inf:
                mid = t + 0.5 / (r + ab + kappa)
                b = int((mean_ahead + mid) * inv)
                ab = j * hz[b if b < last else last]
                b = int((own + mid) * inv)
                kappa = own_on * hz[b if b < last else last]
                t += 1.0 / (r + ab + kappa)
            ahead_rate[j], own_rate[j] = ab, kappa
        # Backward in j: the states with j - 1 in front are known when j is computed.
        prev_p = [0.0] * q_max  # q = 0..q_max-1
        prev_a = [0.0] * q_max
        prev_sp = [0.0] * phases  # the steady regime, by phase
        prev_sa = [0.0] * phases
        for j in range(n + 1):
            ab, kappa = ahead_rate[j], own_rate[j]
            cur_sp = [0.0] * phases
            cur_sa = [0.0] * phases
            out = nu + ab + kappa
            for ph in range(phases - 1, -1, -1):
                if ph < phases - 1:  # the call moves on to its next phase
                    pc, ac = cur_sp[ph + 1], cur_sa[ph + 1]
                elif j == 0:  # the call ends and the citizen is called
                    pc, ac = 1.0, 0.0
                else:  # the call ends and the head of the line is called
                    pc, ac = prev_sp[0], prev_sa[0]
                pa, aa = (prev_sp[ph], prev_sa[ph]) if j else (0.0, 0.0)
                cur_sp[ph] = (nu * pc + ab * pa) / out
                cur_sa[ph] = (nu * (pc / out + ac) + ab * (pa / out + aa)) / out
            cur_p = [0.0] * q_max
            cur_a = [0.0] * q_max
            for q in range(q_max - 1, -1, -1):
                r = rates[q]
                if q + 1 < q_max:
                    nxt_p, nxt_a, nxt_prev_p, nxt_prev_a = (
                        cur_p[q + 1],
                        cur_a[q + 1],
                        prev_p[q + 1],
                        prev_a[q + 1],
                    )
                else:
                    nxt_p, nxt_a, nxt_prev_p, nxt_prev_a = (
                        cur_sp[0],
                        cur_sa[0],
                        prev_sp[0],
                        prev_sa[0],
                    )
                if q < extra:  # a call beyond the agents on duty ends: nobody is called
                    pc, ac = nxt_p, nxt_a
                elif j == 0:
                    pc, ac = 1.0, 0.0
                else:
                    pc, ac = nxt_prev_p, nxt_prev_a
                if r == math.inf:
                    cur_p[q], cur_a[q] = pc, ac
                    continue
                out_q = r + ab + kappa
                pa, aa = (prev_p[q], prev_a[q]) if j else (0.0, 0.0)
                cur_p[q] = (r * pc + ab * pa) / out_q
                cur_a[q] = (r * (pc / out_q + ac) + ab * (pa / out_q + aa)) / out_q
            prev_p, prev_a, prev_sp, prev_sa = cur_p, cur_a, cur_sp, cur_sa
        result.append(prev_a[0] / prev_p[0] if prev_p[0] > 0.0 else math.inf)
    return result


def _completion_epochs(stats: QueueStats, elapsed: Sequence[float], count: int) -> list[float]:
    """E[τ_1], …, E[τ_count]: the expected times of the first `count` call completions.

    Each agent is a renewal process: its call in progress ends after the residual R_i (given
    `elapsed[i]`), then fresh calls follow. With N_i(t) its completions by t, independent across
    agents, E[τ_m] = ∫ P(Σ_i N_i(t) < m) dt. P(N_i(t) ≥ k+1) is P(N_i(t) ≥ k) convolved with
    the call duration's distribution. The BIN_WIDTH grid runs to the longest residual
    (τ_m ≤ the m-th residual for m ≤ len(elapsed)), the trapezoid rule between its points.
    """
    horizon = SERVICE_CAP - min(elapsed)
    points = max(1, math.ceil(horizon / BIN_WIDTH))
    h = horizon / points
    # P(a fresh call has ended within d + ½ steps): a residual ending in step u and a call
    # after it are done by step n when the call is shorter than n - u - ½ steps.
    done_mid = [1.0 - stats.survival((d + 0.5) * h) for d in range(points)]
    at_least: list[list[list[float]]] = []  # [agent][k - 1][n] = P(N_i(t_n) ≥ k)
    for e in elapsed:
        base = stats.survival(e)
        if base > 0.0:
            levels = [[1.0 - stats.survival(e + n * h) / base for n in range(points + 1)]]
        else:  # the call is at the cap: it ends now
            levels = [[1.0] * (points + 1)]
        for _ in range(count - 1):
            prev = levels[-1]
            step = [prev[u + 1] - prev[u] for u in range(points)]
            nxt = [0.0] * (points + 1)
            for n in range(1, points + 1):
                nxt[n] = sum(step[u] * done_mid[n - 1 - u] for u in range(n))
            levels.append(nxt)
        at_least.append(levels)
    epochs = [0.0] * count
    for n in range(points + 1):
        # The distribution of Σ_i N_i(t_n), cut at count - 1.
        total = [1.0] + [0.0] * (count - 1)
        for levels in at_least:
            exactly = [1.0 - levels[0][n]]
            exactly += [levels[k - 1][n] - levels[k][n] for k in range(1, count)]
            mixed = [0.0] * count
            for a, pa in enumerate(total):
                if pa > 0.0:
                    for b in range(count - a):
                        mixed[a + b] += pa * exactly[b]
            total = mixed
        weight = 0.5 * h if n in (0, points) else h
        below = 0.0
        for m in range(count):
            below += total[m]
            epochs[m] += weight * below
    return epochs


def _phases(stats: QueueStats) -> int:
    """Erlang phases matching the learned durations' spread: k = 1/CV², 1 to MAX_PHASES."""
    second = 0.0
    for b, m in enumerate(stats.service_mass):
        lo = b * BIN_WIDTH
        second += m * (lo * lo + lo * BIN_WIDTH + BIN_WIDTH * BIN_WIDTH / 3.0)
    variance = second - stats.mean_service**2
    if variance <= 0.0:
        return MAX_PHASES
    return max(1, min(MAX_PHASES, round(stats.mean_service**2 / variance)))


class ReplayError(ValueError):
    """An event the replay cannot accept (time going backwards, unknown event)."""


EVENTS = ("arrive", "start", "finish", "abandon", "agents")


class ReplayPredictor:
    """Replays a queue's event log and gives, at each arrival, the estimate the waiting page
    would have shown then, from earlier events only.

    Events come in time order (equal times in the order given). The queue state (who waits
    since when, which calls run since when, agents on duty) and the statistics are updated
    after the estimate, so an arrival never sees itself or anything later.
    Events that do not fit the state (a start for a ticket that never arrived, a second
    finish) are counted in `ignored` and otherwise skipped: a log cut out of a day starts
    with calls in progress.
    """

    def __init__(
        self,
        *,
        half_life: float = RECENCY_HALF_LIFE,
        condition_on_service: bool = True,
        agents: int = 0,
    ) -> None:
        self.learner = StatsLearner(half_life=half_life)
        self.condition_on_service = condition_on_service
        self.agents = agents
        self.waiting: dict[str, float] = {}  # ticket → arrival time, in arrival order
        self.in_service: dict[str, float] = {}  # ticket → start time
        self.now = -math.inf
        self.ignored = 0

    def feed(self, time: float, event: str, ticket: str = "", value: int = 0) -> float | None:
        """Apply one event; for `arrive`, return the estimate (seconds) given before it."""
        if not math.isfinite(time):
            raise ReplayError("time must be a finite number")
        if time < self.now:
            raise ReplayError(f"time {time} is earlier than the previous event ({self.now})")
        self.now = time
        if event == "arrive":
            estimate = self.estimate(time)
            if ticket in self.waiting or ticket in self.in_service:
                self.ignored += 1
            else:
                self.waiting[ticket] = time
            return estimate
        if event == "start":
            arrived = self.waiting.pop(ticket, None)
            if arrived is None:
                self.ignored += 1
            else:
                self.learner.observe_wait(time, time - arrived, abandoned=False)
            self.in_service[ticket] = time
        elif event == "finish":
            started = self.in_service.pop(ticket, None)
            if started is None:
                self.ignored += 1
            else:
                self.learner.observe_service(time, time - started)
        elif event == "abandon":
            arrived = self.waiting.pop(ticket, None)
            if arrived is None:
                self.ignored += 1
            else:
                self.learner.observe_wait(time, time - arrived, abandoned=True)
        elif event == "agents":
            if value < 0:
                raise ReplayError("agents on duty cannot be negative")
            self.agents = value
        else:
            raise ReplayError(f"unknown event {event!r}; expected one of {', '.join(EVENTS)}")
        return None

    def estimate(self, now: float, ahead: int | None = None) -> float:
        """The estimate for a citizen joining now behind everyone waiting (or `ahead`)."""
        stats = self.learner.stats(waiting_elapsed=[now - t for t in self.waiting.values()])
        return estimate_wait(
            ahead=len(self.waiting) if ahead is None else ahead,
            agents=self.agents,
            in_service_elapsed=[now - t for t in self.in_service.values()],
            stats=stats,
            condition_on_service=self.condition_on_service,
            waiting_elapsed=[now - t for t in self.waiting.values()],
        )
