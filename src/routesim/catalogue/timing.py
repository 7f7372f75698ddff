"""Timing assumptions shared by every route (``data/operations.yaml``): weather factor,
lateness, call hours, connection time, handling variability, terminal dwell.

As for the costs, the data file is the one list: each figure's ``input``
(:mod:`~routesim.catalogue.inputs`) says what a scenario's ``operations:`` may write
in its place, and :data:`OPERATIONS_INPUTS` holds those rules in file order.

>>> OPERATIONS_KEYS[:2], str(OPERATIONS_INPUTS[2])
(('weather_factor', 'lateness_days'), 'number in [0, 240]')
>>> operations()["lateness_days"].value
'late(p=0.5, delay=gamma(mean=5.1, cv=0.8))'
"""

from __future__ import annotations

import functools

from ..errors import DataError
from .figures import Figure, check_keys, load_data_file, parse_figure, read
from .inputs import DefaultInput, inputs_of

__all__ = ["OPERATIONS_INPUTS", "OPERATIONS_KEYS", "operations"]

OPERATIONS_INPUTS: tuple[DefaultInput, ...] = inputs_of(load_data_file("operations.yaml"), "operations",
                                                        "data/operations.yaml")
"""Every timing default of the shipped ``data/operations.yaml`` with its input rule, in file order."""

OPERATIONS_KEYS: tuple[str, ...] = tuple(i.name for i in OPERATIONS_INPUTS)
"""Names of the timing defaults (the scenario ``operations:`` names)."""


@functools.cache
def operations() -> dict[str, Figure]:
    """Timing defaults keyed by :data:`OPERATIONS_KEYS` (cached; do not mutate).

    Values are numbers, or distribution text where the input is a distribution;
    each obeys its input rule.
    """
    raw = read("operations.yaml")
    if not isinstance(raw, dict) or set(raw) != {"operations"}:
        raise DataError("data/operations.yaml: expected exactly one top-level 'operations:' mapping")
    body = raw["operations"]
    check_keys("data/operations.yaml", body, set(OPERATIONS_KEYS))
    out: dict[str, Figure] = {}
    for inp in OPERATIONS_INPUTS:
        where = f"data/operations.yaml: {inp.name}"
        out[inp.name] = inp.check(parse_figure(body[inp.name], where), where)
    return out
