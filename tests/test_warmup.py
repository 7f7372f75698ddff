"""``routesim sweep`` starts the local workers' forkserver before it builds the points (issue 16,
``routesim._warmup``): only when the points will run on local worker processes, with the modules
they need preloaded; and the one rule for the Dask scheduler a sweep uses."""

from __future__ import annotations

import pytest

from routesim import _warmup, _workers


def _warm(executor, engine=None, dask_address=None, scheduler_file=None):
    _warmup.sweep_workers(executor, engine, dask_address, scheduler_file)


@pytest.fixture
def warmed(monkeypatch):
    calls = []
    monkeypatch.setattr(_workers, "warm", lambda preload: calls.append(tuple(preload)))
    return calls


def test_processes_warm_the_forkserver_with_the_executor_and_the_engine(warmed):
    _warm("processes", engine="des")
    assert warmed == [("routesim.sweeps.executors", "routesim.engines.des")]


def test_serial_warms_nothing(warmed):
    _warm("serial")
    assert warmed == []


def test_dask_warms_only_for_a_local_cluster(warmed, monkeypatch):
    dask = pytest.importorskip("dask")
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    _warm("dask", dask_address="tcp://127.0.0.1:8786")
    _warm("dask", scheduler_file="scheduler.json")
    with dask.config.set({"scheduler-address": "tcp://127.0.0.1:8786"}):
        _warm("dask")
    assert warmed == []
    _warm("dask")
    assert warmed == [("distributed", "routesim.sweeps.executors")]


def test_the_dask_scheduler_a_sweep_uses(monkeypatch):
    dask = pytest.importorskip("dask")
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    assert _warmup.dask_scheduler(None, None) is None  # a local cluster
    assert _warmup.dask_scheduler(None, "scheduler.json") is None  # the file's
    with dask.config.set({"scheduler-address": "tcp://10.0.0.1:8786"}):
        assert _warmup.dask_scheduler(None, None) == "tcp://10.0.0.1:8786"
        assert _warmup.dask_scheduler("tcp://127.0.0.1:9000", None) == "tcp://127.0.0.1:9000"
        assert _warmup.dask_scheduler(None, "scheduler.json") is None
