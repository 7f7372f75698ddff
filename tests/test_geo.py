"""Great-circle maths: properties, antimeridian cases and an independent geodesic reference."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from routesim import geo

lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-89.9, 89.9, allow_nan=False)
points = st.tuples(lons, lats)


@given(points, points)
def test_symmetric_and_bounded(p, q):
    d1 = geo.haversine_nm(*p, *q)
    d2 = geo.haversine_nm(*q, *p)
    assert d1 == pytest.approx(d2, abs=1e-6)
    assert 0.0 <= d1 <= math.pi * geo.EARTH_RADIUS_NM + 1e-6


@given(points)
def test_zero_for_identical_points(p):
    assert geo.haversine_nm(*p, *p) == pytest.approx(0.0, abs=1e-6)
    # the same place written with longitude +360
    assert geo.haversine_nm(p[0], p[1], p[0] + 360.0, p[1]) == pytest.approx(0.0, abs=1e-5)


@given(points, points, points)
def test_triangle_inequality(p, q, r):
    assert geo.haversine_nm(*p, *r) <= geo.haversine_nm(*p, *q) + geo.haversine_nm(*q, *r) + 1e-6


def test_antimeridian_at_the_equator_is_short():
    # 179.5E -> 179.5W is one degree of longitude: ~60 nm, not ~21,500
    assert geo.haversine_nm(179.5, 0.0, -179.5, 0.0) == pytest.approx(60.04, abs=0.01)
    assert geo.haversine_nm(-179.5, 10.0, 179.5, 10.0) == pytest.approx(60.04 * math.cos(math.radians(10)), rel=1e-3)


def test_known_values():
    # a quarter of a great circle, and the published mean-radius definition of the nm scale
    assert geo.haversine_nm(0, 0, 90, 0) == pytest.approx(math.pi / 2 * 3440.065)
    assert geo.haversine_nm(0, 0, 0, 1) == pytest.approx(60.04, abs=0.01)


def test_agrees_with_wgs84_geodesic_jfk_lhr():
    # JFK (40.6398N, 73.7789W) to LHR (51.4700N, 0.4543W): WGS84 geodesic 5,554.98 km = 2,999.50 nm,
    # computed independently with GeographicLib 2.1 (Karney 2013, Geodesic.WGS84.Inverse); the
    # Great Circle Mapper lists the route as 3,451 mi (2,999 nm).
    d = geo.haversine_nm(-73.7789, 40.6398, -0.4543, 51.4700)
    assert d == pytest.approx(2999.50, rel=0.005)


def test_broadcasting_returns_arrays():
    d = geo.haversine_nm(np.array([0.0, 10.0, 20.0]), 0.0, 0.0, 0.0)
    assert isinstance(d, np.ndarray) and d.shape == (3,)
    assert d[0] == 0.0 and d[2] == pytest.approx(2 * d[1])
    grid = geo.haversine_nm(np.zeros((2, 1)), 0.0, np.array([[1.0, 2.0, 3.0]]), 0.0)
    assert grid.shape == (2, 3)
    assert isinstance(geo.haversine_nm(0, 0, 1, 1), float)


@given(points, points)
def test_interpolated_points_lie_on_the_arc(p, q):
    d = geo.haversine_nm(*p, *q)
    if d > math.pi * geo.EARTH_RADIUS_NM - 1.0:  # (near-)antipodal: no unique arc
        return
    lon, lat = geo.interpolate_great_circle(*p, *q, 7)
    assert lon.shape == lat.shape == (7,)
    assert np.all((lon >= -180) & (lon < 180)) and np.all(np.abs(lat) <= 90)
    steps = geo.haversine_nm(lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert np.allclose(steps, d / 6, atol=1e-4)
    assert geo.polyline_length_nm(lon, lat) == pytest.approx(d, abs=1e-3)


def test_interpolation_across_the_antimeridian_stays_near_it():
    lon, lat = geo.interpolate_great_circle(170.0, 0.0, -170.0, 0.0, 5)
    assert np.allclose(np.abs(lon), [170, 175, 180, 175, 170])
    with pytest.raises(ValueError):
        geo.interpolate_great_circle(0, 0, 180, 0, 3)


def test_polyline_and_densify():
    assert geo.polyline_length_nm([0, 0], [0, 0]) == 0.0
    assert geo.polyline_length_nm([5], [5]) == 0.0
    lon, lat = geo.densify([0, 10, 10], [0, 0, 10], max_step_nm=100)
    steps = geo.haversine_nm(lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert steps.max() <= 100 + 1e-9
    assert (lon[0], lat[0], lon[-1], lat[-1]) == (0, 0, 10, 10)
    assert geo.polyline_length_nm(lon, lat) == pytest.approx(geo.polyline_length_nm([0, 10, 10], [0, 0, 10]))


def test_unwrap_lons_removes_jumps():
    u = geo.unwrap_lons([170, 179, -179, -170, 175])
    assert np.all(np.abs(np.diff(u)) <= 180)
    assert u.tolist() == pytest.approx([170, 179, 181, 190, 175])


def test_initial_bearing():
    assert geo.initial_bearing_deg(0, 0, 0, 10) == pytest.approx(0.0)
    assert geo.initial_bearing_deg(0, 0, 10, 0) == pytest.approx(90.0)
    assert geo.initial_bearing_deg(0, 10, 0, 0) == pytest.approx(180.0)
    assert geo.initial_bearing_deg(179.5, 0, -179.5, 0) == pytest.approx(90.0)


@given(points, points, points)
def test_point_segment_distance_bounds(p, a, b):
    d_ab = geo.haversine_nm(*a, *b)
    if d_ab > math.pi * geo.EARTH_RADIUS_NM - 10.0:
        return
    d = geo.point_segment_distance_nm(*p, *a, *b)
    assert -1e-6 <= d <= min(geo.haversine_nm(*p, *a), geo.haversine_nm(*p, *b)) + 1e-6
    # the distance to the arc is never larger than to any point sampled on it
    lon, lat = geo.interpolate_great_circle(*a, *b, 25)
    assert d <= geo.haversine_nm(p[0], p[1], lon, lat).min() + 1e-6


def test_point_segment_distance_examples():
    assert geo.point_segment_distance_nm(5, 1, 0, 0, 10, 0) == pytest.approx(60.04, abs=0.01)
    assert geo.point_segment_distance_nm(12, 0, 0, 0, 10, 0) == pytest.approx(120.08, abs=0.01)
    assert geo.point_segment_distance_nm(180, 0.5, 179, 0, -179, 0) == pytest.approx(30.02, abs=0.01)


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(geo).failed == 0


def _numpy_length(lons, lats) -> float:
    """The numpy form polyline_length_nm had until issue 16: the sum of haversine_nm over the steps."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if lons.size < 2:
        return 0.0
    return float(np.sum(geo.haversine_nm(lons[:-1], lats[:-1], lons[1:], lats[1:])))


def _numpy_trig_is_libm() -> bool:
    """Whether numpy's sin, cos and arcsin give the C library's results (``math``'s) to the last bit
    on this machine: they do where numpy calls them (e.g. an AVX2 build), not where it runs its own
    SIMD versions (e.g. arcsin on AVX-512 CPUs), which may differ by an ulp."""
    x = np.random.default_rng(0).uniform(-4.0, 4.0, 20_000)
    u = np.random.default_rng(1).uniform(0.0, 1.0, 20_000)
    return all(np.array_equal(f(v), np.array([g(e) for e in v.tolist()]))
               for f, g, v in ((np.sin, math.sin, x), (np.cos, math.cos, x), (np.arcsin, math.asin, u)))


def _same_length(plain: float, numpy_form: float) -> bool:
    """The plain-Python length is the numpy form's: to the last bit where numpy's trigonometry is the
    C library's, else within the few ulps by which numpy's own SIMD functions may differ."""
    if _TRIG_IS_LIBM:
        return plain == numpy_form
    return math.isclose(plain, numpy_form, rel_tol=1e-14, abs_tol=1e-12)


_TRIG_IS_LIBM = _numpy_trig_is_libm()


def test_plain_python_length_is_numpys_to_the_last_bit():
    """Routing reads lane lengths without numpy (issue 16): the plain-Python length must be the
    numpy length exactly, or routes and everything after them would shift. Random polylines of
    0 to 300 points (numpy sums in blocks of 8 up to 128 values and in halves above). Exactly where
    numpy's sin, cos and arcsin are the C library's; where they are numpy's own SIMD versions
    (AVX-512), numpy's lengths differ from those of other machines anyway, and the two agree to a
    few ulps."""
    rng = np.random.default_rng(16)
    for k in range(3000):
        n = int(rng.integers(0, 300))
        if k % 2:
            lon, lat = rng.uniform(-200, 200, n), rng.uniform(-90, 90, n)
        else:  # short steps, as along a coast
            lon, lat = np.cumsum(rng.normal(0, 0.05, n)), np.cumsum(rng.normal(0, 0.05, n)).clip(-89, 89)
        assert _same_length(geo.polyline_length_nm(lon, lat), _numpy_length(lon, lat))
        assert _same_length(geo.polyline_length_nm(lon.tolist(), lat.tolist()), _numpy_length(lon, lat))


def test_every_catalogue_lane_has_its_numpy_length():
    from routesim.network import PortNetwork

    net = PortNetwork.default()
    for _, _, lane in net._edges:
        pts = lane["geometry"]
        assert _same_length(lane["distance_nm"], _numpy_length([p[0] for p in pts], [p[1] for p in pts]))


def test_plain_python_length_is_the_c_librarys_haversine_summed_as_numpy_sums():
    """On every machine: the plain-Python length is the haversine of ``math``'s sin, cos and asin
    (the C library's), step by step, summed in numpy's pairwise order."""
    rng = np.random.default_rng(17)
    for n in (0, 1, 2, 7, 8, 9, 127, 128, 129, 300):
        lon, lat = rng.uniform(-200, 200, n), rng.uniform(-90, 90, n)
        steps = []
        for a, b, c, d in zip(lon.tolist(), lat.tolist(), lon.tolist()[1:], lat.tolist()[1:]):
            p1, p2, l1, l2 = math.radians(b), math.radians(d), math.radians(a), math.radians(c)
            h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
            steps.append(2.0 * geo.EARTH_RADIUS_NM * math.asin(math.sqrt(min(max(h, 0.0), 1.0))))
        expected = float(np.sum(np.array(steps))) if steps else 0.0
        assert geo.polyline_length_nm(lon, lat) == expected


def test_polyline_length_wants_two_sequences_of_numbers_of_one_length():
    with pytest.raises(ValueError, match="same length"):
        geo.polyline_length_nm([0, 1], [0])
    with pytest.raises(ValueError, match="1-D"):
        geo.polyline_length_nm([[0, 1]], [[0, 1]])
    with pytest.raises(ValueError, match="1-D"):
        geo.polyline_length_nm(1.0, 2.0)
    assert geo.polyline_length_nm([5], [5]) == 0.0
