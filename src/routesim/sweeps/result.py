"""The outcome of a sweep: its JSON records and the table of one row per point and route."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._atomic import atomic_write_text
from ..results.export import write_parquet
from ..results.summary import METRICS

__all__ = ["STATS", "SweepResult", "sweep_table"]

STATS = ("mean", "median", "p5", "p95")
"""Statistics of every metric in the sweep table (columns ``<metric>_<stat>``)."""


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
    out : Path or None
        The sweep's folder, if it has one.
    table : pandas.DataFrame
        One row per point x route (see :func:`sweep_table`).
    """

    def __init__(self, sweep, records: tuple[dict, ...], *, computed: tuple[int, ...] = (),
                 resumed: tuple[int, ...] = (), out: Path | None = None):
        self.sweep, self.records, self.computed, self.resumed, self.out = sweep, records, computed, resumed, out
        self.table = sweep_table(sweep, records)

    @property
    def params(self) -> tuple[str, ...]:
        """The dotted paths the points change (the table's parameter columns)."""
        return self.sweep.params

    def to_csv(self, path: str | os.PathLike | None = None) -> str:
        """The table as CSV text (written atomically when ``path`` is given)."""
        text = self.table.to_csv(index=False)
        if path is not None:
            atomic_write_text(path, text)
        return text

    def to_parquet(self, path: str | os.PathLike) -> Path:
        """The table as Parquet, written atomically (mixed-type parameter columns as JSON text)."""
        frame = self.table.copy()
        for col in self.params:
            values = frame[col]
            if values.dtype == object and not all(v is None or isinstance(v, str) for v in values):
                frame[col] = [None if v is None else json.dumps(v) for v in values]
        return write_parquet(path, frame)

    def plot_heatmap(self, metric: str = "cost_usd_per_teu_mean", *, route: str | None = None,
                     x: str | None = None, y: str | None = None, ax=None):
        """Heatmap of ``metric`` over a two-parameter grid (see :func:`routesim.sweeps.plots.plot_sweep_heatmap`)."""
        from .plots import plot_sweep_heatmap

        return plot_sweep_heatmap(self, metric=metric, route=route, x=x, y=y, ax=ax)

    def plot_tornado(self, metric: str = "cost_usd_per_teu_mean", *, route: str | None = None, ax=None):
        """Tornado of a one-at-a-time sweep (see :func:`routesim.sweeps.plots.plot_tornado`)."""
        from .plots import plot_tornado

        return plot_tornado(self, metric=metric, route=route, ax=ax)

    def __repr__(self) -> str:
        return (f"<SweepResult {len(self.sweep)} points x {self.table['route'].nunique()} routes; "
                f"{len(self.computed)} computed, {len(self.resumed)} resumed>")


def sweep_table(sweep, records: Sequence[dict]):
    """One row per point x route, from the points' records (in point order).

    Returns
    -------
    pandas.DataFrame
        Columns ``point``, one per parameter (the point's value, None where it keeps the
        base's), ``seed``, ``route``, ``n``, ``<metric>_<stat>`` for every metric of
        :data:`routesim.results.METRICS` (days, USD/TEU, t CO2/TEU) and stat of
        :data:`STATS`, ``spoiled_share`` and ``downgraded_share`` (shares of perishable boxes
        rejected and downgraded); a non-finite
        statistic (null in JSON) is NaN.
    """
    import pandas as pd

    rows = []
    for i, (task, record) in enumerate(zip(sweep.tasks, records)):
        for route, r in record["results"]["routes"].items():
            row: dict[str, Any] = {"point": i}
            row.update({p: task["overrides"].get(p) for p in sweep.params})
            row.update({"seed": task["seed"], "route": route, "n": r["n"]})
            for m in METRICS:
                row.update({f"{m}_{s}": r[m][s] for s in STATS})
            row["spoiled_share"] = r["spoiled_share"]
            row["downgraded_share"] = r["downgraded_share"]
            rows.append(row)
    frame = pd.DataFrame(rows)
    numeric = [f"{m}_{s}" for m in METRICS for s in STATS] + ["spoiled_share", "downgraded_share"]
    frame[numeric] = frame[numeric].astype(float)  # null in JSON (a non-finite value) -> NaN
    return frame
