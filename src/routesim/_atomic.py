"""Atomic writes: a file to a temporary name in its folder, then ``os.replace``; a folder of files
to a temporary sibling folder, then swapped into place with a completion marker written last.

An interrupted write leaves either the old file (folder) or the new one, never part of one.
This module is routesim's only file writer. New files get the usual permissions (``0o666``
less the umask), not the private ``0o600`` of a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import RoutesimError

__all__ = ["atomic_write", "atomic_write_text", "atomic_folder", "check_folder", "MARKER"]

MARKER = ".routesim-complete"
"""File written last into an output folder: the folder holds one whole run."""


def _default_mode(full: int = 0o666) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return full & ~mask


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns the path."""
    return atomic_write(path, text.encode("utf-8"))


def check_folder(path: str | os.PathLike, what: str = "--out") -> Path:
    """``path`` as an output folder routesim may replace as a whole, or a RoutesimError saying why not.

    It may be missing (its parents are made) or a folder routesim wrote before (it holds
    :data:`MARKER`) or an empty folder; a file, a folder under a file, or a folder holding
    other files is refused.
    """
    if not str(path).strip():
        raise RoutesimError(f"{what}: give a folder name")
    path = Path(path)
    for p in (path, *path.parents):
        if p.exists() and not p.is_dir():
            raise RoutesimError(f"{what}: {p} is a file, not a folder")
    if path.is_dir() and any(path.iterdir()) and not (path / MARKER).exists():
        raise RoutesimError(f"{what}: {path} holds files routesim did not write; give a new or an empty folder "
                            "(routesim replaces its output folder as a whole)")
    return path


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike, what: str = "--out"):
    """Write a folder as a set: yields a temporary sibling to write into; on success it gets
    :data:`MARKER` and replaces ``path`` (the old folder is removed after the swap); on any
    error or interruption the temporary folder is removed and ``path`` is left as it was."""
    path = check_folder(path, what)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old = None
    try:
        os.chmod(tmp, _default_mode(0o777))  # a folder's usual permissions, not mkdtemp's 0o700
        yield tmp
        atomic_write(tmp / MARKER, b"")
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.rename(path, old / path.name)
        os.rename(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / path.name).exists() and not path.exists():
            os.rename(old / path.name, path)  # put the old run back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
