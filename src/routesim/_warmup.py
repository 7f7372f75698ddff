"""Where a sweep's points will run, decided before routesim's heavy imports, and the early start
of their workers' forkserver.

``routesim sweep`` calls :func:`sweep_workers` first thing: if the points will run on local
worker processes (the ``processes`` executor, or ``dask`` on a local cluster), the forkserver of
:mod:`routesim._workers` starts at once and imports routesim while the command imports it too
and builds the points, instead of after. :func:`dask_scheduler` is the one rule for which Dask
scheduler a ``dask`` sweep uses (:mod:`routesim.sweeps.executors` runs on it).

>>> dask_scheduler("tcp://127.0.0.1:8786", None)
'tcp://127.0.0.1:8786'
"""

from __future__ import annotations

from . import _workers
from .engines import engine_module

__all__ = ["dask_scheduler", "sweep_workers", "warm_local_cluster"]

_EXECUTORS = f"{__package__}.sweeps.executors"
"""The module whose :func:`~routesim.sweeps.executors.run_point` every worker runs."""


def dask_scheduler(dask_address: str | None, scheduler_file: str | None) -> str | None:
    """The address of the running Dask scheduler a ``dask`` sweep uses: ``dask_address``, else
    (without a ``scheduler_file``) ``scheduler-address`` of Dask's configuration (e.g. from
    ``DASK_SCHEDULER_ADDRESS``); None for a scheduler file, or for a local cluster when neither
    is given (and when Dask is not installed: the executor says what to install)."""
    if dask_address or scheduler_file:
        return dask_address or None
    try:
        import dask
    except ImportError:
        return None
    return dask.config.get("scheduler-address", None)


def sweep_workers(executor, engine: str | None, dask_address: str | None, scheduler_file: str | None) -> None:
    """Start the forkserver now (:func:`routesim._workers.warm`) if ``executor`` will run the
    points on local worker processes, with the sweep module, ``engine``'s module (when known) and,
    for a local Dask cluster, Dask preloaded; else do nothing."""
    engines = (engine_module(engine),) if engine else ()
    if executor == "dask" and not (scheduler_file or dask_scheduler(dask_address, scheduler_file)):
        warm_local_cluster(engines)
    elif executor == "processes":
        _workers.warm((_EXECUTORS, *engines))


def warm_local_cluster(preload: tuple[str, ...] = ()) -> None:
    """Start the forkserver a local Dask cluster's workers fork from (:func:`routesim._workers.warm`),
    if none runs: it imports Dask, the sweep executors' module and ``preload`` once, while this
    process goes on. Returns at once."""
    _workers.warm(("distributed", _EXECUTORS, *preload))
