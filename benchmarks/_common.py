"""Helpers the benchmark scripts share (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

__all__ = ["ROOT", "commit", "parallel_control", "status_kib", "reset_peak_rss"]

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


def _spin(iterations: int) -> int:
    """Pure-Python CPU work (no memory traffic, no imports): the control task."""
    x = 0
    for i in range(iterations):
        x = (x + i) & 0xFFFF
    return x


def parallel_control(tasks: int = 2, iterations: int = 20_000_000) -> tuple[float, float]:
    """(serial s, parallel s) of ``tasks`` identical pure-Python tasks, one after another, then on
    ``tasks`` spawned processes (pool start included, as routesim's pools pay it).

    The ratio is the parallel speed-up the machine gives *right now*: about ``tasks`` on idle
    cores, about 1 when other jobs hold them. Printed next to a measured speed-up, it says
    whether a shortfall is routesim's or the machine's.
    """
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    for _ in range(tasks):
        _spin(iterations)
    t1 = time.perf_counter()
    with ProcessPoolExecutor(tasks, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_spin, [iterations] * tasks))
    return t1 - t0, time.perf_counter() - t1


def status_kib(field: str) -> float | None:
    """A field of /proc/self/status in KiB (``VmRSS``, ``VmHWM``), None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False
