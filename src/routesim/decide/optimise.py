"""The speed optimiser for one route of a scenario: the figures from its Plan, the maths of :mod:`.speed`.

:func:`optimise_speed` compiles the scenario, takes the route's longest sea stretch (or the one
asked for) and reads from the Plan its distance, vessel class (design speed and fuel, auxiliary
fuel, hire, capacity), share of slots full, mean weather factor, bunker price (or the one given),
carbon price and the cargo's value and inventory rate. For a perishable it runs the Monte Carlo
engine on the route once and keeps each shipment's days, so that the value lost is a function of
the days at sea over the cold chain's draws (:class:`~routesim.decide.speed.QualityCurve`).
It then minimises the expected total per TEU (fuel + vessel time + inventory + quality loss +
carbon) between the lowest speed searched (:data:`~routesim.decide.speed.MIN_SPEED_KN`) and the
class's design speed (``data/vessels.yaml``), and shows what the speed does to the schedule: the
service's round voyage and the ships a weekly service (and one at its own headway) needs.

Assumptions, stated: every box aboard is like this cargo (the inventory of the whole ship is ``N``
times this box's); the speed changes the sea days only (calls, canal transits and waits stay); a
reefer's power aboard and a reefer failure's timing do not depend on the speed.

>>> sp = optimise_speed("scenarios/chancay_vs_callao.yaml", "chancay_direct", replications=500)
>>> sp.optimum.speed_kn > sp.at_bunker(1200).optimum.speed_kn
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import api, catalogue
from .. import costs as cm
from .. import quality as qm
from ..errors import RoutesimError
from ..outcomes import cold_chain_equivalent_days
from ..plan.fuels import VLSFO
from .speed import (MIN_SPEED_KN, Optimum, QualityCurve, SpeedInputs, closed_form_speed, cost_per_teu,
                    optimal_speed, round_voyage_days, ships_needed)

__all__ = ["SpeedPlan", "optimise_speed", "WEEKLY_DAYS"]

WEEKLY_DAYS = 7.0
"""Headway of a weekly service (days)."""


@dataclass(frozen=True)
class SpeedPlan:
    """The optimum speed of one stretch of a route, the total per TEU and the schedule around it."""

    scenario: str
    route: str
    segment: int
    service: str
    vessel: str
    current_speed_kn: float
    headway_days: float
    inputs: SpeedInputs
    optimum: Optimum
    current: dict
    """The expected total per TEU and its parts at the current speed (USD/TEU)."""
    closed_form_kn: float | None
    """The closed form's speed (cubic law, no quality loss), clipped to the range; None for a perishable."""
    round_sea_days: float
    """Sea days of the service's round voyage at the current speed."""
    round_other_days: float
    """Days of the round voyage at calls and canals."""

    def round_days(self, speed_kn: float) -> float:
        return float(round_voyage_days(speed_kn, self.round_sea_days, self.current_speed_kn, self.round_other_days))

    def ships(self, speed_kn: float, headway_days: float = WEEKLY_DAYS) -> int:
        """Ships the service needs at ``speed_kn`` to sail every ``headway_days``."""
        return ships_needed(self.round_days(speed_kn), headway_days)

    def at_bunker(self, usd_per_t: float) -> "SpeedPlan":
        """The same stretch optimised at another bunker price (USD per tonne)."""
        return _solved(self.scenario, self.route, self.segment, self.service, self.vessel, self.current_speed_kn,
                       self.headway_days, self.inputs.with_bunker(usd_per_t), self.optimum.low_kn,
                       self.optimum.high_kn, self.round_sea_days, self.round_other_days)

    def curve(self, speeds=None):
        """The expected total per TEU and its parts over a grid of speeds (pandas DataFrame, USD/TEU)."""
        import pandas as pd

        v = np.linspace(self.optimum.low_kn, self.optimum.high_kn, 60) if speeds is None else np.asarray(speeds, float)
        return pd.DataFrame(cost_per_teu(v, self.inputs), index=pd.Index(v, name="speed_kn"))

    def to_dict(self) -> dict:
        o = self.optimum
        return {"scenario": self.scenario, "route": self.route, "segment": self.segment, "service": self.service,
                "vessel": self.vessel, "bunker_usd_per_t": self.inputs.fuel_usd_per_t,
                "speed_range_kn": [o.low_kn, o.high_kn], "current_speed_kn": self.current_speed_kn,
                "optimum_speed_kn": o.speed_kn, "at_bound": o.at_bound, "closed_form_kn": self.closed_form_kn,
                "total_usd_per_teu": {"current": self.current["total"], "optimum": o.total_usd_per_teu},
                "components_usd_per_teu": {"current": self.current, "optimum": o.components},
                "sea_days": {"current": self._sea(self.current_speed_kn), "optimum": self._sea(o.speed_kn)},
                "round_voyage_days": {"current": self.round_days(self.current_speed_kn),
                                      "optimum": self.round_days(o.speed_kn)},
                "ships_weekly": {"current": self.ships(self.current_speed_kn), "optimum": self.ships(o.speed_kn)},
                "headway_days": self.headway_days,
                "ships_at_headway": {"current": self.ships(self.current_speed_kn, self.headway_days),
                                     "optimum": self.ships(o.speed_kn, self.headway_days)}}

    def _sea(self, v: float) -> float:
        return float(self.inputs.distance_nm * self.inputs.weather_factor / (24.0 * v))

    def __str__(self) -> str:
        d, o = self.to_dict(), self.optimum
        lines = [f"{self.scenario}: route {self.route}, stretch {self.segment} ({self.service}, {self.vessel}, "
                 f"{self.inputs.distance_nm:,.0f} nm) at bunker {self.inputs.fuel_usd_per_t:,.0f} USD/t",
                 f"speed range {o.low_kn:g}-{o.high_kn:g} kn; expected total per TEU "
                 f"(fuel + vessel time + inventory + quality loss + carbon):",
                 f"{'':>12} {'speed kn':>9} {'total':>8} " + " ".join(f"{c:>9}" for c in o.components if c != "total")
                 + f" {'sea d':>6} {'round d':>7} {'ships/wk':>8}"]
        for label, v, comps in (("current", self.current_speed_kn, self.current),
                                ("optimum", o.speed_kn, o.components)):
            lines.append(f"{label:>12} {v:>9.2f} {comps['total']:>8,.0f} "
                         + " ".join(f"{comps[c]:>9,.0f}" for c in comps if c != "total")
                         + f" {self._sea(v):>6.1f} {self.round_days(v):>7.1f} {self.ships(v):>8}")
        if o.at_bound:
            lines.append("the optimum lies on a bound of the speed range")
        if self.closed_form_kn is not None:
            lines.append(f"closed form ((H + I) / (2 P k))^(1/3): {self.closed_form_kn:.2f} kn")
        else:
            lines.append("closed form: does not apply (the cargo loses value with its days at sea)")
        if self.headway_days != WEEKLY_DAYS:
            lines.append(f"at the service's own headway ({self.headway_days:g} days): "
                         f"{d['ships_at_headway']['current']} ships now, {d['ships_at_headway']['optimum']} at the optimum")
        return "\n".join(lines)

    def plot(self, ax=None):
        """The expected total per TEU against speed, stacked by part, with the optimum marked (matplotlib)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        c = self.curve()
        parts = [p for p in ("fuel", "vessel", "inventory", "quality", "carbon") if c[p].abs().max() > 0]
        ax.stackplot(c.index, *(c[p] for p in parts), labels=parts, alpha=0.7)
        ax.axvline(self.optimum.speed_kn, color="k", ls="--", lw=1,
                   label=f"optimum {self.optimum.speed_kn:.1f} kn")
        ax.axvline(self.current_speed_kn, color="grey", ls=":", lw=1, label=f"now {self.current_speed_kn:.1f} kn")
        ax.set_xlabel("speed (knots)")
        ax.set_ylabel("expected USD per TEU")
        ax.set_title(f"{self.route}: bunker {self.inputs.fuel_usd_per_t:,.0f} USD/t")
        ax.legend(fontsize=8)
        return ax


def _solved(scenario, route, i, service, vessel, v0, headway, inp, low, high, round_sea, round_other) -> SpeedPlan:
    opt = optimal_speed(inp, low, high)
    current = {c: float(x[0]) for c, x in cost_per_teu(v0, inp).items()}
    closed = None
    if inp.quality is None and inp.exponent == 3.0:
        p = inp.fuel_usd_per_t + inp.carbon_usd_per_t_fuel
        raw = closed_form_speed(inp.hire_usd_per_day + p * inp.aux_t_per_day,
                                inp.teu_aboard * inp.inventory_usd_per_teu_day, p, inp.k)
        closed = float(min(max(raw, low), high))
    return SpeedPlan(scenario, route, i, service, vessel, v0, headway, inp, opt, current, closed, round_sea, round_other)


def optimise_speed(scenario, route: str, *, bunker_usd_per_t: float | None = None, segment: int | None = None,
                   replications: int = 2000, seed: int | None = None, network=None, root=None) -> SpeedPlan:
    """The speed minimising the expected total per TEU on a route of a scenario.

    Parameters
    ----------
    scenario : Scenario or path
    route : str
        A route of the scenario.
    bunker_usd_per_t : float, optional
        Fuel price (USD per tonne of VLSFO-equivalent); default: the scenario's mean.
    segment : int, optional
        The stretch to optimise (0 = first); default: the longest at sea.
    replications, seed : int
        Monte Carlo shipments (and seed; default the scenario's) for a perishable's quality loss.

    Raises
    ------
    RoutesimError
        An unknown route (with suggestions), a bad segment or bunker price, a bad scenario.
    """
    s = scenario if not isinstance(scenario, (str, Path)) else api.load_scenario(scenario, root=root)
    route = catalogue.resolve_name("route", route, s.routes)
    if bunker_usd_per_t is not None and not 0 < bunker_usd_per_t <= 5000:
        raise RoutesimError(f"--bunker-usd-per-t must be a price between 0 and 5,000 USD/t, got {bunker_usd_per_t:g}")
    alone = s.with_overrides({f"routes.{r}": None for r in s.routes if r != route}) if len(s.routes) > 1 else s
    plan = api.compile_plan(alone, network)
    rp = plan.routes[route]
    segs = rp.segments
    if segment is None:
        segment = int(np.argmax([g.distance_nm for g in segs]))
    if not 0 <= segment < len(segs):
        raise RoutesimError(f"route {route} has {len(segs)} stretch(es): segment must be 0-{len(segs) - 1}, got {segment}")
    g = segs[segment]
    v, costs, cargo = g.vessel, plan.costs, rp.cargo
    fuel = v.fuel
    if bunker_usd_per_t is not None:
        price = float(bunker_usd_per_t)
    elif fuel.price_usd_per_t is not None:
        price = float(fuel.price_usd_per_t.mean) * fuel.t_per_t_vlsfo
    else:
        price = float(costs.bunker_usd_per_t.mean)
    co2_per_t = float(costs.co2_t_per_t_fuel) if fuel.id == VLSFO else fuel.co2_t_per_t * fuel.t_per_t_vlsfo
    value = float(cargo.value_usd.mean) / cargo.teu
    seed = s.seed if seed is None else int(seed)
    inp = SpeedInputs(
        distance_nm=g.distance_nm, weather_factor=float(plan.operations.weather_factor.mean),
        design_speed_kn=v.design_speed_kn, design_fuel_t_per_day=v.design_fuel_t_per_day,
        aux_t_per_day=v.aux_fuel_t_per_day, fuel_usd_per_t=price,
        hire_usd_per_day=float(v.charter_usd_per_day.mean), teu_aboard=v.teu * g.utilisation,
        inventory_usd_per_teu_day=float(cm.inventory_carrying_usd(value, float(costs.inventory_rate_per_year), 1.0)),
        carbon_usd_per_t_fuel=float(costs.carbon_usd_per_t.mean) * co2_per_t,
        quality=_quality_curve(alone, rp, segment, replications, seed, network) if cargo.quality else None)
    low, high = min(MIN_SPEED_KN, g.speed_kn), max(v.design_speed_kn, g.speed_kn)
    voy = g.voyage
    sea = float(sum(voy.sea_days))
    return _solved(s.name, route, segment, g.service, v.id, g.speed_kn, g.headway_days, inp, low, high,
                   sea, voy.round_days - sea)


def _quality_curve(scenario, rp, segment: int, n: int, seed: int, network) -> QualityCurve:
    """Each shipment's days from one Monte Carlo run of the route, and the cold chain's draws."""
    res = api.run(scenario, engine="montecarlo", replications=n, seed=seed, network=network,
                  overrides={"montecarlo.keep_shipments": True})
    t = res.shipments
    t = t[t["route"] == rp.name] if "route" in t.columns else t
    share = rp.segments[segment].distance_nm / sum(g.distance_nm for g in rp.segments)
    sea = t["days_sail"].to_numpy(float) * share
    door = t["door_days"].to_numpy(float)
    terminal = sum(t[f"days_{k}"].to_numpy(float)
                   for k in ("origin_dwell", "first_sailing", "transshipment", "destination_dwell"))
    q, cargo = rp.cargo.quality, rp.cargo
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 17]))
    m = door.shape[0]
    rate = float(qm.rate_factor(q.carry_temp_c, q.reference_temp_c, q.q10))
    # the whole chain at the current speed (a reefer failure's days included), less the sea days' share
    base = cold_chain_equivalent_days(q, rng, m, door, terminal) - rate * sea
    return QualityCurve(base_equivalent_days=base, sea_days_at_ref=sea, ref_speed_kn=rp.segments[segment].speed_kn,
                        keeping_days=q.keeping_days.sample(rng, m), value_usd_per_teu=cargo.value_usd.sample(rng, m) / cargo.teu,
                        sea_rate=rate,
                        within_cv=q.within_cv, reject_factor=q.reject_factor, downgrade_discount=q.downgrade_discount)

