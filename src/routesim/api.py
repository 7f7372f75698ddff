"""The Python API shared by every engine and front end: load, run, compare, sweep.

Thin public functions over one private core each: :func:`run` over
:func:`routesim._run.run_scenario`, :func:`compare` over
:func:`routesim.results.compare`, :func:`sweep` is :func:`routesim.sweeps.run_sweep`.
The command line uses this module only (plus errors and the catalogue).

>>> import routesim
>>> s = routesim.load_scenario("scenarios/chancay_vs_callao.yaml")
>>> res = routesim.run(s, replications=20_000, seed=1)
>>> round(float(res.summary().loc["chancay_direct", "transit_days_mean"]))  # days
23
>>> ENGINES
('montecarlo', 'des')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._run import run_scenario
from .engines import ENGINES
from .plan import compile_plan
from .results import Results
from .results import compare as compare_results
from .scenario import Scenario, load_scenario
from .sweeps import EXECUTORS, SEEDS, Sweep, load_sweep_file, parse_grid_option
from .sweeps import run_sweep as sweep

__all__ = ["ENGINES", "EXECUTORS", "SEEDS", "load_scenario", "compile_plan", "run", "compare", "sweep", "Sweep",
           "load_sweep_file", "parse_grid_option"]


def run(scenario: Scenario | str | Path, engine: str | None = None, replications: int | None = None,
        seed: int | None = None, *, overrides: Mapping[str, Any] | None = None, network=None,
        progress=None, workers: int | None = None, **kw_overrides) -> Results:
    """Run a scenario and return :class:`~routesim.results.Results`.

    Parameters
    ----------
    scenario : Scenario or path
        A scenario object or a scenario file.
    engine : str, optional
        One of :data:`ENGINES` (``"montecarlo"``, ``"des"``); default: the scenario's ``engine``.
    replications : int, optional
        Shipments per route (Monte Carlo) or independent runs (discrete-event).
    seed : int, optional
        Default: the scenario's ``seed``. Same scenario + seed -> same numbers.
    overrides, **kw_overrides
        Changes to the scenario before running: a mapping of dotted paths
        (``{"costs.bunker_usd_per_t": 650}``, USD per tonne) and/or keyword arguments where a
        double underscore stands for a dot (``costs__bunker_usd_per_t=650``).
    network : PortNetwork, optional
        Default: the shipped network.
    progress : callable, optional
        ``progress(done, total)`` called as the run advances.
    workers : int, optional
        Discrete-event engine: processes the replications run on (default: the scenario's
        ``des.workers``, else the CPUs; 1: one after another in this process). Same numbers
        whatever the number.

    Raises
    ------
    RoutesimError
        An unknown engine, a bad scenario or override, a route with no sea path.
    """
    changes = dict(overrides or {})
    changes.update({k.replace("__", "."): v for k, v in kw_overrides.items()})
    return run_scenario(scenario, engine, replications, seed, overrides=changes, network=network,
                        progress=progress, workers=workers)


def compare(*items, routes: tuple[str, str] | None = None, engine: str | None = ENGINES[0], **run_kwargs):
    """Compare results, or scenarios (run first with :func:`run`).

    * ``compare(results, "a", "b")`` or ``compare(results, routes=("a", "b"))``: two routes of one run;
    * ``compare(a, b)``: every route present in both runs, b against a; ``a`` and ``b`` are
      :class:`~routesim.results.Results`, :class:`~routesim.scenario.Scenario` objects or
      scenario files.

    Parameters
    ----------
    *items
        Results, scenarios or scenario files (a text with a suffix such as ``.yaml``), and route names.
    routes : tuple of str, optional
        The two routes to compare, instead of naming them in ``items``.
    engine : str or None
        The engine scenarios run with: default the first of :data:`ENGINES` (Monte Carlo);
        None: each scenario's own.
    **run_kwargs
        Passed to :func:`run` for scenarios (``replications``, ``seed``, overrides).

    Returns
    -------
    pandas.DataFrame
        Means, differences (days, USD/TEU, t CO2/TEU) and percent; see :func:`routesim.results.compare`.
    """

    def as_results(x):
        if isinstance(x, str) and not Path(x).suffix:
            return x  # a route name
        if isinstance(x, (str, Path, Scenario)):
            return run(x, engine=engine, **run_kwargs)
        return x

    return compare_results(*(as_results(x) for x in items), routes=routes)
