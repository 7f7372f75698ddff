"""Tests of routesim.costs: hand-computed cases, properties and broadcasting."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from routesim import catalogue, costs
from routesim.errors import UnknownNameError

finite = dict(allow_nan=False, allow_infinity=False)
pos = st.floats(min_value=1e-3, max_value=1e6, **finite)
nonneg = st.floats(min_value=0.0, max_value=1e6, **finite)
speeds = st.floats(min_value=0.5, max_value=30.0, **finite)


def neo14k():
    return catalogue.vessel_classes()["neopanamax_14000"]


# ------------------------------------------------------------ hand-computed
def test_sailing_days_chancay_shanghai():
    # 9,350 nm / (17 kn x 24 h) = 22.92 days
    assert float(costs.sailing_days(9350, 17)) == pytest.approx(22.9167, abs=1e-4)


def test_main_engine_fuel_14k_at_17_knots():
    v = neo14k()
    # 225 t/d at 23 kn -> 225 * (17/23)^3 = 90.85 t/d
    got = costs.main_engine_fuel_t_per_day(17, v.design_speed_kn.value, v.design_fuel_t_per_day.value)
    assert float(got) == pytest.approx(225 * (17 / 23) ** 3)
    assert float(got) == pytest.approx(90.85, abs=0.01)
    # at design speed the design figure comes back
    assert float(costs.main_engine_fuel_t_per_day(23, 23, 225)) == 225


def test_sea_fuel_chancay_passage():
    # 22.9167 d x (90.85 + 7.5) t/d = 2,253.95 t
    got = costs.sea_fuel_t(9350, 17, 23, 225, 7.5)
    assert float(got) == pytest.approx(9350 / (17 * 24) * (225 * (17 / 23) ** 3 + 7.5))
    assert float(got) == pytest.approx(2253.95, abs=0.1)


def test_inventory_cost_60k_at_8_percent_23_days():
    # 60,000 x 0.08 x 23 / 365 = 302.47 USD
    assert float(costs.inventory_carrying_usd(60_000, 0.08, 23)) == pytest.approx(302.4658, abs=1e-3)


PROPOSAL = {  # ACP proposal worked example (calibration.md 3a; portnews.it)
    "fixed_fee_usd": {"regular": 60_000, "super": 100_000, "neopanamax": 300_000},
    "capacity_usd_per_teu": {"regular": 30, "super": 30, "neopanamax": 30},
    "loaded_usd_per_teu": 40,
    "empty_usd_per_teu": 5,
    "super_max_teu": 5000,
}


def test_panama_toll_12000_teu_worked_example():
    # 300,000 + 30 x 12,000 + 40 x 10,800 + 5 x 1,200 = 1,098,000 (> US$1 M)
    toll = costs.panama_toll_usd(12_000, 10_800, 1_200, tariff=PROPOSAL)
    assert float(toll) == 1_098_000
    assert float(toll) > 1_000_000


def test_panama_toll_2016_tariff_examples():
    # 2016 ACP examples (docslib 6200421): no fixed fee; Neopanamax $50 TTA + $35 loaded,
    # Panamax $60 TTA + $30 loaded.
    t2016 = {
        "fixed_fee_usd": {"regular": 0, "super": 0, "neopanamax": 0},
        "capacity_usd_per_teu": {"regular": 60, "super": 60, "neopanamax": 50},
        "loaded_usd_per_teu": 0,
        "empty_usd_per_teu": 0,
    }
    neo80 = costs.panama_toll_usd(10_000, 0, 0, lock_class="neopanamax", tariff=t2016) + 35 * 8_000
    neo40 = costs.panama_toll_usd(10_000, 0, 0, lock_class="neopanamax", tariff=t2016) + 35 * 4_000
    pmx = costs.panama_toll_usd(4_700, 0, 0, lock_class="super", tariff=t2016) + 30 * 3_760
    assert (float(neo80), float(neo40), float(pmx)) == (780_000, 640_000, 394_800)


def test_panama_toll_with_catalogue_tariff():
    t = catalogue.chokepoints()["panama"].toll
    expected = (
        t["fixed_fee_usd"]["neopanamax"].value
        + t["capacity_usd_per_teu"]["neopanamax"].value * 14_000
        + t["loaded_usd_per_teu"].value * 11_900
        + t["empty_usd_per_teu"].value * 500
    )
    assert float(costs.panama_toll_usd(14_000, 11_900, 500)) == pytest.approx(expected)
    # with the shipped values: 300,000 + 30 x 14,000 + 40 x 11,900 + 6 x 500
    assert expected == 300_000 + 420_000 + 476_000 + 3_000


def test_panama_lock_class_and_errors():
    assert costs.panama_lock_class([4_500, 5_000, 5_001, 14_000]).tolist() == ["super", "super", "neopanamax", "neopanamax"]
    with pytest.raises(ValueError, match="lock class"):
        costs.panama_toll_usd(4_000, 3_000, 0, lock_class="mini")
    with pytest.raises(ValueError):
        costs.panama_toll_usd(4_000, -1, 0)


def test_suez_and_canal_per_teu():
    rate = catalogue.chokepoints()["suez"].toll["usd_per_teu_capacity"].value
    assert float(costs.suez_toll_usd(14_000)) == pytest.approx(14_000 * rate)
    # per loaded TEU at 85 % utilisation: 14,000 x rate / (14,000 x 0.85)
    assert float(costs.canal_toll_usd_per_teu("suez", 14_000, utilisation=0.85)) == pytest.approx(rate / 0.85)
    assert float(costs.canal_toll_usd_per_teu("malacca", 14_000)) == 0.0
    assert float(costs.canal_toll_usd("good_hope", 14_000)) == 0.0
    # Panama per TEU: toll with loaded = capacity x utilisation, shared by the same loaded TEU
    toll = costs.panama_toll_usd(14_000, 14_000 * 0.85, 0)
    assert float(costs.canal_toll_usd_per_teu("panama", 14_000, utilisation=0.85)) == pytest.approx(float(toll) / 11_900)


def test_per_teu_and_port_calls():
    # charter 49,000 USD/day x 23 days on 14,000 TEU at 85 % = 94.71 USD per TEU
    cost = costs.vessel_time_cost_usd(23, 49_000)
    assert float(costs.per_teu(cost, 14_000, 0.85)) == pytest.approx(49_000 * 23 / 11_900)
    # 2 calls x 14,400 USD on 14,000 TEU at 85 % = 2.42 USD per TEU
    assert float(costs.port_call_usd_per_teu(2, 14_400, 14_000, 0.85)) == pytest.approx(28_800 / 11_900)
    with pytest.raises(ValueError):
        costs.per_teu(1.0, 14_000, 0.0)
    with pytest.raises(ValueError):
        costs.per_teu(1.0, 0, 0.5)


def test_defaults_come_from_catalogue():
    d = catalogue.cost_defaults()
    assert float(costs.fuel_cost_usd(1.0)) == d["bunker_usd_per_t"].value
    assert float(costs.co2_t(1.0)) == pytest.approx(3.114)
    assert float(costs.carbon_cost_usd(1.0)) == d["carbon_usd_per_t"].value
    assert float(costs.settlement_fee_usd(100.0)) == pytest.approx(100 * d["settlement_fee_rate"].value)
    assert float(costs.transshipment_usd(1)) == d["transshipment_usd_per_teu"].value
    assert float(costs.reefer_usd(1)) == d["reefer_usd_per_teu_day"].value
    assert float(costs.inventory_carrying_usd(365.0, None, 1)) == pytest.approx(d["inventory_rate_per_year"].value)
    assert costs.cost_default("port_call_usd") == d["port_call_usd"].value
    with pytest.raises(UnknownNameError):
        costs.cost_default("bunker_price")


def test_thc_reefer_and_dry():
    d = catalogue.cost_defaults()
    got = costs.thc_usd([False, True])
    assert got[0] == d["thc_origin_usd_per_teu"].value + d["thc_destination_usd_per_teu"].value
    assert got[1] == d["thc_origin_reefer_usd_per_teu"].value + d["thc_destination_reefer_usd_per_teu"].value
    assert costs.thc_usd(True, 1, 2, 3, 4) == 7


def test_sailing_days_rejects_non_positive_speed():
    with pytest.raises(ValueError):
        costs.sailing_days(100, 0)
    with pytest.raises(ValueError):
        costs.sailing_days([100, 200], [10, -1])


# --------------------------------------------------------------- properties
@given(v1=speeds, v2=speeds, vd=st.floats(15, 26), f=st.floats(20, 400))
def test_main_engine_fuel_per_nm_increases_with_speed(v1, v2, vd, f):
    assume(v2 > v1 * (1 + 1e-9))
    per_nm = lambda v: costs.sea_fuel_t(1.0, v, vd, f, 0.0)  # noqa: E731
    assert per_nm(v2) > per_nm(v1)
    # cubic law: per-nm fuel scales as v^2
    assert float(per_nm(v2) / per_nm(v1)) == pytest.approx((v2 / v1) ** 2, rel=1e-9)


@given(v1=speeds, v2=speeds, aux=st.floats(0.5, 15))
def test_total_fuel_per_nm_increases_above_economic_speed(v1, v2, aux):
    vd, f = 23.0, 225.0
    k = f / vd**3
    v_star = (aux / (2 * k)) ** (1 / 3)  # d/dv (k v^2 + aux / v) = 0
    assume(v_star < v1 < v2 * (1 - 1e-9))
    assert costs.sea_fuel_t(1.0, v2, vd, f, aux) > costs.sea_fuel_t(1.0, v1, vd, f, aux)


@given(v=speeds, f=pos, aux=nonneg)
def test_zero_distance_costs_no_sea_fuel(v, f, aux):
    assert float(costs.sea_fuel_t(0.0, v, 20.0, f, aux)) == 0.0


@given(fuel=nonneg, p1=nonneg, p2=nonneg, k=st.floats(0, 100))
def test_fuel_cost_linear_in_bunker_price(fuel, p1, p2, k):
    a, b = costs.fuel_cost_usd(fuel, p1), costs.fuel_cost_usd(fuel, p2)
    assert float(costs.fuel_cost_usd(fuel, p1 + p2)) == pytest.approx(float(a + b), rel=1e-12, abs=1e-9)
    assert float(costs.fuel_cost_usd(fuel, k * p1)) == pytest.approx(k * float(a), rel=1e-12, abs=1e-9)


@given(fuel=nonneg, c1=nonneg, c2=nonneg)
def test_carbon_cost_linear_in_carbon_price(fuel, c1, c2):
    co2 = costs.co2_t(fuel)
    total = costs.carbon_cost_usd(co2, c1 + c2)
    assert float(total) == pytest.approx(float(costs.carbon_cost_usd(co2, c1) + costs.carbon_cost_usd(co2, c2)), rel=1e-12, abs=1e-9)
    assert float(costs.carbon_cost_usd(co2, 0.0)) == 0.0


@given(value=nonneg, rate=st.floats(0, 1), days=nonneg, k=st.floats(0, 50))
def test_inventory_linear_in_value_and_days(value, rate, days, k):
    base = float(costs.inventory_carrying_usd(value, rate, days))
    assert float(costs.inventory_carrying_usd(k * value, rate, days)) == pytest.approx(k * base, rel=1e-12, abs=1e-9)
    assert float(costs.inventory_carrying_usd(value, rate, k * days)) == pytest.approx(k * base, rel=1e-12, abs=1e-9)
    assert float(costs.inventory_carrying_usd(value, rate, 0)) == 0.0


@given(days=st.lists(st.floats(0, 100), min_size=1, max_size=20), shelf=st.floats(1, 80), value=pos)
def test_spoilage_only_beyond_shelf_life(days, shelf, value):
    d = np.array(days)
    mask = costs.spoiled(d, shelf)
    assert mask.dtype == bool
    assert np.array_equal(mask, d > shelf)
    lost = costs.spoilage_usd(value, mask)
    assert np.all(lost[d <= shelf] == 0)
    assert np.all(lost[d > shelf] == value)


@given(mean=st.floats(5, 60), cv=st.floats(0.05, 0.6), t1=st.floats(0, 120), t2=st.floats(0, 120))
def test_spoilage_probability_is_a_cdf(mean, cv, t1, t2):
    p1, p2 = costs.spoilage_probability([t1, t2], mean, cv)
    assert 0.0 <= p1 <= 1.0 and 0.0 <= p2 <= 1.0
    if t1 < t2:
        assert p1 <= p2 + 1e-12


def test_spoilage_probability_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    days = np.linspace(0, 90, 91)
    for mean, cv in [(35, 0.2), (21, 0.19), (30, 0.17), (10, 0.8), (3, 1.5)]:
        ref = stats.gamma.cdf(days, a=1 / cv**2, scale=mean * cv**2)
        assert np.allclose(costs.spoilage_probability(days, mean, cv), ref, atol=1e-9)
        refn = stats.norm.cdf(days, loc=mean, scale=mean * cv)
        assert np.allclose(costs.spoilage_probability(days, mean, cv, family="normal"), refn, atol=1e-12)
    with pytest.raises(ValueError):
        costs.spoilage_probability(10, 35, 0.2, family="weibull")
    with pytest.raises(ValueError):
        costs.spoilage_probability(10, 0, 0.2)


# ------------------------------------------------------------------- tariffs
def test_fta_exemption_and_mfn():
    # China-Peru FTA covers blueberries: zero; Argentina (no FTA) pays the MFN rate
    mfn = catalogue.trade().tariffs[("CN", "blueberries")].rate.value
    assert costs.tariff_rate("CN", "blueberries", "PE") == 0.0
    assert costs.tariff_rate("CN", "blueberries", "AR") == mfn == 0.30
    assert costs.tariff_rate("CN", "cherries", "CL") == 0.0
    assert costs.tariff_rate("CN", "cherries", "US") > 0
    # an FTA not yet in force gives no preference
    assert costs.tariff_rate("CN", "copper_cathode", "EC", on=dt.date(2024, 4, 30)) == costs.tariff_rate("CN", "copper_cathode", "AR")
    # same country: no import duty
    assert costs.tariff_rate("CN", "blueberries", "CN") == 0.0
    with pytest.raises(UnknownNameError):
        costs.tariff_rate("CN", "evs", "BR")


def test_brazil_ev_tariff_schedule():
    r = lambda y, m, d: costs.tariff_rate("BR", "evs", "CN", on=dt.date(y, m, d))  # noqa: E731
    assert r(2023, 12, 31) == 0.0
    assert r(2024, 1, 1) == 0.10
    assert r(2024, 7, 1) == 0.18
    assert r(2025, 7, 1) == 0.25
    assert r(2026, 6, 30) == 0.25
    assert r(2026, 7, 1) == 0.35
    assert costs.tariff_rate("MX", "evs", "CN", on=dt.date(2026, 1, 1)) == 0.50


@given(value=pos, rate=st.floats(0.001, 1))
def test_tariff_usd_fta_pair_pays_nothing(value, rate):
    ftas = [("CN", "PE"), ("CN", "CL")]
    got = costs.tariff_usd([value, value, value], rate, ["PE", "AR", "cl"], "CN", ftas)
    assert got[0] == 0.0 and got[2] == 0.0
    assert got[1] == pytest.approx(value * rate)
    assert float(costs.tariff_usd(value, rate)) == pytest.approx(value * rate)


@given(value=nonneg, r1=st.floats(0, 0.1), r2=st.floats(0, 0.1))
def test_settlement_fee_linear(value, r1, r2):
    assert float(costs.settlement_fee_usd(value, r1 + r2)) == pytest.approx(
        float(costs.settlement_fee_usd(value, r1) + costs.settlement_fee_usd(value, r2)), rel=1e-12, abs=1e-9
    )


# ------------------------------------------------------------- broadcasting
def test_broadcasting_shapes():
    dist = np.array([[1000.0], [5000.0], [9350.0]])  # (3, 1)
    speed = np.array([14.0, 16.0, 17.0, 20.0])  # (4,)
    assert costs.sailing_days(dist, speed).shape == (3, 4)
    assert costs.sea_fuel_t(dist, speed, 23.0, 225.0, 7.5).shape == (3, 4)
    assert costs.main_engine_fuel_t_per_day(speed, 23, 225).shape == (4,)
    assert costs.inventory_carrying_usd(np.full((3, 1), 6e4), 0.08, speed).shape == (3, 4)
    assert costs.panama_toll_usd([4500, 14000], [4000, 12000], [100, 500]).shape == (2,)
    assert costs.spoilage_probability(np.ones((2, 3)) * 30, [35, 21, 30], 0.2).shape == (2, 3)
    # element-wise agreement with the scalar path
    grid = costs.sailing_days(dist, speed)
    assert grid[2, 2] == pytest.approx(float(costs.sailing_days(9350, 17)))
    # scalars give 0-d results that behave like floats
    assert np.ndim(costs.sailing_days(9350, 17)) == 0


# ------------------------------------------------------------ breakdown
def _components(shape=(5,)):
    return {name: np.full(shape, i + 1.0) for i, name in enumerate(costs.COMPONENTS)}


def test_component_names_fixed():
    assert costs.COMPONENTS == (
        "fuel", "vessel", "port", "canal", "transshipment", "inventory",
        "reefer", "spoilage", "carbon", "tariff", "settlement", "overland",
    )


def test_cost_breakdown_total_and_checks():
    b = costs.cost_breakdown(**_components())
    assert b.shape == (5,)
    assert np.allclose(b.total(), sum(range(1, len(costs.COMPONENTS) + 1)))
    assert list(b.as_dict()) == list(costs.COMPONENTS)
    assert b.means()["fuel"] == 1.0
    with pytest.raises(ValueError):
        b.fuel[0] = 99.0  # read-only
    # scalars broadcast against arrays
    comps = _components((3, 2))
    comps["canal"] = 0
    b2 = costs.cost_breakdown(**comps)
    assert b2.canal.shape == (3, 2) and np.all(b2.canal == 0)


def test_cost_breakdown_rejects_bad_input():
    comps = _components()
    del comps["tariff"]
    with pytest.raises(ValueError, match="missing components \\['tariff'\\]"):
        costs.cost_breakdown(**comps)
    with pytest.raises(ValueError, match="unknown components \\['freight'\\]"):
        costs.cost_breakdown(**_components(), freight=1.0)
    comps = _components()
    comps["port"] = np.ones(4)
    with pytest.raises(ValueError, match="broadcast"):
        costs.cost_breakdown(**comps)
    comps = _components()
    comps["fuel"] = np.array([1.0, math.nan, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="non-finite"):
        costs.cost_breakdown(**comps)


@settings(max_examples=50)
@given(n=st.integers(1, 50), seed=st.integers(0, 2**32 - 1))
def test_cost_breakdown_total_is_sum(n, seed):
    rng = np.random.default_rng(seed)
    comps = {c: rng.uniform(0, 1000, n) for c in costs.COMPONENTS}
    b = costs.cost_breakdown(**comps)
    assert np.allclose(b.total(), np.sum([comps[c] for c in costs.COMPONENTS], axis=0))
