"""The wait estimate (majlis/queueing/eta.py): no database, no clock."""

import itertools
import math
import random

import pytest

from majlis.queueing.eta import (
    BIN_WIDTH,
    PRIOR_MEAN_SERVICE,
    SERVICE_CAP,
    QueueStats,
    ReplayError,
    ReplayPredictor,
    StatsLearner,
    estimate_wait,
    eta_table,
    learn_stats,
)

BINS = int(SERVICE_CAP // BIN_WIDTH)


def exponential_stats(mean: float, theta: float = 0.0) -> QueueStats:
    """Calls exponential with this mean (cut at the cap, which is far away for short means)."""
    rate = 1.0 / mean
    mass = [
        math.exp(-rate * b * BIN_WIDTH) - math.exp(-rate * (b + 1) * BIN_WIDTH) for b in range(BINS)
    ]
    mass[-1] += math.exp(-rate * SERVICE_CAP)
    return QueueStats(service_mass=tuple(mass), mean_service=mean, abandon_rate=theta)


def stats_from_durations(durations: dict[float, float], theta: float = 0.0) -> QueueStats:
    """A distribution with the given probability at each duration (placed in its bin)."""
    mass = [0.0] * BINS
    for duration, p in durations.items():
        mass[min(int(duration // BIN_WIDTH), BINS - 1)] += p
    mean = sum(d * p for d, p in durations.items())
    return QueueStats(service_mass=tuple(mass), mean_service=mean, abandon_rate=theta)


def erlang_a(ahead: int, agents: int, mean: float, theta: float, *, served: bool) -> float:
    mu = 1.0 / mean
    first = 1 if served else 0
    return sum(1.0 / (agents * mu + j * theta) for j in range(first, ahead + first + 1))


def monte_carlo_mmcm(ahead, agents, mean, theta, paths, rng):
    """Waits of a citizen with `ahead` in front in M/M/c+M, all agents busy: (served ones'
    mean, everyone's potential wait mean)."""
    served_waits, potential = [], []
    for _ in range(paths):
        t, j = 0.0, ahead
        while True:
            rate = agents / mean + j * theta
            t += rng.expovariate(rate)
            if rng.random() < (agents / mean) / rate:  # a completion
                if j == 0:
                    break
                j -= 1
            else:  # someone in front left
                j -= 1
        potential.append(t)
        if rng.expovariate(theta) > t:  # the citizen's own patience
            served_waits.append(t)
    return sum(served_waits) / len(served_waits), sum(potential) / len(potential)


def test_it_matches_the_erlang_a_closed_form_with_exponential_calls():
    stats = exponential_stats(240.0, theta=1 / 600)
    for agents in (1, 3, 8):
        table = eta_table(
            max_ahead=20, agents=agents, in_service_elapsed=[50.0] * agents, stats=stats
        )
        for ahead, value in enumerate(table):
            expected = erlang_a(ahead, agents, 240.0, 1 / 600, served=True)
            assert value == pytest.approx(expected, rel=0.01)


def test_it_agrees_with_a_monte_carlo_of_m_m_c_m():
    rng = random.Random(7)
    stats = exponential_stats(300.0, theta=1 / 400)
    for ahead, agents in ((0, 1), (4, 2), (9, 3)):
        served_mean, potential_mean = monte_carlo_mmcm(ahead, agents, 300.0, 1 / 400, 20000, rng)
        busy = [100.0] * agents
        assert estimate_wait(
            ahead=ahead, agents=agents, in_service_elapsed=busy, stats=stats
        ) == pytest.approx(served_mean, rel=0.03)
        assert estimate_wait(
            ahead=ahead,
            agents=agents,
            in_service_elapsed=busy,
            stats=stats,
            condition_on_service=False,
        ) == pytest.approx(potential_mean, rel=0.03)


def test_it_grows_with_the_people_ahead():
    stats = stats_from_durations({120.0: 0.5, 600.0: 0.4, 1800.0: 0.1}, theta=1 / 900)
    table = eta_table(max_ahead=50, agents=3, in_service_elapsed=[30.0, 400.0, 1000.0], stats=stats)
    assert len(table) == 51
    assert all(later > earlier for earlier, later in itertools.pairwise(table))


def test_it_is_shorter_with_more_agents():
    stats = exponential_stats(360.0, theta=1 / 1200)
    waits = [
        estimate_wait(ahead=10, agents=c, in_service_elapsed=[60.0] * c, stats=stats)
        for c in (1, 2, 3, 5)
    ]
    assert waits == sorted(waits, reverse=True)
    assert waits[0] > 1.5 * waits[2]  # not 3×: with fewer agents more people ahead leave


def test_it_is_shorter_when_people_ahead_abandon():
    patient = exponential_stats(360.0, theta=0.0)
    leaving = exponential_stats(360.0, theta=1 / 600)
    for kind in (True, False):
        kwargs = {"ahead": 12, "agents": 2, "in_service_elapsed": [10.0, 10.0]}
        assert estimate_wait(**kwargs, stats=leaving, condition_on_service=kind) < estimate_wait(
            **kwargs, stats=patient, condition_on_service=kind
        )
    # With nobody leaving, it is the plain sum: (ahead + 1) completions at rate c/mean.
    assert estimate_wait(
        ahead=12, agents=2, in_service_elapsed=[10.0, 10.0], stats=patient
    ) == pytest.approx(13 * 180.0, rel=0.01)


def test_it_counts_on_a_long_running_call_ending_soon_when_calls_are_regular():
    # Calls last 10 to 20 minutes: one 25 minutes in... cannot be, one 19 minutes in ends soon.
    stats = stats_from_durations({600.0: 0.5, 1200.0: 0.5})
    fresh = estimate_wait(ahead=0, agents=1, in_service_elapsed=[0.0], stats=stats)
    old = estimate_wait(ahead=0, agents=1, in_service_elapsed=[1150.0], stats=stats)
    assert fresh == pytest.approx(stats.mean_service, rel=0.05)
    assert old < 120.0
    # Every later call takes the whole mean again.
    assert estimate_wait(ahead=3, agents=1, in_service_elapsed=[1150.0], stats=stats) == (
        pytest.approx(old + 3 * stats.mean_service, rel=0.01)
    )


def test_it_expects_a_long_running_call_to_last_when_most_calls_are_short():
    # Most calls take a minute; one that has run 3 minutes is one of the long ones.
    stats = stats_from_durations({60.0: 0.9, 1500.0: 0.1})
    fresh = estimate_wait(ahead=0, agents=1, in_service_elapsed=[0.0], stats=stats)
    old = estimate_wait(ahead=0, agents=1, in_service_elapsed=[180.0], stats=stats)
    assert old > 3 * fresh
    assert old == pytest.approx(1500.0 + BIN_WIDTH / 2 - 180.0, abs=20.0)


def test_it_is_memoryless_with_exponential_calls():
    stats = exponential_stats(200.0)
    fresh = estimate_wait(ahead=2, agents=2, in_service_elapsed=[0.0, 0.0], stats=stats)
    old = estimate_wait(ahead=2, agents=2, in_service_elapsed=[700.0, 900.0], stats=stats)
    assert old == pytest.approx(fresh, rel=0.02)


def test_it_sends_people_straight_to_free_agents_and_gives_up_with_none():
    stats = exponential_stats(300.0)
    table = eta_table(max_ahead=4, agents=3, in_service_elapsed=[100.0], stats=stats)
    assert table[:2] == [0.0, 0.0]
    assert 0.0 < table[2] < table[3] < table[4]
    # The two who went to free agents started fresh calls: the third waits for the first of
    # three completions.
    assert table[2] == pytest.approx(100.0, rel=0.02)
    assert eta_table(max_ahead=2, agents=0, in_service_elapsed=[], stats=stats) == [math.inf] * 3


def test_it_waits_for_calls_beyond_the_agents_on_duty():
    stats = exponential_stats(300.0)
    # Two calls in progress but one agent left on duty: the first completion serves nobody.
    short = estimate_wait(ahead=0, agents=1, in_service_elapsed=[10.0], stats=stats)
    longer = estimate_wait(ahead=0, agents=1, in_service_elapsed=[10.0, 10.0], stats=stats)
    assert short == pytest.approx(300.0, rel=0.02)
    assert longer == pytest.approx(150.0 + 300.0, rel=0.02)


def test_it_shortens_the_estimate_for_those_who_stay_when_people_leave():
    stats = exponential_stats(300.0, theta=1 / 300)
    kwargs = {"ahead": 8, "agents": 2, "in_service_elapsed": [0.0, 0.0], "stats": stats}
    assert estimate_wait(**kwargs) < estimate_wait(**kwargs, condition_on_service=False)
    calm = exponential_stats(300.0)
    kwargs["stats"] = calm
    assert estimate_wait(**kwargs) == pytest.approx(
        estimate_wait(**kwargs, condition_on_service=False)
    )


def test_it_starts_from_six_minutes_and_nobody_leaving():
    stats = StatsLearner().stats()
    assert stats.mean_service == pytest.approx(PRIOR_MEAN_SERVICE * (1 - math.exp(-5)))
    assert stats.abandon_rate == 0.0
    assert sum(stats.service_mass) == pytest.approx(1.0)


def test_it_learns_call_length_and_abandonment_from_observations():
    rng = random.Random(3)
    services = [(float(i), rng.expovariate(1 / 500)) for i in range(3000)]
    waits = [(float(i), 400.0, i % 4 == 0) for i in range(3000)]
    stats = learn_stats(services=services, waits=waits)
    assert stats.mean_service == pytest.approx(500.0, rel=0.06)
    assert stats.abandon_rate == pytest.approx(0.25 / 400.0, rel=0.02)
    # The citizens still waiting are exposure too.
    longer = learn_stats(services=services, waits=waits, waiting_elapsed=[1e6])
    assert longer.abandon_rate < stats.abandon_rate / 1.5


def test_it_weights_recent_calls_more():
    hour = 3600.0
    services = [(0.0, 900.0)] * 200 + [(8 * hour + i, 120.0) for i in range(200)]
    stats = learn_stats(services=services, waits=[], half_life=50)
    # The 200 newer calls are four half-lives newer: the recent length dominates.
    assert 120.0 < stats.mean_service < 200.0
    assert learn_stats(services=services, waits=[], half_life=1e9).mean_service == (
        pytest.approx(510.0, rel=0.02)
    )
    # Order comes from the times, not from the order given.
    assert learn_stats(services=services[::-1], waits=[], half_life=50) == stats


def test_it_does_not_forget_yesterday_overnight():
    services = [(float(i), 600.0) for i in range(300)] + [(86400.0, 60.0)]
    assert learn_stats(services=services, waits=[]).mean_service > 500.0


def test_it_cuts_calls_at_thirty_minutes():
    stats = learn_stats(services=[(0.0, 5000.0)] * 1000, waits=[])
    assert stats.mean_service <= SERVICE_CAP
    assert stats.survival(SERVICE_CAP) == 0.0
    assert estimate_wait(ahead=0, agents=1, in_service_elapsed=[1790.0], stats=stats) < 10.0


def test_it_gives_the_same_figure_in_the_table_and_alone():
    stats = stats_from_durations({200.0: 0.6, 900.0: 0.4}, theta=1 / 700)
    busy = [5.0, 300.0]
    table = eta_table(max_ahead=15, agents=2, in_service_elapsed=busy, stats=stats)
    for ahead in (0, 1, 7, 15):
        assert estimate_wait(
            ahead=ahead, agents=2, in_service_elapsed=busy, stats=stats
        ) == pytest.approx(table[ahead])


def random_log(seed: int, customers: int = 120) -> list[tuple[float, str, str, int]]:
    """A small two-agent queue with abandonment, as an event log."""
    rng = random.Random(seed)
    events = [(0.0, "agents", "", 2)]
    free_at = [0.0, 0.0]
    t = 0.0
    for i in range(customers):
        t += rng.expovariate(1 / 150)
        ticket = f"T{i}"
        events.append((t, "arrive", ticket, 0))
        k = min(range(2), key=lambda s: free_at[s])
        start = max(t, free_at[k])
        if start - t > rng.expovariate(1 / 900):
            events.append((t + rng.uniform(0, start - t), "abandon", ticket, 0))
            continue
        duration = min(rng.lognormvariate(5.5, 0.6), SERVICE_CAP)
        free_at[k] = start + duration
        events += [(start, "start", ticket, 0), (start + duration, "finish", ticket, 0)]
    events.sort(key=lambda e: e[0])
    return events


def replay(events):
    predictor = ReplayPredictor()
    return [
        (e[2], estimate)
        for e in events
        if (estimate := predictor.feed(e[0], e[1], e[2], e[3])) is not None
    ]


def test_it_replays_without_looking_ahead():
    events = random_log(11)
    full = dict(replay(events))
    arrivals = [i for i, e in enumerate(events) if e[1] == "arrive"]
    for index in arrivals[::7]:
        cut = replay(events[: index + 1])
        assert cut[-1] == (events[index][2], full[events[index][2]])


def test_it_learns_online_in_the_replay():
    # Calls of about 20 minutes: the estimate leaves the 6-minute prior behind.
    events: list[tuple[float, str, str, int]] = [(0.0, "agents", "", 1)]
    for i in range(30):
        events += [(i * 1200.0, "arrive", f"T{i}", 0), (i * 1200.0, "start", f"T{i}", 0)]
        events.append((i * 1200.0 + 1199.0, "finish", f"T{i}", 0))
    events += [(36000.0, "arrive", "X", 0), (36000.0, "start", "X", 0), (36001.0, "arrive", "Y", 0)]
    predictions = dict(replay(events))
    assert predictions["T0"] == 0.0
    assert predictions["Y"] > 900.0  # behind a call one second old, calls last ~20 minutes


def test_it_refuses_time_going_backwards_and_unknown_events():
    predictor = ReplayPredictor(agents=1)
    predictor.feed(10.0, "arrive", "A")
    with pytest.raises(ReplayError, match="earlier"):
        predictor.feed(5.0, "start", "A")
    with pytest.raises(ReplayError, match="unknown event"):
        predictor.feed(11.0, "leave", "A")


def test_it_skips_events_that_do_not_fit_the_state():
    predictor = ReplayPredictor(agents=1)
    predictor.feed(0.0, "finish", "never-started")
    predictor.feed(1.0, "start", "never-arrived")
    assert predictor.ignored == 2
    assert predictor.in_service == {"never-arrived": 1.0}


def test_it_learns_a_patience_that_grows_with_the_time_waited_from_censored_waits():
    # Weibull patience, shape 2 and scale 1200 s: the hazard 2t/1200² rises with the wait.
    rng = random.Random(5)
    waits = []
    for i in range(6000):
        patience = 1200.0 * math.sqrt(-math.log(1.0 - rng.random()))
        called = rng.uniform(0.0, 2400.0)  # served at a random time: the patience is censored
        waits.append((float(i), min(patience, called), patience < called))
    stats = learn_stats(services=[], waits=waits, half_life=1e9)
    for waited in (150.0, 750.0, 1350.0):  # later bins hold few waits: noisier
        assert stats.hazard(waited) == pytest.approx(2 * waited / 1200.0**2, rel=0.2)
    assert stats.patience_survival(1200.0) == pytest.approx(math.exp(-1.0), rel=0.1)


def test_it_counts_on_regular_calls_when_people_in_front_may_leave():
    # One agent, calls of exactly 10 minutes (one phase of 30 s bins: CV ~ 0), people in
    # front leave at 1/1200 s: a Monte Carlo of the same queue agrees.
    stats = stats_from_durations({600.0: 1.0}, theta=1 / 1200)
    rng = random.Random(9)
    total, weight = 0.0, 0.0
    for _ in range(20000):
        t = 615.0 - 300.0  # the call in progress ends (calls fill the bin: 615 s on average)
        for _person in range(6):
            if rng.expovariate(1 / 1200) > t:  # still there at the completion: called
                t += 615.0
        own = math.exp(-t / 1200)
        total += own * t
        weight += own
    expected = total / weight
    got = estimate_wait(ahead=6, agents=1, in_service_elapsed=[300.0], stats=stats)
    exponential = exponential_stats(stats.mean_service, theta=1 / 1200)
    assert got == pytest.approx(expected, rel=0.12)
    # Exponential calls would give up on regularity and be further off.
    assert abs(got - expected) < abs(
        estimate_wait(ahead=6, agents=1, in_service_elapsed=[300.0], stats=exponential) - expected
    )


def test_it_times_a_small_desks_first_completions_from_the_calls_in_progress():
    # Two agents, calls of 10 minutes (615 s on average, filling their bin), one just started
    # and one 500 s in: the first ends in ~115 s, the second in ~615 s, not 115 s + mean/2.
    stats = stats_from_durations({600.0: 1.0})
    table = eta_table(max_ahead=2, agents=2, in_service_elapsed=[0.0, 500.0], stats=stats)
    assert table[0] == pytest.approx(115.0, abs=5.0)
    assert table[1] == pytest.approx(615.0, abs=10.0)
    # After the lead, completions come at the long-run rate: agents / mean.
    assert table[2] - table[1] == pytest.approx(stats.mean_service / 2, rel=0.01)
    # A desk past SMALL_DESK keeps the long-run rate after the first completion.
    big = eta_table(max_ahead=1, agents=4, in_service_elapsed=[0.0, 0.0, 0.0, 500.0], stats=stats)
    assert big[1] - big[0] == pytest.approx(stats.mean_service / 4, rel=0.01)
