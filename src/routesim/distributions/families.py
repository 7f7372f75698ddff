"""The distribution families with their own parameters: uniform, triangular, normal,
lognormal, gamma, exponential and empirical (``constant`` is in
:mod:`~routesim.distributions.base`, ``late`` in :mod:`~routesim.distributions.late`).

Each is a frozen dataclass whose fields are its parameters, in the units of the
quantity it describes; the constructor checks them and raises
:class:`~routesim.errors.DistributionError` naming the parameter at fault.

>>> import numpy as np
>>> g = Gamma(mean=4.5, cv=0.8)
>>> g.var, g.support, str(g.scaled(2))
(12.96, (0.0, inf), 'gamma(mean=9, cv=0.8)')
>>> Empirical([1, 2, 3], weights=[0, 1, 1]).mean
2.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..errors import DistributionError
from ..masks import put
from .base import Distribution, describe, finite, fmt

__all__ = ["Uniform", "Triangular", "Normal", "LogNormal", "Gamma", "Exponential", "Empirical"]


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on ``[low, high]``."""

    low: float
    high: float
    name: ClassVar[str] = "uniform"
    _params: ClassVar = (("low", "number", True), ("high", "number", True))

    def __post_init__(self):
        low = finite("uniform()", "low", self.low)
        high = finite("uniform()", "high", self.high)
        if low > high:
            raise DistributionError(f"uniform(): low must be <= high, got low={fmt(low)}, high={fmt(high)}",
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
        low = finite("triangular()", "low", self.low)
        mode = finite("triangular()", "mode", self.mode)
        high = finite("triangular()", "high", self.high)
        if not low < high:
            raise DistributionError(f"triangular(): low must be < high, got low={fmt(low)}, high={fmt(high)}",
                                    param="high")
        if not low <= mode <= high:
            raise DistributionError("triangular(): need low <= mode <= high, got "
                                    f"low={fmt(low)}, mode={fmt(mode)}, high={fmt(high)}", param="mode")
        if not math.isfinite(high - low):
            raise DistributionError("triangular(): range high - low is too wide", param="high")
        for p, v in (("low", low), ("mode", mode), ("high", high)):
            object.__setattr__(self, p, v)

    def _fill(self, rng, out):
        # numpy's Generator.triangular bit for bit (its inverse CDF of one uniform per draw, the same
        # arithmetic), with one square root per draw and no branch on the side a draw falls
        # (routesim.masks): about twice as fast (benchmarks/README.md, "Branch-free masked updates")
        low, mode, high = self.low, self.mode, self.high
        base = high - low
        ratio, left_prod, right_prod = (mode - low) / base, (mode - low) * base, (high - mode) * base
        rng.random(out=out)  # U
        right = out > ratio  # U <= ratio: low + sqrt(U left_prod); else high - sqrt((1 - U) right_prod)
        other = np.subtract(1.0, out)
        other *= right_prod
        out *= left_prod
        put(out, right, other)
        np.sqrt(out, out=out)
        np.subtract(high, out, out=other)
        out += low
        put(out, right, other)

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
        mean = finite("normal()", "mean", self.mean)
        sd = finite("normal()", "sd", self.sd)
        if sd < 0:
            raise DistributionError(f"normal(): sd must be >= 0, got {fmt(sd)}", param="sd")
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
    mean = finite(where, "mean", mean)
    cv = finite(where, "cv", cv)
    if mean <= 0:
        raise DistributionError(f"{where}: mean must be > 0, got {fmt(mean)}", param="mean")
    if cv <= 0:
        raise DistributionError(f"{where}: cv must be > 0, got {fmt(cv)}", param="cv")
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
            raise DistributionError(f"lognormal(): cv is too large, got {fmt(cv)}", param="cv")
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
            raise DistributionError(f"gamma(): mean={fmt(mean)}, cv={fmt(cv)} is out of range "
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
        mean = finite("exponential()", "mean", self.mean)
        if mean <= 0:
            raise DistributionError(f"exponential(): mean must be > 0, got {fmt(mean)}", param="mean")
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
                raise DistributionError(f"empirical(): weights must be >= 0, got {fmt(w)} at position {i}",
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
            raise DistributionError(f"empirical(): {name} must be a list of numbers, got {describe(xs)}",
                                    param=name)
        return tuple(finite("empirical()", f"{name}[{i}]", x) for i, x in enumerate(xs))

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
        text = "empirical([" + ", ".join(map(fmt, self.values)) + "]"
        if self.weights is not None:
            text += ", weights=[" + ", ".join(map(fmt, self.weights)) + "]"
        return text + ")"

