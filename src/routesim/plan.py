"""Compile a Scenario into a Plan: the flat, fully resolved input of every engine.

The compiler resolves every default from the catalogue, routes every sea
passage over the :class:`~routesim.network.PortNetwork`, expands each route
into an ordered chain of *legs* and stores them as numpy arrays. Engines read
the Plan, never the YAML.

A route is a chain of legs of these kinds (:data:`KINDS`):

==================  =====================================================================
overland            a land leg before the sea origin (what-if routes only)
origin_dwell        export box in the origin terminal before its ship can take it (cut-off)
first_sailing       wait for the next departure of the first service (+ its lateness)
sail                sea passage between two calls: distance / speed x weather factor
port_call           an intermediate call of the vessel: berth wait + handling
canal               a canal passage: queue wait + locks (Panama, Suez)
transshipment       hub dwell: from arrival to the departure of the connecting service
destination_dwell   berth wait and discharge at the destination, then import yard dwell
==================  =====================================================================

**transit days** are the sum of ``overland``, ``sail``, ``port_call``, ``canal`` and
``transshipment`` (departure from the origin berth to arrival at the destination
port); **door days** add ``origin_dwell``, ``first_sailing`` and ``destination_dwell``.

>>> from routesim.scenario import Scenario
>>> s = Scenario.from_dict({"name": "d", "routes": {"direct": {
...     "origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}}})
>>> plan = compile_plan(s)
>>> [KINDS[k] for k in plan.routes["direct"].kind]
['origin_dwell', 'first_sailing', 'sail', 'destination_dwell']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import re

import numpy as np

from . import catalogue
from .distributions import Constant, Distribution, Exponential, Late, parse
from .errors import NoRouteError, RoutesimError, ScenarioError, UnknownNameError
from .queueing import erlang_c, utilisation_for_wait
from .scenario import RouteSpec, Scenario, SegmentSpec

__all__ = [
    "KINDS",
    "TRANSIT_KINDS",
    "DOOR_KINDS",
    "Plan",
    "RoutePlan",
    "Segment",
    "Leg",
    "VesselParams",
    "PortParams",
    "ChokepointParams",
    "CargoParams",
    "Window",
    "compile_plan",
    "split_at_canals",
    "mmc_wait_distribution",
]

KINDS: tuple[str, ...] = (
    "overland",
    "origin_dwell",
    "first_sailing",
    "sail",
    "port_call",
    "canal",
    "transshipment",
    "destination_dwell",
)
"""Leg kinds, in the order of their integer codes."""
K = {k: i for i, k in enumerate(KINDS)}
REFERENCE_VESSEL = "post_panamax_8500"
"""Vessel class whose call stands for a typical deep-sea call when a port's utilisation is
inferred from its mean wait (the Asia-WCSA ACSA3 average ship, 8,700 TEU)."""
TRANSIT_KINDS: tuple[str, ...] = ("overland", "sail", "port_call", "canal", "transshipment")
"""Kinds that make up transit days."""
DOOR_KINDS: tuple[str, ...] = KINDS
"""Kinds that make up door days (all of them)."""


# ---------------------------------------------------------------- parameter records
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
    call_fixed_hours: float
    export_cutoff_days: Distribution
    import_dwell_days: Distribution
    reference_service_days: float = 1.0
    """Berth time of a typical deep-sea call (:data:`REFERENCE_VESSEL`), days."""
    utilisation: float = 0.0
    """Berth utilisation in normal times, inferred (M/M/c) from the mean berth wait."""

    def handling_days(self, moves):
        """Time alongside for ``moves`` container moves (days): crane work plus fixed hours."""
        return (np.asarray(moves, dtype=float) / (self.cranes_per_call * self.crane_moves_per_hour)
                + self.call_fixed_hours) / 24.0


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


@dataclass(frozen=True)
class CargoParams:
    """The cargo of one route's shipments."""

    commodity: str
    reefer: bool
    teu: float
    value_usd: Distribution
    """Value of one shipment (USD)."""
    shelf_life_days: Distribution | None
    origin_country: str
    importer: str
    tariff_rate: float


@dataclass(frozen=True)
class Window:
    """A disruption resolved to a time window on the study clock (days)."""

    kind: str
    where: str
    start: float
    end: float
    factor: float = 1.0
    extra_days: Distribution | None = None


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
    overland_assumption: str = ""
    path: tuple[tuple[float, float], ...] = ()
    """Coordinates (lon, lat) of the sea path, for maps."""

    @cached_property
    def kind(self) -> np.ndarray:
        """Leg kind codes (index into :data:`KINDS`), int8."""
        return np.array([K[leg.kind] for leg in self.legs], dtype=np.int8)

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
class Operations:
    weather_factor: Distribution
    lateness_days: Distribution
    call_fixed_hours: float
    min_connection_days: float
    handling_cv: float


@dataclass(frozen=True)
class CostParams:
    """Every cost input resolved to a distribution (USD unless named otherwise)."""

    bunker_usd_per_t: Distribution
    co2_t_per_t_fuel: float
    carbon_usd_per_t: Distribution
    thc_origin_usd_per_teu: Distribution
    thc_destination_usd_per_teu: Distribution
    thc_origin_reefer_usd_per_teu: Distribution
    thc_destination_reefer_usd_per_teu: Distribution
    port_call_usd: Distribution
    transshipment_usd_per_teu: Distribution
    inventory_rate_per_year: float
    reefer_usd_per_teu_day: Distribution
    reefer_plug_usd_per_teu_day: Distribution
    vessel_utilisation: float
    settlement_fee_rate: float


@dataclass(frozen=True)
class Plan:
    """Everything an engine needs, resolved. Build with :func:`compile_plan`."""

    scenario: Scenario
    routes: dict[str, RoutePlan]
    ports: dict[str, PortParams]
    chokepoints: dict[str, ChokepointParams]
    operations: Operations
    costs: CostParams
    windows: tuple[Window, ...] = field(default=())
    network: object = field(default=None, repr=False, compare=False)
    """The :class:`~routesim.network.PortNetwork` the routes were compiled on (the discrete-event
    engine routes the rest of each service's rotation over it)."""

    @property
    def seed(self) -> int:
        return self.scenario.seed

    @property
    def horizon_days(self) -> float:
        return self.scenario.horizon_days

    def port(self, code: str) -> PortParams:
        """A port's resolved figures, compiling (and keeping) a port no route of the plan calls at.

        The discrete-event engine needs every port of a service's whole rotation.
        """
        if code not in self.ports:
            network = self.network
            if network is None:
                from .network import PortNetwork

                network = PortNetwork.default()
            self.ports[code] = _Compiler(self.scenario, network).port(code)
        return self.ports[code]

    def windows_at(self, where: str, kind: str | None = None) -> tuple[Window, ...]:
        """Disruption windows at a port or chokepoint (optionally of one kind)."""
        return tuple(w for w in self.windows if w.where == where and (kind is None or w.kind == kind))


# ---------------------------------------------------------------- compiler
def compile_plan(scenario: Scenario, network=None) -> Plan:
    """Resolve ``scenario`` against the catalogue and ``network`` (default network if None).

    Raises :class:`~routesim.errors.ScenarioError` naming the route and field
    when a route cannot be built (e.g. a closed passage disconnects two calls).
    """
    if network is None:
        from .network import PortNetwork

        network = PortNetwork.default()
    compiler = _Compiler(scenario, network)
    return compiler.build()


def _dist(value, default=None) -> Distribution:
    if value is None:
        value = default
    if isinstance(value, Distribution):
        return value
    return parse(value, nonnegative=True)


class _Compiler:
    def __init__(self, scenario: Scenario, network):
        self.s = scenario
        self.net = network
        self.problems: list[str] = []
        self.ports: dict[str, PortParams] = {}
        self.vessels: dict[str, VesselParams] = {}
        self.chokepoints: dict[str, ChokepointParams] = {}
        self.ops_defaults = catalogue.operations()
        self.cost_defaults = catalogue.cost_defaults()

    # -------------------------------------------------------------- top level
    def build(self) -> Plan:
        ops = self._operations()
        costs = self._costs()
        for name in catalogue.chokepoints():
            self.chokepoints[name] = self._chokepoint(name)
        routes: dict[str, RoutePlan] = {}
        for rname, spec in self.s.routes.items():
            try:
                routes[rname] = self._route(rname, spec, ops)
            except RoutesimError as exc:
                msg = "; ".join(getattr(exc, "issues", None) or [str(exc)])
                self.problems.append(f"{self.s.where('routes', rname)}: routes.{rname}: {msg}")
        if self.problems:
            raise ScenarioError(self.problems)
        windows = tuple(self._window(d) for d in self.s.disruptions)
        return Plan(self.s, routes, dict(self.ports), dict(self.chokepoints), ops, costs, windows, self.net)

    def _operations(self) -> Operations:
        o = self.s.operations
        d = self.ops_defaults
        return Operations(
            weather_factor=_dist(o.weather_factor, d["weather_factor"].value),
            lateness_days=_dist(o.lateness_days, d["lateness_days"].value),
            call_fixed_hours=float(o.call_fixed_hours if o.call_fixed_hours is not None else d["call_fixed_hours"].value),
            min_connection_days=float(o.min_connection_days if o.min_connection_days is not None
                                      else d["min_connection_days"].value),
            handling_cv=float(o.handling_cv if o.handling_cv is not None else d["handling_cv"].value),
        )

    def _costs(self) -> CostParams:
        c = self.s.costs
        d = self.cost_defaults

        def dist(name):
            return _dist(getattr(c, name), d[name].value)

        def num(name):
            v = getattr(c, name)
            return float(d[name].value if v is None else v)

        fee = num("settlement_fee_rate_local_currency") if c.local_currency_settlement else num("settlement_fee_rate")
        return CostParams(
            bunker_usd_per_t=dist("bunker_usd_per_t"),
            co2_t_per_t_fuel=num("co2_t_per_t_fuel"),
            carbon_usd_per_t=dist("carbon_usd_per_t"),
            thc_origin_usd_per_teu=dist("thc_origin_usd_per_teu"),
            thc_destination_usd_per_teu=dist("thc_destination_usd_per_teu"),
            thc_origin_reefer_usd_per_teu=dist("thc_origin_reefer_usd_per_teu"),
            thc_destination_reefer_usd_per_teu=dist("thc_destination_reefer_usd_per_teu"),
            port_call_usd=dist("port_call_usd"),
            transshipment_usd_per_teu=dist("transshipment_usd_per_teu"),
            inventory_rate_per_year=num("inventory_rate_per_year"),
            reefer_usd_per_teu_day=dist("reefer_usd_per_teu_day"),
            reefer_plug_usd_per_teu_day=dist("reefer_plug_usd_per_teu_day"),
            vessel_utilisation=num("vessel_utilisation"),
            settlement_fee_rate=fee,
        )

    # -------------------------------------------------------------- catalogue records
    def port(self, code: str) -> PortParams:
        if code in self.ports:
            return self.ports[code]
        p = catalogue.ports()[code]
        o = self.s.ports.get(code)
        ops = self.ops_defaults

        def pick(name, default):
            v = getattr(o, name, None) if o is not None else None
            return default if v is None else v

        berths = int(pick("berths", p.berths.value))
        cranes = int(pick("cranes_per_call", p.cranes_per_call.value))
        mph = float(pick("crane_moves_per_hour", p.crane_moves_per_hour.value))
        fixed = float(pick("call_fixed_hours", self.s.operations.call_fixed_hours
                           if self.s.operations.call_fixed_hours is not None else ops["call_fixed_hours"].value))
        ref_moves = float(catalogue.vessel_classes()[REFERENCE_VESSEL].moves_per_call.value)
        service = (ref_moves / (cranes * mph) + fixed) / 24.0
        override = pick("berth_wait_days", None)
        if override is not None:
            wait = _dist(override)
            rho = utilisation_for_wait(berths, wait.mean, service)
        else:
            rho = utilisation_for_wait(berths, float(p.anchorage_wait_days.value), service)
            wait = mmc_wait_distribution(berths, rho, service)
        params = PortParams(
            code=code,
            name=p.name,
            country=p.country,
            berths=berths,
            cranes_per_call=cranes,
            crane_moves_per_hour=mph,
            berth_wait_days=wait,
            call_fixed_hours=fixed,
            export_cutoff_days=_dist(pick("export_cutoff_days", self.s.operations.export_cutoff_days),
                                     ops["export_cutoff_days"].value),
            import_dwell_days=_dist(pick("import_dwell_days", self.s.operations.import_dwell_days),
                                    ops["import_dwell_days"].value),
            reference_service_days=service,
            utilisation=rho,
        )
        self.ports[code] = params
        return params

    def vessel(self, vid: str) -> VesselParams:
        if vid in self.vessels:
            return self.vessels[vid]
        spec = self.s.vessels.get(vid)
        base_id = vid if vid in catalogue.vessel_classes() else (spec.base if spec else None)
        base = catalogue.vessel_classes().get(base_id) if base_id else None

        def pick(name):
            v = getattr(spec, name, None) if spec is not None else None
            if v is None and base is not None:
                v = getattr(base, name).value
            return v

        charter = self.s.costs.charter_usd_per_day.get(vid)
        if charter is None:
            charter = pick("charter_usd_per_day")
        teu = pick("teu")
        moves = pick("moves_per_call")
        if moves is None:  # a new class without a base: scale the catalogue's moves per TEU
            ref = catalogue.vessel_classes()["neopanamax_14000"]
            moves = ref.moves_per_call.value / ref.teu.value * teu
        aux = pick("aux_fuel_t_per_day")
        port_fuel = pick("port_fuel_t_per_day")
        params = VesselParams(
            id=vid,
            teu=float(teu),
            design_speed_kn=float(pick("design_speed_kn")),
            design_fuel_t_per_day=float(pick("design_fuel_t_per_day")),
            aux_fuel_t_per_day=float(aux if aux is not None else 0.0),
            port_fuel_t_per_day=float(port_fuel if port_fuel is not None else 0.0),
            charter_usd_per_day=_dist(charter if charter is not None else 0.0),
            moves_per_call=float(moves),
        )
        self.vessels[vid] = params
        return params

    def _chokepoint(self, name: str) -> ChokepointParams:
        c = catalogue.chokepoints()[name]
        o = self.s.chokepoints.get(name)
        booked = True if o is None or o.booked is None else bool(o.booked)
        fig = c.booked_wait_days if booked else c.normal_wait_days
        default_wait = _exp(float(fig.value)) if fig is not None else Constant(0.0)
        wait = o.wait_days if o is not None and o.wait_days is not None else default_wait
        cap = o.capacity_per_day if o is not None and o.capacity_per_day is not None else (
            float(c.capacity_per_day.value) if c.capacity_per_day is not None else None)
        share = o.booked_share if o is not None and o.booked_share is not None else (
            float(c.booked_share.value) if c.booked_share is not None else None)
        hours = o.transit_hours if o is not None and o.transit_hours is not None else float(c.transit_hours.value)
        toll = self.s.costs.canal_toll_usd.get(name)
        if toll is None and o is not None:
            toll = o.toll_usd
        rho = 0.0
        if cap is not None and cap >= 1 and c.normal_wait_days is not None:
            rho = utilisation_for_wait(int(round(cap)), float(c.normal_wait_days.value), 1.0)
        unbooked = _exp(float(c.normal_wait_days.value)) if c.normal_wait_days is not None else wait
        return ChokepointParams(name, c.kind, float(hours), cap, booked, wait, unbooked, share, toll, rho)

    # -------------------------------------------------------------- routes
    def _route(self, rname: str, spec: RouteSpec, ops: Operations) -> RoutePlan:
        cargo = self._cargo(spec)
        legs: list[Leg] = []
        segments: list[Segment] = []
        path: list[tuple[float, float]] = []
        first = self.port(spec.origin)
        if spec.overland is not None:
            legs.append(Leg("overland", spec.overland.start, 0))
        legs.append(Leg("origin_dwell", first.code, 0))
        seg_specs = spec.resolved_segments()
        start = spec.origin
        for i, seg in enumerate(seg_specs):
            end = seg.to or spec.destination
            segment, seg_legs, seg_path = self._segment(rname, i, seg, start, end, spec)
            if i == 0:
                legs.append(Leg("first_sailing", start, 0, headway_days=segment.headway_days))
            else:
                legs.append(Leg("transshipment", start, i, headway_days=segment.headway_days))
            legs.extend(seg_legs)
            segments.append(segment)
            path.extend(seg_path)
            start = end
        legs.append(Leg("destination_dwell", spec.destination, len(seg_specs) - 1))
        o = spec.overland
        return RoutePlan(
            name=rname,
            origin=spec.origin,
            destination=spec.destination,
            description=spec.description,
            cargo=cargo,
            segments=tuple(segments),
            legs=tuple(legs),
            overland_days=o.days if o else None,
            overland_usd_per_teu=o.usd_per_teu if o else None,
            overland_co2_t_per_teu=o.co2_t_per_teu if o else None,
            overland_assumption=o.assumption if o else "",
            path=tuple(path),
        )

    def _segment(self, rname, i, seg: SegmentSpec, start: str, end: str, route: RouteSpec):
        svc_spec = self.s.services.get(seg.service) if seg.service else None
        svc_cat = catalogue.services().get(seg.service) if seg.service else None

        def svc(name):
            v = getattr(svc_spec, name, None) if svc_spec is not None else None
            if v is None and svc_cat is not None:
                v = getattr(svc_cat, name, None)
                v = v.value if isinstance(v, catalogue.Figure) else v
            return v

        vessel_id = seg.vessel or svc("vessel")
        if vessel_id is None:
            raise ScenarioError([f"segment {i}: no vessel class"])
        vessel = self.vessel(vessel_id)
        speed = seg.speed_kn or svc("speed_kn")
        if speed is None:
            base = catalogue.vessel_classes().get(vessel_id)
            speed = base.service_speed_kn.value if base is not None else vessel.design_speed_kn
        headway = seg.headway_days or svc("headway_days") or 7.0
        util = (svc_spec.utilisation if svc_spec is not None and svc_spec.utilisation is not None
                else self.s.costs.vessel_utilisation if self.s.costs.vessel_utilisation is not None
                else float(self.cost_defaults["vessel_utilisation"].value))
        if seg.service:
            rotation = list(svc("rotation"))
            calls = _calls_on_rotation(rotation, start, end)
            avoid = set(route.avoid) | set(seg.avoid) | set(svc("avoid") or ())
            service_id = seg.service
        else:
            calls = [start, *seg.via, end]
            avoid = set(route.avoid) | set(seg.avoid)
            service_id = f"{rname}#{i}"
        legs: list[Leg] = []
        chokes: list[str] = []
        total = 0.0
        path: list[tuple[float, float]] = []
        for j, (a, b) in enumerate(zip(calls, calls[1:])):
            passage = self._passage(a, b, avoid, vessel)
            total += passage.distance_nm
            path.extend(passage.coords)
            for piece in split_at_canals(passage, self.chokepoints, speed):
                if piece[0] == "sail":
                    _, dist_nm, passed = piece
                    legs.append(Leg("sail", f"{a}>{b}", i, distance_nm=dist_nm, speed_kn=float(speed),
                                    chokepoints=passed))
                    chokes += [c for c in passed if c not in chokes]
                else:
                    _, cname = piece
                    legs.append(Leg("canal", cname, i, chokepoints=(cname,)))
                    if cname not in chokes:
                        chokes.append(cname)
            if b != end:
                legs.append(Leg("port_call", b, i))
                self.port(b)
        self.port(start)
        self.port(end)
        segment = Segment(i, service_id, vessel, float(speed), float(headway), float(util), tuple(calls),
                          total, tuple(chokes))
        return segment, legs, path

    def _passage(self, a: str, b: str, avoid: set[str], vessel: VesselParams):
        try:
            route = self.net.route(a, b, avoid=tuple(sorted(avoid)), vessel_teu=vessel.teu)
        except NoRouteError as exc:
            # the network says "no sea route from X Name to Y Name with ... closed; ...": keep the why
            why = re.sub(r"^no sea route from .*? to .*? (?=with )", "", str(exc))
            raise ScenarioError([f"no sea route {a} -> {b} for {vessel.id} ({vessel.teu:,.0f} TEU) {why}"]) from None
        for cname in route.chokepoints:
            c = catalogue.chokepoints().get(cname)
            if c is not None and c.max_vessel_teu is not None and vessel.teu > float(c.max_vessel_teu.value):
                raise ScenarioError([
                    f"{a} -> {b} passes {cname}, which takes ships up to {c.max_vessel_teu.value:,} TEU; "
                    f"vessel class {vessel.id} carries {vessel.teu:,.0f} TEU (choose a smaller class or avoid {cname})"])
        return route

    def _cargo(self, spec: RouteSpec) -> CargoParams:
        base = self.s.cargo
        patch = spec.cargo.model_dump(exclude_none=True) if spec.cargo is not None else {}
        merged = base.model_copy(update=patch)
        com = catalogue.commodities()[merged.commodity]
        kind = merged.kind or com.kind
        value = merged.value_usd if merged.value_usd is not None else Constant(
            float(com.value_usd_per_teu.value) * merged.teu)
        shelf = merged.shelf_life_days
        if shelf is None and com.shelf_life_days is not None:
            shelf = _dist(com.shelf_life_days.value)
        if spec.overland is not None:
            origin_country = merged.origin_country or spec.overland.country
        else:
            origin_country = merged.origin_country or catalogue.ports()[spec.origin].country
        importer = catalogue.ports()[spec.destination].country
        if self.s.costs.tariff_rate is not None:
            rate = float(self.s.costs.tariff_rate)
        else:
            from .costs import tariff_rate

            on = self.s.costs.tariff_date
            try:
                rate = float(tariff_rate(importer, merged.commodity, origin_country, on=on))
            except (KeyError, LookupError, RoutesimError):
                rate = 0.0
        return CargoParams(merged.commodity, kind == "reefer", float(merged.teu), value, shelf,
                           origin_country, importer, rate)

    def _window(self, d) -> Window:
        return Window(d.kind, d.where, float(d.from_day), float(d.to_day),
                      float(d.factor) if d.factor is not None else (0.0 if d.kind == "closure" else 1.0),
                      d.extra_days)


# ---------------------------------------------------------------- helpers
def _exp(mean: float) -> Distribution:
    return Exponential(mean) if mean > 0 else Constant(0.0)


def mmc_wait_distribution(c: int, rho: float, service: float) -> Distribution:
    """The exact M/M/c waiting time (days): 0 with probability 1 - C, else exponential.

    ``late(p=C(c, a), delay=exponential(mean=service / (c (1 - rho))))`` with
    ``a = c rho``; its mean is the M/M/c mean wait.

    >>> d = mmc_wait_distribution(4, 0.8, 1.0)
    >>> round(d.mean, 4)
    0.7455
    """
    if rho <= 0:
        return Constant(0.0)
    p = erlang_c(c, c * rho)
    return Late(p, Exponential(service / (c * (1.0 - rho))))


def _calls_on_rotation(rotation: list[str], start: str, end: str) -> list[str]:
    """Calls from ``start`` to ``end`` following the (cyclic) rotation, fewest calls first.

    >>> _calls_on_rotation(["A", "B", "C", "D"], "C", "B")
    ['C', 'D', 'A', 'B']
    >>> _calls_on_rotation(["A", "B", "C", "B"], "A", "B")
    ['A', 'B']
    """
    n = len(rotation)
    best: list[str] | None = None
    for i, port in enumerate(rotation):
        if port != start:
            continue
        for step in range(1, n + 1):
            nxt = rotation[(i + step) % n]
            if nxt == end:
                calls = [rotation[(i + k) % n] for k in range(step + 1)]
                if best is None or len(calls) < len(best):
                    best = calls
                break
            if nxt == start:
                break
    if best is None:
        raise UnknownNameError(f"rotation {', '.join(rotation)} does not run from {start} to {end}")
    return best


def split_at_canals(passage, chokepoints: dict[str, ChokepointParams], speed_kn: float):
    """Split a sea passage into ('sail', nm, passed) and ('canal', name) pieces in order.

    Canal lanes (chokepoints of kind ``canal``) become a canal leg; the
    distance of the canal lane itself is left in the sailing.
    """
    pieces: list = []
    run = 0.0
    passed: list[str] = []
    for lane in passage.legs:
        dist, choke = _lane(lane)
        run += dist
        if choke and choke not in passed:
            passed.append(choke)
        cp = chokepoints.get(choke) if choke else None
        if cp is not None and cp.kind == "canal":
            pieces.append(("sail", run, tuple(passed)))
            pieces.append(("canal", choke))
            run, passed = 0.0, []
    if run > 0 or not pieces:
        pieces.append(("sail", run, tuple(passed)))
    return [p for p in pieces if p[0] != "sail" or p[1] > 0]


def _lane(lane) -> tuple[float, str | None]:
    """(distance_nm, chokepoint) of a lane record, whatever its shape."""
    if hasattr(lane, "distance_nm"):
        return float(lane.distance_nm), getattr(lane, "chokepoint", None)
    if isinstance(lane, dict):
        return float(lane["distance_nm"]), lane.get("chokepoint")
    return float(lane[2]), lane[3]
