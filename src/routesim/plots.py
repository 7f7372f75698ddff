"""Figures with matplotlib: transit ECDF, days by leg kind, cost breakdown, route map.

matplotlib is imported only when a figure is drawn. Each function takes a
:class:`~routesim.results.Results` and an optional ``ax`` and returns the
``Axes`` it drew on.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .costs import COMPONENTS
from .plan import KINDS

__all__ = ["plot_ecdf", "plot_days_by_kind", "plot_cost_breakdown", "plot_route_map", "save_standard_figures"]

_KIND_LABELS = {
    "origin_dwell": "export cut-off",
    "first_sailing": "wait for first sailing",
    "overland": "overland",
    "sail": "sailing",
    "port_call": "intermediate calls",
    "canal": "canal",
    "transshipment": "transshipment dwell",
    "destination_dwell": "destination berth + import dwell",
}


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg",) and not _interactive():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(8, 4.5))
    return ax


def _interactive() -> bool:
    try:
        from IPython import get_ipython

        return get_ipython() is not None
    except ImportError:
        return False


def plot_ecdf(results, ax=None, metric: str = "transit_days"):
    """Empirical CDF of ``metric`` by route (needs the per-shipment table; else quantile points)."""
    ax = _axes(ax)
    for name, r in results.routes.items():
        if results.shipments is not None:
            x = np.sort(results.shipments.loc[results.shipments["route"] == name, metric].to_numpy())
            if x.size == 0:
                continue
            y = np.arange(1, x.size + 1) / x.size
            ax.step(x, y, where="post", label=name)
        else:
            s = r.metrics[metric]
            ax.plot([s.p5, s.median, s.p95], [0.05, 0.5, 0.95], marker="o", label=f"{name} (p5/p50/p95)")
    ax.set_xlabel(metric.replace("_", " "))
    ax.set_ylabel("share of shipments")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(f"{results.scenario}: {metric.replace('_', ' ')}")
    return ax


def _stacked_bars(results, ax, values: dict[str, dict[str, float]], labels: dict[str, str], ylabel: str,
                  title: str):
    """One bar per route, stacked by the keys of ``values`` (route -> key -> value); zero stacks skipped."""
    ax = _axes(ax)
    names = list(results.routes)
    bottom = np.zeros(len(names))
    for key, label in labels.items():
        vals = np.array([values[n][key] for n in names])
        if not vals.any():
            continue
        ax.bar(names, vals, bottom=bottom, label=label)
        bottom += vals
    ax.set_ylabel(ylabel)
    ax.set_title(f"{results.scenario}: {title}")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.tick_params(axis="x", labelrotation=15)
    return ax


def plot_days_by_kind(results, ax=None):
    """Stacked bars of mean door days by leg kind, one bar per route."""
    values = {n: r.days_by_kind for n, r in results.routes.items()}
    return _stacked_bars(results, ax, values, {k: _KIND_LABELS[k] for k in KINDS}, "mean days", "where the days go")


def plot_cost_breakdown(results, ax=None):
    """Stacked bars of mean cost per TEU by component, one bar per route."""
    values = {n: r.cost_by_component for n, r in results.routes.items()}
    return _stacked_bars(results, ax, values, {c: c for c in COMPONENTS}, "USD per TEU", "where the dollars go")


def plot_route_map(results_or_plan, ax=None):
    """Sea paths of the routes on a lon/lat plot (longitudes unwrapped across the antimeridian)."""
    from .catalogue import ports
    from .geo import unwrap_lons

    plan = getattr(results_or_plan, "plan", None) or results_or_plan
    ax = _axes(ax)
    for name, rp in plan.routes.items():
        if not rp.path:
            continue
        lon = np.array([p[0] for p in rp.path])
        lat = np.array([p[1] for p in rp.path])
        lon = unwrap_lons(lon)
        ax.plot(lon, lat, label=name)
        for seg in rp.segments:
            for code in seg.calls:
                cat = ports()[code]
                x = cat.lon  # put the call on the same side of the antimeridian as the path
                if x < lon.min() - 180:
                    x += 360
                elif x > lon.max() + 180:
                    x -= 360
                ax.plot(x, cat.lat, "k.", ms=4)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def save_standard_figures(results, out_dir: Path) -> list[Path]:
    """transit_ecdf.png and days_by_kind.png in ``out_dir`` (written atomically)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .export import atomic_write_bytes

    written = []
    for fname, fn in (("transit_ecdf.png", plot_ecdf), ("days_by_kind.png", plot_days_by_kind)):
        fig, ax = plt.subplots(figsize=(9, 5))
        fn(results, ax=ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        plt.close(fig)
        written.append(atomic_write_bytes(Path(out_dir) / fname, buf.getvalue()))
    return written


# ---------------------------------------------------------------- sweeps
def _sweep_rows(result, metric: str, route: str | None):
    """The rows of one route of a :class:`~routesim.sweep.SweepResult` table, and the route's name."""
    table = result.table
    if metric not in table.columns:
        options = [c for c in table.columns if c.endswith(("_mean", "_median", "_p5", "_p95"))] + ["spoiled_share"]
        raise ValueError(f"unknown metric '{metric}'; the sweep table has {', '.join(options)}")
    routes = list(dict.fromkeys(table["route"]))
    route = routes[0] if route is None else route
    if route not in routes:
        raise ValueError(f"unknown route '{route}'; the sweep has {', '.join(routes)}")
    return table.loc[table["route"] == route], route


def _tick(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def plot_sweep_heatmap(result, metric: str = "cost_usd_per_teu_mean", *, route: str | None = None,
                       x: str | None = None, y: str | None = None, ax=None, annotate: bool = True):
    """Heatmap of ``metric`` (a sweep-table column, e.g. ``cost_usd_per_teu_mean`` in USD/TEU)
    over a two-parameter grid, for one ``route`` (default: the first).

    ``x`` and ``y`` default to the sweep's two parameters; any other parameter
    must be constant. Cells are annotated with their values.
    """
    rows, route = _sweep_rows(result, metric, route)
    params = list(result.params)
    if x is None and y is None:
        if len(params) != 2:
            raise ValueError(f"a heatmap needs two parameters; this sweep has {len(params)} "
                             f"({', '.join(params) or 'none'}): pass x= and y=")
        y, x = params
    for name in (x, y):
        if name not in params:
            raise ValueError(f"'{name}' is not a parameter of this sweep ({', '.join(params)})")
    others = [p for p in params if p not in (x, y) and rows[p].nunique(dropna=False) > 1]
    if others:
        raise ValueError(f"{', '.join(others)} also vary: plot a table filtered to one value of each")
    grid = rows.pivot_table(index=y, columns=x, values=metric, aggfunc="mean", sort=False)
    ax = _axes(ax)
    image = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    ax.figure.colorbar(image, ax=ax, label=metric.replace("_", " "))
    ax.set_xticks(range(grid.shape[1]), [_tick(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [_tick(v) for v in grid.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if annotate:
        values = grid.to_numpy(dtype=float)
        middle = np.nanmean(values)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if np.isfinite(values[i, j]):
                    ax.text(j, i, f"{values[i, j]:,.4g}", ha="center", va="center", fontsize="small",
                            color="black" if values[i, j] > middle else "white")
    ax.set_title(f"{route}: {metric.replace('_', ' ')}")
    return ax


def plot_tornado(result, metric: str = "cost_usd_per_teu_mean", *, route: str | None = None, ax=None):
    """Tornado of a one-at-a-time sweep: for each parameter, the change in ``metric`` from the base
    point when the parameter alone takes its low and its high value, largest swing on top.

    Needs a point with no overrides (the base) and, per parameter, points that
    change it alone (as :meth:`routesim.sweep.Sweep.one_at_a_time` makes).
    """
    rows, route = _sweep_rows(result, metric, route)
    points = result.sweep.points
    value = dict(zip(rows["point"], rows[metric]))
    base = [i for i, p in enumerate(points) if not p]
    if not base:
        raise ValueError("a tornado needs the base point (no overrides): use Sweep.one_at_a_time")
    base_value = value[base[0]]
    bars = []
    for name in result.params:
        alone = [i for i, p in enumerate(points) if list(p) == [name]]
        if not alone:
            continue
        lo, hi = alone[0], alone[-1]
        bars.append((name, points[lo][name], points[hi][name], value[lo] - base_value, value[hi] - base_value))
    if not bars:
        raise ValueError("no parameter is changed alone: a tornado needs a one-at-a-time sweep")
    bars.sort(key=lambda b: abs(b[4] - b[3]))
    ax = _axes(ax)
    ypos = np.arange(len(bars))
    ax.barh(ypos, [b[3] for b in bars], color="tab:blue", label="low value")
    ax.barh(ypos, [b[4] for b in bars], color="tab:red", alpha=0.8, label="high value")
    ax.set_yticks(ypos, [f"{b[0]}\n{_tick(b[1])} / {_tick(b[2])}" for b in bars], fontsize="small")
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_xlabel(f"change in {metric.replace('_', ' ')} from the base ({base_value:,.4g})")
    ax.set_title(f"{route}: one at a time")
    ax.legend(fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    return ax


__all__ += ["plot_sweep_heatmap", "plot_tornado"]
