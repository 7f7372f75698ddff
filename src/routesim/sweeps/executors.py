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
from .._warmup import dask_scheduler, warm_local_cluster
from ..choices import EXECUTORS
from ..engines import engine_module
from ..errors import RoutesimError
from ..scenario import Scenario
from .store import POINT_FORMAT

__all__ = ["EXECUTORS", "check_executor", "run_point", "execute", "local_cluster", "close_local_cluster"]



def check_executor(executor, workers: int | None, dask_address: str | None,
                   scheduler_file: str | None = None) -> None:
    """Refuse an unknown executor and options that do not apply to it (a :class:`RoutesimError`).

    ``executor`` is a name of :data:`EXECUTORS` or a ``dask.distributed.Client``.
    """
    if _is_client(executor):
        if workers is not None or dask_address or scheduler_file:
            raise RoutesimError("a Dask Client executor takes no workers, address or scheduler file")
        return
    if executor not in EXECUTORS:
        raise RoutesimError(f"unknown executor '{executor}' ({', '.join(EXECUTORS[:-1])} or {EXECUTORS[-1]})")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise RoutesimError(f"workers must be a whole number >= 1, got {workers!r}")
    remote = dask_address or scheduler_file
    if workers is not None and (executor == "serial" or remote):
        raise RoutesimError("workers applies to the 'processes' executor and to a local Dask cluster")
    if remote and executor != "dask":
        raise RoutesimError("a Dask scheduler address or file needs executor 'dask'")
    if dask_address and scheduler_file:
        raise RoutesimError("give a Dask scheduler address or a scheduler file, not both")


def _is_client(executor) -> bool:
    """Whether ``executor`` is a ``dask.distributed.Client`` (checked without importing Dask)."""
    return not isinstance(executor, str) and type(executor).__name__ == "Client" and hasattr(executor, "map")


def run_point(task: Mapping[str, Any], on_worker: bool = False) -> dict:
    """Run one point from plain data (a :attr:`Sweep.tasks <routesim.sweeps.Sweep.tasks>` item);
    return its JSON record.

    This is the only function executors call, in whatever process: it needs
    nothing but the task, so every executor computes the same numbers.
    ``on_worker``: the point runs on a worker of the ``processes`` or ``dask`` executor, whose
    points already use the cores: its discrete-event replications then run one after another in
    that worker (the same numbers as on worker processes of their own, which a Dask worker, a
    daemon process, could not start anyway).
    """
    source = "<sweep point>"
    try:
        scenario = Scenario.from_dict(task["scenario"], source=source)
        results = run_scenario(scenario, engine=task["engine"], replications=task["replications"],
                               seed=task["seed"], workers=1 if on_worker and task["engine"] == "des" else None)
    except RoutesimError as exc:  # a plain RoutesimError pickles back from any worker intact
        lines = [line.removeprefix(f"{source}:1:1: ") for line in str(exc).splitlines()]
        raise RoutesimError("\n".join(f"point ({task['label']}): {line}" for line in lines)) from None
    return {"format": POINT_FORMAT, "key": task["key"], "overrides": task["overrides"], "engine": task["engine"],
            "replications": task["replications"], "seed": task["seed"],
            "results": json.loads(results.to_json())}


def execute(tasks: list[dict], executor, workers: int | None, dask_address: str | None,
            scheduler_file: str | None = None) -> Iterator[dict]:
    """Records of ``tasks`` as they finish; closing the generator cancels what has not started.

    Parameters
    ----------
    tasks : list of dict
        The points to run (:attr:`Sweep.tasks <routesim.sweeps.Sweep.tasks>` items).
    executor : {"serial", "processes", "dask"} or dask.distributed.Client
        See :data:`EXECUTORS` (checked by :func:`check_executor`); a ``Client`` runs the points
        on its cluster and is left open.
    workers : int, optional
        Worker processes, or local Dask workers; default: the number of CPUs.
    dask_address : str, optional
        A running Dask scheduler. Without it (and without ``scheduler_file``) Dask's own
        configuration is used (``scheduler-address`` of ``dask.config``, e.g. from
        ``DASK_SCHEDULER_ADDRESS``), else this process's local cluster (:func:`local_cluster`,
        started by the first such call and kept for later ones; :func:`close_local_cluster`).
    scheduler_file : str, optional
        The scheduler file of a running cluster (``dask scheduler --scheduler-file``).
    """
    if not tasks:
        return
    if _is_client(executor):
        yield from _on_client(executor, tasks)
    elif executor == "serial":
        for task in tasks:
            yield run_point(task)
    elif executor == "processes":
        yield from _processes(tasks, workers)
    else:
        yield from _dask(tasks, workers, dask_address, scheduler_file)


def _processes(tasks: list[dict], workers: int | None) -> Iterator[dict]:
    """:func:`run_point` on this process's kept worker pool (:mod:`routesim._workers`), records in
    completion order; closing the generator cancels what has not started."""
    from concurrent.futures import as_completed

    from .._workers import pool as kept_pool

    pool = kept_pool(workers or os.cpu_count() or 1, preload=(__name__, *_engines(tasks)))
    futures = []
    try:
        futures = [pool.submit(run_point, t, True) for t in tasks]
        for future in as_completed(futures):
            yield future.result()
    finally:
        for future in futures:
            future.cancel()


def _engines(tasks: list[dict]) -> tuple[str, ...]:
    """The engine modules ``tasks`` run (for workers to import before their first task)."""
    return tuple(sorted({engine_module(t["engine"]) for t in tasks}))


def _dask(tasks: list[dict], workers: int | None, dask_address: str | None,
          scheduler_file: str | None) -> Iterator[dict]:
    """:func:`run_point` on Dask: the cluster at ``dask_address``, in ``scheduler_file`` or in Dask's
    configuration, or this process's kept local cluster (:func:`close_local_cluster`)."""
    address = dask_scheduler(dask_address, scheduler_file)
    local = not (scheduler_file or address)
    if local:  # the forkserver imports Dask for the local cluster's workers while this process does
        warm_local_cluster(_engines(tasks))
    try:
        from dask.distributed import Client
    except ImportError:
        raise RoutesimError("executor 'dask' needs dask.distributed: pip install 'routesim[dask]'") from None
    if scheduler_file and not os.path.isfile(scheduler_file):  # Dask would wait for it to appear
        raise RoutesimError(f"cannot use the Dask scheduler file '{scheduler_file}': no such file")
    if local:  # this process's kept local cluster: started by the first sweep, reused by later ones
        yield from _on_client(_kept_client(workers or os.cpu_count() or 1, _engines(tasks)), tasks)
        return
    try:
        client = Client(scheduler_file=scheduler_file) if scheduler_file else Client(address)
    except (OSError, ValueError) as exc:
        where = f"scheduler file '{scheduler_file}'" if scheduler_file else f"scheduler at '{address}'"
        raise RoutesimError(f"cannot use the Dask {where}: {exc}") from None
    try:
        yield from _on_client(client, tasks)
    finally:
        client.close()


_kept: dict = {}
"""This process's local Dask cluster: ``cluster``, its ``client`` and its number of ``workers``."""
_atexit = []


def _kept_client(workers: int, preload: tuple[str, ...] = ()):
    """A ``Client`` of this process's :func:`local_cluster` of ``workers`` workers, started on first
    use (or when the one kept has another number of workers or is no longer running) and closed
    when the interpreter exits or by :func:`close_local_cluster`. ``preload``: modules a new
    cluster's workers start with (:func:`local_cluster`)."""
    from dask.distributed import Client

    if _kept and (_kept["workers"] != workers or _kept["client"].status != "running"):
        close_local_cluster()
    if not _kept:
        if not _atexit:
            import atexit

            _atexit.append(atexit.register(close_local_cluster))
        cluster = local_cluster(workers, preload)
        _kept.update(cluster=cluster, client=Client(cluster), workers=workers)
    return _kept["client"]


def close_local_cluster() -> None:
    """Close this process's kept local Dask cluster, if any (the next local ``dask`` sweep starts one)."""
    kept = dict(_kept)
    _kept.clear()
    if kept:
        kept["client"].close()
        kept["cluster"].close()


def local_cluster(workers: int, preload: tuple[str, ...] = (), *, profile: bool = False):
    """A ``dask.distributed.LocalCluster`` of ``workers`` single-threaded worker processes on this
    machine only (127.0.0.1, no dashboard), forked from routesim's forkserver where the platform
    has one, without Dask's default ``MALLOC_TRIM_THRESHOLD_`` and, unless ``profile``, without
    the workers' statistical profiler.
    (For a dashboard, start a cluster and pass its ``Client`` as the executor.)

    Workers start from the ``forkserver`` of :mod:`routesim._workers` (the one the ``processes``
    executor and the discrete-event engine's replications use; started now if none runs, with
    Dask, this module and the modules ``preload`` names imported once), not ``spawn``-ed by Dask:
    a spawned worker imports Dask, routesim, numpy and pandas again, about a second of CPU each on
    the benchmark machine, which a sweep of seconds feels (benchmarks/README.md, "dask-alone"). Dask's
    ``distributed.worker.multiprocessing-method`` is set for the start only; a worker Dask restarts
    later is spawned as usual. (Forked workers share the forkserver's hash seed, as Dask's
    ``PYTHONHASHSEED`` makes spawned ones do; routesim's numbers depend on no hash order.)

    Dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers' environment
    (``distributed.nanny.pre-spawn-environ``). Setting it also fixes glibc's mmap threshold
    at its 128 KiB default, so every NumPy array of a 16,384-shipment block is mapped and
    unmapped again (page faults, zeroing): an 8-point sweep spent 16 s in the kernel against
    0.6 s serially (benchmarks/bench_sweep.py ``--dask-default-trim``). routesim's points free their memory at the end anyway. (A value already in
    this process's environment is still inherited: Dask's nanny writes its setting into the
    process that starts a cluster with the defaults, so a session that did so passes it on.)

    A Dask worker samples the stacks of its threads every 10 ms on its event loop for the
    dashboard's profile view (``distributed.worker.profile``); each sample takes the GIL from the
    thread running the point. This cluster has no dashboard to show the samples, so they are off
    unless ``profile`` (benchmarks/bench_sweep.py ``--dask-profiled`` measures what they cost).
    """
    import dask
    from dask.distributed import LocalCluster

    from .. import _workers

    settings = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                "distributed.worker.profile.enabled": bool(profile)}
    if _workers.start_method() == "forkserver":
        warm_local_cluster(preload)
        settings["distributed.worker.multiprocessing-method"] = "forkserver"
    with dask.config.set(settings):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address=None,  # no dashboard; its health routes on any free local port:
                            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})


def _on_client(client, tasks: list[dict]) -> Iterator[dict]:
    """:func:`run_point` on ``client``'s cluster, records in completion order; cancels what is left."""
    from dask.distributed import as_completed

    futures = []
    try:
        futures = client.map(run_point, tasks, key=[f"routesim-point-{t['key']}" for t in tasks], on_worker=True)
        for future in as_completed(futures):
            yield future.result()
    finally:
        if futures:
            client.cancel(futures)
