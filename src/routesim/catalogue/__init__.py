"""The shipped catalogue: ports, vessel classes, chokepoints, services, lanes, defaults.

Every operating figure in ``routesim/data/*.yaml`` is a small mapping::

    berths: {value: 4, source: "https://... (15 Nov 2024)", confidence: H}
    crane_moves_per_hour: {value: 30, derived: true,
                           source: "typical class 25-30 moves/crane-h (...)"}

``source`` is required; ``derived: true`` marks a value we computed or chose
from cited inputs, and then ``source`` states the method and the inputs.
The loaders turn these into :class:`Figure` records so that a value always
travels with where it came from.

One module per record kind, each with a cached loader that checks every row
(unknown or missing keys are errors naming the file and the entry):

==========================================  =============================================
:mod:`~routesim.catalogue.figures`          :class:`Figure`, :func:`parse_figure`, :func:`load_data_file`
:mod:`~routesim.catalogue.inputs`           :class:`DefaultInput`: what a scenario may write for a default
:mod:`~routesim.catalogue.port`             :func:`ports` (``data/ports.yaml``)
:mod:`~routesim.catalogue.vessel`           :func:`vessel_classes` (``data/vessels.yaml``)
:mod:`~routesim.catalogue.tramp`            :func:`tramp_classes`, :func:`voyage_rate` (``data/tramp.yaml``)
:mod:`~routesim.catalogue.chokepoint`       :func:`chokepoints` (``data/chokepoints.yaml``)
:mod:`~routesim.catalogue.costs`            :func:`cost_defaults`, :data:`COST_INPUTS` (``data/costs.yaml``)
:mod:`~routesim.catalogue.commodity`        :func:`commodities` (``data/commodities.yaml``)
:mod:`~routesim.catalogue.tariffs`          :func:`trade` (``data/trade.yaml``)
:mod:`~routesim.catalogue.service`          :func:`services` (``data/services.yaml``)
:mod:`~routesim.catalogue.timing`           :func:`operations`, :data:`OPERATIONS_INPUTS` (``data/operations.yaml``)
:mod:`~routesim.catalogue.lane`             :func:`lanes` (``data/lanes.yaml``)
:mod:`~routesim.catalogue.fuel`             :func:`fuels`, :func:`gwp_sets` (``data/fuels.yaml``)
:mod:`~routesim.catalogue.carbon`           :func:`carbon_rules`, :func:`glec_lanes` (``data/carbon_rules.yaml``, ``data/glec.yaml``)
:mod:`~routesim.catalogue.grid`             :func:`grid_intensity`, :func:`grid_gaps` (``data/grid.yaml``)
:mod:`~routesim.catalogue.names`            :func:`resolve_port`, :func:`resolve_chokepoint`, ...
:mod:`~routesim.catalogue.sources`          every figure as one table (``routesim sources``)
==========================================  =============================================

Every loader reads through ``routesim.catalogue.load_data_file``, looked up when
called: replacing that name replaces the data of every loader (their caches aside).

Examples
--------
>>> from routesim import catalogue
>>> chancay = catalogue.ports()["PECHY"]
>>> chancay.name
'Chancay'
>>> chancay.berths.value >= 1
True
"""

from __future__ import annotations

import importlib
from importlib import resources  # noqa: F401  (routesim.catalogue.resources: where the data files are)

# public name -> the submodule that defines it; imported on first use (PEP 562), so that
# ``routesim route`` loads ports and lanes without the distributions and pydantic the
# commodity and cost loaders need. Names are looked up on every use, never cached here,
# so a monkeypatched submodule function is seen as it is now.
_LAZY = {
    "CarbonRules": "carbon",
    "GlecLane": "carbon",
    "carbon_rules": "carbon",
    "grid_intensity": "grid",
    "grid_gaps": "grid",
    "glec_lanes": "carbon",
    "Chokepoint": "chokepoint",
    "chokepoints": "chokepoint",
    "Commodity": "commodity",
    "commodities": "commodity",
    "COST_DEFAULT_KEYS": "costs",
    "COST_DISTRIBUTIONS": "costs",
    "COST_INPUTS": "costs",
    "COST_NUMBERS": "costs",
    "cost_defaults": "costs",
    "Figure": "figures",
    "load_data_file": "figures",
    "parse_figure": "figures",
    "Fuel": "fuel",
    "GwpSet": "fuel",
    "fuels": "fuel",
    "gwp_sets": "fuel",
    "DefaultInput": "inputs",
    "Lane": "lane",
    "Lanes": "lane",
    "Waypoint": "lane",
    "lanes": "lane",
    "port_label": "names",
    "resolve_chokepoint": "names",
    "resolve_name": "names",
    "resolve_place": "names",
    "resolve_port": "names",
    "Port": "port",
    "ports": "port",
    "Service": "service",
    "services": "service",
    "FreeTradeAgreement": "tariffs",
    "TariffLine": "tariffs",
    "TradePolicy": "tariffs",
    "trade": "tariffs",
    "OPERATIONS_INPUTS": "timing",
    "OPERATIONS_KEYS": "timing",
    "operations": "timing",
    "_VESSEL_FIGS": "vessel",
    "VesselClass": "vessel",
    "vessel_classes": "vessel",
    "TrampClass": "tramp",
    "tramp_classes": "tramp",
    "tramp_handling": "tramp",
    "voyage_rate": "tramp",
    "TRAMP_KINDS": "tramp",
    "laycan_days": "tramp",
}


__all__ = [
    "Figure",
    "Port",
    "ports",
    "load_data_file",
    "parse_figure",
    "VesselClass",
    "Chokepoint",
    "Commodity",
    "FreeTradeAgreement",
    "TariffLine",
    "TradePolicy",
    "COST_DEFAULT_KEYS",
    "COST_INPUTS",
    "COST_DISTRIBUTIONS",
    "COST_NUMBERS",
    "DefaultInput",
    "vessel_classes",
    "TrampClass",
    "tramp_classes",
    "tramp_handling",
    "voyage_rate",
    "TRAMP_KINDS",
    "laycan_days",
    "chokepoints",
    "cost_defaults",
    "commodities",
    "trade",
    "Service",
    "services",
    "OPERATIONS_INPUTS",
    "OPERATIONS_KEYS",
    "operations",
    "Waypoint",
    "Lane",
    "Lanes",
    "lanes",
    "resolve_port",
    "port_label",
    "resolve_name",
    "resolve_chokepoint",
    "resolve_place",
    "Fuel",
    "GwpSet",
    "fuels",
    "gwp_sets",
    "CarbonRules",
    "GlecLane",
    "carbon_rules",
    "grid_intensity",
    "grid_gaps",
    "glec_lanes",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__():
    return sorted({*globals(), *_LAZY})
