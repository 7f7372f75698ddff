"""A sweep: a base scenario and its points, validated, keyed and run.

:class:`Sweep` applies every point to the base scenario when it is made, so a
bad path or value fails before anything runs, and turns each point into the
plain data :func:`~routesim.sweeps.executors.run_point` needs (a *task*).
:meth:`Sweep.run` loads finished points from the sweep's folder, runs the rest
on an executor and saves each as it finishes. :func:`run_sweep` is the public
function ``routesim.sweep``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._run import check_engine
from ..choices import SEEDS
from ..errors import RoutesimError, ScenarioError
from ..scenario import Scenario, load_scenario
from . import executors
from .design import grid_points, label, one_at_a_time_points, plain_point, plain_value, zip_points
from .result import SweepResult
from .store import MANIFEST_FORMAT, load_finished, point_key, save_manifest, save_point

__all__ = ["SEEDS", "Sweep", "run_sweep"]


def _reword(exc: ScenarioError, where: str, change: str) -> ScenarioError:
    """Scenario errors caused by the override ``change`` (a label) as errors of the sweep input at ``where``.

    Errors in the changed field keep the scenario's message under ``where``;
    errors it causes elsewhere (a check across fields) also say which change.
    """
    return ScenarioError([f"{where}: {line.removeprefix('with_overrides: ')}" if line.startswith("with_overrides")
                          else f"{where}: with {change}: {line}" for line in exc.issues])


def _as_scenario(scenario) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _whole(value: Any, minimum: int) -> bool:
    """True for a whole number (not a bool) at least ``minimum``."""
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and value >= minimum


class Sweep:
    """A base scenario and its points, validated and ready to run.

    Parameters
    ----------
    scenario : Scenario or path
        The base scenario.
    points : list of mappings
        Dotted override path -> value, one mapping per point (``{}`` is the base).
    engine : str, optional
        One of :data:`routesim.engines.ENGINES`; default: each point's scenario ``engine``.
    replications : int, optional
        Shipments per route (Monte Carlo) or runs (discrete-event); default: the scenario's.
    seed : int, optional
        Default: the scenario's ``seed``.
    seeds : {"common", "independent"}
        ``"common"``: every point runs with ``seed`` (common random numbers).
        ``"independent"``: point *i* runs with the first 63 bits of
        ``numpy.random.SeedSequence(seed).spawn(n)[i]``.
    design : str
        How the points were made (one of :data:`~routesim.sweeps.design.DESIGNS`), for the manifest.

    Every point is applied to the scenario and validated here, so a bad path or
    value fails before anything runs. Build grids and tornados with
    :meth:`grid`, :meth:`zip`, :meth:`one_at_a_time` or :func:`~routesim.sweeps.load_sweep_file`.
    """

    def __init__(self, scenario: Scenario | str | os.PathLike, points: Sequence[Mapping[str, Any]], *,
                 engine: str | None = None, replications: int | None = None, seed: int | None = None,
                 seeds: str = "common", design: str = "points",
                 _where: Callable[[tuple], str] | None = None):
        self.base = _as_scenario(scenario)
        where = _where or (lambda path: "sweep")
        if engine is not None:
            check_engine(engine)
        if replications is not None and not _whole(replications, 1):
            raise RoutesimError(f"replications must be a whole number >= 1, got {replications!r}")
        if seed is not None and not _whole(seed, 0):
            raise RoutesimError(f"seed must be a whole number >= 0, got {seed!r}")
        if seeds not in SEEDS:
            raise RoutesimError(f"seeds must be {' or '.join(repr(s) for s in SEEDS)}, got {seeds!r}")
        if isinstance(points, Mapping) or not isinstance(points, Sequence) or not points:
            raise RoutesimError("points: expected a non-empty list of mappings of dotted paths to values")
        self.engine, self.replications, self.seed, self.seeds, self.design = engine, replications, seed, seeds, design
        self.points = tuple(plain_point(p, i) for i, p in enumerate(points))
        self.params = tuple(dict.fromkeys(k for p in self.points for k in p))
        """The dotted paths the points change, in order of appearance (the table's parameter columns)."""
        base_seed = int(seed if seed is not None else self.base.seed)
        spawned = np.random.SeedSequence(base_seed).spawn(len(self.points)) if seeds == "independent" else None
        self.tasks: tuple[dict, ...] = tuple(self._task(i, p, spawned, where) for i, p in enumerate(self.points))
        """Per point, the plain data :func:`run_point` runs (scenario mapping, engine, replications, seed, key)."""

    def _task(self, i: int, point: dict, spawned, where) -> dict:
        """Point ``i`` as plain data: its scenario mapping, engine, replications, seed and key."""
        change = label(point)
        try:
            scenario = self.base.with_overrides(point) if point else self.base
        except ScenarioError as exc:
            raise _reword(exc, f"{where(('points', i))}: point {i}", change) from None
        engine = self.engine or scenario.engine
        replications = int(self.replications or scenario.replications)
        if spawned is not None:
            seed = int(spawned[i].generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
        else:
            seed = int(self.seed if self.seed is not None else scenario.seed)
        data = scenario.to_dict()
        key = point_key({"scenario": data, "engine": engine, "replications": replications, "seed": seed})
        return {"key": key, "label": change, "overrides": point, "scenario": data, "engine": engine,
                "replications": replications, "seed": seed}

    # ------------------------------------------------------------ designs
    @classmethod
    def grid(cls, scenario, grid: Mapping[str, Sequence], **options) -> "Sweep":
        """Every combination of the value lists (see :func:`~routesim.sweeps.grid_points`)."""
        return cls._design(scenario, "grid", grid, grid_points, options)

    @classmethod
    def zip(cls, scenario, columns: Mapping[str, Sequence], **options) -> "Sweep":
        """Parallel lists: point *i* takes the *i*-th value of each (see :func:`~routesim.sweeps.zip_points`)."""
        return cls._design(scenario, "zip", columns, zip_points, options)

    @classmethod
    def one_at_a_time(cls, scenario, ranges: Mapping[str, Sequence], **options) -> "Sweep":
        """The base, then each path alone at ``[low, high]`` (see :func:`~routesim.sweeps.one_at_a_time_points`)."""
        return cls._design(scenario, "one_at_a_time", ranges, one_at_a_time_points, options)

    @classmethod
    def _design(cls, scenario, design: str, spec, expand, options) -> "Sweep":
        base = _as_scenario(scenario)
        points = expand(spec)
        where = options.get("_where") or (lambda path: "sweep")
        # Each value alone first, so an error names the value that caused it.
        for name, values in spec.items():
            for j, value in enumerate(values):
                change = {name: plain_value(value)}
                try:
                    base.with_overrides(change)
                except ScenarioError as exc:
                    raise _reword(exc, where((design, name, j)), label(change)) from None
        return cls(base, points, design=design, **options)

    # ------------------------------------------------------------ running
    def run(self, executor="serial", *, workers: int | None = None, dask_address: str | None = None,
            scheduler_file: str | None = None, out: str | os.PathLike | None = None, resume: bool = True,
            progress: Callable[[int, int], Any] | None = None) -> SweepResult:
        """Run the points that are not already finished in ``out``; return a :class:`SweepResult`.

        Parameters
        ----------
        executor : {"serial", "processes", "dask"} or dask.distributed.Client
            Where points run: this process; local worker processes (this process's kept
            pool, :mod:`routesim._workers`); or Dask
            (``dask.distributed``, the ``routesim[dask]`` extra), also as a ``Client`` of a
            running cluster (left open). Same numbers on each.
        workers : int, optional
            Processes (``processes``) or local Dask workers (``dask`` without an
            address); default: the number of CPUs.
        dask_address : str, optional
            Scheduler address of a running Dask cluster (``tcp://host:8786``). Without it
            or ``scheduler_file``, Dask's configuration is honoured (``scheduler-address``,
            e.g. ``DASK_SCHEDULER_ADDRESS``), else a ``LocalCluster`` on 127.0.0.1 without
            a dashboard, started by the first such sweep and kept for later ones in this
            process (closed at exit or by :func:`~routesim.sweeps.executors.close_local_cluster`).
        scheduler_file : str, optional
            Scheduler file of a running Dask cluster (``dask scheduler --scheduler-file``).
        out : path, optional
            Folder for the point files and the table (see :mod:`routesim.sweeps.store`).
        resume : bool
            Load finished points from ``out`` instead of running them again.
        progress : callable, optional
            ``progress(done, total)`` in distinct points, called as points finish.
        """
        executors.check_executor(executor, workers, dask_address, scheduler_file)
        unique = list({t["key"]: t for t in self.tasks}.values())
        records = load_finished(out, [t["key"] for t in unique]) if out is not None and resume else {}
        resumed_keys = set(records)
        if out is not None:
            save_manifest(out, self._manifest())
        todo = [t for t in unique if t["key"] not in records]
        if progress and records:
            progress(len(records), len(unique))
        with contextlib.closing(executors.execute(todo, executor, workers, dask_address, scheduler_file)) as finished:
            for record in finished:
                if out is not None:
                    save_point(out, record)
                records[record["key"]] = record
                if progress:
                    progress(len(records), len(unique))
        result = SweepResult(self, tuple(records[t["key"]] for t in self.tasks),
                             computed=tuple(i for i, t in enumerate(self.tasks) if t["key"] not in resumed_keys),
                             resumed=tuple(i for i, t in enumerate(self.tasks) if t["key"] in resumed_keys),
                             out=Path(out) if out is not None else None)
        if out is not None:
            result.to_csv(Path(out) / "sweep.csv")
            result.to_parquet(Path(out) / "sweep.parquet")
        return result

    def _manifest(self) -> dict:
        return {"format": MANIFEST_FORMAT, "scenario": self.base.to_dict(), "design": self.design,
                "engine": self.engine, "replications": self.replications, "seed": self.seed, "seeds": self.seeds,
                "params": list(self.params),
                "points": [{"overrides": t["overrides"], "key": t["key"], "seed": t["seed"]} for t in self.tasks]}

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        return (f"<Sweep {self.base.name!r}: {len(self.points)} points ({self.design}) over "
                f"{', '.join(self.params) or 'nothing'}; seeds {self.seeds}>")


def run_sweep(scenario: Scenario | str | os.PathLike, grid: Mapping[str, Sequence] | None = None, *,
              zipped: Mapping[str, Sequence] | None = None, points: Sequence[Mapping[str, Any]] | None = None,
              one_at_a_time: Mapping[str, Sequence] | None = None, engine: str | None = None,
              replications: int | None = None, seed: int | None = None, seeds: str = "common",
              executor="serial", workers: int | None = None, dask_address: str | None = None,
              scheduler_file: str | None = None, out: str | os.PathLike | None = None, resume: bool = True,
              progress: Callable[[int, int], Any] | None = None) -> SweepResult:
    """Run ``scenario`` at every point of a design and return a :class:`SweepResult` (``routesim.sweep``).

    Give exactly one design: ``grid`` (cartesian product), ``zipped`` (parallel
    lists), ``points`` (explicit mappings) or ``one_at_a_time``
    (``{path: [low, high]}``, for :meth:`SweepResult.plot_tornado`). The other
    arguments are those of :class:`Sweep` and :meth:`Sweep.run`.

    >>> res = run_sweep("scenarios/chancay_vs_callao.yaml", {"costs.bunker_usd_per_t": [450, 650]},
    ...                 replications=500, seed=1)
    >>> len(res.table)  # 2 points x 4 routes
    8
    >>> bool((res.table.groupby("route")["cost_usd_per_teu_mean"].diff().dropna() > 0).all())  # dearer bunker
    True
    """
    given = {k: v for k, v in (("grid", grid), ("zip", zipped), ("points", points),
                               ("one_at_a_time", one_at_a_time)) if v is not None}
    if len(given) != 1:
        raise RoutesimError("give exactly one of grid, zipped, points or one_at_a_time")
    (design, spec), = given.items()
    options = dict(engine=engine, replications=replications, seed=seed, seeds=seeds)
    if design == "points":
        built = Sweep(scenario, spec, **options)
    else:
        built = {"grid": Sweep.grid, "zip": Sweep.zip, "one_at_a_time": Sweep.one_at_a_time}[design](
            scenario, spec, **options)
    return built.run(executor, workers=workers, dask_address=dask_address, scheduler_file=scheduler_file,
                     out=out, resume=resume,
                     progress=progress)
