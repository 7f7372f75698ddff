"""Defaults of the cost model (``data/costs.yaml``), and what a scenario may write in their place.

``data/costs.yaml`` is the one list of the cost inputs: every entry is a sourced
figure whose ``input`` (:mod:`~routesim.catalogue.inputs`) says whether a scenario's
``costs:`` may give a distribution (its mean in a plausible range) or a bounded number. :data:`COST_INPUTS` holds
these rules in file order; the scenario schema and the plan compiler are built from it.

>>> COST_INPUTS[0]
DefaultInput(name='bunker_usd_per_t', distribution=True, low=0, high=5000, low_open=False, high_open=False)
>>> "bunker_usd_per_t" in COST_DISTRIBUTIONS, "co2_t_per_t_fuel" in COST_NUMBERS
(True, True)
>>> cost_defaults()["co2_t_per_t_fuel"].value
3.114
"""

from __future__ import annotations

import functools

from ..errors import DataError
from .figures import Figure, check_keys, load_data_file, number_figure, parse_figure, read
from .inputs import DefaultInput, inputs_of

__all__ = ["COST_INPUTS", "COST_DEFAULT_KEYS", "COST_DISTRIBUTIONS", "COST_NUMBERS", "cost_defaults"]

COST_INPUTS: tuple[DefaultInput, ...] = inputs_of(load_data_file("costs.yaml"), "defaults", "data/costs.yaml")
"""Every cost input of the shipped ``data/costs.yaml``, in file order (the scenario ``costs:`` names)."""

COST_DEFAULT_KEYS: tuple[str, ...] = tuple(c.name for c in COST_INPUTS)
"""Names of the cost-model defaults in ``data/costs.yaml`` (the scenario ``costs:`` names)."""

COST_DISTRIBUTIONS: tuple[str, ...] = tuple(c.name for c in COST_INPUTS if c.distribution)
"""The cost inputs a scenario may give as distributions (each compiles to a Distribution)."""

COST_NUMBERS: tuple[str, ...] = tuple(c.name for c in COST_INPUTS if not c.distribution)
"""The cost inputs that are plain numbers (each compiles to a float)."""


@functools.cache
def cost_defaults() -> dict[str, Figure]:
    """Defaults of the cost model keyed by :data:`COST_DEFAULT_KEYS` (cached; do not mutate).

    Every value obeys its input rule: a number, or for a ``distribution`` input a number or a
    distribution expression (the spread the record gives). The names and input rules
    are those of the shipped file (they shape the scenario schema); a data file
    substituted for it must hold the same names.
    """
    raw = read("costs.yaml")
    if not isinstance(raw, dict) or set(raw) != {"defaults"}:
        raise DataError("data/costs.yaml: expected exactly one top-level 'defaults:' mapping")
    body = raw["defaults"]
    check_keys("data/costs.yaml: defaults", body, set(COST_DEFAULT_KEYS))
    out = {}
    for inp in COST_INPUTS:
        where = f"data/costs.yaml: {inp.name}"
        fig = parse_figure(body[inp.name], where) if inp.distribution else number_figure(body[inp.name], where)
        out[inp.name] = inp.check(fig, where)
    return out
