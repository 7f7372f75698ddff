"""Cheap running statistics for queues: time averages and waiting times.

Both recorders ignore what happens before ``start`` (the end of the
warm-up), so a run's statistics describe the study period only.

>>> level = Level(start=0.0)
>>> level.change(-1.0, +1); level.change(1.0, +1); level.change(3.0, -2)
>>> level.mean(until=4.0)   # 1 ship on [0, 1), 2 on [1, 3), 0 on [3, 4)
1.25
"""

from __future__ import annotations

from array import array

import numpy as np

__all__ = ["Level", "Waits"]


class Level:
    """A piecewise-constant count (ships at anchor, ships alongside) and its time integral."""

    __slots__ = ("start", "n", "last", "area", "peak")

    def __init__(self, start: float = 0.0):
        self.start = start
        """Time from which the integral is kept (days)."""
        self.n = 0
        self.last = start
        self.area = 0.0
        """Integral of the count over [start, last] (ship-days)."""
        self.peak = 0

    def change(self, now: float, delta: int) -> None:
        """The count changes by ``delta`` at time ``now``."""
        if now > self.last:
            self.area += self.n * (now - self.last)
            self.last = now
        self.n += delta
        if self.n > self.peak and now >= self.start:
            self.peak = self.n

    def mean(self, until: float) -> float:
        """Time-average count over [start, until]."""
        span = until - self.start
        if span <= 0:
            return 0.0
        area = self.area + self.n * max(0.0, until - self.last)
        return area / span


class Waits:
    """Waiting times of the customers that arrived at or after ``start`` (days)."""

    __slots__ = ("start", "values")

    def __init__(self, start: float = 0.0):
        self.start = start
        self.values = array("d")

    def add(self, arrived: float, waited: float) -> None:
        if arrived >= self.start:
            self.values.append(waited)

    def __len__(self) -> int:
        return len(self.values)

    def array(self) -> np.ndarray:
        return np.frombuffer(self.values, dtype=float) if len(self.values) else np.zeros(0)


def summary(values: np.ndarray) -> dict:
    """Count, mean, p95 and share > 0 of waiting times (days); zeros when empty."""
    n = int(values.size)
    if n == 0:
        return {"n": 0, "mean_days": 0.0, "p95_days": 0.0, "share_waiting": 0.0}
    return {"n": n, "mean_days": float(values.mean()), "p95_days": float(np.quantile(values, 0.95)),
            "share_waiting": float((values > 0).mean())}
