"""The shipped fuel, carbon-rule and GLEC data against the numbers of their sources."""

from __future__ import annotations

import pytest

from routesim.catalogue import carbon_rules, cost_defaults, fuels, glec_lanes, gwp_sets
from routesim.catalogue.fuel import FUEL_FACTORS

# Regulation (EU) 2023/1805 (FuelEU Maritime) Annex II defaults, as transcribed at
# https://docs.appliedaifoundation.org/microapps/emissions/methodology/fuel-eu-wtw and in calibration.md 8:
# (LCV MJ/g, WtT g CO2e/MJ, Cf CO2, Cf CH4, Cf N2O, Cslip %)
ANNEX_II = {
    "vlsfo": (0.0405, 13.5, 3.114, 0.00005, 0.00018, 0),          # HFO row
    "hfo_scrubber": (0.0405, 13.5, 3.114, 0.00005, 0.00018, 0),   # HFO row
    "mgo": (0.0427, 14.4, 3.206, 0.00005, 0.00018, 0),            # MDO/MGO row
    "lng_otto_ms": (0.0491, 18.5, 2.750, 0, 0.00011, 3.1),        # LNG, Otto medium speed
    "lng_otto_ss": (0.0491, 18.5, 2.750, 0, 0.00011, 1.7),        # LNG, Otto slow speed
    "lng_diesel_ss": (0.0491, 18.5, 2.750, 0, 0.00011, 0.2),      # LNG, Diesel slow speed
    "methanol_grey": (0.0199, 31.3, 1.375, None, None, 0),        # CH4/N2O "to be measured"
    "ammonia_grey": (0.0186, 121, 0, None, None, 0),              # CH4/N2O "to be measured"
}


@pytest.mark.parametrize("fid", sorted(ANNEX_II))
def test_fossil_fuels_carry_the_annex_ii_defaults(fid):
    f = fuels()[fid]
    for name, expected in zip(FUEL_FACTORS, ANNEX_II[fid]):
        if expected is not None:
            assert getattr(f, name).value == pytest.approx(expected), (fid, name)
        assert not getattr(f, name).derived or expected is None, (fid, name)


def test_to_be_measured_factors_take_the_class_default_and_say_so():
    # Annex II rule: highest default of the fuel class in the same column (fossil CH4 0.00005, N2O 0.00018)
    for fid in ("methanol_grey", "methanol_bio", "methanol_e", "ammonia_grey", "ammonia_e"):
        f = fuels()[fid]
        assert (f.cf_ch4_g_per_g.value, f.cf_n2o_g_per_g.value) == (0.00005, 0.00018)
        assert f.cf_ch4_g_per_g.derived and f.cf_n2o_g_per_g.derived


def test_bio_and_e_fuel_wtt_follow_e_minus_cf_over_lcv():
    # FuelEU Annex II column 4: WtT = E - Cf/LCV; E at the RED limits 32.9 (biofuel) and 28.2 (RFNBO)
    f = fuels()
    assert f["methanol_bio"].wtt_g_per_mj.value == pytest.approx(32.9 - 1.375 / 0.0199, abs=0.05)
    assert f["methanol_e"].wtt_g_per_mj.value == pytest.approx(28.2 - 1.375 / 0.0199, abs=0.05)
    assert f["ammonia_e"].wtt_g_per_mj.value == pytest.approx(28.2)
    for fid in ("methanol_bio", "methanol_e", "ammonia_e"):
        assert f[fid].wtt_g_per_mj.derived


def test_the_blend_is_its_components():
    b, v = fuels()["b24_ucome"], fuels()["vlsfo"]
    share = b.extra["bio_mass_share"].value
    assert share == 0.24  # Platts B24 Singapore: 76 % fuel oil, 24 % UCOME (Manifold Times, May 2023)
    lcv_fame, cf_fame, e_ucome = 0.037, 2.834, 14.9
    lcv = (1 - share) * v.lcv_mj_per_g.value + share * lcv_fame
    assert b.lcv_mj_per_g.value == pytest.approx(lcv, abs=1e-5)
    assert b.cf_co2_g_per_g.value == pytest.approx((1 - share) * 3.114 + share * cf_fame, abs=5e-4)
    wtt = ((1 - share) * 0.0405 * 13.5 + share * lcv_fame * (e_ucome - cf_fame / lcv_fame)) / lcv
    assert b.wtt_g_per_mj.value == pytest.approx(wtt, abs=0.01)


def test_vlsfo_matches_the_cost_models_carbon_factor():
    assert fuels()["vlsfo"].cf_co2_g_per_g.value == cost_defaults()["co2_t_per_t_fuel"].value


def test_every_fuel_has_a_price_or_says_why_not():
    for f in fuels().values():
        if f.price_usd_per_t.value is None:
            assert len(f.gaps["price_usd_per_t"]) > 20, f.id
        else:
            assert f.price_usd_per_t.derived, f.id


def test_gwp_sets_are_the_published_values():
    g = gwp_sets()
    assert (g["fueleu"].ch4, g["fueleu"].n2o) == (25, 298)   # FuelEU Annex I / Directive 2015/652 Annex I
    assert (g["ar5"].ch4, g["ar5"].n2o) == (28, 265)         # IPCC AR5
    assert (g["ar6"].ch4, g["ar6"].n2o) == (29.8, 273)       # IPCC AR6, fossil CH4


def test_carbon_rules_are_the_regulations_numbers():
    r = carbon_rules()
    assert r.fueleu_reference_g_per_mj == 91.16                       # FuelEU Art. 4(2)
    assert [r.fueleu_reduction.at(y) for y in (2024, 2025, 2029, 2030, 2035, 2040, 2045, 2050, 2060)] == \
        [0, 0.02, 0.02, 0.06, 0.145, 0.31, 0.62, 0.80, 0.80]
    assert (r.fueleu_penalty_eur_per_t_vlsfo_eq, r.fueleu_vlsfo_lcv_mj_per_t) == (2400, 41000)  # Annex IV B
    assert [r.ets_phase_in.at(y) for y in (2023, 2024, 2025, 2026, 2030)] == [0, 0.4, 0.7, 1.0, 1.0]  # 2023/959
    assert r.ets_ch4_n2o_from_year == 2026
    assert (r.cii_a, r.cii_c, r.cii_dd) == (1984, 0.489, (0.83, 0.94, 1.07, 1.19))  # MEPC.353/354(78)
    assert [r.cii_z.at(y) for y in range(2023, 2031)] == \
        [0.05, 0.07, 0.09, 0.11, 0.13625, 0.1625, 0.18875, 0.215]      # MEPC.338(76), MEPC.400(83)


def test_glec_lanes_state_their_conventions():
    lanes = glec_lanes()
    assert lanes["panama_trade"].dry_g_per_teu_km == 80.4     # GLEC v3.1, Climatiq copy
    assert lanes["other_global"].reefer_g_per_teu_km == 139.3  # GLEC 2019, Climatiq copy
    for lane in lanes.values():
        assert lane.utilisation == 0.70 and lane.gwp in gwp_sets() | {"ar4": None}
        for k in ("dry_g_per_teu_km", "reefer_g_per_teu_km"):
            assert getattr(lane, k) is not None or lane.gaps[k]
