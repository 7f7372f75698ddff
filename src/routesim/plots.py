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


def plot_days_by_kind(results, ax=None):
    """Stacked bars of mean door days by leg kind, one bar per route."""
    ax = _axes(ax)
    names = list(results.routes)
    bottom = np.zeros(len(names))
    for k in KINDS:
        vals = np.array([results.routes[n].days_by_kind[k] for n in names])
        if not vals.any():
            continue
        ax.bar(names, vals, bottom=bottom, label=_KIND_LABELS[k])
        bottom += vals
    ax.set_ylabel("mean days")
    ax.set_title(f"{results.scenario}: where the days go")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.tick_params(axis="x", labelrotation=15)
    return ax


def plot_cost_breakdown(results, ax=None):
    """Stacked bars of mean cost per TEU by component, one bar per route."""
    ax = _axes(ax)
    names = list(results.routes)
    bottom = np.zeros(len(names))
    for c in COMPONENTS:
        vals = np.array([results.routes[n].cost_by_component[c] for n in names])
        if not vals.any():
            continue
        ax.bar(names, vals, bottom=bottom, label=c)
        bottom += vals
    ax.set_ylabel("USD per TEU")
    ax.set_title(f"{results.scenario}: where the dollars go")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.tick_params(axis="x", labelrotation=15)
    return ax


def plot_route_map(results_or_plan, ax=None):
    """Sea paths of the routes on a lon/lat plot (longitudes unwrapped across the antimeridian)."""
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
                p = plan.ports[code]
                from .catalogue import ports

                cat = ports()[code]
                x = cat.lon if cat.lon >= lon.min() - 180 else cat.lon + 360
                if x > lon.max() + 180:
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
