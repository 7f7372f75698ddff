"""Canals, straits and capes (``data/chokepoints.yaml``): transit times, capacities, waits,
size limits, tolls and documented operating regimes.

>>> panama = chokepoints()["panama"]
>>> panama.kind, panama.toll["kind"], "drought_2023" in panama.regimes
('canal', 'panama_teu', True)
>>> [(lk.id, int(lk.slots_per_day.value)) for lk in panama.locks]
[('panamax', 26), ('neopanamax', 10)]
>>> step = panama.timelines["drought_2023"][4]
>>> str(step.start), step.slots
('2023-12-01', {'panamax': 16, 'neopanamax': 6})
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, one_line, section

__all__ = ["Chokepoint", "Lock", "TimelineStep", "chokepoints"]


@dataclass(frozen=True)
class Lock:
    """One set of locks of a canal (Panama's Panamax and Neopanamax locks).

    Attributes
    ----------
    id : str
        ``panamax`` or ``neopanamax``.
    slots_per_day : Figure
        Transits a day in normal times.
    max_vessel_teu : Figure
        Largest container ship the locks take (TEU); ships up to it use these locks.
    booked_share : Figure
        Share of the locks' daily slots sold as bookings (0-1).
    """

    id: str
    slots_per_day: Figure
    max_vessel_teu: Figure
    booked_share: Figure


@dataclass(frozen=True)
class TimelineStep:
    """Slots a day by lock from ``start`` until the next step of a regime's timeline."""

    start: datetime.date
    slots: dict[str, int]
    source: str
    derived: bool = False
    confidence: str = ""
    note: str = ""


@dataclass(frozen=True)
class Chokepoint:
    """A canal, strait or cape named by sea lanes (``data/chokepoints.yaml``).

    Attributes
    ----------
    id, name, kind : str
        Network name (``panama``), display name, and ``canal``, ``strait`` or ``cape``.
    transit_hours : Figure
        Time through the passage beyond sailing the lane distance (hours).
    capacity_per_day : Figure | None
        Transits per day (canals).
    normal_wait_days, booked_wait_days : Figure | None
        Typical wait of an unbooked / a booked ship (days).
    booked_share : Figure | None
        Share of container transits holding a booking (0-1).
    max_vessel_teu : Figure | None
        Largest container ship that fits (TEU).
    toll : dict
        ``{"kind": "panama_teu" | "per_teu_capacity", ...}`` with Figures (nested
        mappings for per-lock-class values); empty when no toll is charged.
    regimes : dict[str, dict[str, Figure]]
        Documented operating regimes (``drought_2023``) that scenarios can reference.
    locks : tuple[Lock, ...]
        The canal's sets of locks, smallest first (empty: one set, ``capacity_per_day``).
    timelines : dict[str, tuple[TimelineStep, ...]]
        A regime's slots by lock as they changed (``regimes.<name>.timeline``), in date order.
    note : str
    """

    id: str
    name: str
    kind: str
    transit_hours: Figure
    capacity_per_day: Figure | None = None
    normal_wait_days: Figure | None = None
    booked_wait_days: Figure | None = None
    booked_share: Figure | None = None
    max_vessel_teu: Figure | None = None
    toll: dict[str, Any] = field(default_factory=dict)
    regimes: dict[str, dict[str, Figure]] = field(default_factory=dict)
    locks: tuple[Lock, ...] = ()
    timelines: dict[str, tuple[TimelineStep, ...]] = field(default_factory=dict)
    note: str = ""


_CHOKE_OPTIONAL_FIGS = ("capacity_per_day", "normal_wait_days", "booked_wait_days", "booked_share", "max_vessel_teu")
_LOCK_CLASSES = ("regular", "super", "neopanamax")
_TOLL_KEYS = {
    "panama_teu": (
        {"kind", "super_max_teu", "fixed_fee_usd", "capacity_usd_per_teu", "loaded_usd_per_teu", "empty_usd_per_teu"},
        {"note", "check_average_usd"},
    ),
    "per_teu_capacity": ({"kind", "usd_per_teu_capacity"}, {"note"}),
}


def _parse_toll(raw: Any, where: str) -> dict[str, Any]:
    """A ``toll:`` mapping: its kind, note and figures (per lock class where the toll has classes)."""
    if not isinstance(raw, dict) or raw.get("kind") not in _TOLL_KEYS:
        raise DataError(f"{where}: toll needs 'kind' in {sorted(_TOLL_KEYS)}")
    required, optional = _TOLL_KEYS[raw["kind"]]
    check_keys(where, raw, required, optional)
    out: dict[str, Any] = {"kind": raw["kind"], "note": one_line(raw.get("note", ""))}
    for k in sorted((required | optional) - {"kind", "note"}):
        if k not in raw:
            continue
        if k in ("fixed_fee_usd", "capacity_usd_per_teu"):
            check_keys(f"{where}.{k}", raw[k], set(_LOCK_CLASSES))
            out[k] = {c: number_figure(raw[k][c], f"{where}.{k}.{c}") for c in _LOCK_CLASSES}
        else:
            out[k] = number_figure(raw[k], f"{where}.{k}")
    return out


def _parse_locks(raw: Any, where: str, capacity: Figure | None) -> tuple[Lock, ...]:
    """``locks:``: each lock's figures; their slots must add up to the canal's capacity."""
    if not isinstance(raw, dict) or not raw:
        raise DataError(f"{where}: expected a mapping of lock name to figures")
    keys = {"slots_per_day", "max_vessel_teu", "booked_share"}
    out = []
    for lid, lraw in raw.items():
        lw = f"{where}.{lid}"
        check_keys(lw, lraw, keys)
        figs = {k: number_figure(lraw[k], f"{lw}.{k}", positive=k != "booked_share") for k in keys}
        if not figs["booked_share"].value <= 1:
            raise DataError(f"{lw}.booked_share: must be <= 1")
        out.append(Lock(str(lid), **figs))
    out.sort(key=lambda lk: float(lk.max_vessel_teu.value))
    total = sum(float(lk.slots_per_day.value) for lk in out)
    if capacity is not None and abs(total - float(capacity.value)) > 1e-9:
        raise DataError(f"{where}: the locks' slots_per_day add up to {total:g}, not capacity_per_day "
                        f"{float(capacity.value):g}")
    return tuple(out)


def _parse_timeline(raw: Any, where: str, locks: tuple[Lock, ...]) -> tuple[TimelineStep, ...]:
    """``timeline:`` of a regime: dated steps with the slots a day of every lock."""
    names = {lk.id for lk in locks}
    if not isinstance(raw, list) or not raw or not names:
        raise DataError(f"{where}: expected a list of dated steps (and the canal needs 'locks')")
    out = []
    for i, step in enumerate(raw):
        sw = f"{where}[{i}]"
        check_keys(sw, step, {"from", "source", *names}, {"derived", "confidence", "note"})
        start = step["from"]
        if isinstance(start, str):
            try:
                start = datetime.date.fromisoformat(start)
            except ValueError:
                raise DataError(f"{sw}.from: expected a date YYYY-MM-DD, got {start!r}") from None
        if not isinstance(start, datetime.date):
            raise DataError(f"{sw}.from: expected a date YYYY-MM-DD, got {start!r}")
        slots = {}
        for lid in (lk.id for lk in locks):
            v = step[lid]
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise DataError(f"{sw}.{lid}: slots a day must be a whole number >= 0, got {v!r}")
            slots[lid] = v
        if out and start <= out[-1].start:
            raise DataError(f"{sw}.from: {start} is not after the step before ({out[-1].start})")
        out.append(TimelineStep(start, slots, one_line(str(step["source"])), bool(step.get("derived", False)),
                                str(step.get("confidence", "")), one_line(step.get("note", ""))))
    return tuple(out)


@functools.cache
def chokepoints() -> dict[str, Chokepoint]:
    """All chokepoints keyed by network name (cached; do not mutate)."""
    out: dict[str, Chokepoint] = {}
    for cid, raw in section("chokepoints.yaml", "chokepoints").items():
        where = f"data/chokepoints.yaml: {cid}"
        check_keys(where, raw, {"name", "kind", "transit_hours"},
                   {*_CHOKE_OPTIONAL_FIGS, "toll", "regimes", "locks", "note"})
        kind = raw["kind"]
        if kind not in ("canal", "strait", "cape"):
            raise DataError(f"{where}.kind: must be canal, strait or cape, got {kind!r}")
        figs = {k: number_figure(raw[k], f"{where}.{k}") for k in _CHOKE_OPTIONAL_FIGS if k in raw}
        if "booked_share" in figs and not figs["booked_share"].value <= 1:
            raise DataError(f"{where}.booked_share: must be <= 1")
        if kind == "canal" and "capacity_per_day" not in figs:
            raise DataError(f"{where}: a canal needs capacity_per_day")
        toll = _parse_toll(raw["toll"], f"{where}.toll") if "toll" in raw else {}
        locks = _parse_locks(raw["locks"], f"{where}.locks", figs.get("capacity_per_day")) if "locks" in raw else ()
        regimes: dict[str, dict[str, Figure]] = {}
        timelines: dict[str, tuple[TimelineStep, ...]] = {}
        for rname, rraw in (raw.get("regimes") or {}).items():
            rwhere = f"{where}.regimes.{rname}"
            if not isinstance(rraw, dict):
                raise DataError(f"{rwhere}: expected a mapping")
            regimes[str(rname)] = {k: number_figure(v, f"{rwhere}.{k}") for k, v in rraw.items()
                                   if k not in ("note", "timeline")}
            if "timeline" in rraw:
                timelines[str(rname)] = _parse_timeline(rraw["timeline"], f"{rwhere}.timeline", locks)
        out[cid] = Chokepoint(
            id=cid,
            name=str(raw["name"]),
            kind=kind,
            transit_hours=number_figure(raw["transit_hours"], f"{where}.transit_hours"),
            toll=toll,
            regimes=regimes,
            locks=locks,
            timelines=timelines,
            note=one_line(raw.get("note", "")),
            **figs,
        )
    return out
