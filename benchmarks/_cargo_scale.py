"""Section 5 of ``bench_des.py``: how the discrete-event engine's cost grows with port calls and with TEU.

Every point is ``routesim.run(scenario, engine="des", replications=1, workers=1)`` end to end
(compile, booking generation, the run, the per-shipment columns streamed into the summaries,
Results), then reading ``Results.shipments`` (the table, built on first read), on a generated trade year
(:func:`_trade_year.trade_year`), in a fresh process so that its peak memory is its own. The
child resets the kernel's RSS high-water mark after importing routesim and before building the
scenario, and reports the peak during ``routesim.run`` and after the table, the time of each
stage (the engine's ``Replication.run`` and ``accumulate`` are wrapped with timers) and the run's
``engine_stats`` counts. Points are run in rounds, the order rotated each round, and each
point's figures are the medians over the rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["scale_child", "section_cargo_scaling", "POINTS", "QUICK_POINTS"]

from _common import reset_peak_rss, status_kib  # noqa: E402 (a sibling script module)

HERE = Path(__file__).resolve().parent

# (services, TEU a week booked on each service, other ships at the ports); TEU 0: no demand figure
# (probe bookings only). Without other ships the run is the services' own port calls alone, so
# its cost against port calls shows; with them, the ports' published traffic is most of the work.
POINTS = [(10, 600, True), (20, 600, True), (40, 600, True), (40, 1200, True), (40, 2400, True), (40, 0, True),
          (10, 600, False), (20, 600, False), (40, 600, False), (80, 600, False), (40, 1200, False),
          (40, 2400, False)]
QUICK_POINTS = [(5, 600, True), (10, 600, True), (10, 1200, True), (5, 600, False), (10, 600, False),
                (10, 1200, False)]
TRADE = HERE.parent / "scenarios" / "trade_2025.yaml"
"""The trade at scale (issue 13): measured as its own point, with every port's other ships."""


def scale_child(services: int, teu_per_week: float, horizon_days: float, *, background: bool = True,
                scenario_file: str | None = None) -> None:
    """Run one point and print its figures as one JSON line (called in a fresh process).

    ``background=False`` runs without the ports' other ships (a measuring device: every scenario
    has them). ``scenario_file`` runs that file instead of a generated year."""
    import routesim
    from routesim.engines.des import engine as des_engine

    sys.path.insert(0, str(HERE))
    from _trade_year import trade_year

    stages = {"run_s": 0.0, "columns_s": 0.0}

    def timed(fn, key):
        def wrapper(self, *a, **k):
            t = time.perf_counter()
            try:
                return fn(self, *a, **k)
            finally:
                stages[key] += time.perf_counter() - t
        return wrapper

    des_engine.Replication.run = timed(des_engine.Replication.run, "run_s")
    accumulate = des_engine.accumulate

    def columns(*a, **k):
        t = time.perf_counter()
        try:
            return accumulate(*a, **k)
        finally:
            stages["columns_s"] += time.perf_counter() - t

    des_engine.accumulate = columns
    if not background:
        compile_model = des_engine.compile_model

        def without_other_ships(*a, **k):
            model = compile_model(*a, **k)
            model.background_per_day = {}
            return model

        des_engine.compile_model = without_other_ships
    before = status_kib("VmRSS")
    reset = reset_peak_rss()
    t0 = time.perf_counter()
    if scenario_file:
        scenario = routesim.load_scenario(scenario_file)
    elif teu_per_week:
        scenario = trade_year(services, teu_per_week, horizon_days=horizon_days)
    else:
        scenario = _probe_only(trade_year(services, 1.0, horizon_days=horizon_days))
    res = routesim.run(scenario, engine="des", replications=1, workers=1)
    total = time.perf_counter() - t0
    peak = status_kib("VmHWM") if reset else None
    t1 = time.perf_counter()
    n = len(res.shipments)  # the per-shipment table, built on first read
    table_s = time.perf_counter() - t1
    peak_table = status_kib("VmHWM") if reset else None
    es = res.extra["stats"]
    print(json.dumps({
        "services": es["services"], "teu_per_week_per_service": teu_per_week, "background": background,
        "seconds": total, **stages,
        "rss_before_mib": before / 1024 if before else None, "peak_rss_mib": peak / 1024 if peak else None,
        "table_s": table_s, "peak_with_table_mib": peak_table / 1024 if peak_table else None,
        "shipments": n, "events": es["events"],
        **{k: es[k] for k in ("vessels", "port_calls", "teu_generated", "teu_delivered", "teu_rolled")},
    }))


def _probe_only(scenario):
    """The same scenario with no demand figure on any route (probe bookings, which take no slots)."""
    data = scenario.to_dict()
    for r in data["routes"].values():
        r.pop("demand_teu_per_week", None)
    return type(scenario).from_dict(data)


def _child(script: Path, point, horizon: float) -> dict:
    if point == "trade_2025":
        extra = ["--scale-child", "0", "0", "--scenario-file", str(TRADE)]
    else:
        services, teu, background = point
        extra = ["--scale-child", str(services), str(teu), "--horizon", str(horizon)] + ([] if background else
                                                                                          ["--no-background"])
    p = subprocess.run([sys.executable, str(script), *extra], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"point {point} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def _label(point) -> str:
    if point == "trade_2025":
        return "trade_2025.yaml"
    services, teu, background = point
    return f"{services} services x {teu:,} TEU/week" + ("" if background else ", no other ships")


def section_cargo_scaling(log, out: dict, script: Path, *, quick: bool, rounds: int, horizon: float,
                          trade: bool = True) -> None:
    points = (QUICK_POINTS if quick else POINTS) + (["trade_2025"] if trade else [])
    runs: dict = {p: [] for p in points}
    for k in range(rounds):
        order = points[k % len(points):] + points[:k % len(points)]
        for p in order:
            runs[p].append(_child(script, p, horizon))
            r = runs[p][-1]
            log(f"   round {k + 1}: {_label(p)}: {r['seconds']:.1f} s, "
                f"peak {r['peak_rss_mib']:.0f} MiB (load {os.getloadavg()[0]:.1f})")

    def med(p, key):
        return statistics.median(r[key] for r in runs[p])

    log(f"5. routesim.run(engine='des') end to end (then reading Results.shipments, the table) on a generated trade year ({horizon:g} days, 1 replication, "
        f"workers=1, fresh process per point; medians of {rounds} rounds, order rotated)")
    log("   point | port calls | TEU generated | events | shipments | run() s | "
        "env.run s | columns s | peak MiB | table s | peak with table MiB | run() s per 1k calls")
    rows = []
    for p in points:
        first = runs[p][0]
        row = {"point": _label(p), "services": first["services"], "background": first["background"],
               "teu_per_week_per_service": first["teu_per_week_per_service"], "port_calls": first["port_calls"],
               "teu_generated": first["teu_generated"], "teu_rolled": first["teu_rolled"], "events": first["events"],
               "shipments": first["shipments"], "seconds": med(p, "seconds"), "run_s": med(p, "run_s"),
               "columns_s": med(p, "columns_s"), "peak_rss_mib": med(p, "peak_rss_mib"),
               "table_s": med(p, "table_s"), "peak_with_table_mib": med(p, "peak_with_table_mib"),
               "seconds_all": [r["seconds"] for r in runs[p]], "peak_all": [r["peak_rss_mib"] for r in runs[p]]}
        rows.append(row)
        calls = max(1, row["port_calls"]) / 1000
        log(f"   {_label(p)} | {row['port_calls']:10,} | {row['teu_generated']:13,.0f} | "
            f"{row['events']:9,} | {row['shipments']:9,} | {row['seconds']:6.1f} | {row['run_s']:12.1f} | "
            f"{row['columns_s']:9.1f} | {row['peak_rss_mib']:8.0f} | {row['table_s']:7.1f} | "
            f"{row['peak_with_table_mib']:19.0f} | {row['seconds'] / calls:8.2f}")
    out["cargo_scaling"] = {"horizon_days": horizon, "rounds": rounds, "points": rows}
