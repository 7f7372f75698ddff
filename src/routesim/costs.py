"""Cost model: pure, vectorized functions of numpy arrays.

Every function takes numbers or numpy arrays that broadcast together and
returns a numpy array (or numpy scalar) of the broadcast shape; nothing is
mutated and nothing is random. Units are in the argument names: days,
nautical miles (``_nm``), knots (``_kn``), tonnes (``_t``), USD (``_usd``),
TEU; rates are fractions (0.085 = 8.5 %).

A rate argument left as ``None`` is read from the shipped catalogue
(:func:`routesim.catalogue.cost_defaults`, ``data/costs.yaml``), where each
default carries its source; the only numbers written here are unit
conversions (24 hours per day, 365 days per year).

The cost of moving one TEU is gathered in a :class:`CostBreakdown` with the
fixed components of :data:`COMPONENTS`, built by :func:`cost_breakdown`.

Examples
--------
>>> from routesim import costs
>>> float(costs.sailing_days(9350, 17))  # Chancay -> Shanghai at 17 kn
22.916666666666668
>>> round(float(costs.inventory_carrying_usd(60_000, 0.08, 23)), 2)
302.47
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from . import catalogue

__all__ = [
    "COMPONENTS",
    "HOURS_PER_DAY",
    "DAYS_PER_YEAR",
    "CostBreakdown",
    "cost_breakdown",
    "cost_default",
    "sailing_days",
    "main_engine_fuel_t_per_day",
    "sea_fuel_t",
    "port_fuel_t",
    "fuel_cost_usd",
    "vessel_time_cost_usd",
    "per_teu",
    "port_call_usd_per_teu",
    "thc_usd",
    "panama_lock_class",
    "panama_toll_usd",
    "suez_toll_usd",
    "canal_toll_usd",
    "canal_toll_usd_per_teu",
    "transshipment_usd",
    "reefer_usd",
    "inventory_carrying_usd",
    "spoiled",
    "spoilage_usd",
    "spoilage_probability",
    "co2_t",
    "carbon_cost_usd",
    "tariff_rate",
    "tariff_usd",
    "settlement_fee_usd",
]

HOURS_PER_DAY = 24.0
"""Hours in a day (knots are nautical miles per hour)."""
DAYS_PER_YEAR = 365.0
"""Days in the year used to pro-rate annual rates (actual/365 convention)."""


def _a(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def cost_default(name: str) -> float:
    """The catalogue default ``name`` of ``data/costs.yaml`` as a float (see its ``source``)."""
    try:
        return float(catalogue.cost_defaults()[name].value)
    except KeyError:
        from .errors import UnknownNameError

        raise UnknownNameError(
            f"unknown cost default {name!r}; known: {', '.join(catalogue.COST_DEFAULT_KEYS)}",
            tuple(catalogue.COST_DEFAULT_KEYS),
        ) from None


def _or_default(value: Any, name: str) -> np.ndarray:
    return _a(cost_default(name) if value is None else value)


# ------------------------------------------------------------------ sailing
def sailing_days(distance_nm, speed_kn):
    """Days to sail ``distance_nm`` nautical miles at ``speed_kn`` knots: d / (24 v).

    Raises ``ValueError`` when a speed is not positive.
    """
    d, v = _a(distance_nm), _a(speed_kn)
    if np.any(v <= 0):
        raise ValueError("sailing_days: speed_kn must be > 0")
    return d / (v * HOURS_PER_DAY)


def main_engine_fuel_t_per_day(speed_kn, design_speed_kn, design_fuel_t_per_day, exponent=3.0):
    """Main-engine fuel (tonnes/day) by the propeller law f_design * (v / v_design)^n.

    ``exponent`` n = 3 is the cubic law (calibration.md 2b: 8,000 TEU burns
    ~225 t/day at 24 kn and ~150 at 21 kn, (21/24)^3 = 0.67); in service the
    fitted exponent is often below 3 (Taskar & Andersen 2020).
    """
    v, vd = _a(speed_kn), _a(design_speed_kn)
    if np.any(vd <= 0) or np.any(v < 0):
        raise ValueError("main_engine_fuel_t_per_day: speeds must be >= 0 and design speed > 0")
    return _a(design_fuel_t_per_day) * (v / vd) ** _a(exponent)


def sea_fuel_t(distance_nm, speed_kn, design_speed_kn, design_fuel_t_per_day, aux_fuel_t_per_day, exponent=3.0):
    """Fuel for a passage (tonnes): sailing days x (main engine at ``speed_kn`` + auxiliaries).

    Per nautical mile the main-engine share grows as v^(n-1) (v^2 for the cubic law).
    """
    days = sailing_days(distance_nm, speed_kn)
    per_day = main_engine_fuel_t_per_day(speed_kn, design_speed_kn, design_fuel_t_per_day, exponent)
    return days * (per_day + _a(aux_fuel_t_per_day))


def port_fuel_t(port_days, port_fuel_t_per_day):
    """Fuel burnt at berth or anchor (tonnes): days x tonnes/day."""
    return _a(port_days) * _a(port_fuel_t_per_day)


def fuel_cost_usd(fuel_t, bunker_usd_per_t=None):
    """Bunker cost (USD) of ``fuel_t`` tonnes; default price ``bunker_usd_per_t`` (VLSFO, data/costs.yaml)."""
    return _a(fuel_t) * _or_default(bunker_usd_per_t, "bunker_usd_per_t")


def vessel_time_cost_usd(days, charter_usd_per_day):
    """Time cost of the ship (USD): days x time-charter hire (USD/day, opex included)."""
    return _a(days) * _a(charter_usd_per_day)


# -------------------------------------------------------- allocation to TEU
def per_teu(vessel_cost_usd, capacity_teu, utilisation=None):
    """Share of a vessel cost borne by one TEU slot used: cost / (capacity x utilisation).

    ``utilisation`` defaults to ``vessel_utilisation`` (headhaul load factor, data/costs.yaml).
    """
    cap = _a(capacity_teu)
    util = _or_default(utilisation, "vessel_utilisation")
    if np.any(cap <= 0) or np.any(util <= 0) or np.any(util > 1):
        raise ValueError("per_teu: capacity_teu must be > 0 and 0 < utilisation <= 1")
    return _a(vessel_cost_usd) / (cap * util)


def port_call_usd_per_teu(calls, port_call_usd, capacity_teu, utilisation=None):
    """Vessel port charges (pilotage, towage, dues) per TEU: calls x port_call_usd / (capacity x utilisation).

    ``port_call_usd=None`` reads the derived per-call figure in data/costs.yaml.
    """
    total = _a(calls) * _or_default(port_call_usd, "port_call_usd")
    return per_teu(total, capacity_teu, utilisation)


def thc_usd(reefer, origin_usd=None, destination_usd=None, origin_reefer_usd=None, destination_reefer_usd=None):
    """Terminal handling charges at origin plus destination (USD per TEU), reefer rates where ``reefer``.

    Defaults: ``thc_origin_usd_per_teu``, ``thc_destination_usd_per_teu`` and
    their ``_reefer_`` variants in data/costs.yaml.
    """
    r = np.asarray(reefer, dtype=bool)
    dry = _or_default(origin_usd, "thc_origin_usd_per_teu") + _or_default(destination_usd, "thc_destination_usd_per_teu")
    cold = _or_default(origin_reefer_usd, "thc_origin_reefer_usd_per_teu") + _or_default(
        destination_reefer_usd, "thc_destination_reefer_usd_per_teu"
    )
    return np.where(r, cold, dry)


# ------------------------------------------------------------------- canals
_LOCK_CLASSES = ("regular", "super", "neopanamax")


def _fig_value(x: Any) -> float:
    return float(x.value) if isinstance(x, catalogue.Figure) else float(x)


def panama_lock_class(capacity_teu, super_max_teu=None):
    """Panama lock class by capacity: ``"neopanamax"`` above the Super limit, else ``"super"``.

    The Super limit (5,000 TEU, ACP) comes from data/chokepoints.yaml; ``"regular"``
    (beam < 91 ft) cannot be told from TEU alone and must be passed explicitly.
    """
    limit = super_max_teu
    if limit is None:
        limit = _fig_value(catalogue.chokepoints()["panama"].toll["super_max_teu"])
    return np.where(_a(capacity_teu) > float(limit), "neopanamax", "super")


def panama_toll_usd(capacity_teu, loaded_teu, empty_teu, lock_class=None, tariff=None):
    """Panama Canal toll of one container-ship transit (USD).

    toll = fixed fee[lock class] + TTA tariff[lock class] x capacity
    + loaded tariff x loaded TEU + empty tariff x empty TEU (ACP structure).
    ``tariff`` defaults to the ``panama`` toll block of data/chokepoints.yaml; a
    plain mapping with the same keys (numbers or Figures) may be passed instead.
    ``lock_class`` defaults to :func:`panama_lock_class`.
    """
    t = catalogue.chokepoints()["panama"].toll if tariff is None else tariff
    cap, loaded, empty = _a(capacity_teu), _a(loaded_teu), _a(empty_teu)
    if np.any(cap < 0) or np.any(loaded < 0) or np.any(empty < 0):
        raise ValueError("panama_toll_usd: TEU counts must be >= 0")
    if lock_class is None:
        limit = _fig_value(t["super_max_teu"]) if "super_max_teu" in t else None
        cls = panama_lock_class(cap, limit)
    else:
        cls = np.asarray(lock_class)
    bad = set(np.unique(cls).tolist()) - set(_LOCK_CLASSES)
    if bad:
        raise ValueError(f"panama_toll_usd: unknown lock class {sorted(bad)}; use {list(_LOCK_CLASSES)}")
    fixed = np.select([cls == c for c in _LOCK_CLASSES], [_fig_value(t["fixed_fee_usd"][c]) for c in _LOCK_CLASSES])
    tta = np.select([cls == c for c in _LOCK_CLASSES], [_fig_value(t["capacity_usd_per_teu"][c]) for c in _LOCK_CLASSES])
    return (
        fixed
        + tta * cap
        + _fig_value(t["loaded_usd_per_teu"]) * loaded
        + _fig_value(t["empty_usd_per_teu"]) * empty
    )


def suez_toll_usd(capacity_teu, usd_per_teu_capacity=None):
    """Suez Canal toll of one transit (USD), approximated as a rate per TEU of capacity.

    The default rate (data/chokepoints.yaml, derived from a 2022 Xeneta figure and the
    Jan 2024 +15 % increase) stands in for the SCNT-based tariff.
    """
    rate = usd_per_teu_capacity
    if rate is None:
        rate = _fig_value(catalogue.chokepoints()["suez"].toll["usd_per_teu_capacity"])
    return _a(capacity_teu) * _a(rate)


def canal_toll_usd(chokepoint, capacity_teu, loaded_teu=None, empty_teu=0.0, lock_class=None):
    """Toll of one transit of ``chokepoint`` (USD); zero for passages without a toll.

    ``loaded_teu`` defaults to the capacity (Panama only uses it).
    """
    cp = catalogue.chokepoints()[chokepoint]
    kind = cp.toll.get("kind")
    cap = _a(capacity_teu)
    if kind == "panama_teu":
        loaded = cap if loaded_teu is None else loaded_teu
        return panama_toll_usd(cap, loaded, empty_teu, lock_class=lock_class, tariff=cp.toll)
    if kind == "per_teu_capacity":
        return cap * _fig_value(cp.toll["usd_per_teu_capacity"])
    return np.zeros_like(cap)


def canal_toll_usd_per_teu(chokepoint, capacity_teu, utilisation=None, empty_teu=0.0, lock_class=None):
    """Toll per loaded TEU (USD): the transit toll shared by capacity x utilisation loaded TEU."""
    util = _or_default(utilisation, "vessel_utilisation")
    loaded = _a(capacity_teu) * util
    toll = canal_toll_usd(chokepoint, capacity_teu, loaded, empty_teu, lock_class)
    return per_teu(toll, capacity_teu, util)


# ------------------------------------------------------------- cargo costs
def transshipment_usd(transshipments, usd_per_teu=None):
    """Transshipment charges per TEU (USD): count x ``transshipment_usd_per_teu`` (derived, data/costs.yaml)."""
    return _a(transshipments) * _or_default(usd_per_teu, "transshipment_usd_per_teu")


def reefer_usd(days, usd_per_teu_day=None):
    """Reefer equipment premium per TEU (USD): days x ``reefer_usd_per_teu_day`` (derived, data/costs.yaml)."""
    return _a(days) * _or_default(usd_per_teu_day, "reefer_usd_per_teu_day")


def inventory_carrying_usd(value_usd, annual_rate, days):
    """Capital cost of cargo in transit (USD): value x annual rate x days / 365.

    ``annual_rate=None`` reads ``inventory_rate_per_year`` (US prime rate 2024, data/costs.yaml).
    """
    return _a(value_usd) * _or_default(annual_rate, "inventory_rate_per_year") * _a(days) / DAYS_PER_YEAR


def spoiled(days, shelf_life_days):
    """Boolean array: True where the cargo's days exceed its remaining shelf life (days)."""
    return _a(days) > _a(shelf_life_days)


def spoilage_usd(value_usd, spoiled_mask):
    """Value lost to spoilage (USD): the whole cargo value where ``spoiled_mask`` is True."""
    return _a(value_usd) * np.asarray(spoiled_mask, dtype=float)


def _gammainc_lower(a: np.ndarray, x: np.ndarray, iterations: int = 400) -> np.ndarray:
    """Regularized lower incomplete gamma P(a, x), vectorized (series / continued fraction)."""
    a, x = np.broadcast_arrays(_a(a), _a(x))
    out = np.zeros(a.shape)
    pos = x > 0
    lg = np.vectorize(math.lgamma, otypes=[float])(a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        logpre = np.where(pos, -x + a * np.log(np.where(pos, x, 1.0)) - lg, -np.inf)
        # series for x < a + 1
        term = 1.0 / a
        total = term.copy()
        for n in range(1, iterations):
            term = term * x / (a + n)
            total = total + term
        p_series = total * np.exp(logpre)
        # continued fraction (modified Lentz) for Q when x >= a + 1
        tiny = 1e-300
        b = x + 1.0 - a
        c = np.full(a.shape, 1.0 / tiny)
        d = 1.0 / np.where(np.abs(b) < tiny, tiny, b)
        h = d.copy()
        for i in range(1, iterations):
            an = -i * (i - a)
            b = b + 2.0
            d = an * d + b
            d = np.where(np.abs(d) < tiny, tiny, d)
            c = b + an / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            d = 1.0 / d
            h = h * d * c
        p_cf = 1.0 - np.exp(logpre) * h
    out = np.where(x < a + 1.0, p_series, p_cf)
    return np.clip(np.where(pos, out, 0.0), 0.0, 1.0)


def spoilage_probability(days, shelf_life_mean_days, shelf_life_cv, family="gamma"):
    """Probability that the remaining shelf life is shorter than ``days`` (0-1).

    Shelf life S has mean ``shelf_life_mean_days`` and coefficient of variation
    ``shelf_life_cv``; ``family`` is ``"gamma"`` (shape 1/cv^2, scale mean*cv^2,
    as ``gamma(mean, cv)`` in routesim.distributions) or ``"normal"``
    (calibration.md 3d's suggestion; gives S < 0 a small probability).
    The mean/cv per commodity are a modelling choice (data/commodities.yaml).
    """
    t = _a(days)
    mean, cv = _a(shelf_life_mean_days), _a(shelf_life_cv)
    if np.any(mean <= 0) or np.any(cv <= 0):
        raise ValueError("spoilage_probability: mean and cv must be > 0")
    if family == "gamma":
        shape = 1.0 / cv**2
        scale = mean * cv**2
        return _gammainc_lower(shape, np.maximum(t, 0.0) / scale)
    if family == "normal":
        z = (t - mean) / (mean * cv * math.sqrt(2.0))
        return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[float])(z))
    raise ValueError(f"spoilage_probability: family must be 'gamma' or 'normal', got {family!r}")


# ------------------------------------------------------------ carbon, trade
def co2_t(fuel_t, factor=None):
    """CO2 emitted (tonnes): fuel tonnes x ``co2_t_per_t_fuel`` (3.114, IMO MEPC.364(79), data/costs.yaml)."""
    return _a(fuel_t) * _or_default(factor, "co2_t_per_t_fuel")


def carbon_cost_usd(co2_tonnes, carbon_usd_per_t=None):
    """Carbon price paid (USD): tonnes CO2 x ``carbon_usd_per_t`` (default 0, data/costs.yaml)."""
    return _a(co2_tonnes) * _or_default(carbon_usd_per_t, "carbon_usd_per_t")


def tariff_rate(importer, commodity, origin, on=None):
    """Ad-valorem import tariff (fraction) from data/trade.yaml, with FTA exemptions.

    Zero when ``origin == importer``; the line's ``fta_rate`` when an FTA between
    importer and origin is in force on ``on`` (a ``datetime.date``; default the
    file's ``as_of``) and covers the good; otherwise the MFN rate in force on ``on``.
    Raises UnknownNameError for an (importer, commodity) pair without a tariff line.
    """
    return catalogue.trade().rate(importer, commodity, origin, on)


def tariff_usd(value_usd, rate, origin=None, importer=None, ftas=None):
    """Import duty (USD): value x rate, zero where ``origin`` and ``importer`` share an FTA in ``ftas``.

    ``origin``/``importer`` are country codes (strings or arrays of strings) and
    ``ftas`` an iterable of country pairs (e.g. ``[("CN", "PE")]``); leave them
    ``None`` when ``rate`` already accounts for preferences (see :func:`tariff_rate`).
    """
    duty = _a(value_usd) * _a(rate)
    if origin is None or importer is None or ftas is None:
        return duty
    pairs = {frozenset((str(a).upper(), str(b).upper())) for a, b in ftas}
    o, i = np.broadcast_arrays(np.asarray(origin, dtype=object), np.asarray(importer, dtype=object))
    exempt = np.frompyfunc(lambda x, y: frozenset((str(x).upper(), str(y).upper())) in pairs or x == y, 2, 1)(o, i)
    return np.where(np.asarray(exempt, dtype=bool), 0.0, duty)


def settlement_fee_usd(value_usd, fee_rate=None):
    """Currency conversion / settlement cost (USD): value x ``settlement_fee_rate`` (data/costs.yaml).

    Pass ``cost_default("settlement_fee_rate_local_currency")`` for direct CNY/BRL settlement.
    """
    return _a(value_usd) * _or_default(fee_rate, "settlement_fee_rate")


# ----------------------------------------------------------------- breakdown
COMPONENTS: tuple[str, ...] = (
    "fuel",
    "vessel",
    "port",
    "canal",
    "transshipment",
    "inventory",
    "reefer",
    "spoilage",
    "carbon",
    "tariff",
    "settlement",
    "overland",
)
"""Cost components, USD per TEU:

fuel (bunkers at sea and in port), vessel (charter/time share), port (port calls
and terminal handling), canal (tolls), transshipment (hub lifts and storage),
inventory (capital cost of cargo days), reefer (equipment and plug days),
spoilage (value lost), carbon (carbon price), tariff (import duty),
settlement (currency conversion fees), overland (a land leg before the sea origin,
what-if routes only)."""


@dataclass(frozen=True)
class CostBreakdown:
    """Cost of moving one TEU, by component (USD per TEU); arrays share one shape.

    Build with :func:`cost_breakdown`, which checks names and shapes.
    """

    fuel: np.ndarray
    vessel: np.ndarray
    port: np.ndarray
    canal: np.ndarray
    transshipment: np.ndarray
    inventory: np.ndarray
    reefer: np.ndarray
    spoilage: np.ndarray
    carbon: np.ndarray
    tariff: np.ndarray
    settlement: np.ndarray
    overland: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return self.fuel.shape

    def total(self) -> np.ndarray:
        """Sum of all components (USD per TEU)."""
        out = np.zeros(self.shape)
        for name in COMPONENTS:
            out = out + getattr(self, name)
        return out

    def as_dict(self) -> dict[str, np.ndarray]:
        """Component name -> array, in :data:`COMPONENTS` order."""
        return {name: getattr(self, name) for name in COMPONENTS}

    def means(self) -> dict[str, float]:
        """Component name -> mean over all elements (USD per TEU)."""
        return {name: float(np.mean(getattr(self, name))) for name in COMPONENTS}


assert tuple(f.name for f in fields(CostBreakdown)) == COMPONENTS


def cost_breakdown(**components) -> CostBreakdown:
    """Assemble a :class:`CostBreakdown` from arrays (USD per TEU), one per name in :data:`COMPONENTS`.

    Every component must be given (pass 0 for none); arrays are broadcast to one
    shape, must be finite, and are stored read-only.
    """
    missing = [c for c in COMPONENTS if c not in components]
    unknown = sorted(set(components) - set(COMPONENTS))
    if missing or unknown:
        raise ValueError(f"cost_breakdown: missing components {missing}, unknown components {unknown}")
    arrays = [_a(components[c]) for c in COMPONENTS]
    try:
        arrays = np.broadcast_arrays(*arrays)
    except ValueError as exc:
        shapes = {c: np.shape(components[c]) for c in COMPONENTS}
        raise ValueError(f"cost_breakdown: component shapes do not broadcast: {shapes}") from exc
    out = {}
    for name, arr in zip(COMPONENTS, arrays):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"cost_breakdown: component {name!r} has non-finite values")
        arr = np.array(arr, dtype=float)  # own contiguous copy
        arr.setflags(write=False)
        out[name] = arr
    return CostBreakdown(**out)
