#!/usr/bin/env python
"""Speed of routesim's discrete-event engine, measured side by side in one run.

    python benchmarks/bench_des.py            # a few minutes
    python benchmarks/bench_des.py --quick    # two repeats of each measurement, fewer vessels and replications
    python benchmarks/bench_des.py --cargo-scaling [--quick] [--rounds N]   # 5. only (tens of minutes)

Prints the machine, then:

1. routesim's DES on a trans-Pacific scenario (scenarios/chancay_vs_callao.yaml, one
   replication of the default study: four Peru-Shanghai routings, six services, eighteen ports
   with their background traffic): SimPy events processed per second.
2. The same count of bare ``env.timeout`` events in plain SimPy, the floor of any SimPy model:
   (a) all in one process; (b) spread over as many concurrent processes as routesim keeps
   events pending on average (a heap of that size is part of the floor of a model that size).
3. For context, plain SimPy's own M/M/c idiom (a Resource request, a timeout, a release per
   ship) at the ports' mean load: what a resource-bound SimPy model costs before any modelling.
4. OpenTNSim against routesim on the same vessels and graph: 10,000 vessels (half to Chancay,
   half to Santos, round voyages from Shanghai, one departure every hour and a half) on a
   14-node graph cut from routesim's sea network. OpenTNSim runs in its own virtual
   environment (benchmarks/.bench_env, created here with pip; git-ignored); if it cannot be
   installed the script says so and prints the rest.

Before these, **0.** the work a user waits for: ``routesim.run(scenario, engine="des")`` end to
end (compile, booking generation, the runs, ``shipments()``, Results) on the same scenario with
``--demand`` TEU a week booked on each route (default 1,000: the four routings together carry
about what Peru ships to China in a week), serially (``workers=1``) and on every core, the latter
twice: as the first run of a fresh process (the worker pool and its forkserver start for it, as on
the command line; the process's own start and imports are not timed) and as a later run (the pool routesim keeps from a run before, as in a notebook or a script of
several runs); plus ``env.run()`` of one replication alone.

With ``--cargo-scaling``, only **5.**: how the cost of a demand-carrying run grows. A generated
trade year (``benchmarks/_trade_year.py``: N weekly Asia-Latin America services of six calls,
two booked routes each) end to end, one fresh process per point, time and peak memory, with
the port calls growing (10, 20, 40 services at 600 TEU a week each) and, at 40 services, the
TEU a week doubling twice (600, 1,200, 2,400: 1.25 to 5 M TEU a year) and none at all (probe
bookings only); the same again without the ports' other ships (10 to 80 services), where the
services' own calls are all the work; and ``scenarios/trade_2025.yaml`` (43 services, 6.2 M TEU;
``--no-trade`` leaves it out); see ``benchmarks/_cargo_scale.py``.

Ratios printed: routesim / bare SimPy events per second (target >= 0.5), OpenTNSim / routesim
wall time (target >= 5) and the parallel speed-up of 0. Every timing is the median (with the
min-max) of ``--repeat`` runs, the candidates alternated, so that other load on the machine
hurts each side alike; the commit and the load average at start and end are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

from _cargo_scale import scale_child, section_cargo_scaling  # noqa: E402 (sibling script module)
from _common import commit, parallel_control  # noqa: E402 (sibling script module)
import simpy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_ENV = HERE / ".bench_env"
# opentnsim 2.2.1 imports pyyaml, IPython and pytz without declaring them as dependencies
OPENTNSIM_PACKAGES = ["opentnsim", "pyyaml", "ipython", "pytz"]
KNOT_M_PER_S = 1852.0 / 3600.0


# ---------------------------------------------------------------- machine
def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "simpy": simpy.__version__, "platform": platform.platform()}


def median_run(runs: list):
    """The median run (``runs`` are tuples ``(seconds, ...)``): the median seconds, the other fields
    of the lower middle run."""
    import statistics

    ordered = sorted(runs, key=lambda r: r[0])
    return (statistics.median(r[0] for r in runs), *ordered[(len(ordered) - 1) // 2][1:])


def spread(runs: list) -> str:
    """``median (min-max)`` of the runs' seconds."""
    t = sorted(r[0] for r in runs)
    return f"{median_run(runs)[0]:.2f} s ({t[0]:.2f}-{t[-1]:.2f})"


# ---------------------------------------------------------------- 0. end to end at realistic volumes
def cargo_scenario(demand: float):
    """scenarios/chancay_vs_callao.yaml with ``demand`` TEU a week booked on each of its four routes."""
    import routesim

    s = routesim.load_scenario(ROOT / "scenarios" / "chancay_vs_callao.yaml")
    return s.with_overrides({f"routes.{r}.demand_teu_per_week": demand for r in s.routes})


def end_to_end(scenario, replications: int, workers: int):
    """``routesim.run(engine="des")`` as a user calls it: compile, bookings, runs, shipments, Results."""
    import routesim

    t0 = time.perf_counter()
    res = routesim.run(scenario, engine="des", replications=replications, workers=workers)
    return time.perf_counter() - t0, len(res.shipments), res


def first_run(demand: float, replications: int, workers: int):
    """``end_to_end`` as the first run of a fresh process (``--first-run-child``: the worker pool
    and its forkserver start for it, as on the command line): (seconds, shipments, digest of the
    results' JSON). The child's start and imports are not timed."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--first-run-child", str(demand),
                          str(replications), str(workers)], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["seconds"], r["shipments"], r["digest"]


def first_run_child(demand: float, replications: int, workers: int) -> None:
    import importlib

    importlib.import_module("routesim.engines.des")  # before the clock starts, as for the serial runs

    scenario = cargo_scenario(demand)
    t, n, res = end_to_end(scenario, replications, workers)
    print(json.dumps({"seconds": t, "shipments": n, "digest": hashlib.sha256(res.to_json().encode()).hexdigest()}))


def env_run_only(scenario, replication: int):
    """One replication's ``rep.run()`` (SimPy ``env.run``) alone: no compile, bookings generated before."""
    from routesim.engines.des.draws import Streams
    from routesim.engines.des.engine import Replication, compile_model
    from routesim.plan import compile_plan

    model = compile_model(compile_plan(scenario))
    rep = Replication(model, Streams(scenario.seed, replication), None)
    t0 = time.perf_counter()
    rep.run()
    return time.perf_counter() - t0, rep.events


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def section_end_to_end(log, out: dict, demand: float, replications: int, rounds: int) -> None:
    """0.: serial, on ``workers`` processes as the first run of a fresh process (what ``routesim run
    --engine des`` pays) and as a later run (the pool kept from the run before), alternated, with
    the pure-Python control once a round."""
    from routesim import _workers

    scenario = cargo_scenario(demand)
    workers = min(os.cpu_count() or 1, replications)
    names = ("serial", "first", "kept")
    runs = {k: [] for k in names}
    alone = []
    control = []
    reference = None
    end_to_end(scenario, 2, workers)  # untimed: the "kept" candidate's pool was started by an earlier run
    for k in range(rounds):
        control.append(parallel_control(workers))
        for name in names[k % 3:] + names[: k % 3]:
            if name == "first":
                t, n, digest = first_run(demand, replications, workers)
            else:
                t, n, res = end_to_end(scenario, replications, 1 if name == "serial" else workers)
                digest = hashlib.sha256(res.to_json().encode()).hexdigest()
            runs[name].append((t, n))
            reference = reference or digest
            assert digest == reference, "results depend on the number of workers"
        alone.append(env_run_only(scenario, k % replications))
    serial = median_run(runs["serial"])
    log(f"0. routesim.run(engine='des') end to end, {demand:,.0f} TEU/week booked on each of 4 routes, "
        f"{replications} replications ({serial[1]:,} shipments recorded), {rounds} rounds alternated; workers "
        f"start from a {_workers.start_method()}")
    log(f"   workers=1 (serial):                       {spread(runs['serial'])}")
    for name, what in (("first", "first run of a fresh process"), ("kept", "pool kept from a run before")):
        log(f"   workers={workers}, {what + ':':<30} {spread(runs[name])}   speed-up "
            f"{serial[0] / median_run(runs[name])[0]:.2f}x (results identical)")
    c_ser = sorted(s / p for s, p in control)
    c_med = _median(c_ser)
    par = median_run(runs["first"])
    log(f"   control, {workers} pure-Python tasks serial vs on {workers} processes (same rounds): speed-up "
        f"{c_med:.2f}x ({c_ser[0]:.2f}-{c_ser[-1]:.2f}): the parallelism the machine gave; routesim's first run "
        f"reached {serial[0] / par[0] / c_med:.0%} of it")
    a = median_run(alone)
    log(f"   env.run() of one replication alone: {spread(alone)} ({a[1]:,} events) = "
        f"{a[0] * replications / serial[0]:.0%} of the serial end-to-end time per replication")
    out["end_to_end"] = {"demand_teu_per_week": demand, "replications": replications, "workers": workers,
                         "start_method": _workers.start_method(),
                         "serial_s": [r[0] for r in runs["serial"]], "parallel_s": [r[0] for r in runs["first"]],
                         "parallel_kept_s": [r[0] for r in runs["kept"]], "env_run_s": [r[0] for r in alone],
                         "speedup": serial[0] / par[0], "speedup_kept": serial[0] / median_run(runs["kept"])[0],
                         "control_speedup": c_ser}


# ---------------------------------------------------------------- 1. routesim on a trans-Pacific scenario
def trans_pacific_model():
    from routesim.engines.des.engine import compile_model
    from routesim.plan import compile_plan
    from routesim.scenario import load_scenario

    return compile_model(compile_plan(load_scenario(ROOT / "scenarios" / "chancay_vs_callao.yaml")))


def routesim_events(model, seed: int = 1):
    """(seconds, events) of one replication's run (the build is not timed)."""
    from routesim.engines.des.draws import Streams
    from routesim.engines.des.engine import Replication
    from routesim.engines.des.log import EventLog

    rep = Replication(model, Streams(seed, 0), EventLog())
    t = time.perf_counter()
    rep.run()
    return time.perf_counter() - t, rep.events


def pending_events(model, seed: int = 1, every: int = 256) -> float:
    """Mean number of events waiting in SimPy's queue during a replication (sampled, untimed)."""
    from routesim.engines.des.draws import Streams
    from routesim.engines.des.engine import Replication

    rep = Replication(model, Streams(seed, 0), None)
    env = rep.env
    sizes = []
    i = 0
    while env.peek() < model.horizon_days:
        env.step()
        i += 1
        if i % every == 0:
            sizes.append(len(env._queue))
    return float(np.mean(sizes))


# ---------------------------------------------------------------- 2. bare SimPy
def bare_timeouts(n: int, processes: int, seed: int = 0):
    """(seconds, events) of ``n`` env.timeout events spread over ``processes`` processes."""
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    per = max(1, n // processes)

    def proc(env, delays):
        for d in delays:
            yield env.timeout(d)

    for _ in range(processes):
        env.process(proc(env, rng.exponential(1.0, per).tolist()))
    t = time.perf_counter()
    env.run()
    return time.perf_counter() - t, processes * per


# ---------------------------------------------------------------- 3. plain SimPy M/M/c
def plain_mmc(ships: int, c: int = 8, rho: float = 0.9, seed: int = 0):
    """(seconds, events) of SimPy's textbook M/M/c: a process per ship, request/timeout/release."""
    env = simpy.Environment()
    berths = simpy.Resource(env, c)
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1.0 / (rho * c), ships).tolist()
    services = rng.exponential(1.0, ships).tolist()

    def ship(env, service):
        with berths.request() as req:
            yield req
            yield env.timeout(service)

    def source(env):
        for gap, service in zip(gaps, services):
            yield env.timeout(gap)
            env.process(ship(env, service))

    env.process(source(env))
    t = time.perf_counter()
    env.run()
    return time.perf_counter() - t, next(env._eid)


# ---------------------------------------------------------------- 4. the 14-node graph
def graph14() -> dict:
    """Shanghai, Chancay, Santos and 11 waypoints of routesim's sea network.

    Each edge joins two kept nodes of routesim's shortest Shanghai-Chancay or Shanghai-Santos
    route; its length is routesim's routed distance between them (the skipped waypoints stay as
    the edge's geometry), so both engines sail the same distances.
    """
    from routesim.network import PortNetwork

    net = PortNetwork.default()
    keep = {"CNSHA", "PECHY", "BRSSZ", "pac_zhoushan_e",
            "pac_korea_strait_w", "pac_tsugaru_e", "pac_np_49n_180", "pac_np_40n_130w", "pac_san_lucas_s",
            "pac_natuna_s", "ind_sunda_s", "ind_40s_40e", "atl_40s_20w", "atl_santos_app"}
    nodes, edges = {}, {}
    for dest in ("PECHY", "BRSSZ"):
        route = net.route("CNSHA", dest)
        path = list(route.nodes)
        for n in path:
            if n in keep:
                nodes[n] = (net.graph.nodes[n]["lon"], net.graph.nodes[n]["lat"])
        last, run, via = path[0], 0.0, []
        for a, b in zip(path, path[1:]):
            run += net.graph.edges[a, b]["distance_nm"]
            if b in keep:
                edges[(last, b)] = {"distance_nm": run, "via": via}
                last, run, via = b, 0.0, []
            else:
                via.append([net.graph.nodes[b]["lon"], net.graph.nodes[b]["lat"]])
    assert len(nodes) == 14, sorted(nodes)
    paths = {d: [n for n in net.route("CNSHA", d).nodes if n in keep] for d in ("PECHY", "BRSSZ")}
    return {"nodes": nodes, "edges": [[a, b, e["distance_nm"], e["via"]] for (a, b), e in edges.items()],
            "paths": paths}


def routesim_vessels(graph: dict, vessels: int, headway_days: float, speed_kn: float):
    """(seconds, events, vessels) of routesim's DES moving ``vessels`` vessels over ``graph``.

    Two ad-hoc pendulum services (Shanghai-Chancay, Shanghai-Santos) on a PortNetwork built from
    the 14 nodes; every sailing its own vessel (``des.independent_sailings``); no other ships,
    berths enough for everyone, no lateness or weather noise: vessels sail, call and come back.
    Compiling the plan and building the replication are timed too.
    """
    from routesim import catalogue
    from routesim.engines.des.draws import Streams
    from routesim.engines.des.engine import Replication, compile_model
    from routesim.network import PortNetwork
    from routesim.plan import compile_plan
    from routesim.scenario import Scenario

    t = time.perf_counter()
    waypoints = [{"id": n, "lon": lon, "lat": lat} for n, (lon, lat) in graph["nodes"].items() if n.islower()]
    lanes = [{"from": a, "to": b, "via": via} for a, b, _nm, via in graph["edges"]]
    ports = {c: catalogue.ports()[c] for c in ("CNSHA", "PECHY", "BRSSZ")}
    network = PortNetwork({"waypoints": waypoints, "lanes": lanes}, ports)
    per_route = vessels // 2
    s = Scenario.from_dict({
        "name": "bench", "seed": 1, "replications": 1,
        "routes": {dest: {"origin": "CNSHA", "destination": dest, "vessel": "neopanamax_14000",
                          "speed_kn": speed_kn, "headway_days": headway_days} for dest in ("PECHY", "BRSSZ")},
        "ports": {c: {"berths": 100, "berth_wait_days": 0} for c in ports},  # the most a scenario may give
        "operations": {"lateness_days": 0, "weather_factor": 1},
        "horizon_days": 1, "des": {"warmup_days": 0, "independent_sailings": True},
    })
    model = compile_model(compile_plan(s, network))
    rep = Replication(model, Streams(1, 0), None, sailings=per_route)
    built = time.perf_counter()
    rep.env.run()
    done = time.perf_counter()
    made = sum(len(f.fleet) for f in rep.fleets.values())
    return done - t, rep.events, made, done - built


OPENTNSIM_SCRIPT = textwrap.dedent('''
    import json, sys, time, warnings
    warnings.filterwarnings("ignore")
    spec = json.load(sys.stdin)
    t0 = time.perf_counter()
    import networkx as nx, shapely.geometry, simpy
    import opentnsim.core as core
    graph = nx.DiGraph()
    for n, (lon, lat) in spec["nodes"].items():
        graph.add_node(n, geometry=shapely.geometry.Point(lon, lat))
    for a, b, nm, via in spec["edges"]:
        for u, v in ((a, b), (b, a)):
            graph.add_edge(u, v, length_m=nm * 1852.0)
    env = simpy.Environment()
    env.graph = graph
    Vessel = type("Vessel", (core.Identifiable, core.Movable), {})
    speed = spec["speed_kn"] * 1852.0 / 3600.0
    gap = spec["headway_days"] * 86400.0
    def voyage(env, vessel, start):
        yield env.timeout(start)
        yield from vessel.move()
    paths = list(spec["paths"].values())
    for i in range(spec["vessels"]):
        there = paths[i % 2]
        route = there + there[::-1][1:]
        v = Vessel(env=env, name=f"v{i}", route=route, geometry=graph.nodes[route[0]]["geometry"], v=speed)
        env.process(voyage(env, v, (i // 2) * gap))
    import opentnsim
    built = time.perf_counter()
    env.run()
    done = time.perf_counter()
    print(json.dumps({"seconds": done - t0, "run_seconds": done - built, "events": next(env._eid),
                      "version": opentnsim.__version__}))
''')


def opentnsim_env(log) -> Path | None:
    """The benchmark's own virtual environment with OpenTNSim, created on first use; None if it cannot be."""
    python = BENCH_ENV / "bin" / "python"
    check = [str(python), "-c", "import opentnsim.core"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    log(f"creating {BENCH_ENV.relative_to(ROOT)} with pip install {' '.join(OPENTNSIM_PACKAGES)} ...")
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(BENCH_ENV)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *OPENTNSIM_PACKAGES], check=True,
                       capture_output=True, text=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        log("OpenTNSim could not be installed: " + " ".join(str(detail).split())[-300:])
        return None
    probe = subprocess.run(check, capture_output=True, text=True)
    if probe.returncode != 0:
        log("OpenTNSim installed but does not import: " + " ".join(probe.stderr.split())[-300:])
        return None
    return python


def opentnsim_vessels(python: Path, graph: dict, vessels: int, headway_days: float, speed_kn: float):
    spec = dict(graph, vessels=vessels, headway_days=headway_days, speed_kn=speed_kn)
    out = subprocess.run([str(python), "-c", OPENTNSIM_SCRIPT], input=json.dumps(spec), capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["seconds"], r["events"], r["run_seconds"], r["version"]


# ---------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="two repeats, 2,000 vessels, 2 replications in 0.")
    ap.add_argument("--repeat", type=int, default=None, help="repeats per timing (default 3, 2 with --quick)")
    ap.add_argument("--vessels", type=int, default=None, help="vessels in the OpenTNSim comparison (default 10,000)")
    ap.add_argument("--json", metavar="FILE", help="also write the numbers to FILE")
    ap.add_argument("--demand", type=float, default=1000.0, help="TEU a week booked on each route in 0.")
    ap.add_argument("--replications", type=int, default=None, help="replications in 0. (default 4, 2 with --quick)")
    ap.add_argument("--end-to-end-only", action="store_true", help="measure 0. (and its control) only")
    ap.add_argument("--cargo-scaling", action="store_true", help="measure 5. only: cost against port calls and TEU")
    ap.add_argument("--rounds", type=int, default=None, help="rounds of 5. (default 2, 1 with --quick)")
    ap.add_argument("--horizon", type=float, default=365.0, help="study days of the generated year in 5.")
    ap.add_argument("--no-trade", action="store_true", help="leave scenarios/trade_2025.yaml out of 5.")
    ap.add_argument("--scale-child", nargs=2, type=float, metavar=("SERVICES", "TEU"), help=argparse.SUPPRESS)
    ap.add_argument("--no-background", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--scenario-file", help=argparse.SUPPRESS)
    ap.add_argument("--first-run-child", nargs=3, type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.first_run_child:
        first_run_child(args.first_run_child[0], int(args.first_run_child[1]), int(args.first_run_child[2]))
        return 0
    if args.scale_child:
        scale_child(int(args.scale_child[0]), args.scale_child[1], args.horizon, background=not args.no_background,
                    scenario_file=args.scenario_file)
        return 0
    repeat = args.repeat or (2 if args.quick else 3)
    vessels = args.vessels or (2_000 if args.quick else 10_000)

    def log(msg):
        print(msg, flush=True)

    facts = machine()
    log(f"machine: {facts['cpu']}, {facts['cores']} cores; Python {facts['python']}, numpy {facts['numpy']}, "
        f"simpy {facts['simpy']}")
    load = os.getloadavg()
    log(f"commit {commit()}; load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        + ("" if args.cargo_scaling else f"(timings: median (min-max) of {repeat} alternated runs)"))
    out: dict = {"machine": facts, "repeat": repeat, "commit": commit(), "load_start": load}

    if args.cargo_scaling:
        section_cargo_scaling(log, out, Path(__file__).resolve(), quick=args.quick,
                              rounds=args.rounds or (1 if args.quick else 2), horizon=args.horizon,
                              trade=not args.no_trade)
        out["load_end"] = os.getloadavg()
        log(f"load average at end: {out['load_end'][0]:.2f} {out['load_end'][1]:.2f} {out['load_end'][2]:.2f}")
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=2, default=float) + "\n")
        return 0
    section_end_to_end(log, out, args.demand, args.replications or (2 if args.quick else 4), repeat)
    log("")
    if args.end_to_end_only:
        load = os.getloadavg()
        log(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=2, default=float))
        return 0

    # 1 + 2 + 3, alternated
    model = trans_pacific_model()
    pending = pending_events(model)
    routesim_runs, bare1_runs, bareK_runs, mmc_runs = [], [], [], []
    events = None
    for _ in range(repeat):
        routesim_runs.append(routesim_events(model))
        events = routesim_runs[-1][1]
        bare1_runs.append(bare_timeouts(events, 1))
        bareK_runs.append(bare_timeouts(events, max(1, round(pending))))
        mmc_runs.append(plain_mmc(events // 4))
    rs = median_run(routesim_runs)
    b1 = median_run(bare1_runs)
    bk = median_run(bareK_runs)
    mm = median_run(mmc_runs)
    rate = lambda r: r[1] / r[0]  # noqa: E731
    log("")
    log("1. routesim DES, scenarios/chancay_vs_callao.yaml, one replication (365 + 56 days)")
    log(f"   {rs[1]:,} events in {spread(routesim_runs)} = {rate(rs):,.0f} events/s "
        f"(mean pending events {pending:.0f}; background ships and the scenario's probe bookings)")
    log("2. bare SimPy env.timeout, same count of events")
    log(f"   (a) one process:            {rate(b1):,.0f} events/s   routesim / bare = {rate(rs) / rate(b1):.2f}")
    log(f"   (b) {round(pending)} processes:          {rate(bk):,.0f} events/s   routesim / bare = "
        f"{rate(rs) / rate(bk):.2f}   (target >= 0.5)")
    log("3. plain SimPy M/M/c idiom (process per ship, request + timeout + release), for context")
    log(f"   {rate(mm):,.0f} events/s = {rate(mm) / rate(b1):.2f} of (a), {rate(mm) / rate(bk):.2f} of (b); "
        f"routesim / this = {rate(rs) / rate(mm):.2f}")
    out.update({"routesim": {"seconds": rs[0], "events": rs[1], "events_per_s": rate(rs), "pending": pending},
                "bare_one_process": {"seconds": b1[0], "events": b1[1], "events_per_s": rate(b1)},
                "bare_matched": {"processes": round(pending), "seconds": bk[0], "events": bk[1],
                                 "events_per_s": rate(bk)},
                "plain_mmc": {"seconds": mm[0], "events": mm[1], "events_per_s": rate(mm)},
                "ratio_bare_one_process": rate(rs) / rate(b1), "ratio_bare_matched": rate(rs) / rate(bk)})

    # 4. OpenTNSim vs routesim
    log("")
    graph = graph14()
    headway = 1.5 / 24.0  # one departure on each route every 1.5 hours
    speed = 16.9
    log(f"4. {vessels:,} vessels on a {len(graph['nodes'])}-node Shanghai-Chancay/Santos graph "
        f"({len(graph['edges'])} edges), round voyages at {speed} kn")
    python = opentnsim_env(log)
    routesim_v, otn = [], []
    otn_error = None
    for _ in range(repeat):
        routesim_v.append(routesim_vessels(graph, vessels, headway, speed))
        if python is not None and otn_error is None:
            try:
                otn.append(opentnsim_vessels(python, graph, vessels, headway, speed))
            except RuntimeError as exc:
                otn_error = str(exc)
    rv = median_run(routesim_v)
    log(f"   routesim:  {rv[2]:,} vessels, {rv[1]:,} events, {rv[0]:.2f} s (run alone {rv[3]:.2f} s; "
        f"includes calls at both ends with berths)")
    out["vessels"] = {"graph_nodes": len(graph["nodes"]), "vessels": rv[2],
                      "routesim": {"seconds": rv[0], "run_seconds": rv[3], "events": rv[1]}}
    if python is None:
        log("   OpenTNSim: not installed (see above); no ratio")
    elif otn_error is not None:
        log(f"   OpenTNSim: failed to run: {otn_error}; no ratio")
    else:
        ot = median_run(otn)
        log(f"   OpenTNSim {ot[3]}: {vessels:,} vessels, {ot[1]:,} events, {ot[0]:.2f} s (run alone {ot[2]:.2f} s)")
        log(f"   OpenTNSim / routesim time = {ot[0] / rv[0]:.1f} (target >= 5); run alone {ot[2] / rv[3]:.1f}")
        out["vessels"]["opentnsim"] = {"version": ot[3], "seconds": ot[0], "run_seconds": ot[2], "events": ot[1]}
        out["vessels"]["ratio"] = ot[0] / rv[0]
    out["load_end"] = os.getloadavg()
    log(f"\nload average at end: {out['load_end'][0]:.2f} {out['load_end'][1]:.2f} {out['load_end'][2]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
