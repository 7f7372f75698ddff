"""A sweep's folder: point files, manifest and resume.

With ``out=DIR``::

    DIR/sweep.json           what was asked: the base scenario, points, engine, seeds, point keys
    DIR/points/<key>.json    one finished point: its overrides, seed, and Results.to_dict()
    DIR/sweep.csv            the table (one row per point x route)
    DIR/sweep.parquet        the same table

``<key>`` (:func:`point_key`) is a hash of everything that decides a point's numbers:
the point's full scenario (base + overrides), engine, replications, seed, the routesim
version and the shipped catalogue files. Each file is written atomically as soon as
its point finishes, with a digest of its own content: a point file is trusted only if its
format, key and digest match (an edited number, a truncated or reshaped file is run again).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .._atomic import atomic_write_text
from .design import json_default

__all__ = ["POINT_FORMAT", "MANIFEST_FORMAT", "point_key", "load_finished", "save_point", "save_manifest"]

POINT_FORMAT = "routesim-sweep-point/1"
"""The ``format`` of a point file (and of the records :func:`~routesim.sweeps.run_point` returns)."""
MANIFEST_FORMAT = "routesim-sweep/1"
"""The ``format`` of ``sweep.json``."""


def _dumps(obj) -> str:
    """``obj`` as indented JSON text (numpy values as plain numbers; NaN refused)."""
    return json.dumps(obj, indent=1, allow_nan=False, default=json_default)


def point_key(core: dict) -> str:
    """20 hex digits of SHA-256 over ``core`` (scenario mapping, engine, replications, seed),
    the point format, the routesim version and :func:`_catalogue_digest`."""
    from .. import __version__

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


def _points_folder(out: str | os.PathLike) -> Path:
    return Path(out) / "points"


def _digest(record: dict) -> str:
    """SHA-256 of a record's canonical JSON, its own ``digest`` left out."""
    body = {k: v for k, v in record.items() if k != "digest"}
    blob = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False, default=json_default)
    return hashlib.sha256(blob.encode()).hexdigest()


def _read_point(path: Path, key: str) -> dict | None:
    """A finished point's record, or None if there is none (or it is not this point's, or was edited)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("format") != POINT_FORMAT or record.get("key") != key:
        return None
    try:
        if record.get("digest") != _digest(record):
            return None
    except (TypeError, ValueError, RecursionError):
        return None
    del record["digest"]  # the same record as a fresh run's
    return record


def load_finished(out: str | os.PathLike, keys: Iterable[str]) -> dict[str, dict]:
    """The records of the points of ``keys`` already saved in ``out``, by key."""
    folder = _points_folder(out)
    records = {}
    for key in keys:
        record = _read_point(folder / f"{key}.json", key)
        if record is not None:
            records[key] = record
    return records


def save_point(out: str | os.PathLike, record: dict) -> Path:
    """Write a finished point's record to ``out/points/<key>.json`` atomically."""
    record = {**record, "digest": _digest(record)}
    return atomic_write_text(_points_folder(out) / f"{record['key']}.json", _dumps(record) + "\n")


def save_manifest(out: str | os.PathLike, manifest: dict) -> Path:
    """Write what the sweep asked for to ``out/sweep.json`` atomically."""
    return atomic_write_text(Path(out) / "sweep.json", _dumps(manifest) + "\n")
