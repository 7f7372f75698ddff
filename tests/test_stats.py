"""Streaming statistics (routesim.stats): quantile sketch accuracy and chunk-free merging."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routesim.stats import LogSketch, Moments

# positive values spanning many orders of magnitude (days, USD, tonnes all fit)
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)
values = st.lists(positive, min_size=1, max_size=400)
quantiles = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def lower_quantile(x, q) -> float:
    """The exact sample quantile the sketch approximates (numpy's 'lower' method)."""
    return float(np.quantile(np.asarray(x, dtype=float), q, method="lower"))


# ---------------------------------------------------------------- LogSketch accuracy
@settings(max_examples=200, deadline=None)
@given(xs=values, q=quantiles)
def test_sketch_quantile_within_relative_alpha_of_exact(xs, q):
    s = LogSketch()
    s.add(np.array(xs))
    exact = lower_quantile(xs, q)
    got = s.quantile(q)
    assert abs(got - exact) <= s.alpha * exact * (1 + 1e-9)


@pytest.mark.parametrize("alpha", [0.001, 0.01, 0.05])
def test_sketch_accuracy_on_skewed_data_for_several_alphas(alpha):
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.lognormal(3.0, 1.5, 50_000), rng.exponential(0.01, 5_000)])
    s = LogSketch(alpha=alpha)
    s.add(x)
    for q in (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0):
        exact = lower_quantile(x, q)
        assert abs(s.quantile(q) - exact) <= alpha * exact * (1 + 1e-9), q
    # a coarser sketch really is coarser: the bound is not trivially met by an exact method
    if alpha == 0.05:
        errs = [abs(s.quantile(q) - lower_quantile(x, q)) / lower_quantile(x, q) for q in (0.05, 0.5, 0.95)]
        assert max(errs) > 1e-4


def test_sketch_zeros_and_tiny_values_are_reported_as_zero():
    s = LogSketch(min_value=1e-9)
    s.add(np.array([0.0, 0.0, 0.0, 1e-12, 5.0, 6.0, 7.0, 8.0]))
    assert s.n == 8
    assert s.quantile(0.0) == 0.0
    assert s.quantile(3 / 7) == 0.0  # rank 3 is still in the zero bin
    assert s.quantile(4 / 7) == pytest.approx(5.0, rel=s.alpha)
    assert s.quantile(1.0) == pytest.approx(8.0, rel=s.alpha)


def test_sketch_rejects_bad_input_and_empty_is_nan():
    s = LogSketch()
    assert math.isnan(s.quantile(0.5))
    with pytest.raises(ValueError):
        s.add(np.array([1.0, -0.5]))
    with pytest.raises(ValueError):
        s.add(np.array([1.0, np.nan]))
    with pytest.raises(ValueError):
        s.add(np.array([np.inf]))
    s.add(np.array([1.0]))
    with pytest.raises(ValueError):
        s.quantile(1.5)
    with pytest.raises(ValueError):
        LogSketch(alpha=0.0)
    with pytest.raises(ValueError):
        LogSketch().merge(LogSketch(alpha=0.01))


# ---------------------------------------------------------------- merging
@settings(max_examples=60, deadline=None)
@given(xs=st.lists(positive, min_size=4, max_size=200), cuts=st.lists(st.integers(0, 200), max_size=5),
       order_seed=st.integers(0, 2**32 - 1))
def test_sketch_merge_is_exact_and_order_invariant(xs, cuts, order_seed):
    x = np.array(xs)
    bounds = sorted({0, len(x), *(c % (len(x) + 1) for c in cuts)})
    parts = [x[a:b] for a, b in zip(bounds, bounds[1:])]
    whole = LogSketch()
    whole.add(x)
    order = np.random.default_rng(order_seed).permutation(len(parts))
    merged = LogSketch()
    for i in order:
        p = LogSketch()
        p.add(parts[i])
        merged.merge(p)
    assert merged.n == whole.n == len(x)
    for q in (0.0, 0.05, 0.5, 0.95, 1.0):
        assert merged.quantile(q) == whole.quantile(q)


def test_sketch_merge_every_order_of_four_parts_is_identical():
    rng = np.random.default_rng(3)
    parts = [rng.gamma(2.0, 3.0, n) for n in (10, 1000, 77, 5000)]
    sketches = []
    for p in parts:
        s = LogSketch()
        s.add(p)
        sketches.append(s)
    answers = set()
    for perm in itertools.permutations(range(4)):
        m = LogSketch()
        for i in perm:
            m.merge(sketches[i])
        answers.add(tuple(m.quantile(q) for q in (0.05, 0.5, 0.95)))
    assert len(answers) == 1


def test_sketch_merge_keeps_zeros():
    a, b = LogSketch(), LogSketch()
    a.add(np.array([0.0, 0.0, 0.0, 4.0]))
    b.add(np.array([0.0, 5.0, 6.0, 7.0]))
    a.merge(b)
    assert a.n == 8
    assert a.quantile(3 / 7) == 0.0  # four zeros: ranks 0-3
    assert a.quantile(4 / 7) == pytest.approx(4.0, rel=a.alpha)


# ---------------------------------------------------------------- Moments
@settings(max_examples=60, deadline=None)
@given(blocks=st.lists(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=50),
                       min_size=1, max_size=8),
       group_seed=st.integers(0, 2**32 - 1))
def test_moments_grouping_of_blocks_does_not_change_mean_or_var(blocks, group_seed):
    """The same blocks merged through any grouping (chunks, threads) give bit-identical results."""
    arrays = [np.array(b) for b in blocks]
    flat = Moments()
    for a in arrays:
        flat.add(a)
    rng = np.random.default_rng(group_seed)
    order = rng.permutation(len(arrays))
    groups = np.array_split(order, rng.integers(1, len(arrays) + 1))
    total = Moments()
    for g in groups:
        part = Moments()
        for i in g:
            part.add(arrays[i])
        total.merge(part)
    assert total.n == flat.n
    assert total.mean == flat.mean
    assert (math.isnan(total.var) and math.isnan(flat.var)) or total.var == flat.var


@settings(max_examples=100, deadline=None)
@given(sums=st.lists(st.floats(-1e150, 1e150, allow_nan=False), min_size=1, max_size=60))
def test_moments_mean_is_the_correctly_rounded_sum_of_block_sums(sums):
    """Exact merging: the mean is fsum of the block sums / n, bit for bit, even with cancellation."""
    m = Moments()
    for v in sums:
        m.add(np.array([v]))
    assert m.mean == math.fsum(sums) / len(sums)


def test_moments_exact_under_cancellation():
    m = Moments()
    for v in (1e16, 1.0, -1e16, 3.0, 1e-30):
        m.add(np.array([v]))
    assert m.mean == (4.0 + 1e-30) / 5


def test_moments_non_finite_blocks_behave_as_fsum():
    m = Moments()
    for v in (1.0, math.inf, 2.0**60, 1.0, -(2.0**60)):
        m.add(np.array([v]))
    assert m.mean == math.inf
    m = Moments()
    for v in (2.0**60, math.nan, 1.0, -(2.0**60)):
        m.add(np.array([v]))
    assert math.isnan(m.mean)


def test_moments_memory_does_not_grow_with_blocks():
    """A streamed run adds one block at a time for ever: the summary must stay the same size."""
    import tracemalloc

    m = Moments()
    rng = np.random.default_rng(0)
    blocks = rng.gamma(2.0, 10.0, (20_000, 4))
    for b in blocks[:1_000]:
        m.add(b)
    import routesim.stats

    # only what routesim/stats.py holds on to (other threads of the test process allocate too)
    only = [tracemalloc.Filter(True, routesim.stats.__file__)]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot().filter_traces(only)
        for b in blocks[1_000:]:
            m.add(b)
        after = tracemalloc.take_snapshot().filter_traces(only)
    finally:
        tracemalloc.stop()
    grown = sum(d.size_diff for d in after.compare_to(before, "filename"))
    assert grown < 20_000, f"{grown} bytes for 19,000 more blocks"
    assert m.n == blocks.size
    assert m.mean == pytest.approx(float(blocks.mean()), rel=1e-12)


def test_moments_match_numpy():
    rng = np.random.default_rng(11)
    x = rng.normal(30.0, 4.0, 100_003)
    m = Moments()
    for part in np.array_split(x, 7):
        m.add(part)
    assert m.n == x.size
    assert m.mean == pytest.approx(float(np.mean(x)), rel=1e-13)
    assert m.var == pytest.approx(float(np.var(x, ddof=1)), rel=1e-9)
    assert m.sem == pytest.approx(float(np.std(x, ddof=1)) / math.sqrt(x.size), rel=1e-9)


def test_moments_small_counts():
    m = Moments()
    assert math.isnan(m.mean) and math.isnan(m.var) and math.isnan(m.sem)
    m.add(np.array([2.5]))
    assert m.mean == 2.5 and math.isnan(m.var)
    m.add(np.array([2.5, 2.5]))
    assert m.var == 0.0
