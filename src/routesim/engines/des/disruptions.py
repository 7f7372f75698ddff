"""Disruption windows acting on SimPy resources and passages.

A scenario's disruptions reach the engine as :class:`routesim.plan.Window`
records on the study clock (days). Here they become behaviour:

* **capacity** (``factor`` f): ``c - servers_after(c, f)`` of a place's ``c``
  servers (berths, daily canal slots) are taken out of service for the window,
  the rule of :mod:`routesim.disruptions` that the Monte Carlo engine applies too. They are withdrawn by
  top-priority requests, so a ship already alongside finishes its work and the
  next free server is the one taken out; at the window's end they return.
* **closure** (or a capacity factor of 0): every server is withdrawn and no
  vessel of the scenario leaves the place until the window ends.
* **weather**: a vessel arriving (or a passage starting) inside the window is
  held for an extra draw of ``extra_days`` before it can go on.

Overlapping windows at one place add up.
"""

from __future__ import annotations

import math

import simpy

from ...disruptions import withdrawn_servers
from ...plan import Window

__all__ = ["BLOCKER_PRIORITY", "start_capacity_windows", "servers_at", "has_capacity_windows"]

BLOCKER_PRIORITY = -1
"""Priority of the requests that withdraw servers (lower is served first)."""


def has_capacity_windows(windows) -> bool:
    """True when any window withdraws servers (the place then needs a priority resource)."""
    return any(w.kind in ("closure", "capacity") for w in windows)


def servers_at(c: int, windows, t: float) -> int:
    """Servers in service at time ``t`` (at least 0)."""
    out = c
    for w in windows:
        if w.start <= t < w.end:
            out -= withdrawn_servers(c, w)
    return max(0, out)


def start_capacity_windows(env: simpy.Environment, resource: simpy.PriorityResource, c: int, windows) -> None:
    """Start one process per capacity or closure window that withdraws servers of ``resource``."""
    for w in windows:
        k = withdrawn_servers(c, w)
        if k > 0:
            env.process(_withdraw(env, resource, k, w))


def _withdraw(env, resource, k, w: Window):
    if w.start > env.now:
        yield env.timeout(w.start - env.now)
    if w.end <= env.now:
        return
    requests = [resource.request(priority=BLOCKER_PRIORITY) for _ in range(k)]
    if math.isfinite(w.end):
        yield env.timeout(w.end - env.now)
        for req in requests:
            if req.triggered:
                resource.release(req)
            else:
                req.cancel()
