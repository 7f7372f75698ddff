"""Panama by lock: the catalogue's locks and drought timeline, the scenario that replays it, each
engine's lock choice, the discrete-event traffic inferred with diversions, and the drought record."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest
import simpy

from routesim import catalogue
from routesim.engines.des.canal import UNBOOKED, Canal, Locks
from routesim.engines.des.canal_traffic import background_for_wait, unbooked_wait
from routesim.engines.des.detours import Detours, canal_detours
from routesim.engines.des.draws import Streams
from routesim.engines.des.engine import Replication, compile_model
from routesim.errors import ScenarioError
from routesim.network import PortNetwork
from routesim.plan import REFERENCE_VESSEL, compile_plan
from routesim.plan.timeline import timeline_windows
from routesim.queueing import priority_utilisation
from routesim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
DROUGHT = ROOT / "scenarios" / "panama_drought.yaml"
LOCKS_TIME = 10.5 / 24


def drought_dict():
    return load_scenario(DROUGHT).to_dict()


# ---------------------------------------------------------------- the record
def test_panama_has_two_sets_of_locks_adding_up_to_its_capacity():
    panama = catalogue.chokepoints()["panama"]
    (pmx, neo) = panama.locks
    assert (pmx.id, neo.id) == ("panamax", "neopanamax")
    assert pmx.slots_per_day.value + neo.slots_per_day.value == panama.capacity_per_day.value == 36
    assert pmx.max_vessel_teu.value == 5000 < neo.max_vessel_teu.value
    for lk in panama.locks:
        assert 0 < lk.booked_share.value <= 1 and lk.slots_per_day.source


def test_the_drought_timeline_cuts_neopanamax_as_it_happened():
    """Neopanamax 10 -> 9 -> ... -> 6 (Dec 2023) -> 7 (16 Jan 2024) and back to 10; Panamax 26 -> 22 -> 16."""
    steps = catalogue.chokepoints()["panama"].timelines["drought_2023"]
    neo = [s.slots["neopanamax"] for s in steps]
    pmx = [s.slots["panamax"] for s in steps]
    assert min(neo) == 6 and min(pmx) == 16 and neo[0] == 10 and (pmx[-1], neo[-1]) == (26, 10)
    dec = next(s for s in steps if s.start == datetime.date(2023, 12, 1))
    assert dec.slots == {"panamax": 16, "neopanamax": 6}
    jan = next(s for s in steps if s.start == datetime.date(2024, 1, 16))
    assert jan.slots["neopanamax"] == 7 and sum(jan.slots.values()) == 24
    assert all(s.source for s in steps)


def test_the_scenario_replays_the_catalogue_timeline():
    """scenarios/panama_drought.yaml's windows are the catalogue's timeline from its start_date."""
    s = load_scenario(DROUGHT)
    plan = compile_plan(s)
    want = timeline_windows(catalogue.chokepoints()["panama"], "drought_2023", s.start_date, float(s.horizon_days))
    got = tuple(w for w in plan.windows if w.where.startswith("panama."))
    assert len(got) == len(want) > 10
    for g, w in zip(got, want):
        assert (g.where, g.start, g.end) == (w.where, w.start, w.end)
        assert g.factor == pytest.approx(w.factor, abs=1e-4)


def test_a_lock_is_a_place_for_disruptions_and_a_typo_is_an_error():
    data = drought_dict()
    data["disruptions"] = [{"kind": "capacity", "where": "panama.neopanamax", "factor": 0.6}]
    assert compile_plan(Scenario.from_dict(data)).windows[0].where == "panama.neopanamax"
    data["disruptions"] = [{"kind": "capacity", "where": "panama.neopanamx", "factor": 0.6}]
    with pytest.raises(ScenarioError, match="panama.neopanamax"):
        Scenario.from_dict(data)


# ---------------------------------------------------------------- each ship its locks
def test_a_ship_uses_the_locks_its_size_needs():
    cp = compile_plan(load_scenario(DROUGHT)).chokepoints["panama"]
    assert cp.lock_for(4500).id == "panamax" and cp.lock_for(8500).id == "neopanamax"
    assert [lk.where for lk in cp.locks] == ["panama.panamax", "panama.neopanamax"]
    assert all(0.8 < lk.utilisation < 1 for lk in cp.locks)


def test_more_capacity_adds_slots_to_both_locks_and_a_cut_is_a_window():
    data = drought_dict()
    data.pop("disruptions")
    data["chokepoints"] = {"panama": {"capacity_per_day": 45}}
    cp = compile_plan(Scenario.from_dict(data)).chokepoints["panama"]
    assert [lk.slots_per_day for lk in cp.locks] in ([33, 12], [32, 13])
    data["chokepoints"] = {"panama": {"capacity_per_day": 22}}
    plan = compile_plan(Scenario.from_dict(data))
    assert [lk.slots_per_day for lk in plan.chokepoints["panama"].locks] == [26, 10]
    (window,) = plan.windows_at("panama")
    assert window.factor == pytest.approx(22 / 36)


def test_des_locks_queue_separately():
    env = simpy.Environment()
    s = Streams(1, 0)
    small = Canal(env, "panama.panamax", 26, LOCKS_TIME, booked_share=0.9, slot_rng=s.rng("a"))
    big = Canal(env, "panama.neopanamax", 10, LOCKS_TIME, booked_share=0.9, slot_rng=s.rng("b"))
    locks = Locks(env, "panama", [("panama.panamax", 5000.0, small), ("panama.neopanamax", 15000.0, big)])
    assert locks.lock_for(4000) is small and locks.lock_for(8500) is big and locks.lock_for(20000) is big

    def go():
        yield from locks.transit(False, teu=8500)

    env.process(go())
    env.run(until=2.0)
    assert len(big.vessel_waits) == 1 and len(small.vessel_waits) == 0 and len(locks.vessel_waits) == 1
    raw = locks.raw(2.0)
    assert set(raw) == {"panama", "panama.panamax", "panama.neopanamax"} and raw["panama"]["slots"] == 36


def test_monte_carlo_cuts_only_the_lock_of_the_ship():
    """A cut of the Panamax locks slows a 4,500 TEU ship and leaves an 8,500 TEU one alone."""
    import routesim

    data = drought_dict()
    data["disruptions"] = [{"kind": "capacity", "where": "panama.panamax", "factor": 0.6, "from_day": 0}]
    base = data["routes"]["yokohama_pecem_panama"]
    seg = dict(base["segments"][0])
    small = {**base, "segments": [{**seg, "vessel": "panamax_4500"}]}
    data["routes"] = {"big": base, "small": small}
    data["des"] = {"responses": {"reroute": False}}  # the canal's own answer: no carrier sends its ship round
    res = routesim.run(Scenario.from_dict(data), replications=3000, seed=3)
    assert res["small"].days_by_kind["canal"] > 5.0
    assert res["big"].days_by_kind["canal"] < 2.0


# ---------------------------------------------------------------- traffic inferred with diversions
@pytest.fixture(scope="module")
def panama_detours():
    speed = float(catalogue.vessel_classes()[REFERENCE_VESSEL].service_speed_kn.value)
    return canal_detours(PortNetwork.default(), "panama", speed)


def test_without_detours_the_inference_is_the_priority_queue():
    assert background_for_wait(36, 0.9, 1.05, None, LOCKS_TIME) == pytest.approx(priority_utilisation(36, 1.05, 0.9) * 36)
    assert unbooked_wait(36, 0.9, priority_utilisation(36, 1.05, 0.9) * 36, None, LOCKS_TIME) == pytest.approx(1.05, rel=0.01)


def test_diversions_need_more_traffic_for_the_same_wait(panama_detours):
    for wait in (1.05, 4.0):
        plain = background_for_wait(36, 0.9, wait, None, LOCKS_TIME)
        with_detours = background_for_wait(36, 0.9, wait, panama_detours, LOCKS_TIME)
        assert with_detours > plain
        assert unbooked_wait(36, 0.9, with_detours, panama_detours, LOCKS_TIME) == pytest.approx(wait, rel=1e-3)


def test_a_wait_the_detours_never_allow_is_an_error():
    short = Detours(np.array([0.5, 1.0]), np.array([0.5, 0.5]))
    with pytest.raises(ScenarioError, match="cannot build up"):
        background_for_wait(36, 0.9, 30.0, short, LOCKS_TIME, where="chokepoints.panama")


@pytest.mark.parametrize("wait", [2.0, 4.0])
def test_simulated_unbooked_waits_follow_the_inferred_traffic(wait, panama_detours):
    """The canal itself, fed the inferred traffic, gives unbooked ships about the wait asked for
    (the queue used to give 1.5 days for 4)."""
    rate = background_for_wait(36, 0.9, wait, panama_detours, LOCKS_TIME)
    means = []
    for r in range(3):
        env = simpy.Environment(initial_time=-100.0)
        s = Streams(5, r)
        canal = Canal(env, "panama", 36, LOCKS_TIME, booked_share=0.9, start=0.0, slot_rng=s.rng("slots"))
        canal.start_traffic(rate, s.rng("traffic"), panama_detours)
        env.run(until=700.0)
        means.append(canal.waits[UNBOOKED].array().mean())
    assert 0.75 * wait < np.mean(means) < 1.35 * wait, means


def test_des_unbooked_override_responds_like_monte_carlo():
    """chokepoints.panama.wait_days 4 for unbooked ships: the DES waits days, not the 1.5 it gave."""
    import routesim

    data = drought_dict()
    data.pop("disruptions")
    data["routes"] = {"p": data["routes"]["yokohama_pecem_panama"]}
    data["horizon_days"] = 200
    data["chokepoints"] = {"panama": {"booked": False, "wait_days": 4.0}}
    data["des"] = {**data.get("des", {}), "responses": {"reroute": False}}  # the canal's own answer, not the carrier's
    res = routesim.run(Scenario.from_dict(data), engine="des", replications=1, seed=2, workers=1)
    panama = res.to_dict()["engine_stats"]["chokepoints"]
    assert 3.0 < panama["panama"]["unbooked"]["queue_wait"]["mean_days"] < 6.5
    assert "panama.neopanamax" in panama
    assert res["p"].days_by_kind["canal"] > 3.0


def test_a_booked_override_draws_the_booked_date_and_leaves_the_traffic():
    data = drought_dict()
    data.pop("disruptions")
    data["routes"] = {"p": data["routes"]["yokohama_pecem_panama"]}
    normal = compile_model(compile_plan(Scenario.from_dict(data))).canals["panama"]
    data["chokepoints"] = {"panama": {"booked": True, "wait_days": 1.0}}
    booked = compile_model(compile_plan(Scenario.from_dict(data))).canals["panama"]
    assert booked.background_per_day == pytest.approx(normal.background_per_day)
    assert booked.booked_wait is not None and booked.booked_wait.mean == pytest.approx(1.0)
    assert [lk.background_per_day for _w, _t, lk in booked.locks] == pytest.approx(
        [lk.background_per_day for _w, _t, lk in normal.locks])


# ---------------------------------------------------------------- the drought record on the DES
@pytest.fixture(scope="module")
def drought_run():
    # the canal against its record with the scenario's own ships queueing as booked (no carrier response:
    # re-routed, blanked or added ships change who queues; tests/engines/test_des_responses.py covers those)
    off = {f"des.responses.{k}": False for k in ("blank_sailings", "added_ships", "rebase", "reroute", "omit_calls")}
    plan = compile_plan(load_scenario(DROUGHT).with_overrides(off))
    model = compile_model(plan)
    rep = Replication(model, Streams(2023, 0))
    rep.env.run(until=plan.options.horizon_days)
    return rep


def test_des_drought_peak_unbooked_waits_are_the_record(drought_run):
    """Dec 2023 - mid-Jan 2024 (days 124-170), 22 slots a day: unbooked waits of 9-11 days (ACP), 11.4
    at the end of Nov; at most 22.8-25 days (American Shipper)."""
    locks = drought_run.canals["panama"]
    peak = np.concatenate([canal.waits_between(UNBOOKED, 124.0, 170.0) for _w, _l, canal in locks.locks])
    assert peak.size > 100
    assert 7.0 <= peak.mean() <= 15.0, peak.mean()
    assert 15.0 <= peak.max() <= 32.0, peak.max()
    # before the deep cuts (Aug-Oct 2023, 32 a day) waits were shorter
    early = np.concatenate([canal.waits_between(UNBOOKED, 20.0, 90.0) for _w, _l, canal in locks.locks])
    assert early.mean() < peak.mean()
