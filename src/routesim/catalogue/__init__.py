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
:mod:`~routesim.catalogue.chokepoint`       :func:`chokepoints` (``data/chokepoints.yaml``)
:mod:`~routesim.catalogue.costs`            :func:`cost_defaults`, :data:`COST_INPUTS` (``data/costs.yaml``)
:mod:`~routesim.catalogue.commodity`        :func:`commodities` (``data/commodities.yaml``)
:mod:`~routesim.catalogue.tariffs`          :func:`trade` (``data/trade.yaml``)
:mod:`~routesim.catalogue.service`          :func:`services` (``data/services.yaml``)
:mod:`~routesim.catalogue.timing`           :func:`operations`, :data:`OPERATIONS_INPUTS` (``data/operations.yaml``)
:mod:`~routesim.catalogue.lane`             :func:`lanes` (``data/lanes.yaml``)
:mod:`~routesim.catalogue.fuel`             :func:`fuels`, :func:`gwp_sets` (``data/fuels.yaml``)
:mod:`~routesim.catalogue.carbon`           :func:`carbon_rules`, :func:`glec_lanes` (``data/carbon_rules.yaml``, ``data/glec.yaml``)
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

from importlib import resources  # noqa: F401  (routesim.catalogue.resources: where the data files are)

from .carbon import CarbonRules, GlecLane, carbon_rules, glec_lanes
from .chokepoint import Chokepoint, chokepoints
from .commodity import Commodity, commodities
from .costs import COST_DEFAULT_KEYS, COST_DISTRIBUTIONS, COST_INPUTS, COST_NUMBERS, cost_defaults
from .figures import Figure, load_data_file, parse_figure
from .fuel import Fuel, GwpSet, fuels, gwp_sets
from .inputs import DefaultInput
from .lane import Lane, Lanes, Waypoint, lanes
from .names import port_label, resolve_chokepoint, resolve_name, resolve_place, resolve_port
from .port import Port, ports
from .service import Service, services
from .tariffs import FreeTradeAgreement, TariffLine, TradePolicy, trade
from .timing import OPERATIONS_INPUTS, OPERATIONS_KEYS, operations
from .vessel import _VESSEL_FIGS, VesselClass, vessel_classes  # noqa: F401  (_VESSEL_FIGS: tests)

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
    "glec_lanes",
]
