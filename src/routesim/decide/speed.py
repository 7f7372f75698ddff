"""The speed a ship should sail at: the expected total per TEU as a function of speed, and its minimum.

Pure functions of numbers and numpy arrays (no lookups; the caller resolves every figure from the
Plan, :mod:`routesim.decide.optimise`). A box sailing ``D`` nautical miles at ``v`` knots spends
``s(v) = D w / (24 v)`` days at sea (``w`` the mean weather factor, :func:`routesim.plan.schedule.sailing_days`).
The ship burns ``k v^n`` tonnes a day in its main engine (the propeller law of
:func:`routesim.costs.main_engine_fuel_t_per_day`, ``k = f_design / v_design^n``, ``n = 3``) and
``a`` in its auxiliaries, at ``P`` USD per tonne (plus ``c`` USD of carbon price per tonne of fuel
where carbon is priced); it costs ``H`` USD a day of hire, shared by the ``N`` TEU aboard; each box
carries ``i`` USD a day of inventory (its value times the annual rate / 365); a perishable loses
value with its days aboard (:mod:`routesim.quality`). Per TEU::

    C(v) = s(v) [ ((P + c) (k v^n + a) + H) / N + i ] + L(s(v))

With the cubic law and no quality loss (``L = 0``), ``dC/dv = 0`` gives the closed form

    v* = ((H + I) / (2 P k))^(1/3),   H = hire + (P + c) a,  I = N i,  P -> P + c

(:func:`closed_form_speed`); :func:`optimal_speed` minimises ``C`` numerically
(``scipy.optimize.minimize_scalar``, bounded) within the ship's speed range, with or without ``L``.

Examples
--------
>>> inp = SpeedInputs(distance_nm=9371, weather_factor=1.0, design_speed_kn=23, design_fuel_t_per_day=225,
...                   aux_t_per_day=0.0, fuel_usd_per_t=600, hire_usd_per_day=49000, teu_aboard=11200,
...                   inventory_usd_per_teu_day=5.0)
>>> v = optimal_speed(inp, 10.0, 23.0).speed_kn
>>> round(v, 2), round(closed_form_speed(49000, 11200 * 5.0, 600, 225 / 23 ** 3), 2)
(16.79, 16.79)
>>> ships_needed(round_voyage_days=60.0, headway_days=7.0)
9
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize_scalar

from .. import costs as cm
from .. import quality as qm
from ..plan.schedule import sailing_days

__all__ = ["SpeedInputs", "QualityCurve", "Optimum", "COMPONENTS", "MIN_SPEED_KN", "sea_days", "cost_per_teu",
           "closed_form_speed", "optimal_speed", "ships_needed", "round_voyage_days"]

MIN_SPEED_KN = 12.0
"""Lowest speed searched (knots) when the ship's own speed is above it: the lower end of the
'minimal cost' class (12-15 kn) of Notteboom & Carriou 2009 (https://transportgeography.org/?page_id=5955),
the slowest of the speed classes ``data/vessels.yaml`` cites; the catalogue holds no minimum speed."""
COMPONENTS = ("fuel", "vessel", "inventory", "quality", "carbon")
"""Parts of the expected total per TEU (USD): fuel, vessel time (hire), inventory, quality loss, carbon."""


@dataclass(frozen=True)
class QualityCurve:
    """A perishable's value lost as a function of its days at sea, over draws of its cold chain.

    ``used = (base_equivalent_days + sea_rate x sea days) / keeping_days`` per draw, where the
    sea days at speed ``v`` are ``sea_days_at_ref x ref_speed_kn / v``; the shares downgraded and
    rejected follow :func:`routesim.quality.box_shares`.
    """

    base_equivalent_days: np.ndarray
    """Equivalent days (at the keeping quality's temperature) of everything but the sea days, per draw."""
    sea_days_at_ref: np.ndarray
    """Days at sea per draw at ``ref_speed_kn`` (weather included)."""
    ref_speed_kn: float
    keeping_days: np.ndarray
    value_usd_per_teu: np.ndarray
    sea_rate: float
    """Equivalent days per day at sea (the carry temperature's rate, :func:`routesim.quality.rate_factor`)."""
    within_cv: float
    reject_factor: float
    downgrade_discount: float

    def loss_usd_per_teu(self, speed_kn) -> np.ndarray:
        """Expected value lost per TEU (USD) at each speed (knots; a number or an array)."""
        v = np.atleast_1d(np.asarray(speed_kn, dtype=float))[:, None]
        sea = self.sea_days_at_ref[None, :] * self.ref_speed_kn / v
        used = qm.used_fraction(self.base_equivalent_days[None, :] + self.sea_rate * sea, self.keeping_days[None, :])
        down, rejected = qm.box_shares(used, self.within_cv, self.reject_factor)
        lost = qm.value_lost_share(down, rejected, self.downgrade_discount)
        return (cm.spoilage_usd(self.value_usd_per_teu[None, :], lost)).mean(axis=1)


@dataclass(frozen=True)
class SpeedInputs:
    """The figures of :func:`cost_per_teu` (units in the names)."""

    distance_nm: float
    weather_factor: float
    design_speed_kn: float
    design_fuel_t_per_day: float
    aux_t_per_day: float
    fuel_usd_per_t: float
    hire_usd_per_day: float
    teu_aboard: float
    """TEU aboard that share the ship's day (capacity x share of slots full)."""
    inventory_usd_per_teu_day: float
    carbon_usd_per_t_fuel: float = 0.0
    """Carbon price x CO2 per tonne of fuel (USD per tonne of fuel; 0 where carbon is not priced)."""
    exponent: float = 3.0
    quality: QualityCurve | None = None

    @property
    def k(self) -> float:
        """Main-engine fuel coefficient ``f_design / v_design^n`` (t/day/kn^n)."""
        return self.design_fuel_t_per_day / self.design_speed_kn ** self.exponent

    def with_bunker(self, usd_per_t: float) -> "SpeedInputs":
        return replace(self, fuel_usd_per_t=float(usd_per_t))


def sea_days(speed_kn, inp: SpeedInputs):
    """Days at sea of the box's stretch at ``speed_kn`` (mean weather)."""
    return sailing_days(inp.distance_nm, np.asarray(speed_kn, dtype=float), inp.weather_factor)


def cost_per_teu(speed_kn, inp: SpeedInputs) -> dict[str, np.ndarray]:
    """Expected cost per TEU (USD) at each speed, by component (:data:`COMPONENTS`) and ``total``.

    >>> inp = SpeedInputs(2400, 1.0, 20, 160, 0.0, 500, 24000, 1000, 0.0)
    >>> c = cost_per_teu([10.0, 20.0], inp)
    >>> c["fuel"].round(1).tolist(), c["vessel"].tolist()   # 10 days at 20 t/day vs 5 days at 160 t/day
    ([100.0, 400.0], [240.0, 120.0])
    """
    v = np.atleast_1d(np.asarray(speed_kn, dtype=float))
    s = sea_days(v, inp)
    fuel_t = s * (cm.main_engine_fuel_t_per_day(v, inp.design_speed_kn, inp.design_fuel_t_per_day, inp.exponent)
                  + inp.aux_t_per_day)
    out = {
        "fuel": fuel_t * inp.fuel_usd_per_t / inp.teu_aboard,
        "vessel": s * inp.hire_usd_per_day / inp.teu_aboard,
        "inventory": s * inp.inventory_usd_per_teu_day,
        "quality": inp.quality.loss_usd_per_teu(v) if inp.quality is not None else np.zeros_like(v),
        "carbon": fuel_t * inp.carbon_usd_per_t_fuel / inp.teu_aboard,
    }
    out["total"] = sum(out[c] for c in COMPONENTS)
    return out


def closed_form_speed(hire_usd_per_day: float, inventory_usd_per_day: float, fuel_usd_per_t: float,
                      k: float) -> float:
    """``v* = ((H + I) / (2 P k))^(1/3)`` (knots): the cubic law's optimum without quality loss.

    ``H`` USD per ship-day (hire, plus auxiliary fuel), ``I`` USD per day of the cargo aboard
    (inventory), ``P`` USD per tonne of fuel (carbon price included), ``k`` t/day/kn^3.

    >>> round(closed_form_speed(30000, 20000, 500, 0.02), 3)
    13.572
    """
    if fuel_usd_per_t <= 0 or k <= 0:
        raise ValueError("closed_form_speed: the fuel price and k must be > 0")
    return ((hire_usd_per_day + inventory_usd_per_day) / (2.0 * fuel_usd_per_t * k)) ** (1.0 / 3.0)


@dataclass(frozen=True)
class Optimum:
    """The speed that minimises the expected total per TEU, and the total's parts there (USD/TEU)."""

    speed_kn: float
    total_usd_per_teu: float
    components: dict
    at_bound: bool
    """The optimum lies on a bound of the speed range (the unconstrained one is outside it)."""
    low_kn: float
    high_kn: float


def optimal_speed(inp: SpeedInputs, low_kn: float, high_kn: float, xatol: float = 1e-4) -> Optimum:
    """Minimise :func:`cost_per_teu` over ``[low_kn, high_kn]`` (``scipy.optimize.minimize_scalar``,
    bounded); the bounds themselves are candidates too (the optimum may lie on one)."""
    if not 0 < low_kn < high_kn:
        raise ValueError(f"optimal_speed: need 0 < low < high, got {low_kn}, {high_kn}")

    def total(v):
        return float(cost_per_teu(v, inp)["total"][0])

    res = minimize_scalar(total, bounds=(low_kn, high_kn), method="bounded", options={"xatol": xatol})
    speed, value = float(res.x), float(res.fun)
    for edge in (low_kn, high_kn):
        if total(edge) < value:
            speed, value = edge, total(edge)
    tol = 10 * xatol
    comps = {c: float(x[0]) for c, x in cost_per_teu(speed, inp).items()}
    return Optimum(speed, value, comps, speed <= low_kn + tol or speed >= high_kn - tol, float(low_kn), float(high_kn))


def round_voyage_days(speed_kn, sea_days_at_ref: float, ref_speed_kn: float, other_days: float):
    """Days of a round voyage at ``speed_kn`` whose sea days are ``sea_days_at_ref`` at ``ref_speed_kn``
    and whose calls and canal transits take ``other_days``.

    >>> float(round_voyage_days(10.0, 40.0, 20.0, 10.0))
    90.0
    """
    return np.asarray(sea_days_at_ref, dtype=float) * ref_speed_kn / np.asarray(speed_kn, dtype=float) + other_days


def ships_needed(round_voyage_days: float, headway_days: float) -> int:
    """Ships a service needs to sail every ``headway_days`` on a round voyage of ``round_voyage_days``."""
    return int(math.ceil(round_voyage_days / headway_days - 1e-9))
