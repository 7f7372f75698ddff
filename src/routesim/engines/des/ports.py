"""A container port: berths, an anchorage and the other ships that use them.

Berths are a :class:`simpy.Resource` (a :class:`simpy.PriorityResource` when
a disruption window takes berths out of service, see
:mod:`routesim.engines.des.disruptions`). A ship arriving at the port waits at the
anchorage until a berth is free, first come first served, and leaves its
berth when handling is done.

The port also sees **background traffic**: Poisson arrivals of other ships,
each alongside for an exponential time of mean ``s``, the berth time of a
typical deep-sea call (:attr:`routesim.plan.PortParams.reference_service_days`).
Their rate is ``(rho * c - a) / s`` per day, where ``c`` is the number of
berths, ``rho`` the utilisation the Plan inferred from the port's published
mean wait (:attr:`routesim.plan.PortParams.utilisation`) and ``a`` the berth
days per day the scenario's own vessels bring (their calls are part of the
traffic behind the published wait; see :func:`background_rate`). In normal
times the port is then, up to the scenario's few scheduled calls, the M/M/c
queue whose waiting time the Monte Carlo engine samples; when berths are
withdrawn the queue builds up and drains for real.
Background ships are driven by callbacks, not processes, so each costs four
SimPy events (arrival, berth granted, end of handling, release) and a few
lines of bookkeeping.

>>> import numpy as np, simpy
>>> env = simpy.Environment()
>>> port = Port(env, "PECHY", berths=4)
>>> port.start_traffic(rate_per_day=3.2, service_days=1.0, rng=np.random.default_rng(1))
>>> env.run(until=2000)
>>> 0.7 < port.utilisation(2000) < 0.9
True
"""

from __future__ import annotations

import numpy as np
import simpy

from ...disruptions import closed_until, weather_extra
from ...queueing import mmc_number_in_system
from .disruptions import has_capacity_windows, start_capacity_windows
from .stats import Waits, summary

__all__ = ["Port", "DRAW_BLOCK", "background_rate"]

DRAW_BLOCK = 1024
"""Random numbers drawn at a time for background traffic (speed only; the draws do not depend on it)."""


def background_rate(berths: int, utilisation: float, service_days: float, own_berth_days_per_day: float = 0.0) -> float:
    """Arrivals per day of other ships so that the berths run at ``utilisation`` with the scenario's own calls.

    >>> background_rate(4, 0.8, 1.0)            # 3.2 ships a day of one berth-day each
    3.2
    >>> round(background_rate(4, 0.8, 1.0, own_berth_days_per_day=0.2), 6)
    3.0
    """
    if utilisation <= 0 or service_days <= 0:
        return 0.0
    return max(0.0, utilisation * berths - own_berth_days_per_day) / service_days


class Port:
    """Berths, anchorage and statistics of one port.

    Parameters
    ----------
    env : simpy.Environment
        Clock in days.
    code : str
        UN/LOCODE.
    berths : int
        Berths usable by deep-sea container ships.
    windows : sequence of Window
        Disruptions at this port (closures, capacity cuts, weather).
    start : float
        End of the warm-up (study day 0): statistics cover what happens from then on.
    weather_rng : numpy.random.Generator, optional
        Draws of weather delays (needed only when a weather window applies).
    """

    def __init__(self, env: simpy.Environment, code: str, berths: int, *, windows=(), start: float = 0.0,
                 weather_rng: np.random.Generator | None = None):
        self.env = env
        self.code = code
        self.c = int(berths)
        self.windows = tuple(windows)
        if has_capacity_windows(self.windows):
            self.berths = simpy.PriorityResource(env, self.c)
            start_capacity_windows(env, self.berths, self.c, self.windows)
        else:
            self.berths = simpy.Resource(env, self.c)
        self._weather = any(w.kind == "weather" for w in self.windows)
        self.closures = any(w.kind in ("closure", "capacity") for w in self.windows)
        """True when a window may close the port (vessels then check before leaving)."""
        self._weather_rng = weather_rng
        self._given = None
        self.start = start
        # Time averages are kept as sums of stays rather than integrated at every change: a
        # ship's anchorage stay is booked when it berths, a background ship's berth stay when it
        # berths too (its berth time is known then), a vessel's when it leaves; the *_mean()
        # methods add or trim the stays still open at their ``until``.
        self.at_anchor = 0
        """Ships at anchor now (waiting for a berth, or held by weather)."""
        self.peak_at_anchor = 0
        """Most ships at anchor at once in the study period."""
        self._anchor_area = 0.0
        self._berth_area = 0.0
        self._held: list[float] = []  # arrival times of ships held by weather (not yet queuing)
        self.waits = Waits(start)
        """Anchorage waits of every ship arriving in the study period (days)."""
        self.vessel_waits = Waits(start)
        """Anchorage waits of the scenario's own vessels (days)."""
        self.arrivals = 0
        """Ships arriving in the study period."""
        self.berth_days = 0.0
        """Berth time booked by ships arriving in the study period (days)."""
        self.loaded_teu = 0.0
        """Scenario cargo loaded here (TEU; warm-up included)."""
        self.discharged_teu = 0.0
        self.rolled_teu = 0.0
        """Scenario cargo left on the quay for lack of space, summed over every sailing that left it (TEU)."""

    # ------------------------------------------------------------ background traffic
    def start_traffic(self, rate_per_day: float, service_days: float, rng: np.random.Generator,
                      init_rng: np.random.Generator | None = None, utilisation: float | None = None) -> None:
        """Start Poisson arrivals of other ships with exponential berth times (M/M/c traffic).

        Gaps and berth times are drawn from ``rng`` in blocks, gaps first, so a
        port's traffic is the same whatever its berths (common random numbers). With
        ``init_rng`` the port starts in its stationary state: a draw of the number of
        ships in an M/M/c system at the port's ``utilisation`` (all its ships, the scenario's
        own calls included; default: this traffic's) is alongside or at anchor at the first
        moment (:func:`routesim.queueing.mmc_number_in_system`), so waits are stationary from
        the start however close the berths run to capacity (a warm-up alone cannot build the
        queue of a port near saturation).
        """
        if rate_per_day <= 0:
            return
        self._traffic = (rng, 1.0 / rate_per_day, float(service_days))
        self._gaps: list[float] = []
        self._services: list[float] = []
        self._timeout = self.env.timeout
        self._request = self.berths.request
        self._release = self.berths.release
        rho = rate_per_day * service_days / self.c if utilisation is None else utilisation
        if init_rng is not None and rho < 1.0:
            now = self.env.now
            for _ in range(mmc_number_in_system(self.c, rho, float(init_rng.random()))):
                self.at_anchor += 1
                req = self._request()
                req.arrived = now
                req.service = float(init_rng.exponential(service_days))
                req.callbacks.append(self._background_berthed)
        self._next_background()

    def _next_background(self) -> None:
        gaps = self._gaps
        if not gaps:
            rng, mean_gap, mean_service = self._traffic
            gaps.extend(rng.exponential(mean_gap, DRAW_BLOCK)[::-1].tolist())
            self._services.extend(rng.exponential(mean_service, DRAW_BLOCK)[::-1].tolist())
        self._timeout(gaps.pop(), self._services.pop()).callbacks.append(self._background_arrival)

    # The three callbacks below run for every background ship. They book its
    # stays and schedule the next arrival in line, to keep a ship at four SimPy
    # events and little else.
    def _background_arrival(self, event) -> None:
        gaps = self._gaps
        if gaps:
            self._timeout(gaps.pop(), self._services.pop()).callbacks.append(self._background_arrival)
        else:
            self._next_background()
        now = self.env.now
        service = event.value
        n = self.at_anchor = self.at_anchor + 1
        if now >= self.start:
            self.arrivals += 1
            self.berth_days += service
            if n > self.peak_at_anchor:
                self.peak_at_anchor = n
        if self._weather:
            extra = weather_extra(self.windows, now, self._weather_rng)
            if extra > 0:
                self._held.append(now)
                hold = self._timeout(extra)
                hold.callbacks.append(lambda _e, a=now, s=service: self._background_request(a, s))
                return
        req = self._request()
        req.arrived = now
        req.service = service
        req.callbacks.append(self._background_berthed)

    def _background_request(self, arrived: float, service: float) -> None:
        self._held.remove(arrived)
        req = self._request()
        req.arrived = arrived
        req.service = service
        req.callbacks.append(self._background_berthed)

    def _background_berthed(self, req) -> None:
        now = self.env.now
        self.at_anchor -= 1
        start = self.start
        service = req.service
        if now >= start:
            self._berth_area += service
            arrived = req.arrived
            if arrived >= start:
                self.waits.values.append(now - arrived)
                self._anchor_area += now - arrived
            else:
                self._anchor_area += now - start
        elif now + service > start:
            self._berth_area += now + service - start
        self._timeout(service, req).callbacks.append(self._background_leave)

    def _background_leave(self, event) -> None:
        self._release(event.value)

    def use_given_waits(self, draws) -> None:
        """Give the scenario's vessels the waits ``draws()`` (days) instead of a queue behind
        background traffic: the port's ``berth_wait_days`` as the scenario states it. The
        vessels then share the berths only among themselves."""
        self._given = draws

    # ------------------------------------------------------------ the scenario's vessels
    def moor(self):
        """Arrive, wait at the anchorage and take a berth (use with ``yield from``).

        Returns ``(request, waited_days)``; give the request back to :meth:`unmoor`.
        """
        env = self.env
        arrived = env.now
        n = self.at_anchor = self.at_anchor + 1
        if arrived >= self.start:
            self.arrivals += 1
            self.peak_at_anchor = max(self.peak_at_anchor, n)
        if self._weather:
            extra = weather_extra(self.windows, arrived, self._weather_rng)
            if extra > 0:
                self._held.append(arrived)
                yield env.timeout(extra)
                self._held.remove(arrived)
        if self._given is not None:
            yield env.timeout(self._given())
        req = self.berths.request()
        req.arrived = arrived
        yield req
        now = env.now
        self.at_anchor -= 1
        self._anchor_area += max(0.0, now - max(arrived, self.start))
        waited = now - arrived
        self.waits.add(arrived, waited)
        self.vessel_waits.add(arrived, waited)
        return req, waited

    def unmoor(self, req) -> None:
        """Leave the berth taken by :meth:`moor`."""
        now = self.env.now
        if req.arrived >= self.start:
            self.berth_days += now - req.usage_since
        self._berth_area += max(0.0, now - max(req.usage_since, self.start))
        self.berths.release(req)

    def closed_until(self, t: float) -> float:
        """When a vessel ready to sail at ``t`` may leave (``t`` unless the port is closed)."""
        return closed_until(self.windows, t) if self.closures else t

    # ------------------------------------------------------------ statistics
    def anchorage_mean(self, until: float) -> float:
        """Time-average number of ships at anchor over [start, until]."""
        span = until - self.start
        if span <= 0:
            return 0.0
        area = self._anchor_area
        for t in self._held:
            area += max(0.0, until - max(t, self.start))
        for req in self.berths.queue:
            arrived = getattr(req, "arrived", None)
            if arrived is not None:
                area += max(0.0, until - max(arrived, self.start))
        return area / span

    def alongside_mean(self, until: float) -> float:
        """Time-average number of ships at a berth over [start, until] (withdrawn berths not counted)."""
        span = until - self.start
        if span <= 0:
            return 0.0
        area = self._berth_area
        for req in self.berths.users:
            if not hasattr(req, "arrived"):
                continue  # a berth withdrawn by a disruption
            service = getattr(req, "service", None)
            if service is not None:  # booked in full at berthing: take off what runs past until
                area -= max(0.0, req.usage_since + service - max(until, self.start))
            else:  # a vessel still alongside
                area += max(0.0, until - max(req.usage_since, self.start))
        return area / span

    def utilisation(self, until: float) -> float:
        """Time-average share of berths occupied by ships over [start, until]."""
        return self.alongside_mean(until) / self.c

    def stats(self, until: float) -> dict:
        """Statistics of the study period [start, until] as plain numbers."""
        waits = self.waits.array()
        own = self.vessel_waits.array()
        span = max(until - self.start, 1e-12)
        return {
            "berths": self.c,
            "berth_utilisation": self.utilisation(until),
            "arrivals_per_day": self.arrivals / span,
            "wait": summary(waits),
            "scenario_vessel_wait": summary(own),
            "anchorage_mean_ships": self.anchorage_mean(until),
            "anchorage_max_ships": self.peak_at_anchor,
            "alongside_mean_ships": self.alongside_mean(until),
            "rolled_teu": self.rolled_teu,
        }
