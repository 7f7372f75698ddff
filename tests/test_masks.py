"""routesim.masks: branch-free masked updates equal numpy's putmask bit for bit, whatever the values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from routesim.masks import keep, put

any_float = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True, width=64)


@st.composite
def arrays_and_mask(draw, arrays: int):
    n = draw(st.integers(0, 300))
    out = [draw(hnp.arrays(np.float64, n, elements=any_float)) for _ in range(arrays)]
    return out, draw(hnp.arrays(np.bool_, n))


def _bits(x: np.ndarray) -> np.ndarray:
    return x.view(np.int64)


@settings(max_examples=200, deadline=None)
@given(arrays_and_mask(2))
def test_put_is_putmask_bit_for_bit(case):
    (out, values), mask = case
    expected = out.copy()
    np.putmask(expected, mask, values)
    put(out, mask, values.copy())
    np.testing.assert_array_equal(_bits(out), _bits(expected))  # NaN payloads, -0.0 and infinities too


@settings(max_examples=200, deadline=None)
@given(arrays_and_mask(1))
def test_keep_zeroes_where_the_mask_is_false(case):
    (out,), mask = case
    expected = out.copy()
    np.putmask(expected, ~mask, 0.0)
    keep(out, mask)
    np.testing.assert_array_equal(_bits(out), _bits(expected))  # +0.0, not -0.0, where dropped


def test_put_changes_nothing_where_the_mask_is_false_and_copies_infinities():
    out, values = np.array([1.0, -0.0, np.nan]), np.array([7.0, 8.0, 9.0])
    put(out, np.array([False, False, False]), values)
    np.testing.assert_array_equal(_bits(out), _bits(np.array([1.0, -0.0, np.nan])))
    out = np.array([1.0, 2.0])
    put(out, np.array([True, True]), np.array([-np.inf, np.inf]))
    assert list(out) == [-np.inf, np.inf]
