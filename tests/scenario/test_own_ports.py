"""A scenario's own ports: declared under ports:, named by routes, run on both engines; bad ports
are file:line errors (exit status 2 from the command line); the catalogue network stays as it is."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import routesim
from routesim.cli import main
from routesim.engines.des import run_des
from routesim.engines.montecarlo import run_montecarlo
from routesim.errors import ScenarioError
from routesim.network import PortNetwork
from routesim.plan import compile_plan
from routesim.scenario import Scenario, load_scenario
from routesim.scenario.ownports import own_ports

ROOT = Path(__file__).resolve().parents[2]
OWN_PORT = ROOT / "scenarios" / "own_port.yaml"
ILO = {"name": "Ilo", "country": "PE", "lat": -17.6459, "lon": -71.3453, "berths": 2}


def small(**changes) -> Scenario:
    data = {"name": "own port", "seed": 3, "replications": 2, "horizon_days": 40, "des": {"warmup_days": 14},
            "ports": {"PEILQ": dict(ILO)},
            "routes": {"ilo_via_chancay": {"origin": "Ilo", "destination": "CNSHA", "segments": [
                {"to": "PECHY", "vessel": "feeder_2500", "headway_days": 7},
                {"service": "cosco_chancay_shanghai"}]},
                "ilo_direct": {"origin": "PEILQ", "destination": "Shanghai", "vessel": "regional_3000",
                               "headway_days": 14}}}
    data.update(changes)
    return Scenario.from_dict(data)


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- routes and both engines
def test_the_example_scenario_compiles_with_its_own_port():
    s = load_scenario(OWN_PORT)
    plan = compile_plan(s)
    assert plan.routes["ilo_via_chancay"].origin == "PEILQ"
    assert plan.ports["PEILQ"].name == "Ilo" and plan.ports["PEILQ"].berths == 2
    assert plan.network is not PortNetwork.default() and "PEILQ" in plan.network.ports
    assert "PEILQ" not in PortNetwork.default().ports  # the catalogue network is not changed
    # Ilo -> Chancay is longer than Matarani -> Chancay (Ilo is ~80 nm further down the coast)
    ilo = plan.routes["ilo_via_chancay"].segments[0].distance_nm
    mat = plan.routes["matarani_via_chancay"].segments[0].distance_nm
    assert 40 < ilo - mat < 120


def test_a_port_of_ones_own_runs_on_both_engines():
    plan = compile_plan(small())
    mc = run_montecarlo(plan, replications=500, seed=1).shipments
    des = run_des(plan, replications=2, seed=1, workers=1).shipments
    for table in (mc, des):
        assert set(table["route"]) == {"ilo_via_chancay", "ilo_direct"}
        assert (table["transit_days"] > 20).all()
    direct = mc[mc["route"] == "ilo_direct"]["transit_days"].mean()
    relay = mc[mc["route"] == "ilo_via_chancay"]["transit_days"].mean()
    assert direct < relay  # the relay adds the feeder leg and a transshipment wait


def test_the_api_runs_the_example_file():
    res = routesim.run(OWN_PORT, replications=300, seed=2)
    assert set(res.shipments["route"]) == {"ilo_via_chancay", "ilo_via_callao", "matarani_via_chancay"}


def test_a_scenario_without_own_ports_uses_the_cached_network_as_it_is():
    s = Scenario.from_dict({"name": "x", "ports": {"PECLL": {"berths": 6}}, "routes": {"r": {
        "origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}}})
    assert own_ports(s) == {}
    assert compile_plan(s).network is PortNetwork.default()


def test_defaults_are_the_regions_median_and_marked_as_such():
    p = own_ports(small())["PEILQ"]
    assert p.berths.value == 2 and p.berths.source == "given by the scenario"
    for f in (p.crane_moves_per_hour, p.anchorage_wait_days, p.cranes_per_call):
        assert f.derived and f.confidence == "L" and f.source.startswith("default for a port of the scenario's own")
        assert "region wcsa" in f.source
    assert p.annual_teu.value is None and p.annual_teu.source.startswith("GAP")


def test_own_ports_may_be_called_at_named_in_services_and_disrupted():
    s = small(services={"ilo_loop": {"vessel": "feeder_2500", "rotation": ["PECLL", "Ilo"], "headway_days": 7}},
              routes={"r": {"origin": "PECLL", "destination": "PEILQ", "service": "ilo_loop"}},
              disruptions=[{"kind": "port_closure", "where": "ENAPU Ilo", "from_day": 5, "days": 3}],
              **{"ports": {"PEILQ": {**ILO, "aliases": ["ENAPU Ilo"]}}})
    plan = compile_plan(s)
    assert plan.services["ilo_loop"].rotation == ("PECLL", "PEILQ")
    assert s.disruptions[0].where == "PEILQ"


def test_the_schema_accepts_own_ports():
    schema = Scenario.json_schema()
    props = schema["$defs"]["PortSpec"]["properties"]
    assert {"name", "country", "lat", "lon", "coords_source", "aliases", "anchorage_wait_days"} <= set(props)
    jsonschema.Draft202012Validator(schema).validate(small().to_dict())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**small().to_dict(), "ports": {"PEILQ": {**ILO, "lat": 95}}})


# ---------------------------------------------------------------- bad ports: file:line errors, exit 2
BAD = {
    "inland": ("PEXHU: {name: Huancayo, country: PE, lat: -12.1, lon: -75.2}",
               ":3:45: ports.PEXHU.lat: Huancayo at lat -12.1, lon -75.2 is more than 30 nm inland"),
    "on_land": ("PEXLM: {name: East Lima, country: PE, lat: -12.05, lon: -76.9}",
                ":3:46: ports.PEXLM.lat: East Lima at lat -12.05, lon -76.9 is on land, 10.25 nm from the sea"),
    "far_from_lanes": ("USXHO: {name: Houston, country: US, lat: 29.3, lon: -94.8}",
                       ":3:44: ports.USXHO.lat: Houston at lat 29.3, lon -94.8 is too far from the sea lanes: the "
                       "nearest is 396 nm away (a port joins the network by a straight segment of at most 150 nm"),
    "across_land": ("MXXSF: {name: San Felipe, country: MX, lat: 31.02, lon: -114.83}",
                    ":3:47: ports.MXXSF.lat: San Felipe at lat 31.02, lon -114.83 cannot be joined to the sea lanes "
                    "without crossing land"),
    "at_sea": ("PEXSE: {name: Open sea, country: PE, lat: -30.0, lon: -140.0}",
               ":3:45: ports.PEXSE.lat: Open sea at lat -30, lon -140 is out at sea"),
    "moves_a_catalogue_port": ("BRITJ: {lat: -26.9, lon: -48.6}",
                               ":3:16: ports.BRITJ.lat: BRITJ Itajaí is a catalogue port: its lat is the catalogue's"),
    "renames_a_catalogue_port": ("Callao: {name: Lima port}",
                                 ":3:18: ports.Callao.name: PECLL Callao is a catalogue port"),
    "duplicate": ("Callao: {berths: 6}\n  PECLL: {berths: 7}",
                  ":4:3: ports.PECLL: the same port as ports.Callao (PECLL): give it once"),
    "name_taken": ("PEXCH: {name: Chancay, country: PE, lat: -11.6, lon: -77.3}",
                   ":3:17: ports.PEXCH.name: the name 'Chancay' is already PECHY's"),
    "incomplete": ("PEXMI: {name: Half a port, lat: -11.6}",
                   ":3:3: ports.PEXMI: a port of your own needs name, country, lat, lon; missing country, lon"),
    "bad_code": ("peilq: {name: Ilo, country: PE, lat: -17.6459, lon: -71.3453}",
                 ":3:3: ports.peilq: 'peilq' is neither a catalogue port nor a code for a port of your own"),
    "no_region": ("ZAXDU: {name: Durban South, country: ZA, lat: -29.87, lon: 31.03}",
                  ":3:40: ports.ZAXDU.country: country ZA is in no trade region"),
    "no_position": ("PEXXX: {berths: 2}", ":3:3: ports.PEXXX: unknown port 'PEXXX'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_port_is_a_file_line_error_and_exit_2(case, tmp_path, capsys):
    entry, expected = BAD[case]
    path = write(tmp_path, f"name: bad\nports:\n  {entry}\nroutes:\n"
                           "  r: {origin: PECHY, destination: CNSHA, service: cosco_chancay_shanghai}\n")
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.startswith(f"{path}{expected}"), err
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert exc.value.issues[0].startswith(f"{path}{expected}")


def test_every_bad_port_of_a_file_is_reported_at_once(tmp_path, capsys):
    path = write(tmp_path, "name: bad\nports:\n"
                           "  PEXHU: {name: Huancayo, country: PE, lat: -12.1, lon: -75.2}\n"
                           "  BRITJ: {lat: -26.9}\n"
                           "routes:\n  r: {origin: PEXHU, destination: CNSHA, vessel: feeder_2500}\n")
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[1] for line in lines] == ["ports.PEXHU.lat", "ports.BRITJ.lat"]


def test_run_refuses_a_bad_port_with_exit_2(tmp_path, capsys):
    path = write(tmp_path, "name: bad\nports:\n  PEXHU: {name: Huancayo, country: PE, lat: -12.1, lon: -75.2}\n"
                           "routes:\n  r: {origin: PEXHU, destination: CNSHA, vessel: feeder_2500}\n")
    assert main(["run", str(path), "-n", "100", "--no-progress"]) == 2
    assert "ports.PEXHU.lat" in capsys.readouterr().err


def test_the_json_output_of_a_run_names_the_own_port(capsys):
    assert main(["run", str(OWN_PORT), "-n", "200", "--no-progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "PEILQ" in json.dumps(data)


def test_validate_names_the_own_port_and_the_figures_it_takes_by_default(capsys):
    assert main(["validate", str(OWN_PORT)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("; port of its own PEILQ Ilo (defaults: crane_moves_per_hour, anchorage_wait_days)")


def test_the_route_map_draws_an_own_ports_calls():
    from routesim.results.mapview import map_view

    view = map_view(compile_plan(small()))
    (ilo,) = [m for m in view.ports if m.id == "PEILQ"]
    assert (ilo.lon, ilo.lat) == (ILO["lon"], ILO["lat"])
    assert ilo.x == pytest.approx(ILO["lon"] - view.central_lon)