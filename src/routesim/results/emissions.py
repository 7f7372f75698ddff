"""The emissions view of a route: how the figures were made, and the GLEC default beside them.

routesim's emissions are *modelled* (ISO 14083 data type): each box carries its share of its
ship's fuel by TEU-days aboard (:mod:`routesim.carrier`), tank-to-wake and well-to-tank CO2e of
that fuel in IPCC AR6 GWP100 (:data:`routesim.outcomes.SHIPMENT_COLUMNS`). :func:`glec_view` puts
the GLEC Framework *default* intensity of the route's trade lane (``data/glec.yaml``) beside it;
:func:`emissions_table` is :meth:`routesim.results.Results.emissions`.

Lane rule (:func:`glec_lane`): a route through the Panama Canal is on the ``panama_trade``
lane; otherwise a route between an Asian and a South American port is ``asia_south_america``;
anything else ``other_global``. Where ``data/glec.yaml`` has no published value for that lane and
cargo kind the default is None (a stated gap, never a guess), and the nearest published lane is
named separately.

>>> glec_lane(("panama",), "BR", "CN"), glec_lane((), "PE", "CN"), glec_lane((), "MX", "CN")
('panama_trade', 'asia_south_america', 'other_global')
"""

from __future__ import annotations

import math
from typing import Any

from ..catalogue import glec_lanes
from ..emissions import abatement_cost_usd_per_t, cii_rating, cii_required
from ..plan.fuels import VLSFO

__all__ = ["EMISSIONS_METHOD", "SOUTH_AMERICA", "ASIA", "glec_lane", "glec_view", "cii_view", "carbon_info",
           "emissions_table",
           "corridor_table", "corridor_text"]

EMISSIONS_METHOD = {
    "data_type": "modelled",
    "allocation": ("TEU-days aboard (routesim.carrier), the GLEC/Clean Cargo convention of allocating a "
                   "vessel's fuel by TEU carried; each box's share of its round voyage by the days it is "
                   "aboard, its share of the empties sent back, and its reefer power"),
    "gwp": "IPCC AR6 GWP100",
    "scope": ("WTW = TTW + WTT of the ship's fuel (a reefer's power aboard included), plus the transshipment hubs "
              "(costs.terminal_co2e_kg_per_teu_handled), a reefer's power on plug at terminals from their grids "
              "(data/grid.yaml) and an overland leg's CO2 as given; "
              "g per TEU-km is the ship's WTW over the route's sea distance"),
}
"""How routesim's emissions are made (stated in every route's JSON as ``emissions_method``)."""

SOUTH_AMERICA = ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE")
"""ISO 3166 countries of South America (the GLEC ``asia_south_america`` lane's one end)."""
ASIA = ("CN", "HK", "JP", "KR", "KH", "ID", "IN", "LK", "MY", "PH", "SG", "TH", "TW", "VN")
"""ISO 3166 countries of East, South-East and South Asia (the lane's other end)."""

_NEAREST = ("panama_trade", "other_global")
"""Lanes to fall back on, in order, for the nearest published default."""


def glec_lane(chokepoints, origin_country: str, destination_country: str) -> str:
    """The GLEC trade lane of a route (see the module's lane rule)."""
    if "panama" in chokepoints:
        return "panama_trade"
    ends = {origin_country, destination_country}
    if ends & set(SOUTH_AMERICA) and ends & set(ASIA):
        return "asia_south_america"
    return "other_global"


def _value(lane: str, reefer: bool) -> float | None:
    lanes = glec_lanes()
    return getattr(lanes[lane], "reefer_g_per_teu_km" if reefer else "dry_g_per_teu_km")


def glec_view(rp, plan) -> dict[str, Any]:
    """The GLEC default beside route ``rp`` (a :class:`~routesim.plan.RoutePlan` of ``plan``).

    Returns
    -------
    dict
        ``glec_lane``, ``glec_default_g_per_teu_km`` (g CO2e per TEU-km, WTW; None with
        ``glec_gap`` where the lane has no published value), ``glec_nearest`` (the nearest
        published lane and its value, with its edition, GWP set and utilisation) and
        ``glec_vs_modelled`` (what differs: ship size, speed, utilisation).
    """
    ports = plan.ports
    lane = glec_lane(rp.chokepoints, ports[rp.origin].country, ports[rp.destination].country)
    reefer = rp.cargo.reefer
    key = "reefer_g_per_teu_km" if reefer else "dry_g_per_teu_km"
    lanes = glec_lanes()
    value = _value(lane, reefer)
    out: dict[str, Any] = {"glec_lane": lane, "glec_default_g_per_teu_km": value}
    if value is None:
        out["glec_gap"] = lanes[lane].gaps.get(key, "no published value in data/glec.yaml")
    near = next((ln for ln in (lane, *_NEAREST) if _value(ln, reefer) is not None), None)
    if near is not None:
        g = lanes[near]
        out["glec_nearest"] = {"lane": near, "g_per_teu_km": _value(near, reefer), "edition": g.edition,
                               "gwp": g.gwp, "distance_basis": g.distance_basis, "utilisation": g.utilisation}
    seg = max(rp.segments, key=lambda s: s.distance_nm)
    util = lanes[near or lane].utilisation
    out["glec_vs_modelled"] = (
        f"modelled: a {seg.vessel.teu:,.0f} TEU ship on {seg.vessel.fuel.id} at {seg.speed_kn:.1f} kn on the "
        f"longest stretch ({seg.utilisation:.0%} of slots full that way), its round voyage's fuel shared over "
        "every TEU-day aboard, full and empty; the GLEC default is a trade-lane average of carriers' "
        f"reported fleets (all ship sizes and speeds) adjusted to the Clean Cargo {util:.0%} utilisation "
        "convention")
    return out


def cii_view(rp, plan) -> list[dict[str, Any]]:
    """The IMO CII rating of each ship a route ``rp`` of ``plan`` sails on, one entry per stretch.

    Attained AER = CO2 of the service's round voyage (the ship's fuel x its CO2 factor) / (deadweight
    x the round voyage's distance), g CO2 per DWT-nm, as if the ship sailed that loop all year
    (no idle days); required CII of the emission year ``plan.carbon.year`` (MEPC.353(78),
    MEPC.338(76)/MEPC.400(83)); rating A-E (MEPC.354(78)). A ship without a deadweight, or one
    that is not a container ship (a tramp voyage), gets None with the reason.
    """
    year = plan.carbon.year
    out = []
    for seg in rp.segments:
        v, voy = seg.vessel, seg.voyage
        row: dict[str, Any] = {"service": seg.service, "vessel": v.id, "dwt": v.dwt, "year": year,
                               "attained_g_per_dwt_nm": None, "required_g_per_dwt_nm": None, "rating": None}
        if rp.tramp is not None:
            row["gap"] = ("data/carbon_rules.yaml holds the container ships' CII reference line only; bulk carriers "
                          "and car carriers have their own (MEPC.353(78)), not shipped")
        elif v.dwt is None or voy is None or voy.distance_nm <= 0:
            row["gap"] = "no deadweight for the vessel class (vessels.<class>.dwt)"
        else:
            co2_per_t = plan.costs.co2_t_per_t_fuel if v.fuel.id == VLSFO else v.fuel.co2_t_per_t
            attained = voy.fuel_t * v.fuel.t_per_t_vlsfo * co2_per_t * 1e6 / (v.dwt * voy.distance_nm)
            required = float(cii_required(v.dwt, year))
            row.update(attained_g_per_dwt_nm=round(attained, 3), required_g_per_dwt_nm=round(required, 3),
                       rating=str(cii_rating(attained, required)))
        out.append(row)
    return out


def carbon_info(rp, plan) -> dict[str, Any]:
    """What a route's JSON says about its emissions beside the metrics: the GLEC view (container
    routes), the CII of its ships, the carbon rules priced and any grid without a figure."""
    if rp.tramp is None:
        out = glec_view(rp, plan)
    else:  # data/glec.yaml holds container trade-lane defaults (g CO2e per TEU-km) only
        out = {"glec_vs_modelled": ("no GLEC default shipped for a bulk or car carrier: data/glec.yaml holds "
                                    "container trade-lane defaults (g CO2e per TEU-km) only")}
    out["cii"] = cii_view(rp, plan)
    if rp.plug_grid is not None and rp.plug_grid.gaps:
        out["plug_grid_gaps"] = list(rp.plug_grid.gaps)
    c = plan.carbon
    out["carbon_rules"] = {"year": c.year, "eu_ets": c.eu_ets, "fueleu": c.fueleu, "imo_nzf": c.imo_nzf}
    return out


def emissions_table(res):
    """One row per route of ``res`` (a :class:`~routesim.results.Results`): what a sustainability report needs.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``route``; mean ``ttw_t_per_teu``, ``wtt_t_per_teu``, ``wtw_t_per_teu``
        (t CO2e per TEU), ``wtw_g_per_teu_km``, ``wtw_g_per_tonne_km`` (g CO2e; NaN without tonnes
        per TEU), ``eu_ets_t_per_teu`` (t CO2e the EU ETS covers), ``eu_ets_usd_per_teu``,
        ``fueleu_usd_per_teu``, ``imo_nzf_usd_per_teu`` (what each rule charges), ``cii_rating`` and
        ``cii_attained_g_per_dwt_nm`` (of each stretch's ship, comma-separated; :func:`cii_view`), ``glec_lane``, ``glec_default_g_per_teu_km`` (NaN for a gap),
        ``ratio_to_default`` (modelled / default), ``glec_nearest_lane``, ``glec_nearest_g_per_teu_km``,
        ``ratio_to_nearest``, ``data_type``, ``allocation``, ``gwp``, ``glec_vs_modelled`` and ``per`` (what the
        ``_per_teu`` figures are per: a tramp parcel's are per tonne or per vehicle, its ``_per_teu_km`` per
        tonne-km or vehicle-km).
    """
    import pandas as pd

    rows = []
    for name, r in res.routes.items():
        m = r.metrics
        info = r.info
        g = m["co2e_wtw_g_per_teu_km"].mean
        default = info.get("glec_default_g_per_teu_km")
        near = info.get("glec_nearest") or {}
        nearest = near.get("g_per_teu_km")
        rows.append({
            "route": name, "ttw_t_per_teu": m["co2e_ttw_t_per_teu"].mean,
            "wtt_t_per_teu": m["co2e_wtt_t_per_teu"].mean, "wtw_t_per_teu": m["co2e_wtw_t_per_teu"].mean,
            "wtw_g_per_teu_km": g, "wtw_g_per_tonne_km": m["co2e_wtw_g_per_tonne_km"].mean,
            "plug_t_per_teu": m["co2e_plug_t_per_teu"].mean,
            "eu_ets_t_per_teu": m["co2e_ets_t_per_teu"].mean,
            **{k: m[k].mean for k in ("eu_ets_usd_per_teu", "fueleu_usd_per_teu", "imo_nzf_usd_per_teu")},
            "cii_rating": ", ".join(str(c["rating"]) for c in info.get("cii", [])),
            "cii_attained_g_per_dwt_nm": ", ".join(str(c["attained_g_per_dwt_nm"]) for c in info.get("cii", [])),
            "glec_lane": info.get("glec_lane"),
            "glec_default_g_per_teu_km": math.nan if default is None else default,
            "ratio_to_default": g / default if default else math.nan,
            "glec_nearest_lane": near.get("lane"),
            "glec_nearest_g_per_teu_km": math.nan if nearest is None else nearest,
            "ratio_to_nearest": g / nearest if nearest else math.nan,
            **{k: EMISSIONS_METHOD[k] for k in ("data_type", "allocation", "gwp")},
            "glec_vs_modelled": info.get("glec_vs_modelled", ""),
            "per": r.per,
        })
        if "tramp" in info:  # a tramp parcel (routesim.plan.tramp): per tonne or vehicle, the whole voyage its own
            rows[-1]["allocation"] = "the parcel is the ship's only cargo: it carries the whole round voyage, ballast leg included"
    return pd.DataFrame(rows).set_index("route")


def corridor_table(res, baseline: str, option: str):
    """A green corridor against its conventional baseline: route ``option`` of ``res`` against ``baseline``.

    The abatement cost is the carrier's extra cost per TEU (the fuel bill is the carrier's;
    the shipper's freight follows the market rate) over the WTW CO2e per TEU avoided
    (:func:`routesim.emissions.abatement_cost_usd_per_t`).

    Returns
    -------
    pandas.DataFrame
        Indexed by route (``baseline``, ``option``): ``transit_days``, ``door_days``,
        ``carrier_cost_usd_per_teu``, ``cost_usd_per_teu`` (landed), ``co2e_wtw_t_per_teu``,
        ``co2e_wtw_g_per_teu_km`` (means), ``fuel``, and for the option ``co2e_avoided_t_per_teu``
        and ``abatement_usd_per_t_co2e`` (NaN on the baseline's row).
    """
    import pandas as pd

    rows = []
    for name in (baseline, option):
        r = res.routes[name]
        m = r.metrics
        row = {"route": name, **{k: m[k].mean for k in ("transit_days", "door_days", "carrier_cost_usd_per_teu",
                                                        "cost_usd_per_teu", "co2e_wtw_t_per_teu",
                                                        "co2e_wtw_g_per_teu_km")}}
        row["fuel"] = ", ".join(dict.fromkeys(s.vessel.fuel.id for s in res.plan.routes[name].segments)) \
            if res.plan is not None else ""
        rows.append(row)
    base, opt = rows
    opt["co2e_avoided_t_per_teu"] = base["co2e_wtw_t_per_teu"] - opt["co2e_wtw_t_per_teu"]
    opt["abatement_usd_per_t_co2e"] = float(abatement_cost_usd_per_t(
        opt["carrier_cost_usd_per_teu"], opt["co2e_wtw_t_per_teu"],
        base["carrier_cost_usd_per_teu"], base["co2e_wtw_t_per_teu"]))
    base["co2e_avoided_t_per_teu"] = base["abatement_usd_per_t_co2e"] = math.nan
    return pd.DataFrame(rows).set_index("route")


def corridor_text(res, baseline: str, option: str) -> str:
    """:func:`corridor_table` as a few readable lines (what ``scenarios/green_corridor.yaml`` is for)."""
    t = corridor_table(res, baseline, option)
    lines = []
    for name, r in t.iterrows():
        lines.append(f"{name:24} {r['fuel']:14} transit {r['transit_days']:6.2f} d  carrier "
                     f"{r['carrier_cost_usd_per_teu']:7,.0f} USD/TEU  WTW {r['co2e_wtw_t_per_teu']:.3f} t CO2e/TEU "
                     f"({r['co2e_wtw_g_per_teu_km']:.1f} g/TEU-km)")
    o = t.loc[option]
    lines.append(f"{option} avoids {o['co2e_avoided_t_per_teu']:.3f} t CO2e per TEU at "
                 f"{o['abatement_usd_per_t_co2e']:,.0f} USD per t CO2e avoided (carrier cost basis)")
    return "\n".join(lines) + "\n"
