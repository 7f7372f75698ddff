"""The cost model: pure, vectorized functions of numpy arrays, the ones the engines call.

Every function takes numbers or numpy arrays that broadcast together and returns a numpy
array (or numpy scalar) of the broadcast shape; nothing is mutated, nothing is random and
nothing is looked up: every rate is an argument, resolved by the Plan from the scenario and
the catalogue (``data/costs.yaml``, each figure with its source). Units are in the argument
names: days, knots (``_kn``), tonnes (``_t``), USD (``_usd``), TEU; rates are fractions
(0.085 = 8.5 %). The per-shipment arithmetic that strings them together is
:func:`routesim.outcomes.shipment_columns`.

Examples
--------
>>> round(float(inventory_carrying_usd(60_000, 0.08, 23)), 2)
302.47
>>> float(equipment_usd(30, 1.5))   # a dry box's 30 door days at 1.5 USD per TEU-day
45.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "COMPONENTS",
    "DAYS_PER_YEAR",
    "main_engine_fuel_t_per_day",
    "voyage_fuel_t",
    "panama_toll_usd",
    "canal_toll_usd",
    "reefer_usd",
    "equipment_usd",
    "inventory_carrying_usd",
    "spoilage_usd",
    "co2_t",
    "carbon_cost_usd",
    "tariff_usd",
    "settlement_fee_usd",
    "GROUPS",
]

DAYS_PER_YEAR = 365.0
"""Days in the year used to pro-rate annual rates (actual/365 convention)."""

COMPONENTS: tuple[str, ...] = (
    "freight",
    "origin_charges",
    "destination_charges",
    "inventory",
    "reefer",
    "spoilage",
    "overland",
    "emissions_surcharge",
    "tariff",
    "settlement",
    "carbon",
)
"""Components of the shipper's landed cost, USD per TEU:

freight (what the shipper pays the carrier: the lane's market rate with its surcharges, or the
scenario's quote), origin_charges and destination_charges (terminal handling charges the shipper
pays at each end), inventory (capital cost of the cargo's door days), reefer (plug-in and
monitoring days in terminals), spoilage (value lost), overland (a land leg before the sea
origin, what-if routes only), emissions_surcharge (the carrier's cost of the rules that price its
ship's carbon, which carriers bill as a standalone surcharge on the bookings of a voyage the EU ETS
covers: Maersk's "Emissions Surcharge", Hapag-Lloyd's EU ETS surcharge), tariff (import duty), settlement (currency conversion of the goods
payment), carbon (carbon price on the box's CO2)."""

GROUPS: dict[str, tuple[str, ...]] = {
    "logistics": ("freight", "origin_charges", "destination_charges", "inventory", "reefer", "spoilage",
                  "overland", "emissions_surcharge"),
    "trade": ("tariff", "settlement"),
    "carbon": ("carbon",),
}
"""The landed cost's groups: logistics, trade (duty and settlement fees) and carbon."""


def _a(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


# ------------------------------------------------------------------ fuel
def main_engine_fuel_t_per_day(speed_kn, design_speed_kn, design_fuel_t_per_day, exponent=3.0):
    """Main-engine fuel (tonnes/day) by the propeller law f_design * (v / v_design)^n.

    ``exponent`` n = 3 is the cubic law (8,000 TEU burns ~225 t/day at 24 kn and ~150 at
    21 kn, (21/24)^3 = 0.67; ``data/vessels.yaml``); in service the fitted exponent is
    often below 3 (Taskar & Andersen 2020).

    >>> float(main_engine_fuel_t_per_day(12.0, 24.0, 200.0))
    25.0
    """
    v, vd = _a(speed_kn), _a(design_speed_kn)
    if np.any(vd <= 0) or np.any(v < 0):
        raise ValueError("main_engine_fuel_t_per_day: speeds must be >= 0 and design speed > 0")
    return _a(design_fuel_t_per_day) * (v / vd) ** _a(exponent)


def voyage_fuel_t(sea_days, port_days, main_t_per_day, aux_t_per_day, port_t_per_day):
    """Fuel of a stretch (tonnes): days at sea x (main + auxiliary engines) + days at calls x port fuel."""
    return sea_days * (main_t_per_day + aux_t_per_day) + port_days * port_t_per_day


# ------------------------------------------------------------------- canals
_LOCK_CLASSES = ("regular", "super", "neopanamax")


def _value(x: Any) -> float:
    """A catalogue figure's value, or a plain number."""
    return float(getattr(x, "value", x))


def panama_toll_usd(capacity_teu, loaded_teu, empty_teu, tariff: Mapping, lock_class=None):
    """Panama Canal toll of one container-ship transit (USD).

    toll = fixed fee[lock class] + TTA tariff[lock class] x capacity
    + loaded tariff x loaded TEU + empty tariff x empty TEU (ACP structure). ``tariff`` is
    the ``panama`` toll block of ``data/chokepoints.yaml`` (numbers or figures). The lock
    class defaults to ``"neopanamax"`` above ``super_max_teu`` and ``"super"`` below
    (``"regular"``, beam < 91 ft, cannot be told from TEU and must be passed).

    >>> t = {"fixed_fee_usd": {"regular": 0, "super": 0, "neopanamax": 300_000},
    ...      "capacity_usd_per_teu": {"regular": 0, "super": 0, "neopanamax": 60},
    ...      "loaded_usd_per_teu": 30, "empty_usd_per_teu": 10, "super_max_teu": 5000}
    >>> float(panama_toll_usd(12_000, 10_000, 0, t))
    1320000.0
    """
    cap, loaded, empty = _a(capacity_teu), _a(loaded_teu), _a(empty_teu)
    if np.any(cap < 0) or np.any(loaded < 0) or np.any(empty < 0):
        raise ValueError("panama_toll_usd: TEU counts must be >= 0")
    if lock_class is None:
        cls = np.where(cap > _value(tariff["super_max_teu"]), "neopanamax", "super")
    else:
        cls = np.asarray(lock_class)
    bad = set(np.unique(cls).tolist()) - set(_LOCK_CLASSES)
    if bad:
        raise ValueError(f"panama_toll_usd: unknown lock class {sorted(bad)}; use {list(_LOCK_CLASSES)}")
    fixed = np.select([cls == c for c in _LOCK_CLASSES], [_value(tariff["fixed_fee_usd"][c]) for c in _LOCK_CLASSES])
    tta = np.select([cls == c for c in _LOCK_CLASSES],
                    [_value(tariff["capacity_usd_per_teu"][c]) for c in _LOCK_CLASSES])
    return (fixed + tta * cap + _value(tariff["loaded_usd_per_teu"]) * loaded
            + _value(tariff["empty_usd_per_teu"]) * empty)


def canal_toll_usd(tariff: Mapping, capacity_teu, loaded_teu, empty_teu=0.0):
    """Toll of one transit (USD) under a passage's toll block (``data/chokepoints.yaml``).

    ``kind: panama_teu`` is :func:`panama_toll_usd`; ``kind: per_teu_capacity`` (Suez,
    approximated) is capacity x ``usd_per_teu_capacity``; a passage without a toll block
    (a strait) charges nothing.
    """
    kind = tariff.get("kind") if tariff else None
    cap = _a(capacity_teu)
    if kind == "panama_teu":
        return panama_toll_usd(cap, loaded_teu, empty_teu, tariff)
    if kind == "per_teu_capacity":
        return cap * _value(tariff["usd_per_teu_capacity"])
    if kind is None:
        return np.zeros_like(cap)
    raise ValueError(f"canal_toll_usd: unknown toll kind {kind!r}")


# ------------------------------------------------------------- cargo costs
def reefer_usd(terminal_days, plug_usd_per_teu_day):
    """The shipper's reefer charges per TEU (USD): plug-in days in terminals x the daily plug fee."""
    return plug_usd_per_teu_day * terminal_days


def equipment_usd(door_days, usd_per_teu_day):
    """The box's cost to its owner per TEU (USD): door days x the daily cost of a box (dry, or dry + reefer premium)."""
    return usd_per_teu_day * door_days


def inventory_carrying_usd(value_usd, annual_rate, days):
    """Capital cost of cargo in transit (USD): value x annual rate x days / 365."""
    return _a(value_usd) * _a(annual_rate) * _a(days) / DAYS_PER_YEAR


def spoilage_usd(value_usd, lost_share):
    """Value lost to the cargo's condition (USD): ``lost_share`` (0 to 1, or a mask) of the cargo value."""
    return value_usd * lost_share


# ------------------------------------------------------------ carbon, trade
def co2_t(fuel_t, t_co2_per_t_fuel):
    """CO2 emitted (tonnes): fuel tonnes x the fuel's factor (3.114 t/t for VLSFO, IMO MEPC.364(79))."""
    return fuel_t * t_co2_per_t_fuel


def carbon_cost_usd(co2_tonnes, carbon_usd_per_t):
    """Carbon price paid (USD): tonnes CO2 x price per tonne."""
    return co2_tonnes * carbon_usd_per_t


def tariff_usd(value_usd, rate):
    """Import duty (USD): customs value x ad-valorem rate (the Plan resolves FTA preferences)."""
    return value_usd * rate


def settlement_fee_usd(value_usd, fee_rate):
    """Settlement cost of the goods payment (USD): the cargo's value x the FX spread of converting it once.

    The fee belongs to the importer's payment for the goods (not to the freight, which is
    invoiced in USD); ``data/costs.yaml`` ``settlement_fee_rate`` cites the spread, and local-
    currency settlement halves it. It is in the ``trade`` group, apart from logistics.
    """
    return value_usd * fee_rate
