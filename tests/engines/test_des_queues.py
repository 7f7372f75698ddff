"""The discrete-event engine's queues against theory: Erlang C, Little's law, priority waits,
monotonicity in capacity, and the Panama drought regime.

Each test drives one component (a port's berths, a canal's slots) with a small harness, as the
engine does, and checks a property that a wrong queue would break.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from routesim import catalogue
from routesim.engines.des.canal import BOOKED, UNBOOKED, Canal
from routesim.engines.des.detours import canal_detours
from routesim.engines.des.draws import Streams
from routesim.engines.des.ports import Port
from routesim.network import PortNetwork
from routesim.plan import REFERENCE_VESSEL, Window
from routesim.queueing import erlang_c, mmc_mean_wait, priority_utilisation

Z95 = 1.959963984540054


def run_port(c, rate, service, seed, replication, horizon, warmup, windows=(), stationary=False):
    env = simpy.Environment(initial_time=-warmup)
    streams = Streams(seed, replication)
    port = Port(env, "TEST", c, windows=windows, start=0.0, weather_rng=streams.rng("weather"))
    port.start_traffic(rate, service, streams.rng("port"), streams.rng("port_init") if stationary else None)
    env.run(until=horizon)
    return port


def ci(values):
    values = np.asarray(values, dtype=float)
    mean = values.mean()
    half = Z95 * values.std(ddof=1) / math.sqrt(values.size)
    return mean, half


# ---------------------------------------------------------------- Erlang C
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_port_matches_erlang_c(seed):
    """M/M/4 at rho = 0.8: the mean wait and P(wait > 0) of the replications bracket Erlang C."""
    c, rho, service = 4, 0.8, 1.0
    means, waiting = [], []
    for r in range(30):
        port = run_port(c, rho * c / service, service, seed, r, horizon=2000.0, warmup=200.0)
        w = port.waits.array()
        means.append(w.mean())
        waiting.append((w > 0).mean())
    m, half = ci(means)
    assert abs(m - mmc_mean_wait(c, rho, service)) <= half, (m, half)
    p, half_p = ci(waiting)
    assert abs(p - erlang_c(c, c * rho)) <= half_p, (p, half_p)
    # and the intervals are tight enough to mean something
    assert half < 0.1 and half_p < 0.02


def test_a_port_near_saturation_starts_in_its_stationary_state():
    """M/M/3 at rho = 0.97 (mean wait 10.5 service times): a warm-up of two days cannot build the
    queue from empty (its relaxation time is thousands of days), the stationary start gives the
    Erlang C wait from the first day."""
    c, rho, service = 3, 0.97, 1.0
    theory = mmc_mean_wait(c, rho, service)
    empty, stationary = [], []
    for r in range(60):
        empty.append(run_port(c, rho * c / service, service, 5, r, horizon=200.0, warmup=2.0).waits.array().mean())
        stationary.append(run_port(c, rho * c / service, service, 5, r, horizon=200.0, warmup=2.0,
                                   stationary=True).waits.array().mean())
    m, half = ci(stationary)
    assert abs(m - theory) <= 2 * half, (m, half, theory)
    assert np.mean(empty) < 0.6 * theory  # the test can fail: an empty start is far too short


# ---------------------------------------------------------------- Little's law
@pytest.mark.parametrize("weather", [False, True], ids=["normal", "weather-window"])
def test_littles_law_on_berths_and_anchorage(weather):
    """Time-average ships at anchor = arrival rate x mean anchorage wait; alongside = rate x mean berth time.

    The time averages are sampled from the port's state every 0.02 day by a separate process, so
    they do not share the engine's own bookkeeping.
    """
    from routesim.distributions import parse

    windows = (Window("weather", "TEST", 100.0, 160.0, extra_days=parse("exponential(mean=0.5)")),) if weather else ()
    horizon, step = 2000.0, 0.02
    env = simpy.Environment(initial_time=-100.0)
    s = Streams(5, 0)
    port = Port(env, "TEST", 5, windows=windows, start=0.0, weather_rng=s.rng("weather"))
    port.start_traffic(4.2, 1.0, s.rng("port"))
    at_anchor, alongside = [], []

    def sample(env):
        yield env.timeout(-env.now + step / 2)
        while True:
            at_anchor.append(port.at_anchor if weather else len(port.berths.queue))
            alongside.append(len(port.berths.users))
            yield env.timeout(step)

    env.process(sample(env))
    env.run(until=horizon)
    rate = port.arrivals / horizon
    waits = port.waits.array()
    assert np.mean(at_anchor) == pytest.approx(rate * waits.mean(), rel=0.02)
    assert np.mean(alongside) == pytest.approx(rate * port.berth_days / port.arrivals, rel=0.02)
    # and the engine's own time averages agree with the samples
    assert port.anchorage_mean(horizon) == pytest.approx(np.mean(at_anchor), rel=0.01)
    assert port.alongside_mean(horizon) == pytest.approx(np.mean(alongside), rel=0.01)


def test_littles_law_on_canal_queues():
    env = simpy.Environment(initial_time=-60.0)
    s = Streams(3, 0)
    canal = Canal(env, "panama", 36, 10.5 / 24, booked_share=0.9, start=0.0, slot_rng=s.rng("slots"))
    canal.start_traffic(33.4, s.rng("traffic"))
    horizon = 600.0
    env.run(until=horizon)
    for cls in (BOOKED, UNBOOKED):
        waits = canal.waits[cls].array()
        rate = canal.arrivals[cls] / horizon
        assert canal.queue[cls].mean(horizon) == pytest.approx(rate * waits.mean(), rel=0.05)


# ---------------------------------------------------------------- canal priority and inference
def test_canal_unbooked_wait_matches_the_inferred_utilisation():
    """Background demand inferred from the normal unbooked wait (1.05 d at 36 slots) gives that wait back."""
    rho = priority_utilisation(36, 1.05, 0.9)
    booked, unbooked = [], []
    for r in range(8):
        env = simpy.Environment(initial_time=-100.0)
        s = Streams(21, r)
        canal = Canal(env, "panama", 36, 10.5 / 24, booked_share=0.9, start=0.0, slot_rng=s.rng("slots"))
        canal.start_traffic(rho * 36, s.rng("traffic"))
        env.run(until=800.0)
        booked.append(canal.waits[BOOKED].array().mean())
        unbooked.append(canal.waits[UNBOOKED].array().mean())
    m, half = ci(unbooked)
    assert abs(m - 1.05) <= max(half, 0.1), (m, half)
    # booked ships are served first: an order of magnitude less
    assert np.mean(booked) < 0.15 * m


# ---------------------------------------------------------------- monotonicity (common random numbers)
@settings(max_examples=25, deadline=None)
@given(c=st.integers(min_value=2, max_value=8), load=st.floats(min_value=0.3, max_value=1.3),
       seed=st.integers(min_value=0, max_value=10_000))
def test_fewer_berths_never_shorten_waits(c, load, seed):
    """Same ships (same stream), one berth fewer: the time-average anchorage and the mean wait never drop."""
    rate = load * (c - 1)
    horizon = 150.0

    def measure(berths):
        port = run_port(berths, rate, 1.0, seed, 0, horizon=horizon, warmup=20.0)
        # ships still at anchor at the end count with the wait they have had so far
        waiting = [horizon - r.arrived for r in port.berths.queue if r.arrived >= 0]
        waits = np.concatenate([port.waits.array(), waiting])
        return port.anchorage_mean(horizon), waits.mean() if waits.size else 0.0

    many, few = measure(c), measure(c - 1)
    assert few[0] >= many[0] - 1e-9
    assert few[1] >= many[1] - 1e-9


@settings(max_examples=15, deadline=None)
@given(factor=st.floats(min_value=0.3, max_value=0.95), seed=st.integers(min_value=0, max_value=10_000))
def test_lower_canal_capacity_never_shortens_waits(factor, seed):
    """Same ships, a capacity cut: the time-average queue of each class never drops."""
    horizon = 120.0

    def measure(windows):
        env = simpy.Environment(initial_time=-20.0)
        s = Streams(seed, 0)
        canal = Canal(env, "panama", 36, 10.5 / 24, booked_share=0.9, windows=windows, start=0.0,
                      slot_rng=s.rng("slots"))
        canal.start_traffic(priority_utilisation(36, 1.05, 0.9) * 36, s.rng("traffic"))
        env.run(until=horizon)
        return [canal.queue[cls].mean(horizon) for cls in (BOOKED, UNBOOKED)]

    normal = measure(())
    cut = measure((Window("capacity", "panama", 0.0, horizon, factor=factor),))
    assert sum(cut) >= sum(normal) - 1e-9
    assert cut[1] >= normal[1] - 1e-9


# ---------------------------------------------------------------- the drought regime
@pytest.fixture(scope="module")
def panama_detours():
    speed = float(catalogue.vessel_classes()[REFERENCE_VESSEL].service_speed_kn.value)
    return canal_detours(PortNetwork.default(), "panama", speed)


def drought(seed, detours, slots_kept, horizon=300.0):
    env = simpy.Environment(initial_time=-60.0)
    s = Streams(seed, 0)
    rate = priority_utilisation(36, 1.05, 0.9) * 36
    windows = (Window("capacity", "panama", 0.0, horizon, factor=slots_kept / 36),)
    canal = Canal(env, "panama", 36, 10.5 / 24, booked_share=0.9, windows=windows, start=0.0,
                  slot_rng=s.rng("slots"))
    canal.start_traffic(rate, s.rng("traffic"), detours)
    env.run(until=horizon)
    return canal.stats(horizon)


@pytest.mark.parametrize("seed", [1, 2])
def test_drought_unbooked_waits_are_days_and_booked_ships_keep_moving(seed, panama_detours):
    """36 -> 22 slots a day: with ships diverting round their alternatives, unbooked ships wait of the
    order of the 9-11 days the ACP reported; booked ships wait well under a day."""
    st_ = drought(seed, panama_detours, 22)
    unbooked = st_["unbooked"]["wait"]["mean_days"]
    assert 6.0 < unbooked < 20.0, unbooked
    assert st_["booked"]["wait"]["mean_days"] < 1.0
    assert st_["unbooked"]["diverted_share"] > 0.3
    assert st_["transits_per_day"] == pytest.approx(22, abs=1.0)


def test_drought_without_demand_response_queues_without_end(panama_detours):
    """The same cut with nobody diverting: the unbooked queue grows for the whole window."""
    st_ = drought(1, None, 22)
    assert st_["unbooked"]["wait"]["mean_days"] > 3 * drought(1, panama_detours, 22)["unbooked"]["wait"]["mean_days"]
    assert st_["unbooked"]["queue_max_ships"] > 1000


def test_detours_come_from_the_network(panama_detours):
    """Going round Panama costs days: about 11 for Cartagena-Shanghai (via Suez), ~20 round Cape Horn."""
    assert panama_detours is not None
    assert 5.0 < panama_detours.mean < 20.0
    assert panama_detours.days.max() > 15.0
    assert panama_detours.weights.sum() == pytest.approx(1.0)
