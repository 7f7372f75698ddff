"""Sweeps on the workers a process keeps: the ``processes`` pool (routesim._workers) and the
local Dask cluster are started by the first sweep and reused by later ones, with the same table.

Runs are small (two points, a few hundred shipments on two routes); nothing here is timed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from routesim import _workers
from routesim.scenario import load_scenario
from routesim.sweeps import Sweep, executors

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sweep():
    base = load_scenario(ROOT / "scenarios" / "chancay_vs_callao.yaml").with_overrides(
        {"routes.callao_via_manzanillo": None, "routes.callao_via_busan": None})
    return Sweep.grid(base, {"costs.bunker_usd_per_t": [450, 650]}, replications=300, seed=7)


@pytest.fixture
def new_local_cluster():
    """The test's Dask sweeps start a local cluster of their own, closed after the test."""
    pytest.importorskip("dask.distributed")
    executors.close_local_cluster()
    yield
    executors.close_local_cluster()


def test_processes_sweeps_share_one_pool(sweep):
    serial = sweep.run("serial").table
    first = sweep.run("processes", workers=2).table
    pool = _workers.pool(2)
    pids = {p.pid for p in pool._processes.values()}
    second = sweep.run("processes", workers=2).table
    assert _workers.pool(2) is pool and {p.pid for p in pool._processes.values()} == pids
    for table in (first, second):
        pd.testing.assert_frame_equal(serial, table, check_exact=True)


def test_dask_sweeps_share_one_local_cluster_until_it_is_closed(sweep):
    pytest.importorskip("dask.distributed")
    serial = sweep.run("serial").table
    executors.close_local_cluster()
    try:
        pd.testing.assert_frame_equal(serial, sweep.run("dask", workers=1).table, check_exact=True)
        client = executors._kept["client"]
        pd.testing.assert_frame_equal(serial, sweep.run("dask", workers=1).table, check_exact=True)
        assert executors._kept["client"] is client and client.status == "running"
    finally:
        executors.close_local_cluster()
    assert not executors._kept and client.status == "closed"


@pytest.mark.skipif(_workers.start_method() != "forkserver", reason="the platform has no forkserver")
def test_local_dask_workers_are_forked_from_the_forkserver(sweep, new_local_cluster):
    """The local cluster's workers are children of routesim's forkserver (not spawned by Dask, which
    would import Dask, routesim and numpy again in each) and start with the engine imported."""
    from multiprocessing import forkserver

    pd.testing.assert_frame_equal(sweep.run("serial").table, sweep.run("dask", workers=2).table, check_exact=True)
    client = executors._kept["client"]
    server = forkserver._forkserver._forkserver_pid
    parents = client.run(lambda: __import__("os").getppid())
    assert len(parents) == 2 and set(parents.values()) == {server}
    imported = client.run(lambda: "routesim.engines.montecarlo" in __import__("sys").modules)
    assert all(imported.values())


@pytest.mark.timeout(300)  # the bug this guards against hung the sweep rather than failing it
def test_des_points_on_workers_run_their_replications_there(sweep, new_local_cluster):
    """A DES point on a ``processes`` or Dask worker runs its replications in that worker (a Dask
    worker is a daemon process and may not start the engine's own worker processes): the same
    table as serially, where each point's replications run on worker processes."""
    des = Sweep.grid(sweep.base.with_overrides({"horizon_days": 120.0, "des.warmup_days": 20.0}),
                     {"costs.bunker_usd_per_t": [450, 650]}, engine="des", replications=2, seed=7)
    serial = des.run("serial").table
    pd.testing.assert_frame_equal(serial, des.run("processes", workers=2).table, check_exact=True)
    pd.testing.assert_frame_equal(serial, des.run("dask", workers=2).table, check_exact=True)
