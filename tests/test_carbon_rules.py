"""The rules that price carbon, leg by leg (#12): EU ETS, FuelEU Maritime, the IMO Net-Zero
Framework what-if and the IMO CII rating, in both engines."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routesim import emissions as em
from routesim import run
from routesim.catalogue import carbon_rules, fuels
from routesim.errors import ScenarioError
from routesim.plan import StretchShares, compile_plan
from routesim.plan.carbon import stretch_shares
from routesim.plan.fuels import fuel_params

from conftest import small_scenario

DRY = {"commodity": "general_cargo", "kind": "dry", "teu": 1}
RULE_COLUMNS = ("eu_ets_usd_per_teu", "fueleu_usd_per_teu", "imo_nzf_usd_per_teu")


# ------------------------------------------------------------------ the rules, stretch by stretch
@pytest.mark.parametrize("load, discharge, year, expected", [
    ("NL", "ES", 2026, StretchShares(1.0, 1.0, 1.0, 1.0)),    # Rotterdam - Algeciras: intra-EU, at berth in the EU
    ("NL", "BR", 2025, StretchShares(0.35, 0.0, 0.5, 0.0)),   # Rotterdam - Santos: out of the EU, 70 % phase-in
    ("CN", "NL", 2024, StretchShares(0.2, 0.4, 0.5, 1.0)),    # Shanghai - Rotterdam: into the EU, at berth there
    ("PE", "CN", 2026, StretchShares()),                      # Chancay - Shanghai: neither rule
    ("NO", "IS", 2026, StretchShares(1.0, 1.0, 1.0, 1.0)),    # EEA ports count as the EU's
])
def test_stretch_shares_follow_the_rules_text(load, discharge, year, expected):
    assert stretch_shares(load, discharge, year) == pytest.approx(expected)


def test_before_2024_the_eu_ets_covers_nothing_and_fueleu_still_has_its_scope():
    assert stretch_shares("NL", "ES", 2023) == StretchShares(0.0, 0.0, 1.0, 1.0)


def test_nzf_targets_and_prices_to_the_draft_text():
    r = carbon_rules()
    assert r.nzf_baseline_g_per_mj == 93.3
    assert em.nzf_targets_g_per_mj(2028) == pytest.approx((93.3 * 0.96, 93.3 * 0.83))
    assert em.nzf_targets_g_per_mj(2035) == pytest.approx((93.3 * 0.70, 93.3 * 0.57))
    assert em.nzf_targets_g_per_mj(2027) is None
    # 1 PJ at 90 g/MJ in 2030: base 85.836, direct 73.707 -> Tier 2 4.164 g/MJ at 380, Tier 1 12.129 g/MJ at 100
    cost = float(em.nzf_cost_usd(90.0, 1e9, 2030))
    assert cost == pytest.approx((90.0 - 85.836) * 1e3 * 380 + (85.836 - 73.707) * 1e3 * 100, rel=1e-9)
    assert float(em.nzf_cost_usd(90.0, 1e9, 2027)) == 0.0
    assert float(em.nzf_cost_usd(70.0, 1e9, 2030)) == 0.0          # below the direct compliance target


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 150.0), st.floats(0.0, 150.0), st.floats(1.0, 1e9), st.integers(2028, 2040))
def test_nzf_cost_never_falls_with_intensity_and_is_linear_in_energy(g1, g2, energy, year):
    lo, hi = sorted((g1, g2))
    assert float(em.nzf_cost_usd(lo, energy, year)) <= float(em.nzf_cost_usd(hi, energy, year)) + 1e-9
    assert float(em.nzf_cost_usd(hi, 2 * energy, year)) == pytest.approx(2 * float(em.nzf_cost_usd(hi, energy, year)))


@pytest.mark.parametrize("fid", sorted(fuels()))
def test_every_fuel_has_the_energy_and_intensity_the_rules_need(fid):
    f = fuels()[fid]
    if f.price_usd_per_t.value is None:   # a fuel without a published price is refused, naming it
        with pytest.raises(ScenarioError, match=fid):
            fuel_params(fid)
        return
    p = fuel_params(fid)
    assert p.lcv_mj_per_t == pytest.approx(float(f.lcv_mj_per_g.value) * 1e6)
    assert p.ghg_intensity_g_per_mj == pytest.approx(em.ghg_intensity_g_per_mj(f))


# ------------------------------------------------------------------ through the engines
def _route(res, name="direct"):
    return res.to_dict()["routes"][name]


def test_latin_america_asia_pays_no_eu_rule_and_the_nzf_only_as_a_what_if():
    s = small_scenario(cargo=DRY)
    base = _route(run(s, replications=1500))
    for col in RULE_COLUMNS:
        assert base[col]["mean"] == 0.0, col
    assert base["carbon_rules"] == {"year": 2026, "eu_ets": True, "fueleu": True, "imo_nzf": False}
    nzf = run(s.with_overrides({"carbon_rules.imo_nzf": True, "carbon_rules.year": 2030}), replications=1500)
    r = _route(nzf)
    assert r["eu_ets_usd_per_teu"]["mean"] == 0.0 and r["fueleu_usd_per_teu"]["mean"] == 0.0
    assert r["imo_nzf_usd_per_teu"]["mean"] > 0
    assert r["carrier_cost_usd_per_teu"]["mean"] > base["carrier_cost_usd_per_teu"]["mean"]
    # each box pays the remedial units of the energy it is allocated (VLSFO: FuelEU's HFO factors)
    sh = nzf.shipments
    v = fuel_params("vlsfo")
    expected = em.nzf_cost_usd(v.ghg_intensity_g_per_mj, sh["fuel_t_per_teu"].to_numpy() * v.lcv_mj_per_t, 2030)
    np.testing.assert_allclose(sh["imo_nzf_usd_per_teu"].to_numpy(), expected, rtol=1e-9)
    np.testing.assert_allclose(sh["carrier_emissions"].to_numpy(), sh[list(RULE_COLUMNS)].sum(axis=1).to_numpy())
    np.testing.assert_allclose(sh["cost_emissions_surcharge"].to_numpy(), sh["carrier_emissions"].to_numpy())


def test_later_targets_cost_more():
    s = small_scenario(cargo=DRY).with_overrides({"carbon_rules.imo_nzf": True})
    by_year = [_route(run(s.with_overrides({"carbon_rules.year": y}), replications=800))["imo_nzf_usd_per_teu"]["mean"]
               for y in (2027, 2028, 2030, 2035)]
    assert by_year[0] == 0.0 and by_year[1] < by_year[2] < by_year[3]


def test_the_emission_year_defaults_to_the_start_date():
    s = small_scenario(cargo=DRY)
    assert compile_plan(s).carbon.year == em.ETS_YEAR
    assert compile_plan(s.with_overrides({"start_date": "2025-03-01"})).carbon.year == 2025
    assert compile_plan(s.with_overrides({"start_date": "2025-03-01", "carbon_rules.year": 2031})).carbon.year == 2031


def test_both_engines_price_the_nzf_alike():
    s = small_scenario(cargo=DRY, horizon_days=45).with_overrides({"carbon_rules.imo_nzf": True,
                                                                   "carbon_rules.year": 2030})
    mc = _route(run(s, engine="montecarlo", replications=2000))
    des = _route(run(s, engine="des"))
    assert des["imo_nzf_usd_per_teu"]["mean"] == pytest.approx(mc["imo_nzf_usd_per_teu"]["mean"], rel=0.05)


# ------------------------------------------------------------------ CII
def test_the_cii_rating_of_the_deployed_ship():
    res = run(small_scenario(cargo=DRY), replications=300)
    (cii,) = _route(res)["cii"]
    assert cii["vessel"] == "neopanamax_14000" and cii["dwt"] == 151000.0 and cii["year"] == 2026
    required = float(em.cii_required(151000.0, 2026))
    assert cii["required_g_per_dwt_nm"] == pytest.approx(required, abs=1e-3)
    rp = res.plan.routes["direct"]
    voy = rp.segments[0].voyage
    attained = voy.fuel_t * 3.114 * 1e6 / (151000.0 * voy.distance_nm)
    assert cii["attained_g_per_dwt_nm"] == pytest.approx(attained, abs=1e-3)
    assert cii["rating"] == str(em.cii_rating(attained, required))
    assert res.emissions().loc["direct", "cii_rating"] == cii["rating"]
    # a ship sailing slower burns less per mile: a rating never worse
    slow = _route(run(small_scenario(cargo=DRY).with_overrides({"services.cosco_chancay_shanghai.speed_kn": 14.0}),
                      replications=300))["cii"][0]
    assert slow["attained_g_per_dwt_nm"] < cii["attained_g_per_dwt_nm"]
    assert "ABCDE".index(slow["rating"]) <= "ABCDE".index(cii["rating"])


def test_a_ship_without_deadweight_has_no_rating_and_says_why():
    s = small_scenario(cargo=DRY).with_overrides({
        "vessels": {"my_ship": {"teu": 9000, "design_speed_kn": 22, "design_fuel_t_per_day": 200,
                                "charter_usd_per_day": 40000, "gt": 95000, "loa_m": 335}},
        "services.cosco_chancay_shanghai.vessel": "my_ship"})
    (cii,) = _route(run(s, replications=300))["cii"]
    assert cii["rating"] is None and "dwt" in cii["gap"]


# ------------------------------------------------------------------ EU ports: the rules apply where their text says
def _eu_scenario(**routes):
    base = {"vessel": "neopanamax_14000", "speed_kn": 16, "headway_days": 7, "freight": {"usd_per_teu": 1200}}
    return small_scenario(cargo=DRY, routes={n: {"origin": o, "destination": d, **base, **extra}
                                             for n, (o, d, extra) in routes.items()})


EU = _eu_scenario(intra=("NLRTM", "ESALG", {}), out=("NLRTM", "BRSSZ", {}), direct=("PECHY", "CNSHA", {}))


def test_intra_eu_pays_on_all_its_emissions_a_voyage_out_of_the_eu_on_half_latin_america_asia_on_none():
    sh = run(EU, replications=1500).shipments
    by = {name: g for name, g in sh.groupby("route")}
    intra, out, direct = by["intra"], by["out"], by["direct"]
    np.testing.assert_allclose(intra["co2e_ets_t_per_teu"], intra["co2e_ttw_t_per_teu"], rtol=1e-12)  # 2026: 100 %
    ratio = out["co2e_ets_t_per_teu"] / out["co2e_ttw_t_per_teu"]
    assert (ratio < 0.5).all() and (ratio > 0.48).all()   # half at sea; the stay at berth in Santos is not covered
    assert (direct[["co2e_ets_t_per_teu", *RULE_COLUMNS]] == 0).all().all()
    for g in (intra, out):
        assert (g["eu_ets_usd_per_teu"] > 0).all() and (g["fueleu_usd_per_teu"] > 0).all()
    eua = intra["eu_ets_usd_per_teu"] / intra["co2e_ets_t_per_teu"]   # the allowance price in USD
    assert eua.min() >= 60 * 1.11 - 1e-9 and eua.max() <= 85 * 1.11 + 1e-9


def test_fueleu_penalty_is_the_regulation_arithmetic_on_the_energy_in_scope():
    sh = run(EU, replications=800).shipments
    intra = sh[sh["route"] == "intra"]
    v = fuel_params("vlsfo")
    energy = intra["fuel_t_per_teu"].to_numpy() * v.lcv_mj_per_t          # all of it in scope (intra-EU)
    expected = em.fueleu_penalty_eur(v.ghg_intensity_g_per_mj, energy, 2026) * 1.11
    np.testing.assert_allclose(intra["fueleu_usd_per_teu"].to_numpy(), expected, rtol=1e-9)


def test_a_bio_methanol_ship_beats_the_fueleu_target_and_pays_no_penalty():
    s = EU.with_overrides({"vessels": {"neopanamax_14000": {"fuel": "methanol_bio"}}})
    r = _route(run(s, replications=800), "intra")
    assert r["fueleu_usd_per_teu"]["mean"] == 0.0 and r["eu_ets_usd_per_teu"]["mean"] > 0


def test_the_phase_in_and_the_switches():
    def ets(over):
        return _route(run(EU.with_overrides(over), replications=800), "intra")["eu_ets_usd_per_teu"]["mean"]

    y24, y25, y26 = (ets({"carbon_rules.year": y}) for y in (2024, 2025, 2026))
    assert 0 < y24 < y25 < y26
    assert ets({"carbon_rules.year": 2023}) == 0.0
    off = _route(run(EU.with_overrides({"carbon_rules.eu_ets": False, "carbon_rules.fueleu": False}),
                     replications=800), "intra")
    assert off["eu_ets_usd_per_teu"]["mean"] == off["fueleu_usd_per_teu"]["mean"] == 0.0
    assert off["co2e_ets_t_per_teu"]["mean"] > 0     # still reported: what the EU ETS covers


def test_both_engines_price_the_eu_rules_alike():
    s = _eu_scenario(intra=("NLRTM", "ESALG", {}))
    mc = _route(run(s, engine="montecarlo", replications=2000), "intra")
    des = _route(run(s, engine="des"), "intra")
    for col in ("eu_ets_usd_per_teu", "fueleu_usd_per_teu"):
        assert des[col]["mean"] == pytest.approx(mc[col]["mean"], rel=0.05), col


# ------------------------------------------------------------------ a reefer on plug: the terminals' grids
def test_every_port_country_has_a_grid_figure_with_its_source_and_year():
    from routesim.catalogue import grid_intensity, ports

    grid = grid_intensity()
    assert {p.country for p in ports().values()} <= set(grid)
    for code, fig in grid.items():
        assert 0 < float(fig.value) < 1200 and "20" in fig.source, code


def test_a_country_without_a_grid_figure_is_marked_missing_not_zero():
    from routesim.plan.carbon import plug_grid

    g = plug_grid("XX", ["MX"], "CN")
    assert np.isnan(g.origin) and g.hub == 489.0 and g.destination == 582.0
    assert g.gaps and g.gaps[0].startswith("XX")
