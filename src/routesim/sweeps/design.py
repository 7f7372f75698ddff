"""Sweep designs: the points a sweep runs, as plain data.

A point maps dotted override paths (as :meth:`routesim.Scenario.with_overrides`
takes them) to values. Values are kept as YAML would hold them (numbers, text,
lists, mappings), so that points hash, pickle and print the same everywhere.

>>> grid_points({"a": [1, 2], "b": ["x", "y"]})
[{'a': 1, 'b': 'x'}, {'a': 1, 'b': 'y'}, {'a': 2, 'b': 'x'}, {'a': 2, 'b': 'y'}]
>>> label({"costs.bunker_usd_per_t": 650, "routes.r.speed_kn": 17.5})
'costs.bunker_usd_per_t=650, routes.r.speed_kn=17.5'
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import RoutesimError

__all__ = ["DESIGNS", "grid_points", "zip_points", "one_at_a_time_points", "plain_value", "plain_point", "label",
           "json_default"]

DESIGNS = ("grid", "zip", "points", "one_at_a_time")
"""The ways to give a sweep's points (the keys of a sweep file)."""


def grid_points(grid: Mapping[str, Sequence]) -> list[dict]:
    """Every combination of the value lists (cartesian product), the last path varying fastest."""
    names, lists = _columns(grid, "grid")
    return [dict(zip(names, combo)) for combo in itertools.product(*lists)]


def zip_points(columns: Mapping[str, Sequence]) -> list[dict]:
    """Point *i* takes the *i*-th value of every list; the lists must have the same length."""
    names, lists = _columns(columns, "zip")
    if len({len(v) for v in lists}) > 1:
        sizes = ", ".join(f"{n} has {len(v)}" for n, v in zip(names, lists))
        raise RoutesimError(f"zip: the lists must have the same length ({sizes})")
    return [dict(zip(names, row)) for row in zip(*lists)]


def one_at_a_time_points(ranges: Mapping[str, Sequence]) -> list[dict]:
    """The base (``{}``), then each path alone at its low and at its high value (for a tornado)."""
    names, lists = _columns(ranges, "one_at_a_time")
    for name, values in zip(names, lists):
        if len(values) != 2:
            raise RoutesimError(f"one_at_a_time: {name}: expected [low, high], got {len(values)} value(s)")
    return [{}] + [{name: v} for name, values in zip(names, lists) for v in values]


def _columns(mapping: Any, what: str) -> tuple[list[str], list[list]]:
    """The paths and value lists of a design mapping, checked (``what`` names the design in errors)."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise RoutesimError(f"{what}: expected a mapping of dotted paths to lists of values, "
                            f"such as {{'costs.bunker_usd_per_t': [450, 650]}}")
    names, lists = [], []
    for name, values in mapping.items():
        if not isinstance(name, str) or not name.strip():
            raise RoutesimError(f"{what}: keys must be dotted paths such as costs.bunker_usd_per_t, got {name!r}")
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray)):
            raise RoutesimError(f"{what}: {name}: expected a list of values, got {values!r}")
        if len(values) == 0:
            raise RoutesimError(f"{what}: {name}: needs at least one value")
        names.append(name)
        lists.append(list(values))
    return names, lists


def json_default(value):
    """``json.dumps`` fallback: numpy scalars and arrays as Python numbers and lists."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not plain data")


def plain_value(value: Any) -> Any:
    """As YAML would hold it: numpy numbers -> Python, tuples and arrays -> lists.

    >>> plain_value((np.float64(1.5), np.int64(2)))
    [1.5, 2]
    """
    return json.loads(json.dumps(value, default=json_default))


def plain_point(point: Any, i: int) -> dict:
    """Point ``i`` as plain data with stripped paths; anything else is a :class:`RoutesimError`."""
    if not isinstance(point, Mapping) or not all(isinstance(k, str) for k in point):
        raise RoutesimError(f"point {i}: expected a mapping of dotted paths to values, got {point!r}")
    try:
        return {k.strip(): plain_value(v) for k, v in point.items()}
    except (TypeError, ValueError) as exc:
        raise RoutesimError(f"point {i}: values must be numbers, text, lists or mappings ({exc})") from None


def label(point: Mapping) -> str:
    """A point as ``path=value, ...`` (values as JSON); ``base`` for the point with no change."""
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in point.items()) or "base"
