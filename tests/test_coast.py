"""Every lane checked against the shipped 50m coastline (Natural Earth via world-atlas)."""

import sys
from pathlib import Path

import numpy as np
import pytest

from routesim import coast
from routesim.network import PortNetwork

sys.path.insert(0, str(Path(__file__).parent / "catalogue"))  # also when run on its own, not after tests/catalogue
from test_ports_data import LAND_POINTS  # noqa: E402

PORT_BASIN_NM = 3.0
"""The first and last nm of a port's access lane that are not checked: a terminal reference
point is on the quay, which the 1:50m coastline (generalised to ~1-3 km) often draws as land."""

# Lanes allowed to cross the 50m land: canals and channels narrower than the coastline's
# resolution, each named with its gates (the lane's two ends) and the most land it may cross.
PASSAGES = {
    frozenset({"atl_colon_app", "pac_balboa_app"}): ("Panama Canal (Cristobal - Balboa)", 45.0),
    frozenset({"med_port_said_n", "red_suez_s"}): ("Suez Canal (Port Said - Suez)", 95.0),
    frozenset({"ECGYE", "pac_guayaquil_gulf"}): ("Estero Salado, the channel to Guayaquil", 8.0),
    frozenset({"CLLQN", "pac_concepcion_w"}): ("Bahia de Concepcion (Lirquen), not drawn at 1:50m", 4.0),
    frozenset({"DEHAM", "nor_elbe1"}): ("Lower Elbe (Hamburg - Elbe 1), the river above Glueckstadt not drawn at 1:50m", 14.0),
}


@pytest.fixture(scope="module")
def net():
    return PortNetwork.default()


def _land_nm(net, u, v):
    g = net.graph
    e = g.edges[u, v]
    lon, lat = np.array(e["geometry"]).T
    a, b = e["start"], v if e["start"] == u else u
    skip = [PORT_BASIN_NM if g.nodes[n]["kind"] == "port" else 0.0 for n in (a, b)]
    return coast.track_land_nm(lon, lat, *skip)


def test_no_lane_crosses_land_at_50m(net):
    crossing = {}
    for u, v in net.graph.edges:
        nm = _land_nm(net, u, v)
        if nm > 0:
            crossing[frozenset({u, v})] = nm
    unlisted = {tuple(sorted(k)): round(nm, 1) for k, nm in crossing.items() if k not in PASSAGES}
    assert not unlisted, f"lanes over land (nm): {unlisted}"
    for k, (name, most) in PASSAGES.items():
        assert k in crossing, f"{name}: listed but no longer crosses land (drop it from PASSAGES)"
        assert crossing[k] <= most, (name, crossing[k])


def test_the_canals_are_gated_by_their_chokepoint(net):
    for k, (name, _) in PASSAGES.items():
        u, v = sorted(k)
        if "Canal" in name:
            assert net.graph.edges[u, v]["chokepoint"] in ("panama", "suez"), name


def test_the_inland_points_are_a_subset_of_the_coastline_check():
    lon, lat = np.array(list(LAND_POINTS.values())).T
    inland = coast.on_land(lon, lat)
    assert inland.all(), [n for n, ok in zip(LAND_POINTS, inland) if not ok]


def test_the_land_check_can_fail():
    # Santos straight to Callao crosses the continent; Chancay to Shanghai on the open Pacific does not
    assert coast.track_land_nm([-46.3, -77.1], [-24.0, -12.0]) > 1500
    assert coast.track_land_nm([-77.5, -170.0, 123.5], [-11.7, 10.0, 30.6]) == 0
    # a lane that hugs the coast too closely is caught too (across the Kii peninsula)
    assert coast.track_land_nm([135.05, 136.0], [33.9, 33.35]) > 10


def test_the_coastline_ships_with_its_source():
    a = coast._arrays()
    assert "Natural Earth" in str(a["source"]) and "world-atlas 2.0.2" in str(a["source"])
    assert a["xy"].shape[0] > 50_000  # the 1:50m land, not the 1:110m
    # the antimeridian: Chukotka is land on both sides of 180, and Fiji's ring (which crosses it)
    # does not become a sliver of land round the globe on 16.5 S
    assert coast.on_land([177.5, -173.0], [65.5, 65.5]).all()
    assert not coast.on_land([-120.0, 0.0, 80.0], [-16.5, -16.5, -16.5]).any()
