"""Tests for routesim.distributions: grammar, safety, sampling, pydantic types."""

from __future__ import annotations

import doctest
import json
import math
import pickle
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from routesim import distributions as D
from routesim.distributions import (
    Constant,
    Dist,
    Distribution,
    DistributionError,
    Empirical,
    Exponential,
    Gamma,
    Late,
    LogNormal,
    NonNegativeDist,
    Normal,
    Triangular,
    Uniform,
    parse,
)
from routesim.errors import RoutesimError

# ---------------------------------------------------------------------------
# strategies: every kind over wide parameter ranges

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-10**6, 10**6)
positive = st.floats(min_value=1e-300, max_value=1e300)
cv = st.floats(min_value=1e-6, max_value=1e6)
prob = st.floats(0, 1) | st.sampled_from([0, 1, 0.5])


@st.composite
def uniforms(draw):
    a, b = sorted([draw(moderate), draw(moderate)])
    return Uniform(a, b)


@st.composite
def triangulars(draw):
    a, m, b = sorted([draw(moderate), draw(moderate), draw(moderate)])
    if a == b:
        b = a + 1.0
        m = min(max(m, a), b)
    return Triangular(a, m, b)


@st.composite
def empiricals(draw):
    values = draw(st.lists(moderate, min_size=1, max_size=12))
    if not draw(st.booleans()):
        return Empirical(values)
    weights = draw(st.lists(st.floats(0, 1e6) | st.integers(0, 100), min_size=len(values), max_size=len(values)))
    if not any(weights):
        weights[0] = 1
    return Empirical(values, weights=weights)


leaves = st.one_of(
    st.builds(Constant, finite | st.integers(-10**15, 10**15)),
    uniforms(),
    triangulars(),
    st.builds(Normal, finite, st.floats(0, 1e300)),
    st.builds(LogNormal, positive, cv),
    st.builds(Gamma, st.floats(1e-100, 1e100), cv),
    st.builds(Exponential, positive),
    empiricals(),
)
distributions = st.recursive(leaves, lambda inner: st.builds(Late, prob, inner), max_leaves=4)

# moderate parameters, so that draws are well inside float range
sampleable = st.one_of(
    st.builds(Constant, moderate),
    uniforms(),
    triangulars(),
    st.builds(Normal, moderate, st.floats(0, 1e6)),
    st.builds(LogNormal, st.floats(1e-3, 1e6), st.floats(1e-3, 3)),
    st.builds(Gamma, st.floats(1e-3, 1e6), st.floats(1e-3, 3)),
    st.builds(Exponential, st.floats(1e-3, 1e6)),
    empiricals(),
)
sampleable = st.recursive(sampleable, lambda inner: st.builds(Late, prob, inner), max_leaves=3)

# one fixed instance of each kind, for the sampling tests
EXAMPLES = [
    "3.5",
    "uniform(1, 4)",
    "triangular(1, 2, 6)",
    "triangular(low=0, mode=0, high=2)",
    "normal(mean=3, sd=2)",
    "lognormal(mean=20, cv=0.5)",
    "gamma(mean=4.5, cv=0.8)",
    "gamma(mean=1, cv=2.5)",
    "exponential(3)",
    "empirical([1, 2, 10])",
    "empirical([1, 2, 10], weights=[0, 3, 1])",
    "late(p=0.3, delay=gamma(mean=4.5, cv=0.8))",
    "late(0.5, late(0.5, uniform(1, 2)))",
]
RANDOM_EXAMPLES = [e for e in EXAMPLES if not parse(e).is_constant]
CONTINUOUS_EXAMPLES = [e for e in RANDOM_EXAMPLES if not isinstance(parse(e), (Empirical, Late))]


# ---------------------------------------------------------------------------
# parse / print


@settings(max_examples=300, deadline=None)
@given(distributions)
def test_print_parse_round_trip(d):
    text = str(d)
    back = parse(text)
    assert back == d
    assert type(back) is type(d)
    assert str(back) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3", Constant(3)),
        ("-2.5", Constant(-2.5)),
        ("  1_000  ", Constant(1000)),
        ("constant(4)", Constant(4)),
        ("uniform(1, 2)", Uniform(1, 2)),
        ("uniform(high=2, low=1)", Uniform(1, 2)),
        ("triangular(1, mode=2, high=3)", Triangular(1, 2, 3)),
        ("normal(-1, 0.5)", Normal(-1, 0.5)),
        ("lognormal(mean=20, cv=0.25)", LogNormal(20, 0.25)),
        ("gamma(4.5, 0.8)", Gamma(4.5, 0.8)),
        ("exponential(mean=2)", Exponential(2)),
        ("empirical([1, 2, 2])", Empirical((1, 2, 2))),
        ("empirical(values=[1, 2], weights=[1, 3])", Empirical((1, 2), (1, 3))),
        ("late(p=0.5, delay=gamma(mean=4.5, cv=0.8))", Late(0.5, Gamma(4.5, 0.8))),
        ("late(0.1, 3)", Late(0.1, Constant(3))),
        ("gamma(\n  mean=4.5,\n  cv=0.8)", Gamma(4.5, 0.8)),
    ],
)
def test_parse_forms(text, expected):
    assert parse(text) == expected


def test_parse_passes_numbers_and_distributions():
    g = Gamma(1, 0.5)
    assert parse(g) is g
    assert parse(2) == Constant(2.0)
    assert parse(np.float64(2.5)) == Constant(2.5)
    assert parse(np.int64(7)) == Constant(7)
    assert str(Gamma(4.5, 0.8)) == "gamma(mean=4.5, cv=0.8)"
    assert str(Constant(3)) == "3"
    assert str(Empirical([1, 2.5], weights=[1, 0])) == "empirical([1, 2.5], weights=[1, 0])"
    assert str(Late(0.25, "exponential(2)")) == "late(p=0.25, delay=exponential(mean=2))"


def test_error_is_routesim_and_value_error():
    with pytest.raises(DistributionError) as info:
        Normal(0, -1)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, RoutesimError)
    assert info.value.param == "sd"


@pytest.mark.parametrize(
    "text, message, col",
    [
        ("normal(1, -1)", "normal(): sd must be >= 0, got -1", 10),
        ("normal(mean=1, sd=-0.5)", "normal(): sd must be >= 0, got -0.5", 18),
        ("lognormal(1, 0)", "lognormal(): cv must be > 0, got 0", 13),
        ("gamma(mean=4.5, cv=-1)", "gamma(): cv must be > 0, got -1", 19),
        ("gamma(0, 1)", "gamma(): mean must be > 0, got 0", 6),
        ("gamma(1, 1e-200)", "gamma(): mean=1, cv=1e-200 is out of range", 9),
        ("lognormal(1, 1e200)", "lognormal(): cv is too large", 13),
        ("exponential(-2)", "exponential(): mean must be > 0, got -2", 12),
        ("late(1.5, 3)", "late(): p must be in [0, 1], got 1.5", 5),
        ("late(p=-0.1, delay=3)", "late(): p must be in [0, 1], got -0.1", 7),
        ("uniform(3, 1)", "uniform(): low must be <= high, got low=3, high=1", 11),
        ("uniform(-1e308, 1e308)", "uniform(): range high - low is too wide", 16),
        ("triangular(1, 5, 3)", "triangular(): need low <= mode <= high, got low=1, mode=5, high=3", 14),
        ("triangular(2, 2, 2)", "triangular(): low must be < high, got low=2, high=2", 17),
        ("empirical([])", "empirical(): needs at least one value", 10),
        ("empirical([1, 2], weights=[1])", "empirical(): weights must have the same length as values (2), got 1", 26),
        ("empirical([1, 2], weights=[1, -1])", "empirical(): weights must be >= 0, got -1 at position 1", 30),
        ("empirical([1, 2], weights=[0, 0])", "empirical(): weights must have a positive sum", 26),
        ("empirical([1, 1e999])", "empirical(): values[1] must be a finite number, got inf", 14),
        ("empirical([1, 'x'])", "empirical(): values[1] must be a number, got string 'x'", 14),
        ("empirical(1)", "empirical(): values must be a list of numbers", 10),
        ("normal(1e999, 1)", "normal(): mean must be a finite number, got inf", 7),
        ("normal(True, 1)", "normal(): mean must be a number, got True", 7),
        ("gamma(mean='a', cv=1)", "gamma(): mean must be a number, got string 'a'", 11),
        ("normal(mean=[1], sd=1)", "normal(): mean must be a number, got a list", 12),
        ("normal(1)", "normal(): missing sd", 0),
        ("normal(1, 2, 3)", "normal(): takes at most 2 positional arguments (mean, sd), got 3", 13),
        ("normal(1, sd=2, sd=3)", "normal(): got two values for sd", 16),
        ("normal(1, mean=2)", "normal(): got two values for mean", 10),
        ("normal(1, std=2)", "normal(): unknown argument 'std' (did you mean sd?)", 10),
        ("gamma(mean=1, shape=2)", "gamma(): unknown argument 'shape'; expected mean, cv", 14),
        ("1e999", "numbers must be finite, got inf", 0),
        ("True", "expected a number or a call such as gamma(mean=4.5, cv=0.8), got True", 0),
        ("1j", "got complex 1j", 0),
        ("", "empty distribution expression", 0),
        ("gamma(", "invalid distribution expression 'gamma(': '(' was never closed", 5),
    ],
)
def test_invalid_parameters_rejected(text, message, col):
    assert _rejected(text, message, col).text == text


@pytest.mark.parametrize(
    "value, message",
    [
        (float("nan"), "numbers must be finite, got nan"),
        (float("inf"), "numbers must be finite, got inf"),
        (10**400, "numbers must be finite"),
        (True, "got True"),
        (np.True_, "got True"),
        (None, "got NoneType None"),
        ([1, 2], "got list [1, 2]"),
    ],
)
def test_invalid_python_values_rejected(value, message):
    with pytest.raises(DistributionError, match=re.escape(message)):
        parse(value)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Normal(float("nan"), 1), "normal(): mean must be a finite number, got nan"),
        (lambda: Uniform(0, float("inf")), "uniform(): high must be a finite number, got inf"),
        (lambda: Exponential(False), "exponential(): mean must be a number, got False"),
        (lambda: Gamma("1", 1), "gamma(): mean must be a number, got string '1'"),
        (lambda: Empirical("123"), "empirical(): values must be a list of numbers, got string '123'"),
        (lambda: Empirical([1], weights=[True]), "empirical(): weights[0] must be a number, got True"),
        (lambda: Late(0.5, [1]), "late(): delay must be a distribution or a number, got list [1]"),
        (lambda: Late(float("nan"), 1), "late(): p must be a finite number, got nan"),
    ],
)
def test_direct_construction_validates(build, message):
    with pytest.raises(DistributionError, match=re.escape(message)):
        build()


@pytest.mark.parametrize(
    "text, message, col",
    [
        ("__import__('os')", "unknown distribution '__import__'; expected one of constant, uniform", 0),
        ("__import__('os').system('x')", "attribute access is not allowed", 0),
        ("os.system('x')", "attribute access is not allowed in a distribution expression: os.system", 0),
        ("gamma(1, 1).mean", "attribute access is not allowed", 0),
        ("1+2", "operator '+' is not allowed in a distribution expression; write the result as a number", 0),
        ("2**100", "operator '**' is not allowed", 0),
        ("normal(1, 2*3)", "operator '*' is not allowed", 10),
        ("--1", "a minus sign is allowed only directly before a number", 0),
        ("-gamma(1, 1)", "a minus sign is allowed only directly before a number", 0),
        ("not 1", "operator 'not' is not allowed", 0),
        ("x", "name 'x' is not allowed; write a number or a call such as gamma(mean=4.5, cv=0.8)", 0),
        ("normal(x, 1)", "name 'x' is not allowed", 7),
        ("nan", "'nan' is not allowed; numbers must be finite", 0),
        ("normal(inf, 1)", "'inf' is not allowed; numbers must be finite", 7),
        ("gamma", "gamma must be called with its parameters: gamma(mean, cv)", 0),
        ("gama(4.5, 0.8)", "unknown distribution 'gama' (did you mean gamma?)", 0),
        ("Normal(1, 2)", "unknown distribution 'Normal' (did you mean normal?)", 0),
        ("exp(2)", "unknown distribution 'exp' (did you mean exponential?)", 0),
        ("late(0.5, gama(1, 0.5))", "unknown distribution 'gama' (did you mean gamma?)", 10),
        ("late(0.5, delay=foo(1))", "unknown distribution 'foo'; expected one of", 16),
        ("normal(gamma(1, 1), 1)", "normal(): mean must be a number, got gamma(1, 1) (only late() takes", 7),
        ("x[0]", "subscript is not allowed", 0),
        ("lambda: 1", "lambda is not allowed", 0),
        ("[1, 2]", "a list is not a distribution; write empirical([...])", 0),
        ("(1, 2)", "tuple is not allowed", 0),
        ("{'a': 1}", "dict is not allowed", 0),
        ("'gamma(1, 1)'", "a quoted string is not a distribution", 0),
        ("f'{1}'", "f-string is not allowed", 0),
        ("1 if 1 else 2", "conditional expression is not allowed", 0),
        ("[x for x in ()]", "comprehension is not allowed", 0),
        ("(y := 1)", "assignment expression is not allowed", 1),
        ("gamma(*[1, 2])", "argument unpacking (*) is not allowed", 6),
        ("gamma(**{'mean': 1})", "gamma(): argument unpacking (**) is not allowed", 6),
        ("empirical([1, x])", "name 'x' is not allowed", 14),
        ("empirical([1, [2]])", "a list is not allowed here", 14),
        ("import os", "invalid distribution expression", 0),
        ("1; 2", "invalid distribution expression", 1),
    ],
)
def test_unsafe_or_unknown_expressions_rejected(text, message, col):
    _rejected(text, message, col)


def _rejected(text: str, message: str, col: int) -> DistributionError:
    """The error ``parse(text)`` raises, checked for its message and column."""
    with pytest.raises(DistributionError) as info:
        parse(text)
    assert message in str(info.value)
    assert info.value.col == col
    return info.value


def test_columns_count_characters_and_lines():
    # leading blanks, a non-ASCII character before the fault, and a second line
    with pytest.raises(DistributionError) as info:
        parse("  normal(1, -1)")
    assert info.value.col == 12
    text = "empirical([1, 'é', x])"
    with pytest.raises(DistributionError) as info:
        parse(text)
    assert info.value.col == 19 and text[19] == "x"
    with pytest.raises(DistributionError) as info:
        parse("empirical(['é', 1, 'x'])")
    assert info.value.col == 11  # the first bad element
    text = "gamma(\n  mean='é',\n  cv=x)"
    with pytest.raises(DistributionError) as info:
        parse(text)
    assert text[info.value.col:].startswith("x")


def test_hostile_sizes_rejected_quickly():
    deep = "late(0.1, " * 12 + "1" + ")" * 12
    with pytest.raises(DistributionError, match="nested too deeply"):
        parse(deep)
    parse("late(0.1, " * 9 + "1" + ")" * 9)  # within the limit
    with pytest.raises(DistributionError, match="too long"):
        parse("-" * (D.MAX_TEXT_LENGTH + 1) + "1")
    with pytest.raises(DistributionError):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(DistributionError):
        parse("-" * 50_000 + "1")
    with pytest.raises(DistributionError, match="invalid distribution expression"):
        parse("1" * 5000)


def test_nonnegative():
    assert parse("gamma(4.5, 0.8)", nonnegative=True) == Gamma(4.5, 0.8)
    assert parse("normal(5, 0)", nonnegative=True) == Normal(5, 0)
    assert parse("late(0.2, uniform(0, 3))", nonnegative=True) == Late(0.2, Uniform(0, 3))
    with pytest.raises(DistributionError) as info:
        parse(" normal(5, 1)", nonnegative=True)
    assert str(info.value) == ("normal(mean=5, sd=1) can be negative (down to -inf); "
                               "use lognormal/gamma/triangular/uniform with low >= 0")
    assert info.value.col == 1
    with pytest.raises(DistributionError, match=re.escape("-1 is negative; must be >= 0")):
        parse(-1, nonnegative=True)
    with pytest.raises(DistributionError, match="can be negative"):
        parse("empirical([-1, 2])", nonnegative=True)
    with pytest.raises(DistributionError, match="can be negative"):
        parse("late(0.5, uniform(-1, 2))", nonnegative=True)
    # a zero-weight negative value can never be drawn
    assert parse("empirical([-1, 2], weights=[0, 1])", nonnegative=True).support == (2.0, 2.0)


# ---------------------------------------------------------------------------
# moments, support, scaling


def test_exact_moments_against_scipy():
    stats = pytest.importorskip("scipy.stats")
    ln = LogNormal(20, 0.5)
    g = Gamma(4.5, 0.8)
    pairs = [
        (Uniform(1, 4), stats.uniform(1, 3)),
        (Triangular(1, 2, 6), stats.triang(0.2, 1, 5)),
        (Normal(3, 2), stats.norm(3, 2)),
        (ln, stats.lognorm(s=ln.sigma, scale=math.exp(ln.mu))),
        (g, stats.gamma(a=1 / 0.64, scale=4.5 * 0.64)),
        (Exponential(3), stats.expon(scale=3)),
    ]
    for d, ref in pairs:
        assert d.mean == pytest.approx(ref.mean(), rel=1e-12), d
        assert d.var == pytest.approx(ref.var(), rel=1e-12), d
    assert ln.sigma**2 == pytest.approx(math.log(1 + 0.25))
    assert ln.mu == pytest.approx(math.log(20) - math.log(1.25) / 2)
    assert (g.shape, g.scale) == pytest.approx((1 / 0.64, 4.5 * 0.64))
    e = Empirical([1, 2, 10], weights=[0, 3, 1])
    assert (e.mean, e.var) == pytest.approx((4.0, 12.0))
    late = Late(0.3, g)
    assert late.mean == pytest.approx(0.3 * 4.5)
    assert late.var == pytest.approx(0.3 * g.var + 0.3 * 0.7 * 4.5**2)


@pytest.mark.parametrize("text", CONTINUOUS_EXAMPLES)
def test_draws_follow_the_scipy_distribution(text):
    """Kolmogorov-Smirnov against an independent implementation, fixed seed."""
    stats = pytest.importorskip("scipy.stats")
    d = parse(text)
    refs = {
        Uniform: lambda d: stats.uniform(d.low, d.high - d.low),
        Triangular: lambda d: stats.triang((d.mode - d.low) / (d.high - d.low), d.low, d.high - d.low),
        Normal: lambda d: stats.norm(d.mean, d.sd),
        LogNormal: lambda d: stats.lognorm(s=d.sigma, scale=math.exp(d.mu)),
        Gamma: lambda d: stats.gamma(a=d.shape, scale=d.scale),
        Exponential: lambda d: stats.expon(scale=d.mean),
    }
    x = d.sample(np.random.default_rng(2024), 20_000)
    assert stats.kstest(x, refs[type(d)](d).cdf).pvalue > 1e-4


@pytest.mark.parametrize("text", EXAMPLES)
def test_sample_mean_and_variance_converge(text):
    d = parse(text)
    n = 200_000
    x = d.sample(np.random.default_rng(12345), n)
    assert x.dtype == np.float64 and x.shape == (n,)
    se = math.sqrt(d.var / n)
    assert abs(x.mean() - d.mean) <= 5 * se + 1e-12 * abs(d.mean)
    # standard error of the sample variance from the sample's 4th central moment
    c = x - x.mean()
    s2 = c.var()
    se_var = math.sqrt(max(np.mean(c**4) - s2**2, 0.0) / n)
    assert abs(s2 - d.var) <= 5 * se_var + 1e-12 * (1 + d.var)


@settings(max_examples=100, deadline=None)
@given(sampleable, st.integers(0, 2**32))
def test_draws_stay_in_support(d, seed):
    x = d.sample(np.random.default_rng(seed), 500)
    low, high = d.support
    assert np.all(np.isfinite(x))
    assert np.all(x >= low) and np.all(x <= high)
    if d.is_constant:
        assert np.all(x == low)


def test_empirical_frequencies():
    e = Empirical([5, 7, 9], weights=[1, 0, 3])
    x = e.sample(np.random.default_rng(7), 100_000)
    assert set(np.unique(x)) == {5.0, 9.0}  # a zero weight is never drawn
    share = np.mean(x == 9.0)
    assert abs(share - 0.75) < 5 * math.sqrt(0.75 * 0.25 / x.size)
    u = Empirical([1, 2, 3, 4])
    counts = np.array([np.sum(u.sample(np.random.default_rng(8), 100_000) == v) for v in (1, 2, 3, 4)])
    assert np.all(np.abs(counts - 25_000) < 5 * math.sqrt(100_000 * 0.25 * 0.75))


def test_is_constant_and_support():
    assert Constant(2).is_constant and Constant(2).support == (2.0, 2.0)
    assert Normal(1, 0).is_constant and not Normal(1, 1).is_constant
    assert Normal(1, 1).support == (-math.inf, math.inf)
    assert Uniform(1, 1).is_constant
    assert Empirical([3, 3]).is_constant and not Empirical([3, 4]).is_constant
    assert Late(0, Gamma(1, 1)).is_constant and Late(0, Gamma(1, 1)).support == (0.0, 0.0)
    assert Late(1, Uniform(1, 2)).support == (1.0, 2.0)
    assert Late(0.5, Uniform(1, 2)).support == (0.0, 2.0)
    assert Late(0.5, Uniform(-3, -1)).support == (-3.0, 0.0)
    assert Gamma(1, 1).support == LogNormal(1, 1).support == Exponential(1).support == (0.0, math.inf)


@pytest.mark.parametrize("text", EXAMPLES)
@pytest.mark.parametrize("k", [2.5, -1.5, 0])
def test_scaled(text, k):
    d = parse(text)
    if k < 0 and isinstance(d, (LogNormal, Gamma, Exponential)) or (
        k < 0 and isinstance(d, Late) and isinstance(d.delay, Gamma)
    ):
        with pytest.raises(DistributionError, match="cannot scale by a negative factor"):
            d.scaled(k)
        return
    s = d.scaled(k)
    if k == 0:
        assert s == Constant(0)
        return
    assert type(s) is type(d)
    assert s.mean == pytest.approx(k * d.mean, rel=1e-12, abs=1e-12)
    assert s.var == pytest.approx(k * k * d.var, rel=1e-12, abs=1e-12)
    lo, hi = sorted([k * d.support[0], k * d.support[1]])
    assert s.support == pytest.approx((lo, hi))


def test_scaled_rejects_bad_factor():
    with pytest.raises(DistributionError, match="k must be a finite number"):
        Gamma(1, 1).scaled(float("nan"))


# ---------------------------------------------------------------------------
# sampling mechanics: out=, seeds, no hidden state


@pytest.mark.parametrize("text", EXAMPLES)
def test_out_fills_in_place_and_matches(text):
    d = parse(text)
    expected = d.sample(np.random.default_rng(99), (40, 25))
    out = np.full((40, 25), np.nan)
    got = d.sample(np.random.default_rng(99), out=out)
    assert got is out
    np.testing.assert_array_equal(out, expected)
    out1 = np.full(1000, np.nan)
    assert d.sample(np.random.default_rng(99), 1000, out=out1) is out1
    np.testing.assert_array_equal(out1, expected.ravel())  # same stream, C order


def test_out_and_size_are_checked():
    g = Gamma(1, 0.5)
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="float64"):
        g.sample(rng, out=np.empty(5, dtype=np.float32))
    with pytest.raises(TypeError, match="float64"):
        g.sample(rng, out=[0.0] * 5)
    with pytest.raises(ValueError, match="does not match"):
        g.sample(rng, 4, out=np.empty(5))
    with pytest.raises(ValueError, match="C-contiguous"):
        g.sample(rng, out=np.empty((4, 6))[:, ::2])
    ro = np.empty(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        g.sample(rng, out=ro)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        g.sample(np.random.RandomState(0), 3)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        g.sample(np.random, 3)
    one = g.sample(rng)
    assert one.shape == () and one.dtype == np.float64


@pytest.mark.parametrize("text", RANDOM_EXAMPLES)
def test_seeds_reproduce_and_differ(text):
    d = parse(text)
    a = d.sample(np.random.default_rng(1), 1000)
    b = d.sample(np.random.default_rng(1), 1000)
    c = d.sample(np.random.default_rng(2), 1000)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    rng = np.random.default_rng(1)
    first, second = d.sample(rng, 1000), d.sample(rng, 1000)
    np.testing.assert_array_equal(first, a)
    assert not np.array_equal(first, second)  # the generator advanced


def test_constant_consumes_no_randomness():
    rng = np.random.default_rng(5)
    before = rng.bit_generator.state
    x = Constant(4.25).sample(rng, 1000)
    assert np.all(x == 4.25)
    out = np.empty(7)
    Constant(-1).sample(rng, out=out)
    assert np.all(out == -1)
    assert rng.bit_generator.state == before
    Gamma(1, 1).sample(rng, 1)
    assert rng.bit_generator.state != before  # and the check can see a change


@settings(max_examples=100, deadline=None)
@given(triangulars(), st.integers(0, 2**32 - 1), st.integers(1, 3000))
def test_triangular_draws_are_numpys_bit_for_bit(d, seed, n):
    """Triangular's fill is numpy's Generator.triangular (the same uniforms and arithmetic), computed
    without a branch per draw: the same bits, not just the same distribution."""
    expected = np.random.default_rng(seed).triangular(d.low, d.mode, d.high, n)
    got = d.sample(np.random.default_rng(seed), n)
    np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.integers(0, 2**32 - 1), st.sampled_from(["gamma(2, 0.5)", "normal(-1, 2)", "3"]))
def test_late_is_its_delay_where_late_and_plus_zero_elsewhere(p, seed, delay):
    """late(p, d): one uniform per draw decides (late when below p), then the delay's draws; on-time
    draws are +0.0 exactly (not -0.0, even for a delay that can be negative)."""
    d = D.parse(delay)
    rng = np.random.default_rng(seed)
    late = rng.random(500) < p
    expected = np.where(late, d.sample(rng, 500), 0.0)
    got = Late(p, d).sample(np.random.default_rng(seed), 500)
    np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))


def test_late_keeps_streams_aligned_across_p():
    delay = Gamma(4.5, 0.8)
    low = Late(0.2, delay).sample(np.random.default_rng(3), 10_000)
    high = Late(0.6, delay).sample(np.random.default_rng(3), 10_000)
    assert np.all((low > 0) <= (high > 0))  # late at p=0.2 stays late at p=0.6
    np.testing.assert_array_equal(low[low > 0], high[low > 0])
    assert 0.17 < np.mean(low > 0) < 0.23 and 0.57 < np.mean(high > 0) < 0.63


@settings(max_examples=50, deadline=None)
@given(distributions)
def test_pickle_and_hash(d):
    back = pickle.loads(pickle.dumps(d))
    assert back == d and hash(back) == hash(d)
    with pytest.raises(AttributeError):
        d.foo = 1  # frozen
    if isinstance(d, Empirical):
        assert np.array_equal(back._values, d._values)


# ---------------------------------------------------------------------------
# pydantic


class Leg(BaseModel):
    bunker_usd_per_t: Dist
    wait_days: NonNegativeDist = 0


def test_pydantic_validate_and_serialize():
    leg = Leg(bunker_usd_per_t="normal(600, 50)", wait_days="late(p=0.5, delay=gamma(mean=4.5, cv=0.8))")
    assert leg.bunker_usd_per_t == Normal(600, 50)
    assert leg.wait_days == Late(0.5, Gamma(4.5, 0.8))
    assert Leg(bunker_usd_per_t=610).bunker_usd_per_t == Constant(610)
    assert Leg(bunker_usd_per_t=Gamma(1, 1)).bunker_usd_per_t == Gamma(1, 1)
    dumped = leg.model_dump()
    assert dumped == {"bunker_usd_per_t": "normal(mean=600, sd=50)",
                      "wait_days": "late(p=0.5, delay=gamma(mean=4.5, cv=0.8))"}
    assert Leg.model_validate(dumped) == leg
    assert Leg.model_validate_json(leg.model_dump_json()) == leg
    assert json.loads(Leg(bunker_usd_per_t=3).model_dump_json())["wait_days"] == "0"


def test_pydantic_errors_carry_field_and_column():
    with pytest.raises(ValidationError) as info:
        Leg(bunker_usd_per_t="normal(600, -5)", wait_days="normal(5, 1)")
    errors = {e["loc"]: e for e in info.value.errors()}
    assert set(errors) == {("bunker_usd_per_t",), ("wait_days",)}
    assert "normal(): sd must be >= 0, got -5" in errors[("bunker_usd_per_t",)]["msg"]
    assert errors[("bunker_usd_per_t",)]["ctx"]["error"].col == 12
    assert "can be negative; use" not in errors[("wait_days",)]["msg"]
    assert "can be negative" in errors[("wait_days",)]["msg"]
    with pytest.raises(ValidationError, match="got True"):
        Leg(bunker_usd_per_t=True)
    with pytest.raises(ValidationError, match="unknown distribution 'gama'"):
        Leg(bunker_usd_per_t="gama(1, 1)")
    with pytest.raises(ValidationError, match="is negative"):
        Leg(bunker_usd_per_t=1, wait_days=-2)


def test_pydantic_json_schema():
    schema = Leg.model_json_schema()["properties"]
    for name in ("bunker_usd_per_t", "wait_days"):
        kinds = schema[name]["anyOf"]
        assert [k["type"] for k in kinds] == ["number", "string"]
        assert "gamma(mean, cv)" in kinds[1]["description"]
        assert "pattern" in kinds[1]
    assert schema["wait_days"]["anyOf"][0]["minimum"] == 0
    assert "minimum" not in schema["bunker_usd_per_t"]["anyOf"][0]
    for example in schema["bunker_usd_per_t"]["examples"]:
        parse(example)


@settings(max_examples=200, deadline=None)
@given(distributions)
def test_schema_pattern_accepts_canonical_text(d):
    pattern = Leg.model_json_schema()["properties"]["bunker_usd_per_t"]["anyOf"][1]["pattern"]
    assert re.search(pattern, str(d))


def test_schema_pattern_rejects_obvious_junk():
    pattern = D._PATTERN
    for junk in ("", "abc", "os.system('x')", "1 + 2x", "'quoted'"):
        assert not re.search(pattern, junk), junk


# ---------------------------------------------------------------------------


def test_module_doctests():
    result = doctest.testmod(D)
    assert result.attempted > 5 and result.failed == 0


def test_public_api_is_complete():
    for name in D.__all__:
        assert hasattr(D, name), name
    assert all(issubclass(getattr(D, n), Distribution) for n in
               ("Constant", "Uniform", "Triangular", "Normal", "LogNormal", "Gamma", "Exponential", "Empirical", "Late"))
