"""Round voyages: a service's whole rotation compiled for the carrier's cost.

The compiler (:mod:`routesim.plan.compile`) calls :func:`round_voyage` once per service a
route uses. It sails every leg of the rotation (closing back to the first call) at the
service's speed over the network, with its pro-forma call and canal days; marks each leg's
direction (a crossing from Asia to Latin America is the headhaul, the crossing back the
backhaul, a leg within one region coastal); fills it with the trade's load factors
(:func:`routesim.carrier.leg_loads`); and sums the round voyage's fuel, port charges and
canal tolls. The engines then only multiply by the drawn prices
(:func:`routesim.outcomes.shipment_columns`).

A tramp voyage (:func:`tramp_round_voyage`) is the round voyage of one parcel: laden from the
load port to the discharge port, back in ballast; the parcel is its only cargo, so it pays the
whole voyage, the ballast leg's fuel and days included (``capacity_teu`` counts parcels: 1).

A loop's trade is the trade of its turning point, the last Latin American call before it
heads back to Asia (``data/regions.yaml``); a loop with no ocean crossing is ``regional``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import carrier as cc
from .. import costs as cm
from ..distributions import Distribution
from ..errors import ScenarioError
from .schedule import sailing_days, scheduled_call_days, scheduled_canal_days, split_at_canals

__all__ = ["RoundVoyage", "TrampPlan", "round_voyage", "tramp_round_voyage", "leg_directions", "loop_trade"]


@dataclass(frozen=True)
class RoundVoyage:
    """One service's round voyage, compiled (days, TEU, tonnes, USD per voyage).

    The per-leg tuples have one entry per port-to-port passage of the rotation, the last
    closing the loop; a leg's ``days`` include its sea, canal and arrival-call days.
    """

    service: str
    trade: str
    """``asia_wcsa``, ``asia_ecsa``, ``asia_mexico`` or ``regional``."""
    capacity_teu: float
    headhaul_share: float
    """Share of slots full on the crossing from Asia (0 to 1)."""
    backhaul_share: float
    legs: tuple[tuple[str, str], ...]
    days: tuple[float, ...]
    sea_days: tuple[float, ...]
    call_days: tuple[float, ...]
    """Pro-forma days at each leg's arrival call (berth wait allowed for and handling)."""
    direction: tuple[int, ...]
    """+1 Asia to Latin America, -1 back, 0 within a region."""
    full_teu: tuple[float, ...]
    empty_teu: tuple[float, ...]
    fuel_t: float
    """Fuel of the round voyage at the service speed (tonnes)."""
    gt: float
    """The ship's gross tonnage (what dues and pilotage per GT apply to)."""
    loa_m: float
    """The ship's length overall (m; what berth hire per metre-hour applies to)."""
    hours_alongside: float
    """Hours alongside over every call of the round voyage."""
    canal_usd: float
    """Tolls of every canal transit by the catalogue's tariffs (USD)."""
    canal_draws: tuple[Distribution, ...] = ()
    """Tolls the scenario fixes, one per transit of the round voyage (USD)."""
    distance_nm: float = 0.0
    """Sea distance of the round voyage (nautical miles; what the IMO CII's AER divides by)."""

    @property
    def round_days(self) -> float:
        """Days of one round voyage."""
        return float(sum(self.days))

    @property
    def calls(self) -> int:
        return len(self.legs)

    @property
    def occupied_teu_days(self) -> float:
        """TEU-days aboard over the round voyage, full and empty."""
        return cc.occupied_teu_days(self.days, self.full_teu, self.empty_teu)

    @property
    def heavy_direction(self) -> int:
        """The direction with more full boxes (+1 headhaul, -1 backhaul); its boxes pay for the empties."""
        return 1 if self.headhaul_share >= self.backhaul_share else -1

    @property
    def heavy_full_teu(self) -> float:
        """Full TEU the heavy direction lifts per round voyage (each box counted once)."""
        share = max(self.headhaul_share, self.backhaul_share)
        return self.capacity_teu * share if any(d != 0 for d in self.direction) else 0.0

    @property
    def lifted_teu(self) -> float:
        """Full TEU lifted per round voyage: each crossing's load once, or on a regional loop each leg's."""
        if any(d != 0 for d in self.direction):
            return self.capacity_teu * (self.headhaul_share + self.backhaul_share)
        return float(sum(self.full_teu))

    def call_days_at(self, port: str) -> float:
        """Pro-forma days of the call at ``port`` (the first leg arriving there)."""
        for (_, b), d in zip(self.legs, self.call_days):
            if b == port:
                return d
        raise KeyError(port)


@dataclass(frozen=True)
class TrampPlan:
    """What makes a route a tramp voyage (``bulk`` or ``roro`` cargo on a tramp class).

    The route's shipment is the parcel: its per-TEU figures are per parcel, and the results give
    them per ``unit`` (``units`` of them in the parcel).
    """

    kind: str
    """``bulk`` or ``roro``."""
    unit: str
    """``tonne`` or ``vehicle``."""
    units: float
    """Tonnes or vehicles in the parcel."""
    vessel_class: str
    load_days: float
    """Days alongside loading the parcel (the parcel is at the berth from the start)."""
    discharge_days: float
    """Days alongside discharging it."""
    origin_usd: Distribution
    """Terminal cargo handling the shipper pays at the load port, for the parcel (USD)."""
    destination_usd: Distribution
    """The same at the discharge port (USD)."""
    note: str = ""
    """Where the freight, handling and laytime come from (shown in the results)."""


def tramp_round_voyage(service: str, laden, ballast, *, chokepoints, vessel, speed_kn: float, weather: float,
                       call_days: tuple[float, float], hours_alongside: float, direction: int, gt: float,
                       loa_m: float, canal_draws=()) -> RoundVoyage:
    """The round voyage of a tramp parcel: ``laden`` (load -> discharge port) and ``ballast`` (back),
    two :class:`~routesim.network.Route`, at ``speed_kn`` both ways; ``call_days`` are the pro-forma
    days of the discharge and the load call (wait + laytime); ``direction`` that of the laden leg.

    The parcel (1) is aboard the laden leg only, so the carrier's rate per parcel-day times its days
    aboard is the whole voyage's cost.
    """
    me = float(cm.main_engine_fuel_t_per_day(speed_kn, vessel.design_speed_kn, vessel.design_fuel_t_per_day))
    sea, stopped, days = [], [], []
    for route, call in zip((laden, ballast), call_days):
        sea_d = canal_d = 0.0
        for piece in split_at_canals(route, chokepoints):
            if piece[0] == "sail":
                sea_d += sailing_days(piece[1], speed_kn, weather)
            else:
                canal_d += scheduled_canal_days(chokepoints[piece[1]])
        sea.append(sea_d)
        stopped.append(call + canal_d)
        days.append(sea_d + canal_d + call)
    laden_share = (1.0, 0.0) if direction >= 0 else (0.0, 1.0)
    a, b = laden.origin, laden.destination
    return RoundVoyage(
        service=service, trade="tramp", capacity_teu=1.0, headhaul_share=laden_share[0],
        backhaul_share=laden_share[1], legs=((a, b), (b, a)), days=tuple(days), sea_days=tuple(sea),
        call_days=tuple(call_days), direction=(direction, -direction), full_teu=(1.0, 0.0), empty_teu=(0.0, 0.0),
        fuel_t=float(np.sum(cm.voyage_fuel_t(np.array(sea), np.array(stopped), me, vessel.aux_fuel_t_per_day,
                                              vessel.port_fuel_t_per_day))),
        gt=float(gt), loa_m=float(loa_m), hours_alongside=float(hours_alongside), canal_usd=0.0,
        canal_draws=tuple(canal_draws))


def leg_directions(regions: list[str]) -> list[int]:
    """Direction of each leg of a closed loop over ports in ``regions`` (``"asia"`` or another region).

    >>> leg_directions(["asia", "asia", "wcsa", "wcsa"])
    [0, 1, 0, -1]
    """
    m = len(regions)
    out = []
    for i in range(m):
        a, b = regions[i] == "asia", regions[(i + 1) % m] == "asia"
        out.append(0 if a == b else (1 if a else -1))
    return out


def loop_trade(regions: list[str], trades: dict[str, tuple[str, str]]) -> str:
    """The trade of a closed loop: that of its last non-Asian call before a crossing back to Asia.

    ``trades`` maps a trade to its (Asian region, other region). A loop that never crosses
    is ``"regional"``; a turning point in a region no trade covers is an error.

    >>> loop_trade(["asia", "central_america", "wcsa"], {"asia_wcsa": ("asia", "wcsa")})
    'asia_wcsa'
    """
    dirs = leg_directions(regions)
    if not any(dirs):
        return "regional"
    i = dirs.index(-1)
    turn = regions[i]
    for name, (_, other) in trades.items():
        if other == turn:
            return name
    raise ScenarioError([f"no trade covers a loop turning in region {turn!r} (data/regions.yaml trades)"])


def round_voyage(service: str, rotation, *, passage, ports, chokepoints, vessel, speed_kn: float,
                 weather: float, regions: list[str], trade: str, shares: tuple[float, float],
                 gt: float, loa_m: float, tolls) -> RoundVoyage:
    """Compile the round voyage of ``rotation`` (closing back to its first call).

    ``passage(a, b)`` routes a leg (a :class:`~routesim.network.Route`); ``ports`` and
    ``chokepoints`` are the Plan's records; ``regions`` the region of each call;
    ``shares`` the (headhaul, backhaul) load factors of ``trade``; ``gt`` and ``loa_m`` the
    ship's gross tonnage and length (for its port charges) and ``tolls(name, loaded, empty)``
    a transit's toll (USD, or a scenario Distribution).
    Long because it walks the loop once and fills every per-leg column together.
    """
    rot = list(rotation)
    if len(rot) < 2:
        rot = rot * 2
    dirs = leg_directions(regions)
    full, empty = cc.leg_loads(vessel.teu, dirs, *shares)
    legs, days, sea, calls = [], [], [], []
    hours, canal_usd, draws, nm = 0.0, 0.0, [], 0.0
    me = float(cm.main_engine_fuel_t_per_day(speed_kn, vessel.design_speed_kn, vessel.design_fuel_t_per_day))
    stopped = []
    for i, a in enumerate(rot):
        b = rot[(i + 1) % len(rot)]
        route = passage(a, b)
        nm += float(route.distance_nm)
        sea_d, canal_d = 0.0, 0.0
        for piece in split_at_canals(route, chokepoints):
            if piece[0] == "sail":
                sea_d += sailing_days(piece[1], speed_kn, weather)
            else:
                cp = chokepoints[piece[1]]
                canal_d += scheduled_canal_days(cp)
                toll = tolls(piece[1], full[i], empty[i])
                if isinstance(toll, Distribution):
                    draws.append(toll)
                else:
                    canal_usd += float(toll)
        call_d = scheduled_call_days(ports[b], vessel.moves_per_call)
        hours += float(ports[b].handling_days(vessel.moves_per_call)) * 24.0
        stopped.append(call_d + canal_d)
        legs.append((a, b))
        days.append(sea_d + canal_d + call_d)
        sea.append(sea_d)
        calls.append(call_d)
    return RoundVoyage(
        service=service, trade=trade, capacity_teu=float(vessel.teu), headhaul_share=float(shares[0]),
        backhaul_share=float(shares[1]), legs=tuple(legs), days=tuple(days), sea_days=tuple(sea),
        call_days=tuple(calls), direction=tuple(dirs), full_teu=tuple(float(x) for x in full),
        empty_teu=tuple(float(x) for x in empty),
        fuel_t=float(np.sum(cm.voyage_fuel_t(np.array(sea), np.array(stopped), me, vessel.aux_fuel_t_per_day,
                                              vessel.port_fuel_t_per_day))),
        gt=float(gt), loa_m=float(loa_m), hours_alongside=hours,
        canal_usd=canal_usd, canal_draws=tuple(draws), distance_nm=nm)
