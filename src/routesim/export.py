"""Writing results to disk, atomically.

Every file is written to a temporary name in the target folder and moved
into place with :func:`os.replace`, so an interrupted run leaves either the
old file or the new one, never half of one.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._atomic import atomic_write
from .yamlio import atomic_write_text

__all__ = ["atomic_write_bytes", "atomic_write_text", "write_results"]


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``)."""
    return atomic_write(path, data)


def write_results(results, out_dir: Path, figures: bool = True) -> list[Path]:
    """Write a run's files into ``out_dir``; returns the paths written.

    summary.csv (one row per route), summary.json (the ``--json`` object),
    shipments.parquet (when the per-shipment table was kept; breakdown.csv
    otherwise is always written), and with ``figures`` two PNGs:
    transit_ecdf.png and days_by_kind.png.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    results.to_csv(out_dir / "summary.csv")
    written.append(out_dir / "summary.csv")
    results.to_json(out_dir / "summary.json")
    written.append(out_dir / "summary.json")
    import io

    buf = io.StringIO()
    results.breakdown().to_csv(buf)
    atomic_write_text(out_dir / "breakdown.csv", buf.getvalue())
    written.append(out_dir / "breakdown.csv")
    if results.shipments is not None:
        written.append(results.to_parquet(out_dir / "shipments.parquet"))
    events = results.extra.get("events")
    if events is not None:
        ebuf = io.BytesIO()
        events.to_parquet(ebuf, index=False)
        written.append(atomic_write_bytes(out_dir / "events.parquet", ebuf.getvalue()))
    if figures:
        from .plots import save_standard_figures

        written.extend(save_standard_figures(results, out_dir))
    return written
