"""The compiled Plan (routesim.plan): complete, immutable, and every figure resolved once."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routesim import catalogue
from routesim.disruptions import servers_after, withdrawn_servers
from routesim.engines.des.disruptions import servers_at
from routesim.errors import ScenarioError
from routesim.plan import FrozenMap, Window, compile_plan
from routesim.queueing import CongestionModel, mmc_mean_wait

from conftest import MANZANILLO, PANAMA, small_scenario


def test_the_plan_is_immutable(study_plan):
    with pytest.raises(dataclasses.FrozenInstanceError):
        study_plan.name = "other"
    with pytest.raises(TypeError):
        study_plan.ports["XXXXX"] = study_plan.ports["PECHY"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        study_plan.routes["chancay_direct"].segments[0].speed_kn = 20.0
    assert isinstance(study_plan.routes, FrozenMap)
    again = pickle.loads(pickle.dumps(study_plan.routes))
    assert list(again) == list(study_plan.routes)


def test_every_port_of_every_rotation_is_compiled(study_plan):
    """The discrete-event engine sails whole rotations: the Plan holds each of their ports."""
    for svc in study_plan.services.values():
        for code in svc.rotation:
            assert code in study_plan.ports, (svc.id, code)
    # the pendulum calls at Yokohama although no route starts or ends there
    assert "JPYOK" in study_plan.ports


def test_the_plan_holds_the_run_options(study_plan):
    assert study_plan.options.seed == 42
    assert study_plan.horizon_days == study_plan.options.horizon_days
    assert study_plan.options.des_replications >= 1


def test_segments_carry_their_schedule_fuel_and_tolls():
    plan = compile_plan(small_scenario(routes={"m": MANZANILLO}))
    seg = plan.routes["m"].segments[0]
    assert seg.scheduled_days > 0 and seg.main_fuel_t_per_day > 0
    # the round voyage transits Panama both ways: each transit pays the catalogue's toll for the
    # ship's capacity and that leg's load (the loaded crossing pays more than the light one)
    via = compile_plan(small_scenario(routes={"p": PANAMA}))
    voy = via.routes["p"].segments[0].voyage
    assert voy.legs == (("BRSSZ", "CNSHA"), ("CNSHA", "BRSSZ")) and voy.direction == (-1, 1)
    assert voy.canal_usd > 2 * 500_000 and voy.canal_draws == ()
    fixed = compile_plan(small_scenario(routes={"p": PANAMA}, costs={"canal_toll_usd": {"panama": 400_000}}))
    voy = fixed.routes["p"].segments[0].voyage
    assert voy.canal_usd == 0.0 and [d.mean for d in voy.canal_draws] == [400_000, 400_000]


def test_a_missing_tariff_is_missing_not_zero():
    plan = compile_plan(small_scenario(routes={"m": MANZANILLO}, cargo={"commodity": "general_cargo"}))
    cargo = plan.routes["m"].cargo
    assert cargo.tariff_rate is None
    assert "no tariff line" in cargo.tariff_missing and "general_cargo" in cargo.tariff_missing
    known = compile_plan(small_scenario(routes={"m": MANZANILLO}, cargo={"commodity": "general_cargo"},
                                        costs={"tariff_rate": 0.1}))
    assert known.routes["m"].cargo.tariff_rate == 0.1 and known.routes["m"].cargo.tariff_missing == ""


def test_berths_change_the_wait_at_the_port_s_traffic():
    """Traffic is the port's: fewer berths for the same ships mean longer waits, more mean shorter."""
    base = compile_plan(small_scenario(routes={"m": MANZANILLO})).ports["MXZLO"]
    more = compile_plan(small_scenario(routes={"m": MANZANILLO},
                                       ports={"MXZLO": {"berths": base.berths + 2}})).ports["MXZLO"]
    assert more.utilisation < base.utilisation
    assert more.berth_wait_days.mean < base.berth_wait_days.mean
    assert more.scheduled_wait_days == base.scheduled_wait_days  # schedules keep the normal wait
    assert base.scheduled_wait_days == base.berth_wait_days.mean
    assert base.berth_wait_days.mean == pytest.approx(float(catalogue.ports()["MXZLO"].anchorage_wait_days.value))
    with pytest.raises(ScenarioError, match="ports.MXZLO"):
        compile_plan(small_scenario(routes={"m": MANZANILLO}, ports={"MXZLO": {"berths": 1}}))


def test_a_berth_wait_override_leaves_the_schedule():
    plan = compile_plan(small_scenario(routes={"m": MANZANILLO}, ports={"PECLL": {"berth_wait_days": 3.0}}))
    p = plan.ports["PECLL"]
    assert p.berth_wait_days.mean == 3.0
    assert p.scheduled_wait_days == pytest.approx(float(catalogue.ports()["PECLL"].anchorage_wait_days.value))
    assert p.utilisation > compile_plan(small_scenario(routes={"m": MANZANILLO})).ports["PECLL"].utilisation


def test_canal_capacity_keeps_the_traffic_and_refuses_zero():
    route = {"p": PANAMA}
    base = compile_plan(small_scenario(routes=route)).chokepoints["panama"]
    more = compile_plan(small_scenario(routes=route, chokepoints={"panama": {"capacity_per_day": 40}})).chokepoints["panama"]
    assert more.utilisation < base.utilisation and more.wait_days.mean < base.wait_days.mean
    assert more.background_per_day == base.background_per_day
    busy = compile_plan(small_scenario(routes=route, chokepoints={"panama": {"demand_per_day": 35.5}})).chokepoints["panama"]
    assert busy.background_per_day == 35.5 and busy.wait_days.mean > base.wait_days.mean
    for bad in ({"capacity_per_day": 0}, {"capacity_per_day": 0.5}, {"demand_per_day": 40}):
        with pytest.raises(ScenarioError, match="chokepoints.panama"):
            compile_plan(small_scenario(routes=route, chokepoints={"panama": bad}))


def test_engine_only_inputs_are_recorded():
    plan = compile_plan(small_scenario(routes={"m": {**MANZANILLO, "demand_teu_per_week": 50}},
                                       chokepoints={"panama": {"booked_share": 0.8}}))
    paths = {p for p, _, _ in plan.engine_only}
    assert paths == {"routes.m.demand_teu_per_week", "chokepoints.panama.booked_share"}
    assert all("routes.m.demand_teu_per_week" not in m for m in plan.ignored_by("des"))
    assert any("routes.m.demand_teu_per_week" in m for m in plan.ignored_by("montecarlo"))


# ---------------------------------------------------------------- one rule for a capacity cut
@settings(max_examples=300, deadline=None)
@given(c=st.integers(1, 200), f=st.floats(0.0001, 1.0))
def test_both_engines_keep_the_same_servers_for_any_cut(c, f):
    w = Window("capacity", "X", 0.0, 10.0, factor=f)
    kept_mc = CongestionModel(c, 0.5, 1.0, 1.0).servers_after(f)
    kept_des = servers_at(c, (w,), 5.0)
    assert kept_mc == kept_des == c - withdrawn_servers(c, w) == servers_after(c, f)
    assert 1 <= kept_mc <= c
    assert abs(kept_mc - c * f) <= 0.5 or kept_mc == 1


def test_the_drought_keeps_22_of_36_slots():
    assert servers_after(36, 0.611) == 22
    assert servers_at(36, (Window("capacity", "panama", 0, 10, factor=0.611),), 1.0) == 22


def test_mmc_wait_distribution_mean_is_erlang_c():
    from routesim.plan import mmc_wait_distribution

    for c, rho in ((1, 0.5), (4, 0.8), (23, 0.95)):
        assert mmc_wait_distribution(c, rho, 0.7).mean == pytest.approx(mmc_mean_wait(c, rho, 0.7), rel=1e-12)


def test_open_ended_disruptions_last_to_the_end_of_the_study():
    plan = compile_plan(small_scenario(disruptions=[{"kind": "closure", "where": "CNSHA", "from_day": 10}]))
    (w,) = plan.windows
    assert (w.start, w.end) == (10.0, plan.horizon_days)
    with pytest.raises(ScenarioError, match=r"disruptions\[0\].from_day: day 60 is not in the study window"):
        compile_plan(small_scenario(disruptions=[{"kind": "closure", "where": "CNSHA", "from_day": 60}]))
