"""Helpers the benchmark scripts share (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

__all__ = ["ROOT", "commit"]

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""


def commit() -> str:
    """The checked-out commit (short hash), with " + working tree" when tracked files are edited."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" + working tree" if dirty else "")
    except OSError:
        return "?"
