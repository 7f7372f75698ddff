"""Transient queue growth when capacity is cut: the Monte Carlo engine's congestion model.

A port (berths) or a canal (daily slots) runs at utilisation ``rho`` with
``c`` servers of mean service time ``s`` days; arrivals come at
``lam = rho * c / s`` a day. When a disruption cuts the servers to ``c'``
the queue does not jump to a new steady state: it grows from where it was.
In heavy traffic the number in queue behaves like a *reflected Brownian
motion* (RBM) with drift ``lam - c/s`` (ships a day) and variance
``lam + cs2 * c/s`` (Poisson arrivals; ``cs2`` the squared coefficient of
variation of service: 1 for berths, 0 for daily canal slots). The extra
queue a cut causes ``tau`` days into it is taken as

    E[R(tau); drift after the cut] - E[R(tau); drift before the cut]

(both RBMs started empty), which is zero without a cut, grows like the
fluid backlog ``(lam - c'/s) * tau`` when the cut makes the queue unstable,
tends to the heavy-traffic steady state when it does not, is continuous
across ``rho' = 1`` and never decreases when the cut deepens. The extra
wait is that queue divided by the service rate ``c'/s``; after the window
the extra queue drains at ``c/s - lam``.

The mean of an RBM started at 0 is computed from the law of the maximum of
a Brownian motion with drift (Harrison 1985, *Brownian Motion and
Stochastic Flow Systems*, eq. 1.8.11):
``P(M_t > x) = Phi((-x + nu t) / (sig sqrt t)) + exp(2 nu x / sig^2) Phi((-x - nu t) / (sig sqrt t))``.

>>> import numpy as np
>>> round(float(rbm_mean(np.array([1e4]), -1.0, 2.0)[0]), 3)  # steady state sig^2 / (2 |drift|)
1.0
>>> float(rbm_mean(np.array([100.0]), 2.0, 1.0)[0]) > 199  # fluid growth
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["rbm_mean", "CongestionModel", "CongestionProfile"]

_SQRT2 = math.sqrt(2.0)
_erfc = np.vectorize(math.erfc, otypes=[float])


def _erfcx(z: np.ndarray) -> np.ndarray:
    """Scaled complementary error function exp(z^2) erfc(z), stable for large z."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = z < 20.0
    out[small] = np.exp(z[small] ** 2) * _erfc(z[small])
    zz = z[~small]
    # asymptotic series: erfcx(z) ~ 1/(z sqrt(pi)) (1 - 1/(2 z^2) + 3/(4 z^4))
    out[~small] = (1.0 - 0.5 / zz**2 + 0.75 / zz**4) / (zz * math.sqrt(math.pi))
    return out


def _phi_cdf(z: np.ndarray) -> np.ndarray:
    return 0.5 * _erfc(-np.asarray(z, dtype=float) / _SQRT2)


def _max_tail(x: np.ndarray, t: float, nu: float, sig: float) -> np.ndarray:
    """P(max_{s<=t} B(s) > x) for Brownian motion B with drift ``nu``, sd ``sig`` per sqrt(day)."""
    st = sig * math.sqrt(t)
    a = _phi_cdf((-x + nu * t) / st)
    # exp(2 nu x / sig^2) Phi(-z), z = (x + nu t)/st, written without overflow:
    # = 0.5 exp(-(x - nu t)^2 / (2 sig^2 t)) erfcx(z / sqrt 2) for z >= 0
    z = (x + nu * t) / st
    b = np.where(
        z >= 0,
        0.5 * np.exp(-((x - nu * t) ** 2) / (2 * sig * sig * t)) * _erfcx(np.maximum(z, 0.0) / _SQRT2),
        np.exp(np.minimum(2 * nu * x / (sig * sig), 700.0)) * _phi_cdf(-z),
    )
    return np.clip(a + b, 0.0, 1.0)


def rbm_mean(t: np.ndarray, drift: float, var: float, points: int = 400) -> np.ndarray:
    """Mean of a reflected Brownian motion started at 0, at times ``t`` (days).

    ``drift`` and ``var`` are per day (ships/day, ships^2/day). E[R(t)] =
    drift t + E[max_{s<=t} W(s)] with W a Brownian motion of drift -drift.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    out = np.zeros_like(t)
    if var <= 0:
        return np.maximum(drift * t, 0.0)
    sig = math.sqrt(var)
    nu = -drift
    for i, ti in enumerate(t):
        if ti <= 0:
            continue
        # the maximum of W over [0, t] lies below nu t + 10 sd with overwhelming probability
        hi = max(nu, 0.0) * ti + 10.0 * sig * math.sqrt(ti)
        x = np.linspace(0.0, hi, points)
        tail = _max_tail(x, ti, nu, sig)
        out[i] = drift * ti + float(np.trapezoid(tail, x))
    return np.maximum(out, 0.0)


class CongestionModel:
    """Extra wait (days) at a place whose capacity is cut from ``c`` to ``c_cut`` servers.

    Parameters
    ----------
    c : int
        Servers in normal times (berths; daily canal slots).
    rho : float
        Utilisation in normal times (inferred from the published mean wait).
    service : float
        Mean service time (days).
    cs2 : float
        Squared coefficient of variation of service (1 berths, 0 canal slots).
    max_extra_days : float
        Cap on the extra wait (ships divert rather than wait longer).
    """

    def __init__(self, c: int, rho: float, service: float, cs2: float, max_extra_days: float = math.inf):
        self.c = c
        self.rho = rho
        self.service = service
        self.cs2 = cs2
        self.max_extra_days = max_extra_days
        self.lam = rho * c / service

    def servers_after(self, factor: float) -> int:
        """Servers left by a capacity factor, rounded to the nearest whole one (at least one).

        A factor of 0.611 on Panama's 36 daily slots is the drought's 22.
        """
        return max(1, int(math.floor(self.c * factor + 0.5)))

    def booking_share(self, factor: float) -> float:
        """Share of booked ships that still get a slot when booking slots shrink with capacity."""
        cap = self.servers_after(factor) / self.service
        return 1.0 if cap >= self.lam else cap / self.lam

    def profile(self, start: float, end: float, factor: float, horizon: float, grid: int = 160) -> "CongestionProfile":
        """The extra wait of a cut in ``[start, end)`` as a curve to interpolate (compute once per run)."""
        c_cut = self.servers_after(factor)
        mu_cut, mu = c_cut / self.service, self.c / self.service
        stop = end if math.isfinite(end) else max(horizon, start + 1.0)
        taus = np.linspace(0.0, max(stop - start, 1e-9), grid)
        q_cut = rbm_mean(taus, self.lam - mu_cut, self.lam + self.cs2 * mu_cut)
        q_norm = rbm_mean(taus, self.lam - mu, self.lam + self.cs2 * mu)
        extra_q = np.maximum.accumulate(np.maximum(q_cut - q_norm, 0.0))
        # ships that would wait longer than the cap divert instead of joining, so the queue stops
        # growing: capped at what normal capacity clears in the cap (the same for every cut depth,
        # so a deeper cut never leaves a shorter backlog behind)
        extra_q = np.minimum(extra_q, self.max_extra_days * mu)
        return CongestionProfile(start, end, taus, extra_q / mu_cut, float(extra_q[-1]),
                                 max(mu - self.lam, 1e-12), mu, self.max_extra_days)

    def extra_days(self, t: np.ndarray, start: float, end: float, factor: float) -> np.ndarray:
        """Extra wait (days) for arrivals at times ``t`` (study clock) from a cut in ``[start, end)``."""
        t = np.asarray(t, dtype=float)
        return self.profile(start, end, factor, float(np.max(t, initial=start + 1.0))).at(t)


class CongestionProfile:
    """Extra wait (days) of one capacity window as a function of the arrival time."""

    def __init__(self, start, end, taus, extra_wait, extra_queue_end, drain_rate, service_rate, cap):
        self.start, self.end = start, end
        self.taus, self.extra_wait = taus, extra_wait
        self.extra_queue_end, self.drain_rate, self.service_rate = extra_queue_end, drain_rate, service_rate
        self.cap = cap

    def at(self, t: np.ndarray) -> np.ndarray:
        """Extra wait (days) for arrivals at times ``t``; after the window the extra queue drains."""
        t = np.asarray(t, dtype=float)
        out = np.zeros_like(t)
        inside = (t >= self.start) & (t < self.end)
        if inside.any():
            out[inside] = np.interp(t[inside] - self.start, self.taus, self.extra_wait)
        if math.isfinite(self.end):
            after = t >= self.end
            if after.any():
                q = np.maximum(0.0, self.extra_queue_end - self.drain_rate * (t[after] - self.end))
                out[after] = q / self.service_rate
        np.minimum(out, self.cap, out=out)
        return out
