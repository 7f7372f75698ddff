"""Canals, straits and capes (``data/chokepoints.yaml``): transit times, capacities, waits,
size limits, tolls and documented operating regimes.

>>> panama = chokepoints()["panama"]
>>> panama.kind, panama.toll["kind"], "drought_2023" in panama.regimes
('canal', 'panama_teu', True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, one_line, section

__all__ = ["Chokepoint", "chokepoints"]


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


@functools.cache
def chokepoints() -> dict[str, Chokepoint]:
    """All chokepoints keyed by network name (cached; do not mutate)."""
    out: dict[str, Chokepoint] = {}
    for cid, raw in section("chokepoints.yaml", "chokepoints").items():
        where = f"data/chokepoints.yaml: {cid}"
        check_keys(where, raw, {"name", "kind", "transit_hours"}, {*_CHOKE_OPTIONAL_FIGS, "toll", "regimes", "note"})
        kind = raw["kind"]
        if kind not in ("canal", "strait", "cape"):
            raise DataError(f"{where}.kind: must be canal, strait or cape, got {kind!r}")
        figs = {k: number_figure(raw[k], f"{where}.{k}") for k in _CHOKE_OPTIONAL_FIGS if k in raw}
        if "booked_share" in figs and not figs["booked_share"].value <= 1:
            raise DataError(f"{where}.booked_share: must be <= 1")
        if kind == "canal" and "capacity_per_day" not in figs:
            raise DataError(f"{where}: a canal needs capacity_per_day")
        toll = _parse_toll(raw["toll"], f"{where}.toll") if "toll" in raw else {}
        regimes: dict[str, dict[str, Figure]] = {}
        for rname, rraw in (raw.get("regimes") or {}).items():
            rwhere = f"{where}.regimes.{rname}"
            if not isinstance(rraw, dict):
                raise DataError(f"{rwhere}: expected a mapping")
            regimes[str(rname)] = {k: number_figure(v, f"{rwhere}.{k}") for k, v in rraw.items() if k != "note"}
        out[cid] = Chokepoint(
            id=cid,
            name=str(raw["name"]),
            kind=kind,
            transit_hours=number_figure(raw["transit_hours"], f"{where}.transit_hours"),
            toll=toll,
            regimes=regimes,
            note=one_line(raw.get("note", "")),
            **figs,
        )
    return out
