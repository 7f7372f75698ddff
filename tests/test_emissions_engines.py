"""Emissions through the engines (#12): the GLEC / ISO 14083 columns of
:func:`routesim.outcomes.shipment_columns`, the same in both engines, and the GLEC view."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routesim import run
from routesim.emissions import glec_default_g_per_teu_km
from routesim.results import METRICS

from conftest import DIRECT, MANZANILLO, PANAMA, small_scenario

DRY = {"commodity": "general_cargo", "kind": "dry", "teu": 1}


def _shipments(s, **kw):
    return run(s, engine="montecarlo", **kw).shipments


def test_vlsfo_wtw_over_ttw_per_tonne_of_fuel_through_the_columns():
    s = small_scenario(cargo=DRY)
    t = _shipments(s, replications=2000)
    ratio = t["co2e_wtw_t_per_teu"] / t["co2e_ttw_t_per_teu"]   # a direct route: no hub, no overland
    assert ratio.between(1.17, 1.19).all()
    np.testing.assert_allclose(t["co2e_ttw_t_per_teu"] / t["fuel_t_per_teu"], 3.1646, rtol=1e-3)
    np.testing.assert_allclose(t["co2e_wtt_t_per_teu"] / t["fuel_t_per_teu"], 0.0405e3 * 13.5 / 1e3, rtol=1e-9)
    np.testing.assert_allclose(t["co2_t_per_teu"] / t["fuel_t_per_teu"], 3.114, rtol=1e-9)  # TTW CO2 kept
    km = run(s, replications=500).to_dict()["routes"]["direct"]["sea_distance_nm"] * 1.852
    np.testing.assert_allclose(t["co2e_wtw_g_per_teu_km"], t["co2e_wtw_t_per_teu"] * 1e6 / km, rtol=1e-9)
    assert t["co2e_wtw_g_per_tonne_km"].isna().all()  # general cargo has no tonnes per TEU: missing, not 0


def test_reefer_boxes_emit_more_than_dry_on_the_same_voyage():
    routes = {"dry": {**DIRECT, "cargo": {"commodity": "blueberries", "kind": "dry"}},
              "reefer": {**DIRECT, "cargo": {"commodity": "blueberries", "kind": "reefer"}}}
    r = run(small_scenario(routes=routes), replications=2000).to_dict()["routes"]
    for m in ("co2e_ttw_t_per_teu", "co2e_wtw_t_per_teu", "co2e_wtw_g_per_teu_km", "co2_t_per_teu"):
        assert r["reefer"][m]["mean"] > 1.2 * r["dry"][m]["mean"], m
    # blueberries have tonnes per TEU: the tonne-km intensity is the TEU-km one over them
    assert r["reefer"]["co2e_wtw_g_per_tonne_km"]["mean"] == pytest.approx(
        r["reefer"]["co2e_wtw_g_per_teu_km"]["mean"] / r["reefer"]["cargo"]["t_per_teu"], rel=1e-9)


def test_a_transshipment_adds_its_hub_lifts_to_wtw_only():
    s = small_scenario(routes={"relay": copy.deepcopy(MANZANILLO)}, cargo=DRY)
    t = _shipments(s, replications=1000)
    hub = t["co2e_wtw_t_per_teu"] - t["co2e_ttw_t_per_teu"] - t["co2e_wtt_t_per_teu"]
    np.testing.assert_allclose(hub, 2 * 12.65 / 1000, rtol=1e-9)  # one hub, discharged and loaded


def test_another_fuel_changes_the_emissions_and_the_fuel_bill():
    base = small_scenario(cargo=DRY)
    bio = base.with_overrides({"vessels.neopanamax_14000.fuel": "methanol_bio"})
    a = run(base, replications=1000).to_dict()["routes"]["direct"]
    b = run(bio, replications=1000).to_dict()["routes"]["direct"]
    assert b["co2e_wtw_t_per_teu"]["mean"] < 0.5 * a["co2e_wtw_t_per_teu"]["mean"]   # WTT credits the carbon
    assert b["carrier_cost_by_component"]["fuel"] > 2 * a["carrier_cost_by_component"]["fuel"]


def test_a_fuel_without_a_price_is_refused_naming_the_gap():
    from routesim.errors import ScenarioError

    s = small_scenario(cargo=DRY).with_overrides({"vessels.neopanamax_14000.fuel": "ammonia_grey"})
    with pytest.raises(ScenarioError, match="ammonia_grey has no price"):
        run(s, replications=10)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(12.0, 22.0), st.floats(0.5, 3.0))
def test_lower_speed_never_raises_co2e_per_teu_on_a_leg(speed, cut):
    route = {**PANAMA, "speed_kn": speed}
    slow = {**PANAMA, "speed_kn": speed - cut}
    s = small_scenario(routes={"fast": route, "slow": slow}, cargo=DRY)
    r = run(s, replications=300).to_dict()["routes"]
    assert r["slow"]["co2e_wtw_t_per_teu"]["mean"] <= r["fast"]["co2e_wtw_t_per_teu"]["mean"]


def test_both_engines_report_the_same_emissions():
    s = small_scenario(cargo=DRY, horizon_days=45)
    mc = run(s, engine="montecarlo", replications=2000).to_dict()["routes"]["direct"]
    des = run(s, engine="des").to_dict()["routes"]["direct"]
    for m in ("co2e_ttw_t_per_teu", "co2e_wtw_t_per_teu", "co2e_wtw_g_per_teu_km"):
        assert des[m]["mean"] == pytest.approx(mc[m]["mean"], rel=0.05), m
    assert des["emissions_method"] == mc["emissions_method"]


def test_the_glec_view_reproduces_the_default_of_the_lane():
    s = small_scenario(routes={"canal": copy.deepcopy(PANAMA)}, cargo=DRY)
    res = run(s, replications=500)
    r = res.to_dict()["routes"]["canal"]
    assert r["glec_lane"] == "panama_trade"
    assert r["glec_default_g_per_teu_km"] == glec_default_g_per_teu_km("panama_trade") == 80.4
    e = res.emissions().loc["canal"]
    assert e["glec_default_g_per_teu_km"] == 80.4
    assert e["ratio_to_default"] == pytest.approx(r["co2e_wtw_g_per_teu_km"]["mean"] / 80.4, rel=1e-12)
    assert e["gwp"] == "IPCC AR6 GWP100" and e["data_type"] == "modelled"
    assert {"co2e_wtw_t_per_teu", "co2e_wtw_g_per_teu_km"} <= set(METRICS)


def test_a_gap_in_the_glec_lane_is_null_with_its_reason_and_the_nearest_lane():
    r = run(small_scenario(cargo=DRY), replications=300).to_dict()["routes"]["direct"]
    assert r["glec_lane"] == "asia_south_america"
    assert r["glec_default_g_per_teu_km"] is None and "not found" in r["glec_gap"]
    assert r["glec_nearest"]["lane"] == "panama_trade" and r["glec_nearest"]["g_per_teu_km"] == 80.4


def test_eu_ets_applies_stretch_by_stretch_and_not_to_latin_america_asia():
    import dataclasses

    from routesim.emissions import stretch_ets_share
    from routesim.outcomes import shipment_columns
    from routesim.plan import KINDS, StretchShares, compile_plan

    assert (stretch_ets_share("NL", "DE"), stretch_ets_share("ES", "CN"), stretch_ets_share("PE", "CN")) == (1.0, 0.5, 0.0)
    s = small_scenario(cargo=DRY)
    r = run(s, replications=300).to_dict()["routes"]["direct"]
    assert r["co2e_ets_t_per_teu"]["mean"] == 0.0   # Chancay - Shanghai pays no EU ETS
    plan = compile_plan(s)
    rp = plan.routes["direct"]
    assert all(seg.shares == StretchShares() for seg in rp.segments)
    # the same stretch with half its emissions covered at sea and at berth: half its TTW CO2e is covered
    half = dataclasses.replace(rp, segments=tuple(dataclasses.replace(g, shares=StretchShares(0.5, 0.5))
                                                  for g in rp.segments))
    n = 50
    days = {k: np.full(n, 2.0) for k in KINDS}
    sea = [np.full(n, 20.0) for _ in rp.segments]
    stop = [np.zeros(n) for _ in rp.segments]
    cols = shipment_columns(plan, half, np.random.default_rng(1), np.zeros(n), days, sea, stop)
    np.testing.assert_allclose(cols["co2e_ets_t_per_teu"], 0.5 * cols["co2e_ttw_t_per_teu"], rtol=1e-12)


def test_a_reefer_on_plug_emits_by_each_terminal_grid():
    from routesim.catalogue import grid_intensity

    reefer = {"commodity": "blueberries", "teu": 2}
    sh = _shipments(small_scenario(cargo=reefer), replications=1500)
    g = grid_intensity()
    pe, cn = float(g["PE"].value), float(g["CN"].value)
    kwh_per_kw = 24.0 / 2.0 * (pe * (sh["days_origin_dwell"] + sh["days_first_sailing"]) + cn * sh["days_destination_dwell"])
    kw = sh["co2e_plug_t_per_teu"] * 1e6 / kwh_per_kw            # the reefer's draw on plug, kW per box
    assert kw.min() >= 3.0 - 1e-9 and kw.max() <= 7.0 + 1e-9      # within costs.reefer_power_kw_per_box
    np.testing.assert_allclose(sh["co2e_wtw_t_per_teu"], sh["co2e_ttw_t_per_teu"] + sh["co2e_wtt_t_per_teu"]
                               + sh["co2e_plug_t_per_teu"], rtol=1e-12)   # a direct route: no hub
    dry = _shipments(small_scenario(cargo=DRY), replications=300)
    assert (dry["co2e_plug_t_per_teu"] == 0).all()
