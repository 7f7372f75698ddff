"""Pydantic field types for distributions: :data:`Dist` and :data:`NonNegativeDist`.

A field of either type accepts a number, an expression of the grammar or a
:class:`~routesim.distributions.base.Distribution`, validates it with
:func:`~routesim.distributions.grammar.parse`, serialises it as its canonical text
(a constant as a plain number) and documents itself in JSON Schema.

>>> from pydantic import BaseModel
>>> class Leg(BaseModel):
...     wait_days: NonNegativeDist
>>> Leg(wait_days="exponential(2)").model_dump(), Leg(wait_days=3).model_dump()
({'wait_days': 'exponential(mean=2)'}, {'wait_days': 3})
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, InstanceOf, PlainSerializer, WithJsonSchema

from .base import Constant, Distribution
from .grammar import parse

__all__ = ["Dist", "NonNegativeDist", "dist_with_mean_in"]


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


def dist_with_mean_in(low: float, high: float):
    """:data:`NonNegativeDist` whose mean must lie in ``[low, high]`` (a plausible range).

    >>> from pydantic import BaseModel
    >>> class Leg(BaseModel):
    ...     factor: dist_with_mean_in(0.5, 3)
    >>> Leg(factor="gamma(mean=1.1, cv=0.1)").factor.mean
    1.1
    >>> Leg(factor=1e300)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Leg
    ...
    """
    def check(d: Distribution) -> Distribution:
        m = d.mean
        if not low <= m <= high:
            raise ValueError(f"mean {m:g} is outside the plausible range [{low:g}, {high:g}]")
        return d

    schema = _schema(True)
    schema["description"] = f"Mean within [{low:g}, {high:g}]."
    return Annotated[
        InstanceOf[Distribution],
        BeforeValidator(functools.partial(parse, nonnegative=True)),
        AfterValidator(check),
        PlainSerializer(_serialize),
        WithJsonSchema(schema),
    ]
