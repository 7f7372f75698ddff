"""The Monte Carlo congestion model: reflected Brownian motion means and capacity-cut profiles."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from routesim import queueing
from routesim.queueing import CongestionModel, rbm_mean


@pytest.mark.parametrize("drift, var", [(-1.0, 2.0), (0.0, 3.0), (2.0, 1.0), (-0.3, 30.0), (10.0, 20.0)])
def test_rbm_mean_matches_a_simulated_reflected_walk(drift, var):
    rng = np.random.default_rng(7)
    t_end, dt, n = 20.0, 0.004, 4000
    x = np.zeros(n)
    for _ in range(int(t_end / dt)):
        x = np.maximum(0.0, x + drift * dt + math.sqrt(var * dt) * rng.standard_normal(n))
    sim, se = x.mean(), x.std() / math.sqrt(n)
    exact = float(rbm_mean(np.array([t_end]), drift, var)[0])
    # the Euler walk slightly under-reflects (O(sqrt(dt))), hence the small extra allowance
    assert abs(sim - exact) < 4 * se + 0.06 * math.sqrt(var * 1.0)


def test_rbm_limits():
    assert rbm_mean(np.array([5e4]), -2.0, 3.0)[0] == pytest.approx(3.0 / 4.0, rel=1e-3)  # sigma^2 / (2|d|)
    t = 200.0
    assert rbm_mean(np.array([t]), 3.0, 1.0)[0] == pytest.approx(3.0 * t, rel=1e-3)  # fluid
    assert rbm_mean(np.array([t]), 0.0, 2.0)[0] == pytest.approx(math.sqrt(2 * 2.0 * t / math.pi), rel=1e-3)
    assert rbm_mean(np.array([0.0]), 1.0, 1.0)[0] == 0.0


@settings(max_examples=40, deadline=None)
@given(f1=st.floats(0.05, 1.0), f2=st.floats(0.05, 1.0), rho=st.floats(0.5, 0.99), c=st.integers(1, 40),
       cs2=st.sampled_from([0.0, 1.0]))
def test_a_deeper_cut_never_shortens_the_extra_wait(f1, f2, rho, c, cs2):
    deep, mild = sorted((f1, f2))
    m = CongestionModel(c, rho, 0.5, cs2)
    t = np.linspace(-5.0, 80.0, 60)
    assert np.all(m.extra_days(t, 0.0, 60.0, deep) >= m.extra_days(t, 0.0, 60.0, mild) - 1e-9)
    assert np.all(m.extra_days(t, 0.0, 60.0, 1.0) == 0.0)


def test_extra_wait_is_continuous_across_the_stability_boundary():
    # Shanghai-like: 23 berths at rho 0.955; 22 berths keep the queue (barely) stable, 21 do not
    m = CongestionModel(23, 0.955, 0.41, 1.0)
    t = np.array([5.0, 20.0, 50.0])
    e22, e21 = m.extra_days(t, 0, 60, 22 / 23), m.extra_days(t, 0, 60, 21 / 23)
    assert np.all(e21 >= e22) and np.all(e21 - e22 < 3.0)


def test_backlog_drains_after_the_window_and_respects_the_cap():
    m = CongestionModel(36, 0.978, 1.0, 0.0, max_extra_days=10.0)
    during = m.extra_days(np.array([1.0, 20.0, 100.0]), 0, 120, 22 / 36)
    assert during[0] < during[1] <= 10.0 and during[2] == 10.0
    after = m.extra_days(np.array([121.0, 200.0, 2000.0]), 0, 120, 22 / 36)
    # the capped queue (what 36 slots a day clear in 10 days) drains at the spare capacity (36 - 35.2 a day)
    assert after[0] <= 10.0 + 1e-9
    assert after[0] > after[1] > after[2] == 0.0


def test_servers_round_to_nearest_and_booking_share():
    m = CongestionModel(36, 0.978, 1.0, 0.0)
    assert m.servers_after(0.611) == 22 and m.servers_after(0.01) == 1
    assert m.booking_share(1.0) == 1.0
    assert m.booking_share(0.611) == pytest.approx(22 / (0.978 * 36))


# ---------------------------------------------------------------- time-varying queues (reefer plugs)
@given(arrivals=st.lists(st.floats(0.0, 50.0), min_size=1, max_size=60), cap=st.floats(0.1, 40.0))
def test_fluid_backlog_conserves_boxes(arrivals, cap):
    """What arrived is either served (at most capacity a day) or still in the backlog."""
    q = queueing.fluid_backlog(arrivals, cap)
    assert np.all(q >= 0.0)
    served = np.sum(arrivals) - q[-1]
    assert served <= cap * len(arrivals) + 1e-9
    assert np.all(np.diff(np.concatenate([[0.0], q])) <= np.asarray(arrivals) + 1e-9)


@pytest.mark.parametrize("c, rho, service", [(10, 0.7, 2.0), (960, 0.95, 5.0), (1, 0.5, 1.0)])
def test_time_varying_waits_at_a_constant_load_are_erlang_c(c, rho, service):
    lam = np.full(30, rho * c / service)
    p, m, backlog = queueing.time_varying_waits(c, lam, service)
    assert np.allclose(p, queueing.erlang_c(c, rho * c))
    assert np.allclose(p * m, queueing.mmc_mean_wait(c, rho, service))  # the M/M/c mean wait
    assert not backlog.any()


def test_an_overload_builds_a_backlog_that_drains():
    c, service = 100, 2.0
    lam = np.r_[np.full(10, 40.0), np.full(40, 20.0)]   # capacity 50 a day... then 25 % load
    _, _, b = queueing.time_varying_waits(c, lam * 2, service)  # 80 a day for 10 days, then 40
    assert b[9] == pytest.approx(10 * 30 / 50)  # 300 boxes behind, served at 50 a day
    assert b[-1] == 0.0 and np.all(np.diff(b[10:]) <= 0)
