"""Results: one object for every engine, the CLI and notebooks.

A :class:`Results` holds, per route, the summary statistics of transit days,
door days, cost per TEU and CO2 per TEU, where the days and dollars come from
(days by leg kind, cost by component), and, when the run was small enough or
it was asked for, the per-shipment table as a pandas DataFrame.

Definitions (ARCHITECTURE.md): **transit days** run from the vessel's
departure from the origin berth to its arrival at the destination port;
**door days** add the export cut-off, the wait for the first sailing and the
destination berth, discharge and import dwell; **cost per TEU** is the whole
logistics cost of one TEU plus carbon price, tariffs and settlement fees, and
**logistics cost per TEU** leaves those three out.

This module runs nothing: :func:`routesim.run` makes a :class:`Results`, and
:func:`routesim.compare` runs scenarios before comparing them with :func:`compare`.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .._atomic import atomic_write_text
from .._suggest import did_you_mean, names_in_hint
from ..errors import RoutesimError, UnknownNameError
from ..outcomes import SHIPMENT_COLUMNS, RouteAccumulator
from .display import html_summary, text_table
from .emissions import emissions_table
from .summary import METRICS, RouteSummary, compare_summaries, summarise_route

__all__ = ["Results", "compare"]


class Results:
    """Outcome of a run: per-route summaries, optional per-shipment table, engine extras.

    Build with :meth:`from_accumulators` (Monte Carlo) or :meth:`from_shipments`
    (any engine with a per-shipment table); use :func:`routesim.run`.

    Parameters
    ----------
    scenario : str
        The scenario's name.
    engine : str
        The engine that ran (one of :data:`routesim.engines.ENGINES`).
    seed : int
        The run's seed.
    replications : int
        Shipments per route (Monte Carlo) or independent runs (discrete-event).
    routes : dict of str to RouteSummary
        The summaries, in the scenario's route order.
    shipments : pandas.DataFrame, optional
        The per-shipment table (``route`` and :data:`routesim.outcomes.SHIPMENT_COLUMNS`:
        days, USD/TEU, t CO2/TEU), when it was kept (see :attr:`shipments`).
    extra : dict, optional
        Engine extras: ``stats`` (put in the JSON as ``engine_stats``), ``events``.
    plan : routesim.plan.Plan, optional
        The compiled plan that ran.
    """

    def __init__(self, scenario: str, engine: str, seed: int, replications: int,
                 routes: dict[str, RouteSummary], shipments=None, extra: dict | None = None,
                 plan=None):
        self.scenario = scenario
        self.engine = engine
        self.seed = seed
        self.replications = replications
        self.routes = routes
        self._shipments = shipments
        self._rebuild = None
        self.extra = extra or {}
        self.plan = plan

    @property
    def shipments(self):
        """The per-shipment table (pandas), or None. A Monte Carlo run that did not keep it
        (``keep_shipments`` not set) builds it on first access by re-running its blocks: every
        block has its own random stream, so the rows are those the run simulated."""
        if self._shipments is None and self._rebuild is not None:
            self._shipments, self._rebuild = self._rebuild(), None
        return self._shipments

    @shipments.setter
    def shipments(self, table) -> None:
        self._shipments, self._rebuild = table, None

    # ------------------------------------------------------------ building
    @classmethod
    def from_accumulators(cls, plan, accs: dict, *, engine: str, seed: int, replications: int,
                          shipments=None, extra: dict | None = None) -> "Results":
        """Summaries from one :class:`~routesim.outcomes.RouteAccumulator` per route.

        With ``shipments`` (the per-shipment table), quantiles are exact; without, they
        come from the accumulators' sketches.
        """
        routes = {}
        for name, acc in accs.items():
            values = None
            if shipments is not None:
                values = shipments.loc[shipments["route"] == name]
            routes[name] = summarise_route(name, acc, values, plan)
        return cls(plan.name, engine, seed, replications, routes, shipments, extra, plan)

    @classmethod
    def from_shipments(cls, plan, shipments, *, engine: str, seed: int, replications: int,
                       extra: dict | None = None) -> "Results":
        """Summaries computed from a complete per-shipment table (columns as the Monte Carlo's)."""
        accs = {}
        for name in plan.routes:
            acc = RouteAccumulator()
            sub = shipments.loc[shipments["route"] == name]
            if len(sub):
                acc.add({c: sub[c].to_numpy(dtype=float) for c in SHIPMENT_COLUMNS})
            accs[name] = acc
        return cls.from_accumulators(plan, accs, engine=engine, seed=seed, replications=replications,
                                     shipments=shipments, extra=extra)

    # ------------------------------------------------------------ views
    def __getitem__(self, route: str) -> RouteSummary:
        return self.routes[route]

    @property
    def per(self) -> str:
        """What the money figures are given per (``teu``, or for tramp parcels ``tonne`` or ``unit``, unless
        rescaled with :meth:`in_units`); ``route`` when the routes differ (each route's ``per`` says)."""
        pers = {r.per for r in self.routes.values()}
        return pers.pop() if len(pers) == 1 else ("route" if pers else "teu")

    def in_units(self, per: str) -> "Results":
        """These results with every money figure per ``per``: ``"teu"``, ``"feu"``, ``"tonne"`` of the
        cargo or ``"unit"`` (vehicle, kWh) where the cargo has units; an error naming the cargo otherwise.
        The per-shipment table stays per TEU."""
        routes = {}
        for name, r in self.routes.items():
            try:
                routes[name] = r.in_units(per)
            except RoutesimError as exc:
                raise RoutesimError(f"route {name}: {exc}") from None
        out = Results(self.scenario, self.engine, self.seed, self.replications, routes, None, self.extra, self.plan)
        out._shipments, out._rebuild = self._shipments, self._rebuild
        return out

    def summary(self, per: str | None = None):
        """One row per route: n, and mean, 95 % CI, median, p5, p95 of every metric; condition shares.

        ``per`` (``"teu"``, ``"feu"``, ``"tonne"``, ``"unit"``) gives the money columns per that
        unit of the cargo (their names keep ``usd_per_teu``; the ``per`` column says the unit).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``route``; columns ``n``, ``<metric>_mean``, ``_ci_low``, ``_ci_high``,
            ``_median``, ``_p5``, ``_p95`` for every metric of :data:`~routesim.results.METRICS`
            (days, USD/TEU, t CO2/TEU), ``spoiled_share`` and ``downgraded_share`` (shares of
            perishable boxes rejected and downgraded, 0 to 1), ``quality`` (mean keeping quality
            left at delivery, NaN for a cargo that does not perish) and ``share_before_holiday``
            (NaN when the scenario names no market holiday).
        """
        import pandas as pd

        if per is not None and per != self.per:
            return self.in_units(per).summary()
        rows = []
        for name, r in self.routes.items():
            row: dict[str, Any] = {"route": name, "n": r.n, "per": r.per}
            for m in METRICS:
                s = r.metrics[m]
                row.update({f"{m}_mean": s.mean, f"{m}_ci_low": s.ci95[0], f"{m}_ci_high": s.ci95[1],
                            f"{m}_median": s.median, f"{m}_p5": s.p5, f"{m}_p95": s.p95})
            row["spoiled_share"] = r.spoiled_share
            row["downgraded_share"] = r.downgraded_share
            row["quality"] = r.quality
            row["share_before_holiday"] = math.nan if r.share_before_holiday is None else r.share_before_holiday
            rows.append(row)
        return pd.DataFrame(rows).set_index("route")

    def emissions(self):
        """One row per route: TTW, WTT and WTW CO2e per TEU, per TEU-km and per tonne-km, the GLEC
        default of the route's lane and the ratio of the modelled figure to it, and the method
        (:func:`routesim.results.emissions.emissions_table`)."""
        return emissions_table(self)

    def breakdown(self):
        """Where the days and the dollars come from: mean days by leg kind and USD/TEU by component.

        Returns
        -------
        pandas.DataFrame
            One row per route; a two-level column index: (``days``, kind) with ``transit``
            and ``door`` totals, (``usd_per_teu``, component) of the landed cost with its
            ``total``, and (``carrier_usd_per_teu``, component) of the carrier's cost.
        """
        import pandas as pd

        data = {}
        for name, r in self.routes.items():
            row = {("days", k): v for k, v in r.days_by_kind.items()}
            row[("days", "transit")] = r.metrics["transit_days"].mean
            row[("days", "door")] = r.metrics["door_days"].mean
            row.update({("usd_per_teu", c): v for c, v in r.cost_by_component.items()})
            row[("usd_per_teu", "total")] = r.metrics["cost_usd_per_teu"].mean
            row.update({("carrier_usd_per_teu", c): v for c, v in r.carrier_by_component.items()})
            row[("carrier_usd_per_teu", "total")] = r.metrics["carrier_cost_usd_per_teu"].mean
            data[name] = row
        df = pd.DataFrame.from_dict(data, orient="index")
        df.columns = pd.MultiIndex.from_tuples(df.columns)
        return df

    def _route(self, name: str) -> RouteSummary:
        """The summary of route ``name``; an unknown name is an :class:`~routesim.errors.UnknownNameError`
        that suggests the closest route names."""
        if name not in self.routes:
            hint = did_you_mean(name, list(self.routes))
            raise UnknownNameError(f"{self.scenario}: no route '{name}'{hint} (routes: {', '.join(self.routes)})",
                                   names_in_hint(hint))
        return self.routes[name]

    def compare(self, a: str, b: str):
        """Route ``b`` against route ``a`` of this run: differences in days, USD/TEU and percent.

        See :func:`~routesim.results.summary.compare_summaries` for the table; the mean
        columns are named after the two routes.
        """
        return compare_summaries(self._route(a), self._route(b), f"{a}", f"{b}")

    # ------------------------------------------------------------ export
    def to_dict(self) -> dict:
        """The JSON contract of ``routesim run --json``."""
        out = {
            "scenario": self.scenario,
            "engine": self.engine,
            "seed": self.seed,
            "replications": self.replications,
            "per": self.per,
            "routes": {name: r.to_dict() for name, r in self.routes.items()},
        }
        if self.extra:
            out["engine_stats"] = _jsonable(self.extra.get("stats", {}))
        return out

    def to_json(self, path: str | Path | None = None) -> str:
        """:meth:`to_dict` as JSON text, non-finite numbers as ``null`` (written atomically when ``path`` is given)."""
        text = json.dumps(_jsonable(self.to_dict()), indent=2, allow_nan=False)
        if path is not None:
            atomic_write_text(path, text + "\n")
        return text

    def to_csv(self, path: str | Path | None = None) -> str:
        """The summary table as CSV (written atomically when ``path`` is given)."""
        buf = io.StringIO()
        self.summary().to_csv(buf)
        text = buf.getvalue()
        if path is not None:
            atomic_write_text(path, text)
        return text

    def to_parquet(self, path: str | Path) -> Path:
        """The per-shipment table as Parquet, written atomically; returns the path."""
        if self.shipments is None:
            raise ValueError("this run did not keep the per-shipment table (keep_shipments=False)")
        from .export import write_parquet

        return write_parquet(path, self.shipments)

    def write(self, out_dir: str | Path, figures: bool = True) -> list[Path]:
        """Write summary.csv, summary.json, shipments.parquet (if kept) and the figures to ``out_dir``.

        See :func:`routesim.results.export.write_results`.
        """
        from .export import write_results

        return write_results(self, Path(out_dir), figures=figures)

    # ------------------------------------------------------------ display
    def table(self) -> str:
        """A readable plain-text table (one block per route)."""
        return text_table(self)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return (f"<Results scenario={self.scenario!r} engine={self.engine} seed={self.seed} "
                f"replications={self.replications} routes={list(self.routes)}>")

    def _repr_html_(self) -> str:
        return html_summary(self)

    # ------------------------------------------------------------ plots
    def plot_ecdf(self, ax=None, metric: str = "transit_days"):
        """Empirical CDF of ``metric`` by route (see :func:`routesim.results.plots.plot_ecdf`)."""
        from .plots import plot_ecdf

        return plot_ecdf(self, ax=ax, metric=metric)

    def plot_days_by_kind(self, ax=None):
        """Stacked bars of mean days by leg kind (see :func:`routesim.results.plots.plot_days_by_kind`)."""
        from .plots import plot_days_by_kind

        return plot_days_by_kind(self, ax=ax)

    def plot_cost_breakdown(self, ax=None):
        """Stacked bars of mean USD/TEU by component (see :func:`routesim.results.plots.plot_cost_breakdown`)."""
        from .plots import plot_cost_breakdown

        return plot_cost_breakdown(self, ax=ax)

    def plot_route_map(self, ax=None, title: str | None = None):
        """The routes on Natural Earth land, centred where they sail (see :func:`routesim.results.maps.plot_route_map`)."""
        from .maps import plot_route_map

        return plot_route_map(self, ax=ax, title=title)

    def to_html(self, path: str | Path | None = None, scenario=None) -> str:
        """The report: one self-contained offline HTML page (see :func:`routesim.results.report.report_html`);
        written atomically when ``path`` is given. ``scenario`` (the :class:`~routesim.scenario.Scenario`
        that ran) adds its settings."""
        from .report import report_html

        html = report_html(self, scenario=scenario)
        if path is not None:
            atomic_write_text(path, html)
        return html


def compare(*items, routes: tuple[str, str] | None = None):
    """Compare results.

    * ``compare(results, "a", "b")`` or ``compare(results, routes=("a", "b"))``: two routes of one run
      (as :meth:`Results.compare`);
    * ``compare(results_a, results_b)``: every route present in both runs, b against a.

    This function runs nothing: :func:`routesim.compare` also takes scenarios and runs them first.

    Returns
    -------
    pandas.DataFrame
        Means, differences (days, USD/TEU, t CO2/TEU) and percent (see
        :func:`~routesim.results.summary.compare_summaries`); for two runs, indexed by
        (``route``, ``metric``) with mean columns ``a`` and ``b``.
    """
    import pandas as pd

    names = [x for x in items if isinstance(x, str)]
    runs = [x for x in items if not isinstance(x, str)]
    for x in runs:
        if not isinstance(x, Results):
            raise TypeError(f"cannot compare a {type(x).__name__}")
    if len(runs) == 1 and (routes or len(names) == 2):
        a, b = routes or tuple(names)
        return runs[0].compare(a, b)
    if len(runs) != 2:
        raise TypeError("compare() takes one result and two route names, or two results/scenarios")
    ra, rb = runs
    frames = []
    for name in ra.routes:
        if name in rb.routes:
            df = compare_summaries(ra.routes[name], rb.routes[name], "a", "b")
            df.insert(0, "route", name)
            frames.append(df)
    if not frames:
        raise RoutesimError(f"the two runs have no route in common (a: {', '.join(ra.routes)}; "
                            f"b: {', '.join(rb.routes)}): compare runs of the same routes")
    return pd.concat(frames).reset_index().set_index(["route", "metric"])


def _jsonable(obj):
    """``obj`` as plain JSON data: numpy scalars as Python numbers, non-finite floats as None."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj
