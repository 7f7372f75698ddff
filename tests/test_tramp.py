"""Bulk carriers and car carriers: tramp voyages (laden out, ballast back), results per tonne and per
vehicle on both engines, and file:line errors for cargo kinds and units that do not fit."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from routesim import catalogue, run
from routesim.errors import DataError, RoutesimError, ScenarioError
from routesim.plan import compile_plan
from routesim.results.display import text_table
from routesim.scenario import Scenario, load_scenario

from conftest import ROOT, SCENARIOS

COPPER = SCENARIOS / "copper_antofagasta_china.yaml"
EVS = SCENARIOS / "ev_imports_brazil.yaml"
ORE = {"origin": "BRTTE", "destination": "CNTAO", "vessel": "capesize"}
SMALL = {"replications": 3000, "horizon_days": 90, "des": {"replications": 2, "warmup_days": 21}}


def _scenario(routes, cargo=None, **extra) -> Scenario:
    return Scenario.from_dict({"name": "tramp", "seed": 5, **SMALL, "cargo": cargo or {"commodity": "iron_ore"},
                               "routes": routes, **extra})


# ------------------------------------------------------------------ catalogue
def test_tramp_classes_run_handysize_to_valemax_and_a_car_carrier():
    classes = catalogue.tramp_classes()
    bulk = ["handysize", "supramax", "kamsarmax", "capesize", "valemax"]
    dwt = [classes[c].dwt.value for c in bulk]
    assert dwt == sorted(dwt) and dwt[0] < 40_000 < 380_000 < dwt[-1]
    for c in bulk:
        assert classes[c].kind == "bulk" and classes[c].capacity < classes[c].dwt.value  # bunkers and stores
    pctc = classes["pctc_7000"]
    assert pctc.kind == "roro" and pctc.unit == "vehicle" and pctc.ceu.value == 7000
    assert pctc.capacity <= pctc.ceu.value
    for c in classes.values():
        assert c.service_speed_kn.value <= c.design_speed_kn.value
        assert all(len(f.source.split()) >= 3 for f in c.figures.values())


def test_a_tramp_class_of_an_unknown_kind_names_the_file_and_field(monkeypatch):
    real = catalogue.load_data_file

    def fake(name):
        data = real(name)
        if name != "tramp.yaml":
            return data
        bad = dict(data["vessel_classes"]["supramax"], kind="tanker")
        return {**data, "vessel_classes": {**data["vessel_classes"], "supramax": bad}}

    monkeypatch.setattr(catalogue, "load_data_file", fake)
    catalogue.tramp_classes.cache_clear()
    try:
        with pytest.raises(DataError, match=r"data/tramp.yaml: vessel_classes.supramax.kind: must be bulk or roro"):
            catalogue.tramp_classes()
    finally:
        catalogue.tramp_classes.cache_clear()


# ------------------------------------------------------------------ the voyage
def test_a_tramp_parcel_pays_the_ballast_leg():
    """The carrier's ship-days per tonne times the parcel are the charter over the whole round voyage."""
    s = _scenario({"ore": ORE})
    plan = compile_plan(s)
    r = plan.routes["ore"]
    voy, seg = r.segments[0].voyage, r.segments[0]
    assert r.tramp.units == catalogue.tramp_classes()["capesize"].capacity
    assert voy.legs == (("BRTTE", "CNTAO"), ("CNTAO", "BRTTE")) and voy.full_teu == (1.0, 0.0)
    assert voy.sea_days[0] == pytest.approx(voy.sea_days[1])  # the same lane back, in ballast
    res = run(s)
    out = res.to_dict()["routes"]["ore"]
    vessel_usd = out["carrier_cost_by_component"]["vessel"] * r.tramp.units
    assert vessel_usd == pytest.approx(seg.vessel.charter_usd_per_day.mean * voy.round_days, rel=0.02)
    assert out["carrier_cost_by_component"]["stevedoring"] == 0 and out["carrier_cost_by_component"]["equipment"] == 0
    # the Baltic C3 range (22.1-27 USD/t) is the freight
    assert 22.1 <= out["freight_usd_per_teu"]["mean"] <= 27.0 and out["per"] == "tonne"


def test_laytime_is_loading_and_discharge():
    s = _scenario({"ore": ORE})
    r = compile_plan(s).routes["ore"]
    h = catalogue.tramp_handling()["iron_ore"]
    assert r.tramp.load_days == pytest.approx(r.tramp.units / h.load_per_day.value)
    assert r.tramp.discharge_days == pytest.approx(r.tramp.units / h.discharge_per_day.value)
    days = run(s).to_dict()["routes"]["ore"]["days_by_kind"]
    assert days["origin_dwell"] == pytest.approx(r.tramp.load_days)
    assert days["destination_dwell"] >= r.tramp.discharge_days  # berth wait and discharge, no import yard dwell


# ------------------------------------------------------------------ the shipped scenarios
@pytest.fixture(scope="module")
def copper():
    s = load_scenario(COPPER).with_overrides({"horizon_days": 120.0, "des.replications": 2})
    return {e: run(s, engine=e, replications=4000 if e == "montecarlo" else None).to_dict()
            for e in ("montecarlo", "des")}


def test_copper_concentrate_runs_per_tonne_on_both_engines(copper):
    for engine, out in copper.items():
        sup, cape = out["routes"]["supramax"], out["routes"]["capesize"]
        assert out["per"] == "tonne" and sup["cargo"]["kind"] == "bulk", engine
        assert "USD/t" in sup["per_teu_columns"]
        # the bigger ship carries a tonne for less money and less CO2e
        assert cape["carrier_cost_usd_per_teu"]["mean"] < sup["carrier_cost_usd_per_teu"]["mean"], engine
        assert 1.0 < cape["co2e_wtw_g_per_tonne_km"]["mean"] < sup["co2e_wtw_g_per_tonne_km"]["mean"] < 15.0, engine
        assert sup["co2e_wtw_g_per_teu_km"]["mean"] == pytest.approx(sup["co2e_wtw_g_per_tonne_km"]["mean"])
        assert 40.0 <= sup["freight_usd_per_teu"]["mean"] <= 50.0
        assert sup["cost_by_component"]["tariff"] == 0 and "missing" not in sup  # duty-free under the China-Chile FTA
        assert "glec_lane" not in sup and "no GLEC default" in sup["glec_vs_modelled"]  # container lanes only
    mc, des = copper["montecarlo"]["routes"], copper["des"]["routes"]
    for route in ("supramax", "capesize"):
        for key in ("transit_days", "door_days"):
            assert des[route][key]["mean"] == pytest.approx(mc[route][key]["mean"], abs=1.0), (route, key)
        # the discharge is laytime in the discrete-event engine too
        assert des[route]["days_by_kind"]["destination_dwell"] == pytest.approx(
            mc[route]["days_by_kind"]["destination_dwell"], abs=0.5)


def test_evs_on_a_car_carrier_are_per_vehicle_beside_the_containers():
    s = load_scenario(EVS).with_overrides({"horizon_days": 90.0})
    res = run(s, replications=2000)
    car, box = res["car_carrier_salvador"], res["salvador_via_panama"]
    assert car.per == "unit" and box.per == "teu" and res.per == "route"
    assert car.info["cargo"]["kind"] == "roro" and car.info["cargo"]["parcel_units"] == 5449
    # containers at two cars a TEU against the car carrier, both per vehicle
    per_vehicle = res.in_units("unit")
    assert per_vehicle["salvador_via_panama"].metrics["freight_usd_per_teu"].mean == pytest.approx(
        box.metrics["freight_usd_per_teu"].mean / 2)
    assert per_vehicle["car_carrier_salvador"].metrics["freight_usd_per_teu"].mean == pytest.approx(
        car.metrics["freight_usd_per_teu"].mean)
    table = res.compare("salvador_via_panama", "car_carrier_salvador")
    assert table.loc["cost_usd_per_teu", "unit"] == "USD/vehicle"
    with pytest.raises(RoutesimError, match="roro parcel on a tramp ship"):
        res.in_units("teu")
    text = text_table(res)
    assert "CO2 t/vehicle (TTW)" in text and "money in USD/vehicle" in text and "money in USD/TEU" in text


def test_the_cli_prints_per_tonne(tmp_path):
    p = subprocess.run([sys.executable, "-m", "routesim", "run", str(COPPER), "--replications", "2000", "--no-progress"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "money in USD/t" in p.stdout and "CO2e g/t-km (WTW)" in p.stdout and "ballast back" in p.stdout


# ------------------------------------------------------------------ errors
def _errors(tmp_path, text: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((ScenarioError, RoutesimError)) as exc:
        compile_plan(load_scenario(path))
    return str(exc.value)


ROUTE = """name: t
cargo: {commodity: copper_concentrate%s}
routes:
  r:
    origin: CLANF
    destination: CNSHA
%s
"""


@pytest.mark.parametrize("cargo, route, message", [
    (", kind: bulky", "    vessel: supramax", r"s.yaml:2:\d+: cargo.kind"),
    ("", "    vessel: supramax\n    cargo: {teu: 2}", r"s.yaml:4:3: routes.r: cargo.teu: a bulk parcel is counted in tonnes"),
    ("", "    vessel: supramax\n    cargo: {tonnes: 200000.0}", r"s.yaml:4:3: .*cargo.tonnes: 200,000 is more than supramax"),
    ("", "    vessel: pctc_7000", r"s.yaml:4:3: .*vessel pctc_7000 is a car carrier: cargo.kind must be roro"),
    (", kind: dry", "    vessel: capesize", r"s.yaml:4:3: .*vessel capesize is a bulk carrier: cargo.kind must be bulk"),
    ("", "    vessel: neopanamax_14000", r"s.yaml:4:3: .*cargo kind bulk sails a tramp voyage: give the route .vessel:. a class"),
    ("", "    vessel: supramax\n    freight: {usd_per_teu: 900}", r"freight.usd_per_teu: a tramp parcel's freight is a voyage charter per tonne"),
    ("", "    vessel: supramax\n    cargo: {vehicles: 100.0}", r"cargo.vehicles: a bulk parcel is counted in tonnes"),
])
def test_bad_kinds_and_units_name_the_file_and_line(tmp_path, cargo, route, message):
    assert re.search(message, _errors(tmp_path, ROUTE % (cargo, route)))


def test_parcel_fields_on_a_container_route_are_refused(tmp_path):
    text = """name: t
routes:
  r:
    origin: PECHY
    destination: CNSHA
    service: cosco_chancay_shanghai
    cargo: {tonnes: 20000.0}
"""
    assert "cargo.tonnes: counts a bulk or roro parcel on a tramp voyage" in _errors(tmp_path, text)
    text = text.replace("cargo: {tonnes: 20000.0}", "freight: {usd_per_tonne: 30}")
    assert "freight.usd_per_tonne: a quote per tonne or per vehicle applies to a tramp voyage" in _errors(tmp_path, text)


def test_a_tramp_voyage_through_a_canal_needs_its_toll():
    cars = {"origin": "CNSHA", "destination": "BRSSA", "vessel": "pctc_7000", "avoid": ["good_hope", "magellan", "drake"],
            "cargo": {"kind": "roro"}}
    s = _scenario({"cars": cars}, cargo={"commodity": "evs"})
    with pytest.raises(ScenarioError, match=r"passes the panama canal: .*give costs.canal_toll_usd.panama"):
        compile_plan(s)
    s = _scenario({"cars": cars}, cargo={"commodity": "evs"}, costs={"canal_toll_usd": {"panama": 450_000}})
    out = run(s).to_dict()["routes"]["cars"]
    # two transits (laden and in ballast) over the parcel's vehicles, allocated by the days it is aboard
    assert out["carrier_cost_by_component"]["canal"] == pytest.approx(2 * 450_000 / 5449, rel=0.01)  # by days aboard


def test_the_cli_refuses_a_bad_kind_with_status_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(ROUTE % (", kind: bulky", "    vessel: supramax"), encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "routesim", "run", str(path), "--no-progress"], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 2 and "bad.yaml:2:" in p.stderr and "Traceback" not in p.stderr


def test_a_scenario_changes_a_tramp_class_and_may_not_give_it_teu():
    base = run(_scenario({"ore": ORE})).to_dict()["routes"]["ore"]["carrier_cost_by_component"]
    dear = _scenario({"ore": {**ORE, "vessel": "dear_cape"}},
                     vessels={"dear_cape": {"base": "capesize", "charter_usd_per_day": 40_000.0,
                                            "design_fuel_t_per_day": 80.0}})
    out = run(dear).to_dict()["routes"]["ore"]["carrier_cost_by_component"]
    assert out["vessel"] > base["vessel"] * 1.4 and out["fuel"] > base["fuel"] * 1.2
    with pytest.raises(ScenarioError, match="vessels.capesize.teu: Capesize bulk carrier ~180,000 dwt is a tramp class"):
        compile_plan(_scenario({"ore": ORE}, vessels={"capesize": {"teu": 5000.0}}))


def test_bigger_bulk_carriers_carry_a_tonne_for_less():
    """Economies of scale on one voyage, Tubarao to Qingdao: carrier cost and CO2e per tonne fall with size;
    freight is missing (with its reason) where the record prices no ore on the class."""
    classes = ["handysize", "supramax", "kamsarmax", "capesize", "valemax"]
    s = _scenario({c: {**ORE, "vessel": c} for c in classes})
    out = run(s, replications=1500).to_dict()["routes"]
    cost = [out[c]["carrier_cost_usd_per_teu"]["mean"] for c in classes]
    co2e = [out[c]["co2e_wtw_g_per_tonne_km"]["mean"] for c in classes]
    assert cost == sorted(cost, reverse=True) and co2e == sorted(co2e, reverse=True)
    assert "no voyage-charter rate for iron_ore on handysize" in out["handysize"]["missing"]["freight"]
    assert "missing" not in out["capesize"]
