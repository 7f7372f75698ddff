"""A canal with daily transit slots, booked and unbooked queues, and traffic that can divert.

Capacity
    ``capacity_per_day`` slots, one slot being one ship-day: each transit
    holds one of ``c`` servers for an exponential time of mean one day, the
    M/M/c reading under which the Plan turns the catalogue's published waits
    into a utilisation. A capacity disruption (e.g. the 2023-24 drought,
    36 -> 22 slots, ``Window(kind="capacity", where="panama", factor=22/36)``)
    withdraws servers as at ports (:mod:`routesim.engines.des.disruptions`).

Booked and unbooked ships
    Booked ships are served before unbooked ones (non-preemptive priority,
    first come first served within a class). The booking system can only sell
    slots that exist: on each day it sells at most ``booked_share x`` that
    day's slots; a ship that wants a booking when they are sold out arrives
    unbooked. The scenario's own vessels hold a booking when the scenario says
    they do (:attr:`routesim.plan.ChokepointParams.booked`, liner services
    book ahead) and are never refused one.

Background traffic in normal times
    Poisson arrivals of other ships, a share ``booked_share`` of them wanting
    a booking. Their rate is inferred from the catalogue's normal wait of an
    *unbooked* ship under this discipline (:func:`priority_utilisation`), at
    the catalogue's capacity, or taken from the scenario's
    ``chokepoints.<name>.demand_per_day`` (:func:`priority_utilisation`; the
    Plan's utilisation assumes one first-come-first-served class, and with
    booked ships going first it would give unbooked ships a normal wait of
    about 8 days instead of the published 1). On the odd day the queue builds
    up, ships with short detours divert, so simulated normal-time waits of
    unbooked ships come out somewhat below the published figure.

Demand response (diversion)
    In 2023 ships went round: FY2024 transits fell 29 % while the queue of
    unbooked ships waited 9-11 days. Each arriving background ship knows how
    many extra days its best alternative route would take (a draw from
    :mod:`routesim.engines.des.detours`, routesim's own sea network with the canal
    closed) and the wait it can expect: the ships of its class already in the
    queue divided by the slots its class gets a day (the canal authority
    publishes both daily; :meth:`Canal.expected_wait`). It diverts when that
    wait exceeds its extra days of sailing plus the locks time it would save.
    Ships already in the queue stay.
    The scenario's vessels follow their compiled route and never divert.

Locks
    Panama runs two sets of locks, each a :class:`Canal` of its own slots,
    booking quota, traffic and queues (:class:`Locks`): a vessel queues at the
    smallest locks its size fits (Panamax locks up to 5,000 TEU, Neopanamax
    above). A disruption at the canal cuts both; one at ``panama.neopanamax``
    (the 2023-24 drought as it happened, :mod:`routesim.plan.timeline`) cuts
    that lock only. Each lock's traffic is inferred from the normal unbooked
    wait with the diversions in it (:mod:`routesim.engines.des.canal_traffic`).
"""

from __future__ import annotations

import math
from array import array
from collections import deque

import numpy as np
import simpy

from ...distributions import Exponential
from .draws import Draws
from ...disruptions import closed_until, weather_extra
from .disruptions import servers_at, start_capacity_windows
from .ports import DRAW_BLOCK
from .stats import Level, Waits, summary

__all__ = ["Canal", "Locks", "Passage", "BOOKED", "UNBOOKED"]

BOOKED = 1
"""Request priority of booked ships (served first)."""
UNBOOKED = 2
"""Request priority of unbooked ships."""
_CLASS_NAME = {BOOKED: "booked", UNBOOKED: "unbooked"}


class Canal:
    """Transit slots, queues and statistics of one canal.

    Parameters
    ----------
    env : simpy.Environment
        Clock in days.
    name : str
        Chokepoint name (``panama``, ``suez``).
    slots : int
        Transit slots per day in normal times (servers).
    transit_days : float
        Time in the locks (days).
    booked_share : float
        Share of the day's slots the booking system may sell (and of background ships wanting a booking).
    windows : sequence of Window
        Disruptions at the canal.
    start : float
        End of the warm-up (study day 0).
    slot_rng : numpy.random.Generator
        Draws the slot-day each of the scenario's vessels holds (exponential,
        mean one day); background ships draw theirs from their traffic stream.
    booked_wait : Distribution, optional
        The scenario's own wait for its booked vessels (days): they wait a draw
        for their booked date, then queue first in line. Without it they wait
        only for the queue, as booked background ships do.
    wait_rng : numpy.random.Generator, optional
        Draws ``booked_wait``.
    """

    def __init__(self, env: simpy.Environment, name: str, slots: int, transit_days: float, *,
                 booked_share: float, windows=(), start: float = 0.0, slot_rng: np.random.Generator,
                 weather_rng: np.random.Generator | None = None, booked_wait=None,
                 wait_rng: np.random.Generator | None = None):
        self.env = env
        self.name = name
        self.c = int(slots)
        self.transit_days = float(transit_days)
        self.booked_share = float(booked_share)
        self.windows = tuple(windows)
        self.slots = simpy.PriorityResource(env, self.c)
        start_capacity_windows(env, self.slots, self.c, self.windows)
        self._slot_days = Draws(Exponential(1.0), slot_rng)
        self._booked_wait = Draws(booked_wait, wait_rng) if booked_wait is not None else None
        self._weather_rng = weather_rng
        self._weather = any(w.kind == "weather" for w in self.windows)
        self.start = start
        self._day = None
        self._bookings_left = 0
        self._waiting = {BOOKED: deque(), UNBOOKED: deque()}
        self.queue = {BOOKED: Level(start), UNBOOKED: Level(start)}
        """Ships waiting for a slot, by class."""
        self.waits = {BOOKED: Waits(start), UNBOOKED: Waits(start)}
        """Waits for a slot of ships arriving in the study period (days), by class."""
        self._arrived = {BOOKED: array("d"), UNBOOKED: array("d")}
        self.vessel_waits = Waits(start)
        self.arrivals = {BOOKED: 0, UNBOOKED: 0}
        self.diverted = {BOOKED: 0, UNBOOKED: 0}
        self.refused_bookings = 0
        self.in_slot = Level(start)

    # ------------------------------------------------------------ bookings and published waits
    def _book(self, now: float, force: bool = False) -> bool:
        day = math.floor(now)
        if day != self._day:
            self._day = day
            self._bookings_left = int(round(self.booked_share * servers_at(self.c, self.windows, now)))
        if self._bookings_left > 0:
            self._bookings_left -= 1
            return True
        if not force and now >= self.start:
            self.refused_bookings += 1
        return force

    def slots_for(self, cls: int, t: float) -> float:
        """Slots per day open to class ``cls`` at ``t``: the bookings sold, or what is left for unbooked ships."""
        servers = servers_at(self.c, self.windows, t)
        booked = round(self.booked_share * servers)
        return float(booked if cls == BOOKED else servers - booked)

    def expected_wait(self, cls: int, now: float) -> float:
        """The wait a ship of class ``cls`` arriving now can expect from the published queue (days).

        Ships of its class already waiting, divided by the slots a day its
        class gets (the canal authority publishes the queue and how many of the
        day's slots are sold as bookings); during a closure, the days until it
        reopens come first.
        """
        queue = len(self._waiting[cls])
        reopen = now
        if servers_at(self.c, self.windows, now) == 0:
            reopen = closed_until(self.windows, now)
            if not math.isfinite(reopen):
                return math.inf
        if queue == 0:
            return reopen - now
        rate = self.slots_for(cls, reopen)
        return reopen - now + (queue / rate if rate > 0 else math.inf)

    def _enqueue(self, cls: int, now: float):
        self._waiting[cls].append(now)
        self.queue[cls].change(now, +1)
        if now >= self.start:
            self.arrivals[cls] += 1
        return self.slots.request(priority=cls)

    def _granted(self, cls: int, arrived: float) -> float:
        now = self.env.now
        self._waiting[cls].popleft()
        self.queue[cls].change(now, -1)
        waited = now - arrived
        self.waits[cls].add(arrived, waited)
        if arrived >= self.start:
            self._arrived[cls].append(arrived)
        return waited

    def waits_between(self, cls: int, t0: float, t1: float) -> np.ndarray:
        """Waits of the ships of class ``cls`` that arrived in ``[t0, t1)`` and have had their slot (days).

        >>> env = simpy.Environment()
        >>> canal = Canal(env, "panama", 2, 0.4, booked_share=0.5, slot_rng=np.random.default_rng(1))
        >>> canal.start_traffic(1.5, np.random.default_rng(2))
        >>> env.run(until=50.0)
        >>> w = canal.waits_between(UNBOOKED, 10.0, 40.0)
        >>> bool(w.size > 0 and (w >= 0).all() and w.size < len(canal.waits[UNBOOKED]))
        True
        """
        at = np.frombuffer(self._arrived[cls], dtype=float) if len(self._arrived[cls]) else np.zeros(0)
        return self.waits[cls].array()[(at >= t0) & (at < t1)]

    def _hold_slot(self, req, days: float) -> None:
        self.in_slot.change(self.env.now, +1)
        self.env.timeout(days, req).callbacks.append(self._free_slot)

    def _free_slot(self, event) -> None:
        self.in_slot.change(self.env.now, -1)
        self.slots.release(event.value)

    # ------------------------------------------------------------ background traffic
    def start_traffic(self, rate_per_day: float, rng: np.random.Generator, detours=None) -> None:
        """Poisson arrivals of other ships; ``detours`` (a :class:`~routesim.engines.des.detours.Detours`) lets them divert.

        Every ship's gap, wish for a booking, detour and slot-day are drawn on
        arrival, in blocks, so a canal's traffic is the same whatever its
        capacity (common random numbers).
        """
        if rate_per_day <= 0:
            return
        self._traffic = (rng, 1.0 / rate_per_day, detours)
        self._arrivals: list[tuple] = []
        self._next_background()

    def _next_background(self) -> None:
        todo = self._arrivals
        if not todo:
            rng, mean_gap, detours = self._traffic
            gaps = rng.exponential(mean_gap, DRAW_BLOCK)
            wants = rng.random(DRAW_BLOCK) < self.booked_share
            limits = (detours.sample(rng, DRAW_BLOCK) + self.transit_days if detours is not None
                      else np.full(DRAW_BLOCK, math.inf))
            slot_days = rng.exponential(1.0, DRAW_BLOCK)
            todo.extend(zip(gaps.tolist()[::-1], wants.tolist()[::-1], limits.tolist()[::-1], slot_days.tolist()[::-1]))
        gap, want, limit, slot = todo.pop()
        self.env.timeout(gap, (want, limit, slot)).callbacks.append(self._background_arrival)

    def _background_arrival(self, event) -> None:
        self._next_background()
        wants_booking, limit_days, slot_days = event.value
        now = self.env.now
        cls = BOOKED if wants_booking and self._book(now) else UNBOOKED
        if self.expected_wait(cls, now) > limit_days:
            if now >= self.start:
                self.diverted[cls] += 1
            return
        if self._weather:
            extra = weather_extra(self.windows, now, self._weather_rng)
            if extra > 0:
                self.env.timeout(extra).callbacks.append(
                    lambda _e, c=cls, a=now, d=slot_days: self._background_queue(c, a, d))
                return
        self._background_queue(cls, now, slot_days)

    def _background_queue(self, cls: int, arrived: float, slot_days: float) -> None:
        req = self._enqueue(cls, self.env.now)
        req.cls = cls
        req.arrived = arrived
        req.slot_days = slot_days
        req.callbacks.append(self._background_enter)

    def _background_enter(self, req) -> None:
        self._granted(req.cls, req.arrived)
        self._hold_slot(req, req.slot_days)

    # ------------------------------------------------------------ the scenario's vessels
    def transit(self, booked: bool, entered=None, teu: float | None = None):
        """Queue for a slot and pass the locks (use with ``yield from``); returns the wait in days.

        ``entered(t)`` is called when the vessel is given its slot; ``teu`` (the vessel's size)
        matters only to :class:`Locks`.
        """
        env = self.env
        arrived = env.now
        cls = BOOKED if booked and self._book(arrived, force=True) else UNBOOKED
        if cls == BOOKED and self._booked_wait is not None:
            yield env.timeout(self._booked_wait())
        if self._weather:
            extra = weather_extra(self.windows, arrived, self._weather_rng)
            if extra > 0:
                yield env.timeout(extra)
        slot_days = self._slot_days()
        queued = env.now
        req = self._enqueue(cls, queued)
        yield req
        self._granted(cls, queued)
        waited = env.now - arrived
        self.vessel_waits.add(arrived, waited)
        if entered is not None:
            entered(env.now)
        self._hold_slot(req, slot_days)
        yield env.timeout(self.transit_days)
        return waited

    def closed_until(self, t: float) -> float:
        return closed_until(self.windows, t)

    # ------------------------------------------------------------ statistics
    def raw(self, until: float) -> dict:
        """The replication's raw figures, pooled over replications by :mod:`routesim.engines.des.pooled`."""
        span = until - self.start
        return {"slots": self.c, "span": span, "slot_area": self.in_slot.mean(until) * span,
                "own": self.vessel_waits.array().astype(np.float32), "refused": self.refused_bookings,
                "classes": {cls: {"waits": self.waits[cls].array().astype(np.float32),
                                  "queue_area": self.queue[cls].mean(until) * span,
                                  "queue_peak": self.queue[cls].peak, "arrivals": self.arrivals[cls],
                                  "diverted": self.diverted[cls]} for cls in (BOOKED, UNBOOKED)}}

    def stats(self, until: float) -> dict:
        span = max(until - self.start, 1e-12)
        out = {"slots_per_day": self.c, "slot_utilisation": self.in_slot.mean(until) / self.c,
               "transits_per_day": sum(len(w) for w in self.waits.values()) / span,
               "refused_bookings": self.refused_bookings,
               "scenario_vessel_wait": summary(self.vessel_waits.array())}
        for cls, name in _CLASS_NAME.items():
            arrivals = self.arrivals[cls] + self.diverted[cls]
            out[name] = {
                "wait": summary(self.waits[cls].array()),
                "queue_mean_ships": self.queue[cls].mean(until),
                "queue_max_ships": self.queue[cls].peak,
                "diverted": self.diverted[cls],
                "diverted_share": self.diverted[cls] / arrivals if arrivals else 0.0,
            }
        return out


class Locks:
    """A canal of several sets of locks (Panama's Panamax and Neopanamax), each a :class:`Canal`.

    Parameters
    ----------
    env : simpy.Environment
    name : str
        Chokepoint name.
    locks : sequence of (str, float, Canal)
        Each lock's place name (``panama.neopanamax``), the largest vessel it takes (TEU) and its
        canal, smallest first; a vessel larger than every limit uses the last.
    start : float
        End of the warm-up (study day 0).
    """

    def __init__(self, env: simpy.Environment, name: str, locks, *, start: float = 0.0):
        self.env = env
        self.name = name
        self.locks = tuple(locks)
        self.vessel_waits = Waits(start)
        """Waits of the scenario's vessels at any of the locks (days)."""

    def lock_for(self, teu: float | None) -> Canal:
        """The canal of the smallest locks that take a vessel of ``teu`` (the largest when None)."""
        for _where, limit, canal in self.locks:
            if teu is not None and teu <= limit:
                return canal
        return self.locks[-1][2]

    def transit(self, booked: bool, entered=None, teu: float | None = None):
        """Queue at the locks the vessel's size needs and pass them (``yield from``); returns the wait."""
        arrived = self.env.now
        waited = yield from self.lock_for(teu).transit(booked, entered)
        self.vessel_waits.add(arrived, waited)
        return waited

    def closed_until(self, t: float) -> float:
        return max(canal.closed_until(t) for _w, _l, canal in self.locks)

    def raw(self, until: float) -> dict:
        """Raw figures of every lock (by place name) and of the canal as a whole (the locks summed)."""
        per = {where: canal.raw(until) for where, _limit, canal in self.locks}
        first = next(iter(per.values()))
        total = {"slots": sum(r["slots"] for r in per.values()), "span": first["span"],
                 "slot_area": sum(r["slot_area"] for r in per.values()),
                 "own": self.vessel_waits.array().astype(np.float32),
                 "refused": sum(r["refused"] for r in per.values()),
                 "classes": {cls: {"waits": np.concatenate([r["classes"][cls]["waits"] for r in per.values()]),
                                   "queue_area": sum(r["classes"][cls]["queue_area"] for r in per.values()),
                                   # the largest queue at one set of locks
                                   "queue_peak": max(r["classes"][cls]["queue_peak"] for r in per.values()),
                                   "arrivals": sum(r["classes"][cls]["arrivals"] for r in per.values()),
                                   "diverted": sum(r["classes"][cls]["diverted"] for r in per.values())}
                             for cls in (BOOKED, UNBOOKED)}}
        return {self.name: total, **per}


class Passage:
    """A chokepoint passed on a leg without transit slots (no capacity in the catalogue or scenario).

    A vessel waits a draw of the passage's normal wait (the Plan's
    ``wait_days``, as in the Monte Carlo engine), any closure and weather
    window, then the locks time.
    """

    def __init__(self, env: simpy.Environment, name: str, wait_days, transit_days: float, *, windows=(),
                 start: float = 0.0, rng: np.random.Generator):
        self.env = env
        self.name = name
        self.windows = tuple(windows)
        self.transit_days = float(transit_days)
        self._wait = Draws(wait_days, rng)
        self._rng = rng
        self.start = start
        self.vessel_waits = Waits(start)

    def transit(self, booked: bool, entered=None, teu: float | None = None):
        env = self.env
        arrived = env.now
        wait = self._wait() + weather_extra(self.windows, arrived, self._rng)
        wait = closed_until(self.windows, arrived + wait) - arrived
        yield env.timeout(wait)
        self.vessel_waits.add(arrived, wait)
        if entered is not None:
            entered(env.now)
        yield env.timeout(self.transit_days)
        return wait

    def stats(self, until: float) -> dict:
        return {"slots_per_day": None, "scenario_vessel_wait": summary(self.vessel_waits.array())}
