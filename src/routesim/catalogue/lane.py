"""The sea-lane data (``data/lanes.yaml``): ocean waypoints, lanes and chokepoint aliases, as records.

The network (:mod:`routesim.network`) builds its graph from these; this module
only reads and checks the data. A lane is written ``[a, b]`` or
``{from, to, via, chokepoint, max_vessel_teu, note}``: its ends are port codes or
waypoint ids, ``via`` the intermediate ``[lon, lat]`` points (degrees) of its
geometry, ``chokepoint`` the passage it crosses (an id of ``data/chokepoints.yaml``)
and ``max_vessel_teu`` a sourced figure (TEU) for lanes that take smaller ships only.

>>> data = lanes()
>>> data.chokepoint_aliases["cape horn"]
'drake'
>>> magellan = next(lane for lane in data.lanes if lane.chokepoint == "magellan")
>>> magellan.max_vessel_teu
10000.0
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import DataError
from .chokepoint import chokepoints
from .figures import parse_figure, read

__all__ = ["Waypoint", "Lane", "Lanes", "parse_lanes", "lanes"]


@dataclass(frozen=True)
class Waypoint:
    """A point at sea that lanes join (lower-case id such as ``pac_lima_w``).

    Attributes
    ----------
    id, name : str
        Node id and description (the id when none is written).
    lon, lat : float
        Position, degrees (WGS84).
    """

    id: str
    lon: float
    lat: float
    name: str


@dataclass(frozen=True)
class Lane:
    """One sea lane between two nodes (ports or waypoints), as written.

    Attributes
    ----------
    start, end : str
        The nodes it joins, in the order written.
    via : tuple[tuple[float, float], ...]
        Intermediate (lon, lat) points of its geometry, degrees, from ``start``.
    chokepoint : str | None
        The passage it crosses (a chokepoint id), if any.
    max_vessel_teu : float | None
        Largest ship it takes (TEU), when limited.
    """

    start: str
    end: str
    via: tuple[tuple[float, float], ...] = ()
    chokepoint: str | None = None
    max_vessel_teu: float | None = None


@dataclass(frozen=True)
class Lanes:
    """The contents of a lanes file.

    Attributes
    ----------
    waypoints : tuple[Waypoint, ...]
    lanes : tuple[Lane, ...]
        In file order.
    chokepoint_aliases : dict[str, str]
        Other names of chokepoints (``"cape horn"`` -> ``drake``), as written.
    """

    waypoints: tuple[Waypoint, ...]
    lanes: tuple[Lane, ...]
    chokepoint_aliases: dict[str, str]


def _lane(raw: Any, where: str, known: Mapping) -> Lane:
    """One lane, ``[a, b]`` or a mapping; ``known`` holds the chokepoint ids."""
    if isinstance(raw, list) and len(raw) == 2:
        return Lane(str(raw[0]), str(raw[1]))
    if not isinstance(raw, dict) or not {"from", "to"} <= set(raw):
        raise DataError(f"{where}: expected [a, b] or a mapping with from/to")
    unknown = set(raw) - {"from", "to", "via", "chokepoint", "max_vessel_teu", "note"}
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}")
    choke = raw.get("chokepoint")
    if choke is not None and choke not in known:
        raise DataError(f"{where}: chokepoint {choke!r} is not one of {', '.join(known)}")
    via = []
    for p in raw.get("via") or ():
        if not (isinstance(p, list) and len(p) == 2 and -180 <= p[0] <= 180 and -90 <= p[1] <= 90):
            raise DataError(f"{where}: via points are [lon, lat] in degrees, got {p!r}")
        via.append((float(p[0]), float(p[1])))
    limit = raw.get("max_vessel_teu")
    if limit is not None:
        limit = float(parse_figure(limit, f"{where}.max_vessel_teu").value)
    return Lane(str(raw["from"]), str(raw["to"]), tuple(via), choke, limit)


def _waypoint(raw: Any, where: str) -> Waypoint:
    """One ``{id, lon, lat, desc}`` waypoint."""
    if not isinstance(raw, dict) or not {"id", "lon", "lat"} <= set(raw):
        raise DataError(f"{where}: needs id, lon, lat")
    wid, lon, lat = str(raw["id"]), float(raw["lon"]), float(raw["lat"])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DataError(f"{where} ({wid}): lon/lat out of range")
    return Waypoint(wid, lon, lat, str(raw.get("desc", wid)))


def parse_lanes(data: Any, where: str = "data/lanes.yaml") -> Lanes:
    """Check and read a lanes mapping (``waypoints``, ``lanes``, ``chokepoint_aliases``).

    Parameters
    ----------
    data : Any
        The mapping as read from YAML (or built in Python).
    where : str
        Names the source in errors.

    Returns
    -------
    Lanes

    Raises
    ------
    DataError
        Missing lists, malformed waypoints or lanes, unknown chokepoints.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("waypoints"), list) \
            or not isinstance(data.get("lanes"), list):
        raise DataError(f"{where}: expected 'waypoints' and 'lanes' lists")
    known = chokepoints()
    aliases = {}
    for alias, name in (data.get("chokepoint_aliases") or {}).items():
        if name not in known:
            raise DataError(f"{where}: chokepoint_aliases.{alias}: unknown chokepoint {name!r}")
        aliases[str(alias)] = str(name)
    return Lanes(
        waypoints=tuple(_waypoint(w, f"{where}: waypoints[{i}]") for i, w in enumerate(data["waypoints"])),
        lanes=tuple(_lane(raw, f"{where}: lanes[{i}]", known) for i, raw in enumerate(data["lanes"])),
        chokepoint_aliases=aliases,
    )


@functools.cache
def lanes() -> Lanes:
    """The shipped sea lanes (cached; do not mutate)."""
    return parse_lanes(read("lanes.yaml"))
