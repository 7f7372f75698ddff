"""Figures of a run with matplotlib: transit ECDF, days by leg kind, cost breakdown.

matplotlib is imported only when a figure is drawn, and the backend is never
switched. Each ``plot_*`` function takes a :class:`~routesim.results.Results`
and an optional ``ax`` and returns the ``Axes`` it drew on (the route map is
:func:`routesim.results.maps.plot_route_map`). Without ``ax`` the figure is new
(:func:`new_axes`). :func:`standard_figures` renders the figures ``routesim run
--out`` writes as PNG bytes on figures of their own (``matplotlib.figure.Figure``,
no pyplot), so they draw headless; :mod:`routesim.results.export` writes them.
"""

from __future__ import annotations

import io
import sys

import numpy as np

from ..costs import COMPONENTS
from ..plan import KINDS

__all__ = ["new_axes", "plot_ecdf", "plot_days_by_kind", "plot_cost_breakdown", "standard_figures"]

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

def new_axes(ax=None, figsize: tuple[float, float] = (8, 4.5)):
    """``ax`` if given, else the axes of a new figure ``figsize`` inches wide and high.

    The new figure is a pyplot figure when the caller works with pyplot (it is
    imported) or in IPython, so that notebooks and ``plt.show()`` display it; otherwise
    it is a plain ``matplotlib.figure.Figure`` that no backend manages (save it with
    ``ax.figure.savefig``). Either way the backend is the caller's.

    >>> ax = new_axes()
    >>> ax.figure.get_size_inches().tolist()
    [8.0, 4.5]
    """
    if ax is not None:
        return ax
    if "matplotlib.pyplot" in sys.modules or _in_ipython():
        import matplotlib.pyplot as plt

        return plt.subplots(figsize=figsize)[1]
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def _in_ipython() -> bool:
    """True in an IPython shell or a Jupyter kernel (IPython is never imported here)."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def plot_ecdf(results, ax=None, metric: str = "transit_days"):
    """Empirical CDF of ``metric`` by route, in the metric's unit (days, USD/TEU, t CO2/TEU).

    Needs the per-shipment table for the full curve; without it each route shows
    its p5, median and p95 as points.
    """
    ax = new_axes(ax)
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
    """One bar per route, stacked by the keys of ``values`` (route -> key -> value); zero stacks
    skipped, missing values (NaN) left out of the stack."""
    ax = new_axes(ax)
    names = list(results.routes)
    bottom = np.zeros(len(names))
    for key, label in labels.items():
        vals = np.nan_to_num(np.array([values[n][key] for n in names], dtype=float), nan=0.0)
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
    """Stacked bars of mean door days by leg kind, one bar per route (days)."""
    values = {n: r.days_by_kind for n, r in results.routes.items()}
    return _stacked_bars(results, ax, values, {k: _KIND_LABELS[k] for k in KINDS}, "mean days", "where the days go")


def plot_cost_breakdown(results, ax=None):
    """Stacked bars of mean cost per TEU by component, one bar per route (USD per TEU)."""
    values = {n: r.cost_by_component for n, r in results.routes.items()}
    return _stacked_bars(results, ax, values, {c: c for c in COMPONENTS}, "USD per TEU", "where the dollars go")


def standard_figures(results, dpi: int = 110) -> dict[str, bytes]:
    """The figures of ``routesim run --out`` as PNG bytes: transit_ecdf.png and days_by_kind.png.

    Each is drawn on a figure of its own, 9 x 5 inches at ``dpi`` dots per inch,
    without pyplot (nothing to close, no backend involved).
    """
    from matplotlib.figure import Figure

    out = {}
    for fname, draw in (("transit_ecdf.png", plot_ecdf), ("days_by_kind.png", plot_days_by_kind)):
        fig = Figure(figsize=(9, 5))
        draw(results, ax=fig.add_subplot())
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        out[fname] = buf.getvalue()
    return out
