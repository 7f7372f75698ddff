"""A container port: berths, an anchorage and the other ships that use them.

Berths are a :class:`simpy.Resource` (a :class:`simpy.PriorityResource` when
a disruption window takes berths out of service, see
:mod:`routesim.des.disruptions`). A ship arriving at the port waits at the
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

from .disruptions import closed_until, has_capacity_windows, start_capacity_windows, weather_extra
from .stats import Level, Waits

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
        self.start = start
        self.anchorage = Level(start)
        """Ships waiting at anchor (for a berth, or held by weather)."""
        self.alongside = Level(start)
        """Ships at a berth (withdrawn berths are not counted)."""
        self.waits = Waits(start)
        """Anchorage waits of every ship arriving in the study period (days)."""
        self.vessel_waits = Waits(start)
        """Anchorage waits of the scenario's own vessels (days)."""
        self.arrivals = 0
        """Ships arriving in the study period."""
        self.berth_days = 0.0
        """Berth time booked by ships arriving in the study period (days)."""

    # ------------------------------------------------------------ background traffic
    def start_traffic(self, rate_per_day: float, service_days: float, rng: np.random.Generator) -> None:
        """Start Poisson arrivals of other ships with exponential berth times (M/M/c traffic).

        Gaps and berth times are drawn from ``rng`` in blocks, gaps first, so a
        port's traffic is the same whatever its berths (common random numbers).
        """
        if rate_per_day <= 0:
            return
        self._traffic = (rng, 1.0 / rate_per_day, float(service_days))
        self._gaps: list[float] = []
        self._services: list[float] = []
        self._timeout = self.env.timeout
        self._request = self.berths.request
        self._release = self.berths.release
        self._next_background()

    def _next_background(self) -> None:
        gaps = self._gaps
        if not gaps:
            rng, mean_gap, mean_service = self._traffic
            gaps.extend(rng.exponential(mean_gap, DRAW_BLOCK)[::-1].tolist())
            self._services.extend(rng.exponential(mean_service, DRAW_BLOCK)[::-1].tolist())
        self._timeout(gaps.pop(), self._services.pop()).callbacks.append(self._background_arrival)

    # The three callbacks below run for every background ship; they update the
    # anchorage and berth levels in line (see Level.change) to keep a ship at
    # four SimPy events and little else.
    def _background_arrival(self, event) -> None:
        self._next_background()
        now = self.env.now
        service = event.value
        a = self.anchorage
        if now > a.last:
            a.area += a.n * (now - a.last)
            a.last = now
        a.n += 1
        if a.n > a.peak and now >= a.start:
            a.peak = a.n
        if now >= self.start:
            self.arrivals += 1
            self.berth_days += service
        if self._weather:
            extra = weather_extra(self.windows, now, self._weather_rng)
            if extra > 0:
                hold = self._timeout(extra)
                hold.callbacks.append(lambda _e, a=now, s=service: self._background_request(a, s))
                return
        self._background_request(now, service)

    def _background_request(self, arrived: float, service: float) -> None:
        req = self._request()
        req.arrived = arrived
        req.service = service
        req.callbacks.append(self._background_berthed)

    def _background_berthed(self, req) -> None:
        now = self.env.now
        a = self.anchorage
        if now > a.last:
            a.area += a.n * (now - a.last)
            a.last = now
        a.n -= 1
        b = self.alongside
        if now > b.last:
            b.area += b.n * (now - b.last)
            b.last = now
        b.n += 1
        if req.arrived >= self.start:
            self.waits.values.append(now - req.arrived)
        self._timeout(req.service, req).callbacks.append(self._background_leave)

    def _background_leave(self, event) -> None:
        now = self.env.now
        b = self.alongside
        if now > b.last:
            b.area += b.n * (now - b.last)
            b.last = now
        b.n -= 1
        self._release(event.value)

    # ------------------------------------------------------------ the scenario's vessels
    def moor(self):
        """Arrive, wait at the anchorage and take a berth (use with ``yield from``).

        Returns ``(request, waited_days)``; give the request back to :meth:`unmoor`.
        """
        env = self.env
        arrived = env.now
        self.anchorage.change(arrived, +1)
        if arrived >= self.start:
            self.arrivals += 1
        if self._weather:
            extra = weather_extra(self.windows, arrived, self._weather_rng)
            if extra > 0:
                yield env.timeout(extra)
        req = self.berths.request()
        yield req
        now = env.now
        self.anchorage.change(now, -1)
        self.alongside.change(now, +1)
        waited = now - arrived
        self.waits.add(arrived, waited)
        self.vessel_waits.add(arrived, waited)
        req.arrived = arrived
        return req, waited

    def unmoor(self, req) -> None:
        """Leave the berth taken by :meth:`moor`."""
        now = self.env.now
        if req.arrived >= self.start:
            self.berth_days += now - req.usage_since
        self.alongside.change(now, -1)
        self.berths.release(req)

    def closed_until(self, t: float) -> float:
        """When a vessel ready to sail at ``t`` may leave (``t`` unless the port is closed)."""
        return closed_until(self.windows, t) if self.closures else t

    # ------------------------------------------------------------ statistics
    def utilisation(self, until: float) -> float:
        """Time-average share of berths occupied by ships over [start, until]."""
        return self.alongside.mean(until) / self.c

    def stats(self, until: float) -> dict:
        """Statistics of the study period [start, until] as plain numbers."""
        from .stats import summary

        waits = self.waits.array()
        own = self.vessel_waits.array()
        span = max(until - self.start, 1e-12)
        return {
            "berths": self.c,
            "berth_utilisation": self.utilisation(until),
            "arrivals_per_day": self.arrivals / span,
            "wait": summary(waits),
            "scenario_vessel_wait": summary(own),
            "anchorage_mean_ships": self.anchorage.mean(until),
            "anchorage_max_ships": self.anchorage.peak,
            "alongside_mean_ships": self.alongside.mean(until),
        }
