"""Chancay's berths by type, a port's traffic set by its throughput, and scenarios/chancay_growth.yaml
(1.0 -> 1.5 M TEU by year-step: berth occupancy, waits and rolled boxes from each point's engine stats)."""

from __future__ import annotations

from pathlib import Path

import pytest

import routesim
from routesim import catalogue
from routesim.errors import ScenarioError
from routesim.plan import compile_plan
from routesim.scenario import Scenario, load_scenario
from routesim.sweeps.files import load_sweep_file

ROOT = Path(__file__).resolve().parents[1]
GROWTH = ROOT / "scenarios" / "chancay_growth.yaml"
SWEEP = ROOT / "scenarios" / "sweeps" / "chancay_growth.yaml"


def test_chancay_has_2_container_and_2_multipurpose_berths_and_its_capacities():
    p = catalogue.ports()["PECHY"]
    assert p.berths.value == 2 and p.extra["multipurpose_berths"].value == 2
    assert p.extra["capacity_teu"].value == 1_000_000
    assert p.extra["full_build_out_capacity_teu"].value == 1_500_000
    assert p.extra["full_build_out_container_berths"].value == 11
    assert p.annual_teu.value < p.extra["capacity_teu"].value  # the first year's throughput, not capacity
    for fig in (p.berths, *p.extra.values()):
        assert fig.source


def _port(throughput=None, berths=2):
    data = load_scenario(GROWTH).to_dict()
    data["ports"]["PECHY"] = {"berths": berths, **({"throughput_teu_per_year": throughput} if throughput else {})}
    return compile_plan(Scenario.from_dict(data)).ports["PECHY"]


def test_throughput_sets_the_traffic_and_berths_share_it():
    low, high = _port(270_000), _port(1_000_000)
    assert high.utilisation == pytest.approx(low.utilisation * 1_000_000 / 270_000)
    assert high.berth_wait_days.mean > low.berth_wait_days.mean
    built = _port(1_500_000, berths=11)
    assert built.utilisation == pytest.approx(_port(1_500_000).utilisation * 2 / 11)
    assert high.annual_teu == 1_000_000


def test_more_throughput_than_the_berths_can_take_is_an_error():
    with pytest.raises(ScenarioError, match="throughput_teu_per_year"):
        _port(5_000_000, berths=2)


def test_the_growth_sweep_runs_1_to_1_5_million_teu():
    sweep = load_sweep_file(SWEEP)
    thr = [p.get("ports.PECHY.throughput_teu_per_year", 270_000) for p in sweep.points]
    assert thr[0] == 270_000 and 1_000_000 in thr and max(thr) == 1_500_000
    assert any(p.get("ports.PECHY.berths") == 11 for p in sweep.points)
    assert load_scenario(GROWTH).engine == "des"
    for p in sweep.points:  # demand grows with the port: 0.25 x throughput / 52 TEU a week
        t = p.get("ports.PECHY.throughput_teu_per_year", 270_000)
        demand = p.get("routes.chancay_direct.demand_teu_per_week", 1298)
        assert demand == pytest.approx(0.25 * t / 52, abs=1.0)


def _step(throughput, berths, demand):
    data = load_scenario(GROWTH).to_dict()
    data["ports"]["PECHY"] = {"berths": berths, "throughput_teu_per_year": throughput}
    data["routes"]["chancay_direct"]["demand_teu_per_week"] = demand
    data["horizon_days"] = 150
    res = routesim.run(Scenario.from_dict(data), engine="des", replications=1, seed=4, workers=1)
    stats = res.to_dict()["engine_stats"]
    return stats["ports"]["PECHY"], stats["cargo"]["chancay_direct"]


def test_growth_fills_the_berths_and_rolls_boxes_and_the_build_out_relieves_them():
    first, first_cargo = _step(270_000, 2, 1298)
    full, full_cargo = _step(1_500_000, 2, 7212)
    built, _ = _step(1_500_000, 11, 7212)
    assert full["berth_utilisation"] > 2.5 * first["berth_utilisation"]
    assert full["queue_wait"]["mean_days"] > first["queue_wait"]["mean_days"]
    assert built["berth_utilisation"] < 0.5 * full["berth_utilisation"]
    assert built["queue_wait"]["mean_days"] <= full["queue_wait"]["mean_days"]
    # the direct service has ~17,900 TEU a week of slots for this cargo (2 x 8,956): boxes roll when
    # demand outgrows it, as it does past 1.5 M TEU unless carriers add sailings (issue 13 item 3)
    _, over = _step(1_500_000, 2, 20_000)
    assert first_cargo["rolled_teu"] == 0.0 < over["rolled_teu"]
    assert full_cargo["rolled_teu"] < over["rolled_teu"]
