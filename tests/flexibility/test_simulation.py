"""The simulation against theory (Erlang C, Little's law) and the rules' properties."""

import dataclasses
import multiprocessing
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.flexibility import simulation
from hct.flexibility.simulation import Inputs, erlang_c_wait, parse_profile, run


def mmc(arrivals: float, servers: int, mean_weeks: float, **overrides) -> Inputs:
    values = dict(
        referrals_per_week=arrivals,
        capacity=(servers,),
        sessions_per_course=int(mean_weeks),
        exponential=True,
        horizon_weeks=520,
        warmup_weeks=52,
        replications=12,
        seed=7,
    )
    values.update(overrides)
    return Inputs(**values)


@pytest.mark.parametrize(
    "arrivals,servers,mean_weeks",
    [(1.0, 5, 4), (3.0, 5, 1), (2.0, 10, 4), (4.0, 20, 4)],  # loads 0.8, 0.6, 0.8, 0.8
)
def test_mean_wait_matches_erlang_c(arrivals, servers, mean_weeks):
    """M/M/c: exponential referrals and courses, no rebooking: the 95% interval of the simulated
    mean wait contains the Erlang C mean wait."""
    theory = erlang_c_wait(arrivals, 1 / mean_weeks, servers)
    result = run(mmc(arrivals, servers, mean_weeks))["measures"]["mean"]
    assert result["low"] <= theory <= result["high"], (theory, result)


def test_erlang_c_formula_known_value():
    # M/M/1 with load 0.5: the mean wait in the queue is ρ/(μ−λ) = 0.5/(1−0.5) = 1.
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    # M/M/2, λ=1, μ=1: Wq = 1/3.
    assert erlang_c_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)


DESCRIPTIONS = st.builds(
    Inputs,
    referrals_per_week=st.floats(2, 8),
    capacity=st.tuples(st.integers(20, 40)),
    sessions_per_course=st.integers(2, 6),
    change_share=st.floats(0.1, 0.6),
    notice_days=st.floats(0, 7),
    dna_share=st.floats(0, 0.2),
    change_rule=st.just(simulation.BACK),
    dna_rule=st.sampled_from([simulation.DISCHARGE, simulation.REENGAGE]),
    dna_limit=st.integers(1, 3),
    horizon_weeks=st.just(60),
    warmup_weeks=st.just(10),
    replications=st.just(3),
    seed=st.integers(1, 1000),
)


def _loaded(inputs: Inputs) -> bool:
    """Below 90% of capacity: a list that settles within the short runs these tests afford."""
    weeks = simulation.expected_course_weeks(inputs) + simulation.late_change_weeks(inputs)
    return inputs.referrals_per_week * weeks < 0.9 * inputs.capacity[0]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(DESCRIPTIONS.filter(_loaded))
def test_littles_law_holds_in_every_scenario(inputs):
    for rule in (simulation.BACK, simulation.KEEP, simulation.HELD_BACK):
        scenario = dataclasses.replace(inputs, change_rule=rule, held_back_share=0.1)
        m = run(scenario)["measures"]
        # L (the time-average number waiting) against λW, allowing for the window's edges.
        assert m["littles_l"]["mean"] == pytest.approx(m["littles_lw"]["mean"], rel=0.1, abs=0.3)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(DESCRIPTIONS.filter(_loaded))
def test_keeping_your_place_never_makes_rebookers_wait_longer(inputs):
    back = run(inputs)["measures"]["changer_median"]["mean"]
    keep = run(dataclasses.replace(inputs, change_rule=simulation.KEEP))["measures"]
    assert keep["changer_median"]["mean"] <= back + 1e-9


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(DESCRIPTIONS.filter(_loaded), st.integers(1, 10))
def test_more_capacity_never_lengthens_the_median_wait(inputs, more):
    before = run(inputs)["measures"]["median"]["mean"]
    after = run(dataclasses.replace(inputs, capacity=(inputs.capacity[0] + more,)))
    assert after["measures"]["median"]["mean"] <= before + 1e-9


def test_the_same_seed_gives_the_same_numbers():
    inputs = Inputs(
        referrals_per_week=5,
        capacity=(30,),
        sessions_per_course=4,
        change_share=0.3,
        dna_share=0.1,
        horizon_weeks=40,
        warmup_weeks=8,
        replications=2,
        seed=3,
    )
    assert run(inputs) == run(inputs)
    assert run(inputs)["seeds"] == [3, 4]
    assert run(inputs) != run(dataclasses.replace(inputs, seed=4))


PARALLEL = Inputs(
    referrals_per_week=6,
    capacity=(40, 40, 32),
    sessions_per_course=4,
    change_share=0.4,
    dna_share=0.1,
    change_rule=simulation.HELD_BACK,
    held_back_share=0.1,
    horizon_weeks=40,
    warmup_weeks=8,
    replications=5,
    seed=21,
)


@pytest.mark.parametrize("rule", [simulation.BACK, simulation.KEEP, simulation.HELD_BACK])
def test_replications_in_parallel_processes_give_the_same_numbers_as_in_one(rule):
    inputs = dataclasses.replace(PARALLEL, change_rule=rule)
    seen: list[tuple[int, int]] = []
    parallel = run(inputs, processes=2, progress=lambda done, total: seen.append((done, total)))
    assert parallel == run(inputs, processes=1)
    # Progress comes as each replication finishes, whichever process ran it.
    assert seen == [(done, 5) for done in range(1, 6)]


def test_a_pool_that_cannot_start_leaves_the_run_in_this_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise OSError("no more processes")

    monkeypatch.setattr(simulation, "ProcessPoolExecutor", no_pool)
    seen: list[int] = []
    result = run(PARALLEL, processes=2, progress=lambda done, total: seen.append(done))
    assert result == run(PARALLEL, processes=1)
    assert seen == [1, 2, 3, 4, 5]


def test_how_many_processes(monkeypatch):
    monkeypatch.delenv(simulation.PROCESSES_VARIABLE, raising=False)
    big = dataclasses.replace(PARALLEL, referrals_per_week=150, horizon_weeks=104, replications=30)
    assert simulation.processes_for(PARALLEL) == 1  # too small to gain from processes
    assert simulation.processes_for(big) == min(30, len(os.sched_getaffinity(0)))
    assert simulation.processes_for(PARALLEL, 8) == 5  # never more than the replications
    monkeypatch.setenv(simulation.PROCESSES_VARIABLE, "1")
    assert simulation.processes_for(big) == 1
    monkeypatch.setenv(simulation.PROCESSES_VARIABLE, "3")
    assert simulation.processes_for(PARALLEL) == 3
    # A daemonic process (a worker of some other pool) may not have children of its own.
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True)
    assert simulation.processes_for(big, 4) == 1


def test_demand_beyond_capacity_is_said_with_numbers():
    inputs = Inputs(referrals_per_week=10, capacity=(36,), sessions_per_course=4)
    over = simulation.overload(inputs)
    assert over is not None
    assert over.excess_percent == pytest.approx(40 / 36 * 100 - 100)
    assert over.growth_per_week == pytest.approx(10 - 36 / 4)
    assert "exceed sessions by 11%" in over.sentence()
    assert "about 1.0 people a week" in over.sentence()


def test_expected_course_weeks_matches_sampling():
    import random

    inputs = Inputs(
        referrals_per_week=1, capacity=(10,), sessions_per_course=6, dna_share=0.2, dna_limit=2
    )
    rng = random.Random(1)
    sampled = sum(simulation.course_weeks(inputs, rng)[0] for _ in range(20000)) / 20000
    assert simulation.expected_course_weeks(inputs) == pytest.approx(sampled, rel=0.02)


def test_capacity_profile_that_varies_reduces_sessions_used_weeks():
    inputs = Inputs(
        referrals_per_week=6,
        capacity=parse_profile("40 x 3, 10"),
        sessions_per_course=4,
        horizon_weeks=40,
        warmup_weeks=8,
        replications=2,
    )
    result = run(inputs)
    assert result["measures"]["median"]["mean"] is not None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("40", (40,)),
        ("40, 40, 32", (40, 40, 32)),
        ("40 x 2, 30", (40, 40, 30)),
        (" 5 X 1 ", (5,)),
        ("0, 3", (0, 3)),
    ],
)
def test_profile_parses(text, expected):
    assert parse_profile(text) == expected


@pytest.mark.parametrize("text", ["", "forty", "40;40", "40 x 0", "-4", "0", "4.5", "40,,40"])
def test_profile_that_does_not_parse_says_how_to_write_it(text):
    with pytest.raises(ValueError):
        parse_profile(text)


@given(st.text(max_size=40))
def test_profile_parser_never_fails_otherwise(text):
    try:
        weeks = parse_profile(text)
    except ValueError as error:
        assert str(error)
    else:
        assert weeks and all(w >= 0 for w in weeks) and max(weeks) > 0


@given(st.lists(st.tuples(st.integers(0, 999), st.integers(1, 9)), min_size=1, max_size=8))
def test_profile_round_trips(pattern):
    text = ", ".join(f"{sessions} x {weeks}" for sessions, weeks in pattern)
    expected = tuple(s for s, w in pattern for _ in range(w))
    if max(expected) == 0:
        with pytest.raises(ValueError):
            parse_profile(text)
    else:
        assert parse_profile(text) == expected
