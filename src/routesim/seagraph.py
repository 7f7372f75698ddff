"""The sea-lane graph as plain dicts, and the shortest-path search :mod:`routesim.network` routes with.

Routing a query needs neither networkx nor its views: :func:`build_graph` keeps the nodes
and, per node, its lanes in catalogue order; :func:`dijkstra` is the search networkx's
``dijkstra_path`` makes on the filtered graph (same order, same tie-breaking), so routes
are the ones networkx finds. :func:`to_networkx` builds the :class:`networkx.Graph` of
``PortNetwork.graph`` on demand.
"""

from __future__ import annotations

import heapq

from . import geo
from .errors import DataError

__all__ = ["build_graph", "dijkstra", "to_networkx", "track"]


def build_graph(data, ports: dict) -> tuple[dict, dict, list]:
    """``(nodes, adjacency, edges)`` of ``ports`` and the waypoints and lanes of ``data`` (a
    :class:`routesim.catalogue.lane.Lanes`, checked already): node id -> attributes
    (``kind``, ``lon``, ``lat``, ``name``); node -> neighbour -> lane attributes (one dict per
    lane, shared by both ends); and ``(start, end, attributes)`` per lane in catalogue order."""
    where = "data/lanes.yaml"
    nodes: dict[str, dict] = {}
    for code, p in ports.items():
        nodes[code] = dict(kind="port", lon=float(p.lon), lat=float(p.lat), name=p.name)
    for w in data.waypoints:
        if w.id in nodes:
            raise DataError(f"{where}: waypoint id {w.id!r} is used twice (or is a port code)")
        nodes[w.id] = dict(kind="waypoint", lon=w.lon, lat=w.lat, name=w.name)
    adj: dict[str, dict[str, dict]] = {n: {} for n in nodes}
    edges: list[tuple[str, str, dict]] = []
    for i, lane in enumerate(data.lanes):
        a, b = lane.start, lane.end
        for n in (a, b):
            if n not in nodes:
                raise DataError(f"{where}: lanes[{i}] ({a} - {b}): unknown node {n!r}")
        if a == b or b in adj[a]:
            raise DataError(f"{where}: lanes[{i}]: lane {a} - {b} is a loop or listed twice")
        pts = [(nodes[a]["lon"], nodes[a]["lat"]), *lane.via, (nodes[b]["lon"], nodes[b]["lat"])]
        dist = geo.polyline_length_nm([p[0] for p in pts], [p[1] for p in pts])
        attrs = dict(distance_nm=dist, geometry=pts, start=a, chokepoint=lane.chokepoint,
                     max_vessel_teu=lane.max_vessel_teu)
        adj[a][b] = adj[b][a] = attrs
        edges.append((a, b, attrs))
    lonely = [n for n, nbrs in adj.items() if not nbrs and nodes[n]["kind"] == "port"]
    if lonely:
        raise DataError(f"{where}: ports without a lane: {', '.join(sorted(lonely))}")
    return nodes, adj, edges


def dijkstra(nodes: dict, adj: dict, source: str, target: str | None, closed: set, endpoints: set,
             vessel_teu: float | None = None) -> tuple[dict, dict]:
    """``(distance, predecessor)`` by node from ``source`` over the lanes open to a ship of
    ``vessel_teu`` with the chokepoints ``closed``, passing through no port outside
    ``endpoints``; the search stops once ``target`` is settled (None: every node)."""
    dist: dict[str, float] = {}
    seen = {source: 0.0}
    pred: dict[str, str] = {}
    count = 0
    fringe = [(0.0, count, source)]
    while fringe:
        d, _, v = heapq.heappop(fringe)
        if v in dist:
            continue
        dist[v] = d
        if v == target:
            break
        for u, e in adj[v].items():
            if u not in endpoints and nodes[u]["kind"] == "port":
                continue
            limit = e["max_vessel_teu"]
            if e["chokepoint"] in closed or (vessel_teu is not None and limit is not None and vessel_teu > limit):
                continue
            vu = d + e["distance_nm"]
            if u not in dist and (u not in seen or vu < seen[u]):
                seen[u] = vu
                count += 1
                heapq.heappush(fringe, (vu, count, u))
                pred[u] = v
    return dist, pred


def to_networkx(nodes: dict, edges: list):
    """The :class:`networkx.Graph` of :func:`build_graph`'s nodes and lanes (added in that order)."""
    import networkx as nx

    g = nx.Graph()
    for n, attrs in nodes.items():
        g.add_node(n, **attrs)
    for a, b, attrs in edges:
        g.add_edge(a, b, **attrs)
    return g


def track(adj: dict, steps, step_nm: float) -> tuple[tuple[float, float], ...]:
    """(lon, lat) points, degrees, along the lanes ``steps`` ((start, end) node pairs, in the direction
    sailed) at most ``step_nm`` apart, longitudes in [-180, 180) (:attr:`routesim.network.Route.coords`)."""
    out: list[tuple[float, float]] = []
    for start, end in steps:
        e = adj[start][end]
        pts = e["geometry"] if e["start"] == start else e["geometry"][::-1]
        lon, lat = geo.densify([p[0] for p in pts], [p[1] for p in pts], step_nm)
        seg = list(zip(geo.wrap_lon(lon).tolist(), lat.tolist()))
        out += seg if not out else seg[1:]
    return tuple(out)
