"""The cost model (routesim.costs): pure array functions, hand-computed cases and properties;
the trade data's tariff rules (routesim.catalogue.trade)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from routesim import catalogue, costs
from routesim.errors import UnknownNameError
from routesim.plan.schedule import sailing_days

finite = dict(allow_nan=False, allow_infinity=False)
pos = st.floats(min_value=1e-3, max_value=1e6, **finite)
nonneg = st.floats(min_value=0.0, max_value=1e6, **finite)
speeds = st.floats(min_value=0.5, max_value=30.0, **finite)


def neo14k():
    return catalogue.vessel_classes()["neopanamax_14000"]


def sea_fuel_per_nm(v, vd, f, aux):
    """Fuel per nautical mile (tonnes) at ``v`` knots: the sailing days of one nm times the burn."""
    return costs.voyage_fuel_t(sailing_days(1.0, v), 0.0, costs.main_engine_fuel_t_per_day(v, vd, f), aux, 0.0)


# ------------------------------------------------------------ hand-computed
def test_main_engine_fuel_14k_at_17_knots():
    v = neo14k()
    # 225 t/d at 23 kn -> 225 * (17/23)^3 = 90.85 t/d
    got = costs.main_engine_fuel_t_per_day(17, v.design_speed_kn.value, v.design_fuel_t_per_day.value)
    assert float(got) == pytest.approx(225 * (17 / 23) ** 3)
    assert float(got) == pytest.approx(90.85, abs=0.01)
    # at design speed the design figure comes back
    assert float(costs.main_engine_fuel_t_per_day(23, 23, 225)) == 225
    with pytest.raises(ValueError):
        costs.main_engine_fuel_t_per_day(17, 0, 225)


def test_voyage_fuel_chancay_passage():
    # 22.9167 d x (90.85 + 7.5) t/d + 1.2 d x 10 t/d at berth = 2,265.95 t
    days = sailing_days(9350, 17)
    got = costs.voyage_fuel_t(days, 1.2, costs.main_engine_fuel_t_per_day(17, 23, 225), 7.5, 10.0)
    assert float(got) == pytest.approx(9350 / (17 * 24) * (225 * (17 / 23) ** 3 + 7.5) + 12.0)
    assert float(got) == pytest.approx(2265.95, abs=0.1)


def test_inventory_cost_60k_at_8_percent_23_days():
    # 60,000 x 0.08 x 23 / 365 = 302.47 USD
    assert float(costs.inventory_carrying_usd(60_000, 0.08, 23)) == pytest.approx(302.4658, abs=1e-3)


PROPOSAL = {  # ACP proposal worked example (data/chokepoints.yaml; portnews.it)
    "fixed_fee_usd": {"regular": 60_000, "super": 100_000, "neopanamax": 300_000},
    "capacity_usd_per_teu": {"regular": 30, "super": 30, "neopanamax": 30},
    "loaded_usd_per_teu": 40,
    "empty_usd_per_teu": 5,
    "super_max_teu": 5000,
}


def test_panama_toll_12000_teu_worked_example():
    # 300,000 + 30 x 12,000 + 40 x 10,800 + 5 x 1,200 = 1,098,000 (> US$1 M)
    toll = costs.panama_toll_usd(12_000, 10_800, 1_200, PROPOSAL)
    assert float(toll) == 1_098_000


def test_panama_toll_2016_tariff_examples():
    # 2016 ACP examples (docslib 6200421): no fixed fee; Neopanamax $50 TTA + $35 loaded,
    # Panamax $60 TTA + $30 loaded.
    t2016 = {
        "fixed_fee_usd": {"regular": 0, "super": 0, "neopanamax": 0},
        "capacity_usd_per_teu": {"regular": 60, "super": 60, "neopanamax": 50},
        "loaded_usd_per_teu": 0,
        "empty_usd_per_teu": 0,
    }
    neo80 = costs.panama_toll_usd(10_000, 0, 0, t2016, lock_class="neopanamax") + 35 * 8_000
    neo40 = costs.panama_toll_usd(10_000, 0, 0, t2016, lock_class="neopanamax") + 35 * 4_000
    pmx = costs.panama_toll_usd(4_700, 0, 0, t2016, lock_class="super") + 30 * 3_760
    assert (float(neo80), float(neo40), float(pmx)) == (780_000, 640_000, 394_800)


def test_canal_tolls_with_the_catalogue_tariffs():
    t = catalogue.chokepoints()["panama"].toll
    expected = (
        t["fixed_fee_usd"]["neopanamax"].value
        + t["capacity_usd_per_teu"]["neopanamax"].value * 14_000
        + t["loaded_usd_per_teu"].value * 11_900
        + t["empty_usd_per_teu"].value * 500
    )
    assert float(costs.canal_toll_usd(t, 14_000, 11_900, 500)) == pytest.approx(expected)
    # with the shipped values: 300,000 + 30 x 14,000 + 40 x 11,900 + 6 x 500
    assert expected == 300_000 + 420_000 + 476_000 + 3_000
    # lock class by size: at most 5,000 TEU is a (Neo)Panamax "super" transit
    small = float(costs.canal_toll_usd(t, 5_000, 4_000))
    assert small == pytest.approx(t["fixed_fee_usd"]["super"].value + t["capacity_usd_per_teu"]["super"].value * 5_000
                                  + t["loaded_usd_per_teu"].value * 4_000)
    suez = catalogue.chokepoints()["suez"].toll
    assert float(costs.canal_toll_usd(suez, 14_000, 11_900)) == pytest.approx(14_000 * suez["usd_per_teu_capacity"].value)
    assert float(costs.canal_toll_usd(catalogue.chokepoints()["malacca"].toll, 14_000, 11_900)) == 0.0


def test_panama_toll_errors():
    with pytest.raises(ValueError, match="lock class"):
        costs.panama_toll_usd(4_000, 3_000, 0, PROPOSAL, lock_class="mini")
    with pytest.raises(ValueError):
        costs.panama_toll_usd(4_000, -1, 0, PROPOSAL)
    with pytest.raises(ValueError, match="toll kind"):
        costs.canal_toll_usd({"kind": "per_ton"}, 4_000, 3_000)


def test_equipment_per_teu():
    # a box's 30 door days at 1.27 + 4.7 USD per TEU-day (dry box + reefer premium)
    assert float(costs.equipment_usd(30.0, 1.27 + 4.7)) == pytest.approx(179.1)


def test_reefer_and_trade_costs():
    # 6 terminal days on plug at 15 USD/day
    assert float(costs.reefer_usd(6.0, 15.0)) == 90.0
    assert float(costs.tariff_usd(40_000.0, 0.35)) == 14_000.0
    assert float(costs.settlement_fee_usd(40_000.0, 0.01)) == 400.0
    assert float(costs.co2_t(10.0, 3.114)) == pytest.approx(31.14)


# --------------------------------------------------------------- properties
@given(v1=speeds, v2=speeds, vd=st.floats(15, 26), f=st.floats(20, 400))
def test_main_engine_fuel_per_nm_increases_with_speed(v1, v2, vd, f):
    lo, hi = sorted((v1, v2))
    if hi <= lo * (1 + 1e-9):
        hi = lo * 1.01
    per_nm = lambda v: sea_fuel_per_nm(v, vd, f, 0.0)  # noqa: E731
    assert per_nm(hi) > per_nm(lo)
    # cubic law: per-nm fuel scales as v^2
    assert float(per_nm(hi) / per_nm(lo)) == pytest.approx((hi / lo) ** 2, rel=1e-9)


@given(x1=st.floats(0, 1), x2=st.floats(0, 1), aux=st.floats(0.5, 15))
def test_total_fuel_per_nm_increases_above_economic_speed(x1, x2, aux):
    """Above v* = (aux / 2k)^(1/3), where d/dv (k v^2 + aux / v) = 0, faster burns more per nm.

    Speeds are drawn between v* and 30 knots directly (no rejection, so no health-check flakes).
    """
    vd, f = 23.0, 225.0
    k = f / vd**3
    v_star = (aux / (2 * k)) ** (1 / 3)
    lo, hi = sorted((x1, x2))
    v1 = v_star * 1.001 + lo * (30.0 - v_star)
    v2 = v1 * 1.001 + (hi - lo) * (30.0 - v1)
    assert sea_fuel_per_nm(v2, vd, f, aux) > sea_fuel_per_nm(v1, vd, f, aux)


@given(fuel=nonneg, c1=nonneg, c2=nonneg)
def test_carbon_cost_linear_in_carbon_price(fuel, c1, c2):
    co2 = costs.co2_t(fuel, 3.114)
    total = costs.carbon_cost_usd(co2, c1 + c2)
    assert float(total) == pytest.approx(float(costs.carbon_cost_usd(co2, c1) + costs.carbon_cost_usd(co2, c2)),
                                         rel=1e-12, abs=1e-9)
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
    lost = costs.spoilage_usd(value, d > shelf)
    assert np.all(lost[d <= shelf] == 0)
    assert np.all(lost[d > shelf] == value)


@given(value=nonneg, r1=st.floats(0, 0.1), r2=st.floats(0, 0.1))
def test_settlement_fee_linear(value, r1, r2):
    assert float(costs.settlement_fee_usd(value, r1 + r2)) == pytest.approx(
        float(costs.settlement_fee_usd(value, r1) + costs.settlement_fee_usd(value, r2)), rel=1e-12, abs=1e-9
    )


def test_broadcasting_shapes():
    speed = np.array([14.0, 16.0, 17.0, 20.0])  # (4,)
    assert costs.main_engine_fuel_t_per_day(speed, 23, 225).shape == (4,)
    assert costs.inventory_carrying_usd(np.full((3, 1), 6e4), 0.08, speed).shape == (3, 4)
    t = catalogue.chokepoints()["panama"].toll
    assert costs.canal_toll_usd(t, [4500, 14000], [4000, 12000], [100, 500]).shape == (2,)


# ------------------------------------------------------------------- tariffs
def test_fta_exemption_and_mfn():
    # China-Peru FTA covers blueberries: zero; Argentina (no FTA) pays the MFN rate
    mfn = catalogue.trade().tariffs[("CN", "blueberries")].rate.value
    assert catalogue.trade().rate("CN", "blueberries", "PE") == 0.0
    assert catalogue.trade().rate("CN", "blueberries", "AR") == mfn == 0.30
    assert catalogue.trade().rate("CN", "cherries", "CL") == 0.0
    assert catalogue.trade().rate("CN", "cherries", "US") > 0
    # an FTA not yet in force gives no preference
    assert catalogue.trade().rate("CN", "copper_cathode", "EC", on=dt.date(2024, 4, 30)) == catalogue.trade().rate("CN", "copper_cathode", "AR")
    # same country: no import duty
    assert catalogue.trade().rate("CN", "blueberries", "CN") == 0.0
    with pytest.raises(UnknownNameError):
        catalogue.trade().rate("CN", "evs", "BR")


def test_brazil_ev_tariff_schedule():
    r = lambda y, m, d: catalogue.trade().rate("BR", "evs", "CN", on=dt.date(y, m, d))  # noqa: E731
    assert r(2023, 12, 31) == 0.0
    assert r(2024, 1, 1) == 0.10
    assert r(2024, 7, 1) == 0.18
    assert r(2025, 7, 1) == 0.25
    assert r(2026, 6, 30) == 0.25
    assert r(2026, 7, 1) == 0.35
    assert catalogue.trade().rate("MX", "evs", "CN", on=dt.date(2026, 1, 1)) == 0.50
