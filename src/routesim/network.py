"""The sea-lane network: ports, ocean waypoints and lanes, and routing over them.

Nodes are ports (UN/LOCODE ids such as ``PECHY``) and ocean waypoints
(lower-case ids such as ``pac_lima_w``) from ``data/lanes.yaml``; edges are
sea lanes whose length is the great-circle length of their geometry. A lane
through a canal, strait or cape carries one of eight chokepoint names
(:data:`CHOKEPOINTS`). Routing is the shortest path by distance with the
chosen chokepoints closed; ports are never passed through, only called at.

>>> from routesim.network import PortNetwork
>>> net = PortNetwork.default()
>>> r = net.route("Chancay", "Shanghai")
>>> r.origin, r.destination, 9000 < r.distance_nm < 9700
('PECHY', 'CNSHA', True)
>>> net.route("Santos", "Shanghai").chokepoints
('good_hope', 'sunda')
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .seagraph import build_graph, dijkstra, to_networkx, track
from ._suggest import did_you_mean
from ._suggest import names_in_hint as _hint_names
from ._suggest import normalize as _key
from ._suggest import plain_port_name as _plain_port_name
from ._suggest import port_hint as _port_hint
from .errors import DataError, NoRouteError, RoutesimError, UnknownNameError

__all__ = ["CHOKEPOINTS", "CLOSED_BY_DEFAULT", "Leg", "Route", "PortNetwork"]

CHOKEPOINTS: tuple[str, ...] = ("panama", "magellan", "drake", "good_hope", "suez", "malacca", "sunda", "bering")
"""Every chokepoint name a lane may carry."""

CLOSED_BY_DEFAULT: tuple[str, ...] = ("bering",)
"""Chokepoints closed unless a query allows them (the Arctic is no container route)."""

PATH_STEP_NM = 50.0
"""Largest step between consecutive points of :attr:`Route.coords` (nm)."""

_ROUTES_KEPT = 1024
"""Routes a network remembers (the oldest forgotten first): the same query gives the same Route."""


class Leg(NamedTuple):
    """One lane of a route, in the direction sailed."""

    start: str
    end: str
    distance_nm: float
    chokepoint: str | None


@dataclass(frozen=True)
class Route:
    """A sea route from ``origin`` to ``destination`` calling at ``calls`` in order.

    Attributes
    ----------
    origin, destination : str
        UN/LOCODEs.
    calls : tuple[str, ...]
        Ports called: origin, the ``via`` ports, destination.
    nodes : tuple[str, ...]
        Every node passed, ports and waypoints.
    legs : tuple[Leg, ...]
        One per lane: (start, end, distance_nm, chokepoint).
    distance_nm : float
        Total sea distance (nautical miles).
    call_distances_nm : tuple[float, ...]
        Distance between consecutive calls (nm); sums to ``distance_nm``.
    chokepoints : tuple[str, ...]
        Chokepoints passed, in order, each once.
    coords : tuple[tuple[float, float], ...]
        (lon, lat) in degrees along the whole track, at most
        :data:`PATH_STEP_NM` apart, longitudes in [-180, 180). Computed when first read
        (a plan's round voyages route many passages and draw none of them).
    """

    origin: str
    destination: str
    calls: tuple[str, ...]
    nodes: tuple[str, ...]
    legs: tuple[Leg, ...]
    distance_nm: float
    call_distances_nm: tuple[float, ...]
    chokepoints: tuple[str, ...]
    _track: Callable[[], tuple] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def coords(self) -> tuple[tuple[float, float], ...]:
        return self._track() if self._track is not None else ()

    def __getstate__(self):  # the track computed, not the network that computes it
        return {**self.__dict__, "coords": self.coords, "_track": None}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready mapping (``path`` holds the coordinates as [lon, lat])."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "calls": list(self.calls),
            "distance_nm": round(self.distance_nm, 1),
            "call_distances_nm": [round(d, 1) for d in self.call_distances_nm],
            "chokepoints": list(self.chokepoints),
            "nodes": list(self.nodes),
            "legs": [
                {"from": g.start, "to": g.end, "distance_nm": round(g.distance_nm, 2), "chokepoint": g.chokepoint}
                for g in self.legs
            ],
            "path": [[round(lon, 4), round(lat, 4)] for lon, lat in self.coords],
        }


class PortNetwork:
    """Ports, waypoints and sea lanes, with routing (and as a :class:`networkx.Graph`).

    Parameters
    ----------
    lanes : routesim.catalogue.Lanes or mapping
        Waypoints, lanes and chokepoint aliases (:func:`routesim.catalogue.lanes`), or a
        mapping written like ``data/lanes.yaml``.
    ports : dict[str, routesim.catalogue.Port]
        The ports lanes may end at, by UN/LOCODE.

    Attributes
    ----------
    graph : networkx.Graph
        Built on first use (routing does not need networkx). Node attributes ``kind`` ('port' or 'waypoint'), ``lon``, ``lat``,
        ``name``; edge attributes ``distance_nm``, ``chokepoint`` (str or
        None), ``geometry`` (list of (lon, lat) from ``start`` to the other
        end), ``start`` and ``max_vessel_teu`` (int or None).
    ports : dict[str, routesim.catalogue.Port]
        The catalogue ports in the network, by UN/LOCODE.
    """

    def __init__(self, lanes, ports: dict):
        from .catalogue.lane import Lanes, parse_lanes

        if not isinstance(lanes, Lanes):  # a mapping as in data/lanes.yaml
            lanes = parse_lanes(lanes, "lanes")
        ports = dict(ports)
        self._setup(ports, build_graph(lanes, ports), _chokepoint_aliases(lanes))

    def _setup(self, ports: dict, graph: tuple, aliases: dict) -> None:
        self.ports = ports
        self._nodes, self._adj, self._edges = graph
        self._aliases = aliases
        self._port_index, self._port_labels = _port_index(self.ports)
        self._port_hints = {_plain_port_name(k): v for k, v in self._port_labels.items()
                            if _plain_port_name(k) and k.upper() not in self.ports}
        self._joined: dict[tuple, tuple] = {}
        self._routes: dict[tuple, Route] = {}  # query -> Route (a plan routes the same passages many times)

    # ----------------------------------------------------------- construction
    @classmethod
    def default(cls) -> PortNetwork:
        """The shipped network (``data/lanes.yaml`` + ``data/ports.yaml``), built once and cached."""
        return _default_network()

    def with_ports(self, ports: dict) -> PortNetwork:
        """This network with ``ports`` (UN/LOCODE -> :class:`~routesim.catalogue.Port`, ports of one's
        own) placed on the coast and joined to the nearest lanes (:mod:`routesim.portjoin`).

        A new network: this one (the cached catalogue network) is not changed, and without
        ports it is returned as it is. The same ports give the same network object (cached).

        Raises
        ------
        DataError
            A port on land, too far inland or from the lanes, or whose code is taken (each named).
        """
        if not ports:
            return self
        net, problems = self._join(ports)
        if problems:
            raise DataError("ports of your own: " + "; ".join(
                f"{c} {ports[c].name} at lat {ports[c].lat:g}, lon {ports[c].lon:g} {why}" for c, why in problems.items()))
        return net

    def placement_problems(self, ports: dict) -> dict[str, str]:
        """Why each of ``ports`` cannot join this network (code -> text); empty when all can
        (see :meth:`with_ports`)."""
        return dict(self._join(ports)[1]) if ports else {}

    def _join(self, ports: dict):
        key = tuple((code, repr(p)) for code, p in sorted(ports.items()))
        hit = self._joined.get(key)
        if hit is None:
            from .portjoin import join_ports  # numpy and the coastline: not needed to route on the catalogue

            graph, problems = join_ports(self._nodes, self._adj, self._edges, ports)
            net = None
            if not problems:
                net = object.__new__(PortNetwork)
                net._setup({**self.ports, **ports}, graph, self._aliases)
            if len(self._joined) >= 16:
                self._joined.pop(next(iter(self._joined)))
            hit = self._joined[key] = (net, problems)
        return hit

    @functools.cached_property
    def graph(self):
        """The network as a :class:`networkx.Graph`, built on first use (routing does not need it)."""
        return to_networkx(self._nodes, self._edges)

    @property
    def chokepoints(self) -> tuple[str, ...]:
        """The chokepoint names that can be closed or opened (see :data:`CHOKEPOINTS`)."""
        return CHOKEPOINTS

    def chokepoint_lanes(self, name: str) -> tuple[tuple[tuple[float, float], ...], ...]:
        """The geometries, (lon, lat) degrees from one end to the other, of the lanes tagged ``name`` (for maps)."""
        return tuple(tuple(attrs["geometry"]) for _, _, attrs in self._edges if attrs["chokepoint"] == name)

    # ------------------------------------------------------------------ names
    def port(self, name_or_code: str):
        """The :class:`~routesim.catalogue.Port` named by UN/LOCODE, name or alias.

        Matching ignores case, accents and separators; an unknown name raises
        :class:`~routesim.errors.UnknownNameError` naming the closest ports.

        >>> PortNetwork.default().port("lazaro cardenas").code
        'MXLZC'
        """
        code = self._port_index.get(_key(name_or_code))
        if code is None:
            hint = _port_hint(name_or_code, self._port_hints, self.ports)
            more = "" if hint else f" ({len(self.ports)} ports; `routesim ports` lists them)"
            raise UnknownNameError(f"unknown port {name_or_code!r}{hint}{more}", _hint_names(hint))
        return self.ports[code]

    def chokepoint(self, name: str) -> str:
        """Canonical chokepoint name for ``name`` ("Cape Horn" -> ``drake``)."""
        hit = self._aliases.get(_key(name))
        if hit is None:
            hint = did_you_mean(_key(name), {_key(c): c for c in CHOKEPOINTS})
            known = "" if hint else f" (known: {', '.join(CHOKEPOINTS)})"
            raise UnknownNameError(f"unknown chokepoint {name!r}{hint}{known}", _hint_names(hint))
        return hit

    def closed(self, avoid: Iterable[str] = (), allow: Iterable[str] = (), vessel_teu: float | None = None):
        """The set of chokepoints closed for a query: defaults minus ``allow``, plus ``avoid``.

        ``avoid`` wins over ``allow``. With ``vessel_teu``, chokepoints whose
        lanes take smaller ships only are closed too (see :meth:`route`).
        """
        avoid = {self.chokepoint(c) for c in _as_names(avoid)}
        allow = {self.chokepoint(c) for c in _as_names(allow)}
        closed = (set(CLOSED_BY_DEFAULT) - allow) | avoid
        if vessel_teu is not None:
            closed |= {c for c, limit in self._size_limits().items() if vessel_teu > limit}
        return closed

    # ---------------------------------------------------------------- routing
    def route(
        self,
        origin: str,
        destination: str,
        via: Sequence[str] = (),
        avoid: Iterable[str] = (),
        allow: Iterable[str] = (),
        vessel_teu: float | None = None,
    ) -> Route:
        """The shortest sea route calling at ``origin``, each of ``via`` in order, then ``destination``.

        Parameters
        ----------
        origin, destination : str
            Ports by UN/LOCODE, name or alias.
        via : sequence of str
            Intermediate port calls, in order.
        avoid, allow : iterable of str
            Chokepoints to close, or to open when closed by default
            (``bering``). ``avoid`` wins over ``allow``.
        vessel_teu : float, optional
            Ship size; lanes and chokepoints that take smaller ships only are
            closed (e.g. the Strait of Magellan for large container ships,
            the Panama Canal above its Neopanamax limit). Default: no size limit.

        Raises
        ------
        UnknownNameError
            An unknown port or chokepoint (with suggestions).
        NoRouteError
            The open lanes do not join two calls; the message names the closed
            passages that would have joined them.
        RoutesimError
            Two consecutive calls are the same port.
        """
        calls = [self.port(p).code for p in (origin, *_as_names(via), destination)]
        for a, b in zip(calls, calls[1:]):
            if a == b:
                raise RoutesimError(f"origin and destination are the same port ({self._label(a)}): nothing to route")
        closed = self.closed(avoid, allow)
        key = (tuple(calls), frozenset(closed), vessel_teu)
        if key not in self._routes:
            if len(self._routes) >= _ROUTES_KEPT:
                self._routes.pop(next(iter(self._routes)))
            self._routes[key] = self._route(calls, closed, vessel_teu)
        return self._routes[key]

    def _route(self, calls: list[str], closed: set[str], vessel_teu: float | None) -> Route:
        """The route of :meth:`route` (calls resolved, chokepoints closed); computed once per query."""
        size_closed = {c for c, lim in self._size_limits().items() if vessel_teu is not None and vessel_teu > lim}
        nodes: list[str] = [calls[0]]
        legs: list[Leg] = []
        call_nm: list[float] = []
        for a, b in zip(calls, calls[1:]):
            path = self._shortest(a, b, closed | size_closed, vessel_teu)
            if path is None:
                raise self._no_route(a, b, closed, size_closed, vessel_teu)
            part = 0.0
            for u, v in zip(path, path[1:]):
                e = self._adj[u][v]
                legs.append(Leg(u, v, e["distance_nm"], e["chokepoint"]))
                part += e["distance_nm"]
            nodes += path[1:]
            call_nm.append(part)
        chokes: list[str] = []
        for g in legs:
            if g.chokepoint and g.chokepoint not in chokes:
                chokes.append(g.chokepoint)
        return Route(
            origin=calls[0],
            destination=calls[-1],
            calls=tuple(calls),
            nodes=tuple(nodes),
            legs=tuple(legs),
            distance_nm=float(sum(call_nm)),
            call_distances_nm=tuple(call_nm),
            chokepoints=tuple(chokes),
            _track=functools.partial(track, self._adj, tuple((g.start, g.end) for g in legs), PATH_STEP_NM),
        )

    def distance_matrix(self, ports: Iterable[str], avoid: Iterable[str] = (), allow: Iterable[str] = ()):
        """Sea distances (nm) between every pair of ``ports`` as a pandas DataFrame.

        Rows are origins and columns destinations, labelled by UN/LOCODE; the
        diagonal is 0. A pair the open lanes cannot join raises NoRouteError.
        """
        import numpy as np
        import pandas as pd

        codes = list(dict.fromkeys(self.port(p).code for p in _as_names(ports)))
        closed = self.closed(avoid, allow)
        out = np.zeros((len(codes), len(codes)))
        for i, a in enumerate(codes):
            dist, _ = self._dijkstra(a, None, closed, {a})
            for j, b in enumerate(codes):
                if a == b:
                    continue
                best = min(
                    (dist[n] + e["distance_nm"] for n, e in self._adj[b].items() if n in dist),
                    default=None,
                )
                if best is None:
                    raise self._no_route(a, b, closed, set(), None)
                out[i, j] = best
        return pd.DataFrame(out, index=codes, columns=codes)

    # -------------------------------------------------------------- internals
    def _label(self, code: str) -> str:
        return f"{code} {self.ports[code].name}"

    @functools.cached_property
    def _lane_limits(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for _, _, e in self._edges:
            if e["chokepoint"] and e["max_vessel_teu"] is not None:
                out[e["chokepoint"]] = min(out.get(e["chokepoint"], math.inf), e["max_vessel_teu"])
        return out

    def _size_limits(self) -> dict[str, float]:
        """Largest ship (TEU) per chokepoint: the lane limits and the catalogue's."""
        limits = dict(self._lane_limits)
        try:
            from .catalogue import chokepoints

            for cid, c in chokepoints().items():
                if cid in CHOKEPOINTS and c.max_vessel_teu is not None:
                    limits[cid] = min(limits.get(cid, math.inf), float(c.max_vessel_teu.value))
        except (ImportError, DataError):  # pragma: no cover - catalogue without chokepoints
            pass
        return limits

    def _dijkstra(self, source, target, closed, endpoints, vessel_teu=None):
        return dijkstra(self._nodes, self._adj, source, target, closed, endpoints, vessel_teu)

    def _shortest(self, a: str, b: str, closed: set[str], vessel_teu: float | None = None):
        dist, pred = self._dijkstra(a, b, closed, {a, b}, vessel_teu)
        if b not in dist:
            return None
        path = [b]
        while path[-1] != a:
            path.append(pred[path[-1]])
        return path[::-1]

    def _no_route(self, a, b, closed, size_closed, vessel_teu) -> NoRouteError:
        """Name the closed passages whose opening would join a and b."""
        shut = [c for c in CHOKEPOINTS if c in closed or c in size_closed]
        joining = [c for c in shut if self._shortest(a, b, set(shut) - {c}) is not None]
        named = joining or shut

        def why(c):
            if c in size_closed and c not in closed:
                return f"{c} (takes ships up to {self._size_limits()[c]:,.0f} TEU, asked {vessel_teu:,.0f})"
            return c + (" (closed by default)" if c in CLOSED_BY_DEFAULT and c in closed else "")

        route = f"no sea route from {self._label(a)} to {self._label(b)}"
        if not shut:
            msg = f"{route}: the network has no lane joining them"
        elif joining:
            msg = (f"{route} with {', '.join(shut)} closed; opening "
                   f"{'any one of ' if len(joining) > 1 else ''}{', '.join(why(c) for c in joining)} would join them")
        else:
            msg = f"{route}: the closed passages {', '.join(why(c) for c in shut)} cut every route"
        return NoRouteError(msg, tuple(named))

# ---------------------------------------------------------------- loading
def _as_names(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x)


def _port_index(ports: dict) -> tuple[dict[str, str], dict[str, str]]:
    index: dict[str, str] = {}
    labels: dict[str, str] = {}
    for code, p in ports.items():
        for alias in (code, p.name, *p.aliases):
            key = _key(alias)
            if index.setdefault(key, code) != code:
                raise DataError(f"data/ports.yaml: name {alias!r} is used by both {index[key]} and {code}")
            labels[key] = f"{code} {p.name}"
    return index, labels


def _chokepoint_aliases(lanes) -> dict[str, str]:
    return {**{_key(c): c for c in CHOKEPOINTS}, **{_key(a): n for a, n in lanes.chokepoint_aliases.items()}}


@functools.cache
def _default_network() -> PortNetwork:
    from .catalogue import lanes, ports

    return PortNetwork(lanes(), ports())
