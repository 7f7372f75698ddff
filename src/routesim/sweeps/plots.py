"""Figures of a sweep: a heatmap over a two-parameter grid, a tornado of a one-at-a-time sweep.

:func:`sweep_figures` renders those a sweep has as PNG bytes and :func:`write_sweep_figures`
writes them (``routesim sweep --plot``).

Each function takes a :class:`~routesim.sweeps.SweepResult` and an optional ``ax``
and returns the ``Axes`` it drew on (a new figure without ``ax``, see
:func:`routesim.results.plots.new_axes`). ``metric`` is a column of the sweep
table, such as ``cost_usd_per_teu_mean`` (USD/TEU) or ``door_days_p95`` (days).
"""

from __future__ import annotations

import numpy as np

from ..results.plots import new_axes

__all__ = ["plot_sweep_heatmap", "plot_tornado", "sweep_figures", "write_sweep_figures"]


def _sweep_rows(result, metric: str, route: str | None):
    """The rows of one route of a sweep table, and the route's name (default: the first)."""
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
    """A parameter value as a tick label (``17.5``, ``450``, ``gamma(...)``).

    >>> _tick(17.50), _tick(450), _tick("gamma(mean=600, cv=0.1)")
    ('17.5', '450', 'gamma(mean=600, cv=0.1)')
    """
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
    ax = new_axes(ax)
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
    change it alone (as :meth:`routesim.sweeps.Sweep.one_at_a_time` makes).
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
    ax = new_axes(ax)
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


def _png(draw) -> bytes:
    """PNG bytes of ``draw(ax)`` on a 9 x 5.5 inch figure of its own (no pyplot), 110 dots per inch."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 5.5))
    draw(fig.add_subplot())
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def sweep_figures(result, metric: str = "cost_usd_per_teu_mean") -> tuple[dict[str, bytes], list[str]]:
    """The figures a sweep has, as PNG bytes by file name, and why the others are not drawn.

    ``heatmap_<route>.png`` for a sweep over two parameters (:func:`plot_sweep_heatmap`) and
    ``tornado_<route>.png`` for a one-at-a-time sweep (:func:`plot_tornado`), one per route, of
    ``metric`` (a sweep-table column, USD/TEU by default). Returns ``(figures, reasons)``.
    """
    routes = list(dict.fromkeys(result.table["route"]))
    figures, reasons = {}, []
    for kind, draw in (("heatmap", plot_sweep_heatmap), ("tornado", plot_tornado)):
        if kind == "heatmap" and result.sweep.design == "one_at_a_time":
            reasons.append("no heatmap: a one-at-a-time sweep changes one parameter at a time")
            continue
        try:
            for route in routes:
                figures[f"{kind}_{route}.png"] = _png(lambda ax: draw(result, metric, route=route, ax=ax))
        except ValueError as exc:
            reasons.append(f"no {kind}: {exc}")
    return figures, reasons


def write_sweep_figures(result, out, metric: str = "cost_usd_per_teu_mean") -> list:
    """Write :func:`sweep_figures` into the folder ``out`` (atomically, file by file); returns the paths.
    Each figure the sweep cannot have is a :class:`~routesim.errors.RoutesimWarning` saying why."""
    import warnings
    from pathlib import Path

    from .._atomic import atomic_write
    from ..errors import RoutesimWarning

    figures, reasons = sweep_figures(result, metric)
    for why in reasons:
        warnings.warn(f"sweep --plot: {why}", RoutesimWarning, stacklevel=2)
    return [atomic_write(Path(out) / name, png) for name, png in figures.items()]
