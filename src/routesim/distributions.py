"""Random inputs written as short expressions in scenario values.

A scenario field that may be uncertain holds either a plain number or one
call of this small grammar. The text is read with :func:`ast.parse` and a
walk that accepts only the calls below, numeric literals (with an optional
leading minus), keyword arguments and, for ``empirical``, list literals.
Nothing is ever evaluated: names, attributes, arithmetic, strings,
subscripts, lambdas and every other construct are rejected.

=========================================  ===================================  ====================
Expression                                 Meaning                              Rules
=========================================  ===================================  ====================
``3`` or ``2.5``                           always that number                   finite
``constant(value)``                        the same, written as a call          finite
``uniform(low, high)``                     uniform on [low, high]               low <= high
``triangular(low, mode, high)``            triangular                           low <= mode <= high,
                                                                                low < high
``normal(mean, sd)``                       normal                               sd >= 0
``lognormal(mean, cv)``                    lognormal with this mean and         mean > 0, cv > 0
                                           coefficient of variation (sd/mean)
``gamma(mean, cv)``                        gamma with this mean and cv          mean > 0, cv > 0
``exponential(mean)``                      exponential                          mean > 0
``empirical([v1, v2, ...])``               one of the values, equally likely    at least one value
``empirical([...], weights=[...])``        one of the values, by weight         weights >= 0, same
                                                                                length, sum > 0
``late(p, delay)``                         with probability p a draw of         0 <= p <= 1
                                           ``delay`` (any expression), else 0
=========================================  ===================================  ====================

Arguments go by position in the order shown or by keyword, as in Python.
Every number must be finite; ``True``/``False`` are not numbers here.
Units are those of the field that holds the expression (days, USD/t...).

``lognormal(mean, cv)`` has ``sigma**2 = ln(1 + cv**2)`` and
``mu = ln(mean) - sigma**2 / 2``; ``gamma(mean, cv)`` has shape
``1 / cv**2`` and scale ``mean * cv**2``.

Examples
--------
>>> import numpy as np
>>> from routesim.distributions import parse
>>> d = parse("late(p=0.5, delay=gamma(mean=4.5, cv=0.8))")
>>> d
Late(p=0.5, delay=Gamma(mean=4.5, cv=0.8))
>>> str(d), d.mean, d.support
('late(p=0.5, delay=gamma(mean=4.5, cv=0.8))', 2.25, (0.0, inf))
>>> x = d.sample(np.random.default_rng(42), 100_000)
>>> x.dtype, x.shape, bool(abs(x.mean() - d.mean) < 0.05)
(dtype('float64'), (100000,), True)
>>> str(parse("triangular(1, 2, 4.5)"))
'triangular(low=1, mode=2, high=4.5)'
>>> parse(7).sample(np.random.default_rng(0), 3)
array([7., 7., 7.])
>>> parse("normal(mean=10, sd=-1)")
Traceback (most recent call last):
...
routesim.distributions.DistributionError: normal(): sd must be >= 0, got -1
>>> parse("gama(mean=4.5, cv=0.8)")
Traceback (most recent call last):
...
routesim.distributions.DistributionError: unknown distribution 'gama' (did you mean gamma?)

In a pydantic model, declare a field as :data:`Dist` (or
:data:`NonNegativeDist` for durations and prices):

>>> from pydantic import BaseModel
>>> class Leg(BaseModel):
...     wait_days: NonNegativeDist
>>> Leg(wait_days="exponential(2)").model_dump()
{'wait_days': 'exponential(mean=2)'}
"""

from __future__ import annotations

import ast
import functools
import math
import numbers
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import BeforeValidator, InstanceOf, PlainSerializer, WithJsonSchema

from .names import did_you_mean
from .errors import RoutesimError

__all__ = [
    "DistributionError",
    "Distribution",
    "Constant",
    "Uniform",
    "Triangular",
    "Normal",
    "LogNormal",
    "Gamma",
    "Exponential",
    "Empirical",
    "Late",
    "parse",
    "Dist",
    "NonNegativeDist",
    "MAX_TEXT_LENGTH",
    "MAX_NESTING",
]

MAX_TEXT_LENGTH = 100_000  # characters in one expression
MAX_NESTING = 10  # distribution calls inside one another (late(p, late(p, ...)))


def _rebuild_distribution_error(message, col, text, param):
    return DistributionError(message, col=col, text=text, param=param)


class DistributionError(RoutesimError, ValueError):
    """An invalid distribution expression or parameter.

    Attributes
    ----------
    col : int | None
        0-based character offset of the offending part in the expression
        text (its column when the text is one line), or None when the input
        was not text.
    text : str | None
        The expression text, when the error came from :func:`parse` on text.
    param : str | None
        The parameter at fault, e.g. ``"sd"`` or ``"weights[2]"``, if any.
    """

    def __init__(self, message: str, *, col: int | None = None, text: str | None = None,
                 param: str | None = None):
        super().__init__(message)
        self.col = col
        self.text = text
        self.param = param

    def __reduce__(self):  # keep col/text/param through pickling (process pools, dask)
        return (_rebuild_distribution_error, (self.args[0], self.col, self.text, self.param))


# ---------------------------------------------------------------------------
# number helpers


def _fmt(x: float) -> str:
    """Shortest text that reads back to exactly ``x`` (``3`` for 3.0)."""
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _repr(x: Any) -> str:
    try:
        return _short(repr(x))
    except ValueError:  # an int too long to print
        return f"<{type(x).__name__} too large>"


def _describe(x: Any) -> str:
    if isinstance(x, str):
        return f"string {_repr(x)}"
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    return f"{type(x).__name__} {_repr(x)}"


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


def _number(where: str, name: str, x: Any) -> float:
    """``x`` as a finite float, or a DistributionError naming ``name``."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise DistributionError(f"{where}: {name} must be a number, got {_describe(x)}", param=name)
    try:
        f = float(x)
    except OverflowError:
        f = math.inf
    if not math.isfinite(f):
        raise DistributionError(f"{where}: {name} must be a finite number, got {_repr(x)}", param=name)
    return f


# ---------------------------------------------------------------------------
# distributions


class Distribution(ABC):
    """A probability distribution of one real value.

    Subclasses are frozen dataclasses whose fields are the parameters, in
    the units of the quantity they describe.
    """

    name: ClassVar[str]
    # (parameter, kind, required); kind is "number", "numbers" or "dist"
    _params: ClassVar[tuple[tuple[str, str, bool], ...]]

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...] | None = None,
               out: np.ndarray | None = None) -> np.ndarray:
        """Draw independent values as a float64 array of shape ``size``.

        With ``out`` (a writeable C-contiguous float64 array) the draws are
        written into it and it is returned; ``size``, if also given, must
        match its shape. The same generator state gives the same values with
        or without ``out``. With neither, one draw as a 0-d array.
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng must be a numpy.random.Generator (numpy.random.default_rng(seed)), "
                            f"got {type(rng).__name__}")
        if out is None:
            out = np.empty(() if size is None else size, dtype=np.float64)
        else:
            if not isinstance(out, np.ndarray) or out.dtype != np.float64:
                raise TypeError(f"out must be a float64 numpy array, got {getattr(out, 'dtype', type(out))}")
            if not (out.flags.c_contiguous and out.flags.writeable):
                raise ValueError("out must be a writeable C-contiguous array")
            if size is not None:
                shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
                if shape != out.shape:
                    raise ValueError(f"size {shape} does not match out.shape {out.shape}")
        self._fill(rng, out)
        return out

    @abstractmethod
    def _fill(self, rng: np.random.Generator, out: np.ndarray) -> None:
        """Overwrite every element of ``out`` with a draw."""

    # ``mean`` (exact expected value) is a property, or the parameter itself
    # for normal, lognormal, gamma and exponential; it is not declared here
    # because a base-class property would shadow those dataclass fields.
    mean: float

    @property
    @abstractmethod
    def var(self) -> float:
        """Exact variance."""

    @property
    @abstractmethod
    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take (may be infinite)."""

    @property
    def is_constant(self) -> bool:
        """True when every draw is the same number."""
        low, high = self.support
        return low == high

    def scaled(self, k: float) -> Distribution:
        """The distribution of ``k * X``; ``k == 0`` gives ``Constant(0)``."""
        k = _number(f"{self.name}().scaled()", "k", k)
        if k == 0:
            return Constant(0.0)
        return self._scaled(k)

    @abstractmethod
    def _scaled(self, k: float) -> Distribution: ...

    def _positive_only(self, k: float) -> None:
        if k < 0:
            raise DistributionError(
                f"{self.name}(): cannot scale by a negative factor ({_fmt(k)}); the result is not a {self.name}",
                param="k")

    def __str__(self) -> str:
        args = ", ".join(f"{p}={_fmt(getattr(self, p))}" for p, _, _ in self._params)
        return f"{self.name}({args})"


@dataclass(frozen=True)
class Constant(Distribution):
    """Always ``value``; draws consume no random numbers. Prints as a plain number."""

    value: float
    name: ClassVar[str] = "constant"
    _params: ClassVar = (("value", "number", True),)

    def __post_init__(self):
        object.__setattr__(self, "value", _number("constant()", "value", self.value))

    def _fill(self, rng, out):
        out.fill(self.value)

    mean = property(lambda self: self.value, doc="Exact expected value.")
    var = property(lambda self: 0.0, doc="Exact variance.")
    support = property(lambda self: (self.value, self.value), doc="(value, value).")

    def _scaled(self, k):
        return Constant(k * self.value)

    def __str__(self) -> str:
        return _fmt(self.value)


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on ``[low, high]``."""

    low: float
    high: float
    name: ClassVar[str] = "uniform"
    _params: ClassVar = (("low", "number", True), ("high", "number", True))

    def __post_init__(self):
        low = _number("uniform()", "low", self.low)
        high = _number("uniform()", "high", self.high)
        if low > high:
            raise DistributionError(f"uniform(): low must be <= high, got low={_fmt(low)}, high={_fmt(high)}",
                                    param="high")
        if not math.isfinite(high - low):
            raise DistributionError("uniform(): range high - low is too wide", param="high")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def _fill(self, rng, out):
        rng.random(out=out)
        out *= self.high - self.low
        out += self.low

    mean = property(lambda self: (self.low + self.high) / 2, doc="Exact expected value.")
    var = property(lambda self: (self.high - self.low) ** 2 / 12, doc="Exact variance.")
    support = property(lambda self: (self.low, self.high), doc="(low, high).")

    def _scaled(self, k):
        a, b = k * self.low, k * self.high
        return Uniform(min(a, b), max(a, b))


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular on ``[low, high]`` with its peak at ``mode``."""

    low: float
    mode: float
    high: float
    name: ClassVar[str] = "triangular"
    _params: ClassVar = (("low", "number", True), ("mode", "number", True), ("high", "number", True))

    def __post_init__(self):
        low = _number("triangular()", "low", self.low)
        mode = _number("triangular()", "mode", self.mode)
        high = _number("triangular()", "high", self.high)
        if not low < high:
            raise DistributionError(f"triangular(): low must be < high, got low={_fmt(low)}, high={_fmt(high)}",
                                    param="high")
        if not low <= mode <= high:
            raise DistributionError("triangular(): need low <= mode <= high, got "
                                    f"low={_fmt(low)}, mode={_fmt(mode)}, high={_fmt(high)}", param="mode")
        if not math.isfinite(high - low):
            raise DistributionError("triangular(): range high - low is too wide", param="high")
        for p, v in (("low", low), ("mode", mode), ("high", high)):
            object.__setattr__(self, p, v)

    def _fill(self, rng, out):
        # inverse CDF, in place: u < fc -> low + sqrt(u w (mode-low)), else high - sqrt((1-u) w (high-mode))
        low, mode, high = self.low, self.mode, self.high
        w = high - low
        rng.random(out=out)
        left = out < (mode - low) / w
        right = ~left
        np.multiply(out, w * (mode - low), out=out, where=left)
        np.subtract(1.0, out, out=out, where=right)
        np.multiply(out, w * (high - mode), out=out, where=right)
        np.sqrt(out, out=out)
        np.add(out, low, out=out, where=left)
        np.subtract(high, out, out=out, where=right)
        np.clip(out, low, high, out=out)

    @property
    def mean(self) -> float:
        """Exact expected value."""
        return (self.low + self.mode + self.high) / 3

    @property
    def var(self) -> float:
        """Exact variance."""
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    support = property(lambda self: (self.low, self.high), doc="(low, high).")

    def _scaled(self, k):
        if k > 0:
            return Triangular(k * self.low, k * self.mode, k * self.high)
        return Triangular(k * self.high, k * self.mode, k * self.low)


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal with ``mean`` and standard deviation ``sd``; can be negative."""

    mean: float
    sd: float
    name: ClassVar[str] = "normal"
    _params: ClassVar = (("mean", "number", True), ("sd", "number", True))

    def __post_init__(self):
        mean = _number("normal()", "mean", self.mean)
        sd = _number("normal()", "sd", self.sd)
        if sd < 0:
            raise DistributionError(f"normal(): sd must be >= 0, got {_fmt(sd)}", param="sd")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "sd", sd)

    def _fill(self, rng, out):
        rng.standard_normal(out=out)
        out *= self.sd
        out += self.mean

    # ``mean`` is the dataclass field itself
    var = property(lambda self: self.sd**2, doc="Exact variance.")

    @property
    def support(self):
        """(-inf, inf), or (mean, mean) when sd == 0."""
        return (self.mean, self.mean) if self.sd == 0 else (-math.inf, math.inf)

    def _scaled(self, k):
        return Normal(k * self.mean, abs(k) * self.sd)


def _mean_cv(where: str, mean: Any, cv: Any) -> tuple[float, float]:
    mean = _number(where, "mean", mean)
    cv = _number(where, "cv", cv)
    if mean <= 0:
        raise DistributionError(f"{where}: mean must be > 0, got {_fmt(mean)}", param="mean")
    if cv <= 0:
        raise DistributionError(f"{where}: cv must be > 0, got {_fmt(cv)}", param="cv")
    return mean, cv


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Lognormal with its own ``mean`` (> 0) and coefficient of variation ``cv`` (sd/mean, > 0)."""

    mean: float
    cv: float
    name: ClassVar[str] = "lognormal"
    _params: ClassVar = (("mean", "number", True), ("cv", "number", True))
    mu: float = field(init=False, repr=False, compare=False)
    sigma: float = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        mean, cv = _mean_cv("lognormal()", self.mean, self.cv)
        s2 = math.log1p(cv * cv)
        if not math.isfinite(s2):
            raise DistributionError(f"lognormal(): cv is too large, got {_fmt(cv)}", param="cv")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "cv", cv)
        object.__setattr__(self, "mu", math.log(mean) - s2 / 2)
        object.__setattr__(self, "sigma", math.sqrt(s2))

    def _fill(self, rng, out):
        rng.standard_normal(out=out)
        out *= self.sigma
        out += self.mu
        np.exp(out, out=out)

    var = property(lambda self: (self.cv * self.mean) ** 2, doc="Exact variance.")
    support = property(lambda self: (0.0, math.inf), doc="(0, inf).")

    def _scaled(self, k):
        self._positive_only(k)
        return LogNormal(k * self.mean, self.cv)


@dataclass(frozen=True)
class Gamma(Distribution):
    """Gamma with ``mean`` (> 0) and coefficient of variation ``cv`` (> 0): shape 1/cv², scale mean·cv²."""

    mean: float
    cv: float
    name: ClassVar[str] = "gamma"
    _params: ClassVar = (("mean", "number", True), ("cv", "number", True))
    shape: float = field(init=False, repr=False, compare=False)
    scale: float = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        mean, cv = _mean_cv("gamma()", self.mean, self.cv)
        shape, scale = 1.0 / (cv * cv) if cv * cv > 0 else math.inf, mean * cv * cv
        if not (0 < shape < math.inf and 0 < scale < math.inf):
            raise DistributionError(f"gamma(): mean={_fmt(mean)}, cv={_fmt(cv)} is out of range "
                                    "(shape 1/cv^2 and scale mean*cv^2 must be positive and finite)", param="cv")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "cv", cv)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "scale", scale)

    def _fill(self, rng, out):
        rng.standard_gamma(self.shape, out=out)
        out *= self.scale

    var = property(lambda self: (self.cv * self.mean) ** 2, doc="Exact variance.")
    support = property(lambda self: (0.0, math.inf), doc="(0, inf).")

    def _scaled(self, k):
        self._positive_only(k)
        return Gamma(k * self.mean, self.cv)


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with ``mean`` (> 0)."""

    mean: float
    name: ClassVar[str] = "exponential"
    _params: ClassVar = (("mean", "number", True),)

    def __post_init__(self):
        mean = _number("exponential()", "mean", self.mean)
        if mean <= 0:
            raise DistributionError(f"exponential(): mean must be > 0, got {_fmt(mean)}", param="mean")
        object.__setattr__(self, "mean", mean)

    def _fill(self, rng, out):
        rng.standard_exponential(out=out)
        out *= self.mean

    var = property(lambda self: self.mean**2, doc="Exact variance.")
    support = property(lambda self: (0.0, math.inf), doc="(0, inf).")

    def _scaled(self, k):
        self._positive_only(k)
        return Exponential(k * self.mean)


@dataclass(frozen=True)
class Empirical(Distribution):
    """One of ``values``, drawn with replacement: equally likely, or by ``weights``."""

    values: tuple[float, ...]
    weights: tuple[float, ...] | None = None
    name: ClassVar[str] = "empirical"
    _params: ClassVar = (("values", "numbers", True), ("weights", "numbers", False))
    _values: np.ndarray = field(init=False, repr=False, compare=False)  # values with positive weight
    _cdf: np.ndarray | None = field(init=False, repr=False, compare=False)  # None: equally likely
    _probs: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        values = self._numbers("values", self.values)
        if not values:
            raise DistributionError("empirical(): needs at least one value", param="values")
        object.__setattr__(self, "values", values)
        vals = np.array(values, dtype=np.float64)
        if self.weights is None:
            object.__setattr__(self, "_values", vals)
            object.__setattr__(self, "_cdf", None)
            object.__setattr__(self, "_probs", np.full(len(vals), 1.0 / len(vals)))
            return
        weights = self._numbers("weights", self.weights)
        if len(weights) != len(values):
            raise DistributionError(f"empirical(): weights must have the same length as values "
                                    f"({len(values)}), got {len(weights)}", param="weights")
        for i, w in enumerate(weights):
            if w < 0:
                raise DistributionError(f"empirical(): weights must be >= 0, got {_fmt(w)} at position {i}",
                                        param=f"weights[{i}]")
        if not any(weights):
            raise DistributionError("empirical(): weights must have a positive sum", param="weights")
        object.__setattr__(self, "weights", weights)
        w = np.array(weights, dtype=np.float64)
        keep = w > 0
        w = w[keep] / w.max()
        probs = w / w.sum()
        cdf = np.cumsum(probs)
        cdf[-1] = 1.0  # a draw u < 1 never falls past the last kept value
        object.__setattr__(self, "_values", vals[keep])
        object.__setattr__(self, "_cdf", cdf)
        object.__setattr__(self, "_probs", probs)

    @staticmethod
    def _numbers(name: str, xs: Any) -> tuple[float, ...]:
        if isinstance(xs, (str, bytes)) or not isinstance(xs, (Sequence, np.ndarray)):
            raise DistributionError(f"empirical(): {name} must be a list of numbers, got {_describe(xs)}",
                                    param=name)
        return tuple(_number("empirical()", f"{name}[{i}]", x) for i, x in enumerate(xs))

    def _fill(self, rng, out):
        rng.random(out=out)
        if self._cdf is None:
            out *= len(self._values)
            idx = out.astype(np.intp)
        else:
            idx = np.searchsorted(self._cdf, out, side="right")
        np.take(self._values, idx, out=out, mode="clip")

    @property
    def mean(self) -> float:
        """Exact expected value (weighted)."""
        return math.fsum(self._probs * self._values)

    @property
    def var(self) -> float:
        """Exact variance (weighted, population)."""
        m = self.mean
        return math.fsum(self._probs * (self._values - m) ** 2)

    @property
    def support(self):
        """(smallest, largest) value with positive weight."""
        return (float(self._values.min()), float(self._values.max()))

    def _scaled(self, k):
        return Empirical(tuple(k * v for v in self.values), self.weights)

    def __str__(self) -> str:
        text = "empirical([" + ", ".join(map(_fmt, self.values)) + "]"
        if self.weights is not None:
            text += ", weights=[" + ", ".join(map(_fmt, self.weights)) + "]"
        return text + ")"


@dataclass(frozen=True)
class Late(Distribution):
    """With probability ``p`` a draw of ``delay``, otherwise 0 (e.g. days late).

    ``delay`` may be given as a Distribution, a number or an expression.
    Every draw consumes one uniform and one ``delay`` draw whatever ``p``,
    so runs that differ only in ``p`` keep their random streams aligned.
    """

    p: float
    delay: Distribution
    name: ClassVar[str] = "late"
    _params: ClassVar = (("p", "number", True), ("delay", "dist", True))

    def __post_init__(self):
        p = _number("late()", "p", self.p)
        if not 0 <= p <= 1:
            raise DistributionError(f"late(): p must be in [0, 1], got {_fmt(p)}", param="p")
        if not isinstance(self.delay, Distribution):
            if isinstance(self.delay, (bool, np.bool_)) or not isinstance(self.delay, (numbers.Real, str)):
                raise DistributionError(f"late(): delay must be a distribution or a number, got "
                                        f"{_describe(self.delay)}", param="delay")
            object.__setattr__(self, "delay", parse(self.delay))
        object.__setattr__(self, "p", p)

    def _fill(self, rng, out):
        rng.random(out=out)
        on_time = out >= self.p
        self.delay._fill(rng, out)
        np.copyto(out, 0.0, where=on_time)

    mean = property(lambda self: self.p * self.delay.mean, doc="Exact expected value.")

    @property
    def var(self) -> float:
        """Exact variance: p Var[D] + p (1 - p) E[D]^2."""
        p, d = self.p, self.delay
        return p * d.var + p * (1 - p) * d.mean**2

    @property
    def support(self):
        """Support of ``delay`` joined with 0 (just 0 when p == 0)."""
        if self.p == 0:
            return (0.0, 0.0)
        low, high = self.delay.support
        if self.p == 1:
            return (low, high)
        return (min(0.0, low), max(0.0, high))

    def _scaled(self, k):
        return Late(self.p, self.delay.scaled(k))

    def __str__(self) -> str:
        return f"late(p={_fmt(self.p)}, delay={self.delay})"


_KINDS: dict[str, type[Distribution]] = {
    c.name: c for c in (Constant, Uniform, Triangular, Normal, LogNormal, Gamma, Exponential, Empirical, Late)
}
# common other spellings, for "did you mean" hints only
_KIND_HINTS = {"norm": "normal", "lognorm": "lognormal", "exp": "exponential", "expon": "exponential",
               "triang": "triangular", "tri": "triangular", "const": "constant", "fixed": "constant",
               "choice": "empirical", "discrete": "empirical", "unif": "uniform"}
_PARAM_HINTS = {"std": "sd", "stdev": "sd", "sigma": "sd", "mu": "mean", "min": "low", "max": "high",
                "lo": "low", "hi": "high", "peak": "mode", "prob": "p", "probability": "p", "weight": "weights"}


# ---------------------------------------------------------------------------
# parser


_NODE_WORDS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Slice: "slice",
    ast.BoolOp: "boolean operator",
    ast.Compare: "comparison",
    ast.Lambda: "lambda",
    ast.IfExp: "conditional expression",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.Tuple: "tuple",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator",
    ast.JoinedStr: "f-string",
    ast.NamedExpr: "assignment expression",
    ast.Starred: "argument unpacking (*)",
    ast.Await: "await",
}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
        ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
        ast.LShift: "<<", ast.RShift: ">>", ast.UAdd: "+", ast.Not: "not", ast.Invert: "~"}
_EXAMPLE = "a number or a call such as gamma(mean=4.5, cv=0.8)"


def _hint(name: str, labels: dict[str, str]) -> str:
    """`` (did you mean x?)``; only the exact match when ``name`` differs just in case."""
    for alias, label in labels.items():
        if alias.casefold() == name.casefold():
            return f" (did you mean {label}?)"
    return did_you_mean(name, labels)


class _Parser:
    """One walk over the AST of ``text``; errors carry the character offset."""

    def __init__(self, text: str):
        self.text = text
        self.lead = len(text) - len(text.lstrip())
        self.body = text[self.lead:]
        self.lines = self.body.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def col(self, node: ast.AST | None) -> int | None:
        if node is None or not hasattr(node, "lineno"):
            return None
        line = self.lines[node.lineno - 1]
        chars = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
        return self.lead + self.starts[node.lineno - 1] + chars

    def error(self, message: str, node: ast.AST | None, param: str | None = None) -> DistributionError:
        return DistributionError(message, col=self.col(node), text=self.text, param=param)

    def segment(self, node: ast.AST) -> str:
        return _short(ast.get_source_segment(self.body, node) or ast.unparse(node), 40)

    def run(self) -> Distribution:
        if not self.body.strip():
            raise DistributionError("empty distribution expression", col=0, text=self.text)
        if len(self.text) > MAX_TEXT_LENGTH:
            raise DistributionError(f"distribution expression is too long ({len(self.text)} characters; "
                                    f"the limit is {MAX_TEXT_LENGTH})", col=0, text=self.text)
        try:
            tree = ast.parse(self.body, mode="eval")
        except SyntaxError as e:
            col = None
            if e.lineno and e.offset and e.lineno <= len(self.lines):
                col = self.lead + self.starts[e.lineno - 1] + max(e.offset - 1, 0)
            raise DistributionError(f"invalid distribution expression {_short(repr(self.body.strip()), 50)}: "
                                    f"{e.msg}", col=col, text=self.text) from None
        except (ValueError, MemoryError, RecursionError):
            raise DistributionError("distribution expression is too complex to read", col=0,
                                    text=self.text) from None
        return self.dist(tree.body, depth=0)

    def dist(self, node: ast.expr, depth: int) -> Distribution:
        """A number or a distribution call."""
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.List):
            raise self.error("a list is not a distribution; write empirical([...])", node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            raise self.error(f"a quoted string is not a distribution: {self.segment(node)}", node)
        try:
            return _plain_number(self.number(node))
        except DistributionError as e:
            raise self.error(str(e), node) from None

    def number(self, node: ast.expr) -> Any:
        """A numeric literal (with optional minus). Other literals are returned for the
        constructors to reject; any other construct is rejected here."""
        if isinstance(node, ast.Constant) and not isinstance(node.value, (str, bytes)):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = node.operand
            if (isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float))
                    and not isinstance(inner.value, bool)):
                return -inner.value
            raise self.error(f"a minus sign is allowed only directly before a number: {self.segment(node)}",
                             node)
        if isinstance(node, ast.Constant):  # str, bytes
            return node.value
        raise self.reject(node)

    def reject(self, node: ast.AST) -> DistributionError:
        """The error for a construct the grammar does not allow."""
        if isinstance(node, ast.Name):
            if node.id in _KINDS:
                params = ", ".join(p for p, _, _ in _KINDS[node.id]._params)
                return self.error(f"{node.id} must be called with its parameters: {node.id}({params})", node)
            if node.id.casefold() in ("nan", "inf", "infinity"):
                return self.error(f"{node.id!r} is not allowed; numbers must be finite", node)
            return self.error(f"name {node.id!r} is not allowed; write {_EXAMPLE}", node)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            return self.error(f"operator {_OPS.get(type(node.op), '?')!r} is not allowed in a distribution "
                              f"expression; write the result as a number: {self.segment(node)}", node)
        if isinstance(node, ast.Call):
            return self.error(f"a distribution call is not allowed here: {self.segment(node)}", node)
        if isinstance(node, ast.List):
            return self.error(f"a list is not allowed here: {self.segment(node)}", node)
        word = _NODE_WORDS.get(type(node), type(node).__name__)
        return self.error(f"{word} is not allowed in a distribution expression: {self.segment(node)}", node)

    def call(self, node: ast.Call, depth: int) -> Distribution:
        if depth >= MAX_NESTING:
            raise self.error(f"distribution calls are nested too deeply (more than {MAX_NESTING})", node)
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                raise self.error(f"attribute access is not allowed in a distribution expression: "
                                 f"{self.segment(func)}", func)
            raise self.reject(func)
        cls = _KINDS.get(func.id)
        if cls is None:
            hint = _hint(func.id, {**{k: k for k in _KINDS}, **_KIND_HINTS})
            if not hint:
                hint = "; expected one of " + ", ".join(_KINDS)
            raise self.error(f"unknown distribution {func.id!r}{hint}", func)
        where = f"{cls.name}()"
        names = [p for p, _, _ in cls._params]
        bound: dict[str, ast.expr] = {}
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.reject(arg)
        if len(node.args) > len(names):
            raise self.error(f"{where}: takes at most {len(names)} positional argument"
                             f"{'s' if len(names) > 1 else ''} ({', '.join(names)}), got {len(node.args)}",
                             node.args[len(names)])
        bound.update(zip(names, node.args))
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(f"{where}: argument unpacking (**) is not allowed", kw)
            if kw.arg not in names:
                hints = {n: n for n in names} | {k: v for k, v in _PARAM_HINTS.items() if v in names}
                hint = _hint(kw.arg, hints) or f"; expected {', '.join(names)}"
                raise self.error(f"{where}: unknown argument {kw.arg!r}{hint}", kw)
            if kw.arg in bound:
                raise self.error(f"{where}: got two values for {kw.arg}", kw)
            bound[kw.arg] = kw.value
        missing = [p for p, _, required in cls._params if required and p not in bound]
        if missing:
            raise self.error(f"{where}: missing {', '.join(missing)} (expects {cls.name}({', '.join(names)}))",
                             node)
        kinds = {p: kind for p, kind, _ in cls._params}
        args: dict[str, Any] = {}
        for p, value in bound.items():
            kind = kinds[p]
            if kind == "dist":
                args[p] = self.dist(value, depth + 1)
            elif kind == "numbers":
                if not isinstance(value, ast.List):
                    raise self.error(f"{where}: {p} must be a list of numbers such as [1, 2, 3], got "
                                     f"{self.segment(value)}", value)
                args[p] = [self.number(e) for e in value.elts]
            elif isinstance(value, ast.Call):
                raise self.error(f"{where}: {p} must be a number, got {self.segment(value)} "
                                 "(only late() takes a distribution argument)", value)
            elif isinstance(value, ast.List):
                raise self.error(f"{where}: {p} must be a number, got a list", value)
            else:
                args[p] = self.number(value)
        try:
            return cls(**args)
        except DistributionError as e:
            raise self.error(str(e), self.locate(e.param, bound, node), e.param) from None

    @staticmethod
    def locate(param: str | None, bound: dict[str, ast.expr], call: ast.Call) -> ast.AST:
        """The AST node of ``param`` ("sd", "values[2]") within ``call``."""
        m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", param or "")
        if not m or m.group(1) not in bound:
            return call
        node = bound[m.group(1)]
        if m.group(2) is not None and isinstance(node, ast.List) and int(m.group(2)) < len(node.elts):
            return node.elts[int(m.group(2))]
        return node


def _plain_number(x: Any) -> Constant:
    """A number written without a call, as a Constant."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise DistributionError(f"expected {_EXAMPLE}, got {_describe(x)}")
    try:
        return Constant(x)
    except DistributionError:
        raise DistributionError(f"numbers must be finite, got {_repr(x)}") from None


def parse(value: Any, *, nonnegative: bool = False) -> Distribution:
    """A Distribution from a number, an expression such as ``"gamma(mean=4.5, cv=0.8)"``,
    or a Distribution (returned as is).

    With ``nonnegative=True`` a distribution that can draw a value below 0
    is an error (for durations, prices, counts).

    Raises :class:`DistributionError` (a ValueError) naming what is wrong.
    """
    text = None
    if isinstance(value, Distribution):
        dist = value
    elif isinstance(value, str):
        text = value
        dist = _Parser(value).run()
    else:
        dist = _plain_number(value)
    if nonnegative and dist.support[0] < 0:
        col = None if text is None else len(text) - len(text.lstrip())
        if dist.is_constant:
            message = f"{dist} is negative; must be >= 0"
        else:
            message = (f"{_short(str(dist))} can be negative (down to {_fmt(dist.support[0])}); "
                       "use lognormal/gamma/triangular/uniform with low >= 0")
        raise DistributionError(message, col=col, text=text)
    return dist


# ---------------------------------------------------------------------------
# pydantic field types

_PATTERN = r"^\s*(-?[0-9.][0-9_.eE+-]*|[a-z]+\s*\([\s\S]*\))\s*$"
_GRAMMAR = ("constant(value), uniform(low, high), triangular(low, mode, high), normal(mean, sd), "
            "lognormal(mean, cv), gamma(mean, cv), exponential(mean), empirical([v1, v2, ...], weights=[...]), "
            "late(p, delay)")
_EXAMPLES = [4.5, "gamma(mean=4.5, cv=0.8)", "late(p=0.3, delay=lognormal(mean=2, cv=0.5))"]


def _schema(nonnegative: bool) -> dict[str, Any]:
    number: dict[str, Any] = {"type": "number"}
    extra = ""
    if nonnegative:
        number["minimum"] = 0
        extra = " Must not be able to go below 0."
    return {
        "anyOf": [
            number,
            {"type": "string", "pattern": _PATTERN,
             "description": f"A distribution expression: {_GRAMMAR}.{extra}"},
        ],
        "examples": _EXAMPLES,
    }


def _serialize(d: Distribution) -> int | float | str:
    """Constants serialise as plain numbers (readable YAML/JSON), the rest as text."""
    if isinstance(d, Constant):
        v = float(d.value)
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    return str(d)


Dist = Annotated[
    InstanceOf[Distribution],
    BeforeValidator(parse),
    PlainSerializer(_serialize),
    WithJsonSchema(_schema(False)),
]
"""Pydantic field type: a number or distribution expression, validated by :func:`parse`,
serialised as its canonical text."""

NonNegativeDist = Annotated[
    InstanceOf[Distribution],
    BeforeValidator(functools.partial(parse, nonnegative=True)),
    PlainSerializer(_serialize),
    WithJsonSchema(_schema(True)),
]
"""Like :data:`Dist`, but a distribution that can go below 0 is an error."""
