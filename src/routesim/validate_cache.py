"""A cache on disk of ``routesim validate``'s answers for files that validated.

Checking a scenario file means importing numpy, pydantic and the scenario schema, building the
validators, reading the catalogue and compiling the plan: about 0.9 s of CPU on a 2-core
machine, most of it the imports (benchmarks/README.md, "Session of 2026-12-02: validate").
The answer is a function of the files read and of the code that reads them, so a file that
validated once validates again while none of them changed. An entry records, for one file (its
absolute path) and study root (:func:`routesim.studyroot.study_root`, or ``--root``):

* every file the validation read through :func:`routesim.yamlio.load_marked` (the file, the
  files it ``extends:``, a sweep's scenario), each as the path given, the path it resolved to
  and the SHA-256 of the bytes read;
* every module the process had loaded when the answer was found (routesim's, pydantic's,
  numpy's, PyYAML's, the standard library's...): its file's size and modification time;
* the environment key (:func:`environment_key`): the SHA-256 of every data file of the package
  (``routesim/data``), the folder the package runs from, the interpreter, ``sys.path``, the
  routesim and Python versions and :data:`FORMAT`;
* the line ``validate`` printed after ``ok -``.

:func:`lookup` gives that line only when all of it holds again (each file re-read and
re-hashed, each path resolving where it did, each module file as it was); anything else (no
entry, another key, a damaged or foreign entry) is a miss, and the file is validated as without
a cache. Only files that validated are stored: an invalid file is always checked in full, so
its errors are today's. The cache answers only in a process that has not loaded the scenario
schema, the plan compiler or the catalogue's data (:func:`fresh_process`): a Python caller may
have changed those in memory, which no key can see. Entries are JSON, written atomically
(:func:`routesim._atomic.atomic_write`) into :func:`routesim.catalogue.cache.cache_dir`
(``$ROUTESIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/routesim``, else ``~/.cache/routesim``);
``ROUTESIM_NO_CACHE=1`` turns it off; one entry per file and root, replaced when the file changes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path

from .catalogue.cache import cache_dir, file_stamp

__all__ = ["FORMAT", "environment_key", "fresh_process", "loaded_modules", "lookup", "store"]

FORMAT = 1
"""Version of the entries' layout; a new one makes every older entry a miss."""

_LOADED = ("routesim.scenario", "routesim.plan", "routesim.catalogue.figures", "routesim.network", "routesim.yamlio",
           "routesim.distributions", "routesim.sweeps")
"""Modules whose presence means the process may hold a changed schema, catalogue, network or
loader (see :func:`fresh_process`); ``routesim validate`` imports none of them before it checks."""


def fresh_process() -> bool:
    """True while this process has imported none of :data:`_LOADED` (the scenario schema, the plan
    compiler, the catalogue's data loader, the network...), so that nothing in memory can differ
    from the files on disk."""
    return not any(m in sys.modules for m in _LOADED)


def _data_key(package: Path) -> list[str]:
    """``name sha256`` of every file under ``package`` but its code (``.py`` files, ``__pycache__``),
    in a fixed order: the data files the catalogue reads."""
    out: list[str] = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith((".py", ".pyc", ".pyo")):
                full = os.path.join(folder, name)
                out.append(f"{os.path.relpath(full, package)} {_sha256(full)}")
    return out


def _sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@functools.cache
def environment_key(package: str | None = None) -> str:
    """What every answer depends on besides the files validated and the modules loaded (see the
    module's docstring). ``package`` is the folder of the routesim package (default: this one's).
    """
    from . import __version__

    root = Path(package) if package is not None else Path(__file__).resolve().parent
    parts = [f"routesim-validate {FORMAT} {__version__} {sys.implementation.name} {sys.version}",
             f"package {root}", f"python {sys.executable}", *(f"path {p}" for p in sys.path), *_data_key(root)]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def loaded_modules() -> list[list[str]]:
    """``[file, size.mtime]`` of every module loaded in this process that has a file, sorted."""
    files = {m.__file__ for m in list(sys.modules.values()) if isinstance(getattr(m, "__file__", None), str)}
    return sorted([f, file_stamp(f)] for f in files)


def _root(path, root) -> str:
    if root is not None:
        return str(Path(root).resolve())
    from .studyroot import study_root

    return str(study_root(path))


def _entry_path(folder: Path, path, root: str) -> Path:
    name = hashlib.sha256(f"{os.path.abspath(path)}\0{root}".encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return folder / f"validate.{name}.json"


def _rows(value, width: int) -> bool:
    """``value`` is a list of lists of ``width`` texts (file names, stamps, digests: never a number,
    which ``open`` would take for a file descriptor)."""
    return isinstance(value, list) and all(isinstance(row, list) and len(row) == width
                                           and all(isinstance(x, str) for x in row) for row in value)


def _folder(folder):
    if folder is _DEFAULT:
        folder = cache_dir()
    return Path(folder) if folder is not None else None


_DEFAULT = object()


def lookup(path, root=None, folder=_DEFAULT) -> str | None:
    """The line ``routesim validate`` printed after ``ok -`` for file ``path`` (study root ``root``,
    default its :func:`~routesim.studyroot.study_root`) when an entry holds it and nothing it
    depends on changed, else None. ``folder``: the cache folder (default ``cache_dir()``; None: no cache).
    """
    folder = _folder(folder)
    if folder is None:
        return None
    try:
        where = _root(path, root)
        entry = json.loads(_entry_path(folder, path, where).read_bytes())
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("root") == where
                and entry.get("environment") == environment_key() and isinstance(entry.get("line"), str)
                and _rows(entry.get("files"), 3) and entry["files"] and entry["files"][0][0] == os.path.abspath(path)
                and _rows(entry.get("modules"), 2)):
            return None
        for given, real, digest in entry["files"]:
            if os.path.realpath(given) != real or _sha256(given) != digest:
                return None
        if any(file_stamp(f) != st for f, st in entry["modules"]):
            return None
    except (OSError, ValueError, TypeError, KeyError, IndexError):  # no entry, or a damaged one: a miss
        return None
    return entry["line"]


def store(path, root, reads, line: str, folder=_DEFAULT) -> None:
    """Record that file ``path`` (study root ``root``) validated, printing ``line``, having read
    ``reads`` (``(absolute path, bytes)`` pairs, :func:`routesim.yamlio.recording_reads`) with the
    modules loaded now (:func:`loaded_modules`).

    A folder that cannot be written only means no entry.
    """
    folder = _folder(folder)
    if folder is None:
        return
    from ._atomic import atomic_write

    read: dict[str, bytes] = {}
    for given, raw in reads:
        if read.setdefault(given, raw) != raw:  # a file that changed while it was checked: nothing to key on
            return
    first = os.path.abspath(path)
    if first not in read:  # the check never read the file itself
        return
    files = [[given, os.path.realpath(given), hashlib.sha256(raw).hexdigest()]
             for given, raw in sorted(read.items(), key=lambda item: item[0] != first)]
    try:
        where = _root(path, root)
        entry = {"format": FORMAT, "root": where, "environment": environment_key(), "files": files, "line": line,
                 "modules": loaded_modules()}
        atomic_write(_entry_path(folder, path, where), json.dumps(entry, separators=(",", ":")).encode("utf-8"))
    except OSError:  # a read-only or full disk: no cache, same answers
        pass
