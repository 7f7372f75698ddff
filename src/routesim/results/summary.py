"""Per-route summaries: the statistics of every metric, and comparisons between two routes.

A :class:`RouteSummary` holds, for one route, a :class:`MetricSummary` of each metric of
:data:`METRICS`, the shares of perishable boxes rejected (``spoiled_share``) and downgraded,
the share arriving before a market holiday, the mean days by leg kind and the
mean USD per TEU by cost component. They are built from a
:class:`~routesim.outcomes.RouteAccumulator` (exact streamed moments and quantile
sketches) and, when the per-shipment table was kept, the exact sample quantiles.

>>> s = MetricSummary(mean=30.0, sd=2.0, ci95=(29.9, 30.1), median=29.5, p5=27.0, p95=34.0,
...                   exact_quantiles=True)
>>> s.to_dict()["ci95"]
[29.9, 30.1]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..carrier import CARRIER_COMPONENTS
from ..costs import COMPONENTS, GROUPS
from ..errors import RoutesimError
from ..plan import KINDS
from .emissions import EMISSIONS_METHOD, carbon_info

__all__ = ["METRICS", "EMISSION_EXTRAS", "MONEY", "UNITS", "PER", "TRAMP_KINDS", "PARCEL_EMISSIONS", "MetricSummary",
           "RouteSummary", "summarise_route", "compare_summaries", "per_factor", "natural_per"]

METRICS = ("transit_days", "door_days", "cost_usd_per_teu", "logistics_usd_per_teu", "carrier_cost_usd_per_teu",
           "freight_usd_per_teu", "co2_t_per_teu", "co2e_wtw_t_per_teu", "co2e_wtw_g_per_teu_km",
           "quality_loss_usd_per_teu", "arrival_value_usd_per_teu")
"""The per-shipment metrics summarised for every route (``quality_loss_usd_per_teu``: value lost
to the cargo's condition; ``arrival_value_usd_per_teu``: what it is worth on arrival;
``co2_t_per_teu``: tank-to-wake CO2 only; ``co2e_wtw_*``: well-to-wake CO2e, GLEC Framework v3 /
ISO 14083, IPCC AR6 GWP100, :data:`routesim.outcomes.SHIPMENT_COLUMNS`)."""

EMISSION_EXTRAS = ("co2e_ttw_t_per_teu", "co2e_wtt_t_per_teu", "co2e_wtw_g_per_tonne_km", "co2e_plug_t_per_teu",
                   "co2e_ets_t_per_teu",
                   "eu_ets_usd_per_teu", "fueleu_usd_per_teu", "imo_nzf_usd_per_teu")
"""Emission columns summarised beside :data:`METRICS` (in :attr:`RouteSummary.metrics` and each route's
JSON, not in the summary table or comparisons): tank-to-wake and well-to-tank t CO2e per TEU, and
well-to-wake g CO2e per tonne-km (NaN, null in JSON, where the cargo has no tonnes per TEU), a reefer's
power on plug at terminals from their grids (t CO2e per TEU, part of WTW; NaN where a grid is a gap), the
t CO2e per TEU the EU ETS covers, stretch by stretch; what the EU ETS, FuelEU Maritime and (a what-if)
the IMO Net-Zero Framework charge per TEU (``carbon_rules``; together the carrier's ``emissions`` cost)."""

MONEY = ("cost_usd_per_teu", "logistics_usd_per_teu", "carrier_cost_usd_per_teu", "freight_usd_per_teu",
         "quality_loss_usd_per_teu", "arrival_value_usd_per_teu")
"""The money metrics (what ``per`` rescales)."""

UNITS = {"transit_days": "days", "door_days": "days", "cost_usd_per_teu": "USD/TEU",
         "logistics_usd_per_teu": "USD/TEU", "carrier_cost_usd_per_teu": "USD/TEU", "freight_usd_per_teu": "USD/TEU",
         "co2_t_per_teu": "t CO2/TEU", "co2e_wtw_t_per_teu": "t CO2e/TEU", "co2e_wtw_g_per_teu_km": "g CO2e/TEU-km",
         "co2e_ttw_t_per_teu": "t CO2e/TEU", "co2e_wtt_t_per_teu": "t CO2e/TEU", "co2e_wtw_g_per_tonne_km": "g CO2e/t-km",
         "co2e_ets_t_per_teu": "t CO2e/TEU", "co2e_plug_t_per_teu": "t CO2e/TEU", "eu_ets_usd_per_teu": "USD/TEU", "fueleu_usd_per_teu": "USD/TEU",
         "imo_nzf_usd_per_teu": "USD/TEU",
         "quality_loss_usd_per_teu": "USD/TEU", "arrival_value_usd_per_teu": "USD/TEU"}
"""The unit of each metric of :data:`METRICS` (money per TEU until rescaled)."""

PER = ("teu", "feu", "tonne", "unit", "parcel")
"""What money can be given per: a TEU, an FEU (2 TEU), a tonne of the cargo, a unit of it
(vehicle, kWh), or a tramp voyage's whole parcel."""

TRAMP_KINDS = ("bulk", "roro")
"""Cargo kinds that sail tramp voyages: the shipment is the parcel, and its ``*_per_teu`` figures are
per parcel until given per tonne (bulk) or per vehicle (roro), emissions included."""

PARCEL_EMISSIONS = ("co2_t_per_teu", "co2e_wtw_t_per_teu", "co2e_wtw_g_per_teu_km", "co2e_ttw_t_per_teu",
                    "co2e_wtt_t_per_teu", "co2e_ets_t_per_teu")
"""Emission metrics that a tramp route gives per tonne or per vehicle with its money (a container
route keeps them per TEU)."""


def per_factor(per: str, cargo: dict) -> tuple[float, str]:
    """(multiplier from USD per TEU, label) for money per ``per`` of the cargo ``cargo`` (a route's
    ``info["cargo"]``); an error when the cargo has no such unit.

    >>> per_factor("feu", {})
    (2.0, 'USD/FEU')
    >>> per_factor("tonne", {"t_per_teu": 6.39, "name": "Fresh blueberries"})[1]
    'USD/t'
    """
    name = cargo.get("name") or cargo.get("commodity") or "this cargo"
    kind = cargo.get("kind")
    if kind in TRAMP_KINDS:
        return _tramp_factor(per, cargo, name, kind)
    if per == "teu":
        return 1.0, "USD/TEU"
    if per == "feu":
        return 2.0, "USD/FEU"
    if per == "parcel":
        raise RoutesimError(f"per parcel: {name} travels in containers, not as a tramp parcel; use teu, feu, tonne or unit")
    if per == "tonne":
        if not cargo.get("t_per_teu"):
            raise RoutesimError(f"per tonne: {name} has no tonnes per TEU in data/commodities.yaml")
        return 1.0 / float(cargo["t_per_teu"]), "USD/t"
    if per == "unit":
        if not cargo.get("units_per_teu"):
            raise RoutesimError(f"per unit: {name} is not priced in units (vehicles, kWh); use teu, feu or tonne")
        return 1.0 / float(cargo["units_per_teu"]), f"USD/{cargo['unit']}"
    raise RoutesimError(f"per must be one of {', '.join(PER)}, got {per!r}")

def _tramp_factor(per: str, cargo: dict, name: str, kind: str) -> tuple[float, str]:
    """(multiplier from USD per parcel, label) for a tramp parcel: per parcel, tonne (bulk) or vehicle (roro).

    >>> _tramp_factor("tonne", {"t_per_teu": 50000.0}, "copper concentrate", "bulk")
    (2e-05, 'USD/t')
    """
    natural = "tonne" if kind == "bulk" else "unit"
    if per == "parcel":
        return 1.0, "USD/parcel"
    if per == natural:
        per_parcel = cargo.get("t_per_teu") if kind == "bulk" else cargo.get("units_per_teu")
        return 1.0 / float(per_parcel), ("USD/t" if kind == "bulk" else f"USD/{cargo.get('unit') or 'vehicle'}")
    if per not in PER:
        raise RoutesimError(f"per must be one of {', '.join(PER)}, got {per!r}")
    raise RoutesimError(f"per {per}: {name} travels as a {kind} parcel on a tramp ship, not in containers: "
                        f"use {natural} or parcel")


def natural_per(cargo: dict) -> str:
    """What a route's money is given per by default: ``teu``, or for a tramp parcel ``tonne`` (bulk)
    or ``unit`` (roro, vehicles).

    >>> natural_per({"kind": "bulk"}), natural_per({"kind": "dry"})
    ('tonne', 'teu')
    """
    return {"bulk": "tonne", "roro": "unit"}.get(cargo.get("kind"), "teu")


_Z95 = 1.959963984540054  # standard normal quantile of 0.975: the 95 % interval is mean +- _Z95 * sem


@dataclass(frozen=True)
class MetricSummary:
    """Mean (with its 95 % confidence interval), median, p5 and p95 of one metric.

    All values are in the metric's unit (:data:`UNITS`: days, USD/TEU or t CO2/TEU).

    Attributes
    ----------
    mean, sd : float
        Sample mean and standard deviation.
    ci95 : tuple of float
        Normal-approximation 95 % confidence interval of the mean, ``(low, high)``.
    median, p5, p95 : float
        Sample quantiles 0.5, 0.05 and 0.95.
    exact_quantiles : bool
        True when the quantiles come from every shipment (interpolated), False
        when they come from the streaming sketch (within its relative error).
    """

    mean: float
    sd: float
    ci95: tuple[float, float]
    median: float
    p5: float
    p95: float
    exact_quantiles: bool

    def to_dict(self) -> dict:
        """The JSON form: ``mean``, ``median``, ``p5``, ``p95``, ``sd`` and ``ci95`` as ``[low, high]``."""
        return {"mean": self.mean, "median": self.median, "p5": self.p5, "p95": self.p95,
                "sd": self.sd, "ci95": list(self.ci95)}

    def scaled(self, k: float) -> "MetricSummary":
        """Every figure times ``k`` (> 0): the same metric in another unit."""
        return MetricSummary(self.mean * k, self.sd * k, (self.ci95[0] * k, self.ci95[1] * k), self.median * k,
                             self.p5 * k, self.p95 * k, self.exact_quantiles)


@dataclass(frozen=True)
class RouteSummary:
    """Everything summarised for one route.

    Attributes
    ----------
    route : str
        The route's name in the scenario.
    n : int
        Shipments summarised.
    metrics : dict of str to MetricSummary
        One per metric of :data:`METRICS`.
    spoiled_share : float
        Share of the perishable boxes rejected on arrival (0 to 1; 0 for a cargo that does not perish).
    days_by_kind : dict of str to float
        Mean days of each leg kind (:data:`routesim.plan.KINDS`); they add up to the mean door days.
    cost_by_component : dict of str to float
        Mean USD per TEU of each component of the landed cost (:data:`routesim.costs.COMPONENTS`);
        they add up to the mean cost per TEU (a missing duty, NaN, left out).
    carrier_by_component : dict of str to float
        Mean USD per TEU of each component of the carrier's cost
        (:data:`routesim.carrier.CARRIER_COMPONENTS`); they add up to the carrier cost per TEU.
    margin : float
        Mean carrier margin per TEU (freight and terminal charges collected less carrier cost, USD).
    per : str
        What money is given per (:data:`PER`); ``teu`` unless rescaled with :meth:`in_units`.
    info : dict
        What the route is: origin, destination, sea distance (nautical miles), chokepoints,
        transshipment hubs, services and calls (empty without a plan).
    downgraded_share : float
        Share of the perishable boxes downgraded (sold at a discount) on arrival.
    quality : float
        Mean remaining keeping quality at delivery (0 to 1; NaN for a cargo that does not perish).
    share_before_holiday : float or None
        Share of shipments delivered before the scenario's market holiday (None when it names none).
    """

    route: str
    n: int
    metrics: dict[str, MetricSummary]
    spoiled_share: float
    days_by_kind: dict[str, float]
    cost_by_component: dict[str, float]
    carrier_by_component: dict[str, float] = field(default_factory=dict)
    margin: float = math.nan
    info: dict[str, Any] = field(default_factory=dict)
    per: str = "teu"
    downgraded_share: float = 0.0
    quality: float = math.nan
    share_before_holiday: float | None = None

    @property
    def cost_by_group(self) -> dict[str, float]:
        """Mean landed cost by group (logistics, trade, carbon), in the summary's money unit."""
        return {g: float(sum(v for c in names if not math.isnan(v := self.cost_by_component[c])))
                for g, names in GROUPS.items()}

    def in_units(self, per: str) -> "RouteSummary":
        """This summary with every money figure per ``per`` (:data:`PER`) of the cargo instead of per TEU."""
        if per == self.per:
            return self
        cargo = self.info.get("cargo", {})
        k = per_factor(per, cargo)[0] / per_factor(self.per, cargo)[0]
        scaled = MONEY + (PARCEL_EMISSIONS if cargo.get("kind") in TRAMP_KINDS else ())
        metrics = {m: (s.scaled(k) if m in scaled else s) for m, s in self.metrics.items()}
        return RouteSummary(self.route, self.n, metrics, self.spoiled_share, dict(self.days_by_kind),
                            {c: v * k for c, v in self.cost_by_component.items()},
                            {c: v * k for c, v in self.carrier_by_component.items()}, self.margin * k,
                            dict(self.info), per, self.downgraded_share, self.quality, self.share_before_holiday)

    def to_dict(self) -> dict:
        """The JSON form of one route in ``routesim run --json``."""
        out: dict[str, Any] = {"n": self.n, "per": self.per}
        for m in METRICS + EMISSION_EXTRAS:
            if m in self.metrics:
                out[m] = self.metrics[m].to_dict()
        out["carrier_margin_usd_per_teu"] = self.margin
        out["spoiled_share"] = self.spoiled_share
        out["downgraded_share"] = self.downgraded_share
        if not math.isnan(self.quality):
            out["quality"] = self.quality
        if self.share_before_holiday is not None:
            out["share_before_holiday"] = self.share_before_holiday
        out["days_by_kind"] = dict(self.days_by_kind)
        out["cost_by_component"] = dict(self.cost_by_component)
        out["cost_by_group"] = self.cost_by_group
        out["carrier_cost_by_component"] = dict(self.carrier_by_component)
        out.update(self.info)
        if self.info.get("cargo", {}).get("kind") in TRAMP_KINDS:
            out["per_teu_columns"] = (f"this route is a tramp parcel: every *_per_teu figure is {per_factor(self.per, self.info['cargo'])[1]} "
                                      f"(emissions per {self.per} too; co2e_wtw_g_per_teu_km per {self.per}-km)")
        return out


def _metric_from(moments, sketch, values: np.ndarray | None) -> MetricSummary:
    """One metric's summary: moments for the mean and sd; exact quantiles of ``values`` if given, else
    the sketch's (NaN without a sketch)."""
    mean = moments.mean
    if math.isnan(mean):  # a missing figure (e.g. freight on a lane the record does not price)
        nan = math.nan
        return MetricSummary(nan, nan, (nan, nan), nan, nan, nan, values is not None)
    sd = math.sqrt(moments.var) if moments.n > 1 else 0.0
    half = _Z95 * moments.sem if moments.n > 1 else 0.0
    if values is not None:
        p5, med, p95 = (float(v) for v in np.quantile(values, [0.05, 0.5, 0.95]))
        exact = True
    elif sketch is not None:
        p5, med, p95 = sketch.quantile(0.05), sketch.quantile(0.5), sketch.quantile(0.95)
        exact = False
    else:  # a column without a sketch (it may be negative): the mean only
        p5 = med = p95 = math.nan
        exact = False
    return MetricSummary(float(mean), float(sd), (float(mean - half), float(mean + half)), med, p5, p95, exact)


def _route_info(name: str, plan) -> dict[str, Any]:
    """What route ``name`` of ``plan`` is (ports, sea distance in nm, passages, services, calls)."""
    if plan is None or name not in plan.routes:
        return {}
    rp = plan.routes[name]
    info = {
        "origin": rp.origin,
        "destination": rp.destination,
        "sea_distance_nm": rp.sea_distance_nm,
        "chokepoints": list(rp.chokepoints),
        "transshipment_hubs": list(rp.hubs),
        "services": [s.service for s in rp.segments],
        "calls": [list(s.calls) for s in rp.segments],
    }
    if rp.overland_assumption:
        info["overland_assumption"] = rp.overland_assumption
    info["emissions_method"] = dict(EMISSIONS_METHOD)
    info.update(carbon_info(rp, plan))
    c = rp.cargo
    info["cargo"] = {"commodity": c.commodity, "name": c.name, "kind": "reefer" if c.reefer else c.kind,
                     "teu": c.teu, "t_per_teu": c.t_per_teu, "unit": c.unit, "units_per_teu": c.units_per_teu,
                     "perishable": c.quality is not None}
    if rp.tramp is not None:
        t = rp.tramp
        # one shipment is one parcel: no TEU; t_per_teu / units_per_teu hold the parcel's tonnes / vehicles
        info["cargo"].update({"teu": None, "parcel_units": t.units, "parcel_unit": t.unit, "vessel_class": t.vessel_class})
        info["tramp"] = t.note
    if c.quality is not None:
        q = c.quality
        info["cold_chain"] = {"atmosphere": q.atmosphere, "carry_temp_c": q.carry_temp_c,
                              "terminal_temp_c": q.terminal_temp_c, "keeping_days": str(q.keeping_days),
                              "reefer_failure": None if q.failure_probability is None else
                              {"probability": q.failure_probability, "days": str(q.failure_days),
                               "temp_c": q.failure_temp_c}}
    if rp.plug_queue is not None:
        pq = rp.plug_queue
        info["reefer_plugs"] = (f"{pq.port}: {pq.plugs:,} plugs held {pq.holding_days:.1f} days a box; "
                                f"wait for a plug {pq.mean_wait_days:.2f} days averaged over the study days")
    if c.season is not None:
        info["season"] = f"ready over the export season of {c.season.label} (data/seasons.yaml)"
    if c.market is not None:
        info["market"] = c.market.note
        if c.market.holiday is not None:
            info["market_holiday"] = c.market.holiday.name
    if rp.freight is not None:
        info["freight"] = rp.freight.describe()
    missing = {}
    if c.tariff_missing:
        missing["tariff"] = c.tariff_missing
    if rp.freight is not None and rp.freight.basis == "missing":
        missing["freight"] = rp.freight.missing
    if missing:
        info["missing"] = missing
    return info


def summarise_route(name: str, acc, frame=None, plan=None) -> RouteSummary:
    """The summary of route ``name`` from its accumulator.

    Parameters
    ----------
    name : str
        The route's name.
    acc : routesim.outcomes.RouteAccumulator
        The route's streamed moments and sketches.
    frame : pandas.DataFrame, optional
        The route's rows of the per-shipment table: when given (and not empty), the
        quantiles are exact instead of the sketch's.
    plan : routesim.plan.Plan, optional
        Adds what the route is (:attr:`RouteSummary.info`).
    """
    metrics = {}
    for m in METRICS + EMISSION_EXTRAS:
        values = frame[m].to_numpy(dtype=float) if frame is not None and len(frame) else None
        if values is not None:
            values = values[np.isfinite(values)]  # a missing figure (NaN) has no quantiles
        metrics[m] = _metric_from(acc.moments[m], acc.sketches.get(m), values)
    days = {k: acc.moments[f"days_{k}"].mean for k in KINDS}
    cost = {c: acc.moments[f"cost_{c}"].mean for c in COMPONENTS}
    carrier = {c: acc.moments[f"carrier_{c}"].mean for c in CARRIER_COMPONENTS}
    holiday = acc.moments["before_holiday"].mean
    info = _route_info(name, plan)
    tramp = info.get("cargo", {}).get("kind") in TRAMP_KINDS
    out = RouteSummary(name, acc.n, metrics, acc.moments["spoiled"].mean, days, cost, carrier,
                       acc.moments["carrier_margin_usd_per_teu"].mean, info, "parcel" if tramp else "teu",
                       acc.moments["downgraded"].mean, acc.moments["quality"].mean,
                       None if math.isnan(holiday) else float(holiday))
    return out.in_units(natural_per(info.get("cargo", {}))) if tramp else out


def _row(metric: str, unit: str, label_a: str, label_b: str, va: float, vb: float) -> dict:
    """One comparison row: both means, the difference ``vb - va`` (in ``unit``), percent and ratio."""
    diff = vb - va
    return {"metric": metric, "unit": unit, label_a: va, label_b: vb, "difference": diff,
            "percent": 100.0 * diff / va if va else math.nan, "ratio": vb / va if va else math.nan}


def compare_summaries(a: RouteSummary, b: RouteSummary, label_a: str, label_b: str):
    """Route ``b`` against route ``a``: one row per metric, then days by kind and USD by component.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``metric`` (a metric of :data:`METRICS`, ``spoiled_share``,
        ``days:<kind>``, ``usd:<component>`` or ``carrier:<component>``; kinds and components that are zero on
        both routes are left out), with columns ``unit``, ``label_a`` and ``label_b``
        (the means), ``difference`` (b - a, in the unit), ``percent`` (of a) and
        ``ratio`` (b / a); percent and ratio are NaN where a is 0.
    """
    import pandas as pd

    if a.per != b.per:  # e.g. a container route per TEU against a car carrier's per vehicle
        try:
            b = b.in_units(a.per)
        except RoutesimError:
            try:
                a = a.in_units(b.per)
            except RoutesimError:
                raise RoutesimError(f"routes {a.route} and {b.route} are given per {a.per} and per {b.per}, and neither "
                                    "can be given per the other's unit; compare them per unit or tonne") from None
    money = per_factor(a.per, a.info.get("cargo", {}))[1]
    rows = [_row(m, money if m in MONEY else UNITS[m], label_a, label_b, a.metrics[m].mean, b.metrics[m].mean)
            for m in METRICS]
    rows.append(_row("spoiled_share", "share", label_a, label_b, a.spoiled_share, b.spoiled_share))
    rows.append(_row("downgraded_share", "share", label_a, label_b, a.downgraded_share, b.downgraded_share))
    for k in KINDS:
        va, vb = a.days_by_kind[k], b.days_by_kind[k]
        if va or vb:
            rows.append(_row(f"days:{k}", "days", label_a, label_b, va, vb))
    for c in COMPONENTS:
        va, vb = a.cost_by_component[c], b.cost_by_component[c]
        if va or vb:
            rows.append(_row(f"usd:{c}", money, label_a, label_b, va, vb))
    for c in CARRIER_COMPONENTS:
        va, vb = a.carrier_by_component.get(c, 0.0), b.carrier_by_component.get(c, 0.0)
        if va or vb:
            rows.append(_row(f"carrier:{c}", money, label_a, label_b, va, vb))
    return pd.DataFrame(rows).set_index("metric")
