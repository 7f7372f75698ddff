"""Waits at berths and canals in the Monte Carlo engine, disruptions included (days).

Normal waits are drawn from the Plan's distributions; capacity windows add the transient
congestion of :class:`routesim.queueing.CongestionModel`; weather and closures follow the
rules of :mod:`routesim.disruptions`. Every function is vectorized over the shipments of a
block (``t``: their arrival times on the study clock).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ...disruptions import capacity_windows, closure_wait, weather_then_closure
from ...plan import ChokepointParams, Plan, PortParams, Window
from ...queueing import CongestionModel, CongestionProfile

__all__ = ["berth_wait", "port_time", "port_congestion", "canal_lock", "canal_wait", "canal_excess"]

_AFTER_HORIZON_DAYS = 400.0
"""How far past the horizon a congestion profile is drawn (arrivals after the study window)."""


@functools.lru_cache(maxsize=256)
def _profile(c: int, rho: float, service: float, cs2: float, cap: float,
             start: float, end: float, factor: float, horizon: float) -> CongestionProfile:
    return CongestionModel(c, rho, service, cs2, cap).profile(start, end, factor, horizon)


def _port_profile(p: PortParams, w: Window, horizon: float) -> CongestionProfile:
    """Extra berth wait at a port whose berths a capacity window cuts."""
    return _profile(p.berths, p.utilisation, p.reference_service_days, 1.0, math.inf,
                    w.start, w.end, w.factor, horizon)


def _canal_profile(cp: ChokepointParams, w: Window, horizon: float, lock=None) -> CongestionProfile | None:
    """Extra wait at a canal (at one set of its locks, ``lock``) whose daily slots a capacity window cuts.

    A sustained cut does not grow the queue for ever: ships divert (Suez, the Cape) or buy
    auction slots once the wait exceeds their alternative, so the extra wait is capped at
    :attr:`~routesim.plan.ChokepointParams.divert_after_days` (the 2023 drought: 9-11 days
    for unbooked ships, ACP); the discrete-event engine models the diversions themselves.
    One daily slot serves one ship a day; slot capacity is fixed (no service variance).
    """
    if cp.capacity_per_day is None or cp.capacity_per_day < 1 or cp.utilisation <= 0:
        return None
    c, rho = (lock.slots_per_day, lock.utilisation) if lock is not None else (int(round(cp.capacity_per_day)), cp.utilisation)
    return _profile(c, rho, 1.0, 0.0, cp.divert_after_days, w.start, w.end, w.factor, horizon)


def port_congestion(p: PortParams, wins, t: np.ndarray, plan: Plan) -> np.ndarray:
    """Extra berth wait (days) at port ``p`` for arrivals at ``t`` from its capacity windows."""
    extra = np.zeros_like(t)
    for win in capacity_windows(wins):
        extra += _port_profile(p, win, plan.horizon_days + _AFTER_HORIZON_DAYS).at(t)
    return extra


def berth_wait(p: PortParams, rng, n: int, t: np.ndarray, plan: Plan) -> np.ndarray:
    """Wait for a berth (days): the port's draw, congestion, then weather and closures there."""
    w = p.berth_wait_days.sample(rng, n)
    wins = plan.windows_at(p.code)
    if wins:
        w = w + port_congestion(p, wins, t, plan)
        w = weather_then_closure(t, w, wins, rng)
    return w


def port_time(p: PortParams, moves: float, shape: float | None, rng, n: int, t: np.ndarray, plan: Plan) -> np.ndarray:
    """Berth wait + handling at a call (days); moves are gamma with shape ``shape`` (None: fixed)."""
    w = berth_wait(p, rng, n, t, plan)
    if shape is None:
        m = np.full(n, moves)
    else:
        m = rng.standard_gamma(shape, n)
        m *= moves / shape
    w += p.handling_days(m)
    return w


def canal_lock(cp: ChokepointParams, teu: float, plan: Plan):
    """(the locks a vessel of ``teu`` uses or None, the windows at the canal and at those locks)."""
    lock = cp.lock_for(teu)
    wins = plan.windows_at(cp.id)
    return lock, (wins + plan.windows_at(lock.where) if lock is not None else wins)


def _booking_share(cp: ChokepointParams, win: Window, lock) -> float:
    """Chance that a booked ship keeps its slot in capacity window ``win``."""
    c, rho = ((lock.slots_per_day, lock.utilisation) if lock is not None
              else (int(round(cp.capacity_per_day)), cp.utilisation))
    return CongestionModel(c, rho, 1.0, 0.0).booking_share(win.factor)


def _cuts(cp: ChokepointParams, wins, t: np.ndarray, plan: Plan, lock):
    """(window, extra wait in days of arrivals at ``t``) for each capacity cut at a canal that has slots."""
    for win in capacity_windows(wins):
        prof = _canal_profile(cp, win, plan.horizon_days + _AFTER_HORIZON_DAYS, lock)
        if prof is not None:
            yield win, prof.at(t)


def canal_excess(cp: ChokepointParams, wins, t: np.ndarray, plan: Plan, lock=None) -> np.ndarray:
    """The wait beyond the normal mean (days) that a ship arriving at ``t`` can expect at a canal under
    its windows: the extra queue of each capacity cut (for a booked ship, times the chance it loses
    its booking) and the rest of any closure. What a carrier reads off the published queue."""
    excess = np.zeros_like(t)
    for win, extra in _cuts(cp, wins, t, plan, lock):
        if cp.booked:
            extra = extra * np.where((t >= win.start) & (t < win.end), 1.0 - _booking_share(cp, win, lock), 0.0)
        excess += extra
    closed = closure_wait(t, wins)
    return excess if closed is None else excess + closed


def canal_wait(cp: ChokepointParams, wins, own_draw, unbooked_draw, u_slot, t, plan: Plan, lock=None) -> np.ndarray:
    """Canal wait (days) under capacity windows (at the canal, and at ``lock``, the vessel's locks).

    Unbooked ships wait their normal wait plus the extra queue of the cut. Booking slots shrink
    with capacity: a booked ship still gets one with probability min(1, capacity / demand),
    else it queues as an unbooked ship (the 2023 drought: booked container ships mostly kept
    their schedules while the unbooked queue grew).
    """
    wait = own_draw  # this scenario's ships' own normal wait (booked or not)
    for win, extra in _cuts(cp, wins, t, plan, lock):
        if cp.booked:
            share = _booking_share(cp, win, lock)
            inside = (t >= win.start) & (t < win.end)
            lost = inside & (u_slot >= share)
            # a ship that loses its booking is never faster than with it
            wait = np.where(lost, np.maximum(unbooked_draw, own_draw) + extra, wait)
        else:
            wait = wait + extra
    return wait
