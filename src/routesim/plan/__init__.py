"""The Plan: a scenario compiled into the flat, fully resolved input of every engine.

The compiler (:func:`compile_plan`) resolves every default from the catalogue, routes every
sea passage over the :class:`~routesim.network.PortNetwork`, expands each route into an
ordered chain of *legs* and stores everything in frozen records. Engines read the Plan,
never the YAML or the catalogue.

A route is a chain of legs of these kinds (:data:`KINDS`):

==================  =====================================================================
overland            a land leg before the sea origin (what-if routes only)
origin_dwell        export box in the origin terminal before its ship can take it (cut-off)
first_sailing       wait for the departure of the first service's vessel from the origin
                    berth: its schedule, lateness, berth wait and handling there
sail                sea passage between two calls: distance / speed x weather factor
port_call           an intermediate call of the vessel: berth wait + handling
canal               a canal passage: queue wait + locks (Panama, Suez)
transshipment       hub dwell: from arrival to the departure of the connecting service
destination_dwell   berth wait and discharge at the destination, then import yard dwell
                    (a tramp parcel: berth wait and its discharge, no yard dwell; its
                    ``origin_dwell`` is its loading)
==================  =====================================================================

**transit days** are the sum of ``overland``, ``sail``, ``port_call``, ``canal`` and
``transshipment`` (departure from the origin berth to arrival at the destination
port); **door days** add ``origin_dwell``, ``first_sailing`` and ``destination_dwell``.

Modules: :mod:`~routesim.plan.records` (the frozen records),
:mod:`~routesim.plan.schedule` (sailing and handling days, pro-forma times, rotations),
:mod:`~routesim.plan.resolve` (one record from scenario and catalogue),
:mod:`~routesim.plan.voyages` (each service's round voyage, for the carrier's cost),
:mod:`~routesim.plan.tramp` (a bulk or roro parcel's tramp voyage: laden out, ballast back),
:mod:`~routesim.plan.freight` (each route's freight lane and booking window),
:mod:`~routesim.plan.carbon` (the carbon rules a run prices, stretch by stretch) and
:mod:`~routesim.plan.compile` (the whole Plan).
"""

from .compile import ENGINE_ONLY, REFERENCE_VESSEL, compile_plan, mmc_wait_distribution
from .perishables import MarketParams, QualityParams, SeasonParams
from .records import (
    DOOR_KINDS,
    KIND_CODE,
    KINDS,
    TRANSIT_KINDS,
    CargoParams,
    ChokepointParams,
    LockParams,
    CostParams,
    FrozenMap,
    Leg,
    Operations,
    Plan,
    PortParams,
    RoutePlan,
    RunOptions,
    Segment,
    ServicePlan,
    VesselParams,
    Window,
)
from .carbon import CarbonParams, StretchShares
from .freight import FreightPlan
from .fuels import FuelParams
from .schedule import split_at_canals
from .voyages import RoundVoyage, TrampPlan

__all__ = [
    "KINDS", "KIND_CODE", "TRANSIT_KINDS", "DOOR_KINDS", "REFERENCE_VESSEL", "ENGINE_ONLY", "FrozenMap", "Plan", "RoutePlan",
    "Segment", "Leg", "ServicePlan", "VesselParams", "PortParams", "ChokepointParams", "LockParams", "CargoParams", "QualityParams", "SeasonParams", "MarketParams",
    "CostParams", "Operations", "RunOptions", "Window", "RoundVoyage", "TrampPlan", "FreightPlan", "FuelParams", "CarbonParams", "StretchShares", "compile_plan", "split_at_canals", "mmc_wait_distribution",
]
