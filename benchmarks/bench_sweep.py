#!/usr/bin/env python
"""Sweep executors side by side: serial, processes and Dask on the same sweep, alternated.

The sweep is scenarios/chancay_vs_callao.yaml (4 routes) over 8 bunker prices, ``N`` Monte
Carlo shipments per route and point. Every round runs each candidate once, in turn (the order
rotates from round to round), so that other load on the machine falls on every candidate alike;
the table gives the median wall time with the min-max over rounds, user and system CPU time of
the whole process tree (``os.times`` of this process and its children; Dask workers are
grandchildren of the nanny and are counted in ``children`` only once they exit), and the
speed-up over serial. Every candidate's table is checked to be identical to the serial one.

Candidates:

* ``serial``: every point in this process;
* ``processes-alone``: ``executor="processes"`` with ``workers`` processes as a sweep alone in its
  process pays it (what ``routesim sweep --executor processes`` does): the worker pool started
  for it and shut down after it, both timed;
* ``processes``: the same on the pool routesim keeps from a sweep before (a notebook, a script of
  several sweeps);
* ``dask-alone``: ``executor="dask"``, a ``LocalCluster`` of ``workers`` single-threaded worker
  processes started for the sweep and closed after it, both timed (``routesim sweep --executor
  dask``: the cluster is closed when the process exits);
* ``dask``: the same on the local cluster routesim keeps from a sweep before;
* ``dask-client``: ``executor=Client(...)`` on a cluster started once, before the rounds (an
  HPC user's situation: the cluster is already up);
* ``dask-default-trim`` (``--dask-default-trim``): a ``LocalCluster`` with Dask's default worker
  environment (``MALLOC_TRIM_THRESHOLD_=65536``), what routesim's Dask executor did before.
* ``dask-profiled`` (``--dask-profiled``): a cluster like the kept one, started once before the rounds,
  whose workers sample their stacks every 10 ms for Dask's profile view (Dask's default, which
  routesim's own cluster turns off: it has no dashboard).

Usage::

    python benchmarks/bench_sweep.py                  # N = 200_000, 3 rounds, 2 workers
    python benchmarks/bench_sweep.py --quick          # N = 50_000, 2 rounds
    python benchmarks/bench_sweep.py -n 400000 --rounds 5 --workers 2
    python benchmarks/bench_sweep.py --dask-default-trim     # also Dask's default malloc trimming
    python benchmarks/bench_sweep.py --dask-profiled         # also Dask's worker profiler on
    python benchmarks/bench_sweep.py --no-dask               # serial and processes only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import commit, parallel_control  # noqa: E402 (sibling script module)

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "chancay_vs_callao.yaml"
BUNKER = [450, 480, 510, 535, 560, 600, 650, 700]


def make_sweep(replications: int):
    import routesim

    return routesim.Sweep.grid(routesim.load_scenario(SCENARIO), {"costs.bunker_usd_per_t": BUNKER},
                               replications=replications, seed=1)


@dataclass
class Alone:
    """A sweep timed alone in a fresh process (``--alone-child``)."""

    seconds: float
    cpu: tuple
    table: object


def alone_run(executor: str, replications: int, workers: int) -> Alone:
    """``executor``'s sweep as the only one of a fresh process: its pool or cluster started for it
    and shut down or closed after it, both timed (the process's start and imports are not)."""
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "table.pkl"
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--alone-child", executor,
                              "-n", str(replications), "--workers", str(workers), "--table", str(table)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        return Alone(r["seconds"], tuple(r["cpu"]), pd.read_pickle(table))


def alone_child(executor: str, replications: int, workers: int, table: str) -> None:
    import importlib

    from routesim import _workers
    from routesim.sweeps import executors

    importlib.import_module("routesim.engines.montecarlo")  # before the clock starts, as for serial

    sweep = make_sweep(replications)
    t0, c0 = time.perf_counter(), os.times()
    res = sweep.run(executor, workers=workers)
    _workers.shutdown()
    executors.close_local_cluster()
    t1, c1 = time.perf_counter(), os.times()
    res.table.to_pickle(table)
    print(json.dumps({"seconds": t1 - t0, "cpu": [c1.user - c0.user + c1.children_user - c0.children_user,
                                                   c1.system - c0.system + c1.children_system - c0.children_system]}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--replications", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--dask-default-trim", action="store_true",
                    help="add a candidate: a LocalCluster with Dask's default MALLOC_TRIM_THRESHOLD_")
    ap.add_argument("--dask-profiled", action="store_true",
                    help="also a local cluster whose workers run Dask's statistical profiler (its default)")
    ap.add_argument("--alone-child", help=argparse.SUPPRESS)
    ap.add_argument("--table", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick:
        args.replications, args.rounds = 50_000, 2
    if args.alone_child:
        alone_child(args.alone_child, args.replications, args.workers, args.table)
        return 0
    import routesim

    sweep = make_sweep(args.replications)
    load0 = os.getloadavg()
    print(f"routesim {routesim.__version__} at {commit()}; Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
    print(f"sweep: {len(sweep)} points x 4 routes x {args.replications:,} shipments; {args.workers} workers; "
          f"{args.rounds} rounds, candidates alternated")
    def alone(executor):
        return lambda: alone_run(executor, args.replications, args.workers)

    candidates = {"serial": lambda: sweep.run("serial"),
                  "processes-alone": alone("processes"),
                  "processes": lambda: sweep.run("processes", workers=args.workers)}
    client = cluster = None
    extra = []  # (client, cluster) of further candidates, closed at the end
    if not args.no_dask:
        from dask.distributed import Client, LocalCluster

        from routesim.sweeps.executors import close_local_cluster, local_cluster

        candidates["dask-alone"] = alone("dask")
        candidates["dask"] = lambda: sweep.run("dask", workers=args.workers)
        if args.dask_default_trim:
            def dask_trim():  # Dask's default worker environment (MALLOC_TRIM_THRESHOLD_=65536)
                env = os.environ.get("MALLOC_TRIM_THRESHOLD_")
                with LocalCluster(n_workers=args.workers, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as c, Client(c) as cl:
                    out = sweep.run(cl)
                if env is None:  # the nanny sets it in this process too: do not pass it on
                    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
                return out

            candidates["dask-default-trim"] = dask_trim
        cluster = local_cluster(args.workers)
        client = Client(cluster)
        candidates["dask-client"] = lambda: sweep.run(client)
        if args.dask_profiled:
            profiled = local_cluster(args.workers, profile=True)
            profiled_client = Client(profiled)
            extra.append((profiled_client, profiled))
            candidates["dask-profiled"] = lambda: sweep.run(profiled_client)
    names = list(candidates)
    print("  warm-up (untimed): a sweep on the kept pool and on every cluster started once, as an earlier sweep "
          "would leave them", flush=True)
    for name in ("processes", "dask", "dask-client", "dask-profiled"):
        if name in candidates:
            candidates[name]()
    times = {k: [] for k in candidates}
    cpu = {k: [] for k in candidates}
    reference = None
    control = []
    try:
        for r in range(args.rounds):
            control.append(parallel_control(args.workers))  # what parallelism the machine gives this round
            print(f"  round {r + 1}: control      {control[-1][0] / control[-1][1]:7.2f}x", flush=True)
            order = names[r % len(names):] + names[: r % len(names)]
            for name in order:
                t0, c0 = time.perf_counter(), os.times()
                res = candidates[name]()
                t1, c1 = time.perf_counter(), os.times()
                if isinstance(res, Alone):  # timed in its own process
                    t0, t1, table, used = 0.0, res.seconds, res.table, res.cpu
                else:
                    table = res.table
                    used = (c1.user - c0.user + c1.children_user - c0.children_user,
                            c1.system - c0.system + c1.children_system - c0.children_system)
                times[name].append(t1 - t0)
                cpu[name].append(used)
                if reference is None and name == "serial":
                    reference = table
                if reference is not None and name != "serial":
                    import pandas as pd

                    pd.testing.assert_frame_equal(reference, table, check_exact=True)
                print(f"  round {r + 1}: {name:<17} {t1 - t0:7.2f} s", flush=True)
    finally:
        for cl, cu in ([(client, cluster)] if client is not None else []) + extra:
            cl.close()
            cu.close()
        if not args.no_dask:
            close_local_cluster()
    load1 = os.getloadavg()
    ser = statistics.median(times["serial"])
    print(f"\nload average at end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}; tables identical to serial\n")
    print("| executor | wall s, median (min-max) | user s | system s | speed-up over serial |")
    print("|---|---|---|---|---|")
    for name in names:
        t = times[name]
        u = statistics.median(c[0] for c in cpu[name])
        s = statistics.median(c[1] for c in cpu[name])
        print(f"| {name} | {statistics.median(t):.2f} ({min(t):.2f}-{max(t):.2f}) | {u:.1f} | {s:.1f} | "
              f"{ser / statistics.median(t):.2f}x |")
    c = [a / b for a, b in control]
    print(f"\ncontrol: {args.workers} pure-Python tasks serial vs on {args.workers} spawned processes, once a round: "
          f"speed-up {statistics.median(c):.2f}x ({min(c):.2f}-{max(c):.2f}), the parallelism the machine gave")
    return 0


if __name__ == "__main__":
    sys.exit(main())
