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
routesim.errors.DistributionError: normal(): sd must be >= 0, got -1
>>> parse("gama(mean=4.5, cv=0.8)")
Traceback (most recent call last):
...
routesim.errors.DistributionError: unknown distribution 'gama' (did you mean gamma?)

In a pydantic model, declare a field as :data:`Dist` (or
:data:`NonNegativeDist` for durations and prices):

>>> from pydantic import BaseModel
>>> class Leg(BaseModel):
...     wait_days: NonNegativeDist
>>> Leg(wait_days="exponential(2)").model_dump()
{'wait_days': 'exponential(mean=2)'}

The package is layered one way: :mod:`~routesim.distributions.base` (the interface,
``constant`` and the registry of families), :mod:`~routesim.distributions.families`,
:mod:`~routesim.distributions.grammar` (the parser), :mod:`~routesim.distributions.late`
and :mod:`~routesim.distributions.fields` (pydantic types). It imports nothing from
routesim but :mod:`routesim.errors` and the name matching of ``routesim._suggest``.
"""

from __future__ import annotations

from ..errors import DistributionError
from .base import Constant, Distribution
from .families import Empirical, Exponential, Gamma, LogNormal, Normal, Triangular, Uniform
from .grammar import MAX_NESTING, MAX_TEXT_LENGTH, parse
from .late import Late
from .fields import _PATTERN, Dist, NonNegativeDist, dist_with_mean_in  # noqa: F401 (_PATTERN: the schema's pattern, tested)

__all__ = [
    "dist_with_mean_in",
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
