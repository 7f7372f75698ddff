"""Per-shipment outcomes both engines report: the columns, and the arithmetic that fills them.

Given the simulated days of every leg of a batch of shipments, :func:`shipment_columns`
computes their totals (transit days, door days), costs (USD per TEU, by component), CO2
(tonnes per TEU) and spoilage, drawing the cost inputs of the Plan in a fixed order. The
Monte Carlo engine calls it on each block and the discrete-event engine on the shipments
it delivers, so the two engines can only differ in the days they simulate.
:class:`RouteAccumulator` streams those columns into exact running summaries.
"""

from __future__ import annotations

import numpy as np

from . import costs as cm
from .plan import KINDS, TRANSIT_KINDS, Plan, RoutePlan
from .stats import LogSketch, Moments

__all__ = ["SHIPMENT_COLUMNS", "LOGISTICS_COMPONENTS", "shipment_columns", "draw_tolls", "RouteAccumulator"]

SHIPMENT_COLUMNS = (
    ("ready_day", "transit_days", "door_days")
    + tuple(f"days_{k}" for k in KINDS)
    + tuple(f"cost_{c}" for c in cm.COMPONENTS)
    + ("cost_usd_per_teu", "logistics_usd_per_teu", "co2_t_per_teu", "spoiled")
)
"""Numeric columns of the per-shipment table (besides ``route``)."""

LOGISTICS_COMPONENTS = ("fuel", "vessel", "port", "canal", "transshipment", "inventory", "reefer",
                        "spoilage", "overland")
"""Components of the logistics cost (everything but carbon price, tariffs and settlement fees)."""



def shipment_columns(plan: Plan, route: RoutePlan, rng: np.random.Generator, ready: np.ndarray,
                     days: dict[str, np.ndarray], sea_days: list[np.ndarray], stop_days: list[np.ndarray],
                     toll_draws: list, shelf_life_days: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The per-shipment columns (:data:`SHIPMENT_COLUMNS`) from simulated days: totals, costs, CO2, spoilage.

    Shared by both engines. ``days`` maps every leg kind to an array of days per
    shipment; ``sea_days[s]`` and ``stop_days[s]`` are the days of segment ``s``
    at sea and at calls or canals (fuel and vessel time), ``toll_draws[s]`` the
    drawn canal tolls of segment ``s`` (USD per vessel, 0 when none; see
    :func:`draw_tolls`). Cost inputs are drawn from ``rng`` in a fixed order.
    ``shelf_life_days`` (remaining shelf life at gate-in) is drawn here when not given.
    A duty the trade data does not know is NaN in ``cost_tariff`` and left out of the
    totals (the results mark it missing).
    """
    n = ready.shape[0]
    transit = np.zeros(n)
    for k in TRANSIT_KINDS:
        transit += days[k]
    door = transit + days["origin_dwell"] + days["first_sailing"] + days["destination_dwell"]
    comp = {c: np.zeros(n) for c in cm.COMPONENTS}
    co2 = _voyage_costs(plan, route, rng, n, sea_days, stop_days, toll_draws, comp)
    value, spoiled = _cargo_costs(plan, route, rng, n, days, door, shelf_life_days, comp)
    if route.overland_usd_per_teu is not None:
        comp["overland"] = route.overland_usd_per_teu.sample(rng, n)
        co2 += route.overland_co2_t_per_teu.sample(rng, n)
    comp["carbon"] = cm.carbon_cost_usd(co2, plan.costs.carbon_usd_per_t.sample(rng, n))
    comp["settlement"] = cm.settlement_fee_usd(value, plan.costs.settlement_fee_rate)
    logistics = np.zeros(n)
    for c in LOGISTICS_COMPONENTS:
        logistics += comp[c]
    if route.cargo.tariff_rate is None:
        comp["tariff"] = np.full(n, np.nan)
        total = logistics + comp["carbon"] + comp["settlement"]
    else:
        comp["tariff"] = cm.tariff_usd(value, route.cargo.tariff_rate)
        total = logistics + comp["carbon"] + comp["tariff"] + comp["settlement"]

    out = {"ready_day": ready, "transit_days": transit, "door_days": door}
    out.update({f"days_{k}": days[k] for k in KINDS})
    out.update({f"cost_{c}": comp[c] for c in cm.COMPONENTS})
    out["cost_usd_per_teu"] = total
    out["logistics_usd_per_teu"] = logistics
    out["co2_t_per_teu"] = co2
    out["spoiled"] = spoiled.astype(float)
    return out


def _voyage_costs(plan: Plan, route: RoutePlan, rng, n: int, sea_days, stop_days, toll_draws, comp) -> np.ndarray:
    """Fuel, vessel time, port calls and canal tolls per TEU into ``comp``; returns CO2 (t/TEU)."""
    cp_ = plan.costs
    bunker = cp_.bunker_usd_per_t.sample(rng, n)
    co2 = np.zeros(n)
    for s, seg in enumerate(route.segments):
        v = seg.vessel
        slots = v.teu * seg.utilisation
        fuel_t = cm.voyage_fuel_t(sea_days[s], stop_days[s], seg.main_fuel_t_per_day, v.aux_fuel_t_per_day,
                                  v.port_fuel_t_per_day)
        comp["fuel"] += cm.per_teu(fuel_t * bunker, v.teu, seg.utilisation)
        charter = v.charter_usd_per_day.sample(rng, n)
        comp["vessel"] += cm.per_teu(charter * (sea_days[s] + stop_days[s]), v.teu, seg.utilisation)
        comp["port"] += cm.per_teu(cp_.port_call_usd.sample(rng, n) * len(seg.calls), v.teu, seg.utilisation)
        comp["canal"] += cm.per_teu(seg.canal_toll_usd + toll_draws[s], v.teu, seg.utilisation)
        co2 += cm.co2_t(fuel_t, cp_.co2_t_per_t_fuel / slots)
    return co2


def _cargo_costs(plan: Plan, route: RoutePlan, rng, n: int, days, door, shelf_life_days, comp):
    """Terminal handling, hub charges, inventory, reefer and spoilage per TEU into ``comp``;
    returns (cargo value per TEU, spoiled mask)."""
    cp_ = plan.costs
    cargo = route.cargo
    if cargo.reefer:
        comp["port"] += cp_.thc_origin_reefer_usd_per_teu.sample(rng, n)
        comp["port"] += cp_.thc_destination_reefer_usd_per_teu.sample(rng, n)
    else:
        comp["port"] += cp_.thc_origin_usd_per_teu.sample(rng, n)
        comp["port"] += cp_.thc_destination_usd_per_teu.sample(rng, n)
    if len(route.segments) > 1:
        comp["transshipment"] += cm.transshipment_usd(len(route.segments) - 1,
                                                      cp_.transshipment_usd_per_teu.sample(rng, n))
    value = cargo.value_usd.sample(rng, n) / cargo.teu
    comp["inventory"] = cm.inventory_carrying_usd(value, cp_.inventory_rate_per_year, door)
    if cargo.reefer:
        terminal = days["origin_dwell"] + days["first_sailing"] + days["transshipment"] + days["destination_dwell"]
        comp["reefer"] = cm.reefer_usd(door, cp_.reefer_usd_per_teu_day.sample(rng, n), terminal,
                                       cp_.reefer_plug_usd_per_teu_day.sample(rng, n))
    if shelf_life_days is None and cargo.shelf_life_days is not None:
        shelf_life_days = cargo.shelf_life_days.sample(rng, n)
    if shelf_life_days is not None:
        spoiled = door > shelf_life_days
        comp["spoilage"] = cm.spoilage_usd(value, spoiled)
    else:
        spoiled = np.zeros(n, dtype=bool)
    return value, spoiled


def draw_tolls(route: RoutePlan, rng: np.random.Generator, n: int) -> list:
    """The scenario's fixed canal tolls of each segment, drawn for ``n`` shipments (USD per vessel)."""
    tolls = []
    for seg in route.segments:
        t = 0.0
        for d in seg.canal_toll_draws:
            t = t + d.sample(rng, n)
        tolls.append(t)
    return tolls


_SKETCHED = ("transit_days", "door_days", "cost_usd_per_teu", "logistics_usd_per_teu", "co2_t_per_teu")


class RouteAccumulator:
    """Streaming summary of one route's shipments (moments of every column, sketches of the main ones)."""

    def __init__(self):
        self.moments = {c: Moments() for c in SHIPMENT_COLUMNS}
        self.sketches = {c: LogSketch() for c in _SKETCHED}

    def add(self, cols: dict[str, np.ndarray]) -> None:
        for c in SHIPMENT_COLUMNS:
            self.moments[c].add(cols[c])
        for c in _SKETCHED:
            self.sketches[c].add(cols[c])

    def merge(self, other: "RouteAccumulator") -> None:
        for c in SHIPMENT_COLUMNS:
            self.moments[c].merge(other.moments[c])
        for c in _SKETCHED:
            self.sketches[c].merge(other.sketches[c])

    @property
    def n(self) -> int:
        return self.moments["transit_days"].n
