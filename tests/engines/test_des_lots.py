"""Cargo as lots in the discrete-event engine: loading shares slots as a box-by-box loop would,
every TEU generated is accounted for, the work grows with port calls and not with TEU, and
``engine_stats`` carries the run's size and cargo totals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routesim.engines.des import run_des
from routesim.engines.des.cargo import WHERE
from routesim.engines.des.draws import Streams
from routesim.engines.des.engine import Replication, compile_model
from routesim.engines.des.lots import allocate
from routesim.engines.des.pooled import RESPONSES, TOTALS
from routesim.plan import compile_plan
from routesim.scenario import Scenario


# ---------------------------------------------------------------- loading
def box_by_box(avails, sizes, free):
    """The loop the lots replace: boxes oldest first, each loaded if it fits, else rolled."""
    boxes = sorted(((a, i) for i, run in enumerate(avails) for a in run), key=lambda x: x[0])  # stable: run order
    taken = [0] * len(avails)
    for _, i in boxes:
        if sizes[i] <= free + 1e-9:
            free -= sizes[i]
            taken[i] += 1
    return taken


@settings(max_examples=200, deadline=None)
@given(runs=st.lists(st.tuples(st.lists(st.integers(0, 20), min_size=1, max_size=12), st.sampled_from([0.0, 1.0, 2.0, 3.0])),
                     min_size=1, max_size=4),
       free=st.integers(0, 30))
def test_allocation_matches_a_box_by_box_loop(runs, free):
    avails = [np.sort(np.array(a, dtype=float)) / 4.0 for a, _ in runs]
    sizes = [s for _, s in runs]
    got = allocate(avails, sizes, float(free)).tolist()
    want = box_by_box([a.tolist() for a in avails], sizes, float(free))
    assert got == want
    # what is taken of a run is always its oldest boxes, never more than there are
    assert all(0 <= g <= a.size for g, a in zip(got, avails))


# ---------------------------------------------------------------- conservation of TEU
PACIFIC = ["PECHY", "PECLL", "ECGYE", "COBUN", "CLSAI", "CLVAP"]


@st.composite
def cargo_networks(draw):
    """Small networks that carry demand: tight vessels (rolling), shared services, transshipment."""
    ports = draw(st.lists(st.sampled_from(PACIFIC), min_size=3, max_size=4, unique=True))
    a, b = draw(st.permutations(ports))[:2]
    hub = [p for p in ports if p not in (a, b)][0]
    headway = draw(st.sampled_from([3.5, 7]))
    routes = {"r0": {"origin": a, "destination": b, "vessel": "tiny", "headway_days": headway,
                     "demand_teu_per_week": draw(st.integers(20, 600))}}
    if draw(st.booleans()):  # a second route on the same service: its boxes share the origin yard and the slots
        routes["r1"] = {"origin": a, "destination": b, "vessel": "tiny", "headway_days": headway,
                        "demand_teu_per_week": draw(st.sampled_from(["gamma(mean=150, cv=0.6)", 90]))}
    if draw(st.booleans()):
        routes["r2"] = {"origin": a, "destination": b, "segments": [
            {"to": hub, "vessel": "tiny", "headway_days": 7}, {"vessel": "tiny", "headway_days": 3.5}],
            "demand_teu_per_week": draw(st.integers(10, 300))}
    if draw(st.booleans()):
        routes["probe"] = {"origin": b, "destination": a, "vessel": "tiny", "headway_days": 7}
    data = {
        "name": "cargo network", "seed": draw(st.integers(0, 2**16)), "replications": 1,
        "vessels": {"tiny": {"base": "feeder_2500", "teu": draw(st.sampled_from([60, 300, 2500]))}},
        "cargo": {"commodity": draw(st.sampled_from(["blueberries", "general_cargo"])), "teu": draw(st.sampled_from([1, 2]))},
        "routes": routes, "horizon_days": draw(st.sampled_from([20, 45])),
        "des": {"warmup_days": 7, "independent_sailings": draw(st.booleans())},
    }
    if draw(st.booleans()):
        data["disruptions"] = [{"kind": "closure", "where": a, "from_day": 3, "days": draw(st.sampled_from([3, 12]))}]
    return Scenario.from_dict(data)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=cargo_networks(), stop=st.sampled_from([None, 10.0, 30.0]))
def test_every_teu_is_delivered_in_the_system_or_rolled(s, stop):
    """Found by looking at every yard, vessel and lot: each TEU generated is in exactly one place,
    whether the run stops mid-way (``stop``) or after draining; and the counts agree."""
    rep = Replication(compile_model(compile_plan(s)), Streams(s.seed, 0))
    if stop is None:
        rep.run()
    else:
        rep.env.run(until=stop)
        rep.end = rep.env.now
    found = rep.desk.audit(rep.end)  # raises if a booking is in two places or nowhere
    for rd in rep.desk.routes:
        where = found[rd.name]
        assert sum(where[w] for w in WHERE) == where["generated"] == rd.n * rd.per_record
        assert sum(where[f"{w}_teu"] for w in WHERE) == where["generated_teu"]
        # a box waiting as rolled was left behind at least once; a delivered one has all its lots
        assert rd.done.sum() * rd.per_record == where["finished"]
        assert (rd.lot_of[rd.done] >= 0).all()
    totals = rep.desk.totals()
    assert totals["teu_generated"] == totals["teu_delivered"] + totals["teu_in_system"]
    assert 0 <= totals["teu_rolled"] <= totals["teu_generated"]
    rolled_waiting = sum(found[r]["rolled_teu"] for r in found)
    if rolled_waiting:
        assert sum(rd.rolled_teu for rd in rep.desk.routes) > 0
    # the per-shipment table holds exactly the delivered bookings ready in the study window
    rows = sum(len(cols["ready_day"]) for cols in rep.shipments())  # one row a record
    per = {rd.name: rd.per_record for rd in rep.desk.routes}
    assert rows == sum(c["delivered"] // per[r] for r, c in rep.desk.counts(recorded_only=True).items())


def test_a_tight_vessel_rolls_and_the_totals_say_so():
    s = Scenario.from_dict({
        "name": "tight", "seed": 3, "replications": 1,
        "vessels": {"tiny": {"base": "feeder_2500", "teu": 60}},
        "routes": {"r": {"origin": "PECLL", "destination": "CLSAI", "vessel": "tiny", "headway_days": 7,
                         "demand_teu_per_week": 100}},
        "horizon_days": 60, "des": {"warmup_days": 14}})
    rep = Replication(compile_model(compile_plan(s)), Streams(3, 0))
    rep.run()
    totals = rep.desk.totals()
    assert totals["teu_rolled"] > 0 and totals["teu_in_system"] > 0
    found = rep.desk.audit(rep.end)["r"]
    assert found["rolled"] > 0  # the backlog waits at the origin, left behind by full vessels
    rd = rep.desk.routes[0]
    assert rd.rolled_teu >= totals["teu_rolled"]  # every roll counted there, each TEU once here


# ---------------------------------------------------------------- work grows with calls, not TEU
def test_work_grows_with_port_calls_not_with_teu():
    """Doubling the TEU a week at fixed services doubles the TEU but not the objects the engine makes."""
    def run(demand):
        s = Scenario.from_dict({
            "name": "scale", "seed": 4, "replications": 1, "cargo": {"teu": 1},
            "routes": {"r": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai",
                             "demand_teu_per_week": demand}},
            "horizon_days": 60, "des": {"warmup_days": 21}})
        rep = Replication(compile_model(compile_plan(s)), Streams(4, 0))
        rep.run()
        return rep.desk.totals()["teu_generated"], sum(len(rd.lots) for rd in rep.desk.routes), rep.desk.port_calls

    teu1, lots1, calls1 = run(500)
    teu2, lots2, calls2 = run(1000)
    assert 1.8 < teu2 / teu1 < 2.2
    assert calls1 == calls2
    assert lots2 <= 1.1 * lots1  # one lot per sailing and call, however many boxes it carries
    assert teu1 > 20 * lots1


# ---------------------------------------------------------------- the JSON contract
def test_engine_stats_carry_the_runs_size_and_cargo_totals():
    s = Scenario.from_dict({
        "name": "json", "seed": 2, "replications": 2, "cargo": {"commodity": "blueberries", "teu": 2},
        "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai",
                              "demand_teu_per_week": 300},
                   "relay": {"origin": "PECLL", "destination": "CNSHA", "transship_at": ["MXZLO"],
                             "services": ["wcsa_mexico_feeder", "asia_mexico_express"], "demand_teu_per_week": 100}},
        "horizon_days": 60, "des": {"warmup_days": 21}})
    res = run_des(compile_plan(s), replications=2, seed=2, keep_events=False)
    es = json.loads(res.to_json())["engine_stats"]
    assert set(TOTALS) <= set(es)
    assert es["services"] == len(es["service_stats"]) == 3
    assert es["vessels"] == sum(v["vessels"] for v in es["service_stats"].values()) > 3
    assert es["port_calls"] > 0
    assert es["teu_generated"] == es["teu_delivered"] + es["teu_in_system"]
    assert es["teu_generated"] == 2 * sum(c["generated"] for c in es["cargo"].values())  # 2-TEU bookings
    assert es["teu_delivered"] == 2 * sum(c["delivered"] for c in es["cargo"].values())
    per = {r: c["bookings_per_record"] for r, c in es["cargo"].items()}  # 150 2-TEU bookings a week: records of 2
    assert per == {"direct": 2, "relay": 1}
    assert es["teu_delivered"] == sum(2 * per[r] * n for r, n in res.shipments["route"].value_counts().items())
    assert 0 <= es["teu_rolled"] <= es["teu_generated"]
    assert set(es["responses"]) == set(RESPONSES) and all(isinstance(n, int) and n >= 0 for n in es["responses"].values())


# ---------------------------------------------------------------- the table on demand
def test_the_table_built_on_demand_is_the_one_the_summaries_saw(monkeypatch):
    from routesim.engines.des import tables

    monkeypatch.setattr(tables, "CHUNK", 97)  # many chunks per route and replication
    s = Scenario.from_dict({
        "name": "table", "seed": 6, "replications": 2, "cargo": {"commodity": "blueberries", "teu": 2},
        "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai",
                              "demand_teu_per_week": 200}},
        "horizon_days": 40, "des": {"warmup_days": 14}})
    plan = compile_plan(s)
    now = run_des(plan, replications=2, seed=6, workers=1, keep_shipments=True)
    lazy = run_des(plan, replications=2, seed=6, workers=1)
    never = run_des(plan, replications=2, seed=6, workers=1, keep_shipments=False)
    assert never.shipments is None
    table = lazy.shipments
    assert len(table) > 3 * 97
    import pandas as pd
    pd.testing.assert_frame_equal(now.shipments, table, check_exact=True)
    for res in (lazy, never):  # streamed summaries: counts and means exactly those of the table
        r = res["direct"]
        assert r.n == len(table)
        assert r.metrics["door_days"].mean == pytest.approx(table["door_days"].mean(), rel=1e-12)
    # the spoil events were logged once, from the same rows
    ev = lazy.extra["events"]
    assert (ev["kind"] == "spoil").sum() == int((table["spoiled"] > 0).sum())


# ---------------------------------------------------------------- booking records on busy routes
def _busy(teu_per_week: float) -> Scenario:
    return Scenario.from_dict({
        "name": "busy", "seed": 5, "replications": 1, "cargo": {"commodity": "general_cargo", "kind": "dry"},
        "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai",
                              "demand_teu_per_week": teu_per_week}},
        "horizon_days": 70, "des": {"warmup_days": 21}})


def test_a_busy_route_books_in_records_whose_number_does_not_grow_with_its_teu(monkeypatch):
    """Above RECORDS_PER_WEEK bookings a week a record stands for several bookings: doubling the TEU
    doubles the record's size, not the records; the TEU are all accounted for and the journey is the
    one a box-by-box run gives."""
    from routesim.engines.des import cargo

    runs = {teu: run_des(compile_plan(_busy(teu)), replications=1, seed=5, keep_events=False) for teu in (2000, 4000)}
    rows = {teu: len(r.shipments) for teu, r in runs.items()}
    es = {teu: json.loads(r.to_json())["engine_stats"] for teu, r in runs.items()}
    per = {teu: e["cargo"]["direct"]["bookings_per_record"] for teu, e in es.items()}
    assert per == {2000: 16, 4000: 32}
    assert 0.9 < rows[4000] / rows[2000] < 1.1
    for teu, e in es.items():
        assert e["teu_generated"] == e["teu_delivered"] + e["teu_in_system"]
        assert e["teu_delivered"] == per[teu] * rows[teu]  # 1-TEU bookings, one row a record
        assert e["cargo"]["direct"]["delivered"] == per[teu] * rows[teu]
    monkeypatch.setattr(cargo, "bookings_per_record", lambda *a: 1)
    boxes = run_des(compile_plan(_busy(2000)), replications=1, seed=5, keep_events=False)
    assert len(boxes.shipments) > 10 * rows[2000]
    eb = json.loads(boxes.to_json())["engine_stats"]
    assert abs(eb["teu_generated"] - es[2000]["teu_generated"]) < 0.02 * eb["teu_generated"]
    for metric in ("door_days", "transit_days"):
        a, b = boxes.shipments[metric], runs[2000].shipments[metric]
        assert abs(a.mean() - b.mean()) < 0.3, metric
        assert abs(a.quantile(0.95) - b.quantile(0.95)) < 0.6, metric
