"""Where a sweep's points run: this process, local worker processes or Dask.

Every executor calls the same function, :func:`run_point`, on the same plain
data: the point's complete scenario as a mapping (already validated in the
calling process), engine, replications and seed. Workers never receive Python
objects, only that data, and return JSON records; the caller assembles the table
in point order (never in completion order). So ``serial``, ``processes`` and
``dask`` give bit-identical tables on the same installation (a remote Dask cluster
must run the same routesim and numpy).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from .._run import run_scenario
from ..errors import RoutesimError
from ..scenario import Scenario
from .store import POINT_FORMAT

__all__ = ["EXECUTORS", "check_executor", "run_point", "execute"]

EXECUTORS = ("serial", "processes", "dask")
"""Executor names: this process; ``concurrent.futures`` worker processes (``spawn``); ``dask.distributed``."""


def check_executor(executor: str, workers: int | None, dask_address: str | None) -> None:
    """Refuse an unknown executor and options that do not apply to it (a :class:`RoutesimError`)."""
    if executor not in EXECUTORS:
        raise RoutesimError(f"unknown executor '{executor}' ({', '.join(EXECUTORS[:-1])} or {EXECUTORS[-1]})")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise RoutesimError(f"workers must be a whole number >= 1, got {workers!r}")
    if workers is not None and (executor == "serial" or dask_address):
        raise RoutesimError("workers applies to the 'processes' executor and to a local Dask cluster")
    if dask_address and executor != "dask":
        raise RoutesimError("a Dask scheduler address needs executor 'dask'")


def run_point(task: Mapping[str, Any]) -> dict:
    """Run one point from plain data (a :attr:`Sweep.tasks <routesim.sweeps.Sweep.tasks>` item);
    return its JSON record.

    This is the only function executors call, in whatever process: it needs
    nothing but the task, so every executor computes the same numbers.
    """
    source = "<sweep point>"
    try:
        scenario = Scenario.from_dict(task["scenario"], source=source)
        results = run_scenario(scenario, engine=task["engine"], replications=task["replications"],
                               seed=task["seed"])
    except RoutesimError as exc:  # a plain RoutesimError pickles back from any worker intact
        lines = [line.removeprefix(f"{source}:1:1: ") for line in str(exc).splitlines()]
        raise RoutesimError("\n".join(f"point ({task['label']}): {line}" for line in lines)) from None
    return {"format": POINT_FORMAT, "key": task["key"], "overrides": task["overrides"], "engine": task["engine"],
            "replications": task["replications"], "seed": task["seed"],
            "results": json.loads(results.to_json())}


def execute(tasks: list[dict], executor: str, workers: int | None, dask_address: str | None) -> Iterator[dict]:
    """Records of ``tasks`` as they finish; closing the generator cancels what has not started.

    Parameters
    ----------
    tasks : list of dict
        The points to run (:attr:`Sweep.tasks <routesim.sweeps.Sweep.tasks>` items).
    executor : {"serial", "processes", "dask"}
        See :data:`EXECUTORS` (checked by :func:`check_executor`).
    workers : int, optional
        Worker processes, or local Dask workers; default: the number of CPUs.
    dask_address : str, optional
        A running Dask scheduler; without it a ``LocalCluster`` runs for this call.
    """
    if not tasks:
        return
    if executor == "serial":
        for task in tasks:
            yield run_point(task)
    elif executor == "processes":
        yield from _processes(tasks, workers)
    else:
        yield from _dask(tasks, workers, dask_address)


def _processes(tasks: list[dict], workers: int | None) -> Iterator[dict]:
    """:func:`run_point` on a ``spawn`` process pool, records in completion order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(tasks)),
                               mp_context=multiprocessing.get_context("spawn"))
    try:
        for future in as_completed([pool.submit(run_point, t) for t in tasks]):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(tasks: list[dict], workers: int | None, dask_address: str | None) -> Iterator[dict]:
    """:func:`run_point` on Dask (the cluster at ``dask_address``, or a local one closed afterwards)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RoutesimError("executor 'dask' needs dask.distributed: pip install 'routesim[dask]'") from None
    cluster = None
    if dask_address:
        try:
            client = Client(dask_address)
        except (OSError, ValueError) as exc:
            raise RoutesimError(f"cannot use the Dask scheduler at '{dask_address}': {exc}") from None
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    futures = []
    try:
        futures = client.map(run_point, tasks, key=[f"routesim-point-{t['key']}" for t in tasks])
        for future in as_completed(futures):
            yield future.result()
    finally:
        if futures:
            client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()
