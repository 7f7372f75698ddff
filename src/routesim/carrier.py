"""The carrier's cost: a service's whole round voyage, and its allocation to the boxes aboard.

Pure functions of numbers and numpy arrays (no lookups, no randomness), like
:mod:`routesim.costs`. A carrier pays for the whole rotation (both directions, every
call, every canal transit, the ship's time at sea and in port), whatever share of it one
box uses. routesim allocates it by **TEU-days**: the rotation's cost divided by the
TEU-days of every box aboard over the round voyage (full and empty) is a rate in USD per
TEU-day, and a full box pays that rate for each day it is aboard. Empty boxes do not pay:
the slot-days of the empties the trade imbalance sends back (and their lifts) are the
**repositioning** cost, charged to the full boxes of the heavy direction, the ones whose
imbalance creates the empties. Over the boxes of one round voyage the allocated costs add
up to the rotation's cost (:func:`allocated_total_usd`, tested).

A round voyage is a sequence of legs ``l`` (one per port-to-port passage of the rotation,
closing back to the first call) with ``days[l]`` (sea, canal and call days, the call at
the leg's end included), ``full_teu[l]`` and ``empty_teu[l]`` aboard. Units are in the
names: days, TEU, USD, tonnes (``_t``).

Examples
--------
A pendulum of two 10-day legs, 1,000 TEU full eastbound, 400 full and 600 empty back:

>>> occ = occupied_teu_days([10, 10], [1000, 400], [0, 600])
>>> float(occ)
20000.0
>>> rate = 200_000 / occ          # a 200,000 USD round voyage: 10 USD per TEU-day
>>> float(repositioning_per_heavy_teu(rate, [10, 10], [0, 600], 1000, 30.0, 1.0))
96.0
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CARRIER_COMPONENTS",
    "leg_loads",
    "occupied_teu_days",
    "port_calls_usd",
    "repositioning_per_heavy_teu",
    "allocated_total_usd",
    "reefer_power_fuel_t_per_day",
]

CARRIER_COMPONENTS: tuple[str, ...] = (
    "fuel", "vessel", "port", "canal", "stevedoring", "equipment", "repositioning", "overheads", "emissions",
)
"""Components of the carrier's cost per TEU (USD): fuel (main, auxiliary and port fuel of the
round voyage, and the reefer's power aboard), vessel (charter hire or capital plus operating
cost of the ship-days), port (ship's port-call charges: dues, pilotage, towage, berth hire),
canal (tolls), stevedoring (container moves at load, discharge and relay ports), equipment
(the box itself over its door days), repositioning (the empties the imbalance sends back),
overheads (the carrier's overheads per TEU carried), emissions (what the rules that price carbon
charge for the box's share of the ship's emissions: EU ETS allowances, the FuelEU Maritime
penalty and, as a what-if, the IMO Net-Zero Framework's remedial units; :mod:`routesim.emissions`)."""


def _a(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def leg_loads(capacity_teu, direction, headhaul_share, backhaul_share):
    """Full and empty TEU aboard each leg of a round voyage: ``(full, empty)`` arrays.

    ``direction[l]`` is +1 for a leg from Asia to Latin America (headhaul), -1 back
    (backhaul) and 0 along a coast (a leg within one region). Crossings carry
    ``capacity x share`` full TEU of their direction; a coastal leg carries the mean of the
    two directions (half the ship is discharged and half loaded across the coastal calls).
    The imbalance ``capacity x |headhaul - backhaul|`` travels empty on the light
    direction's crossings, and half of it on coastal legs.

    >>> full, empty = leg_loads(1000, [1, 0, -1], 0.9, 0.5)
    >>> full.tolist(), empty.tolist()
    ([900.0, 700.0, 500.0], [0.0, 200.0, 400.0])
    """
    d = _a(direction)
    cap = float(capacity_teu)
    h, b = float(headhaul_share), float(backhaul_share)
    full = np.where(d > 0, cap * h, np.where(d < 0, cap * b, cap * (h + b) / 2))
    imbalance = cap * abs(h - b)
    light = -1.0 if h >= b else 1.0
    empty = np.where(d == light, imbalance, np.where(d == 0, imbalance / 2, 0.0))
    return full, empty


def occupied_teu_days(days, full_teu, empty_teu):
    """TEU-days of every box aboard over the round voyage (full and empty): sum of (full + empty) x days."""
    return float(np.sum(_a(days) * (_a(full_teu) + _a(empty_teu))))


def port_calls_usd(gt, loa_m, calls, hours_alongside, dues_usd_per_gt, pilotage_usd_per_gt, towage_usd_per_call,
                   berth_usd_per_m_hour):
    """What a ship pays for ``calls`` port calls (USD), excluding cargo handling.

    Per call dues x GT + pilotage x GT + towage; berth hire x LOA (m) x the hours alongside
    over all the calls. Every rate is an argument (``data/costs.yaml`` holds the sourced
    ones); rates may be arrays of draws.

    >>> float(port_calls_usd(150_000, 366, 2, 48, 0.1, 0.02, 10_000, 0.5))
    64784.0
    """
    return (float(calls) * (float(gt) * (_a(dues_usd_per_gt) + _a(pilotage_usd_per_gt)) + _a(towage_usd_per_call))
            + _a(berth_usd_per_m_hour) * float(loa_m) * float(hours_alongside))


def repositioning_per_heavy_teu(rate_usd_per_teu_day, days, empty_teu, heavy_full_teu, empty_move_usd,
                                teu_per_box):
    """Repositioning cost per full TEU of the heavy direction (USD).

    The empties' slot-days at the rotation's rate plus two lifts (load and discharge) per
    empty box, shared by the ``heavy_full_teu`` full TEU the heavy direction carries per
    round voyage (the boxes whose imbalance sends the empties back). ``rate`` may be an
    array of draws.
    """
    empty_teu_days = float(np.sum(_a(days) * _a(empty_teu)))
    empty_total = float(np.max(_a(empty_teu))) if np.size(empty_teu) else 0.0
    if heavy_full_teu <= 0:
        return _a(rate_usd_per_teu_day) * 0.0
    lifts = 2.0 * empty_total / float(teu_per_box) * _a(empty_move_usd)
    return (_a(rate_usd_per_teu_day) * empty_teu_days + lifts) / float(heavy_full_teu)


def allocated_total_usd(rate_usd_per_teu_day, box_teu_days, heavy_full_teu, repositioning_usd_per_heavy_teu):
    """Money allocated over the boxes of one round voyage (USD): the check that allocation conserves it.

    ``box_teu_days`` is the TEU-days of every full box aboard; the heavy direction's
    ``heavy_full_teu`` each pay :func:`repositioning_per_heavy_teu`. Equals the rotation's
    cost plus the empties' lifts when ``box_teu_days`` add up to the full TEU-days of
    :func:`leg_loads`.
    """
    return (_a(rate_usd_per_teu_day) * float(np.sum(box_teu_days))
            + _a(repositioning_usd_per_heavy_teu) * float(heavy_full_teu))


def reefer_power_fuel_t_per_day(kw_per_box, sfoc_g_per_kwh):
    """Fuel (tonnes/day) a plugged-in reefer box costs aboard: kW x 24 h x g/kWh / 1e6.

    >>> round(float(reefer_power_fuel_t_per_day(6.0, 200.0)), 4)
    0.0288
    """
    return _a(kw_per_box) * 24.0 * _a(sfoc_g_per_kwh) / 1e6
