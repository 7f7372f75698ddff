"""Carriers that respond to trouble (routesim.engines.des.responses): each response fires in a
scenario built to trigger it and not in the same scenario without the trouble, is logged with its
reason, is counted in engine_stats.responses and is switched off by its des.responses flag."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pytest

import routesim
from routesim.engines.des import run_des
from routesim.engines.des.log import RESPONSE_KINDS, EventLog
from routesim.engines.des.responses import (demand_dropped, expected_port_delay, omit_pays, rebase_shift,
                                            reroute_pays, too_late)
from routesim.errors import DataError, RoutesimWarning
from routesim.plan import compile_plan
from routesim.plan.responses import SWITCHES, response_params
from routesim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]

CLOSED_SHANGHAI = [{"kind": "closure", "where": "CNSHA", "from_day": 5, "days": 30}]
"""Shanghai shut for a month: the Chancay-Shanghai pendulum's ships are held there and fall behind."""
LOOP = {"loop3": {"vessel": "neopanamax_14000", "rotation": ["PECHY", "PECLL", "CNSHA"], "headway_days": 7}}
CLOSED_CALLAO = [{"kind": "closure", "where": "PECLL", "from_day": 10, "days": 30}]


def scenario(responses: dict | None = None, **changes) -> Scenario:
    base = {"name": "responses", "seed": 5,
            "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}},
            "horizon_days": 100, "des": {"warmup_days": 21, **({"responses": responses} if responses else {})}}
    base.update(changes)
    return Scenario.from_dict(base)


def run(s: Scenario, reps: int = 1):
    return run_des(compile_plan(s), replications=reps, seed=3, workers=1)


def responses(res) -> dict:
    return res.extra["stats"]["responses"]


def rows(res, kind: str):
    ev = res.extra["events"]
    return ev[ev["kind"] == kind]


def drought(horizon: float = 120, route: str = "yokohama_pecem_panama", start: float = 100.0, **changes) -> Scenario:
    data = load_scenario(ROOT / "scenarios" / "panama_drought.yaml").to_dict()
    data["routes"] = {"panama": data["routes"][route]}
    data["horizon_days"] = horizon
    # the drought's timeline from day ``start`` (7 Nov 2023 by default: the peak), cut at the shorter window
    cut = []
    for d in data.get("disruptions", []):
        a, b = max(d.get("from_day", 0.0), start), min(d.get("from_day", 0.0) + d["days"], start + horizon)
        if b > a:
            cut.append({**d, "from_day": a - start, "days": b - a})
    data["disruptions"] = cut
    data["des"] = {"warmup_days": 30}
    data.update(changes)
    return Scenario.from_dict(data)


# ---------------------------------------------------------------- the rules
def test_the_rules_fire_on_their_side_of_the_threshold():
    assert too_late(17.1, 10.0, 7.0, 1.0) and not too_late(16.9, 10.0, 7.0, 1.0)
    assert reroute_pays(6.0, 1.0, 3.0, 1.0) and not reroute_pays(4.9, 1.0, 3.0, 1.0)
    assert not reroute_pays(0.5, 1.0, -4.0, 1.0)   # a shorter way round is not taken without trouble
    assert omit_pays(5.0, 1.0, 7.0, 0.5) and not omit_pays(4.4, 1.0, 7.0, 0.5)
    assert rebase_shift([6, 7, 8, 9, 10, 6.5], 6, 5.1) == 6.0
    assert rebase_shift([6, 7, 8, 9, 10, 5.0], 6, 5.1) == 0.0
    assert not demand_dropped(1000.0, 0.0, 1000.0, 0.8) and demand_dropped(790.0, 0.0, 1000.0, 0.8)
    assert not demand_dropped(700.0, 500.0, 1000.0, 0.8)   # others' cargo is part of the load
    assert not demand_dropped(0.0, 500.0, 0.0, 0.8)        # no bookings expected: nothing to drop


def test_port_delay_to_expect_counts_the_ships_at_anchor_and_closures():
    class FakePort:
        c, windows, at_anchor = 4, (), 8

    assert expected_port_delay(FakePort, 1.5, None, 0.0) == pytest.approx(3.0)
    assert expected_port_delay(FakePort, 1.5, 0.7, 0.0) == 0.7
    plan = compile_plan(scenario(disruptions=CLOSED_SHANGHAI))
    FakePort.windows = plan.windows_at("CNSHA")
    assert expected_port_delay(FakePort, 1.5, None, 15.0) == pytest.approx(20.0)


def test_thresholds_come_from_the_data_file_with_sources(monkeypatch):
    from routesim import catalogue
    from routesim.catalogue import responses as cat

    figures = cat.response_thresholds()
    assert set(figures) == set(cat.RESPONSE_THRESHOLDS)
    assert all(f.source for f in figures.values())
    r = response_params(None)
    assert all(getattr(r, k) for k in SWITCHES)
    assert r.added_ships_limit(8) == 3 and r.added_ships_limit(2) == 2
    raw = catalogue.load_data_file("responses.yaml")
    bad = {"responses": {**raw["responses"], "added_ships_min": {"value": 1.5, "source": "x"}}}
    monkeypatch.setattr(catalogue, "load_data_file", lambda name: bad if name == "responses.yaml" else raw)
    cat.response_thresholds.cache_clear()
    try:
        with pytest.raises(DataError, match=r"responses.yaml: responses.added_ships_min: value must be a whole"):
            cat.response_thresholds()
    finally:
        cat.response_thresholds.cache_clear()


def test_a_response_row_needs_a_response_kind():
    log = EventLog()
    log.respond(1.0, "svc#1", "PECHY", "blank_sailing", "too late")
    with pytest.raises(ValueError, match="not a response kind"):
        log.respond(1.0, "svc#1", "PECHY", "depart", "why")
    other = EventLog()
    other.record(0.5, "x#0", "CNSHA", "arrive")
    other.extend(log)
    df = other.to_frame()
    assert df["reason"].tolist() == ["", "too late"] and df["service"].tolist() == ["x", "svc"]


# ---------------------------------------------------------------- each response, on and off
@pytest.fixture(scope="module")
def closure_runs():
    return {"normal": run(scenario(operations={"lateness_days": 0})),
            "noisy": run(scenario()),
            "closed": run(scenario(disruptions=CLOSED_SHANGHAI)),
            "no_blanks": run(scenario({"blank_sailings": False}, disruptions=CLOSED_SHANGHAI)),
            "no_fleet": run(scenario({"blank_sailings": False, "added_ships": False}, disruptions=CLOSED_SHANGHAI)),
            "none": run(scenario({k: False for k in SWITCHES}, disruptions=CLOSED_SHANGHAI))}


def test_a_service_held_by_a_closure_blanks_sailings_and_adds_ships(closure_runs):
    closed = closure_runs["closed"]
    n = responses(closed)
    assert n["blank_sailing"] >= 3 and n["added_ship"] >= 1
    assert n["added_ship"] <= response_params(None).added_ships_limit(14)
    blanks = rows(closed, "blank_sailing")
    assert (blanks["reason"].str.contains("after sailing")).all() and (blanks["place"] == "PECHY").all()
    assert (blanks["service"] == "cosco_chancay_shanghai").all()
    stats = closed.extra["stats"]["service_stats"]["cosco_chancay_shanghai"]
    base = closure_runs["none"].extra["stats"]["service_stats"]["cosco_chancay_shanghai"]
    assert stats["vessels"] == base["vessels"] + n["added_ship"]
    # fewer late departures than the same closure with carriers that do nothing
    assert stats["departure_lateness"]["mean_days"] < base["departure_lateness"]["mean_days"]


def test_no_trouble_no_response(closure_runs):
    assert sum(responses(closure_runs["normal"]).values()) == 0
    assert not rows(closure_runs["normal"], "blank_sailing").size
    assert sum(responses(closure_runs["noisy"]).values()) <= 1  # 2024's ordinary unreliability: rarely
    assert sum(responses(closure_runs["none"]).values()) == 0


def test_blanks_and_added_ships_are_switchable(closure_runs):
    assert responses(closure_runs["no_blanks"])["blank_sailing"] == 0
    assert responses(closure_runs["no_blanks"])["added_ship"] >= 1
    assert responses(closure_runs["no_fleet"])["added_ship"] == 0


def test_a_run_of_late_departures_rebases_the_schedule(closure_runs):
    n = responses(closure_runs["no_fleet"])
    assert n["rebase"] >= 1
    reb = rows(closure_runs["no_fleet"], "rebase")
    assert reb["reason"].str.contains("re-timed").all()
    off = run(scenario({"blank_sailings": False, "added_ships": False, "rebase": False}, disruptions=CLOSED_SHANGHAI))
    assert responses(off)["rebase"] == 0
    late = closure_runs["no_fleet"].extra["stats"]["service_stats"]["cosco_chancay_shanghai"]["departure_lateness"]
    assert late["mean_days"] < off.extra["stats"]["service_stats"]["cosco_chancay_shanghai"]["departure_lateness"]["mean_days"]


def test_a_closed_call_is_omitted_and_its_cargo_waits():
    route = {"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "loop3"},
             "callao": {"origin": "PECLL", "destination": "CNSHA", "service": "loop3"}}
    normal = run(scenario(services=LOOP, routes=route))
    closed = run(scenario(services=LOOP, routes=route, disruptions=CLOSED_CALLAO))
    kept = run(scenario({"omit_calls": False}, services=LOOP, routes=route, disruptions=CLOSED_CALLAO))
    assert responses(normal)["omitted_call"] == 0 and responses(kept)["omitted_call"] == 0
    assert responses(closed)["omitted_call"] >= 3
    om = rows(closed, "omitted_call")
    assert (om["place"] == "PECLL").all() and om["reason"].str.contains("expected delay").all()
    # the other vessels of the loop are not held at the closed port: Chancay's cargo gets through sooner
    assert closed["direct"].metrics["door_days"].mean < kept["direct"].metrics["door_days"].mean
    assert closed.extra["stats"]["cargo"]["callao"]["in_system"] == 0  # Callao's cargo waited, then sailed


def test_a_drought_reroutes_round_the_cape_when_the_wait_exceeds_the_detour():
    cut = run(drought())
    normal = run(drought(disruptions=[]))
    off = run(drought(des={"warmup_days": 30, "responses": {"reroute": False}}))
    assert responses(cut)["reroute"] >= 5
    assert responses(normal)["reroute"] == 0 and responses(off)["reroute"] == 0
    rr = rows(cut, "reroute")
    assert (rr["place"] == "panama").all() and rr["reason"].str.contains("expected wait").all()
    wait = lambda r: r.extra["stats"]["chokepoints"]["panama"]["scenario_vessel_wait"]["n"]  # noqa: E731
    assert wait(cut) < wait(off)  # rerouted vessels do not queue at the canal
    assert cut["panama"].metrics["door_days"].mean < off["panama"].metrics["door_days"].mean
    # Shanghai-Santos is shorter round the Cape, so any wait beyond the margin sends it round: in normal
    # times (unbooked ships wait some 4-6 days at 36 slots) that is some calls, far fewer than in the drought
    calm = run(drought(horizon=180, route="shanghai_santos_panama", disruptions=[]))
    dry = run(drought(horizon=180, route="shanghai_santos_panama"))

    def share(r):  # re-routed calls over all the calls the loop made at or round the canal
        queued = r.extra["stats"]["chokepoints"]["panama"]["scenario_vessel_wait"]["n"]
        return responses(r)["reroute"] / max(1, queued + responses(r)["reroute"])

    assert share(calm) < 0.3 and share(calm) < share(dry)


def test_demand_that_drops_blanks_a_sailing():
    route = {"r": {"origin": "PECLL", "destination": "CNSHA", "vessel": "feeder_2500", "headway_days": 7,
                   "demand_teu_per_week": 1500, "cargo": {"commodity": "blueberries"}}}
    flat = run(scenario(routes=route, horizon_days=150, start_date="2024-08-01"))
    route["r"]["cargo"]["ready"] = "season"   # the harvest: most of the berries in Oct-Nov, few before
    season = run(scenario(routes=route, horizon_days=150, start_date="2024-08-01"))
    assert responses(flat)["blank_sailing"] == 0
    blanks = rows(season, "blank_sailing")
    assert len(blanks) >= 1 and blanks["reason"].str.startswith("demand").all()


def test_responses_count_the_study_rows_and_reach_the_json(closure_runs):
    res = closure_runs["closed"]
    ev = res.extra["events"]
    study = ev[(ev["time"] >= 0) & ev["kind"].isin(RESPONSE_KINDS)]
    counts = study["kind"].value_counts()
    assert {k: int(counts.get(k, 0)) for k in RESPONSE_KINDS} == responses(res)
    assert res.to_dict()["engine_stats"]["responses"] == responses(res)


def test_the_monte_carlo_engine_warns_it_ignores_the_fleet_switches():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        routesim.run(scenario({"blank_sailings": False, "reroute": False}), engine="montecarlo", replications=200)
    messages = [str(w.message) for w in caught if issubclass(w.category, RoutesimWarning)]
    assert any("des.responses.blank_sailings" in m for m in messages), messages
    assert not any("des.responses.reroute" in m for m in messages), messages  # it re-routes too
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        routesim.run(scenario(), engine="montecarlo", replications=200)
    assert not any("des.responses" in str(w.message) for w in caught)


def test_independent_sailings_model_no_fleet_response():
    res = run(scenario(disruptions=CLOSED_SHANGHAI, des={"warmup_days": 21, "independent_sailings": True}))
    assert sum(responses(res).values()) == 0
    alone = run(drought(des={"warmup_days": 30, "independent_sailings": True}))
    assert responses(alone)["reroute"] >= 5  # re-routing is the Monte Carlo engine's too
    assert sum(responses(alone).values()) == responses(alone)["reroute"]
    assert math.isfinite(res["direct"].metrics["door_days"].mean)


def test_cargo_loaded_at_other_calls_counts_towards_demand():
    # most of the loop's cargo boards at its second call: a voyage's load is what all its calls
    # loaded, so steady demand never looks like a drop
    route = {"chancay": {"origin": "PECHY", "destination": "CNSHA", "service": "loop3", "demand_teu_per_week": 300},
             "callao": {"origin": "PECLL", "destination": "CNSHA", "service": "loop3", "demand_teu_per_week": 1500}}
    small = {"loop3": {**LOOP["loop3"], "vessel": "feeder_2500"}}
    calm = run(scenario(services=small, routes=route, horizon_days=150))
    assert responses(calm)["blank_sailing"] == 0
    route["callao"]["cargo"] = {"commodity": "blueberries", "ready": "season"}  # few berries before October
    fell = run(scenario(services=small, routes=route, horizon_days=150, start_date="2024-08-01"))
    assert responses(fell)["blank_sailing"] >= 1
    assert rows(fell, "blank_sailing")["reason"].str.startswith("demand").all()


def test_the_bookings_a_week_are_what_the_carrier_sees():
    s = scenario(routes={"r": {"origin": "PECLL", "destination": "CNSHA", "vessel": "feeder_2500",
                               "headway_days": 7, "demand_teu_per_week": 1500}})
    rd = next(iter(_desks(s)))
    assert rd.weekly_teu[:-1].sum() < rd.n * rd.teu <= rd.weekly_teu.sum() and rd.t0 == -21.0  # the last week cut at the horizon
    assert rd.booked_teu(-21.0, 7.0) == rd.weekly_teu[1:5].sum()   # weeks beginning in (-21, 7]
    assert rd.booked_teu(-50.0, -21.0) == rd.weekly_teu[0]
    assert rd.booked_teu(7.0, 7.0) == 0.0


def _replication(s: Scenario):
    from routesim.engines.des.draws import Streams
    from routesim.engines.des.engine import Replication, compile_model

    return Replication(compile_model(compile_plan(s)), Streams(s.seed, 0))


def _desks(s: Scenario):
    return _replication(s).desk.routes


def test_cargo_for_an_omitted_call_comes_off_at_the_next_and_goes_back():
    # Shanghai - Callao - Chancay: with Callao shut, the loop's ships sail past it and land its boxes
    # at Chancay, 30 nm on, from where they go back once Callao opens again
    loop = {"loopr": {"vessel": "neopanamax_14000", "rotation": ["CNSHA", "PECLL", "PECHY"], "headway_days": 7}}
    route = {"to_callao": {"origin": "CNSHA", "destination": "PECLL", "service": "loopr"},
             "to_chancay": {"origin": "CNSHA", "destination": "PECHY", "service": "loopr"}}
    shut = [{"kind": "closure", "where": "PECLL", "from_day": 30, "days": 30}]
    s = scenario(services=loop, routes=route, disruptions=shut, horizon_days=120)
    closed = run(s)
    kept = run(scenario({"omit_calls": False}, services=loop, routes=route, disruptions=shut, horizon_days=120))
    om = rows(closed, "omitted_call")
    assert len(om) >= 3 and om["reason"].str.contains("off at the next call").all()
    assert (om["containers"] >= 0).all()
    for res in (closed, kept):
        assert res.extra["stats"]["cargo"]["to_callao"]["in_system"] == 0
    # off at Chancay and back: no box reaches Callao while it is shut (ships arriving in its last
    # half headway call and wait at anchor: the closure's rest no longer pays an omission)
    sh = closed.shipments
    sh = sh[sh["route"] == "to_callao"]
    arrive = sh["ready_day"] + sh["door_days"] - sh["days_destination_dwell"]
    assert not ((arrive > 30.0 + 1e-6) & (arrive < 56.0)).any() and (arrive >= 60.0 - 1e-6).any()
    # the ships held at Callao's anchorage without the response delay Chancay's boxes too
    assert closed["to_chancay"].metrics["door_days"].mean < kept["to_chancay"].metrics["door_days"].mean
    rep = _replication(s)
    rep.run()
    found = rep.desk.audit(rep.end)   # raises if a relayed box is in two places or nowhere
    assert sum(v["generated"] for v in found.values()) == sum(rd.n for rd in rep.desk.routes)
