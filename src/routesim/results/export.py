"""Writing results to disk: every file through :mod:`routesim._atomic`, the one file writer.

The folder is written as a set (:func:`routesim._atomic.atomic_folder`): into a temporary
sibling, then swapped into place with a completion marker, so an interrupted or failed
write leaves the old run's folder or the new one, never a mix. Figures are drawn by
:mod:`routesim.results.plots` and :mod:`routesim.results.maps` as PNG bytes and written here.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from .._atomic import atomic_folder, atomic_write, atomic_write_text

__all__ = ["write_parquet", "write_results"]


def write_parquet(path: str | os.PathLike, frame) -> Path:
    """Write the DataFrame ``frame`` (without its index) to ``path`` as Parquet, atomically; returns the path."""
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return atomic_write(path, buf.getvalue())


def write_results(results, out_dir: str | os.PathLike, figures: bool = True) -> list[Path]:
    """Write a run's files into ``out_dir``; returns the paths written.

    Parameters
    ----------
    results : Results
        The run.
    out_dir : path
        The folder: missing, empty or one routesim wrote (it is replaced as a whole).
    figures : bool
        Also write the two standard figures (:func:`routesim.results.plots.standard_figures`) and
        the route map (:func:`routesim.results.maps.map_png`).

    Notes
    -----
    summary.csv (one row per route), summary.json (the ``--json`` object),
    breakdown.csv (days by kind, USD/TEU by component: always), shipments.parquet
    (when the per-shipment table was kept), events.parquet (the discrete-event
    log, when there is one), and with ``figures`` transit_ecdf.png, days_by_kind.png and map.png
    (when the results carry their plan).
    """
    out_dir = Path(out_dir)
    with atomic_folder(out_dir) as tmp:
        names = [p.name for p in _write_files(results, tmp, figures)]
    return [out_dir / n for n in names]


def _write_files(results, out_dir: Path, figures: bool) -> list[Path]:
    written = []
    results.to_csv(out_dir / "summary.csv")
    written.append(out_dir / "summary.csv")
    results.to_json(out_dir / "summary.json")
    written.append(out_dir / "summary.json")
    buf = io.StringIO()
    results.breakdown().to_csv(buf)
    written.append(atomic_write_text(out_dir / "breakdown.csv", buf.getvalue()))
    if results.shipments is not None:
        written.append(results.to_parquet(out_dir / "shipments.parquet"))
    events = results.extra.get("events")
    if events is not None:
        written.append(write_parquet(out_dir / "events.parquet", events))
    if figures:
        from .plots import standard_figures

        for name, png in standard_figures(results).items():
            written.append(atomic_write(out_dir / name, png))
        if results.plan is not None:
            from .maps import map_png

            written.append(atomic_write(out_dir / "map.png", map_png(results)))
    return written
