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

Running one: ``routesim.sweep(...)`` (this module, callable) is :func:`run_sweep`::

    import routesim
    res = routesim.sweep("scenarios/chancay_vs_callao.yaml",
                         grid={"costs.bunker_usd_per_t": [450, 535, 650],       # USD per tonne of fuel
                               "routes.chancay_direct.speed_kn": [15, 17, 19]},  # knots
                         replications=2_000, seed=1, executor="processes", out="out/bunker_speed")
    res.table            # one row per point x route
    res.plot_heatmap(metric="cost_usd_per_teu_mean", route="chancay_direct")

(Like any code that starts processes with ``spawn``, a script using the
``processes`` or ``dask`` executor needs an ``if __name__ == "__main__":`` guard.)

Seeds
-----
By default every point runs with the same seed (``seeds="common"``). The Monte
Carlo engine's random streams depend only on the seed, the route name and the
shipment index, so points share their random numbers (common random numbers)
and the differences between points are the parameters' effect, not noise.
``seeds="independent"`` gives point *i* its own seed, the first 63 bits of
``numpy.random.SeedSequence(seed).spawn(n)[i]``: deterministic too.

Determinism across executors
----------------------------
Every executor calls the same function, :func:`run_point`, on the same plain
data: the point's complete scenario as a mapping (already validated in the
calling process), engine, replications and seed. Workers never receive
Python objects, only that data, and the table is assembled in point order
from the JSON records the workers return (never in completion order). So
``serial``, ``processes`` and ``dask`` give bit-identical tables on the same
installation (a remote Dask cluster must run the same routesim and numpy).

Files and resume
----------------
With ``out=DIR``::

    DIR/sweep.json           what was asked: the base scenario, points, engine, seeds, point keys
    DIR/points/<key>.json    one finished point: its overrides, seed, and Results.to_dict()
    DIR/sweep.csv            the table (one row per point x route)
    DIR/sweep.parquet        the same table

``<key>`` is a hash of everything that decides a point's numbers: the point's
full scenario (base + overrides), engine, replications, seed, the routesim
version and the shipped catalogue files. Each file is written atomically
(temporary file + ``os.replace``) as soon as its point finishes, so an
interrupted sweep loses at most the points in flight, and a rerun with
``resume=True`` loads the finished points instead of running them again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import itertools
import json
import os
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import RoutesimError, ScenarioError
from .scenario import Scenario, load_scenario

__all__ = ["sweep", "run_sweep", "Sweep", "SweepResult", "grid_points", "zip_points", "one_at_a_time_points",
           "load_sweep_file", "parse_grid_option", "run_point", "EXECUTORS", "SEEDS", "STATS"]

EXECUTORS = ("serial", "processes", "dask")
SEEDS = ("common", "independent")
STATS = ("mean", "median", "p5", "p95")
"""Statistics of every metric in the sweep table (columns ``<metric>_<stat>``)."""
POINT_FORMAT = "routesim-sweep-point/1"
_DESIGNS = ("grid", "zip", "points", "one_at_a_time")
_FILE_KEYS = ("scenario", "description", "engine", "replications", "seed", "seeds", "set", *_DESIGNS)


# ----------------------------------------------------------------- designs
def grid_points(grid: Mapping[str, Sequence]) -> list[dict]:
    """Every combination of the value lists (cartesian product), the last path varying fastest."""
    names, lists = _columns(grid, "grid")
    return [dict(zip(names, combo)) for combo in itertools.product(*lists)]


def zip_points(columns: Mapping[str, Sequence]) -> list[dict]:
    """Point *i* takes the *i*-th value of every list; the lists must have the same length."""
    names, lists = _columns(columns, "zip")
    if len({len(v) for v in lists}) > 1:
        sizes = ", ".join(f"{n} has {len(v)}" for n, v in zip(names, lists))
        raise RoutesimError(f"zip: the lists must have the same length ({sizes})")
    return [dict(zip(names, row)) for row in zip(*lists)]


def one_at_a_time_points(ranges: Mapping[str, Sequence]) -> list[dict]:
    """The base (``{}``), then each path alone at its low and at its high value (for a tornado)."""
    names, lists = _columns(ranges, "one_at_a_time")
    for name, values in zip(names, lists):
        if len(values) != 2:
            raise RoutesimError(f"one_at_a_time: {name}: expected [low, high], got {len(values)} value(s)")
    return [{}] + [{name: v} for name, values in zip(names, lists) for v in values]


def _columns(mapping: Any, what: str) -> tuple[list[str], list[list]]:
    if not isinstance(mapping, Mapping) or not mapping:
        raise RoutesimError(f"{what}: expected a mapping of dotted paths to lists of values, "
                            f"such as {{'costs.bunker_usd_per_t': [450, 650]}}")
    names, lists = [], []
    for name, values in mapping.items():
        if not isinstance(name, str) or not name.strip():
            raise RoutesimError(f"{what}: keys must be dotted paths such as costs.bunker_usd_per_t, got {name!r}")
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray)):
            raise RoutesimError(f"{what}: {name}: expected a list of values, got {values!r}")
        if len(values) == 0:
            raise RoutesimError(f"{what}: {name}: needs at least one value")
        names.append(name)
        lists.append(list(values))
    return names, lists


# ----------------------------------------------------------------- the sweep
class Sweep:
    """A base scenario and its points, validated and ready to run.

    Parameters
    ----------
    scenario : Scenario or path
        The base scenario.
    points : list of mappings
        Dotted override path -> value, one mapping per point (``{}`` is the base).
    engine : {"montecarlo", "des"}, optional
        Default: each point's scenario ``engine``.
    replications : int, optional
        Shipments per route (Monte Carlo) or runs (discrete-event); default: the scenario's.
    seed : int, optional
        Default: the scenario's ``seed``.
    seeds : {"common", "independent"}
        ``"common"``: every point runs with ``seed`` (common random numbers).
        ``"independent"``: point *i* runs with a seed spawned from ``seed``.

    Every point is applied to the scenario and validated here, so a bad path or
    value fails before anything runs. Build grids and tornados with
    :meth:`grid`, :meth:`zip`, :meth:`one_at_a_time` or :func:`load_sweep_file`.
    """

    def __init__(self, scenario: Scenario | str | os.PathLike, points: Sequence[Mapping[str, Any]], *,
                 engine: str | None = None, replications: int | None = None, seed: int | None = None,
                 seeds: str = "common", design: str = "points",
                 _where: Callable[[tuple], str] | None = None):
        from .api import ENGINES

        self.base = _as_scenario(scenario)
        where = _where or (lambda path: "sweep")
        if engine is not None and engine not in ENGINES:
            raise RoutesimError(f"unknown engine '{engine}' (montecarlo or des)")
        if replications is not None and (isinstance(replications, bool)
                                         or not isinstance(replications, (int, np.integer)) or replications < 1):
            raise RoutesimError(f"replications must be a whole number >= 1, got {replications!r}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise RoutesimError(f"seed must be a whole number >= 0, got {seed!r}")
        if seeds not in SEEDS:
            raise RoutesimError(f"seeds must be 'common' or 'independent', got {seeds!r}")
        if isinstance(points, Mapping) or not isinstance(points, Sequence) or not points:
            raise RoutesimError("points: expected a non-empty list of mappings of dotted paths to values")
        self.engine, self.replications, self.seed, self.seeds, self.design = engine, replications, seed, seeds, design
        self.points = tuple(_plain_point(p, i) for i, p in enumerate(points))
        self.params = tuple(dict.fromkeys(k for p in self.points for k in p))
        """The dotted paths the points change, in order of appearance (the table's parameter columns)."""
        base_seed = int(seed if seed is not None else self.base.seed)
        spawned = np.random.SeedSequence(base_seed).spawn(len(self.points)) if seeds == "independent" else None
        self.tasks: tuple[dict, ...] = tuple(self._task(i, p, spawned, where) for i, p in enumerate(self.points))
        """Per point, the plain data :func:`run_point` runs (scenario mapping, engine, replications, seed, key)."""

    def _task(self, i: int, point: dict, spawned, where) -> dict:
        label = _label(point)
        try:
            scenario = self.base.with_overrides(point) if point else self.base
        except ScenarioError as exc:
            raise _reword(exc, f"{where(('points', i))}: point {i}", label) from None
        engine = self.engine or scenario.engine
        replications = int(self.replications or scenario.replications)
        if spawned is not None:
            seed = int(spawned[i].generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
        else:
            seed = int(self.seed if self.seed is not None else scenario.seed)
        data = scenario.to_dict()
        key = _point_key({"scenario": data, "engine": engine, "replications": replications, "seed": seed})
        return {"key": key, "label": label, "overrides": point, "scenario": data, "engine": engine,
                "replications": replications, "seed": seed}

    # ------------------------------------------------------------ designs
    @classmethod
    def grid(cls, scenario, grid: Mapping[str, Sequence], **options) -> "Sweep":
        """Every combination of the value lists (see :func:`grid_points`)."""
        return cls._design(scenario, "grid", grid, grid_points, options)

    @classmethod
    def zip(cls, scenario, columns: Mapping[str, Sequence], **options) -> "Sweep":
        """Parallel lists: point *i* takes the *i*-th value of each (see :func:`zip_points`)."""
        return cls._design(scenario, "zip", columns, zip_points, options)

    @classmethod
    def one_at_a_time(cls, scenario, ranges: Mapping[str, Sequence], **options) -> "Sweep":
        """The base, then each path alone at ``[low, high]`` (see :func:`one_at_a_time_points`)."""
        return cls._design(scenario, "one_at_a_time", ranges, one_at_a_time_points, options)

    @classmethod
    def _design(cls, scenario, design: str, spec, expand, options) -> "Sweep":
        base = _as_scenario(scenario)
        points = expand(spec)
        where = options.get("_where") or (lambda path: "sweep")
        # Each value alone first, so an error names the value that caused it.
        for name, values in spec.items():
            for j, value in enumerate(values):
                change = {name: _plain_value(value)}
                try:
                    base.with_overrides(change)
                except ScenarioError as exc:
                    raise _reword(exc, where((design, name, j)), _label(change)) from None
        return cls(base, points, design=design, **options)

    # ------------------------------------------------------------ running
    def run(self, executor: str = "serial", *, workers: int | None = None, dask_address: str | None = None,
            out: str | os.PathLike | None = None, resume: bool = True,
            progress: Callable[[int, int], Any] | None = None) -> "SweepResult":
        """Run the points that are not already finished in ``out``; return a :class:`SweepResult`.

        Parameters
        ----------
        executor : {"serial", "processes", "dask"}
            Where points run: this process; local worker processes
            (``concurrent.futures.ProcessPoolExecutor``, ``spawn``); or Dask
            (``dask.distributed``, the ``routesim[dask]`` extra). Same numbers on each.
        workers : int, optional
            Processes (``processes``) or local Dask workers (``dask`` without an
            address); default: the number of CPUs.
        dask_address : str, optional
            Scheduler address of a running Dask cluster (``tcp://host:8786``);
            without it the sweep starts a ``LocalCluster`` and closes it afterwards.
        out : path, optional
            Folder for the point files and the table (see the module docstring).
        resume : bool
            Load finished points from ``out`` instead of running them again.
        progress : callable, optional
            ``progress(done, total)`` in distinct points, called as points finish.
        """
        if executor not in EXECUTORS:
            raise RoutesimError(f"unknown executor '{executor}' (serial, processes or dask)")
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise RoutesimError(f"workers must be a whole number >= 1, got {workers!r}")
        if workers is not None and (executor == "serial" or dask_address):
            raise RoutesimError("workers applies to the 'processes' executor and to a local Dask cluster")
        if dask_address and executor != "dask":
            raise RoutesimError("a Dask scheduler address needs executor 'dask'")
        from .export import atomic_write_text

        folder = Path(out) / "points" if out is not None else None
        unique = list({t["key"]: t for t in self.tasks}.values())
        records: dict[str, dict] = {}
        if folder is not None and resume:
            for t in unique:
                record = _read_point(folder / f"{t['key']}.json", t["key"])
                if record is not None:
                    records[t["key"]] = record
        resumed_keys = set(records)
        if out is not None:
            atomic_write_text(Path(out) / "sweep.json", _dumps(self._manifest()) + "\n")
        todo = [t for t in unique if t["key"] not in records]
        if progress and records:
            progress(len(records), len(unique))
        with contextlib.closing(_execute(todo, executor, workers, dask_address)) as finished:
            for record in finished:
                if folder is not None:
                    atomic_write_text(folder / f"{record['key']}.json", _dumps(record) + "\n")
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
        return {"format": "routesim-sweep/1", "scenario": self.base.to_dict(), "design": self.design,
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
              executor: str = "serial", workers: int | None = None, dask_address: str | None = None,
              out: str | os.PathLike | None = None, resume: bool = True,
              progress: Callable[[int, int], Any] | None = None) -> "SweepResult":
    """Run ``scenario`` at every point of a design and return a :class:`SweepResult`.

    Give exactly one design: ``grid`` (cartesian product), ``zipped`` (parallel
    lists), ``points`` (explicit mappings) or ``one_at_a_time``
    (``{path: [low, high]}``, for :meth:`SweepResult.plot_tornado`). The other
    arguments are those of :class:`Sweep` and :meth:`Sweep.run`.

    >>> res = run_sweep("scenarios/chancay_vs_callao.yaml", {"costs.bunker_usd_per_t": [450, 650]},
    ...                 replications=500, seed=1)               # doctest: +SKIP
    >>> res.table[["costs.bunker_usd_per_t", "route", "cost_usd_per_teu_mean"]]  # doctest: +SKIP
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
    return built.run(executor, workers=workers, dask_address=dask_address, out=out, resume=resume,
                     progress=progress)


# ----------------------------------------------------------------- one point (runs in workers)
def run_point(task: Mapping[str, Any]) -> dict:
    """Run one point from plain data (a :attr:`Sweep.tasks` item); return its JSON record.

    This is the only function executors call, in whatever process: it needs
    nothing but the task, so every executor computes the same numbers.
    """
    from .api import run

    source = "<sweep point>"
    try:
        scenario = Scenario.from_dict(task["scenario"], source=source)
        results = run(scenario, engine=task["engine"], replications=task["replications"], seed=task["seed"])
    except RoutesimError as exc:  # a plain RoutesimError pickles back from any worker intact
        lines = [line.removeprefix(f"{source}:1:1: ") for line in str(exc).splitlines()]
        raise RoutesimError("\n".join(f"point ({task['label']}): {line}" for line in lines)) from None
    return {"format": POINT_FORMAT, "key": task["key"], "overrides": task["overrides"], "engine": task["engine"],
            "replications": task["replications"], "seed": task["seed"],
            "results": json.loads(results.to_json())}


def _execute(tasks: list[dict], executor: str, workers: int | None, dask_address: str | None) -> Iterator[dict]:
    """Records of ``tasks`` as they finish; closing the generator cancels what has not started."""
    if not tasks:
        return
    if executor == "serial":
        for task in tasks:
            yield run_point(task)
    elif executor == "processes":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        pool = ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(tasks)),
                                   mp_context=multiprocessing.get_context("spawn"))
        try:
            for future in as_completed([pool.submit(run_point, t) for t in tasks]):
                yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    else:
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


# ----------------------------------------------------------------- results
class SweepResult:
    """The outcome of a sweep.

    Attributes
    ----------
    sweep : Sweep
        What was run.
    records : tuple of dict
        Per point, its JSON record (``results`` holds :meth:`Results.to_dict`).
    computed, resumed : tuple of int
        Indices of the points run by this call and of those loaded from ``out``.
    table : pandas.DataFrame
        One row per point x route: ``point``, one column per parameter, ``seed``,
        ``route``, ``n``, ``<metric>_<stat>`` for every metric of
        :data:`routesim.results.METRICS` (days, USD/TEU, t CO2/TEU) and stat of
        :data:`STATS`, and ``spoiled_share`` (share of shipments).
    """

    def __init__(self, sweep: Sweep, records: tuple[dict, ...], *, computed: tuple[int, ...] = (),
                 resumed: tuple[int, ...] = (), out: Path | None = None):
        self.sweep, self.records, self.computed, self.resumed, self.out = sweep, records, computed, resumed, out
        self.table = _table(sweep, records)

    @property
    def params(self) -> tuple[str, ...]:
        return self.sweep.params

    def to_csv(self, path: str | os.PathLike | None = None) -> str:
        """The table as CSV text (written atomically when ``path`` is given)."""
        from .export import atomic_write_text

        text = self.table.to_csv(index=False)
        if path is not None:
            atomic_write_text(path, text)
        return text

    def to_parquet(self, path: str | os.PathLike) -> Path:
        """The table as Parquet, written atomically (mixed-type parameter columns as JSON text)."""
        import io

        from .export import atomic_write_bytes

        frame = self.table.copy()
        for col in self.params:
            values = frame[col]
            if values.dtype == object and not all(v is None or isinstance(v, str) for v in values):
                frame[col] = [None if v is None else json.dumps(v) for v in values]
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return atomic_write_bytes(path, buf.getvalue())

    def plot_heatmap(self, metric: str = "cost_usd_per_teu_mean", *, route: str | None = None,
                     x: str | None = None, y: str | None = None, ax=None):
        """Heatmap of ``metric`` over a two-parameter grid (see :func:`routesim.plots.plot_sweep_heatmap`)."""
        from .plots import plot_sweep_heatmap

        return plot_sweep_heatmap(self, metric=metric, route=route, x=x, y=y, ax=ax)

    def plot_tornado(self, metric: str = "cost_usd_per_teu_mean", *, route: str | None = None, ax=None):
        """Tornado of a one-at-a-time sweep (see :func:`routesim.plots.plot_tornado`)."""
        from .plots import plot_tornado

        return plot_tornado(self, metric=metric, route=route, ax=ax)

    def __repr__(self) -> str:
        return (f"<SweepResult {len(self.sweep)} points x {self.table['route'].nunique()} routes; "
                f"{len(self.computed)} computed, {len(self.resumed)} resumed>")


def _table(sweep: Sweep, records: Sequence[dict]):
    import pandas as pd

    from .results import METRICS

    rows = []
    for i, (task, record) in enumerate(zip(sweep.tasks, records)):
        for route, r in record["results"]["routes"].items():
            row: dict[str, Any] = {"point": i}
            row.update({p: task["overrides"].get(p) for p in sweep.params})
            row.update({"seed": task["seed"], "route": route, "n": r["n"]})
            for m in METRICS:
                row.update({f"{m}_{s}": r[m][s] for s in STATS})
            row["spoiled_share"] = r["spoiled_share"]
            rows.append(row)
    frame = pd.DataFrame(rows)
    numeric = [f"{m}_{s}" for m in METRICS for s in STATS] + ["spoiled_share"]
    frame[numeric] = frame[numeric].astype(float)  # null in JSON (a non-finite value) -> NaN
    return frame


# ----------------------------------------------------------------- sweep files
def load_sweep_file(path: str | os.PathLike, *, scenario: str | os.PathLike | None = None,
                    set_options: Sequence[str] = (), **options) -> Sweep:
    """Read a sweep file (YAML, loaded safely) into a :class:`Sweep`.

    Keys: ``scenario`` (path relative to the sweep file), optional ``description``,
    ``engine``, ``replications``, ``seed``, ``seeds`` (common/independent), ``set``
    (overrides of the base: ``{path: value}``) and exactly one design: ``grid`` or
    ``zip`` (``{path: [values]}``), ``one_at_a_time`` (``{path: [low, high]}``) or
    ``points`` (a list of ``{path: value}``). Unknown keys and bad values are errors
    naming ``file:line:col``. ``scenario``, ``set_options`` (``KEY=VALUE``) and the
    keyword ``options`` (engine, replications, seed, seeds) given here win over the file.
    """
    from .names import did_you_mean
    from .api import ENGINES
    from .yamlio import YamlError, format_path, load_marked

    shown = str(path)
    try:
        data, marks = load_marked(path, shown)
    except YamlError as exc:
        raise RoutesimError(str(exc) if exc.mark else exc.message) from None

    def fail(where: tuple, message: str, key: bool = False):
        field = f"{format_path(where)}: " if where else ""
        raise RoutesimError(f"{marks.where(where, key=key)}: {field}{message}")

    if not isinstance(data, dict):
        fail((), "a sweep file is a mapping with 'scenario' and one of grid, zip, points or one_at_a_time")
    for k in data:
        if k not in _FILE_KEYS:
            hint = did_you_mean(k, _FILE_KEYS) or f" (the keys are {', '.join(_FILE_KEYS)})"
            fail((k,), f"unknown key '{k}'{hint}", key=True)
    designs = [k for k in _DESIGNS if k in data]
    if len(designs) != 1:
        fail((), "give exactly one of grid, zip, points or one_at_a_time"
                 + (f" (found {' and '.join(designs)})" if designs else ""))
    design = designs[0]
    checks = {"engine": (lambda v: v in ENGINES, "must be montecarlo or des"),
              "replications": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
                               "must be a whole number >= 1"),
              "seed": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                       "must be a whole number >= 0"),
              "seeds": (lambda v: v in SEEDS, "must be common or independent"),
              "description": (lambda v: isinstance(v, str), "must be text"),
              "scenario": (lambda v: isinstance(v, str) and v.strip(), "must be the path of a scenario file"),
              "set": (lambda v: isinstance(v, dict), "must be a mapping of dotted paths to values")}
    for k, (ok, message) in checks.items():
        if k in data and not ok(data[k]):
            fail((k,), f"{message} (got {json.dumps(data[k])})")
    spec = data[design]
    if design == "points":
        if not isinstance(spec, list) or not spec:
            fail((design,), "must be a list of mappings of dotted paths to values")
        for i, p in enumerate(spec):
            if not isinstance(p, dict):
                fail((design, i), f"must be a mapping of dotted paths to values (got {p!r})")
    else:
        if not isinstance(spec, dict) or not spec:
            fail((design,), "must be a mapping of dotted paths to lists of values")
        for name, values in spec.items():
            if not isinstance(values, list) or not values:
                fail((design, name), f"must be a list of values (got {values!r})")
            if design == "one_at_a_time" and len(values) != 2:
                fail((design, name), f"must be [low, high] (got {len(values)} value(s))")
    if scenario is None:
        if "scenario" not in data:
            fail((), "required key 'scenario' is missing (the scenario file the sweep changes)")
        scenario = Path(shown).parent / data["scenario"]
        if not scenario.is_file():
            fail(("scenario",), f"no such file '{data['scenario']}' (looked for {scenario})")
    base = load_scenario(scenario, set_options=list(set_options))
    if data.get("set"):
        try:
            base = base.with_overrides(data["set"])
        except ScenarioError as exc:
            raise _reword(exc, marks.where(("set",)), _label(data["set"])) from None
    for k in ("engine", "replications", "seed", "seeds"):
        if options.get(k) is None and k in data:
            options[k] = data[k]
    options = {k: v for k, v in options.items() if v is not None}

    def where(p: tuple) -> str:
        return marks.where((design,) + tuple(p[1:]) if p and p[0] == design else (design,))

    if design == "points":
        return Sweep(base, spec, design="points", _where=lambda p: marks.where(p), **options)
    factory = {"grid": Sweep.grid, "zip": Sweep.zip, "one_at_a_time": Sweep.one_at_a_time}[design]
    try:
        return factory(base, spec, _where=where, **options)
    except RoutesimError as exc:
        if isinstance(exc, ScenarioError):
            raise
        raise RoutesimError(f"{marks.where((design,))}: {exc}") from None


def parse_grid_option(option: str) -> tuple[str, list]:
    """``"costs.bunker_usd_per_t=450,535,650"`` -> ``("costs.bunker_usd_per_t", [450, 535, 650])``.

    Values are read as YAML, as in ``routesim run --set``; quote one that holds
    a comma (``'gamma(mean=600, cv=0.1)'``) or write the list in brackets.

    >>> parse_grid_option("routes.chancay_direct.speed_kn=15,17.5,19")
    ('routes.chancay_direct.speed_kn', [15, 17.5, 19])
    """
    from .scenario import parse_set_option

    key, sep, raw = option.partition("=")
    if not sep or not key.strip() or not raw.strip():
        raise RoutesimError(f"--grid: expected KEY=V1,V2,... (such as costs.bunker_usd_per_t=450,535,650), "
                            f"got '{option}'")
    text = raw.strip()
    try:
        key, values = parse_set_option(f"{key}={text if text.startswith('[') else '[' + text + ']'}")
    except ScenarioError as exc:
        raise RoutesimError(str(exc).replace("--set", "--grid", 1)) from None
    if not isinstance(values, list) or not values:
        raise RoutesimError(f"--grid {key}: expected one or more values separated by commas, got '{raw}'")
    return key, values


# ----------------------------------------------------------------- helpers
def _as_scenario(scenario) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not plain data")


def _plain_value(value: Any) -> Any:
    """As YAML would hold it: numpy numbers -> Python, tuples and arrays -> lists."""
    return json.loads(json.dumps(value, default=_json_default))


def _plain_point(point: Any, i: int) -> dict:
    if not isinstance(point, Mapping) or not all(isinstance(k, str) for k in point):
        raise RoutesimError(f"point {i}: expected a mapping of dotted paths to values, got {point!r}")
    try:
        return {k.strip(): _plain_value(v) for k, v in point.items()}
    except (TypeError, ValueError) as exc:
        raise RoutesimError(f"point {i}: values must be numbers, text, lists or mappings ({exc})") from None


def _label(point: Mapping) -> str:
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in point.items()) or "base"


def _reword(exc: ScenarioError, where: str, label: str) -> ScenarioError:
    """Scenario errors caused by the override ``label`` as errors of the sweep input at ``where``.

    Errors in the changed field keep the scenario's message under ``where``;
    errors it causes elsewhere (a check across fields) also say which change.
    """
    return ScenarioError([f"{where}: {line.removeprefix('with_overrides: ')}" if line.startswith("with_overrides")
                          else f"{where}: with {label}: {line}" for line in exc.issues])


def _dumps(obj) -> str:
    return json.dumps(obj, indent=1, allow_nan=False, default=_json_default)


def _point_key(core: dict) -> str:
    from . import __version__

    blob = json.dumps({"format": POINT_FORMAT, "routesim": __version__, "catalogue": _catalogue_digest(), **core},
                      sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


@functools.lru_cache(maxsize=1)
def _catalogue_digest() -> str:
    """SHA-256 of the shipped data files: editing the catalogue invalidates saved points."""
    from importlib.resources import files

    h = hashlib.sha256()
    data = files("routesim") / "data"
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".csv")):
            h.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return h.hexdigest()


def _read_point(path: Path, key: str) -> dict | None:
    """A finished point's record, or None if there is none (or it is not this point's)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != POINT_FORMAT or record.get("key") != key:
        return None
    return record


# ``routesim.sweep`` is this module, made callable: calling it runs :func:`run_sweep`. A
# function of the same name as its module would lose to the module whenever the module is
# imported first (``from routesim.sweep import Sweep`` sets the package attribute), so the
# name means one object however it is reached: routesim.sweep, import routesim.sweep as m,
# from routesim.sweep import sweep.
class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs) -> SweepResult:
        return run_sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
sweep = sys.modules[__name__]
__signature__ = inspect.signature(run_sweep)
