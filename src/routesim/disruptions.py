"""Disruption windows: the one set of rules both engines apply (days on the study clock).

A scenario's disruptions reach the engines as :class:`~routesim.plan.Window` records.
What a window *means* is decided here, once:

* **capacity** (``factor`` f > 0): a place with ``c`` servers (berths, daily canal slots)
  keeps :func:`servers_after` ``(c, f)`` of them, ``round(c f)`` to the nearest whole
  server and at least one: Panama's 36 daily slots at ``factor: 0.611`` keep 22
  ("22 of 36 slots", the 2023-24 drought);
* **closure** (or a capacity cut with ``factor: 0``, see :func:`is_closure`): nothing leaves
  the place until the window ends; overlapping closures chain (:func:`closed_until`);
* **weather**: an arrival inside the window is held for one draw of ``extra_days`` per
  window covering it (:func:`weather_extra`); weather comes first, then a closure in
  force when the ship would go on (:func:`weather_then_closure`).

The functions take numpy arrays of arrival times (the Monte Carlo engine, all shipments at
once) or plain floats (the discrete-event engine, one vessel at a time).

>>> from routesim.plan import Window
>>> servers_after(36, 0.611)
22
>>> w = [Window("closure", "PECHY", 10.0, 15.0), Window("closure", "PECHY", 14.0, 20.0)]
>>> closed_until(w, 12.0)
20.0
>>> closed_until(w, 25.0)
25.0
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["servers_after", "withdrawn_servers", "is_closure", "closed_until", "closure_wait",
           "weather_extra", "weather_then_closure", "capacity_windows"]


def servers_after(c: int, factor: float) -> int:
    """Servers of ``c`` left in service by a capacity factor: nearest whole one, at least one.

    A factor of 0 is a closure (see :func:`is_closure`), handled by the closure rule.

    >>> [servers_after(4, f) for f in (0.1, 0.3, 0.5, 0.9, 1.0)]
    [1, 1, 2, 4, 4]
    """
    return max(1, int(math.floor(c * factor + 0.5)))


def is_closure(w) -> bool:
    """True for a window that stops all traffic: a closure, or a capacity cut to zero."""
    return w.kind == "closure" or (w.kind == "capacity" and w.factor == 0.0)


def withdrawn_servers(c: int, w) -> int:
    """Servers of ``c`` that window ``w`` takes out of service (0 for weather windows).

    >>> from routesim.plan import Window
    >>> withdrawn_servers(36, Window("capacity", "panama", 0, 10, factor=0.611))
    14
    >>> withdrawn_servers(5, Window("closure", "PECHY", 0, 10))
    5
    """
    if is_closure(w):
        return c
    if w.kind == "capacity":
        return c - servers_after(c, w.factor)
    return 0


def capacity_windows(windows) -> tuple:
    """The windows that cut capacity without closing (``0 < factor``)."""
    return tuple(w for w in windows if w.kind == "capacity" and w.factor > 0.0)


def closed_until(windows, t):
    """End of the closure in force at ``t`` (following overlapping closures); ``t`` when open.

    ``t`` is a float or an array of arrival times (days); the result has its shape.
    """
    closures = [w for w in windows if is_closure(w)]
    if np.ndim(t) == 0:
        end = float(t)
        moved = True
        while moved:
            moved = False
            for w in closures:
                if w.start <= end < w.end:
                    end, moved = w.end, True
        return end
    end = np.array(t, dtype=float)
    for _ in range(len(closures)):
        before = end
        for w in closures:
            end = np.where((end >= w.start) & (end < w.end), w.end, end)
        if np.array_equal(end, before):
            break
    return end


def closure_wait(t: np.ndarray, windows) -> np.ndarray | None:
    """Days that arrivals at ``t`` are held by closures, or None when no closure applies."""
    if not any(is_closure(w) for w in windows):
        return None
    return closed_until(windows, t) - t


def weather_extra(windows, t, rng):
    """Extra days (one draw of ``extra_days`` per weather window covering ``t``).

    For an array ``t`` every window draws for every arrival, covered or not, so the number
    of draws never depends on simulated times (scenario variants keep common random
    numbers); a single arrival draws only for the windows that cover it.
    """
    if np.ndim(t) == 0:
        extra = 0.0
        for w in windows:
            if w.kind == "weather" and w.start <= t < w.end:
                extra += float(w.extra_days.sample(rng))
        return extra
    extra = None
    for w in windows:
        if w.kind != "weather":
            continue
        hit = (t >= w.start) & (t < w.end)
        add = np.where(hit, w.extra_days.sample(rng, t.shape[0]), 0.0)
        extra = add if extra is None else extra + add
    return extra


def weather_then_closure(t: np.ndarray, wait: np.ndarray, windows, rng) -> np.ndarray:
    """``wait`` (days, for arrivals at ``t``) plus weather in force at arrival, then any closure.

    Weather delays the arrival first; if the place is closed when the ship would proceed, it
    waits for the reopening.
    """
    ex = weather_extra(windows, t, rng)
    if ex is not None:
        wait = wait + ex
    cl = closure_wait(t + wait, windows)
    if cl is not None:
        wait = wait + cl
    return wait
