"""The route map (issue 17, item 1): centred where the routes sail, on the shipped Natural Earth land,
each port once, chokepoints and overland legs drawn; checked on the rendered image."""

from __future__ import annotations

import io

import numpy as np
import pytest

from routesim.plan import compile_plan
from routesim.results.maps import LAND, SEA, map_png, plot_route_map
from routesim.results.mapview import MAX_LAT, MIN_LAT, central_meridian, map_view, view_x
from routesim.scenario import load_scenario

from conftest import SCENARIOS

pytest.importorskip("cartopy")


@pytest.fixture(scope="module")
def santos_plan():
    return compile_plan(load_scenario(SCENARIOS / "santos_to_shanghai.yaml"))


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _drawn(plan, dpi=100):
    """The map on a figure of its own, its pixels (rows from the top) and a lon/lat -> pixel function."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 6.2), dpi=dpi)
    ax = plot_route_map(plan, ax=fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    import matplotlib.image as mpimg

    buf.seek(0)
    img = (mpimg.imread(buf, format="png")[..., :3] * 255).round()
    view = map_view(plan)

    def pixel(lon, lat):
        x, y = ax.transData.transform((view_x(lon, view.central_lon), lat))
        return int(round(img.shape[0] - y)), int(round(x))

    return ax, img, pixel, view


def _colour_near(img, rc, colour, tol=8.0, box=2) -> bool:
    """Whether most pixels of the (2 box + 1)^2 patch round ``rc`` are within ``tol`` of ``colour``."""
    r, c = rc
    patch = img[r - box:r + box + 1, c - box:c + box + 1].reshape(-1, 3)
    return np.mean(np.abs(patch - _rgb(colour)).max(axis=1) <= tol) > 0.6


def test_peru_china_is_pacific_centred_each_port_once_latitudes_clipped(study_plan):
    view = map_view(study_plan)
    assert abs(float(np.mod(view.central_lon, 360.0)) - 180.0) < 45.0  # the antimeridian near the middle
    codes = [m.id for m in view.ports]
    assert len(codes) == len(set(codes)) and {"PECHY", "PECLL", "CNSHA", "MXZLO", "KRPUS"} <= set(codes)
    x0, x1, y0, y1 = view.extent
    assert MIN_LAT <= y0 < -30 and 40 < y1 <= MAX_LAT and -180 <= x0 < x1 <= 180
    for m in view.ports:  # every port inside the map, at one x only
        assert x0 < m.x < x1 and y0 < m.lat < y1


def test_a_trans_pacific_route_is_one_unbroken_line(study_plan):
    view = map_view(study_plan)
    direct = next(r for r in view.routes if r.name == "chancay_direct")
    assert len(direct.pieces) == 1
    x, y = direct.pieces[0]
    assert np.abs(np.diff(x)).max() < 5.0  # no wrap-around jump across the figure
    assert x[0] == pytest.approx(view_x(-77.2, view.central_lon), abs=1.0)
    ax, *_ = _drawn(study_plan)
    lines = [ln for ln in ax.get_lines() if ln.get_label().startswith("chancay_direct")]
    assert len(lines) == 1 and np.abs(np.diff(lines[0].get_xdata())).max() < 5.0


def test_land_pixels_where_land_is_and_sea_where_sea_is(study_plan):
    _, img, pixel, _ = _drawn(study_plan)
    for lon, lat in [(-65.0, -17.0), (-64.0, -31.0), (114.0, 29.0), (-102.0, 35.0)]:  # Bolivia, Argentina, China, USA
        assert _colour_near(img, pixel(lon, lat), LAND), (lon, lat)
    for lon, lat in [(-130.0, -30.0), (-160.0, 5.0), (160.0, -35.0)]:  # open Pacific, Tasman Sea
        assert _colour_near(img, pixel(lon, lat), SEA), (lon, lat)


def test_routes_round_the_globe_are_cut_once_far_from_the_ports(santos_plan):
    view = map_view(santos_plan)
    pieces = {r.name: len(r.pieces) for r in view.routes}
    assert sum(pieces.values()) - len(pieces) == 1  # Cape one way, the Pacific routes the other: one cut
    assert min(180.0 - abs(m.x) for m in view.ports) > 30.0  # the map's edge is in open ocean


def test_chokepoints_marked_once_and_the_overland_leg_drawn(santos_plan):
    view = map_view(santos_plan)
    ids = [m.id for m in view.chokepoints]
    assert sorted(ids) == sorted(set(ids)) and {"good_hope", "panama", "magellan", "malacca"} <= set(ids)
    panama = next(m for m in view.chokepoints if m.id == "panama")
    assert -80.5 < panama.lon < -79.0 and 8.5 < panama.lat < 9.5
    over = next(r for r in view.routes if r.name == "overland_chancay")
    assert over.overland is not None and "overland" in over.overland_label
    x, y = over.overland
    santos, chancay = (-46.3, -23.95), (-77.27, -11.58)
    assert x[0] == pytest.approx(view_x(santos[0], view.central_lon), abs=0.5) and y[0] == pytest.approx(santos[1], abs=0.5)
    assert x[-1] == pytest.approx(view_x(chancay[0], view.central_lon), abs=0.5)


def test_an_overland_start_without_a_port_is_a_note_not_a_guess(santos_plan):
    s = load_scenario(SCENARIOS / "santos_to_shanghai.yaml").with_overrides(
        {"routes.overland_chancay.overland.start": "Sao Paulo state"})
    view = map_view(compile_plan(s))
    over = next(r for r in view.routes if r.name == "overland_chancay")
    assert over.overland is None
    assert any("overland_chancay" in n and "Sao Paulo state" in n for n in view.notes)


def test_plot_route_map_replaces_a_plain_axes_and_png_is_an_image(study_plan):
    from cartopy.mpl.geoaxes import GeoAxes
    from matplotlib.figure import Figure

    fig = Figure()
    plain = fig.add_subplot(1, 2, 2)
    ax = plot_route_map(study_plan, ax=plain)
    assert isinstance(ax, GeoAxes) and plain not in fig.axes and ax.get_subplotspec().colspan.start == 1
    labels = [t.get_text() for t in ax.texts]
    assert "Chancay (PECHY)" in labels and len(labels) == len(set(labels))
    assert ax.get_title().startswith(study_plan.name[:20])
    png = map_png(study_plan, dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_central_meridian_takes_the_short_way_round():
    assert central_meridian([-77.0, 121.0]) == pytest.approx(-158.0)  # over the Pacific, not the Atlantic
    assert central_meridian([-46.0, 18.0]) == pytest.approx(-14.0)
    with pytest.raises(TypeError, match="Results or a Plan"):
        plot_route_map("not a plan")
