"""Shipped data: the port catalogue and the lane file are complete, sourced and stay off land."""

import re

import numpy as np
import pytest

from routesim import catalogue, geo
from routesim.catalogue import Figure
from routesim.network import CHOKEPOINTS, PortNetwork

REQUIRED = {
    "PECHY", "PECLL", "PEPAI", "COBUN", "CLSAI", "CLVAP", "MXZLO", "MXLZC", "PABLB", "USLGB", "CNSHA", "CNNGB",
    "CNSZX", "CNTAO", "CNXMN", "HKHKG", "KRPUS", "SGSIN", "BRSSZ", "BRSSA", "BRPNG", "BRRIO",
    # the ports issue 14 names
    "CNNSA", "BRRIG", "BRITJ", "BRNVT", "BRIOA", "BRSUA", "CLIQQ", "CLARI", "CLCNL", "CLSVE", "PEMRI", "GTPRQ", "MXESE",
    "DOCAU", "CNDLC", "CNTXG", "TWKHH", "MYPKG", "IDJKT", "CNSHK",
}
ONE_OF = [{"ECGYE", "ECPSJ"}, {"CLANF", "CLMJS"}, {"PAMIT", "PAONX"}, {"ARBUE", "UYMVD"}]
FIGURES = ("berths", "cranes_per_call", "crane_moves_per_hour", "annual_teu", "anchorage_wait_days")

# Points well inside land (lon, lat): no lane may pass within LAND_CLEARANCE_NM of them. The full
# check against the 1:50m coastline is tests/test_coast.py, which also asserts these are all land.
LAND_POINTS = {
    "Brasilia": (-47.9, -15.8), "Manaus": (-60.0, -3.1), "Belo Horizonte": (-43.9, -19.9),
    "Mato Grosso": (-56.1, -15.6), "Peru Andes (Huancayo)": (-75.2, -12.1), "Cusco": (-72.0, -13.5),
    "Tarapoto": (-76.4, -6.5), "La Paz": (-68.1, -16.5), "Santa Cruz BO": (-63.2, -17.8),
    "Cordoba AR": (-64.2, -31.4), "Mendoza": (-68.8, -32.9), "Tucuman": (-65.2, -26.8),
    "Santiago CL": (-70.6, -33.45), "Calama (Atacama)": (-68.9, -22.5), "Quito": (-78.5, -0.2),
    "Bogota": (-74.1, 4.6), "Medellin": (-75.6, 6.25), "Mexico City": (-99.1, 19.4),
    "Guadalajara": (-103.3, 20.7), "Chihuahua": (-106.1, 28.6), "Monterrey": (-100.3, 25.7),
    "Guatemala City": (-90.5, 14.6), "Tegucigalpa": (-87.2, 14.1), "Nicaragua interior": (-85.0, 12.8),
    "Beijing": (116.4, 39.9), "Chengdu": (104.1, 30.7), "Wuhan": (114.3, 30.6), "Changsha": (112.9, 28.2),
    "Seoul": (127.0, 37.55), "Daegu": (128.6, 35.9), "Nagano": (138.2, 36.6), "Sapporo": (141.35, 43.06),
    "Hanoi": (105.85, 21.0), "Pahang": (102.2, 4.5), "Pekanbaru (Sumatra)": (101.45, 0.5),
    "Kalimantan": (114.0, 0.0), "Central Java": (110.4, -7.3), "Alice Springs": (133.9, -23.7),
    "Canberra": (149.1, -35.3), "Johannesburg": (28.0, -26.2), "Nairobi": (36.8, -1.3), "Abuja": (7.5, 9.0),
    "Kinshasa": (15.3, -4.3), "Chad": (19.0, 15.0), "Cairo": (31.2, 30.0), "Antananarivo": (47.5, -18.9),
    "Delhi": (77.2, 28.6), "Hyderabad": (78.5, 17.4), "Kandy (Sri Lanka)": (80.7, 7.3),
    "Riyadh": (46.7, 24.7), "Sanaa": (44.2, 15.35), "Madrid": (-3.7, 40.4),
}
LAND_CLEARANCE_NM = 30.0

# A UN/LOCODE coordinate cited in coords_source, e.g. "UN/LOCODE CLSAI 3336S 07136W (-33.600, -71.600) (row San
# Antonio, ...) in datasets/un-locode ...; routesim's point is 2.2 km away". Other codes (a city's alternative entry,
# the code the list gives for a mis-coded port) are named without this pattern.
LOCODE_CITE = re.compile(
    r"UN/LOCODE (?P<code>[A-Z]{2}[A-Z0-9]{3}) (?P<lat_raw>\d{4}[NS]) (?P<lon_raw>\d{5}[EW]) "
    r"\((?P<lat>-?\d+\.\d+), (?P<lon>-?\d+\.\d+)\)[^;]*; routesim's point is (?P<km>\d+\.\d) km away"
)
LOCODE_MAX_KM = 30.0
# Ports whose container terminals lie further than LOCODE_MAX_KM from the place the code list gives (km allowed):
LOCODE_FAR = {
    "NLRTM": 40.0,  # the Maasvlakte terminals, ~30 km west of Rotterdam city
    "CNYIK": 45.0,  # Bayuquan, ~40 km south of Yingkou's old river port
}


@pytest.fixture(scope="module")
def ports():
    return catalogue.ports()


@pytest.fixture(scope="module")
def net():
    return PortNetwork.default()


def test_catalogue_has_the_required_ports(ports):
    assert len(ports) >= 80
    assert REQUIRED <= set(ports)
    for group in ONE_OF:
        assert group & set(ports), group


@pytest.mark.parametrize("field", FIGURES)
def test_every_port_figure_is_sourced(ports, field):
    for code, p in ports.items():
        f = getattr(p, field)
        assert isinstance(f, Figure)
        if f.value is None:  # a documented gap (only allowed where no engine needs the figure)
            assert field == "annual_teu" and f.source.startswith("GAP"), (code, field)
            continue
        assert isinstance(f.value, (int, float)) and f.value > 0, (code, field)
        assert len(f.source) > 15, (code, field)
        assert f.confidence in ("H", "M", "L"), (code, field)
        if not f.derived:
            # a quoted figure names where it comes from
            assert any(k in f.source for k in ("http", ".com", ".cl", ".pe", ".ru", "calibration.md", "(")), (code, f.source)


def test_extra_figures_are_sourced(ports):
    for p in ports.values():
        for name, f in p.extra.items():
            assert isinstance(f, Figure) and f.source and f.confidence in ("H", "M", "L"), (p.code, name)


def test_plausible_values(ports):
    for code, p in ports.items():
        assert 1 <= p.berths.value <= 80
        assert 1 <= p.cranes_per_call.value <= 10
        assert 10 <= p.crane_moves_per_hour.value <= 60
        if p.annual_teu.value is None:  # a documented gap, never a guess
            assert p.annual_teu.source.startswith("GAP")
        else:
            assert 1e4 <= p.annual_teu.value <= 6e7
        assert 0 <= p.anchorage_wait_days.value <= 10
        assert len(code) == 5 and code[:2] == p.country, code


def test_names_and_aliases_are_unique(ports):
    import unicodedata

    def key(s):
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()

    seen = {}
    for code, p in ports.items():
        for a in {key(x) for x in (code, p.name, *p.aliases)}:
            assert seen.setdefault(a, code) == code, f"{a!r} used by {seen[a]} and {code}"


def test_ports_sit_close_to_their_approach_waypoints(net):
    g = net.graph
    for code in net.ports:
        for nb in g[code]:
            assert g.edges[code, nb]["distance_nm"] < 130, (code, nb)  # Buenos Aires: ~115 nm of river channel


def test_lane_file_integrity(net):
    raw = catalogue.load_data_file("lanes.yaml")
    ids = [w["id"] for w in raw["waypoints"]]
    assert len(ids) == len(set(ids))
    assert not set(ids) & set(net.ports)
    tags = set()
    for lane in raw["lanes"]:
        a, b = (lane["from"], lane["to"]) if isinstance(lane, dict) else lane
        assert a in net.graph and b in net.graph
        if isinstance(lane, dict) and lane.get("chokepoint"):
            tags.add(lane["chokepoint"])
    assert tags <= set(CHOKEPOINTS)
    assert tags == set(CHOKEPOINTS), "every chokepoint has at least one lane"
    assert set(catalogue.chokepoints()) == set(CHOKEPOINTS)


def test_canal_lanes_have_canal_lengths(net):
    canal = {e["chokepoint"]: e["distance_nm"] for _, _, e in net.graph.edges(data=True) if e["chokepoint"] in ("panama",)}
    assert 35 < canal["panama"] < 60  # ~44 nm between the approaches (the canal is 41.6 nm long)
    mag = [e["distance_nm"] for _, _, e in net.graph.edges(data=True) if e["chokepoint"] == "magellan"]
    assert mag and 320 < sum(mag) < 380  # 330 nm Dungeness-Evangelistas plus the approaches


def test_every_port_is_reachable_from_chancay(net):
    for code in net.ports:
        if code != "PECHY":
            assert net.route("PECHY", code).distance_nm > 0


def test_no_lane_crosses_land(net):
    names = list(LAND_POINTS)
    plon, plat = np.array([LAND_POINTS[n] for n in names]).T
    assert len(names) >= 40
    worst = {}
    for u, v, e in net.graph.edges(data=True):
        lon, lat = np.array(e["geometry"]).T
        # exact distance to every great-circle segment of the lane ...
        d = geo.point_segment_distance_nm(plon[:, None], plat[:, None], lon[None, :-1], lat[None, :-1], lon[None, 1:], lat[None, 1:])
        # ... and the same check on the lane densified along its great circles
        dl, da = geo.densify(lon, lat, max_step_nm=10.0)
        dd = geo.haversine_nm(plon[:, None], plat[:, None], dl[None, :], da[None, :])
        assert dd.min() >= d.min() - 1e-6
        # a port's access lane may come as close to an inland point as the port itself is (Incheon, 22 nm
        # from Seoul), never closer
        ends = [n for n in (u, v) if n in net.ports]
        allowed = np.full(len(names), LAND_CLEARANCE_NM)
        for n in ends:
            allowed = np.minimum(allowed, geo.haversine_nm(plon, plat, net.ports[n].lon, net.ports[n].lat) - 1e-6)
        for i in np.flatnonzero(d.min(axis=1) < allowed):
            worst[(u, v, names[i])] = round(float(d[i].min()), 1)
    assert not worst, worst


def test_land_check_can_fail():
    # a lane from Santos straight to Callao would cross Bolivia: the same check must flag it
    plon, plat = np.array([LAND_POINTS["La Paz"], LAND_POINTS["Santa Cruz BO"]]).T
    d = geo.point_segment_distance_nm(plon, plat, -46.3, -24.0, -77.1, -12.0)
    assert d.min() < LAND_CLEARANCE_NM


def _degrees(raw):
    """A UN/LOCODE coordinate half ('1135S', '07716W': degrees and minutes) in signed decimal degrees."""
    deg, minutes = int(raw[:-3]), int(raw[-3:-1])
    assert minutes < 60, raw
    return -(deg + minutes / 60) if raw[-1] in "SW" else deg + minutes / 60


def test_ports_lie_near_their_un_locode_coordinates(ports):
    cited = {}
    for code, p in ports.items():
        assert f"UN/LOCODE {code}" in p.coords_source, code  # every port says what the code list gives for it
        for m in LOCODE_CITE.finditer(p.coords_source):
            assert m["code"] == code, (code, m[0])
            lat, lon = float(m["lat"]), float(m["lon"])
            assert lat == pytest.approx(_degrees(m["lat_raw"]), abs=5e-4), m[0]
            assert lon == pytest.approx(_degrees(m["lon_raw"]), abs=5e-4), m[0]
            km = float(geo.haversine_nm(p.lon, p.lat, lon, lat)) * 1.852
            assert km == pytest.approx(float(m["km"]), abs=0.06), (code, km, m["km"])  # the stated distance is right
            cited[code] = km
    assert len(cited) >= 45, sorted(cited)  # 46 of the 87 ports when written (2026-12-01)
    far = {c: round(km, 1) for c, km in cited.items() if km > LOCODE_MAX_KM}
    assert set(far) == set(LOCODE_FAR), far  # a new far port needs an explanation; a fixed one leaves the list
    for c, km in far.items():
        assert km < LOCODE_FAR[c], (c, km)


def test_un_locode_citation_pattern():
    m = LOCODE_CITE.search("UN/LOCODE PECHY 1135S 07716W (-11.583, -77.267) in un-locode.csv @x; routesim's point is 1.2 km away")
    assert m and (m["code"], m["km"]) == ("PECHY", "1.2")
    assert _degrees(m["lat_raw"]) == pytest.approx(-11.5833, abs=1e-4) and _degrees("07716W") == pytest.approx(-77.2667, abs=1e-4)
    assert not LOCODE_CITE.search("the list's entry CNYAN Yangshan Port 3037N 12203E (30.617, 122.050), 1.9 km from routesim's point")
