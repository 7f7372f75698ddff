"""The records of a compiled Plan: frozen, complete, and the only input of every engine.

A :class:`Plan` is a passive record (in the manner of ciw's ``Network``): the compiler
(:mod:`routesim.plan.compile`) resolves every figure from the scenario and the catalogue
into it, and the engines read it and nothing else. Every record is a frozen dataclass and
every mapping a read-only :class:`FrozenMap`, so an engine cannot change the Plan another
engine (or the next replication) reads.

Units are in the field names or docstrings: days, nautical miles (``_nm``), knots
(``_kn``), tonnes (``_t``), USD (``_usd``), TEU.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..distributions import Distribution
from .carbon import CarbonParams, PlugGrid, StretchShares
from .freight import FreightPlan
from .frozen import FrozenMap
from .locks import LockParams
from .fuels import FuelParams, fuel_params
from .perishables import MarketParams, PlugQueue, QualityParams, SeasonParams
from .schedule import HOURS_PER_DAY, handling_days
from .voyages import RoundVoyage, TrampPlan
from .responses import ResponseParams

__all__ = [
    "KINDS", "TRANSIT_KINDS", "DOOR_KINDS", "KIND_CODE", "FrozenMap", "VesselParams", "PortParams", "ChokepointParams",
    "LockParams", "CargoParams", "Window", "Segment", "Leg", "RoutePlan", "ServicePlan", "Operations", "CostParams",
    "RunOptions", "Plan",
]

KINDS: tuple[str, ...] = ("overland", "origin_dwell", "first_sailing", "sail", "port_call", "canal", "transshipment",
                          "destination_dwell")
"""Leg kinds, in the order of their integer codes."""
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
TRANSIT_KINDS: tuple[str, ...] = ("overland", "sail", "port_call", "canal", "transshipment")
"""Kinds that make up transit days."""
DOOR_KINDS: tuple[str, ...] = KINDS
"""Kinds that make up door days (all of them)."""


# ---------------------------------------------------------------- catalogue records, resolved
@dataclass(frozen=True)
class VesselParams:
    """A vessel class with every figure resolved (units in the names)."""

    id: str
    teu: float
    design_speed_kn: float
    design_fuel_t_per_day: float
    aux_fuel_t_per_day: float
    port_fuel_t_per_day: float
    charter_usd_per_day: Distribution
    moves_per_call: float
    service_speed_kn: float = 0.0
    """Speed the class sails at when a service or route does not say (knots)."""
    gt: float | None = None
    """Gross tonnage (None: not known; then port charges need ``costs.port_call_usd``)."""
    loa_m: float | None = None
    """Length overall (m)."""
    dwt: float | None = None
    """Tonnes deadweight (None: not known; then the IMO CII rating is marked missing)."""
    fuel: FuelParams = field(default_factory=lambda: fuel_params("vlsfo"))
    """The fuel it burns (its fuel days are VLSFO-equivalent tonnes)."""


@dataclass(frozen=True)
class PortParams:
    """A port's operating figures after scenario overrides."""

    code: str
    name: str
    country: str
    berths: int
    cranes_per_call: int
    crane_moves_per_hour: float
    berth_wait_days: Distribution
    """Wait for a berth of this scenario's vessels (days)."""
    call_fixed_hours: float
    export_cutoff_days: Distribution
    import_dwell_days: Distribution
    reference_service_days: float = 1.0
    """Berth time of a typical deep-sea call (the reference vessel), days."""
    utilisation: float = 0.0
    """Berth utilisation, inferred (M/M/c) from the mean of :attr:`berth_wait_days`."""
    scheduled_wait_days: float = 0.0
    """Berth wait the published schedules allow for: the catalogue's normal mean wait (days).
    A scenario whose berth waits differ from it makes vessels run off schedule."""
    annual_teu: float | None = None
    """Annual container throughput (TEU), None where unpublished."""
    wait_given: bool = False
    """True when the scenario gives :attr:`berth_wait_days` itself: then it is the wait of the
    scenario's vessels in both engines (the discrete-event engine draws it rather than queueing
    them behind modelled traffic)."""

    def handling_days(self, moves):
        """Time alongside for ``moves`` container moves (days): crane work plus fixed hours."""
        return handling_days(moves, self.cranes_per_call, self.crane_moves_per_hour, self.call_fixed_hours)


@dataclass(frozen=True)
class ChokepointParams:
    """A passage's figures: locks time, waits, capacity and the scenario's booking status."""

    id: str
    kind: str
    transit_hours: float
    capacity_per_day: float | None
    booked: bool
    wait_days: Distribution
    """Normal wait at the passage for this scenario's ships (booked or not)."""
    unbooked_wait_days: Distribution
    booked_share: float | None
    toll_usd: Distribution | None
    """Toll per transit when the scenario fixes it; else the catalogue structure is used."""
    utilisation: float = 0.0
    """Slot utilisation in normal times, inferred (M/M/c, one slot = one ship-day) from the
    catalogue's normal (unbooked) wait; 0 for passages without a capacity."""
    divert_after_days: float = float("inf")
    """Longest extra wait ships accept before diverting (the observed wait of a sustained cut)."""
    background_per_day: float = 0.0
    """Other ships arriving a day in normal times (scenario ``demand_per_day``, or inferred
    from the catalogue's normal unbooked wait with booked ships served first)."""
    max_vessel_teu: float | None = None
    wait_given: bool = False
    """True when the scenario sets ``wait_days`` (the discrete-event engine then draws it for booked ships)."""
    locks: tuple[LockParams, ...] = ()
    """The canal's sets of locks, smallest ships first (empty: one set of ``capacity_per_day`` slots)."""

    @property
    def transit_days(self) -> float:
        """Time in the locks or strait itself (days)."""
        return self.transit_hours / HOURS_PER_DAY

    def lock_for(self, teu: float) -> LockParams | None:
        """The locks a ship of ``teu`` uses: the smallest that take it (None for a canal of one set)."""
        for lock in self.locks:
            if teu <= lock.max_vessel_teu:
                return lock
        return self.locks[-1] if self.locks else None


@dataclass(frozen=True)
class CargoParams:
    """The cargo of one route's shipments."""

    commodity: str
    reefer: bool
    teu: float
    value_usd: Distribution
    """Value of one shipment (USD)."""
    quality: QualityParams | None
    """The keeping-quality model of a perishable; None for a cargo that does not perish."""
    origin_country: str
    importer: str
    tariff_rate: float | None
    """Ad-valorem duty (fraction); None when the trade data has no line for this cargo."""
    tariff_missing: str = ""
    """Why :attr:`tariff_rate` is None (shown in the results), empty when it is known."""
    name: str = ""
    """The commodity's display name."""
    t_per_teu: float | None = None
    """Tonnes of cargo per TEU (None where the catalogue has no load)."""
    unit: str = ""
    """The unit the cargo is priced in beside tonnes (``vehicle``, ``kWh``), empty if none."""
    units_per_teu: float | None = None
    season: SeasonParams | None = None
    """The export season the cargo is ready in; None: ready uniformly over the study window."""
    market: MarketParams | None = None
    """Prices by arrival date and the market holiday; None without a calendar (``start_date``)."""
    kind: str = "dry"
    """``dry``, ``reefer``, ``bulk`` (a parcel in tonnes) or ``roro`` (vehicles): for the last two one
    shipment is one parcel (``teu`` 1, ``t_per_teu`` its tonnes, ``units_per_teu`` its vehicles)."""


@dataclass(frozen=True)
class Window:
    """A disruption resolved to a time window on the study clock (days)."""

    kind: str
    where: str
    start: float
    end: float
    factor: float = 1.0
    extra_days: Distribution | None = None


# ---------------------------------------------------------------- routes
@dataclass(frozen=True)
class Segment:
    """One stretch of a route on one vessel."""

    index: int
    service: str
    vessel: VesselParams
    speed_kn: float
    headway_days: float
    utilisation: float
    calls: tuple[str, ...]
    """Ports called, from the load port to the discharge port inclusive."""
    distance_nm: float
    chokepoints: tuple[str, ...]
    avoid: tuple[str, ...] = ()
    """Chokepoints closed to this stretch (route, segment and service avoid lists)."""
    scheduled_days: float = 0.0
    """Pro-forma time from departure at the load port to arrival at the discharge port (days)."""
    main_fuel_t_per_day: float = 0.0
    """Main-engine fuel at :attr:`speed_kn` (tonnes/day, propeller law)."""
    voyage: RoundVoyage | None = None
    """The round voyage of the stretch's service, which the carrier's cost is allocated from."""
    direction: int = 0
    """+1 Asia to Latin America (headhaul), -1 back, 0 within a region."""
    discharge_call_days: float = 0.0
    """Pro-forma days of the discharge call (the box is aboard until it is discharged)."""
    shares: StretchShares = StretchShares()
    """Shares of the stretch the EU ETS and FuelEU cover, at sea and at berth (:func:`routesim.plan.carbon.stretch_shares`)."""
    laytime_days: tuple[float, float] = (0.0, 0.0)
    """A tramp ship's days loading at the first call and discharging at the last (0 for a liner)."""


@dataclass(frozen=True)
class Leg:
    """One row of a route's leg table."""

    kind: str
    place: str
    segment: int
    distance_nm: float = 0.0
    speed_kn: float = 0.0
    headway_days: float = 0.0
    chokepoints: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoutePlan:
    """A route compiled to legs. The array attributes have one entry per leg."""

    name: str
    origin: str
    destination: str
    description: str
    cargo: CargoParams
    segments: tuple[Segment, ...]
    legs: tuple[Leg, ...]
    overland_days: Distribution | None = None
    overland_usd_per_teu: Distribution | None = None
    overland_co2_t_per_teu: Distribution | None = None
    plug_grid: PlugGrid | None = None
    """Grid carbon intensity where a reefer box is on plug (None for a box that is not plugged in)."""
    overland_assumption: str = ""
    path: Sequence[tuple[float, float]] = ()
    """Coordinates (lon, lat) of the sea path, for maps (a :class:`~routesim.plan.frozen.Track`,
    joined when first read; equal to the tuple of its points)."""
    demand_teu_per_week: Distribution | None = None
    """The route's own cargo (TEU a week) for the discrete-event engine; None: probe bookings."""
    freight: FreightPlan | None = None
    """How the route's freight is drawn (lane, booking window, rates)."""
    plug_queue: PlugQueue | None = None
    """The wait for a reefer plug at the origin terminal; None where no reefer flow is given."""
    tramp: TrampPlan | None = None
    """A tramp voyage's parcel, laytime and terminal charges; None on a liner route."""
    rounds: tuple = ()
    """The way round each canal passage (:class:`~routesim.plan.rounds.WayRound`), for carriers that re-route."""

    @cached_property
    def kind(self) -> np.ndarray:
        """Leg kind codes (index into :data:`KINDS`), int8."""
        return np.array([KIND_CODE[leg.kind] for leg in self.legs], dtype=np.int8)

    @cached_property
    def distance_nm(self) -> np.ndarray:
        return np.array([leg.distance_nm for leg in self.legs])

    @cached_property
    def speed_kn(self) -> np.ndarray:
        return np.array([leg.speed_kn for leg in self.legs])

    @cached_property
    def headway_days(self) -> np.ndarray:
        return np.array([leg.headway_days for leg in self.legs])

    @cached_property
    def segment(self) -> np.ndarray:
        return np.array([leg.segment for leg in self.legs], dtype=np.int16)

    @property
    def sea_distance_nm(self) -> float:
        """Total sailed distance (nautical miles)."""
        return float(sum(s.distance_nm for s in self.segments))

    @property
    def chokepoints(self) -> tuple[str, ...]:
        out: list[str] = []
        for s in self.segments:
            out += [c for c in s.chokepoints if c not in out]
        return tuple(out)

    @property
    def hubs(self) -> tuple[str, ...]:
        return tuple(s.calls[-1] for s in self.segments[:-1])

    def segment_legs(self, s: int) -> tuple[int, ...]:
        """Indices of the sea legs (sail, port call, canal) of segment ``s``."""
        return tuple(i for i, leg in enumerate(self.legs)
                     if leg.segment == s and leg.kind in ("sail", "port_call", "canal"))

    def table(self):
        """The legs as a pandas DataFrame (for display and checks)."""
        import pandas as pd

        return pd.DataFrame({
            "kind": [leg.kind for leg in self.legs],
            "place": [leg.place for leg in self.legs],
            "segment": self.segment,
            "distance_nm": self.distance_nm,
            "speed_kn": self.speed_kn,
            "headway_days": self.headway_days,
            "chokepoints": [",".join(leg.chokepoints) for leg in self.legs],
        })


@dataclass(frozen=True)
class ServicePlan:
    """A liner service as the routes use it: its whole rotation (the discrete-event engine
    sails every leg of it). Stretches without a named service run as pendulums between their
    calls."""

    id: str
    rotation: tuple[str, ...]
    avoid: tuple[str, ...] = ()


# ---------------------------------------------------------------- run-wide figures
@dataclass(frozen=True)
class Operations:
    """Operating figures shared by every route (``operations`` in the scenario)."""

    weather_factor: Distribution
    lateness_days: Distribution
    call_fixed_hours: float
    min_connection_days: float
    handling_cv: float


@dataclass(frozen=True)
class CostParams:
    """Every cost input resolved: the scenario's ``costs`` over the catalogue's defaults.

    The fields are the catalogue's cost inputs (``data/costs.yaml``, listed once in
    :data:`routesim.catalogue.COST_INPUTS`), read as attributes: ``costs.bunker_usd_per_t``.
    Inputs that vary per shipment are distributions, rates are floats (USD unless named
    otherwise). :attr:`settlement_fee_rate` is the fee that applies, local-currency
    settlement considered.
    """

    values: Mapping[str, Any]
    settlement_fee_rate: float

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "values":
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(f"no cost input {name!r}") from None


@dataclass(frozen=True)
class RunOptions:
    """How the scenario asks to be run (both engines' options; engine arguments override)."""

    seed: int
    horizon_days: float
    replications: int
    """Monte Carlo shipments per route."""
    chunk_size: int
    threads: int
    keep_shipments: bool | None
    des_replications: int
    warmup_days: float
    independent_sailings: bool
    des_workers: int | None = None
    responses: ResponseParams | None = None
    """The carriers' responses the discrete-event engine models (None: :func:`~routesim.plan.responses.response_params` of an empty section)."""


@dataclass(frozen=True)
class Plan:
    """Everything an engine needs, resolved. Build with :func:`~routesim.plan.compile_plan`."""

    name: str
    routes: Mapping[str, RoutePlan]
    ports: Mapping[str, PortParams]
    """Every port a route or a service rotation calls at."""
    chokepoints: Mapping[str, ChokepointParams]
    services: Mapping[str, ServicePlan]
    operations: Operations
    costs: CostParams
    options: RunOptions
    windows: tuple[Window, ...] = ()
    engine_only: tuple[tuple[str, str, str], ...] = ()
    """``(field path, engine, what the other engine does)`` of every input the scenario sets that only that engine uses
    (see :data:`routesim.plan.ENGINE_ONLY`): the other engine warns that it ignores them."""
    reference_speed_kn: float = 0.0
    """Service speed of the reference deep-sea ship (knots), for detour days round a canal."""
    carbon: CarbonParams = CarbonParams()
    """The carbon rules the run prices and their emission year (``carbon_rules``)."""
    network: Any = field(default=None, repr=False, compare=False)
    """The :class:`~routesim.network.PortNetwork` the routes were compiled on (the discrete-event
    engine routes the rest of each service's rotation and canal detours over it)."""

    @property
    def seed(self) -> int:
        return self.options.seed

    @property
    def horizon_days(self) -> float:
        return self.options.horizon_days

    def ignored_by(self, engine: str) -> list[str]:
        """Messages naming every input this scenario sets that ``engine`` does not use."""
        return [f"{path} is used by the {other} engine only; in the {engine} engine {why}"
                for path, other, why in self.engine_only if other != engine]

    def windows_at(self, where: str, kind: str | None = None) -> tuple[Window, ...]:
        """Disruption windows at a port or chokepoint (optionally of one kind)."""
        return tuple(w for w in self.windows if w.where == where and (kind is None or w.kind == kind))
