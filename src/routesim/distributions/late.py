"""``late(p, delay)``: with probability ``p`` a draw of another distribution, else 0.

The one family whose parameter is itself a distribution; given as text, the delay
is read with the grammar (:func:`~routesim.distributions.grammar.parse`).

>>> str(Late(0.25, "exponential(2)")), Late(0.25, 4).mean
('late(p=0.25, delay=exponential(mean=2))', 1.0)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import DistributionError
from ..masks import keep
from .base import Distribution, describe, finite, fmt
from .grammar import parse

__all__ = ["Late"]


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
        p = finite("late()", "p", self.p)
        if not 0 <= p <= 1:
            raise DistributionError(f"late(): p must be in [0, 1], got {fmt(p)}", param="p")
        if not isinstance(self.delay, Distribution):
            if isinstance(self.delay, (bool, np.bool_)) or not isinstance(self.delay, (numbers.Real, str)):
                raise DistributionError(f"late(): delay must be a distribution or a number, got "
                                        f"{describe(self.delay)}", param="delay")
            object.__setattr__(self, "delay", parse(self.delay))
        object.__setattr__(self, "p", p)

    def _fill(self, rng, out):
        rng.random(out=out)
        late = out < self.p
        self.delay._fill(rng, out)
        keep(out, late)  # +0.0 where on time, without a branch per draw (routesim.masks)

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
        return f"late(p={fmt(self.p)}, delay={self.delay})"


