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
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import simpy

from ...distributions import Exponential
from .draws import Draws
from ...disruptions import closed_until, weather_extra
from .disruptions import servers_at, start_capacity_windows
from .ports import DRAW_BLOCK
from .stats import Level, Waits, summary

__all__ = ["Canal", "Passage", "BOOKED", "UNBOOKED"]

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
    """

    def __init__(self, env: simpy.Environment, name: str, slots: int, transit_days: float, *,
                 booked_share: float, windows=(), start: float = 0.0, slot_rng: np.random.Generator,
                 weather_rng: np.random.Generator | None = None):
        self.env = env
        self.name = name
        self.c = int(slots)
        self.transit_days = float(transit_days)
        self.booked_share = float(booked_share)
        self.windows = tuple(windows)
        self.slots = simpy.PriorityResource(env, self.c)
        start_capacity_windows(env, self.slots, self.c, self.windows)
        self._slot_days = Draws(Exponential(1.0), slot_rng)
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
        return waited

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
    def transit(self, booked: bool, entered=None):
        """Queue for a slot and pass the locks (use with ``yield from``); returns the wait in days.

        ``entered(t)`` is called when the vessel is given its slot.
        """
        env = self.env
        arrived = env.now
        cls = BOOKED if booked and self._book(arrived, force=True) else UNBOOKED
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

    def transit(self, booked: bool, entered=None):
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
