"""The discrete-event engine end to end: agreement with the Monte Carlo engine, conservation of
cargo, the common Results contract, the event log, rolling, disruptions and reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import routesim
from routesim.engines.des import run_des
from routesim.errors import RoutesimWarning
from routesim.engines.des.disruptions import servers_at
from routesim.engines.des.draws import Streams
from routesim.engines.des.engine import Replication, compile_model
from routesim.engines.montecarlo import run_montecarlo
from routesim.outcomes import SHIPMENT_COLUMNS
from routesim.plan import compile_plan
from routesim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
CHANCAY = ROOT / "scenarios" / "chancay_vs_callao.yaml"


def scenario(**changes) -> Scenario:
    base = {"name": "des test", "seed": 5, "replications": 2,
            "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}},
            "horizon_days": 60, "des": {"warmup_days": 21}}
    base.update(changes)
    return Scenario.from_dict(base)


# ---------------------------------------------------------------- agreement with the Monte Carlo engine
def quiet(route: str, horizon: float) -> Scenario:
    """chancay_vs_callao.yaml with one route, unlimited capacity and no interactions.

    No other ships at any port the services call at (berth waits 0, so no background traffic), no
    demand figure (probe bookings take no slots), and every sailing its own vessel.
    """
    data = load_scenario(CHANCAY).to_dict()
    data["routes"] = {route: data["routes"][route]}
    data["ports"] = {p: {"berth_wait_days": 0} for p in
                     ("PECHY", "CNSHA", "PECLL", "ECGYE", "COBUN", "MXZLO", "CNTAO", "KRPUS")}
    data["horizon_days"] = horizon
    data["des"] = {"warmup_days": 35, "independent_sailings": True}
    return Scenario.from_dict(data)


@pytest.mark.parametrize("route, replications", [("chancay_direct", 300), ("callao_via_manzanillo", 600)])
def test_des_and_montecarlo_give_the_same_transit_days(route, replications):
    plan = compile_plan(quiet(route, horizon=14))
    des = run_des(plan, replications=replications, seed=1, keep_events=False).shipments
    mc = run_montecarlo(plan, replications=40_000, seed=2).shipments
    assert len(des) > 5 * replications
    assert abs(np.median(des["transit_days"]) - np.median(mc["transit_days"])) < 0.25
    # door days add the first sailing, whose timing against the connecting service is one draw
    # per replication: a looser bound
    assert abs(np.median(des["door_days"]) - np.median(mc["door_days"])) < 0.4
    # Shipments of one replication share vessels and the services' relative timing: one per
    # replication gives independent draws for the test.
    one = des.groupby("replication").head(1)
    p = stats.ks_2samp(one["transit_days"], mc["transit_days"]).pvalue
    assert p > 0.01, p
    # where the days go agrees too
    for kind in ("sail", "port_call", "transshipment", "first_sailing"):
        assert abs(des[f"days_{kind}"].mean() - mc[f"days_{kind}"].mean()) < 0.3, kind


def test_the_agreement_test_can_fail():
    """A slower service in the DES only moves the median by far more than the tolerance."""
    base = quiet("chancay_direct", horizon=14)
    slow = base.with_overrides({"services.cosco_chancay_shanghai.speed_kn": 16.0})
    des = run_des(compile_plan(slow), replications=40, seed=1, keep_events=False).shipments
    mc = run_montecarlo(compile_plan(base), replications=20_000, seed=2).shipments
    assert abs(np.median(des["transit_days"]) - np.median(mc["transit_days"])) > 0.25


# ---------------------------------------------------------------- conservation
PACIFIC = ["PECHY", "PECLL", "ECGYE", "COBUN", "CLSAI", "CLVAP", "PEPAI"]


@st.composite
def small_networks(draw):
    ports = draw(st.lists(st.sampled_from(PACIFIC), min_size=2, max_size=4, unique=True))
    routes = {}
    for i in range(draw(st.integers(min_value=1, max_value=2))):
        a, b = draw(st.permutations(ports))[:2]
        demand = draw(st.one_of(st.none(), st.integers(min_value=5, max_value=400),
                                st.sampled_from(["gamma(mean=150, cv=0.6)", "uniform(low=10, high=300)"])))
        hub = [p for p in ports if p not in (a, b)]
        spec = {"origin": a, "destination": b}
        if hub and draw(st.booleans()):
            spec["segments"] = [{"to": hub[0], "vessel": "tiny", "headway_days": draw(st.sampled_from([3.5, 7]))},
                                {"vessel": "feeder_2500", "headway_days": 7}]
        else:
            spec.update({"vessel": "tiny", "headway_days": draw(st.sampled_from([3.5, 7]))})
        if demand is not None:
            spec["demand_teu_per_week"] = demand
        routes[f"r{i}"] = spec
    data = {
        "name": "random network", "seed": draw(st.integers(0, 2**16)), "replications": 1,
        "vessels": {"tiny": {"base": "feeder_2500", "teu": draw(st.sampled_from([60, 200, 800, 2500]))}},
        "cargo": {"commodity": draw(st.sampled_from(["blueberries", "general_cargo"])), "teu": draw(st.sampled_from([1, 2]))},
        "routes": routes,
        "horizon_days": draw(st.sampled_from([20, 40])), "des": {"warmup_days": 7,
                "independent_sailings": draw(st.booleans())},
    }
    if draw(st.booleans()):
        data["disruptions"] = [{"kind": "closure", "where": ports[0], "from_day": 5, "days": draw(st.sampled_from([2, 10]))}]
    return Scenario.from_dict(data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=small_networks())
def test_every_booking_ends_delivered_or_in_the_system(s):
    plan = compile_plan(s)
    rep = Replication(compile_model(plan), Streams(s.seed, 0))
    rep.run()
    found = rep.desk.audit(rep.end)  # raises if a booking is in two places or nowhere
    counted = rep.desk.counts(recorded_only=False)
    for route, where in found.items():
        c = counted[route]
        assert c["generated"] == where["generated"]
        assert c["delivered"] == where["finished"]
        assert c["in_system"] == (where["yard"] + where["rolled"] + where["aboard"] + where["discharging"]
                                  + where["not_ready"])
        assert c["generated"] == c["delivered"] + c["in_system"]
    # and the per-shipment table holds exactly the finished bookings ready in the study window
    rows = sum(len(cols["ready_day"]) for cols in rep.shipments())  # one row a booking record
    rec = rep.desk.counts(recorded_only=True)
    per = {rd.name: rd.per_record for rd in rep.desk.routes}
    assert rows == sum(c["delivered"] // per[r] for r, c in rec.items())


# ---------------------------------------------------------------- the common Results contract
@pytest.fixture(scope="module")
def small_run():
    s = scenario(cargo={"commodity": "blueberries", "teu": 2},
                 routes={"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai",
                                    "demand_teu_per_week": 300},
                         "relay": {"origin": "PECLL", "destination": "CNSHA", "transship_at": ["MXZLO"],
                                   "services": ["wcsa_mexico_feeder", "asia_mexico_express"]}})
    return run_des(compile_plan(s), replications=2, seed=9)


def test_results_have_the_monte_carlo_shape(small_run):
    with pytest.warns(RoutesimWarning, match="routes.direct.demand_teu_per_week is used by the des engine only"):
        mc = run_montecarlo(small_run.plan, replications=2_000, seed=1)
    a, b = small_run.to_dict(), mc.to_dict()
    assert a["engine"] == "des" and a["replications"] == 2
    assert set(a) == set(b) | {"engine_stats"}
    for route in b["routes"]:
        assert set(a["routes"][route]) == set(b["routes"][route])
    assert set(SHIPMENT_COLUMNS) | {"route"} <= set(small_run.shipments.columns)
    json.loads(small_run.to_json())  # plain JSON, no NaN
    assert small_run.summary().index.tolist() == list(small_run.plan.routes)


def test_engine_stats_report_ports_chokepoints_services_and_cargo(small_run):
    st_ = small_run.to_dict()["engine_stats"]
    pechy = st_["ports"]["PECHY"]
    assert 0.5 < pechy["berth_utilisation"] < 1.0
    assert pechy["queue_wait"]["mean_days"] > 0 and pechy["queue_wait"]["p95_days"] >= pechy["queue_wait"]["mean_days"]
    assert {"rolled_teu", "roll_events", "rolled_bookings", "missed_connections"} <= set(st_["cargo"]["direct"])
    svc = st_["service_stats"]["cosco_chancay_shanghai"]
    assert svc["vessels"] == int(np.ceil((svc["round_voyage_days"] + svc["lateness_allowance_days"]) / 3.5))
    assert st_["replications"] == 2 and st_["warmup_days"] == 21


def test_ready_days_are_inside_the_study_window(small_run):
    ready = small_run.shipments["ready_day"]
    assert ready.min() >= 0 and ready.max() < 60


def test_event_log_is_a_time_ordered_table(small_run, tmp_path):
    ev = small_run.extra["events"]
    assert list(ev.columns) == ["time", "replication", "vessel", "place", "kind", "containers", "service", "reason"]
    for _, part in ev.groupby("replication"):
        assert part["time"].is_monotonic_increasing
    kinds = set(ev["kind"].astype(str))
    assert {"arrive", "berth", "depart", "discharge"} <= kinds
    loaded = ev.loc[ev["kind"] == "depart", "containers"].sum()
    discharged = ev.loc[ev["kind"] == "discharge", "containers"].sum()
    assert loaded > 0 and discharged <= loaded + 1e-9
    # every delivery with a share rejected has its spoil event, carrying the TEU rejected
    t = small_run.shipments
    spoil = ev[ev["kind"] == "spoil"]
    assert len(spoil) == int((t["spoiled"] > 0).sum())
    assert spoil["containers"].sum() == pytest.approx((t["spoiled"] * small_run.plan.routes[
        t["route"].iloc[0]].cargo.teu).sum(), rel=1e-9)
    written = small_run.write(tmp_path, figures=False)
    assert (tmp_path / "events.parquet") in written
    assert len(pd.read_parquet(tmp_path / "events.parquet")) == len(ev)


def test_same_seed_same_numbers_other_seed_other_numbers():
    plan = compile_plan(scenario())
    a = run_des(plan, replications=2, seed=3).shipments
    b = run_des(plan, replications=2, seed=3).shipments
    c = run_des(plan, replications=2, seed=4).shipments
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["door_days"].iloc[:20], c["door_days"].iloc[:20])
    # replications are independent runs: their shipments differ
    r0 = a.loc[a["replication"] == 0, "door_days"].to_numpy()
    r1 = a.loc[a["replication"] == 1, "door_days"].to_numpy()
    n = min(len(r0), len(r1))
    assert not np.allclose(r0[:n], r1[:n])


def test_replications_on_worker_processes_match_a_serial_run_bit_for_bit():
    """Shipments, engine statistics and the event log do not depend on the number of processes."""
    data = scenario().to_dict()
    data["routes"]["direct"]["demand_teu_per_week"] = 400
    data["disruptions"] = [{"kind": "closure", "where": "PECHY", "from_day": 10, "days": 4}]
    plan = compile_plan(Scenario.from_dict(data))
    serial = run_des(plan, replications=3, seed=8, workers=1)
    calls = []
    for workers in (2, 3):
        par = run_des(plan, replications=3, seed=8, workers=workers, progress=lambda d, t: calls.append(d))
        pd.testing.assert_frame_equal(serial.shipments, par.shipments, check_exact=True)  # bit for bit
        pd.testing.assert_frame_equal(serial.extra["events"], par.extra["events"], check_exact=True)
        assert par.to_json() == serial.to_json()  # summaries and engine_stats
    assert calls == [1, 2, 3, 1, 2, 3]
    # the scenario's des.workers, and the option's checks
    data["des"]["workers"] = 2
    from_scenario = run_des(compile_plan(Scenario.from_dict(data)), replications=3, seed=8, keep_events=False)
    pd.testing.assert_frame_equal(serial.shipments, from_scenario.shipments, check_exact=True)
    with pytest.raises(routesim.errors.RoutesimError, match="workers"):
        run_des(plan, replications=2, workers=0)


def test_run_passes_workers_to_the_des_only():
    s = scenario()
    assert routesim.run(s, engine="des", replications=1, workers=2).engine == "des"
    with pytest.raises(routesim.errors.RoutesimError, match="workers applies to the discrete-event"):
        routesim.run(s, engine="montecarlo", workers=2)


# ---------------------------------------------------------------- interactions
def test_full_vessels_roll_cargo_to_the_next_sailing():
    """Demand above the slots a sailing offers: cargo rolls and waits longer for its first sailing."""
    def run(teu):
        s = scenario(vessels={"small": {"base": "feeder_2500", "teu": teu}},
                     routes={"r": {"origin": "PECLL", "destination": "CLSAI", "vessel": "small", "headway_days": 7,
                                   "demand_teu_per_week": 100}},
                     horizon_days=60, des={"warmup_days": 14})
        return run_des(compile_plan(s), replications=1, seed=2)

    # 2,500 TEU: others' cargo takes 85 % less our 100 TEU, leaving 475 slots a sailing; 60 TEU: 60 slots
    roomy, tight = run(2500), run(60)
    assert roomy.extra["stats"]["cargo"]["r"]["rolled_teu"] == 0
    cargo = tight.extra["stats"]["cargo"]["r"]
    assert cargo["rolled_teu"] > 0 and cargo["rolled_bookings"] > 0
    assert (tight.extra["events"]["kind"] == "roll").any()
    assert tight["r"].days_by_kind["first_sailing"] > roomy["r"].days_by_kind["first_sailing"] + 3


def test_port_closure_makes_real_queues():
    """A 10-day closure at Chancay: vessels are held, the queue builds and drains, waits go up."""
    normal = run_des(compile_plan(scenario()), replications=2, seed=6)
    closed = run_des(compile_plan(scenario(disruptions=[{"kind": "closure", "where": "PECHY", "from_day": 10,
                                                         "days": 10}])), replications=2, seed=6)
    a = normal.extra["stats"]["ports"]["PECHY"]
    b = closed.extra["stats"]["ports"]["PECHY"]
    assert b["queue_wait"]["mean_days"] > a["queue_wait"]["mean_days"] + 0.5
    assert b["anchorage_max_ships"] > a["anchorage_max_ships"]
    assert b["scenario_vessel_wait"]["p95_days"] > a["scenario_vessel_wait"]["p95_days"]
    assert closed["direct"].metrics["door_days"].mean > normal["direct"].metrics["door_days"].mean


def test_unbooked_vessels_wait_in_a_drought_booked_ones_do_not():
    data = load_scenario(ROOT / "scenarios" / "panama_drought.yaml").to_dict()
    data["routes"] = {"panama": data["routes"]["yokohama_pecem_panama"]}
    data["horizon_days"] = 120
    data["des"] = {"warmup_days": 30}
    # the peak of the drought (Dec 2023: 16 of 26 Panamax and 6 of 10 Neopanamax slots) for the whole run
    data["disruptions"] = [{"kind": "capacity", "where": "panama.panamax", "factor": 16 / 26},
                           {"kind": "capacity", "where": "panama.neopanamax", "factor": 0.6}]
    unbooked = run_des(compile_plan(Scenario.from_dict(data)), replications=1, seed=1, keep_events=False)
    data["chokepoints"] = {"panama": {"booked": True}}
    booked = run_des(compile_plan(Scenario.from_dict(data)), replications=1, seed=1, keep_events=False)
    wu = unbooked.extra["stats"]["chokepoints"]["panama"]["scenario_vessel_wait"]["mean_days"]
    wb = booked.extra["stats"]["chokepoints"]["panama"]["scenario_vessel_wait"]["mean_days"]
    assert wu > 4.0 > 1.0 > wb


def test_cli_runs_the_des_with_the_json_contract(tmp_path):
    from routesim.cli import main

    path = tmp_path / "s.yaml"
    path.write_text(scenario().to_yaml())
    out = tmp_path / "out"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["run", str(path), "--engine", "des", "-n", "1", "--json", "--out", str(out)]) == 0
    doc = json.loads(buf.getvalue())
    assert doc["engine"] == "des" and doc["replications"] == 1
    assert "PECHY" in doc["engine_stats"]["ports"]
    # the JSON contract of issue 13: the run's size and what became of its cargo
    es = doc["engine_stats"]
    assert {"services", "vessels", "port_calls", "teu_generated", "teu_delivered", "teu_rolled", "responses"} <= set(es)
    assert es["services"] == len(es["service_stats"]) and es["port_calls"] > 0
    assert (out / "events.parquet").exists() and (out / "shipments.parquet").exists()


def test_api_run_uses_the_des():
    res = routesim.run(scenario(), engine="des", replications=1)
    assert res.engine == "des" and res["direct"].n > 10


def test_drought_is_expressible_as_a_capacity_figure_or_a_window():
    """capacity_per_day: 22 keeps the traffic of a 36-slot canal (demand comes from the catalogue's
    normal capacity and wait): it is the same drought as a capacity window of 22/36 over the study."""
    data = load_scenario(ROOT / "scenarios" / "panama_drought.yaml").to_dict()
    data["routes"] = {"panama": data["routes"]["yokohama_pecem_panama"]}
    data.pop("disruptions", None)
    normal_plan = compile_plan(Scenario.from_dict(data))
    normal = compile_model(normal_plan).canals["panama"]
    data["chokepoints"] = {"panama": {"booked": False, "capacity_per_day": 22}}
    cut_plan = compile_plan(Scenario.from_dict(data))
    cut = compile_model(cut_plan).canals["panama"]
    assert (normal.slots, cut.slots) == (36, 36)
    (window,) = cut_plan.windows_at("panama")
    assert (window.kind, window.start, window.end) == ("capacity", 0.0, float("inf"))
    assert servers_at(36, (window,), 10.0) == 22
    assert cut.background_per_day == pytest.approx(normal.background_per_day)
    assert 30 < normal.background_per_day < 36
    data["chokepoints"]["panama"]["demand_per_day"] = 20
    assert compile_model(compile_plan(Scenario.from_dict(data))).canals["panama"].background_per_day == 20
