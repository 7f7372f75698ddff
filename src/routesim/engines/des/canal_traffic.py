"""How many other ships a day come to a canal's locks, given the wait of an unbooked ship there.

The published wait of an unbooked ship (Panama: about a day in normal times) is a wait with
diversions in it: ships whose alternative route is shorter than the queue go round. The
discrete-event canal (:class:`routesim.engines.des.canal.Canal`) lets every background
ship divert when the queue of its class, divided by the slots a day its class gets, exceeds
its detour plus the locks time. Inferring the traffic without diversions
(:func:`routesim.queueing.priority_utilisation`) and then letting ships divert gives
unbooked waits well below the figure the traffic was inferred from (a scenario's 4 days
came out at 1.5). :func:`background_for_wait` infers it with them.

The model is a birth-death chain on the ships at the locks, ``N`` (``c`` slots, each
transit holding one for an exponential ship-day, as in the canal): booked ships (the
share ``booked_share`` that wants one, up to the daily quota, :func:`routesim.queueing.booked_per_day`)
always join; an unbooked ship joins with the probability that its detour plus the locks
time exceeds the queue ahead, ``(N - c)+``, over the unbooked slots a day, ``c - quota``.
Booked ships are served first (non-preemptive): their wait is ``P(N >= c) / (c - booked
rate)``; by the conservation law the unbooked ships' wait is what is left of the mean queue.

>>> import numpy as np
>>> from routesim.engines.des.detours import Detours
>>> round(background_for_wait(36, 0.9, 1.05, None, 0.44), 2)    # nobody diverts: the old inference
33.38
>>> round(unbooked_wait(36, 0.9, 33.38, None, 0.44), 2)
1.05
>>> short = Detours(np.array([3.0, 12.0]), np.array([0.5, 0.5]))
>>> rate = background_for_wait(36, 0.9, 1.05, short, 0.44)
>>> rate > 33.38, round(unbooked_wait(36, 0.9, rate, short, 0.44), 2)
(True, 1.05)
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import ScenarioError
from ...queueing import booked_per_day, priority_utilisation

__all__ = ["background_for_wait", "unbooked_wait"]

_MAX_QUEUE = 4000
"""States of the chain beyond the slots (ships waiting); the chain is cut there."""


def _chain(c: int, share: float, rate: float, detours, transit_days: float):
    """Stationary distribution of the ships at the locks, and the booked and unbooked arrival rates."""
    quota = int(round(share * c))
    booked = booked_per_day(share * rate, quota) if quota > 0 else 0.0
    unbooked = max(rate - booked, 0.0)
    waiting = np.arange(_MAX_QUEUE + 1, dtype=float)
    if detours is None or unbooked <= 0:
        join = np.ones_like(waiting)
    else:
        per_day = max(c - quota, 0)
        if per_day == 0:
            expected = np.where(waiting > 0, math.inf, 0.0)
        else:
            expected = waiting / per_day
        # a ship diverts when the expected wait exceeds its detour plus the locks time; the queue
        # ahead of it leaves out the booked ships waiting (about booked x their wait, served first)
        ahead = np.maximum(waiting - booked / max(c - booked, 1e-9) * booked / max(c, 1), 0.0)
        expected = np.where(waiting > 0, ahead / per_day, 0.0) if per_day else expected
        order = np.argsort(detours.days)
        limits = detours.days[order] + transit_days
        # P(limit >= expected): the weight of the limits at or above it
        above = np.concatenate([np.cumsum(detours.weights[order][::-1])[::-1], [0.0]])
        join = above[np.searchsorted(limits, expected, side="left")]
    births = np.concatenate([booked + unbooked * np.ones(c), booked + unbooked * join])
    deaths = np.minimum(np.arange(1, births.size + 1), c).astype(float)
    log_p = np.concatenate([[0.0], np.cumsum(np.log(np.maximum(births, 1e-300)) - np.log(deaths))])
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    joined = np.concatenate([np.ones(c), join, [join[-1]]])
    return p, booked, unbooked, joined


def unbooked_wait(c: int, share: float, rate: float, detours, transit_days: float) -> float:
    """Mean wait of the unbooked ships that join the queue (days) when ``rate`` ships a day come.

    Parameters
    ----------
    c : int
        Slots a day (each transit holds one for an exponential ship-day).
    share : float
        Share of ships that want a booking, and of the slots sold as bookings (0-1).
    rate : float
        Ships arriving a day, booked and unbooked, before any diverts.
    detours : Detours or None
        Extra days of each ship's best route round the canal (None: nobody diverts).
    transit_days : float
        Time in the locks, saved by a ship that waits (days).
    """
    if rate <= 0:
        return 0.0
    p, booked, unbooked, joined = _chain(c, share, rate, detours, transit_days)
    if unbooked <= 0:
        return 0.0
    n = np.arange(p.size)
    if p[-1] > 1e-9:
        return math.inf  # the queue reaches the cut: nobody diverts and the slots cannot keep up
    queue = float(((n - c).clip(min=0) * p).sum())
    busy = float(p[c:].sum())
    booked_wait = busy / (c - booked) if c > booked else math.inf
    admitted = unbooked * float((joined * p).sum())
    return max(queue - booked * booked_wait, 0.0) / admitted if admitted > 0 else 0.0


def background_for_wait(c: int, share: float, wait: float, detours, transit_days: float, *,
                        where: str = "chokepoint") -> float:
    """Ships a day (before diversions) at which unbooked ships wait ``wait`` days on average.

    Without ``detours`` this is :func:`routesim.queueing.priority_utilisation` x ``c``. With
    them the rate is found by bisection on :func:`unbooked_wait`; a wait that diversions
    never let build up (more than the longest detour allows) raises ScenarioError naming ``where``.
    """
    if wait <= 0:
        return 0.0
    if detours is None:
        return priority_utilisation(c, wait, share) * c
    lo, hi = 0.0, float(c)
    while unbooked_wait(c, share, hi, detours, transit_days) < wait:
        lo, hi = hi, 2.0 * hi
        if hi > 64.0 * c:
            top = unbooked_wait(c, share, hi, detours, transit_days)
            raise ScenarioError([f"{where}: an unbooked wait of {wait:g} days cannot build up at {c} slots a day: "
                                 f"ships divert round their alternatives first (at most {top:.1f} days)"])
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if unbooked_wait(c, share, mid, detours, transit_days) < wait:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
