"""What a route map shows, as plain geometry: one rule for the static map and the report's maps.

:func:`map_view` turns a :class:`~routesim.plan.Plan` into a :class:`MapView`: the central
meridian, the extent, each route's sea path, the ports (each once), the chokepoints the routes
pass, the overland legs and the land in view, all in **map coordinates**: degrees of an
equirectangular (plate carree) map centred on ``central_lon``, ``x = lon - central_lon``
wrapped into [-180, 180), ``y = lat``. :mod:`routesim.results.maps` draws it with cartopy,
:mod:`routesim.results.report_figures` with plotly; neither repeats these rules.

The central meridian is the middle of the arc of longitudes the routes use: the complement
of the widest band of longitude no route, port or overland leg touches. A Peru-China study is
Pacific-centred (about 150W, the antimeridian inside the map), Santos to Shanghai round the
Cape Atlantic/Indian-centred. A path is cut only where it leaves one side of the map and comes
back at the other, which happens only when the routes circle the globe.

>>> view_x(-77.2, 180.0), view_x(121.5, 180.0)   # Chancay and Shanghai on a Pacific-centred map
(102.8, -58.5)
>>> round(central_meridian([-77.2, 121.5, -150.0]), 2)   # both ends of a trans-Pacific track
-157.85
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .. import geo

__all__ = ["MapView", "RouteLine", "Mark", "map_view", "view_x", "central_meridian", "split_at_edge",
           "land_in_view", "lon_ticks", "lat_ticks", "MAX_LAT", "MIN_LAT"]

MAX_LAT = 78.0
"""Northern limit of a map (degrees): no container route sails further north."""
MIN_LAT = -70.0
"""Southern limit of a map (degrees): south of Cape Horn and the Southern Ocean lanes."""

_LOCODE = re.compile(r"\b[A-Z]{2}[A-Z2-9]{3}\b")


@dataclass(frozen=True)
class Mark:
    """A labelled point: a port, a chokepoint or the start of an overland leg."""

    id: str
    label: str
    lon: float
    lat: float
    x: float
    """Map coordinate (degrees east of the central meridian)."""


@dataclass(frozen=True)
class RouteLine:
    """One route: its sea path in map coordinates, in pieces that do not cross the map's edge."""

    name: str
    label: str
    pieces: tuple[tuple[np.ndarray, np.ndarray], ...]
    """``(x, y)`` arrays (degrees) of each piece."""
    overland: tuple[np.ndarray, np.ndarray] | None = None
    """The overland leg from its start to the sea origin (a great circle: the road is not modelled)."""
    overland_label: str = ""


@dataclass(frozen=True)
class MapView:
    """Everything a route map draws (map coordinates, degrees); see the module doc."""

    title: str
    central_lon: float
    extent: tuple[float, float, float, float]
    """``(x0, x1, y0, y1)``: west, east, south, north edges in map coordinates (degrees)."""
    routes: tuple[RouteLine, ...]
    ports: tuple[Mark, ...]
    chokepoints: tuple[Mark, ...]
    notes: tuple[str, ...] = field(default=())
    """What could not be drawn, and why."""

    def x(self, lon):
        """Map x (degrees) of longitude(s) ``lon``."""
        return view_x(lon, self.central_lon)


def view_x(lon, central_lon: float):
    """Map x of ``lon`` on a map centred on ``central_lon``: ``lon - central_lon`` in [-180, 180) (degrees)."""
    x = geo.wrap_lon(np.asarray(lon, dtype=float) - central_lon)
    return float(np.round(x, 9)) if np.ndim(x) == 0 else np.round(x, 9)


def central_meridian(lons) -> float:
    """The middle (degrees, in [-180, 180)) of the shortest arc of longitude holding every one of ``lons``."""
    lo = np.unique(geo.wrap_lon(np.asarray(lons, dtype=float)))
    if lo.size < 2:
        return float(lo[0]) if lo.size else 0.0
    gaps = np.diff(np.concatenate([lo, lo[:1] + 360.0]))
    i = int(np.argmax(gaps))  # the widest empty band runs east of lo[i]
    start = lo[(i + 1) % lo.size]
    return float(geo.wrap_lon(start + (360.0 - gaps[i]) / 2.0))


def split_at_edge(x, y) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(x, y)`` cut where a step jumps more than 180 degrees of x (the path leaves one side of the map).

    >>> [p[0].tolist() for p in split_at_edge([170.0, 179.0, -179.0, -170.0], [0, 0, 0, 0])]
    [[170.0, 179.0], [-179.0, -170.0]]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    cuts = np.flatnonzero(np.abs(np.diff(x)) > 180.0) + 1
    return [(a, b) for a, b in zip(np.split(x, cuts), np.split(y, cuts)) if a.size]


def _ports_of(plan, net):
    codes: list[str] = []
    for rp in plan.routes.values():
        for code in [rp.origin, *(c for s in rp.segments for c in s.calls), rp.destination]:
            if code not in codes:
                codes.append(code)
    return [(c, net.ports[c]) for c in codes if c in net.ports]


def _chokepoint_marks(plan, net) -> list[tuple[str, str, float, float]]:
    """(id, name, lon, lat) of the middle of each chokepoint lane a route's path runs along."""
    from ..catalogue import chokepoints

    names = {k: v.name for k, v in chokepoints().items()}
    out: list[tuple[str, str, float, float]] = []
    for rp in plan.routes.values():
        if not rp.path:
            continue
        plon = np.array([p[0] for p in rp.path])
        plat = np.array([p[1] for p in rp.path])
        for cid in rp.chokepoints:
            hits = []
            for lane in net.chokepoint_lanes(cid):
                lo, la = geo.densify([p[0] for p in lane], [p[1] for p in lane], 10.0)
                mlon, mlat = float(lo[lo.size // 2]), float(la[la.size // 2])
                if float(np.min(geo.haversine_nm(plon, plat, mlon, mlat))) < 30.0:
                    hits.append((mlon, mlat))
            if not hits:
                continue
            mlon, mlat = hits[len(hits) // 2]  # a passage of several lanes (Malacca) is marked once, mid-way
            if not any(o[0] == cid for o in out):  # one mark per passage, where the first route passes it
                out.append((cid, names.get(cid, cid), mlon, mlat))
    return out


def _overland_start(rp, net):
    """The port (code, catalogue port) an overland leg starts near: a UN/LOCODE in its ``start`` text."""
    start = next((leg.place for leg in rp.legs if leg.kind == "overland"), "")
    for code in _LOCODE.findall(start):
        if code in net.ports:
            return start, code, net.ports[code]
    return start, None, None


def map_view(plan, title: str | None = None) -> MapView:
    """The :class:`MapView` of ``plan``'s routes (its network's ports and lanes; the shipped one if it has none)."""
    net = plan.network
    if net is None:
        from ..network import PortNetwork

        net = PortNetwork.default()
    ports = _ports_of(plan, net)
    chokes = _chokepoint_marks(plan, net)
    overland, notes = {}, []
    for name, rp in plan.routes.items():
        if rp.overland_days is None:
            continue
        start, code, port = _overland_start(rp, net)
        if port is None:
            notes.append(f"{name}: the overland leg from '{start}' is not drawn: its start names no catalogue port "
                         "(write the nearest port's UN/LOCODE in overland.start, e.g. 'Santos (BRSSZ)')")
            continue
        o = net.ports[rp.origin]
        n = max(2, int(geo.haversine_nm(port.lon, port.lat, o.lon, o.lat) // 50) + 2)
        overland[name] = (start, geo.interpolate_great_circle(port.lon, port.lat, o.lon, o.lat, n))
    lons = [p.lon for _, p in ports] + [c[2] for c in chokes]
    lats = [p.lat for _, p in ports] + [c[3] for c in chokes]
    for rp in plan.routes.values():
        lons += [p[0] for p in rp.path]
        lats += [p[1] for p in rp.path]
    for _, (lo, la) in overland.values():
        lons += lo.tolist()
        lats += la.tolist()
    tracks = [np.array([p[0] for p in rp.path]) for rp in plan.routes.values() if rp.path]
    tracks += [lo for _, (lo, _) in overland.values()]
    c = _centre(central_meridian(lons) if lons else 0.0, tracks, [p.lon for _, p in ports])
    routes = []
    for name, rp in plan.routes.items():
        pieces = ()
        if rp.path:
            x = view_x([p[0] for p in rp.path], c)
            pieces = tuple(split_at_edge(x, [p[1] for p in rp.path]))
        line = overland.get(name)
        routes.append(RouteLine(
            name, f"{name} ({rp.origin} > {rp.destination}, {rp.sea_distance_nm:,.0f} nm)", pieces,
            None if line is None else (view_x(line[1][0], c), np.asarray(line[1][1])),
            "" if line is None else f"{name}: overland from {line[0]} (what-if; drawn as a great circle)"))
    extent = _extent(view_x(lons, c) if lons else np.zeros(1), np.asarray(lats if lats else [0.0]))
    return MapView(
        title=title if title is not None else plan.name, central_lon=c, extent=extent, routes=tuple(routes),
        ports=tuple(Mark(code, p.name, p.lon, p.lat, view_x(p.lon, c)) for code, p in ports),
        chokepoints=tuple(Mark(cid, nm, lo, la, view_x(lo, c)) for cid, nm, lo, la in chokes),
        notes=tuple(notes))


def _centre(widest_gap_centre: float, tracks: list[np.ndarray], port_lons: list[float]) -> float:
    """The central meridian (a multiple of 5 degrees): the middle of the routes' arc of longitude when
    that cuts no track; else (routes round the globe must be cut somewhere) the one that cuts the
    fewest tracks at the map's edge, with the edge as far from every port as can be."""
    def cuts(c: float) -> int:
        return sum(int(np.count_nonzero(np.abs(np.diff(view_x(t, c))) > 180.0)) for t in tracks)

    def clearance(c: float) -> float:  # degrees between the edge and the port nearest it
        return float(np.min(180.0 - np.abs(view_x(port_lons, c)))) if port_lons else 0.0

    best = float(geo.wrap_lon(round(widest_gap_centre / 5.0) * 5.0))
    if cuts(best) == 0:
        return best
    return min((float(c) for c in np.arange(-180.0, 180.0, 5.0)), key=lambda c: (cuts(c), -clearance(c)))


def _extent(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Edges round the points with a margin, latitudes within [:data:`MIN_LAT`, :data:`MAX_LAT`], at least
    1.6 times as wide as high (a readable map on a landscape figure)."""
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    mx, my = max(6.0, 0.06 * (x1 - x0)), max(6.0, 0.1 * (y1 - y0))
    x0, x1 = max(-180.0, x0 - mx), min(180.0, x1 + mx)
    y0, y1 = max(MIN_LAT, y0 - my), min(MAX_LAT, y1 + my)
    wide = 1.6 * (y1 - y0)
    if x1 - x0 < wide:
        pad = (wide - (x1 - x0)) / 2.0
        x0, x1 = max(-180.0, x0 - pad), min(180.0, x1 + pad)
    return (round(x0, 3), round(x1, 3), round(y0, 3), round(y1, 3))


def lon_ticks(view: MapView, step: float = 30.0) -> tuple[list[float], list[str]]:
    """Map x of the meridians every ``step`` degrees inside the view, and their labels.

    >>> v = MapView("t", 180.0, (-100.0, 100.0, -40.0, 40.0), (), (), ())
    >>> lon_ticks(v, 60.0)
    ([-60.0, 0.0, 60.0], ['120°E', '180°', '120°W'])
    """
    lons = np.arange(-180.0, 180.0, step)
    xs = view_x(lons, view.central_lon)
    keep = (xs >= view.extent[0]) & (xs <= view.extent[1])
    order = np.argsort(xs[keep])
    text = [f"{abs(v):.0f}°{'E' if 0 < v < 180 else 'W' if -180 < v < 0 else ''}" for v in lons[keep][order]]
    return xs[keep][order].tolist(), text


def lat_ticks(view: MapView, step: float = 20.0) -> tuple[list[float], list[str]]:
    """The parallels every ``step`` degrees inside the view, and their labels (``20°S``, ``0°``, ``20°N``)."""
    ys = np.arange(-80.0, 81.0, step)
    ys = ys[(ys >= view.extent[2]) & (ys <= view.extent[3])]
    return ys.tolist(), [f"{abs(v):.0f}°{'N' if v > 0 else 'S' if v < 0 else ''}" for v in ys]


def land_in_view(view: MapView, tolerance_deg: float = 0.0):
    """The shipped Natural Earth land (:func:`routesim.coast.land`) in map coordinates, cut to the view.

    Returns a list of :class:`shapely.Polygon` (x, y in degrees); ``tolerance_deg`` > 0 simplifies
    them (for the report's interactive map, whose file size grows with the vertices).
    """
    import shapely
    import shapely.affinity

    from ..coast import land

    x0, x1, y0, y1 = view.extent
    box = shapely.box(x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0)
    world = land()
    out = []
    for shift in (-view.central_lon - 360.0, -view.central_lon, -view.central_lon + 360.0):
        moved = shapely.affinity.translate(world, shift)
        part = shapely.intersection(moved, box)
        if tolerance_deg > 0:
            part = shapely.simplify(part, tolerance_deg, preserve_topology=True)
        out += [g for g in getattr(part, "geoms", [part]) if g.geom_type == "Polygon" and not g.is_empty]
    return out
