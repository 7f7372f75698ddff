"""Parameter sweeps: one scenario run at many points, on any executor, resumable.

A sweep is a base scenario plus a list of **points**; a point maps dotted
override paths (as :meth:`routesim.Scenario.with_overrides` takes them) to
values, e.g. ``{"costs.bunker_usd_per_t": 650, "routes.chancay_direct.speed_kn": 19}``.
Points come from a **grid** (cartesian product of value lists), a **zip**
(parallel lists), an explicit list, or **one at a time** (the base, then each
parameter alone at its low and high value: a tornado).

>>> points = grid_points({"costs.bunker_usd_per_t": [450, 650], "routes.chancay_direct.speed_kn": [15, 19]})
>>> [(p["costs.bunker_usd_per_t"], p["routes.chancay_direct.speed_kn"]) for p in points]
[(450, 15), (450, 19), (650, 15), (650, 19)]
>>> zip_points({"costs.bunker_usd_per_t": [450, 650], "costs.carbon_usd_per_t": [0, 100]})
... # doctest: +NORMALIZE_WHITESPACE
[{'costs.bunker_usd_per_t': 450, 'costs.carbon_usd_per_t': 0},
 {'costs.bunker_usd_per_t': 650, 'costs.carbon_usd_per_t': 100}]
>>> one_at_a_time_points({"costs.bunker_usd_per_t": [450, 650]})
[{}, {'costs.bunker_usd_per_t': 450}, {'costs.bunker_usd_per_t': 650}]

Running one: ``routesim.sweep(...)`` is :func:`run_sweep`::

    import routesim
    res = routesim.sweep("scenarios/chancay_vs_callao.yaml",
                         grid={"costs.bunker_usd_per_t": [450, 535, 650],       # USD per tonne of fuel
                               "routes.chancay_direct.speed_kn": [15, 17, 19]},  # knots
                         replications=2_000, seed=1, executor="processes", out="out/bunker_speed")
    res.table            # one row per point x route
    res.plot_heatmap(metric="cost_usd_per_teu_mean", route="chancay_direct")

(Like any code that starts worker processes with ``spawn`` or ``forkserver``, a script
using the ``processes`` or ``dask`` executor needs an ``if __name__ == "__main__":``
guard.) The worker processes and the local Dask cluster are started by the first sweep
and kept for later ones in the same process (:mod:`routesim._workers`,
:func:`~routesim.sweeps.executors.close_local_cluster`).

Seeds
-----
By default every point runs with the same seed (``seeds="common"``). The Monte
Carlo engine's random streams depend only on the seed, the route name and the
shipment index, so points share their random numbers (common random numbers)
and the differences between points are the parameters' effect, not noise.
``seeds="independent"`` gives point *i* its own seed, the first 63 bits of
``numpy.random.SeedSequence(seed).spawn(n)[i]``: deterministic too.

Modules, in one-way layers
--------------------------
* :mod:`~routesim.sweeps.design`: grid, zip, points and one-at-a-time designs (plain data);
* :mod:`~routesim.sweeps.store`: the sweep folder (point files, manifest, keys, resume);
* :mod:`~routesim.sweeps.executors`: :func:`run_point` and the serial, process and Dask executors
  (same numbers on each);
* :mod:`~routesim.sweeps.result`: :class:`SweepResult` and its table;
* :mod:`~routesim.sweeps.spec`: :class:`Sweep` and :func:`run_sweep`;
* :mod:`~routesim.sweeps.files`: sweep YAML files and ``--grid`` options;
* :mod:`~routesim.sweeps.plots`: heatmap and tornado.
"""

from .design import DESIGNS, grid_points, one_at_a_time_points, zip_points
from .executors import EXECUTORS, run_point
from .files import load_sweep_file, parse_grid_option
from .plots import plot_sweep_heatmap, plot_tornado
from .result import STATS, SweepResult
from .spec import SEEDS, Sweep, run_sweep
from .store import POINT_FORMAT

__all__ = ["run_sweep", "Sweep", "SweepResult", "grid_points", "zip_points", "one_at_a_time_points",
           "load_sweep_file", "parse_grid_option", "run_point", "plot_sweep_heatmap", "plot_tornado",
           "EXECUTORS", "SEEDS", "STATS", "DESIGNS", "POINT_FORMAT"]
