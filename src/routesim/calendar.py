"""The study clock against the calendar: dates of study days, and harvest seasons as ready days.

The study clock counts days from day 0; a scenario with a ``start_date`` puts day 0 on
that date (an ordinal day, :meth:`datetime.date.toordinal`). A harvest season is the
share of a season's exports shipped in each calendar month (``data/seasons.yaml``); over
a stretch of the clock it is a density of ready days that is flat within each month
(:func:`season_density`), and :func:`ready_days` turns uniform draws into ready days that
follow it (inverse of its cumulative distribution, one draw per shipment).

Examples
--------
>>> import datetime, numpy as np
>>> start = datetime.date(2025, 11, 1).toordinal()
>>> shares = np.zeros(12); shares[10] = 0.5; shares[11] = 0.5   # half in Nov, half in Dec
>>> edges, cdf = ready_profile(shares, start, 0.0, 61.0)
>>> round(float(cdf[-1]), 12), float(np.interp(0.5, cdf, edges))   # half ready by 1 December (day 30)
(1.0, 30.0)
>>> str(to_datetime64(np.array([start + 0.7]))[0])
'2025-11-01'
"""

from __future__ import annotations

import datetime

import numpy as np

__all__ = ["EPOCH_ORDINAL", "to_datetime64", "season_density", "season_weights", "ready_profile", "ready_days"]

EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
"""Ordinal day of 1970-01-01, numpy's datetime64 epoch."""


def to_datetime64(ordinal) -> np.ndarray:
    """Calendar dates (``datetime64[D]``) of ordinal days (fractions of a day are dropped)."""
    return (np.floor(np.asarray(ordinal, dtype=float)) - EPOCH_ORDINAL).astype("int64").astype("datetime64[D]")


def _month_and_length(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(calendar month index 0-11, days in that month) of ``datetime64[D]`` dates."""
    months = dates.astype("datetime64[M]")
    length = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(int)
    return months.astype(int) % 12, length


def season_density(month_shares, start_ordinal: int, first_day: int, last_day: int) -> np.ndarray:
    """Share of a season's exports ready on each whole study day ``first_day .. last_day - 1``.

    ``month_shares`` holds 12 shares (January first); a month's share is spread evenly
    over its days. The result is not normalised (it sums to the shares of the months
    the days cover).
    """
    days = np.arange(int(first_day), int(last_day))
    months, length = _month_and_length(to_datetime64(start_ordinal + days))
    return np.asarray(month_shares, dtype=float)[months] / length


def season_weights(month_shares, start_ordinal: int, first_day: int, last_day: int, horizon_days: float) -> np.ndarray:
    """Each whole study day's share of the season against the study window's average day (days 0 to
    ``horizon_days``): 1 on an average day of the window, 0 outside the season.

    A flow given for an average week of the study (a route's demand, a port's reefer boxes) follows
    the season when multiplied by these. A window in which the season ships nothing raises ``ValueError``.
    """
    dens = season_density(month_shares, start_ordinal, first_day, last_day)
    lo = max(0, -int(first_day))
    window = dens[lo:lo + int(np.ceil(horizon_days))]
    if not window.size or not window.mean() > 0:
        raise ValueError("the season ships nothing in this window")
    return dens / window.mean()


def ready_profile(month_shares, start_ordinal: int, first_day: float, last_day: float) -> tuple[np.ndarray, np.ndarray]:
    """``(edges, cdf)`` of the ready-day distribution over ``[first_day, last_day)`` (study days).

    Piecewise uniform: ``edges`` are the day boundaries (the first and last cut to the
    window), ``cdf`` the cumulative share at each edge (0 to 1). A window in which the
    season ships nothing raises ``ValueError``.
    """
    lo, hi = float(first_day), float(last_day)
    a, b = int(np.floor(lo)), int(np.ceil(hi))
    dens = season_density(month_shares, start_ordinal, a, b)
    edges = np.arange(a, b + 1, dtype=float)
    edges[0], edges[-1] = lo, hi
    weights = dens * np.diff(edges)
    total = weights.sum()
    if not total > 0:
        raise ValueError("the season ships nothing in this window")
    return edges, np.concatenate([[0.0], np.cumsum(weights) / total])


def ready_days(u, profile: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Ready days (study clock) from uniform draws ``u`` in [0, 1) under ``profile`` (:func:`ready_profile`)."""
    edges, cdf = profile
    return np.interp(np.asarray(u, dtype=float), cdf, edges)
