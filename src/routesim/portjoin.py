"""Ports of one's own on the sea-lane graph: placed against the coast and joined to the nearest lane.

A scenario may declare a port the catalogue does not have (``ports: {XXABC: {name, country,
lat, lon, ...}}``, :mod:`routesim.scenario.ownports`). The port must be on the coast: its point
(the quay) may lie up to :data:`COAST_TOLERANCE_NM` inside the shipped Natural Earth 1:50m land
(:mod:`routesim.coast`), as catalogue ports do (the 1:50m coastline is generalised to 1-3 km:
33 of the 81 catalogue ports lie inside it, the farthest 4.25 nm, Lirquen in the Bahia de
Concepcion the coastline does not draw). It joins the network by a straight great-circle segment
to the nearest point of a lane at most :data:`MAX_JOIN_NM` away (the catalogue's longest port
access lane is ~115 nm, the river channel to Buenos Aires), and that segment may cross no land
past the port's own basin (:data:`PORT_BASIN_NM`, the allowance the coastline test gives every
catalogue port). Lanes through a chokepoint are never joined (a port joins a canal or strait at
its gates). The lane is split at the join point by a new waypoint, so the distances between the
other ports do not change; lanes within :data:`JOIN_SLACK_NM` of the nearest are joined too (a
port at a catalogue port's point joins every access lane of that port).

Functions here work on the plain graph of :mod:`routesim.seagraph` and never change the
dicts they are given: :meth:`routesim.network.PortNetwork.with_ports` builds a new network.

>>> inland_nm(-77.137, -12.051), inland_nm(-77.277, -11.593)   # Callao's terminals (on the 1:50m land), Chancay's
(1.25, 0.0)
>>> placement_problem(-75.2, -12.1)       # Huancayo, in the Andes
'is more than 30 nm inland (no sea within 30 nm on the Natural Earth 1:50m coastline): a port must be on the coast'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import coast, geo

__all__ = ["COAST_TOLERANCE_NM", "INLAND_SEARCH_NM", "PORT_BASIN_NM", "MAX_JOIN_NM", "JOIN_SLACK_NM", "Join",
           "inland_nm", "offshore_nm", "placement_problem", "find_joins", "join_ports"]

COAST_TOLERANCE_NM = 5.0
"""How far (nm) a port's point may lie inside the 1:50m land: the quay, drawn as land at that scale."""

INLAND_SEARCH_NM = 30.0
"""Radius (nm) searched for the sea around a point on land, or for land around a point at sea; beyond it
a point is "too far inland" or "out at sea"."""

PORT_BASIN_NM = 3.0
"""Length (nm) of a join segment next to a port that is not checked against the coast (the port's basin;
the same allowance tests/test_coast.py gives the catalogue's access lanes), or more where the port's
point lies farther inside the land (its inland distance + 1 nm)."""

MAX_JOIN_NM = 150.0
"""Longest join segment (nm) from a port to the nearest lane."""

JOIN_SLACK_NM = 0.5
"""Lanes whose nearest point is at most this much (nm) farther than the nearest lane's are joined too."""

_RING_STEP_NM = 0.25
_BEARINGS = np.arange(0.0, 360.0, 10.0)
_ALONG_STEP_NM = 5.0
_MAX_TRIES_PER_LANE = 8
_MAX_LANES_TRIED = 12


@dataclass(frozen=True)
class Join:
    """Where a port joins a lane: the lane (by its two ends, as listed), the point (degrees) and
    the join segment's length (nm)."""

    lane: tuple[str, str]
    lon: float
    lat: float
    distance_nm: float


def inland_nm(lon: float, lat: float) -> float:
    """Distance (nm, to :data:`_RING_STEP_NM`) from a point to the nearest sea on the 1:50m coastline:
    0 at sea, ``inf`` when there is no sea within :data:`INLAND_SEARCH_NM`."""
    return _nearest_nm(lon, lat, land=False) if coast.on_land(lon, lat) else 0.0


def offshore_nm(lon: float, lat: float) -> float:
    """Distance (nm, to :data:`_RING_STEP_NM`) from a point to the nearest land on the 1:50m coastline:
    0 on land, ``inf`` when there is no land within :data:`INLAND_SEARCH_NM`."""
    return 0.0 if coast.on_land(lon, lat) else _nearest_nm(lon, lat, land=True)


def _nearest_nm(lon: float, lat: float, land: bool) -> float:
    """Radius of the first ring round the point (every 10 degrees of bearing) that reaches land
    (``land``) or the sea, up to :data:`INLAND_SEARCH_NM`; ``inf`` if none does."""
    radii = np.arange(_RING_STEP_NM, INLAND_SEARCH_NM + _RING_STEP_NM / 2, _RING_STEP_NM)
    r, b = np.meshgrid(radii, _BEARINGS, indexing="ij")
    lo, la = geo.destination(lon, lat, b, r)
    hit = coast.on_land(lo.ravel(), la.ravel()).reshape(r.shape)
    hit = np.flatnonzero((hit if land else ~hit).any(axis=1))
    return float(radii[hit[0]]) if hit.size else float("inf")


def placement_problem(lon: float, lat: float) -> str | None:
    """Why a port cannot be at (lon, lat) (degrees), or None: on land farther than
    :data:`COAST_TOLERANCE_NM` inside the coastline, or more than :data:`INLAND_SEARCH_NM` inland or
    out at sea."""
    if offshore_nm(lon, lat) == float("inf"):
        return (f"is out at sea, more than {INLAND_SEARCH_NM:g} nm from any land on the Natural Earth 1:50m "
                "coastline: a port must be on the coast")
    d = inland_nm(lon, lat)
    if d == float("inf"):
        return (f"is more than {INLAND_SEARCH_NM:g} nm inland (no sea within {INLAND_SEARCH_NM:g} nm on the "
                "Natural Earth 1:50m coastline): a port must be on the coast")
    if d > COAST_TOLERANCE_NM:
        return (f"is on land, {d:g} nm from the sea on the Natural Earth 1:50m coastline; a port's point (its quay) "
                f"may lie at most {COAST_TOLERANCE_NM:g} nm inside it")
    return None


def _segments(nodes: dict, edges: list):
    """Arrays of every great-circle piece of the joinable lanes (those through no chokepoint):
    (edge index, piece index, lon1, lat1, lon2, lat2)."""
    rows = []
    for i, (_, _, e) in enumerate(edges):
        if e["chokepoint"] is not None:
            continue
        g = e["geometry"]
        rows += [(i, k, *g[k], *g[k + 1]) for k in range(len(g) - 1)]
    a = np.array(rows, dtype=float).reshape(-1, 6)
    return a[:, 0].astype(int), a[:, 1].astype(int), a[:, 2], a[:, 3], a[:, 4], a[:, 5]


def _off_land(nodes, edge, lon, lat, x, y, skip_start) -> bool:
    """Whether the join segment from (lon, lat) to (x, y) on ``edge`` stays off land past the basins."""
    a, b, _ = edge
    near_port = any(nodes[n]["kind"] == "port" and geo.haversine_nm(x, y, nodes[n]["lon"], nodes[n]["lat"])
                    <= PORT_BASIN_NM for n in (a, b))
    if geo.haversine_nm(lon, lat, x, y) <= skip_start:
        return True
    return not coast.land_runs([lon, x], [lat, y], skip_start, PORT_BASIN_NM if near_port else 0.0)


def find_joins(nodes: dict, edges: list, lon: float, lat: float, inland: float = 0.0) -> list[Join] | str:
    """The lanes a port at (lon, lat) joins, nearest first, or why it joins none (text).

    ``nodes`` and ``edges`` are those of :func:`routesim.seagraph.build_graph`; ``inland`` is the
    port's :func:`inland_nm` (the basin not checked against the coast grows with it).
    """
    ei, ki, x1, y1, x2, y2 = _segments(nodes, edges)
    px, py, d = geo.nearest_point_on_arc(lon, lat, x1, y1, x2, y2)
    order = np.lexsort((ki, d))
    nearest: dict[int, int] = {}
    for j in order:  # each lane's nearest piece, lanes by distance
        nearest.setdefault(int(ei[j]), int(j))
    lanes = sorted(nearest, key=lambda e: d[nearest[e]])
    if not lanes or d[nearest[lanes[0]]] > MAX_JOIN_NM:
        far = f"{d[nearest[lanes[0]]]:,.0f} nm away" if lanes else "nowhere"
        return (f"is too far from the sea lanes: the nearest is {far} (a port joins the network by a straight "
                f"segment of at most {MAX_JOIN_NM:g} nm to the nearest lane)")
    skip = max(PORT_BASIN_NM, inland + 1.0)
    joins: list[Join] = []
    for e in lanes[:_MAX_LANES_TRIED]:
        j = nearest[e]
        if d[j] > MAX_JOIN_NM or (joins and d[j] > joins[0].distance_nm + JOIN_SLACK_NM):
            break
        for x, y, dist in _candidates(edges[e], lon, lat, (float(px[j]), float(py[j]), float(d[j]))):
            if joins and dist > joins[0].distance_nm + JOIN_SLACK_NM:
                break
            if _off_land(nodes, edges[e], lon, lat, x, y, skip):
                joins.append(Join((edges[e][0], edges[e][1]), x, y, dist))
                break
    if not joins:
        return (f"cannot be joined to the sea lanes without crossing land: no straight segment of at most "
                f"{MAX_JOIN_NM:g} nm to the {min(len(lanes), _MAX_LANES_TRIED)} nearest lanes (nearest "
                f"{d[nearest[lanes[0]]]:,.1f} nm) stays off the Natural Earth 1:50m land")
    return joins


def _candidates(edge, lon, lat, first):
    """Points of a lane to try joining, nearest first: its nearest point, then points along it."""
    yield first
    g = np.array(edge[2]["geometry"], dtype=float)
    lo, la = geo.densify(g[:, 0], g[:, 1], _ALONG_STEP_NM)
    dd = geo.haversine_nm(lon, lat, lo, la)
    for k in np.argsort(dd, kind="stable")[:_MAX_TRIES_PER_LANE]:
        if dd[k] <= MAX_JOIN_NM:
            yield float(geo.wrap_lon(lo[k])), float(la[k]), float(dd[k])


def join_ports(nodes: dict, adj: dict, edges: list, ports: dict) -> tuple[tuple[dict, dict, list], dict[str, str]]:
    """``((nodes, adjacency, edges), problems)``: a new graph with ``ports`` (code -> record with
    ``lon``, ``lat`` and ``name``) placed and joined, and why each port that could not be (code ->
    text, empty when all were). The graph given is not changed."""
    nodes, edges = dict(nodes), list(edges)
    adj = {n: dict(nb) for n, nb in adj.items()}
    problems: dict[str, str] = {}
    for code, p in ports.items():
        if code in nodes:
            problems[code] = "has a code that is already a node of the network"
            continue
        lon, lat = float(p.lon), float(p.lat)
        why = placement_problem(lon, lat)
        joins = find_joins(nodes, edges, lon, lat, inland_nm(lon, lat)) if why is None else why
        if isinstance(joins, str):
            problems[code] = joins
            continue
        nodes[code] = dict(kind="port", lon=lon, lat=lat, name=p.name)
        adj[code] = {}
        for i, j in enumerate(joins, 1):
            target = _split(nodes, adj, edges, j, f"{code.lower()}_join{i}")
            pts = [(lon, lat), (j.lon, j.lat)]
            attrs = dict(distance_nm=geo.polyline_length_nm(*np.array(pts).T), geometry=pts, start=code,
                         chokepoint=None, max_vessel_teu=None)
            adj[code][target] = adj[target][code] = attrs
            edges.append((code, target, attrs))
    return (nodes, adj, edges), problems


def _split(nodes, adj, edges, j: Join, wid: str) -> str:
    """Split lane ``j.lane`` at the join point by waypoint ``wid`` (or reuse the waypoint at that
    point); the two pieces keep the lane's attributes and, summed, its length."""
    a, b = j.lane
    idx = next(i for i, (u, v, _) in enumerate(edges) if {u, v} == {a, b})
    _, _, e = edges[idx]
    g = e["geometry"]
    for n in (a, b):
        if nodes[n]["kind"] == "waypoint" and geo.haversine_nm(j.lon, j.lat, nodes[n]["lon"], nodes[n]["lat"]) < 1e-6:
            return n
    lon, lat = np.array(g, dtype=float).T
    _, _, d = geo.nearest_point_on_arc(j.lon, j.lat, lon[:-1], lat[:-1], lon[1:], lat[1:])
    k = int(np.argmin(d))
    x = (j.lon, j.lat)
    start, other = e["start"], b if e["start"] == a else a
    pieces = [(start, wid, [*g[:k + 1], x]), (wid, other, [x, *g[k + 1:]])]
    nodes[wid] = dict(kind="waypoint", lon=j.lon, lat=j.lat, name=f"join of {wid.split('_join')[0].upper()}")
    adj[wid] = {}
    new = []
    for u, v, pts in pieces:
        attrs = dict(e, distance_nm=geo.polyline_length_nm(*np.array(pts).T), geometry=pts, start=u)
        new.append((u, v, attrs))
        adj[wid][u if v == wid else v] = attrs
    adj[start] = {(wid if n == other else n): (new[0][2] if n == other else att) for n, att in adj[start].items()}
    adj[other] = {(wid if n == start else n): (new[1][2] if n == start else att) for n, att in adj[other].items()}
    edges[idx:idx + 1] = new
    return wid
