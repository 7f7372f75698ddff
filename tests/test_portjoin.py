"""Ports of one's own on the network: placed against the coast, joined by land-checked segments,
the catalogue network never changed (routesim.portjoin, PortNetwork.with_ports)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routesim import catalogue, coast, geo, portjoin
from routesim.errors import DataError
from routesim.network import PortNetwork

ILO = (-71.3453, -17.6459)  # lon, lat (scenarios/own_port.yaml)
DESTINATIONS = ["CNSHA", "BRSSZ", "PECLL", "MXZLO", "USLGB", "SGSIN", "CLSAI", "KRPUS", "HKHKG", "ARBUE"]


@pytest.fixture(scope="module")
def net():
    return PortNetwork.default()


def port_at(code, lon, lat, name="Test port"):
    """A port record at (lon, lat), with a catalogue port's figures (only position and name matter here)."""
    return dataclasses.replace(catalogue.ports()["PECHY"], code=code, name=name, lon=lon, lat=lat, aliases=())


def _snapshot(net):
    return (len(net._nodes), sum(len(v) for v in net._adj.values()), len(net._edges), len(net.ports),
            [round(e["distance_nm"], 9) for _, _, e in net._edges])


def test_the_catalogue_network_is_never_changed(net):
    before = _snapshot(net)
    joined = net.with_ports({"PEILQ": port_at("PEILQ", *ILO, name="Ilo")})
    assert joined is not net and "PEILQ" in joined.ports and "PEILQ" not in net.ports
    assert _snapshot(net) == before
    assert PortNetwork.default() is net and "PEILQ" not in net._adj
    assert not any(n.startswith("peilq") for n in net._nodes)
    with pytest.raises(Exception):
        net.route("PEILQ", "CNSHA")


def test_joined_networks_are_cached_and_no_ports_cost_nothing(net):
    ports = {"PEILQ": port_at("PEILQ", *ILO, name="Ilo")}
    assert net.with_ports(ports) is net.with_ports(dict(ports))
    assert net.with_ports({}) is net
    moved = {"PEILQ": port_at("PEILQ", ILO[0] + 0.01, ILO[1], name="Ilo")}
    assert net.with_ports(moved) is not net.with_ports(ports)


def test_a_port_of_ones_own_routes_and_its_join_stays_off_land(net):
    joined = net.with_ports({"PEILQ": port_at("PEILQ", *ILO, name="Ilo")})
    r = joined.route("Ilo", "Shanghai")
    assert r.origin == "PEILQ" and 9000 < r.distance_nm < 10000
    near = joined.route("PEILQ", "PEMRI").distance_nm
    assert geo.haversine_nm(*ILO, catalogue.ports()["PEMRI"].lon, catalogue.ports()["PEMRI"].lat) <= near < 120
    for nb, e in joined._adj["PEILQ"].items():
        lon, lat = np.array(e["geometry"]).T
        assert e["distance_nm"] <= portjoin.MAX_JOIN_NM
        assert coast.track_land_nm(lon, lat, portjoin.PORT_BASIN_NM, 0.0) == 0, nb


def test_splitting_a_lane_keeps_every_other_distance(net):
    joined = net.with_ports({"PEILQ": port_at("PEILQ", *ILO, name="Ilo")})
    for a, b in [("PECHY", "CNSHA"), ("PEMRI", "CLSAI"), ("PECLL", "BRSSZ"), ("CLIQQ", "PEMRI")]:
        assert joined.route(a, b).distance_nm == pytest.approx(net.route(a, b).distance_nm, abs=1e-6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.sampled_from(sorted(catalogue.ports())), dest=st.sampled_from(DESTINATIONS))
def test_a_port_at_a_catalogue_ports_point_has_its_distances(net, code, dest):
    """Property: a port of one's own placed exactly on a catalogue port joins that port's access
    lanes at its point, so its sea distances are the catalogue port's (within the join slack)."""
    if code == dest:
        return
    p = catalogue.ports()[code]
    joined = net.with_ports({"XXTST": port_at("XXTST", p.lon, p.lat, name="Copy")})
    own = joined.route("XXTST", dest).distance_nm
    assert own == pytest.approx(net.route(code, dest).distance_nm, abs=portjoin.JOIN_SLACK_NM)


@pytest.mark.parametrize("lon, lat, words", [
    (-75.2, -12.1, "more than 30 nm inland"),                 # Huancayo, in the Andes
    (-76.90, -12.05, "is on land, 10"),                      # eastern Lima: 10 nm inside the coastline
    (-140.0, -30.0, "out at sea"),                           # the open South Pacific
    (-94.8, 29.3, "too far from the sea lanes: the nearest is 396 nm away"),  # Houston: no Gulf lanes
    (-114.83, 31.02, "cannot be joined to the sea lanes without crossing land"),  # San Felipe: Baja in the way
])
def test_badly_placed_ports_are_refused_with_the_reason(net, lon, lat, words):
    ports = {"XXBAD": port_at("XXBAD", lon, lat)}
    found = net.placement_problems(ports)
    assert list(found) == ["XXBAD"] and words in found["XXBAD"]
    with pytest.raises(DataError, match="XXBAD"):
        net.with_ports(ports)


RIVER_PORTS = {"DEHAM": "60 nm up the Lower Elbe, which the 1:50m coastline does not draw (its access lane is "
                         "a listed passage of tests/test_coast.py)"}
"""Catalogue ports reached by a river the 1:50m coast omits: a port of one's own there needs a waypoint."""


def test_the_coast_tolerance_is_what_the_catalogue_ports_need():
    inland = {c: portjoin.inland_nm(p.lon, p.lat) for c, p in catalogue.ports().items() if c not in RIVER_PORTS}
    assert all(portjoin.inland_nm(catalogue.ports()[c].lon, catalogue.ports()[c].lat) > portjoin.COAST_TOLERANCE_NM
               for c in RIVER_PORTS)
    assert max(inland.values()) <= portjoin.COAST_TOLERANCE_NM  # every catalogue port would be accepted
    assert max(inland.values()) > portjoin.PORT_BASIN_NM        # ... and the tolerance is needed (Lirquen, 4.25 nm)
    assert sum(v > 0 for v in inland.values()) > 20             # many terminal points lie on the 1:50m land


def test_a_code_already_in_the_network_is_refused(net):
    assert "already a node" in net.placement_problems({"PECLL": port_at("PECLL", *ILO)})["PECLL"]


def test_a_join_never_enters_a_chokepoint_lane(net):
    # a port beside the Atlantic end of the Panama Canal joins an open lane, never the canal lane, so
    # going to Balboa still passes (and is closed with) the canal
    joined = net.with_ports({"PAXTS": port_at("PAXTS", -79.9, 9.37)})
    new = [n for n in joined._nodes if n.startswith("paxts_join")]
    for n in new:
        assert all(e["chokepoint"] is None for e in joined._adj[n].values())
    assert "panama" in joined.route("PAXTS", "PABLB").chokepoints
    assert "panama" not in joined.route("PAXTS", "PABLB", avoid=["panama"]).chokepoints
