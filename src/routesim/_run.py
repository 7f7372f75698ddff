"""Running one scenario: the private core under :func:`routesim.run`, sweeps and comparisons.

Load (if given a path), apply overrides, check the engine, compile the
:class:`~routesim.plan.Plan` and hand it to the engine. Engine ``X`` of
:data:`routesim.engines.ENGINES` is the function ``run_X(plan, *, replications, seed,
progress)`` of the module ``routesim.engines.X``, so the names are declared once.

>>> check_engine("montecarlo")
'montecarlo'
>>> check_engine("montecarl")
Traceback (most recent call last):
...
routesim.errors.RoutesimError: unknown engine 'montecarl' (did you mean montecarlo?) (engines: montecarlo, des)
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any

from .engines import ENGINES, engine_module
from .errors import RoutesimError
from ._suggest import did_you_mean
from .plan import compile_plan
from .scenario import Scenario, load_scenario

__all__ = ["run_scenario", "check_engine"]


def check_engine(engine: Any) -> str:
    """``engine`` if it names an engine of :data:`~routesim.engines.ENGINES`, else a :class:`RoutesimError`."""
    if engine not in ENGINES:
        hint = did_you_mean(engine, ENGINES) if isinstance(engine, str) else ""
        raise RoutesimError(f"unknown engine '{engine}'{hint} (engines: {', '.join(ENGINES)})")
    return engine


def _warm_des_workers(scenario: Scenario, workers) -> None:
    """If the replications will run on worker processes, start their forkserver now: it imports
    the engine while this process imports it too and compiles the plan (:func:`routesim._workers.warm`)."""
    from ._workers import count, warm

    chosen = workers if workers is not None else scenario.des.workers
    whole = chosen is None or (isinstance(chosen, int) and not isinstance(chosen, bool))  # else run_des says so
    if whole and count(chosen, int(scenario.des.replications)) > 1:
        warm((f"{engine_module('des')}.engine",))


def run_scenario(scenario: Scenario | str | os.PathLike, engine: str | None = None,
                 replications: int | None = None, seed: int | None = None, *,
                 overrides: Mapping[str, Any] | None = None, network=None, progress=None,
                 workers: int | None = None):
    """Run ``scenario`` and return its :class:`~routesim.results.Results` (see :func:`routesim.run`).

    Parameters
    ----------
    scenario : Scenario or path
        A scenario object or a scenario file.
    engine : str, optional
        One of :data:`~routesim.engines.ENGINES`; default: the scenario's ``engine``.
    replications : int, optional
        Shipments per route (Monte Carlo) or independent runs (discrete-event).
    seed : int, optional
        Default: the scenario's ``seed``.
    overrides : mapping, optional
        Dotted paths to new values, applied with :meth:`Scenario.with_overrides`.
    network : PortNetwork, optional
        Default: the shipped network.
    progress : callable, optional
        ``progress(done, total)`` called as the run advances.
    workers : int, optional
        Processes for the discrete-event replications (default: the scenario's ``des.workers``,
        else the CPUs); the Monte Carlo engine takes ``montecarlo.threads`` instead.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if overrides:
        scenario = scenario.with_overrides(dict(overrides))
    engine = check_engine(engine or scenario.engine)
    if replications is not None:  # validated by the schema like the file's own (its bounds, its messages)
        scenario = scenario.with_overrides({"des.replications" if engine == "des" else "replications": replications})
        replications = None
    if engine == "des":
        _warm_des_workers(scenario, workers)
    runner = getattr(importlib.import_module(engine_module(engine)), f"run_{engine}")
    plan = compile_plan(scenario, network)
    extra = {}
    if workers is not None:
        if engine != "des":
            raise RoutesimError("workers applies to the discrete-event engine (Monte Carlo: montecarlo.threads)")
        extra["workers"] = workers
    return runner(plan, replications=replications, seed=seed, progress=progress, **extra)
