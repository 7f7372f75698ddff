"""Compile a Scenario into a Plan: every figure resolved, every passage routed.

The compiler is the only place where the scenario and the catalogue meet: it reads each
figure from the scenario, falls back on the catalogue's default (``data/*.yaml``, every one
with its source), routes every sea passage over the
:class:`~routesim.network.PortNetwork`, and stores the result in the frozen records of
:mod:`routesim.plan.records`. It compiles every port and passage of every service rotation
a route uses, so an engine never needs to look anything up.

>>> from routesim.scenario import Scenario
>>> s = Scenario.from_dict({"name": "d", "routes": {"direct": {
...     "origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}}})
>>> plan = compile_plan(s)
>>> [leg.kind for leg in plan.routes["direct"].legs]
['origin_dwell', 'first_sailing', 'sail', 'destination_dwell']
>>> round(plan.routes["direct"].sea_distance_nm)
9371
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from .. import catalogue
from .. import costs as cm
from ..distributions import Constant, Distribution, Exponential, Late
from ..errors import DataError, NoRouteError, RoutesimError, ScenarioError
from ..queueing import erlang_c
from ..scenario.ownports import own_ports
from .records import (
    ChokepointParams,
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
from ..catalogue import carrier as cat_carrier
from .carbon import carbon_params, plug_grid, stretch_shares
from .freight import freight_plan
from .frozen import Track
from .fuels import fuel_params
from .passages import chokepoint_params
from .perishables import plug_queue
from .voyages import RoundVoyage, leg_directions, loop_trade, round_voyage
from .resolve import cargo_params, cost_params, operations_params, port_params, vessel_params
from .tramp import is_tramp, tramp_route
from .schedule import calls_on_rotation, sailing_days, scheduled_call_days, scheduled_canal_days, split_at_canals
from .responses import SWITCHES, response_params
from .rounds import WayRound, way_round

__all__ = ["compile_plan", "REFERENCE_VESSEL", "ENGINE_ONLY", "mmc_wait_distribution"]


REFERENCE_VESSEL = "post_panamax_8500"
"""Vessel class whose call stands for a typical deep-sea call when a port's utilisation is
inferred from its mean wait (the Asia-WCSA ACSA3 average ship, 8,700 TEU); its service speed
prices detours round a canal."""


ENGINE_ONLY: dict[str, tuple[str, str]] = {
    "routes.*.demand_teu_per_week": (
        "des", "its shipments travel alone: no vessel slots, no rolled cargo (use the discrete-event engine)"),
    "chokepoints.*.booked_share": (
        "des", "a booked ship loses its slot in a capacity cut with probability 1 - capacity/demand, "
               "whatever the share of ships that book"),
    **{f"des.responses.{k}": ("des", "its shipments travel alone on fixed schedules: carriers do not respond to "
                                     "trouble (use the discrete-event engine)") for k in SWITCHES if k != "reroute"},
}
"""Inputs only one engine uses: ``field pattern -> (engine, what the other does instead)``.

Every other number, distribution and flag of a scenario moves both engines' results
(``tests/test_inputs_honoured.py`` checks each one); an engine run on a scenario that sets
one of these warns, naming the field.
"""


def compile_plan(scenario, network=None) -> Plan:
    """Resolve ``scenario`` against the catalogue and ``network`` (the default network if None).

    The scenario's own ports (:mod:`routesim.scenario.ownports`) are joined to a copy of
    ``network`` for this plan only. Raises :class:`~routesim.errors.ScenarioError` naming the
    route and field when a route cannot be built (e.g. a closed passage disconnects two calls).
    """
    if network is None:
        from ..network import PortNetwork

        network = PortNetwork.default()
    own = own_ports(scenario)
    new = {c: p for c, p in own.items() if c not in network.ports}
    if new:  # the scenario's own ports joined to a copy of the network (the cached one is not changed)
        try:
            network = network.with_ports(new)
        except DataError as exc:
            raise ScenarioError([f"{scenario.where('ports')}: ports: {exc}"]) from None
    return _Compiler(scenario, network, own).build()


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


class _Compiler:
    def __init__(self, scenario, network, own: dict):
        self.s = scenario
        self.net = network
        self.problems: list[str] = []
        self.ports: dict[str, PortParams] = {}
        self.vessels: dict[str, VesselParams] = {}
        self.services: dict[str, ServicePlan] = {}
        self.chokepoints: dict[str, ChokepointParams] = {}
        self.voyages: dict = {}
        self.cuts: list[Window] = []
        """Capacity cuts implied by capacities below the catalogue's (see :meth:`_chokepoint`)."""
        self.ref = catalogue.vessel_classes()[REFERENCE_VESSEL]
        self.carbon = carbon_params(scenario)
        self.reroute = response_params(scenario.des.responses).reroute
        """Whether carriers re-route round a canal (both engines: the Plan carries each way round)."""
        self.catalogue_ports = {**catalogue.ports(), **own} if own else catalogue.ports()
        """Every port a route may call at: the catalogue's and the scenario's own."""

    # -------------------------------------------------------------- top level
    def build(self) -> Plan:
        s = self.s
        ops = operations_params(s.operations)
        for name in catalogue.chokepoints():
            self.chokepoints[name] = chokepoint_params(s, name, self.cuts)
        routes: dict[str, RoutePlan] = {}
        for rname, spec in s.routes.items():
            try:
                routes[rname] = self._route(rname, spec, ops)
            except RoutesimError as exc:
                msg = "; ".join(getattr(exc, "issues", None) or [str(exc)])
                self.problems.append(f"{s.where('routes', rname)}: routes.{rname}: {msg}")
        if self.problems:
            raise ScenarioError(self.problems)
        for svc in self.services.values():
            for code in svc.rotation:
                self.port(code)
        windows = tuple(self._window(i, d) for i, d in enumerate(s.disruptions)) + tuple(self.cuts)
        engine_only = tuple((f"routes.{r}.demand_teu_per_week", *ENGINE_ONLY["routes.*.demand_teu_per_week"])
                            for r, spec in s.routes.items() if spec.demand_teu_per_week is not None)
        engine_only += tuple((f"chokepoints.{c}.booked_share", *ENGINE_ONLY["chokepoints.*.booked_share"])
                             for c, o in s.chokepoints.items() if o.booked_share is not None)
        engine_only += tuple((f"des.responses.{k}", *ENGINE_ONLY[f"des.responses.{k}"])
                             for k in SWITCHES if k in s.des.responses.model_fields_set and k != "reroute")
        options = RunOptions(
            seed=int(s.seed), horizon_days=float(s.horizon_days), replications=int(s.replications),
            chunk_size=int(s.montecarlo.chunk_size), threads=int(s.montecarlo.threads),
            keep_shipments=s.montecarlo.keep_shipments, des_replications=int(s.des.replications),
            warmup_days=float(s.des.warmup_days), independent_sailings=bool(s.des.independent_sailings),
            des_workers=s.des.workers, responses=response_params(s.des.responses))
        return Plan(s.name, FrozenMap(routes), FrozenMap(self.ports), FrozenMap(self.chokepoints),
                    FrozenMap(self.services), ops, cost_params(s.costs), options, windows, engine_only,
                    float(self.ref.service_speed_kn.value), carbon=self.carbon, network=self.net)

    # -------------------------------------------------------------- records
    def port(self, code: str) -> PortParams:
        if code not in self.ports:
            self.ports[code] = port_params(self.catalogue_ports[code], self.s.ports.get(code), self.s.operations,
                                           float(self.ref.moves_per_call.value), mmc_wait_distribution)
        return self.ports[code]

    def vessel(self, vid: str) -> VesselParams:
        if vid not in self.vessels:
            self.vessels[vid] = vessel_params(vid, self.s.vessels.get(vid), self.s.costs.charter_usd_per_day.get(vid))
        return self.vessels[vid]

    def _window(self, i: int, d) -> Window:
        """Disruption ``i`` on the study clock; an open-ended window lasts to the end of the study
        (``horizon_days``), and one that starts after it is an error."""
        horizon = float(self.s.horizon_days)
        if d.from_day >= horizon:
            raise ScenarioError([f"{self.s.where('disruptions', i, 'from_day')}: disruptions[{i}].from_day: day "
                                 f"{d.from_day:g} is not in the study window (0 to horizon_days {horizon:g})"])
        end = d.to_day if d.days is not None else horizon
        return Window(d.kind, d.where, float(d.from_day), float(end),
                      float(d.factor) if d.factor is not None else (0.0 if d.kind == "closure" else 1.0),
                      d.extra_days)

    # -------------------------------------------------------------- routes
    def _route(self, rname: str, spec, ops: Operations) -> RoutePlan:
        if is_tramp(self.s, spec):  # a bulk or roro parcel on a tramp ship (routesim.plan.tramp)
            return tramp_route(self, rname, spec, ops)
        cargo = cargo_params(self.s, spec, self.catalogue_ports)
        parcel = [k for k in ("tonnes", "vehicles") if spec.cargo is not None and getattr(spec.cargo, k) is not None]
        if parcel:
            raise ScenarioError([f"cargo.{parcel[0]}: counts a bulk or roro parcel on a tramp voyage; this route "
                                 f"carries {cargo.kind} containers (give cargo.teu, or a tramp vessel and kind)"])
        legs: list[Leg] = []
        segments: list[Segment] = []
        path: list = []  # the passages sailed, whose coords make the route's Track
        first = self.port(spec.origin)
        if spec.overland is not None:
            legs.append(Leg("overland", spec.overland.start, 0))
        legs.append(Leg("origin_dwell", first.code, 0))
        if spec.via and spec.segments is None and spec.transship_at:
            raise ScenarioError(["via with transship_at: say which stretch calls there by giving segments, "
                                 "each with its own via"])
        seg_specs = spec.resolved_segments()
        start = spec.origin
        for i, seg in enumerate(seg_specs):
            end = seg.to or spec.destination
            segment, seg_legs, seg_path = self._segment(rname, i, seg, start, end, spec, ops)
            kind = "first_sailing" if i == 0 else "transshipment"
            legs.append(Leg(kind, start, i, headway_days=segment.headway_days))
            legs.extend(seg_legs)
            segments.append(segment)
            path.extend(seg_path)
            start = end
        legs.append(Leg("destination_dwell", spec.destination, len(seg_specs) - 1))
        rounds = self._rounds(legs, segments, ops) if self.reroute else ()
        o = spec.overland
        # a reefer box holds its plug from gate-in to loading: the export cut-off and, on average,
        # half the first service's headway
        holding = first.export_cutoff_days.mean + segments[0].headway_days / 2.0
        plugs = plug_queue(self.s, rname, spec, cargo, holding, -int(math.ceil(self.s.des.warmup_days)) - 7,
                           int(math.ceil(self.s.horizon_days)) + 7)
        grid = (plug_grid(first.country, [self.ports[g.calls[0]].country for g in segments[1:]],
                          self.ports[spec.destination].country) if cargo.reefer else None)
        return RoutePlan(
            name=rname, origin=spec.origin, destination=spec.destination, description=spec.description, plug_grid=grid,
            cargo=cargo, segments=tuple(segments), legs=tuple(legs),
            overland_days=o.days if o else None, overland_usd_per_teu=o.usd_per_teu if o else None,
            overland_co2_t_per_teu=o.co2_t_per_teu if o else None, overland_assumption=o.assumption if o else "",
            path=Track(path), demand_teu_per_week=spec.demand_teu_per_week,
            freight=freight_plan(self.s, rname, spec, cargo.reefer, self.catalogue_ports), plug_queue=plugs,
            rounds=rounds)

    def _service(self, seg, rname: str, i: int):
        """(service id, rotation, avoid, figure lookup) of a segment's service: the scenario's or
        the catalogue's; a stretch without a service is a pendulum between its own calls."""
        if not seg.service:
            return f"{rname}#{i}", None, (), lambda name: None
        svc_spec = self.s.services.get(seg.service)
        svc_cat = catalogue.services().get(seg.service)

        def svc(name):
            v = getattr(svc_spec, name, None) if svc_spec is not None else None
            if v is None and svc_cat is not None:
                v = getattr(svc_cat, name, None)
                v = v.value if isinstance(v, catalogue.Figure) else v
            return v

        return seg.service, tuple(svc("rotation")), tuple(svc("avoid") or ()), svc

    def _segment(self, rname, i, seg, start: str, end: str, route, ops: Operations):
        service_id, rotation, svc_avoid, svc = self._service(seg, rname, i)
        vessel_id = seg.vessel or svc("vessel")
        if vessel_id is None:
            raise ScenarioError([f"segment {i}: no vessel class"])
        vessel = self.vessel(vessel_id)
        moves = svc("moves_per_call")
        if moves is not None and float(moves) != vessel.moves_per_call:
            vessel = replace(vessel, moves_per_call=float(moves))
        fuel = svc("fuel")
        if fuel is not None and fuel != vessel.fuel.id:
            vessel = replace(vessel, fuel=fuel_params(fuel, f"services.{service_id}.fuel"))
        speed = seg.speed_kn or svc("speed_kn") or vessel.service_speed_kn
        headway = seg.headway_days or svc("headway_days") or 7.0
        svc_spec = self.s.services.get(seg.service) if seg.service else None
        override = (svc_spec.utilisation if svc_spec is not None and svc_spec.utilisation is not None
                    else self.s.costs.vessel_utilisation)
        if rotation is not None:
            calls = calls_on_rotation(list(rotation), start, end)
            off = [v for v in seg.via if v not in calls[1:-1]]
            if off:
                raise ScenarioError([f"via {', '.join(off)}: service {service_id} does not call there between "
                                     f"{start} and {end} (it calls {', '.join(calls)}); give a segment of its own"])
        else:
            calls = [start, *seg.via, end]
            rotation = tuple(calls)
        avoid = tuple(sorted(set(route.avoid) | set(seg.avoid) | set(svc_avoid)))
        if service_id not in self.services:
            self.services[service_id] = ServicePlan(service_id, rotation, tuple(svc_avoid))
        legs, chokes, total, path = self._passages(i, calls, end, avoid, vessel, float(speed))
        self.port(start)
        self.port(end)
        voyage = self._voyage(service_id, rotation, avoid, vessel, float(speed), override, ops)
        direction = leg_directions([self._region(start), self._region(end)])[0]
        util = (voyage.headhaul_share if direction > 0 else voyage.backhaul_share if direction < 0
                else (voyage.headhaul_share + voyage.backhaul_share) / 2)
        sched = self._schedule(legs, vessel, ops)
        me = float(cm.main_engine_fuel_t_per_day(float(speed), vessel.design_speed_kn, vessel.design_fuel_t_per_day))
        segment = Segment(i, service_id, vessel, float(speed), float(headway), float(util), tuple(calls),
                          total, tuple(chokes), avoid, sched, me, voyage=voyage, direction=direction,
                          discharge_call_days=scheduled_call_days(self.ports[end], vessel.moves_per_call),
                          shares=stretch_shares(self.ports[start].country, self.ports[end].country, self.carbon.year))
        return segment, legs, path

    def _region(self, code: str) -> str:
        return cat_carrier.region_of(code, self.ports[code].country)

    def _voyage(self, service_id, rotation, avoid, vessel: VesselParams, speed: float, override, ops) -> RoundVoyage:
        """The round voyage of a service (cached per service, ship, speed and closed passages)."""
        key = (service_id, vessel, speed, avoid, override)
        if key in self.voyages:
            return self.voyages[key]
        for code in rotation:
            self.port(code)
        regions = [self._region(c) for c in rotation]
        trade = loop_trade(regions, cat_carrier.trades())
        shares = (float(override), float(override)) if override is not None else cat_carrier.utilisation(trade)
        gt, loa = vessel.gt, vessel.loa_m
        if gt is None or loa is None:
            if self.s.costs.port_call_usd is None:
                raise ScenarioError([f"vessels.{vessel.id}: no gross tonnage and length (gt, loa_m) for its "
                                     f"port-call charges: give them, a base class, or costs.port_call_usd"])
            gt, loa = 0.0, 0.0

        def tolls(name, loaded, empty):
            cp = self.chokepoints[name]
            if cp.toll_usd is not None:
                return cp.toll_usd
            return float(cm.canal_toll_usd(catalogue.chokepoints()[name].toll, vessel.teu, loaded, empty))

        voyage = round_voyage(service_id, rotation, passage=lambda a, b: self._passage(a, b, avoid, vessel),
                              ports=self.ports, chokepoints=self.chokepoints, vessel=vessel, speed_kn=speed,
                              weather=ops.weather_factor.mean, regions=regions, trade=trade, shares=shares,
                              gt=gt, loa_m=loa, tolls=tolls)
        self.voyages[key] = voyage
        return voyage

    def _passages(self, i, calls, end, avoid, vessel, speed):
        legs: list[Leg] = []
        chokes: list[str] = []
        total = 0.0
        path: list = []  # the passages (their coords are read when a map asks: plan.frozen.Track)
        for a, b in zip(calls, calls[1:]):
            passage = self._passage(a, b, avoid, vessel)
            total += passage.distance_nm
            path.append(passage)
            for leg in self._passage_legs(i, a, b, passage, speed):
                legs.append(leg)
                chokes += [c for c in leg.chokepoints if c not in chokes]
            if b != end:
                legs.append(Leg("port_call", b, i))
                self.port(b)
        return legs, chokes, total, path

    def _passage_legs(self, i: int, a: str, b: str, passage, speed: float) -> list[Leg]:
        """The legs of the sea route ``passage`` from ``a`` to ``b`` on segment ``i``: sailings and canals."""
        legs = []
        for piece in split_at_canals(passage, self.chokepoints):
            if piece[0] == "sail":
                _, dist_nm, passed = piece
                legs.append(Leg("sail", f"{a}>{b}", i, distance_nm=dist_nm, speed_kn=speed, chokepoints=passed))
            else:
                legs.append(Leg("canal", piece[1], i, chokepoints=(piece[1],)))
        return legs

    def _rounds(self, legs: list[Leg], segments: list[Segment], ops: Operations) -> tuple[WayRound, ...]:
        """The way round the (first) canal of every passage of a route that goes through one."""
        out = []
        j = 0
        while j < len(legs):
            leg = legs[j]
            if leg.kind != "sail":
                j += 1
                continue
            k = j
            while k + 1 < len(legs) and legs[k + 1].kind in ("sail", "canal") and legs[k + 1].segment == leg.segment \
                    and (legs[k + 1].kind == "canal" or legs[k + 1].place == leg.place):
                k += 1
            canal = next((x.place for x in legs[j:k + 1] if x.kind == "canal"), None)
            if canal is not None:
                seg = segments[leg.segment]
                a, b = leg.place.split(">")
                alt = way_round(self.net, a, b, canal, seg.avoid, seg.vessel.teu)
                if alt is not None:
                    alt_legs = tuple(self._passage_legs(leg.segment, a, b, alt, seg.speed_kn))
                    extra = self._schedule(alt_legs, seg.vessel, ops) - self._schedule(legs[j:k + 1], seg.vessel, ops)
                    out.append(WayRound(j, k, canal, leg.segment, alt_legs, extra))
            j = k + 1
        return tuple(out)

    def _schedule(self, legs, vessel: VesselParams, ops: Operations) -> float:
        """Pro-forma days of a stretch: sailing at mean weather, calls and canal transits."""
        weather = ops.weather_factor.mean
        sched = 0.0
        for leg in legs:
            if leg.kind == "sail":
                sched += sailing_days(leg.distance_nm, leg.speed_kn, weather)
            elif leg.kind == "port_call":
                sched += scheduled_call_days(self.ports[leg.place], vessel.moves_per_call)
            else:
                sched += scheduled_canal_days(self.chokepoints[leg.place])
        return sched

    def _passage(self, a: str, b: str, avoid, vessel: VesselParams):
        try:
            route = self.net.route(a, b, avoid=avoid, vessel_teu=vessel.teu)
        except NoRouteError as exc:
            # the network says "no sea route from X Name to Y Name with ... closed; ...": keep the why
            why = re.sub(r"^no sea route from .*? to .*? (?=with )", "", str(exc))
            raise ScenarioError([f"no sea route {a} -> {b} for {vessel.id} ({vessel.teu:,.0f} TEU) {why}"]) from None
        for cname in route.chokepoints:
            cp = self.chokepoints.get(cname)
            if cp is not None and cp.max_vessel_teu is not None and vessel.teu > cp.max_vessel_teu:
                raise ScenarioError([
                    f"{a} -> {b} passes {cname}, which takes ships up to {cp.max_vessel_teu:,.0f} TEU; "
                    f"vessel class {vessel.id} carries {vessel.teu:,.0f} TEU (choose a smaller class or avoid {cname})"])
        return route
