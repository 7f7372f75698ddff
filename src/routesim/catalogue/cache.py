"""A cache on disk of the parsed data files, so that a fresh process reads the catalogue without parsing YAML.

:func:`cached_data` returns the data of a data file's text from the cache when an entry was
written for exactly that text, else parses it (:func:`routesim.yamlio.loads_data`) and writes
the entry. An entry is keyed by

* the SHA-256 of the file's bytes (the data file itself),
* the size and modification time of :mod:`routesim.yamlio` and of PyYAML's ``yaml/__init__.py``
  (the parser and the YAML rules, as installed, found without importing PyYAML),
* the routesim and Python versions and this module's :data:`FORMAT`,

all of which are in the entry's name and again inside it (checked on reading). Entries are
written atomically (:func:`routesim._atomic.atomic_write`), at most :data:`KEEP` per data file
(the newest: checkouts of different versions of a file share the cache without evicting each
other at every run), under :func:`cache_dir`: ``$ROUTESIM_CACHE_DIR``, else
``$XDG_CACHE_HOME/routesim``, else ``~/.cache/routesim``; never inside the installed package.
``ROUTESIM_NO_CACHE=1`` turns the cache off. An entry that cannot be read (truncated, corrupt,
another key, an object other than plain data) is ignored and written again; a cache folder that
cannot be written is not an error (the data are parsed as without a cache).

Entries are pickles read with an unpickler that constructs nothing but the plain data YAML
gives (mappings, lists, text, numbers, booleans, None, dates and times): an entry is data, never
code, whoever wrote it.

>>> cached_data("a: [1, 2024-11-15]\\n", "example.yaml", folder=None)
{'a': [1, datetime.date(2024, 11, 15)]}
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "KEEP", "cache_dir", "cached_data", "file_stamp"]

FORMAT = 1
"""Version of the entries' layout; a new one makes every older entry a miss."""

KEEP = 4
"""Entries kept per data file (the newest by modification time; older ones are removed on writing)."""

_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
            ("datetime", "timezone")}
"""The only classes an entry may name: what PyYAML's safe loader builds timestamps with."""


def cache_dir() -> Path | None:
    """The folder entries live in, or None when ``ROUTESIM_NO_CACHE`` is set (to anything but ``0``
    or nothing)."""
    if os.environ.get("ROUTESIM_NO_CACHE", "") not in ("", "0"):
        return None
    own = os.environ.get("ROUTESIM_CACHE_DIR")
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "routesim"


def file_stamp(path: str | None) -> str:
    """Size and modification time of the file at ``path`` ("none": no such file, e.g. inside a zip)."""
    try:
        st = os.stat(path) if path else None
    except OSError:
        st = None
    return f"{st.st_size}.{st.st_mtime_ns}" if st else "none"


def _key(raw: bytes) -> str:
    """The entry key of a data file with bytes ``raw`` (see the module's docstring)."""
    from .. import __version__

    parser = "-".join(file_stamp(spec.origin if spec else None)
                      for spec in (importlib.util.find_spec("routesim.yamlio"), importlib.util.find_spec("yaml")))
    return f"{hashlib.sha256(raw).hexdigest()[:40]}-{parser}-{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}-f{FORMAT}"


class _DataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not plain data")
        return super().find_class(module, name)


def _read(path: Path, key: str) -> tuple[bool, Any]:
    """``(True, data)`` from the entry at ``path`` when it is whole and holds ``key``, else ``(False, None)``."""
    try:
        raw = path.read_bytes()
    except OSError:
        return False, None
    try:
        entry = _DataUnpickler(io.BytesIO(raw)).load()
    except Exception:  # noqa: BLE001 - any damage to the entry: a miss, written again
        return False, None
    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == "routesim-data" and entry[1] == key):
        return False, None
    return True, entry[2]


def _write(folder: Path, name: str, path: Path, key: str, data: Any) -> None:
    from .._atomic import atomic_write

    try:
        atomic_write(path, pickle.dumps(("routesim-data", key, data), protocol=pickle.HIGHEST_PROTOCOL))
        others = []
        for old in folder.glob(f"{name}.*.pickle"):  # the file's other entries, oldest first
            if old != path:
                try:
                    others.append((old.stat().st_mtime_ns, old))
                except OSError:
                    continue
        for _, old in sorted(others)[:max(0, len(others) - (KEEP - 1))]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: no cache, same data
        pass


_DEFAULT: Any = object()


def cached_data(text: str, name: str, raw: bytes | None = None, folder: Path | str | None = _DEFAULT) -> Any:
    """The data of data file ``name`` whose text is ``text`` (its bytes ``raw``): from the cache when an
    entry holds exactly this file, else parsed and the entry written.

    ``folder`` is the cache folder (default :func:`cache_dir`; None: no cache, parse only).
    Raises what :func:`routesim.yamlio.loads_data` raises for text it cannot read.
    """
    if folder is _DEFAULT:
        folder = cache_dir()
    if folder is not None:
        folder = Path(folder)
        raw = text.encode("utf-8") if raw is None else raw
        key = _key(raw)
        path = folder / f"{name}.{key}.pickle"
        hit, data = _read(path, key)
        if hit:
            return data
    from ..yamlio import loads_data  # PyYAML is imported on a miss only

    data = loads_data(text)
    if folder is not None:
        _write(folder, name, path, key, data)
    return data
