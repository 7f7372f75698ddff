"""Great-circle maths on a spherical Earth, in nautical miles and degrees.

All functions take longitudes and latitudes in degrees (WGS84 coordinates
used as if on a sphere), broadcast numpy-style, and are safe across the
antimeridian (179.5E to 179.5W is 60 nm at the equator, not 21,000).

The Earth is a sphere of mean radius :data:`EARTH_RADIUS_NM` = 3440.065 nm
(6371.0088 km, the IUGG mean radius R1 = (2a + b) / 3, divided by 1.852 km/nm).
Against the WGS84 ellipsoid this is accurate to about 0.5 % on any path, which
is well inside the uncertainty of a ship's actual track.

>>> round(float(haversine_nm(179.5, 0.0, -179.5, 0.0)), 1)
60.0
"""

from __future__ import annotations

import math


class _LazyNumpy:
    """Stands for numpy until first used: :func:`polyline_length_nm` (what routing needs) is plain
    Python, so ``routesim route`` never imports numpy. The first attribute read imports numpy and
    puts the module itself in this module's ``np``."""

    def __getattr__(self, name: str):
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _LazyNumpy()

__all__ = [
    "EARTH_RADIUS_NM",
    "haversine_nm",
    "initial_bearing_deg",
    "interpolate_great_circle",
    "polyline_length_nm",
    "densify",
    "unwrap_lons",
    "wrap_lon",
    "point_segment_distance_nm",
    "nearest_point_on_arc",
    "destination",
]

EARTH_RADIUS_NM = 3440.065
"""Mean Earth radius in nautical miles (IUGG R1 = 6371.0088 km / 1.852)."""


def wrap_lon(lon):
    """Longitude(s) wrapped into [-180, 180) degrees.

    >>> float(wrap_lon(190.0)), float(wrap_lon(-180.0))
    (-170.0, -180.0)
    """
    return (np.asarray(lon, dtype=float) + 180.0) % 360.0 - 180.0


def _to_xyz(lon, lat):
    """Unit vectors (..., 3) for lon/lat in degrees."""
    lam, phi = np.radians(lon), np.radians(lat)
    cphi = np.cos(phi)
    return np.stack(np.broadcast_arrays(cphi * np.cos(lam), cphi * np.sin(lam), np.sin(phi)), axis=-1)


def _to_lonlat(xyz):
    """Longitude, latitude in degrees of (..., 3) vectors (need not be unit length)."""
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    lon = np.degrees(np.arctan2(y, x))
    lat = np.degrees(np.arctan2(z, np.hypot(x, y)))
    return lon, lat


def haversine_nm(lon1, lat1, lon2, lat2):
    """Great-circle distance in nautical miles between points given in degrees.

    Inputs broadcast against each other; returns a float for scalar inputs
    and an array otherwise.

    >>> round(float(haversine_nm(0, 0, 1, 0)), 2)   # one degree of the equator
    60.04
    >>> haversine_nm([0, 10], 0, 0, 0).round(1).tolist()
    [0.0, 600.4]
    """
    lam1, phi1, lam2, phi2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    d = 2.0 * EARTH_RADIUS_NM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return d if np.ndim(d) else float(d)


def initial_bearing_deg(lon1, lat1, lon2, lat2):
    """Initial true bearing in degrees [0, 360) of the great circle from point 1 to point 2.

    >>> round(float(initial_bearing_deg(0, 0, 0, 10)))   # due north
    0
    >>> round(float(initial_bearing_deg(179.5, 0, -179.5, 0)))   # east, across the antimeridian
    90
    """
    lam1, phi1, lam2, phi2 = map(np.radians, (lon1, lat1, lon2, lat2))
    dlam = lam2 - lam1
    y = np.sin(dlam) * np.cos(phi2)
    x = np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(dlam)
    b = np.degrees(np.arctan2(y, x)) % 360.0
    return b if np.ndim(b) else float(b)


def interpolate_great_circle(lon1, lat1, lon2, lat2, n: int):
    """``n`` points (endpoints included) evenly spaced along the great circle.

    Returns ``(lons, lats)``, arrays of shape ``(n,)`` in degrees, longitudes
    wrapped to [-180, 180). Antipodal endpoints have no unique great circle
    and raise ``ValueError``.

    >>> lons, lats = interpolate_great_circle(170, 0, -170, 0, 3)
    >>> lons.round(6).tolist(), lats.round(6).tolist()
    ([170.0, -180.0, -170.0], [0.0, 0.0, 0.0])
    """
    if n < 2:
        raise ValueError("n must be at least 2")
    a, b = _to_xyz(lon1, lat1), _to_xyz(lon2, lat2)
    omega = np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b))
    t = np.linspace(0.0, 1.0, n)
    if omega < 1e-12:
        pts = np.broadcast_to(a, (n, 3))
    else:
        if np.pi - omega < 1e-9:
            raise ValueError("antipodal points: the great circle is not unique")
        s = np.sin(omega)
        pts = (np.sin((1 - t) * omega) / s)[:, None] * a + (np.sin(t * omega) / s)[:, None] * b
    lon, lat = _to_lonlat(pts)
    lon = wrap_lon(lon)
    # keep the exact input endpoints (no rounding noise)
    lon[0], lat[0], lon[-1], lat[-1] = wrap_lon(lon1), lat1, wrap_lon(lon2), lat2
    return lon, lat


def destination(lon, lat, bearing_deg, distance_nm):
    """``(lon, lat)`` in degrees reached from (lon, lat) sailing ``distance_nm`` along the great
    circle of initial true bearing ``bearing_deg``; longitudes in [-180, 180). Inputs broadcast.

    >>> [round(float(x), 6) for x in destination(0.0, 0.0, 90.0, 60.0)]   # 60 nm east (a degree is 60.04 nm on this sphere)
    [0.999326, 0.0]
    """
    d = np.asarray(distance_nm, dtype=float) / EARTH_RADIUS_NM
    b, phi, lam = np.radians(bearing_deg), np.radians(lat), np.radians(lon)
    phi2 = np.arcsin(np.sin(phi) * np.cos(d) + np.cos(phi) * np.sin(d) * np.cos(b))
    lam2 = lam + np.arctan2(np.sin(b) * np.sin(d) * np.cos(phi), np.cos(d) - np.sin(phi) * np.sin(phi2))
    return wrap_lon(np.degrees(lam2)), np.degrees(phi2)


def polyline_length_nm(lons, lats) -> float:
    """Length in nautical miles of the path joining the points by great circles.

    Plain Python, the same arithmetic as :func:`haversine_nm` step by step and numpy's
    pairwise summation of the steps (:func:`_pairwise_sum`), so the length is the one
    ``np.sum(haversine_nm(...))`` gives, to the last bit where numpy's sin, cos and arcsin are the
    C library's (numpy's own SIMD versions, as its arcsin on AVX-512 CPUs, may differ by an ulp;
    ``tests/test_geo.py``).

    >>> round(polyline_length_nm([0, 1, 1], [0, 0, 1]), 2)
    120.08
    """
    try:
        lons, lats = [float(x) for x in lons], [float(y) for y in lats]
    except TypeError:
        raise ValueError("lons and lats must be 1-D arrays of the same length") from None
    if len(lons) != len(lats):
        raise ValueError("lons and lats must be 1-D arrays of the same length")
    if len(lons) < 2:
        return 0.0
    rad = math.radians
    sin, cos = math.sin, math.cos
    steps = []
    for lon1, lat1, lon2, lat2 in zip(lons, lats, lons[1:], lats[1:]):
        lam1, phi1, lam2, phi2 = rad(lon1), rad(lat1), rad(lon2), rad(lat2)
        s_phi, s_lam = sin((phi2 - phi1) / 2), sin((lam2 - lam1) / 2)
        h = s_phi * s_phi + cos(phi1) * cos(phi2) * (s_lam * s_lam)
        h = 0.0 if h < 0.0 else (1.0 if h > 1.0 else h)
        steps.append(2.0 * EARTH_RADIUS_NM * math.asin(math.sqrt(h)))
    return _pairwise_sum(steps)


def _pairwise_sum(a: list) -> float:
    """Sum of ``a`` in the order numpy's ``add.reduce`` adds a contiguous float64 array (blocks of
    eight partial sums up to 128 values, halves above), so that plain Python gives its bits."""
    n = len(a)
    if n < 8:
        res = 0.0
        for x in a:
            res += x
        return res
    if n <= 128:
        r = a[:8]
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] += a[i + j]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for x in a[i:]:
            res += x
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _pairwise_sum(a[:n2]) + _pairwise_sum(a[n2:])


def densify(lons, lats, max_step_nm: float):
    """Insert great-circle points so that no step of the polyline exceeds ``max_step_nm``.

    Returns ``(lons, lats)`` arrays that start and end at the input ends and
    keep every input vertex.

    >>> lons, lats = densify([0, 2], [0, 0], max_step_nm=50)
    >>> len(lons), float(lons[1]).__round__(3)
    (4, 0.667)
    """
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if max_step_nm <= 0:
        raise ValueError("max_step_nm must be positive")
    if lons.size < 2:
        return lons.copy(), lats.copy()
    steps = haversine_nm(lons[:-1], lats[:-1], lons[1:], lats[1:])
    out_lon, out_lat = [lons[:1]], [lats[:1]]
    for i, d in enumerate(np.atleast_1d(steps)):
        k = max(1, int(np.ceil(d / max_step_nm)))
        lo, la = interpolate_great_circle(lons[i], lats[i], lons[i + 1], lats[i + 1], k + 1)
        out_lon.append(lo[1:])
        out_lat.append(la[1:])
    return np.concatenate(out_lon), np.concatenate(out_lat)


def unwrap_lons(lons):
    """Longitudes made continuous (no jump larger than 180 degrees) for plotting.

    The first value is kept; later values may leave [-180, 180].

    >>> unwrap_lons([170, 179, -179, -170]).tolist()
    [170.0, 179.0, 181.0, 190.0]
    """
    lons = np.asarray(lons, dtype=float)
    if lons.size == 0:
        return lons.copy()
    return np.degrees(np.unwrap(np.radians(lons)))


def point_segment_distance_nm(plon, plat, lon1, lat1, lon2, lat2):
    """Shortest distance in nm from point(s) P to the great-circle arc from A to B.

    This is the cross-track distance when the foot of the perpendicular falls
    on the arc, else the distance to the nearer end. All inputs broadcast.

    >>> round(float(point_segment_distance_nm(5, 1, 0, 0, 10, 0)), 1)   # 1 degree north of the arc
    60.0
    >>> round(float(point_segment_distance_nm(12, 0, 0, 0, 10, 0)), 1)  # beyond B
    120.1
    """
    return nearest_point_on_arc(plon, plat, lon1, lat1, lon2, lat2)[2]


def nearest_point_on_arc(plon, plat, lon1, lat1, lon2, lat2):
    """``(lon, lat, distance_nm)`` of the point of the great-circle arc A-B nearest to P.

    The foot of the perpendicular from P when it falls on the arc, else the nearer end
    (degrees, longitude in [-180, 180); distance in nm). All inputs broadcast.

    >>> lon, lat, d = nearest_point_on_arc(5, 1, 0, 0, 10, 0)
    >>> round(float(lon), 6), round(float(lat), 6), round(float(d), 1)
    (5.0, 0.0, 60.0)
    >>> [round(float(x), 1) for x in nearest_point_on_arc(12, 0, 0, 0, 10, 0)]   # beyond B: B itself
    [10.0, 0.0, 120.1]
    """
    p, a, b = _to_xyz(plon, plat), _to_xyz(lon1, lat1), _to_xyz(lon2, lat2)
    p, a, b = np.broadcast_arrays(p, a, b)
    n = np.cross(a, b)
    nn = np.linalg.norm(n, axis=-1, keepdims=True)
    degenerate = nn[..., 0] < 1e-15
    n = n / np.where(nn == 0, 1.0, nn)
    # foot of the perpendicular from p onto the great circle through a and b
    foot = p - np.sum(p * n, axis=-1, keepdims=True) * n
    fnorm = np.linalg.norm(foot, axis=-1, keepdims=True)
    foot = foot / np.where(fnorm == 0, 1.0, fnorm)
    # the foot lies on the arc when it is on the a->b side of both ends
    on_arc = (np.sum(np.cross(a, foot) * n, axis=-1) >= 0) & (np.sum(np.cross(foot, b) * n, axis=-1) >= 0)
    on_arc &= ~degenerate & (fnorm[..., 0] > 1e-12)

    def ang(u, v):
        return np.arctan2(np.linalg.norm(np.cross(u, v), axis=-1), np.sum(u * v, axis=-1))

    cross_track = np.abs(np.pi / 2 - ang(p, n))
    to_a, to_b = ang(p, a), ang(p, b)
    end = np.where((to_a <= to_b)[..., None], a, b)
    point = np.where(on_arc[..., None], foot, end)
    d = EARTH_RADIUS_NM * np.where(on_arc, cross_track, np.minimum(to_a, to_b))
    lon, lat = _to_lonlat(point)
    lon = wrap_lon(lon)
    if np.ndim(d):
        return lon, lat, d
    return float(lon), float(lat), float(d)
