"""Queueing theory for berths and canal slots (M/M/c, Erlang C).

Pure functions used by the Monte Carlo engine to scale waits when capacity
changes, and by the tests that check the discrete-event engine against
theory.

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

__all__ = ["erlang_c", "mmc_mean_wait", "mmc_wait_quantile", "utilisation_for_wait"]


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
