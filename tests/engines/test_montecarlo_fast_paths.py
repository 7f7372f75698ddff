"""The Monte Carlo engine's fast paths give the very numbers of the plain numpy they replace.

Each fast path (issue 16, item 6) is checked bit for bit against the straightforward numpy
expression it stands for, written out here: the earliest candidate sailing against stacked
``argmin`` / ``take_along_axis`` / ``choose``; the freight's per-day lookups against the
function on every day; block sums and quantile sketches against ``np.sum`` and the sketch's
binning formula; ``late()`` against ``copyto(where=)``. Ties, infinities, NaN, signed zeros
and out-of-range values are included, since that is where shortcuts go wrong.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routesim.distributions import Late, parse
from routesim.engines.montecarlo.kernel import _earliest
from routesim.freight import _OnDays, months_of, years_of
from routesim.outcomes import SHIPMENT_COLUMNS, RouteAccumulator
from routesim.stats import LogSketch, Moments, SignedSketch, _exact_add, block_sums


def bits(x) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(x, dtype=np.float64)).view(np.int64)


def same(a, b) -> bool:
    """Equal bit for bit (NaN payloads and the sign of zero included)."""
    return np.array_equal(bits(a), bits(b))


# ---------------------------------------------------------------- earliest candidate sailing
def reference_earliest(cand, lat):
    stacked = np.stack(cand)
    pick = np.argmin(stacked, axis=0)
    return np.take_along_axis(stacked, pick[None], axis=0)[0], np.choose(pick, lat)


few = st.sampled_from([0.0, -0.0, 1.0, 2.5, -3.0, math.inf, math.nan])


@settings(max_examples=300, deadline=None)
@given(k=st.integers(2, 4), n=st.integers(1, 40), data=st.data())
def test_earliest_is_argmin_s_first_minimum(k, n, data):
    # few distinct values, so that ties (0.0 against -0.0 too), infinities and NaN are common
    rows = [np.array(data.draw(st.lists(few, min_size=n, max_size=n))) for _ in range(k)]
    lat = [np.array(data.draw(st.lists(st.floats(allow_nan=False), min_size=n, max_size=n))) for _ in range(k)]
    want_t, want_l = reference_earliest(rows, lat)
    got_t, got_l = _earliest([r.copy() for r in rows], [x.copy() for x in lat])
    assert same(got_t, want_t) and same(got_l, want_l)


def test_earliest_on_a_block_of_candidate_departures():
    rng = np.random.default_rng(3)
    n = 16_384
    base = rng.random(n) * 7.0
    lat = [rng.gamma(1.5, 2.0, n) - 1.0 for _ in range(4)]
    cand = []
    for j in range(4):
        c = base + lat[j] + 7.0 * j
        c[c < 24.0] = np.inf  # some shipments miss all four
        cand.append(c)
    want = reference_earliest(cand, lat)
    got = _earliest([c.copy() for c in cand], [x.copy() for x in lat])
    assert same(got[0], want[0]) and same(got[1], want[1])
    assert not np.isfinite(want[0]).all()  # the case of every candidate gone is in the block


# ---------------------------------------------------------------- freight: functions of booking days
ORD0 = 739_252.0  # 2025-01-01 as an ordinal day


@pytest.mark.parametrize("f", [
    months_of,
    years_of,
    lambda d: np.interp(d, [ORD0 - 40.0, ORD0 + 17.5, ORD0 + 400.0], [2100.0, 2950.0, 1800.0]),
    lambda d: np.isin(months_of(d), (10, 11, 12)),
])
@pytest.mark.parametrize("day", [
    np.floor(ORD0 + np.random.default_rng(1).random(5_000) * 317.0),  # a booking window of whole days
    np.full(100, ORD0),
    ORD0 + np.random.default_rng(2).random(50) * 10.0,  # not whole days: computed directly
    np.array([ORD0, np.nan, ORD0 + 3.0]),
    np.array([ORD0, ORD0 + 5_000.0]),  # a window wider than the block
    np.array([], dtype=float),
])
def test_per_day_lookup_is_the_function_of_every_day(f, day):
    got, want = _OnDays(day).each(f), np.asarray(f(day))
    assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=got.dtype.kind == "f")
    if got.dtype.kind == "f":
        assert same(got, want)


def test_per_day_lookup_is_used_on_whole_days():
    day = np.floor(ORD0 + np.random.default_rng(4).random(16_384) * 317.0)
    on = _OnDays(day)
    assert on.days is not None and on.days.size <= 318
    assert _OnDays(day + 0.5).days is not None  # still whole days apart
    assert _OnDays(day + np.linspace(0.0, 0.5, day.size)).days is None


# ---------------------------------------------------------------- block sums and sketches
special = st.sampled_from([0.0, -0.0, 1e-300, 1e-12, 5e-10, 1e-9, 3.0, 1e15, 1e300, 1.7e308])
values = st.lists(st.one_of(special, st.floats(0.0, 1e9)), min_size=0, max_size=300)


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(st.one_of(special, st.floats(allow_nan=True, allow_infinity=True), st.just(-0.0)),
                   min_size=0, max_size=200))
def test_block_sums_are_numpy_s_sums(xs):
    x = np.array(xs, dtype=float)
    s, ss = block_sums(x, np.empty_like(x))
    assert same(s, float(np.sum(x))) and same(ss, float(np.sum(np.square(x))))


def test_block_sums_of_zeros_and_negative_zeros():
    for x in (np.zeros(16_384), np.full(16_384, -0.0), np.array([0.0, -0.0] * 9)):
        assert same(block_sums(x), (float(np.sum(x)), float(np.sum(np.square(x)))))


def reference_sketch_add(s: LogSketch, x: np.ndarray) -> None:
    """LogSketch.add as first written: mask the small values, bin, clip, count."""
    x = np.asarray(x, dtype=float).ravel()
    if x.size == 0:
        return
    if not (x.min() >= 0 and math.isfinite(x.max())):
        raise ValueError
    s._n += x.size
    small = x < s.min_value
    s._zeros += int(small.sum())
    x = x[~small]
    with np.errstate(over="ignore", invalid="ignore"):  # x / min_value may overflow: clipped to the last bin
        bins = np.clip(np.ceil(np.log(x / s.min_value) / s._lg).astype(np.int64), 0, s._max_index)
    if bins.size == 0:
        return
    s._cover(int(bins.min()), int(bins.max()))
    s._counts += np.bincount(bins - s._lo, minlength=s._counts.size)


def sketch_state(s: LogSketch):
    return s._n, s._zeros, s._lo, s._counts.tolist()


@settings(max_examples=300, deadline=None)
@given(blocks=st.lists(values, min_size=1, max_size=4))
def test_sketch_counts_are_the_binning_formula_s(blocks):
    fast, ref = LogSketch(), LogSketch()
    for xs in blocks:
        x = np.array(xs, dtype=float)
        fast.add(x)
        reference_sketch_add(ref, x)
        assert sketch_state(fast) == sketch_state(ref)


@pytest.mark.parametrize("bad", [[1.0, -2.0], [1.0, math.nan], [math.inf], [-0.5, 0.0]])
def test_sketch_still_refuses_negative_and_non_finite_values(bad):
    with pytest.raises(ValueError):
        LogSketch().add(np.array(bad))


@settings(max_examples=200, deadline=None)
@given(xs=st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(0.0), st.just(-0.0)), min_size=0, max_size=200))
def test_signed_sketch_splits_as_before(xs):
    x = np.array(xs, dtype=float)
    fast = SignedSketch()
    fast.add(x)
    pos, neg = LogSketch(), LogSketch()
    reference_sketch_add(pos, x[x >= 0])
    reference_sketch_add(neg, -x[x < 0])
    assert sketch_state(fast.pos) == sketch_state(pos) and sketch_state(fast.neg) == sketch_state(neg)


def test_route_accumulator_is_the_plain_accumulation():
    """Shared arrays, all-zero, all-NaN and partly missing columns: the same moments and counts as
    adding every column to its own Moments and its finite values to its own sketch."""
    rng = np.random.default_rng(5)
    n = 4_096
    shared = rng.gamma(2.0, 100.0, n)
    cols = {}
    for i, c in enumerate(SHIPMENT_COLUMNS):
        kind = i % 5
        cols[c] = (shared if kind == 0 else np.zeros(n) if kind == 1 else np.full(n, np.nan) if kind == 2
                   else rng.gamma(3.0, 10.0, n))
    some_nan = rng.gamma(3.0, 10.0, n)
    some_nan[::7] = np.nan
    cols["freight_usd_per_teu"] = some_nan
    cols["co2e_wtt_t_per_teu"] = rng.normal(0.1, 0.3, n)  # negative values too (a well-to-tank credit)
    acc = RouteAccumulator()
    for _ in range(2):
        acc.add(cols)
    for c in SHIPMENT_COLUMNS:
        m = Moments()
        for _ in range(2):
            m._n += n
            _exact_add(m._s, float(np.sum(cols[c])))
            _exact_add(m._ss, float(np.sum(np.square(cols[c]))))
        got = acc.moments[c]
        assert got.n == m.n and same(math.fsum(got._s), math.fsum(m._s)) and same(math.fsum(got._ss), math.fsum(m._ss))
    for c, sk in acc.sketches.items():
        v = cols[c][np.isfinite(cols[c])]
        if isinstance(sk, SignedSketch):
            pos, neg = LogSketch(), LogSketch()
            for _ in range(2):
                reference_sketch_add(pos, v[v >= 0])
                reference_sketch_add(neg, -v[v < 0])
            assert sketch_state(sk.pos) == sketch_state(pos) and sketch_state(sk.neg) == sketch_state(neg)
        else:
            ref = LogSketch()
            for _ in range(2):
                reference_sketch_add(ref, v)
            assert sketch_state(sk) == sketch_state(ref), c


# ---------------------------------------------------------------- late()
@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("delay", ["exponential(2)", "gamma(mean=5.1, cv=0.8)", "normal(0, 1)"])
def test_late_draws_are_the_delay_or_an_exact_zero(p, delay):
    d = Late(p, delay)
    got = d.sample(np.random.default_rng(11), 16_384)
    rng = np.random.default_rng(11)
    u = rng.random(16_384)
    want = parse(delay).sample(rng, 16_384)
    np.copyto(want, 0.0, where=u >= p)
    assert same(got, want)
