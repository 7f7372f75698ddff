"""``routesim sweep`` starts the local workers' forkserver before it builds the points (issue 16):
only when the points will run on local worker processes, with the modules they need preloaded."""

from __future__ import annotations

import argparse

import pytest

from routesim import _workers, cli


def _args(executor, **kw):
    return argparse.Namespace(**{"executor": executor, "engine": None, "dask_address": None,
                                 "scheduler_file": None, **kw})


@pytest.fixture
def warmed(monkeypatch):
    calls = []
    monkeypatch.setattr(_workers, "warm", lambda preload: calls.append(tuple(preload)))
    return calls


def test_processes_warm_the_forkserver_with_the_executor_and_the_engine(warmed):
    cli._warm_sweep_workers(_args("processes", engine="des"))
    assert warmed == [("routesim.sweeps.executors", "routesim.engines.des")]


def test_serial_warms_nothing(warmed):
    cli._warm_sweep_workers(_args("serial"))
    assert warmed == []


def test_dask_warms_only_for_a_local_cluster(warmed, monkeypatch):
    dask = pytest.importorskip("dask")
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    cli._warm_sweep_workers(_args("dask", dask_address="tcp://127.0.0.1:8786"))
    cli._warm_sweep_workers(_args("dask", scheduler_file="scheduler.json"))
    with dask.config.set({"scheduler-address": "tcp://127.0.0.1:8786"}):
        cli._warm_sweep_workers(_args("dask"))
    assert warmed == []
    cli._warm_sweep_workers(_args("dask"))
    assert warmed == [("distributed", "routesim.sweeps.executors")]
