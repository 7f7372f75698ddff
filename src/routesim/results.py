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
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .costs import COMPONENTS
from .plan import KINDS
from .yamlio import atomic_write_text

__all__ = ["Results", "RouteSummary", "compare", "METRICS"]

METRICS = ("transit_days", "door_days", "cost_usd_per_teu", "logistics_usd_per_teu", "co2_t_per_teu")
"""The per-shipment metrics summarised for every route."""

_UNITS = {"transit_days": "days", "door_days": "days", "cost_usd_per_teu": "USD/TEU",
          "logistics_usd_per_teu": "USD/TEU", "co2_t_per_teu": "t CO2/TEU"}
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class MetricSummary:
    """Mean (with its 95 % confidence interval), median, p5 and p95 of one metric."""

    mean: float
    sd: float
    ci95: tuple[float, float]
    median: float
    p5: float
    p95: float
    exact_quantiles: bool

    def to_dict(self) -> dict:
        return {"mean": self.mean, "median": self.median, "p5": self.p5, "p95": self.p95,
                "sd": self.sd, "ci95": list(self.ci95)}


@dataclass(frozen=True)
class RouteSummary:
    """Everything summarised for one route."""

    route: str
    n: int
    metrics: dict[str, MetricSummary]
    spoiled_share: float
    days_by_kind: dict[str, float]
    cost_by_component: dict[str, float]
    info: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"n": self.n}
        for m in METRICS:
            out[m] = self.metrics[m].to_dict()
        out["spoiled_share"] = self.spoiled_share
        out["days_by_kind"] = dict(self.days_by_kind)
        out["cost_by_component"] = dict(self.cost_by_component)
        out.update(self.info)
        return out


def _metric_from(moments, sketch, values: np.ndarray | None) -> MetricSummary:
    mean = moments.mean
    sd = math.sqrt(moments.var) if moments.n > 1 else 0.0
    half = _Z95 * moments.sem if moments.n > 1 else 0.0
    if values is not None:
        p5, med, p95 = (float(v) for v in np.quantile(values, [0.05, 0.5, 0.95]))
        exact = True
    else:
        p5, med, p95 = sketch.quantile(0.05), sketch.quantile(0.5), sketch.quantile(0.95)
        exact = False
    return MetricSummary(float(mean), float(sd), (float(mean - half), float(mean + half)), med, p5, p95, exact)


class Results:
    """Outcome of a run: per-route summaries, optional per-shipment table, engine extras.

    Build with :meth:`from_accumulators` (Monte Carlo) or :meth:`from_shipments`
    (any engine with a per-shipment table); use :func:`routesim.run`.
    """

    def __init__(self, scenario: str, engine: str, seed: int, replications: int,
                 routes: dict[str, RouteSummary], shipments=None, extra: dict | None = None,
                 plan=None):
        self.scenario = scenario
        self.engine = engine
        self.seed = seed
        self.replications = replications
        self.routes = routes
        self.shipments = shipments
        self.extra = extra or {}
        self.plan = plan

    # ------------------------------------------------------------ building
    @classmethod
    def from_accumulators(cls, plan, accs: dict, *, engine: str, seed: int, replications: int,
                          shipments=None, extra: dict | None = None) -> "Results":
        routes = {}
        for name, acc in accs.items():
            values = None
            if shipments is not None:
                values = shipments.loc[shipments["route"] == name]
            routes[name] = _summarise(name, acc, values, plan)
        return cls(plan.scenario.name, engine, seed, replications, routes, shipments, extra, plan)

    @classmethod
    def from_shipments(cls, plan, shipments, *, engine: str, seed: int, replications: int,
                       extra: dict | None = None) -> "Results":
        """Summaries computed from a complete per-shipment table (columns as the Monte Carlo's)."""
        from .outcomes import RouteAccumulator, SHIPMENT_COLUMNS

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

    def summary(self):
        """One row per route: n, and mean, 95 % CI, median, p5, p95 of every metric; spoiled share."""
        import pandas as pd

        rows = []
        for name, r in self.routes.items():
            row: dict[str, Any] = {"route": name, "n": r.n}
            for m in METRICS:
                s = r.metrics[m]
                row.update({f"{m}_mean": s.mean, f"{m}_ci_low": s.ci95[0], f"{m}_ci_high": s.ci95[1],
                            f"{m}_median": s.median, f"{m}_p5": s.p5, f"{m}_p95": s.p95})
            row["spoiled_share"] = r.spoiled_share
            rows.append(row)
        return pd.DataFrame(rows).set_index("route")

    def breakdown(self):
        """Where the days and the dollars come from: mean days by leg kind and USD/TEU by component.

        Columns are a two-level index: (``days``, kind) and (``usd_per_teu``, component).
        """
        import pandas as pd

        data = {}
        for name, r in self.routes.items():
            row = {("days", k): v for k, v in r.days_by_kind.items()}
            row[("days", "transit")] = r.metrics["transit_days"].mean
            row[("days", "door")] = r.metrics["door_days"].mean
            row.update({("usd_per_teu", c): v for c, v in r.cost_by_component.items()})
            row[("usd_per_teu", "total")] = r.metrics["cost_usd_per_teu"].mean
            data[name] = row
        df = pd.DataFrame.from_dict(data, orient="index")
        df.columns = pd.MultiIndex.from_tuples(df.columns)
        return df

    def compare(self, a: str, b: str):
        """Route ``b`` against route ``a`` of this run: differences in days, USD and percent."""
        return _compare_summaries(self.routes[a], self.routes[b], f"{a}", f"{b}")

    # ------------------------------------------------------------ export
    def to_dict(self) -> dict:
        """The JSON contract of ``routesim run --json``."""
        out = {
            "scenario": self.scenario,
            "engine": self.engine,
            "seed": self.seed,
            "replications": self.replications,
            "routes": {name: r.to_dict() for name, r in self.routes.items()},
        }
        if self.extra:
            out["engine_stats"] = _jsonable(self.extra.get("stats", {}))
        return out

    def to_json(self, path: str | Path | None = None) -> str:
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
        """The per-shipment table as Parquet, written atomically."""
        if self.shipments is None:
            raise ValueError("this run did not keep the per-shipment table (keep_shipments=False)")
        from .export import atomic_write_bytes

        buf = io.BytesIO()
        self.shipments.to_parquet(buf, index=False)
        return atomic_write_bytes(path, buf.getvalue())

    def write(self, out_dir: str | Path, figures: bool = True) -> list[Path]:
        """Write summary.csv, summary.json, shipments.parquet (if kept) and the figures to ``out_dir``."""
        from .export import write_results

        return write_results(self, Path(out_dir), figures=figures)

    # ------------------------------------------------------------ display
    def table(self) -> str:
        """A readable plain-text table (one block per route)."""
        return _text_table(self)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return (f"<Results scenario={self.scenario!r} engine={self.engine} seed={self.seed} "
                f"replications={self.replications} routes={list(self.routes)}>")

    def _repr_html_(self) -> str:
        s = self.summary()
        cols = [c for c in s.columns if c.endswith(("_mean", "_median", "_p5", "_p95"))
                and c.split("_")[0] in ("transit", "door", "cost", "co2")] + ["spoiled_share"]
        head = (f"<p><b>{_esc(self.scenario)}</b> &middot; engine {self.engine} &middot; seed {self.seed} "
                f"&middot; {self.replications:,} replications</p>")
        return head + s[cols].to_html(float_format=lambda x: f"{x:,.2f}") + self.breakdown().to_html(
            float_format=lambda x: f"{x:,.2f}")

    # ------------------------------------------------------------ plots
    def plot_ecdf(self, ax=None, metric: str = "transit_days"):
        from .plots import plot_ecdf

        return plot_ecdf(self, ax=ax, metric=metric)

    def plot_days_by_kind(self, ax=None):
        from .plots import plot_days_by_kind

        return plot_days_by_kind(self, ax=ax)

    def plot_cost_breakdown(self, ax=None):
        from .plots import plot_cost_breakdown

        return plot_cost_breakdown(self, ax=ax)


def _summarise(name: str, acc, frame, plan) -> RouteSummary:
    metrics = {}
    for m in METRICS:
        values = frame[m].to_numpy(dtype=float) if frame is not None and len(frame) else None
        metrics[m] = _metric_from(acc.moments[m], acc.sketches[m], values)
    days = {k: acc.moments[f"days_{k}"].mean for k in KINDS}
    cost = {c: acc.moments[f"cost_{c}"].mean for c in COMPONENTS}
    info: dict[str, Any] = {}
    if plan is not None and name in plan.routes:
        rp = plan.routes[name]
        info = {
            "origin": rp.origin,
            "destination": rp.destination,
            "sea_distance_nm": rp.sea_distance_nm,
            "chokepoints": list(rp.chokepoints),
            "transshipment_hubs": list(rp.hubs),
            "services": [s.service for s in rp.segments],
            "calls": [list(s.calls) for s in rp.segments],
        }
        if rp.overland_assumption:
            info["overland_assumption"] = rp.overland_assumption
    return RouteSummary(name, acc.n, metrics, acc.moments["spoiled"].mean, days, cost, info)


def _compare_summaries(a: RouteSummary, b: RouteSummary, label_a: str, label_b: str):
    import pandas as pd

    rows = []
    for m in METRICS:
        ma, mb = a.metrics[m], b.metrics[m]
        diff = mb.mean - ma.mean
        rows.append({"metric": m, "unit": _UNITS[m], label_a: ma.mean, label_b: mb.mean, "difference": diff,
                     "percent": 100.0 * diff / ma.mean if ma.mean else math.nan,
                     "ratio": mb.mean / ma.mean if ma.mean else math.nan})
    rows.append({"metric": "spoiled_share", "unit": "share", label_a: a.spoiled_share, label_b: b.spoiled_share,
                 "difference": b.spoiled_share - a.spoiled_share,
                 "percent": 100.0 * (b.spoiled_share - a.spoiled_share) / a.spoiled_share if a.spoiled_share else math.nan,
                 "ratio": b.spoiled_share / a.spoiled_share if a.spoiled_share else math.nan})
    for k in KINDS:
        va, vb = a.days_by_kind[k], b.days_by_kind[k]
        if va or vb:
            rows.append({"metric": f"days:{k}", "unit": "days", label_a: va, label_b: vb, "difference": vb - va,
                         "percent": 100.0 * (vb - va) / va if va else math.nan,
                         "ratio": vb / va if va else math.nan})
    for c in COMPONENTS:
        va, vb = a.cost_by_component[c], b.cost_by_component[c]
        if va or vb:
            rows.append({"metric": f"usd:{c}", "unit": "USD/TEU", label_a: va, label_b: vb, "difference": vb - va,
                         "percent": 100.0 * (vb - va) / va if va else math.nan,
                         "ratio": vb / va if va else math.nan})
    return pd.DataFrame(rows).set_index("metric")


def compare(*items, routes: tuple[str, str] | None = None, engine: str = "montecarlo", **run_kwargs):
    """Compare results (or scenarios, which are run first).

    * ``compare(results, "a", "b")`` or ``compare(results, routes=("a", "b"))``: two routes of one run;
    * ``compare(results_a, results_b)``: every route present in both runs, b against a.

    Scenarios (objects or file paths) are run with :func:`routesim.run` first.
    Returns a DataFrame of means, differences (days, USD) and percent.
    """
    import pandas as pd

    from .api import run
    from .scenario import Scenario, load_scenario

    def as_results(x):
        if isinstance(x, Results):
            return x
        if isinstance(x, (str, Path)):
            x = load_scenario(x)
        if isinstance(x, Scenario):
            return run(x, engine=engine, **run_kwargs)
        raise TypeError(f"cannot compare a {type(x).__name__}")

    strs = [x for x in items if isinstance(x, str) and not Path(x).suffix]
    objs = [x for x in items if x not in strs]
    if len(objs) == 1 and (routes or len(strs) == 2):
        res = as_results(objs[0])
        a, b = routes or tuple(strs)
        return res.compare(a, b)
    if len(objs) != 2:
        raise TypeError("compare() takes one result and two route names, or two results/scenarios")
    ra, rb = (as_results(x) for x in objs)
    frames = []
    for name in ra.routes:
        if name in rb.routes:
            df = _compare_summaries(ra.routes[name], rb.routes[name], "a", "b")
            df.insert(0, "route", name)
            frames.append(df)
    if not frames:
        raise ValueError("the two runs have no route in common")
    return pd.concat(frames).reset_index().set_index(["route", "metric"])


def _jsonable(obj):
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


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_table(res: Results) -> str:
    lines = [f"{res.scenario}  (engine {res.engine}, seed {res.seed}, {res.replications:,} replications)", ""]
    head = f"{'':26}{'mean':>10}{'median':>10}{'p5':>10}{'p95':>10}"
    for name, r in res.routes.items():
        lines.append(f"route {name}  ({r.info.get('origin', '?')} -> {r.info.get('destination', '?')}, "
                     f"n={r.n:,})")
        lines.append(head)
        for m, label in (("transit_days", "transit days"), ("door_days", "door days"),
                         ("cost_usd_per_teu", "cost USD/TEU"), ("logistics_usd_per_teu", "logistics USD/TEU"),
                         ("co2_t_per_teu", "CO2 t/TEU")):
            s = r.metrics[m]
            fmt = "{:>10.2f}" if "days" in m or "co2" in m else "{:>10,.0f}"
            lines.append(f"  {label:24}" + "".join(fmt.format(v) for v in (s.mean, s.median, s.p5, s.p95)))
        if r.spoiled_share:
            lines.append(f"  {'spoiled share':24}{r.spoiled_share:>10.3f}")
        days = ", ".join(f"{k} {v:.1f}" for k, v in r.days_by_kind.items() if v > 0.005)
        lines.append(f"  days by kind: {days}")
        cost = ", ".join(f"{c} {v:,.0f}" for c, v in r.cost_by_component.items() if v > 0.5)
        lines.append(f"  USD/TEU by component: {cost}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
