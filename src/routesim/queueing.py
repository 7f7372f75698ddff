"""Queueing theory for berths and canal slots (M/M/c, Erlang C).

Pure functions: the Plan infers utilisations from published waits with them, the Monte
Carlo engine scales waits when capacity changes (the transient congestion model below), and
the tests check the discrete-event engine against them. Canal queues with booked ships served
first follow Cobham's priority formula (:func:`priority_waits`).

Notation: ``c`` servers (berths, daily canal slots), arrival rate ``lam``
and mean service time ``service`` in days, offered load ``a = lam * service``
(erlangs) and utilisation ``rho = a / c``.

>>> round(erlang_c(4, 3.2), 4)          # P(wait > 0), c = 4, rho = 0.8
0.5964
>>> round(mmc_mean_wait(4, 0.8, 1.0), 4)  # mean wait in units of the service time
0.7455
"""

from __future__ import annotations

import math

import numpy as np

from .disruptions import servers_after

__all__ = ["erlang_c", "mmc_mean_wait", "mmc_wait_quantile", "utilisation_for_wait", "mmc_number_in_system", "priority_waits",
           "booked_per_day", "quota_waits", "priority_utilisation", "rbm_mean", "CongestionModel", "CongestionProfile",
           "fluid_backlog", "time_varying_waits"]


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with offered load ``a`` erlangs.

    Computed with the numerically stable Erlang B recursion. Returns 1 when
    ``a >= c`` (the queue is unstable).
    """
    if c < 1:
        raise ValueError(f"c must be >= 1, got {c}")
    if a < 0:
        raise ValueError(f"a must be >= 0, got {a}")
    if a >= c:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1.0 - rho + rho * b)


def mmc_mean_wait(c: int, rho: float, service: float) -> float:
    """Mean wait in queue of an M/M/c system (same unit as ``service``); ``inf`` if ``rho >= 1``.

    Wq = C(c, a) * service / (c * (1 - rho)) with a = c * rho.
    """
    if rho >= 1:
        return math.inf
    if rho <= 0:
        return 0.0
    return erlang_c(c, c * rho) * service / (c * (1.0 - rho))


def mmc_wait_quantile(c: int, rho: float, service: float, q: float) -> float:
    """The ``q`` quantile of the M/M/c wait: 0 below P(no wait), exponential tail above.

    P(W > t) = C(c, a) * exp(-(c - a) t / service).
    """
    if not 0 <= q < 1:
        raise ValueError(f"q must be in [0, 1), got {q}")
    pw = erlang_c(c, c * rho)
    if q <= 1 - pw:
        return 0.0
    return -math.log((1 - q) / pw) * service / (c * (1 - rho))


def utilisation_for_wait(c: int, mean_wait: float, service: float) -> float:
    """The utilisation ``rho`` at which an M/M/c queue has mean wait ``mean_wait`` (bisection).

    Used to infer how busy a port or canal is from its published average wait.
    """
    if mean_wait <= 0:
        return 0.0
    lo, hi = 0.0, 1.0 - 1e-12
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mmc_mean_wait(c, mid, service) < mean_wait:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def mmc_number_in_system(c: int, rho: float, u: float) -> int:
    """Ships in an M/M/c system in its stationary state, as the ``u`` quantile (0 <= u < 1).

    P(N = k) is proportional to a^k / k! below ``c`` and falls geometrically by ``rho`` from
    ``c`` on (a = c rho); P(N >= c) is Erlang C. Used to start a queue in steady state, so a
    simulation sees the stationary wait from its first day however close ``rho`` is to 1.

    >>> mmc_number_in_system(4, 0.8, 0.0), mmc_number_in_system(4, 0.8, 0.999)
    (0, 32)
    """
    if rho <= 0:
        return 0
    if rho >= 1:
        raise ValueError(f"rho must be < 1 for a stationary state, got {rho}")
    a = c * rho
    pc = erlang_c(c, a)
    if u >= 1.0 - pc:  # at least c in the system: c + geometric(1 - rho) on {0, 1, ...}
        tail = (u - (1.0 - pc)) / pc  # uniform on [0, 1) within the tail
        return c + int(math.floor(math.log1p(-tail) / math.log(rho)))
    terms = [1.0]
    for k in range(1, c):
        terms.append(terms[-1] * a / k)
    target = u / (1.0 - pc) * sum(terms)
    acc = 0.0
    for k, term in enumerate(terms):
        acc += term
        if target < acc:
            return k
    return c - 1


# ------------------------------------------------ canal slots: booked ships first
def priority_waits(c: int, rho: float, booked_share: float, service: float = 1.0) -> tuple[float, float]:
    """Mean waits (booked, unbooked) of an M/M/c queue serving booked ships first (days).

    Non-preemptive priority with equal service times (Cobham's formula for
    M/M/c): ``W_k = C(c, a) s / (c (1 - sigma_{k-1}) (1 - sigma_k))`` with
    ``a = c rho`` and ``sigma_k`` the utilisation of classes 1..k.

    >>> [round(w, 2) for w in priority_waits(36, 0.9198, 0.9)]
    [0.08, 1.05]
    """
    if rho >= 1:
        return (math.inf if booked_share * rho >= 1 else 0.0, math.inf)
    if rho <= 0:
        return (0.0, 0.0)
    base = erlang_c(c, c * rho) * service / c
    sigma1 = booked_share * rho
    return base / (1.0 - sigma1), base / ((1.0 - sigma1) * (1.0 - rho))


def booked_per_day(wanting_per_day: float, bookings_per_day: int) -> float:
    """Mean bookings taken a day when Poisson(``wanting_per_day``) ships want one and ``bookings_per_day`` are sold.

    ``E[min(N, B)]`` for ``N ~ Poisson(wanting)``: the rest arrive unbooked.

    >>> round(booked_per_day(29.8, 32), 2)
    28.53
    """
    if wanting_per_day <= 0 or bookings_per_day <= 0:
        return 0.0
    k = np.arange(bookings_per_day)
    log_pmf = k * math.log(wanting_per_day) - wanting_per_day - np.array([math.lgamma(x + 1.0) for x in k])
    pmf = np.exp(log_pmf)
    # E[min(N, B)] = sum_{k<B} k p(k) + B (1 - sum_{k<B} p(k))
    return float((k * pmf).sum() + bookings_per_day * max(0.0, 1.0 - pmf.sum()))


def quota_waits(c: int, rho: float, booked_share: float, service: float = 1.0) -> tuple[float, float]:
    """Mean waits (booked, unbooked) when a share ``booked_share`` of ships wants a booking and the
    daily quota ``round(booked_share x c)`` limits how many get one (days).

    The booked class is what the quota lets through (:func:`booked_per_day`); waits follow
    :func:`priority_waits` with that class split.

    >>> [round(w, 2) for w in quota_waits(36, 0.9273, 0.9)]
    [0.08, 1.05]
    """
    if rho <= 0:
        return (0.0, 0.0)
    quota = int(round(booked_share * c))
    share = booked_per_day(booked_share * rho * c * service, quota) / (rho * c * service)
    return priority_waits(c, rho, share, service)


def priority_utilisation(c: int, wait: float, booked_share: float, service: float = 1.0, *,
                         booked: bool = False) -> float:
    """Utilisation at which ships of one class wait ``wait`` days on average (bisection over
    :func:`quota_waits`): the unbooked class by default, the booked one with ``booked=True``.

    >>> round(priority_utilisation(36, 1.05, 0.9), 4)
    0.9273
    """
    if wait <= 0:
        return 0.0
    cls = 0 if booked else 1
    lo, hi = 0.0, 1.0 - 1e-12
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if quota_waits(c, mid, booked_share, service)[cls] < wait:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# ------------------------------------------------ transient congestion after a capacity cut
# Transient queue growth when capacity is cut: the Monte Carlo engine's congestion model.
#
# A port (berths) or a canal (daily slots) runs at utilisation ``rho`` with
# ``c`` servers of mean service time ``s`` days; arrivals come at
# ``lam = rho * c / s`` a day. When a disruption cuts the servers to ``c'``
# the queue does not jump to a new steady state: it grows from where it was.
# In heavy traffic the number in queue behaves like a *reflected Brownian
# motion* (RBM) with drift ``lam - c/s`` (ships a day) and variance
# ``lam + cs2 * c/s`` (Poisson arrivals; ``cs2`` the squared coefficient of
# variation of service: 1 for berths, 0 for daily canal slots). The extra
# queue a cut causes ``tau`` days into it is taken as
#
#     E[R(tau); drift after the cut] - E[R(tau); drift before the cut]
#
# (both RBMs started empty), which is zero without a cut, grows like the
# fluid backlog ``(lam - c'/s) * tau`` when the cut makes the queue unstable,
# tends to the heavy-traffic steady state when it does not, is continuous
# across ``rho' = 1`` and never decreases when the cut deepens. The extra
# wait is that queue divided by the service rate ``c'/s``; after the window
# the extra queue drains at ``c/s - lam``.
#
# The mean of an RBM started at 0 is computed from the law of the maximum of
# a Brownian motion with drift (Harrison 1985, *Brownian Motion and
# Stochastic Flow Systems*, eq. 1.8.11):
# ``P(M_t > x) = Phi((-x + nu t) / (sig sqrt t)) + exp(2 nu x / sig^2) Phi((-x - nu t) / (sig sqrt t))``.

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
        return servers_after(self.c, factor)

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


def fluid_backlog(arrivals_per_day, capacity_per_day: float) -> np.ndarray:
    """Backlog at the end of each day of a fluid queue: what arrived beyond what capacity served.

    ``arrivals_per_day`` (one value per day) against a constant service capacity (per day);
    the backlog carries over and drains when arrivals fall below capacity.

    >>> fluid_backlog([5, 5, 1, 1, 1], 3.0).tolist()
    [2.0, 4.0, 2.0, 0.0, 0.0]
    """
    out = np.empty(len(arrivals_per_day))
    q = 0.0
    for i, a in enumerate(np.asarray(arrivals_per_day, dtype=float)):
        q = max(0.0, q + a - capacity_per_day)
        out[i] = q
    return out


def time_varying_waits(c: int, lam_per_day, service: float, max_rho: float = 0.99):
    """Waits in an M/M/c queue whose arrival rate changes from day to day (days).

    The pointwise-stationary fluid approximation: on each day the stationary M/M/c wait at that
    day's load (utilisation capped at ``max_rho``; Erlang C, :func:`erlang_c`) plus the wait
    behind the fluid backlog of the days the load exceeded capacity (:func:`fluid_backlog`),
    served at ``c / service`` a day. Returns ``(p_wait, mean_wait_if_waiting, backlog_wait)``,
    arrays with one value per day: an arrival on day ``i`` waits ``backlog_wait[i]`` plus, with
    probability ``p_wait[i]``, an exponential time of mean ``mean_wait_if_waiting[i]``.

    >>> p, m, b = time_varying_waits(2, [0.5, 0.5], 1.0)
    >>> round(float(p[0]), 4), round(float(m[0]), 4), b.tolist()   # c=2, a=0.5: Erlang C 0.1, 1/(c-a)
    (0.1, 0.6667, [0.0, 0.0])
    """
    lam = np.asarray(lam_per_day, dtype=float)
    a = lam * service
    p = np.empty(lam.size)
    m = np.empty(lam.size)
    for i, ai in enumerate(a):
        ai = min(ai, max_rho * c)
        p[i] = erlang_c(c, ai)
        m[i] = service / (c - ai)
    rate = c / service
    return p, m, fluid_backlog(lam, rate) / rate
