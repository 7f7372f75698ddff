"""European ports in the catalogue: present, in the `europe` region, routed, and run as ad-hoc routes.

The EU ETS and FuelEU rules apply by the ports' countries (``routesim.emissions.stretch_ets_share``);
these tests check that the European ports give routes those rules have legs to apply to.
"""

import json
import math

import pytest

from conftest import small_scenario

import routesim
from routesim import catalogue
from routesim.catalogue import carrier as cat_carrier
from routesim.cli import main
from routesim.emissions import stretch_ets_share
from routesim.network import PortNetwork
from routesim.plan import compile_plan

EUROPE = {"NLRTM": "NL", "BEANR": "BE", "DEHAM": "DE", "ESALG": "ES", "ESVLC": "ES", "GRPIR": "GR"}

ALGECIRAS = {"origin": "NLRTM", "destination": "ESALG", "vessel": "neopanamax_14000", "speed_kn": 17, "headway_days": 7}
SANTOS = {"origin": "NLRTM", "destination": "BRSSZ", "vessel": "neopanamax_14000", "speed_kn": 17, "headway_days": 7}


@pytest.fixture(scope="module")
def net():
    return PortNetwork.default()


@pytest.fixture(scope="module")
def europe_run():
    scenario = small_scenario(routes={"to_algeciras": dict(ALGECIRAS), "to_santos": dict(SANTOS)})
    return scenario, routesim.run(scenario, engine="montecarlo", replications=2000)


def test_the_european_ports_are_in_the_catalogue_in_the_europe_region():
    ports = catalogue.ports()
    for code, country in EUROPE.items():
        p = ports[code]
        assert p.country == country, code
        assert cat_carrier.region_of(code, p.country) == "europe", code
        assert p.annual_teu.value is not None and p.annual_teu.value > 1e6, code  # all are million-TEU ports


@pytest.mark.parametrize("name,code", [("Rotterdam", "NLRTM"), ("Antwerpen", "BEANR"), ("Antwerp-Bruges", "BEANR"),
                                       ("Hamburgo", "DEHAM"), ("Algeciras", "ESALG"), ("Valenciaport", "ESVLC"),
                                       ("Piräus", "GRPIR")])
def test_the_names_people_type_find_the_ports(net, name, code):
    assert net.route(name, "Shanghai").origin == code


def test_every_european_port_reaches_asia_through_suez_and_round_the_cape_without_it(net):
    for code in EUROPE:
        via_suez = net.route(code, "CNSHA")
        assert "suez" in via_suez.chokepoints, code
        cape = net.route(code, "CNSHA", avoid=["suez", "panama"])
        assert "good_hope" in cape.chokepoints and cape.distance_nm > via_suez.distance_nm, code


def test_the_north_european_ports_are_a_short_hop_apart(net):
    # the access lanes (Maasmond, Westerschelde, Lower Elbe) are what ships sail, not a straight line
    assert 60 < net.route("BEANR", "NLRTM").distance_nm < 160
    assert net.route("DEHAM", "NLRTM").distance_nm == pytest.approx(294, rel=0.05)


def test_the_legs_carry_the_eu_ets_shares_of_their_ports_countries():
    ports = catalogue.ports()
    assert stretch_ets_share(ports["NLRTM"].country, ports["ESALG"].country) == 1.0  # intra-EU
    assert stretch_ets_share(ports["NLRTM"].country, ports["BRSSZ"].country) == 0.5  # out of the EU
    assert stretch_ets_share(ports["GRPIR"].country, ports["CNSHA"].country) == 0.5


def test_ad_hoc_european_routes_compile(europe_run):
    scenario, _ = europe_run
    plan = compile_plan(scenario)
    (alg,), (san,) = plan.routes["to_algeciras"].segments, plan.routes["to_santos"].segments
    assert alg.calls == ("NLRTM", "ESALG") and san.calls == ("NLRTM", "BRSSZ")
    assert alg.shares.ets_sea == 1.0 and san.shares.ets_sea == 0.5
    assert alg.distance_nm == pytest.approx(1389, rel=0.05) and san.distance_nm == pytest.approx(5481, rel=0.05)


def test_ad_hoc_european_routes_run_on_the_monte_carlo_engine(europe_run):
    _, results = europe_run
    for name, distance_nm in (("to_algeciras", 1389), ("to_santos", 5481)):
        r = results[name]
        assert r.n == 2000
        transit = r.metrics["transit_days"].mean
        # a direct call: transit days are the days at sea at 17 knots
        assert transit == pytest.approx(distance_nm / 17 / 24, rel=0.06), name
        assert r.metrics["door_days"].mean > transit
        assert r.metrics["co2e_wtw_t_per_teu"].mean > 0
        # routesim has no freight rate out of Europe: missing and said so, never a silent 0
        assert math.isnan(r.cost_by_component["freight"])
        assert "freight" in r.info["missing"]
    assert (results["to_santos"].metrics["transit_days"].mean
            > 3 * results["to_algeciras"].metrics["transit_days"].mean)
    # the EU ETS now has something to cover: all of an intra-EU voyage, part of one leaving the EU
    share = {name: results[name].metrics["co2e_ets_t_per_teu"].mean / results[name].metrics["co2e_ttw_t_per_teu"].mean
             for name in ("to_algeciras", "to_santos")}
    assert 0 < share["to_santos"] < share["to_algeciras"]


@pytest.mark.parametrize("destination,passes", [("BRSSZ", []), ("CNSHA", ["suez", "malacca"])])
def test_cli_routes_from_rotterdam(capsys, destination, passes):
    assert main(["route", "NLRTM", destination, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["origin"] == "NLRTM" and d["destination"] == destination
    assert d["chokepoints"] == passes and d["distance_nm"] > 5000
