"""The keeping-quality functions (routesim.quality): properties that hold for any input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from routesim import quality as q

days = st.floats(0.0, 400.0, allow_nan=False)
temps = st.floats(-2.0, 30.0, allow_nan=False)
keeping = st.floats(1.0, 200.0, allow_nan=False)
q10s = st.floats(1.0, 5.0, allow_nan=False)
cvs = st.floats(0.0, 0.5, allow_nan=False)
rejects = st.floats(1.01, 3.0, allow_nan=False)


def _remaining(d, temp, k, q10, carry=0.0):
    eq = q.equivalent_days([d], [temp], carry, q10)
    return float(q.remaining_quality(q.used_fraction(eq, k)))


def test_full_quality_at_zero_time():
    assert _remaining(0.0, 25.0, 40.0, 3.0) == 1.0


@given(d=days, extra=st.floats(0.01, 100.0), temp=temps, k=keeping, q10=q10s)
def test_quality_falls_with_time_and_stays_in_0_1(d, extra, temp, k, q10):
    a, b = _remaining(d, temp, k, q10), _remaining(d + extra, temp, k, q10)
    assert 0.0 <= b <= a <= 1.0
    if a > 0.0:
        assert b < a


@given(d=st.floats(0.1, 100.0), temp=temps, warmer=st.floats(0.1, 15.0), k=keeping, q10=st.floats(1.01, 5.0))
def test_quality_falls_with_temperature(d, temp, warmer, k, q10):
    a, b = _remaining(d, temp, k, q10), _remaining(d, temp + warmer, k, q10)
    assert b <= a
    if a > 0.0:
        assert b < a


def test_rate_factor_is_q10_per_ten_degrees():
    assert float(q.rate_factor(10.0, 0.0, 3.0)) == pytest.approx(3.0)
    assert float(q.rate_factor(-5.0, 5.0, 2.0)) == pytest.approx(0.5)
    assert float(q.rate_factor(4.0, 4.0, 2.5)) == 1.0


@given(used=st.lists(st.floats(0.0, 10.0), min_size=1, max_size=20), cv=cvs, rf=rejects)
def test_box_shares_are_shares(used, cv, rf):
    down, rej = q.box_shares(np.array(used), cv, rf)
    assert np.all(down >= -1e-15) and np.all(rej >= 0.0) and np.all(down + rej <= 1.0 + 1e-12)


@given(u=st.floats(0.0, 5.0), more=st.floats(0.001, 5.0), cv=st.floats(0.01, 0.5), rf=rejects)
def test_losses_grow_gradually_with_use(u, more, cv, rf):
    """More keeping quality used never lowers the rejected share or the value lost."""
    d1, r1 = q.box_shares(np.array([u]), cv, rf)
    d2, r2 = q.box_shares(np.array([u + more]), cv, rf)
    assert r2[0] >= r1[0]
    assert q.value_lost_share(d2, r2, 0.2)[0] >= q.value_lost_share(d1, r1, 0.2)[0] - 1e-12


def test_no_cliff_with_variance_and_a_cliff_without():
    used = np.array([0.95, 1.05])
    down, _ = q.box_shares(used, 0.1, 1.4)
    assert 0.2 < down[0] < 0.5 < down[1] < 0.8  # gradual with pallet variance
    down0, _ = q.box_shares(used, 0.0, 1.4)
    assert down0.tolist() == [0.0, 1.0]


def test_value_lost_is_all_of_the_rejected_and_the_discount_on_the_downgraded():
    assert float(q.value_lost_share(0.3, 0.1, 0.5)) == pytest.approx(0.25)
    assert float(q.value_lost_share(0.0, 1.0, 0.5)) == 1.0
