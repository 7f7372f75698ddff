"""The Python API shared by every engine: load a scenario, run it, compare runs.

>>> import routesim
>>> s = routesim.load_scenario("scenarios/chancay_vs_callao.yaml")  # doctest: +SKIP
>>> res = routesim.run(s, replications=20_000, seed=1)               # doctest: +SKIP
>>> res.summary()                                                    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import RoutesimError
from .scenario import Scenario, load_scenario

__all__ = ["load_scenario", "run", "ENGINES"]

from .engines import ENGINES


def run(scenario: Scenario | str | Path, engine: str | None = None, replications: int | None = None,
        seed: int | None = None, *, overrides: Mapping[str, Any] | None = None, network=None,
        progress=None, **kw_overrides):
    """Run a scenario and return :class:`~routesim.results.Results`.

    Parameters
    ----------
    scenario : Scenario or path
        A scenario object or a scenario file.
    engine : {"montecarlo", "des"}, optional
        Default: the scenario's ``engine``.
    replications : int, optional
        Shipments per route (Monte Carlo) or independent runs (discrete-event).
    seed : int, optional
        Default: the scenario's ``seed``. Same scenario + seed -> same numbers.
    overrides, **kw_overrides
        Changes to the scenario before running: a mapping of dotted paths
        (``{"costs.bunker_usd_per_t": 650}``) and/or keyword arguments where a
        double underscore stands for a dot (``costs__bunker_usd_per_t=650``).
    network : PortNetwork, optional
        Default: the shipped network.
    progress : callable, optional
        ``progress(done, total)`` called as the run advances.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    changes = dict(overrides or {})
    changes.update({k.replace("__", "."): v for k, v in kw_overrides.items()})
    if changes:
        scenario = scenario.with_overrides(changes)
    engine = engine or scenario.engine
    if engine not in ENGINES:
        from .names import did_you_mean

        raise RoutesimError(f"unknown engine '{engine}'{did_you_mean(engine, ENGINES)} (montecarlo or des)")
    from .plan import compile_plan

    plan = compile_plan(scenario, network)
    if engine == "montecarlo":
        from .engines.montecarlo import run_montecarlo

        return run_montecarlo(plan, replications=replications, seed=seed, progress=progress)
    from .engines.des import run_des

    return run_des(plan, replications=replications, seed=seed, progress=progress)
