"""Liner services as the discrete-event engine sees them: rotations, pro-forma schedules, fleets.

A route's segment names a service (or, for the shorthand ``vessel`` +
``headway_days``, an ad-hoc pendulum between its calls). The engine needs
the service's *whole* rotation, not just the stretch the route uses: its
vessels sail every leg of it, call at every port and compete for berths
there. :func:`build_services` compiles each service once per run:

* the rotation, turned so that it starts at the port where the first route
  using it loads (a round voyage is counted from there; the service's
  schedule lateness is drawn for each round voyage at that port, as the Monte
  Carlo engine draws it for each sailing at the load port);
* every passage between consecutive calls, routed over the same sea network
  and with the same chokepoints avoided as the Plan's legs, split at canals;
* the **pro-forma schedule**: the expected time of every sea leg (distance /
  speed x mean weather factor), call (mean berth wait + handling of the
  class's moves per call) and canal passage (mean wait + locks time),
  exactly the figures the Monte Carlo engine calls "scheduled";
* the **fleet**: ``ceil((round voyage + expected lateness) / headway)``
  vessels. The pro-forma allows for the mean of ``operations.lateness_days``
  as schedule buffer: a vessel held by its lateness draw is a vessel the
  service cannot use, and without the allowance the fleet falls ever further
  behind (a round voyage would need more vessel-days than the headway gives).
  The slack ``vessels x headway - round voyage`` waits at the start port;
* the slots the scenario's cargo may use on each sailing (see
  :attr:`ServiceModel.cargo_slots_teu`).

Services are keyed by (service, vessel class, speed, headway, chokepoints
avoided): two routes on the same service share its vessels, and their cargo
competes for the same slots.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...errors import NoRouteError, ScenarioError
from ...plan import Plan, VesselParams
from ...plan.rounds import way_round
from ...plan.schedule import (rotation_index, sailing_days, scheduled_call_days, scheduled_canal_days,
                              split_at_canals)

__all__ = ["ServiceModel", "SegmentRef", "build_services", "Piece"]


@dataclass(frozen=True)
class Piece:
    """One piece of a passage between two calls: a sea stretch or a canal."""

    kind: str
    """``"sail"`` or ``"canal"``."""
    distance_nm: float = 0.0
    chokepoints: tuple[str, ...] = ()
    """Chokepoints passed on a sea stretch; the canal's name for a canal piece."""
    lane: str = ""
    """``A>B`` label of the passage (for the event log)."""


@dataclass
class ServiceModel:
    """A service compiled for the discrete-event engine (times in days)."""

    key: tuple
    name: str
    """Display name (the service id; ``#2`` appended when two variants of one service run)."""
    vessel: VesselParams
    speed_kn: float
    headway_days: float
    utilisation: float
    calls: tuple[str, ...]
    """Ports of one round voyage, starting at the voyage's start port."""
    passages: tuple[tuple[Piece, ...], ...] = ()
    """``passages[i]``: from ``calls[i]`` to ``calls[i + 1]`` (the last one back to ``calls[0]``)."""
    call_days: tuple[float, ...] = ()
    """Expected time at each call: mean berth wait + handling (days)."""
    passage_days: tuple[float, ...] = ()
    """Expected time of each passage: sailing at mean weather + canal waits and locks (days)."""
    arrival_offset: tuple[float, ...] = ()
    """Scheduled arrival at each call after the voyage's scheduled arrival at ``calls[0]`` (days)."""
    departure_offset: tuple[float, ...] = ()
    round_voyage_days: float = 0.0
    """Expected round voyage: every call and passage of :attr:`calls` (days)."""
    lateness_allowance_days: float = 0.0
    """Schedule buffer planned for lateness: the mean of ``operations.lateness_days`` (days)."""
    vessels: int = 1
    cargo_slots_teu: float = 0.0
    """TEU of each sailing open to the scenario's cargo (see :func:`build_services`)."""
    expected_cargo_teu: float = 0.0
    """Scenario cargo expected per sailing (TEU), from the routes' mean weekly demand."""
    laytime_days: tuple[float, ...] = ()
    """A tramp ship's days loading or discharging its parcel at each call (empty for a liner)."""
    way_round: tuple[tuple[Piece, ...] | None, ...] = ()
    """``way_round[i]``: passage ``i`` avoiding its first canal (None when it has none, or no way round)."""
    way_round_days: tuple[float, ...] = ()
    """Expected time of each way round, as :attr:`passage_days` (``inf`` where there is none)."""

    @property
    def buffer_days(self) -> float:
        """Schedule buffer at the start port: vessels x headway - round voyage (days)."""
        return self.vessels * self.headway_days - self.round_voyage_days

    def call_index(self, calls: tuple[str, ...]) -> int:
        """Index in :attr:`calls` where the stretch ``calls`` (a route segment's calls) starts."""
        return rotation_index(self.calls, calls)


@dataclass(frozen=True)
class SegmentRef:
    """Where one segment of one route runs: a service and its load and discharge call indices."""

    service: tuple
    load: int
    discharge: int
    wraps: bool
    """True when the stretch passes the service's start port (discharge index < load index)."""


@dataclass
class _Draft:
    key: tuple
    service_id: str
    vessel: VesselParams
    speed_kn: float
    headway_days: float
    utilisation: float
    rotation: list[str]
    avoid: frozenset
    start: int | None = None
    demand_teu_per_week: float = 0.0
    uses: list = field(default_factory=list)
    laytime: dict = field(default_factory=dict)


def build_services(plan: Plan, network) -> tuple[dict[tuple, ServiceModel], dict[str, list[SegmentRef]]]:
    """Compile every service the plan's routes use.

    ``network`` routes every passage of the rotations (the Plan's own network).

    Returns ``(services by key, segment references by route name)``.

    Vessel slots: a sailing offers ``teu`` slots. The service's average load
    factor is the Plan's ``utilisation`` (the share of slots the cost model
    charges cargo for); the scenario's routes are part of that load. Other
    shippers' cargo therefore takes ``max(0, teu x utilisation - E[scenario
    TEU per sailing])`` slots on every sailing, and the scenario's bookings
    share the rest, first come first served; what does not fit rolls to the
    next sailing. Routes without a ``demand_teu_per_week`` carry probe
    bookings that take no slots (see :mod:`routesim.engines.des.cargo`).
    """
    drafts: dict[tuple, _Draft] = {}
    refs: dict[str, list[tuple[tuple, tuple[str, ...]]]] = {}
    for rname, route in plan.routes.items():
        demand = route.demand_teu_per_week
        weekly = float(demand.mean) if demand is not None else 0.0
        refs[rname] = []
        for seg in route.segments:
            rotation = list(plan.services[seg.service].rotation)
            avoid = frozenset(seg.avoid)
            key = (seg.service, seg.vessel.id, float(seg.speed_kn), float(seg.headway_days), tuple(sorted(avoid)))
            d = drafts.get(key)
            if d is None:
                d = drafts[key] = _Draft(key, seg.service, seg.vessel, float(seg.speed_kn), float(seg.headway_days),
                                         float(seg.utilisation), rotation, avoid)
            if d.start is None:
                d.start = rotation_index(rotation, seg.calls)
            if any(seg.laytime_days):  # a tramp voyage: its parcel's loading and discharge
                d.laytime[seg.calls[0]], d.laytime[seg.calls[-1]] = seg.laytime_days
            d.demand_teu_per_week += weekly
            refs[rname].append((key, seg.calls))

    names: dict[str, int] = {}
    services: dict[tuple, ServiceModel] = {}
    for key, d in drafts.items():
        names[d.service_id] = names.get(d.service_id, 0) + 1
        name = d.service_id if names[d.service_id] == 1 else f"{d.service_id}#{names[d.service_id]}"
        services[key] = _service_model(plan, network, d, name)

    out_refs: dict[str, list[SegmentRef]] = {}
    for rname, items in refs.items():
        out_refs[rname] = []
        for key, seg_calls in items:
            svc = services[key]
            load = svc.call_index(seg_calls)
            discharge = (load + len(seg_calls) - 1) % len(svc.calls)
            out_refs[rname].append(SegmentRef(key, load, discharge, discharge < load))
    return services, out_refs


def _service_model(plan: Plan, network, d: _Draft, name: str) -> ServiceModel:
    """One service: its rotation from the start port, passages, pro-forma schedule and fleet."""
    weather = plan.operations.weather_factor.mean
    calls = tuple(d.rotation[d.start:] + d.rotation[:d.start])
    m = len(calls)
    passages = []
    passage_days = []
    rounds = []
    round_days = []
    for i in range(m):
        pieces = _passage(plan, network, calls[i], calls[(i + 1) % m], d)
        passages.append(pieces)
        passage_days.append(_pieces_days(plan, pieces, d.speed_kn, weather))
        canal = next((p.chokepoints[0] for p in pieces if p.kind == "canal"), None)
        alt = None
        if canal is not None:
            route = way_round(network, calls[i], calls[(i + 1) % m], canal, d.avoid, d.vessel.teu)
            alt = None if route is None else _pieces(plan, route, f"{calls[i]}>{calls[(i + 1) % m]}")
        rounds.append(alt)
        round_days.append(math.inf if alt is None else _pieces_days(plan, alt, d.speed_kn, weather))
    laytime = tuple(d.laytime.get(c, 0.0) for c in calls) if d.laytime else ()
    call_days = [scheduled_call_days(plan.ports[c], d.vessel.moves_per_call) + (laytime[i] if laytime else 0.0)
                 for i, c in enumerate(calls)]
    arr, dep = [], []
    t = 0.0
    for i in range(m):
        arr.append(t)
        t += call_days[i]
        dep.append(t)
        t += passage_days[i]
    allowance = float(plan.operations.lateness_days.mean)
    vessels = max(1, math.ceil((t + allowance) / d.headway_days - 1e-9))
    expected = d.demand_teu_per_week * d.headway_days / 7.0
    others = max(0.0, d.vessel.teu * d.utilisation - expected)
    return ServiceModel(
        key=d.key, name=name, vessel=d.vessel, speed_kn=d.speed_kn, headway_days=d.headway_days,
        utilisation=d.utilisation, calls=calls, passages=tuple(passages), call_days=tuple(call_days),
        passage_days=tuple(passage_days), arrival_offset=tuple(arr), departure_offset=tuple(dep),
        round_voyage_days=t, lateness_allowance_days=allowance, vessels=vessels, cargo_slots_teu=d.vessel.teu - others,
        expected_cargo_teu=expected, laytime_days=laytime, way_round=tuple(rounds), way_round_days=tuple(round_days))


def _passage(plan: Plan, network, a: str, b: str, d: _Draft) -> tuple[Piece, ...]:
    try:
        route = network.route(a, b, avoid=tuple(sorted(d.avoid)), vessel_teu=d.vessel.teu)
    except NoRouteError as exc:
        raise ScenarioError([f"service {d.service_id}: no sea route {a} -> {b} for {d.vessel.id}: {exc}"]) from None
    return _pieces(plan, route, f"{a}>{b}")


def _pieces(plan: Plan, route, lane: str) -> tuple[Piece, ...]:
    """A sea route split into sea stretches and canals."""
    out = []
    for piece in split_at_canals(route, plan.chokepoints):
        if piece[0] == "sail":
            out.append(Piece("sail", float(piece[1]), tuple(piece[2]), lane))
        else:
            out.append(Piece("canal", 0.0, (piece[1],), lane))
    return tuple(out)


def _pieces_days(plan: Plan, pieces, speed_kn: float, weather: float) -> float:
    """Expected days of a passage: sailing at mean weather plus the pro-forma of each canal."""
    days = 0.0
    for p in pieces:
        if p.kind == "sail":
            days += sailing_days(p.distance_nm, speed_kn, weather)
        else:
            days += scheduled_canal_days(plan.chokepoints[p.chokepoints[0]])
    return days
