"""Land, from the shipped Natural Earth 1:50m coastline (``data/land_50m.npz``).

The file is built once by ``scripts/build_coastlines.py`` from the npm package world-atlas 2.0.2
(Natural Earth 4.1.0, public domain); nothing is downloaded at run time. Geometry is planar in
(lon, lat) degrees, as Natural Earth draws it; tracks are sampled along their great circles.

>>> bool(on_land(-47.9, -15.8)), bool(on_land(-30.0, -20.0))   # Brasilia, the South Atlantic
(True, False)
>>> round(track_land_nm([-46.3, -77.1], [-24.0, -12.0]))  > 1000   # Santos straight to Callao
True
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np

from . import geo

__all__ = ["SAMPLE_STEP_NM", "SOURCE", "land", "on_land", "track_land_nm", "land_runs"]

SAMPLE_STEP_NM = 1.0
"""Step (nm) at which a track is sampled along its great circles for the land check."""


@functools.cache
def _arrays() -> dict:
    with resources.files("routesim.data").joinpath("land_50m.npz").open("rb") as f:
        z = np.load(f)
        return {k: z[k] for k in z.files}


SOURCE: str = "Natural Earth 4.1.0 1:50m land (public domain) via npm world-atlas 2.0.2; scripts/build_coastlines.py"
"""Where the coastline comes from."""


@functools.cache
def land():
    """The land as one prepared :class:`shapely.MultiPolygon` in (lon, lat) degrees."""
    import shapely
    import shapely.affinity

    a = _arrays()
    xy = a["xy"] * a["scale"] + a["translate"]
    rings = [xy[s:e] for s, e in zip(a["ring"][:-1], a["ring"][1:])]
    polys = [shapely.Polygon(rings[s], rings[s + 1:e]) for s, e in zip(a["polygon"][:-1], a["polygon"][1:])]
    world = shapely.box(-180.0, -90.0, 180.0, 90.0)
    out_polys = []
    for p in polys:  # rings made continuous across the antimeridian: both copies, clipped
        x0, _, x1, _ = p.bounds
        if x1 <= 180.0 and x0 >= -180.0:
            out_polys.append(p)
            continue
        other = shapely.affinity.translate(p, -360.0 if x1 > 180.0 else 360.0)
        for q in (p, other):
            q = shapely.intersection(shapely.make_valid(q), world)
            out_polys += [g for g in getattr(q, "geoms", [q]) if g.geom_type == "Polygon" and not g.is_empty]
    out = shapely.MultiPolygon(out_polys)
    shapely.prepare(out)
    return out


def on_land(lon, lat):
    """Whether each point (degrees) is on land (inside a land polygon, boundary excluded)."""
    import shapely

    lon = geo.wrap_lon(np.asarray(lon, dtype=float))
    return shapely.contains_xy(land(), lon, np.asarray(lat, dtype=float))


def _samples(lons, lats, step_nm: float):
    lo, la = geo.densify(lons, lats, step_nm)
    d = np.concatenate([[0.0], np.cumsum(geo.haversine_nm(lo[:-1], la[:-1], lo[1:], la[1:]))])
    return lo, la, d


def land_runs(lons, lats, skip_start_nm: float = 0.0, skip_end_nm: float = 0.0, step_nm: float = SAMPLE_STEP_NM):
    """Stretches of a great-circle track over land: a list of (from_nm, to_nm, lon, lat) with the
    position of the run's first land sample. The first ``skip_start_nm`` and last ``skip_end_nm``
    of the track (a port's own basin) are not checked."""
    lo, la, d = _samples(lons, lats, step_nm)
    wet = ~on_land(lo, la) | (d < skip_start_nm) | (d > d[-1] - skip_end_nm)
    runs, i = [], 0
    while i < len(wet):
        if wet[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(wet) and not wet[j + 1]:
            j += 1
        runs.append((float(d[i]), float(d[j]), float(geo.wrap_lon(lo[i])), float(la[i])))
        i = j + 1
    return runs


def track_land_nm(lons, lats, skip_start_nm: float = 0.0, skip_end_nm: float = 0.0) -> float:
    """Length (nm, at :data:`SAMPLE_STEP_NM` resolution) of a great-circle track over land."""
    runs = land_runs(lons, lats, skip_start_nm, skip_end_nm)
    return float(sum(b - a + SAMPLE_STEP_NM for a, b, *_ in runs))

