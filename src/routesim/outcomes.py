"""Per-shipment outcomes both engines report: the columns, and the arithmetic that fills them.

Given the simulated days of every leg of a batch of shipments, :func:`shipment_columns`
computes their totals (transit days, door days), costs (USD per TEU, by component), CO2
(tonnes per TEU) and spoilage, drawing the cost inputs of the Plan in a fixed order. The
Monte Carlo engine calls it on each block and the discrete-event engine on the shipments
it delivers, so the two engines can only differ in the days they simulate.
:class:`RouteAccumulator` streams those columns into exact running summaries.
"""

from __future__ import annotations

import math

import numpy as np

from . import carrier as cc
from . import costs as cm
from . import quality as qm
from .calendar import to_datetime64
from .catalogue.carbon import carbon_rules
from .catalogue.market import price_index, season_holidays
from .emissions import fueleu_penalty_eur, nzf_cost_usd
from .freight import draw_freight
from .plan import KINDS, TRANSIT_KINDS, Plan, RoutePlan
from .plan.fuels import VLSFO
from .plan.perishables import REEFER_BOX_TEU
from .stats import LogSketch, Moments, SignedSketch, block_sums

__all__ = ["SHIPMENT_COLUMNS", "LOGISTICS_COMPONENTS", "REEFER_BOX_TEU", "shipment_columns", "RouteAccumulator",
           "cold_chain_equivalent_days"]

SHIPMENT_COLUMNS = (
    ("ready_day", "transit_days", "door_days")
    + tuple(f"days_{k}" for k in KINDS)
    + tuple(f"cost_{c}" for c in cm.COMPONENTS)
    + tuple(f"carrier_{c}" for c in cc.CARRIER_COMPONENTS)
    + ("cost_usd_per_teu", "logistics_usd_per_teu", "trade_usd_per_teu", "carrier_cost_usd_per_teu",
       "freight_usd_per_teu", "carrier_margin_usd_per_teu", "fuel_t_per_teu", "co2_t_per_teu",
       "co2e_ttw_t_per_teu", "co2e_wtt_t_per_teu", "co2e_wtw_t_per_teu", "co2e_plug_t_per_teu", "co2e_wtw_g_per_teu_km",
       "co2e_wtw_g_per_tonne_km", "co2e_ets_t_per_teu", "eu_ets_usd_per_teu", "fueleu_usd_per_teu",
       "imo_nzf_usd_per_teu", "quality", "downgraded", "spoiled", "quality_loss_usd_per_teu", "arrival_value_usd_per_teu", "before_holiday")
)
"""Numeric columns of the per-shipment table (besides ``route``): days, USD per TEU, tonnes per TEU;
``fuel_t_per_teu`` in VLSFO-equivalent tonnes (the energy of that much VLSFO, whatever the ship burns);
``co2_t_per_teu`` is tank-to-wake CO2 only (the ship's fuel, and an overland leg's CO2 as given), what
``cost_carbon`` prices; the ``co2e_*`` columns are the GLEC Framework v3 / ISO 14083 quantities in CO2e
(CO2, CH4, N2O, IPCC AR6 GWP100; :func:`shipment_columns`); for a perishable its remaining keeping quality at delivery (0 to 1) and the shares of the box
downgraded and rejected (``spoiled``), 0 to 1 (quality NaN, shares 0, for a cargo that does not
perish); ``before_holiday`` is 1 for a delivery before the market holiday (NaN when none is named)."""

KM_PER_NM = 1.852
"""Kilometres in a nautical mile (exact, by definition)."""
HUB_LIFTS = 2
"""Terminal handlings of a transshipped box at its hub: discharged, then loaded (as port throughput counts it)."""

LOGISTICS_COMPONENTS = cm.GROUPS["logistics"]
"""Components of the logistics cost (the landed cost less duty, settlement fees and carbon price)."""


def shipment_columns(plan: Plan, route: RoutePlan, rng: np.random.Generator, ready: np.ndarray,
                     days: dict[str, np.ndarray], sea_days: list[np.ndarray], stop_days: list[np.ndarray],
                     keeping_days: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The per-shipment columns (:data:`SHIPMENT_COLUMNS`) from simulated days: totals, costs, CO2, quality.

    Shared by both engines. ``days`` maps every leg kind to an array of days per
    shipment; ``sea_days[s]`` and ``stop_days[s]`` are the days segment ``s`` spends at
    sea and at intermediate calls or canals (the box is aboard for those, and for the
    discharge call). Cost inputs are drawn from ``rng`` in a fixed order.
    Emissions (t CO2e per TEU, IPCC AR6 GWP100, :mod:`routesim.emissions`): ``co2e_ttw`` and
    ``co2e_wtt`` are tank-to-wake and well-to-tank of the ship's fuel (the box's share by
    TEU-days, reefer power aboard included); ``co2e_wtw`` is their sum plus the transshipment hubs
    (``costs.terminal_co2e_kg_per_teu_handled`` for each of the two lifts at each hub), an
    overland leg's CO2 as given and a reefer's power on plug at terminals (``co2e_plug_t_per_teu``,
    from each terminal's grid, ``data/grid.yaml``). ``co2e_wtw_g_per_teu_km`` is the ship's WTW (no hubs, no
    overland) in g per TEU-km of the route's sea distance, comparable with a GLEC sea default;
    per tonne-km it divides by the cargo's tonnes per TEU (NaN where unknown, never zero).
    ``co2e_ets_t_per_teu`` is the TTW CO2e the EU ETS covers, stretch by stretch, at sea and at
    berth in the discharge port (:attr:`~routesim.plan.Segment.shares`, by the ports' countries, for
    the emission year ``plan.carbon.year``): 0 on a Latin America - Asia stretch. The rules that price
    carbon (``carbon_rules``; :func:`_price_carbon`) charge ``eu_ets_usd_per_teu``, ``fueleu_usd_per_teu``
    and, as a what-if, ``imo_nzf_usd_per_teu``: their sum is the carrier's ``carrier_emissions``, which
    carriers bill to the shipper as ``cost_emissions_surcharge``. ``cost_carbon`` is a separate,
    shipper-side what-if price (``costs.carbon_usd_per_t`` on ``co2_t_per_teu``).
    ``keeping_days`` (a perishable lot's keeping quality at its carry temperature, days)
    is drawn here when not given; the quality lost on the way (:mod:`routesim.quality`) is
    valued at the cargo's value (``cost_spoilage``).

    The carrier's cost (``carrier_*``) is the box's share of each stretch's round voyage by
    TEU-days (:mod:`routesim.carrier`), plus its moves, box days, repositioning and
    overheads (a tramp parcel, :mod:`routesim.plan.tramp`, pays its whole voyage, ballast leg
    included, and none of the box costs: every column is then per parcel); the shipper's landed cost (``cost_*``) is the freight plus the charges, days
    and fees the shipper pays itself. A duty the trade data does not know is NaN in
    ``cost_tariff`` and left out of the totals (the results mark it missing).
    """
    n = ready.shape[0]
    transit = sum((days[k] for k in TRANSIT_KINDS[1:]), days[TRANSIT_KINDS[0]] + 0.0)  # 0.0 + first, + the rest
    door = transit + days["origin_dwell"] + days["first_sailing"] + days["destination_dwell"]
    cp_ = plan.costs
    bunker = cp_.bunker_usd_per_t.sample(rng, n)
    # zeros only for what is added to (components assigned whole are made by their own arithmetic)
    car = {c: np.zeros(n) for c in ("fuel", "vessel", "port", "canal", "stevedoring", "repositioning")}
    em = {k: np.zeros(n) for k in ("co2", "ttw", "wtt", "ets", "ets_usd", "fueleu_usd", "nzf_usd")}
    fuel_t = _carrier_costs(plan, route, rng, n, bunker, door, sea_days, stop_days, car, em)
    car["emissions"] = em["ets_usd"] + em["fueleu_usd"] + em["nzf_usd"]
    _zeros_for_the_rest(car, cc.CARRIER_COMPONENTS, n)  # a tramp parcel has no box costs
    comp = {"emissions_surcharge": car["emissions"]}  # billed to the shipper as a standalone surcharge
    value, grade = _cargo_costs(plan, route, rng, n, days, door, keeping_days, comp)
    co2 = em["co2"]
    ship_wtw = em["ttw"] + em["wtt"]
    wtw = ship_wtw + HUB_LIFTS * (len(route.segments) - 1) * cp_.terminal_co2e_kg_per_teu_handled / 1000.0
    if route.overland_usd_per_teu is not None:
        comp["overland"] = route.overland_usd_per_teu.sample(rng, n)
        overland_co2 = route.overland_co2_t_per_teu.sample(rng, n)
        co2 = co2 + overland_co2
        wtw = wtw + overland_co2
    comp["freight"] = draw_freight(route.freight, rng, ready, plan.horizon_days, bunker, fuel_t)
    comp["carbon"] = cm.carbon_cost_usd(co2, cp_.carbon_usd_per_t.sample(rng, n))
    comp["settlement"] = cm.settlement_fee_usd(value, cp_.settlement_fee_rate)
    comp["tariff"] = (np.full(n, np.nan) if route.cargo.tariff_rate is None
                      else cm.tariff_usd(value, route.cargo.tariff_rate))
    _zeros_for_the_rest(comp, cm.COMPONENTS, n)  # what it does not pay (no reefer, no overland leg, nothing spoils)
    groups = {g: _total(comp, names) for g, names in cm.GROUPS.items()}
    carrier = _total(car, cc.CARRIER_COMPONENTS)

    out = {"ready_day": ready, "transit_days": transit, "door_days": door}
    out.update({f"days_{k}": days[k] for k in KINDS})
    out.update({f"cost_{c}": comp[c] for c in cm.COMPONENTS})
    out.update({f"carrier_{c}": car[c] for c in cc.CARRIER_COMPONENTS})
    out["cost_usd_per_teu"] = groups["logistics"] + groups["trade"] + groups["carbon"]
    out["logistics_usd_per_teu"] = groups["logistics"]
    out["trade_usd_per_teu"] = groups["trade"]
    out["carrier_cost_usd_per_teu"] = carrier
    out["freight_usd_per_teu"] = comp["freight"]
    # the carrier's revenue is the freight and the terminal handling it collects at both ends
    out["carrier_margin_usd_per_teu"] = comp["freight"] + comp["origin_charges"] + comp["destination_charges"] - carrier
    out["fuel_t_per_teu"] = fuel_t
    out["co2_t_per_teu"] = co2
    out["co2e_ttw_t_per_teu"], out["co2e_wtt_t_per_teu"], out["co2e_wtw_t_per_teu"] = em["ttw"], em["wtt"], wtw
    km = route.sea_distance_nm * KM_PER_NM
    out["co2e_wtw_g_per_teu_km"] = ship_wtw * 1e6 / km if km > 0 else np.full(n, np.nan)
    t_per_teu = route.cargo.t_per_teu
    out["co2e_wtw_g_per_tonne_km"] = (out["co2e_wtw_g_per_teu_km"] / t_per_teu if t_per_teu
                                      else np.full(n, np.nan))
    out["co2e_ets_t_per_teu"] = em["ets"]
    out["eu_ets_usd_per_teu"], out["fueleu_usd_per_teu"], out["imo_nzf_usd_per_teu"] = (
        em["ets_usd"], em["fueleu_usd"], em["nzf_usd"])
    out.update(grade)
    out["quality_loss_usd_per_teu"] = comp["spoilage"]
    out["arrival_value_usd_per_teu"], out["before_holiday"] = _at_market(route, value - comp["spoilage"], ready, door)
    # drawn last, so that routes without a plugged-in box keep every other draw
    out["co2e_plug_t_per_teu"] = (np.zeros(n) if route.plug_grid is None
                                  else _plug_co2e_t(route.plug_grid, days, cp_.reefer_power_kw_per_box.sample(rng, n)))
    out["co2e_wtw_t_per_teu"] = wtw + out["co2e_plug_t_per_teu"]
    return out


def _zeros_for_the_rest(parts: dict, names, n: int) -> None:
    """Zeros (``n`` of them) for every name in ``names`` that ``parts`` does not have yet."""
    for c in names:
        if c not in parts:
            parts[c] = np.zeros(n)


def _plug_co2e_t(grid, days, kw_per_box) -> np.ndarray:
    """CO2e (t per TEU) of a reefer box's power on plug at terminals, from each terminal's grid:
    the origin's over the export cut-off and the wait for the first sailing, the hubs' over the
    transshipment dwell, the destination's over discharge and import dwell (NaN where a grid is a gap)."""
    kwh_per_teu_day = kw_per_box * 24.0 / REEFER_BOX_TEU
    g_per_kwh = (grid.origin * (days["origin_dwell"] + days["first_sailing"])
                 + grid.hub * days["transshipment"] + grid.destination * days["destination_dwell"])
    return kwh_per_teu_day * g_per_kwh / 1e6


def _at_market(route: RoutePlan, sound_value, ready, door):
    """(value at arrival in USD per TEU, 1/0 delivered before the market holiday or NaN).

    The value of what arrives sound (export value less the quality lost) times the
    destination's price index on the arrival date, where the scenario has a calendar and
    the data a dated price (:func:`routesim.catalogue.market.price_index`)."""
    m = route.cargo.market
    n = sound_value.shape[0]
    if m is None or (m.market is None and m.holiday is None):
        return sound_value, np.full(n, np.nan)
    arrival = to_datetime64(m.start_ordinal + ready + door)
    value = sound_value * price_index(m.market, arrival) if m.market is not None else sound_value
    before = ((arrival < season_holidays(m.holiday, arrival)).astype(float) if m.holiday is not None
              else np.full(n, np.nan))
    return value, before


def _total(parts: dict[str, np.ndarray], names) -> np.ndarray:
    """Sum of the named parts. A duty the trade data does not know (NaN ``tariff``) is left out
    (the results mark it missing); any other missing part (freight on a lane the record does not
    price) makes the total missing too."""
    total = None
    for c in names:
        p = parts[c]
        if c == "tariff" and np.isnan(p).all():
            continue
        total = p + 0.0 if total is None else total + p  # p + 0.0: a sum started at zero, without the zeros
    return np.zeros_like(next(iter(parts.values()))) if total is None else total


def _add_emissions(em: dict, vlsfo_eq_t, fuel, co2_t_per_t_vlsfo: float) -> None:
    """Add the emissions of ``vlsfo_eq_t`` VLSFO-equivalent tonnes burned as ``fuel`` (a
    :class:`~routesim.plan.FuelParams`) into ``em``: ``co2`` (TTW CO2 only), ``ttw`` and ``wtt``
    (t CO2e, AR6 GWP100). VLSFO's CO2 factor is ``costs.co2_t_per_t_fuel``, and it shifts the CO2e
    by as much, so a scenario's factor moves all three."""
    mass = vlsfo_eq_t * fuel.t_per_t_vlsfo
    co2f = co2_t_per_t_vlsfo if fuel.id == VLSFO else fuel.co2_t_per_t
    em["co2"] = em["co2"] + mass * co2f
    em["ttw"] = em["ttw"] + mass * (fuel.ttw_co2e_t_per_t + co2f - fuel.co2_t_per_t)
    em["wtt"] = em["wtt"] + mass * fuel.wtt_co2e_t_per_t


def _berth_share(seg, sea, stop) -> np.ndarray:
    """Share of the ship's fuel on a stretch burned at berth in its discharge port: port fuel over the
    pro-forma discharge call against main and auxiliary engines at sea and port fuel at the stops."""
    v = seg.vessel
    berth = v.port_fuel_t_per_day * seg.discharge_call_days
    voyage = (seg.main_fuel_t_per_day + v.aux_fuel_t_per_day) * sea + v.port_fuel_t_per_day * stop
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(berth + voyage > 0, berth / (berth + voyage), 0.0)


def _price_carbon(plan: Plan, seg, vlsfo_eq_t, co2_t, ttw_t, berth, em: dict, eua_usd) -> None:
    """What the rules of ``plan.carbon`` charge for one stretch of the box (USD per TEU, into ``em``).

    The box's fuel on the stretch (``vlsfo_eq_t`` VLSFO-equivalent tonnes, its CO2 ``co2_t`` and TTW
    CO2e ``ttw_t``) is split between the voyage and the stay at berth in the discharge port by the
    ship's fuel at each (``berth``, :func:`_berth_share`). EU ETS: the
    stretch's shares (:class:`~routesim.plan.StretchShares`, phase-in included) of its TTW CO2e (CO2
    only before 2026), at the allowance price ``eua_usd``. FuelEU: the penalty on the energy in its
    scope. IMO Net-Zero Framework (a what-if): its remedial units on all the energy."""
    c, sh = plan.carbon, seg.shares
    covered = (ttw_t if c.year >= carbon_rules().ets_ch4_n2o_from_year else co2_t) * (
        sh.ets_sea * (1.0 - berth) + sh.ets_berth * berth)
    em["ets"] = em["ets"] + covered
    if c.eu_ets:
        em["ets_usd"] = em["ets_usd"] + covered * eua_usd
    fuel = seg.vessel.fuel
    energy = vlsfo_eq_t * fuel.t_per_t_vlsfo * fuel.lcv_mj_per_t
    if c.fueleu and (sh.fueleu_sea or sh.fueleu_berth):
        scope = energy * (sh.fueleu_sea * (1.0 - berth) + sh.fueleu_berth * berth)
        em["fueleu_usd"] = em["fueleu_usd"] + fueleu_penalty_eur(fuel.ghg_intensity_g_per_mj, scope, c.year) \
            * plan.costs.usd_per_eur
    if c.imo_nzf:
        em["nzf_usd"] = em["nzf_usd"] + nzf_cost_usd(fuel.ghg_intensity_g_per_mj, energy, c.year)


def _carrier_costs(plan: Plan, route: RoutePlan, rng, n: int, bunker, door, sea_days, stop_days, car, em) -> np.ndarray:
    """The carrier's cost per TEU by component into ``car``, the box's emissions into ``em``
    (:func:`_add_emissions`); returns the box's fuel (VLSFO-equivalent tonnes per TEU).

    Each stretch's round voyage (:class:`~routesim.plan.RoundVoyage`) costs fuel x bunker,
    ship-days x charter, port charges and tolls; divided by its TEU-days aboard it is a rate
    per TEU-day the box pays for its days aboard. A box of the heavy direction also pays
    its share of the empties sent back (slot-days and lifts). Long because it strings the
    carrier's components together in one place, stretch by stretch.
    """
    cp_ = plan.costs
    fuel_t = None
    reefer = route.cargo.reefer
    per_box = float(cp_.teu_per_box)
    # the allowance price is drawn only where the EU ETS prices something (other routes keep their draws)
    eua_usd = (cp_.eu_ets_eur_per_t.sample(rng, n) * cp_.usd_per_eur if plan.carbon.eu_ets and any(
        g.shares.ets_sea or g.shares.ets_berth for g in route.segments) else 0.0)
    for s, seg in enumerate(route.segments):
        v, voy = seg.vessel, seg.voyage
        occ = voy.occupied_teu_days
        aboard = sea_days[s] + stop_days[s] + seg.discharge_call_days
        # USD per VLSFO-equivalent tonne: the bunker price, or the vessel's own fuel's (drawn only then)
        price = bunker if v.fuel.price_usd_per_t is None else \
            v.fuel.price_usd_per_t.sample(rng, n) * v.fuel.t_per_t_vlsfo
        charter = v.charter_usd_per_day.sample(rng, n)
        if cp_.port_call_usd is not None:
            port = cp_.port_call_usd.sample(rng, n) * voy.calls
        else:
            port = cc.port_calls_usd(voy.gt, voy.loa_m, voy.calls, voy.hours_alongside,
                                     cp_.port_dues_usd_per_gt.sample(rng, n), cp_.pilotage_usd_per_gt.sample(rng, n),
                                     cp_.towage_usd_per_call.sample(rng, n), cp_.berth_usd_per_m_hour.sample(rng, n))
        # tolls: the catalogue's (one number) plus any the scenario draws
        canal = (voy.canal_usd + sum((d.sample(rng, n) for d in voy.canal_draws), np.zeros(n)) if voy.canal_draws
                 else voy.canal_usd + 0.0)
        rates = {"fuel": voy.fuel_t * price / occ, "vessel": charter * voy.round_days / occ,
                 "port": port / occ, "canal": canal / occ}
        fuel_rate_t = voy.fuel_t / occ
        for c, r in rates.items():
            car[c] += r * aboard
        seg_fuel = fuel_rate_t * aboard
        seg_fuel += 0.0  # as added to a zero start
        if route.tramp is None and seg.direction == voy.heavy_direction and voy.heavy_full_teu > 0:
            rate = rates["fuel"] + rates["vessel"] + rates["port"] + rates["canal"]
            per_empty = cp_.empty_move_usd.sample(rng, n) + cp_.empty_depot_usd_per_box.sample(rng, n) / 2.0
            car["repositioning"] += cc.repositioning_per_heavy_teu(
                rate, voy.days, voy.empty_teu, voy.heavy_full_teu, per_empty, per_box)
            seg_fuel += cc.repositioning_per_heavy_teu(fuel_rate_t, voy.days, voy.empty_teu, voy.heavy_full_teu,
                                                       0.0, per_box)
        if route.tramp is None:  # a tramp parcel is worked free in and out: the shipper pays its handling
            car["stevedoring"] += 2.0 * cp_.stevedoring_usd_per_move.sample(rng, n) / per_box
        if reefer:
            power_t = cc.reefer_power_fuel_t_per_day(cp_.reefer_power_kw_per_box.sample(rng, n),
                                                     cp_.aux_sfoc_g_per_kwh.sample(rng, n))
            power_t = power_t / REEFER_BOX_TEU * aboard
            seg_fuel += power_t
            car["fuel"] += power_t * price
        fuel_t = seg_fuel + 0.0 if fuel_t is None else fuel_t + seg_fuel
        co2_before, ttw_before = em["co2"], em["ttw"]
        _add_emissions(em, seg_fuel, v.fuel, cp_.co2_t_per_t_fuel)
        _price_carbon(plan, seg, seg_fuel, em["co2"] - co2_before, em["ttw"] - ttw_before,
                      _berth_share(seg, sea_days[s], stop_days[s]), em, eua_usd)
    if fuel_t is None:  # a route of no stretch burns nothing
        fuel_t = np.zeros(n)
    if route.tramp is not None:  # no boxes, and the owner's overheads are inside the charter hire
        return fuel_t
    box_day = cp_.dry_box_usd_per_teu_day.sample(rng, n)
    if reefer:
        box_day = box_day + cp_.reefer_usd_per_teu_day.sample(rng, n)
    car["equipment"] = cm.equipment_usd(door, box_day)
    car["overheads"] = cp_.overheads_usd_per_teu.sample(rng, n)
    return fuel_t




def _cargo_costs(plan: Plan, route: RoutePlan, rng, n: int, days, door, keeping_days, comp):
    """Terminal handling, inventory, reefer plug days and quality lost per TEU into ``comp``;
    returns (cargo value per TEU, the quality columns)."""
    cp_ = plan.costs
    cargo = route.cargo
    if route.tramp is not None:  # the parcel's cargo handling at both ends (data/tramp.yaml)
        comp["origin_charges"] = route.tramp.origin_usd.sample(rng, n)
        comp["destination_charges"] = route.tramp.destination_usd.sample(rng, n)
    elif cargo.reefer:
        comp["origin_charges"] = cp_.thc_origin_reefer_usd_per_teu.sample(rng, n)
        comp["destination_charges"] = cp_.thc_destination_reefer_usd_per_teu.sample(rng, n)
    else:
        comp["origin_charges"] = cp_.thc_origin_usd_per_teu.sample(rng, n)
        comp["destination_charges"] = cp_.thc_destination_usd_per_teu.sample(rng, n)
    value = cargo.value_usd.sample(rng, n) / cargo.teu
    comp["inventory"] = cm.inventory_carrying_usd(value, cp_.inventory_rate_per_year, door)
    terminal = days["origin_dwell"] + days["first_sailing"] + days["transshipment"] + days["destination_dwell"]
    if cargo.reefer:
        comp["reefer"] = cm.reefer_usd(terminal, cp_.reefer_plug_usd_per_teu_day.sample(rng, n))
    if cargo.quality is None:
        return value, {"quality": np.full(n, np.nan), "downgraded": np.zeros(n), "spoiled": np.zeros(n)}
    q = cargo.quality
    if keeping_days is None:
        keeping_days = q.keeping_days.sample(rng, n)
    used = qm.used_fraction(_equivalent_days(q, rng, n, door, terminal), keeping_days)
    downgraded, rejected = qm.box_shares(used, q.within_cv, q.reject_factor)
    comp["spoilage"] = cm.spoilage_usd(value, qm.value_lost_share(downgraded, rejected, q.downgrade_discount))
    return value, {"quality": qm.remaining_quality(used), "downgraded": downgraded, "spoiled": rejected}


def _equivalent_days(q, rng, n: int, door, terminal) -> np.ndarray:
    """Days at the reference temperature (that of the keeping days) that use as much keeping quality
    as the shipment's cold chain:
    the hours before pre-cooling at field temperature, the days on plug at terminals, the rest
    (aboard, on an overland leg) at the set point, and a reefer failure's days at its temperature."""
    precool = q.precool_hours.sample(rng, n) / 24.0
    aboard = door - terminal
    stretches = [precool, aboard, terminal]
    temps = [q.field_temp_c, q.carry_temp_c, q.terminal_temp_c]
    if q.failure_probability is not None:
        failed = rng.random(n) < q.failure_probability
        fault = np.minimum(np.where(failed, q.failure_days.sample(rng, n), 0.0), aboard)
        stretches[1] = aboard - fault
        stretches.append(fault)
        temps.append(q.failure_temp_c)
    return qm.equivalent_days(stretches, temps, q.reference_temp_c, q.q10)


cold_chain_equivalent_days = _equivalent_days
"""Public name of the cold chain's equivalent days (the speed optimiser values days at sea with it)."""


_SKETCHED = ("transit_days", "door_days", "cost_usd_per_teu", "logistics_usd_per_teu", "carrier_cost_usd_per_teu",
             "freight_usd_per_teu", "co2_t_per_teu", "co2e_ttw_t_per_teu",
             "co2e_wtw_t_per_teu", "co2e_wtw_g_per_teu_km", "co2e_wtw_g_per_tonne_km", "co2e_ets_t_per_teu",
             "co2e_plug_t_per_teu", "eu_ets_usd_per_teu", "fueleu_usd_per_teu", "imo_nzf_usd_per_teu",
             "quality_loss_usd_per_teu", "arrival_value_usd_per_teu")


class RouteAccumulator:
    """Streaming summary of one route's shipments (moments of every column, sketches of the main ones).

    ``co2e_wtt_t_per_teu`` has a :class:`~routesim.stats.SignedSketch`: a bio- or e-fuel's
    well-to-tank credit makes it negative.
    """

    def __init__(self):
        self.moments = {c: Moments() for c in SHIPMENT_COLUMNS}
        self.sketches = {c: LogSketch() for c in _SKETCHED}
        self.sketches["co2e_wtt_t_per_teu"] = SignedSketch()

    def add(self, cols: dict[str, np.ndarray]) -> None:
        sums: dict[int, tuple[float, float]] = {}  # columns that are one array (cost_freight is the freight) sum once
        scratch = None
        finite = {}
        for c in SHIPMENT_COLUMNS:
            v = np.asarray(cols[c], dtype=float)
            got = sums.get(id(cols[c]))
            if got is None:
                if scratch is None or scratch.shape != v.shape:
                    scratch = np.empty(v.shape)
                got = sums[id(cols[c])] = block_sums(v, scratch)
            self.moments[c].add_sums(v.size, *got)
            finite[c] = math.isfinite(got[0])  # a finite sum: every value is finite
        for c in self.sketches:
            v = np.asarray(cols[c], dtype=float)
            # a missing figure (NaN) has no quantiles
            self.sketches[c].add(v if finite[c] else v[np.isfinite(v)])

    def merge(self, other: "RouteAccumulator") -> None:
        for c in SHIPMENT_COLUMNS:
            self.moments[c].merge(other.moments[c])
        for c in self.sketches:
            self.sketches[c].merge(other.sketches[c])

    @property
    def n(self) -> int:
        return self.moments["transit_days"].n
