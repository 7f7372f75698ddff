"""The freight the shipper pays: a lane's market rate on the booking date, with the surcharges
that follow their drivers. Pure numpy; the lane, series and surcharges come compiled in a
:class:`~routesim.plan.FreightPlan`.

For each shipment the booking date is the study clock mapped onto the booking window
(ready day 0 books on the window's first day, the horizon on its last). The base rate is

* ``index``: the series interpolated on that date (linear between dated points) times the
  lane's factor (a draw), plus the reefer premium for reefer cargo;
* ``quote``: a dated quote covering that date (a draw);
* ``scenario``: the scenario's own all-in quote (a draw; no surcharge is added to it).

Index and dated-quote rates move with the peak season (a rate added in its months) and
carry a bunker adjustment factor: the shipment's bunker price less the average price of the
booking year (what the BAF inside the published rate reflects), times the box's own fuel
(tonnes per TEU, the carrier model's). Missing lane data gives NaN (the results say why).

>>> days = np.array([0.0, 10.0, 20.0])
>>> index_on(np.array([5.0, 15.0]), days, np.array([100.0, 200.0, 150.0]))
array([150., 175.])
>>> float(baf_usd(600.0, 535.0, 0.5))
32.5
"""

from __future__ import annotations

import numpy as np

__all__ = ["index_on", "baf_usd", "booking_days", "months_of", "years_of", "draw_freight"]

_EPOCH = np.datetime64("0001-01-01", "D")


def index_on(day, series_days, series_values):
    """A dated series linearly interpolated at ``day`` (ordinal days; inside the series' range)."""
    return np.interp(np.asarray(day, dtype=float), np.asarray(series_days, float), np.asarray(series_values, float))


def baf_usd(bunker_usd_per_t, reference_bunker_usd_per_t, fuel_t_per_teu):
    """Bunker adjustment per TEU (USD): (bunker - reference bunker) x the box's fuel (tonnes per TEU).

    It never falls as the bunker price rises (fuel is non-negative).
    """
    return (np.asarray(bunker_usd_per_t, float) - reference_bunker_usd_per_t) * np.asarray(fuel_t_per_teu, float)


def booking_days(ready_day, horizon_days: float, start: float, end: float):
    """Booking dates (ordinal days) of shipments ready on ``ready_day`` (study clock, days):
    the study window mapped linearly onto the booking window ``[start, end]``."""
    frac = np.clip(np.asarray(ready_day, float) / float(horizon_days), 0.0, 1.0)
    return np.floor(start + frac * (end - start))


def _dates(ordinal):
    return _EPOCH + (np.asarray(ordinal).astype(np.int64) - 1).astype("timedelta64[D]")


def months_of(ordinal) -> np.ndarray:
    """Calendar month (1-12) of ordinal days.

    >>> import datetime
    >>> months_of([datetime.date(2025, 6, 15).toordinal()]).tolist()
    [6]
    """
    d = _dates(ordinal)
    return (d.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(int)


def years_of(ordinal) -> np.ndarray:
    """Calendar year of ordinal days."""
    return _dates(ordinal).astype("datetime64[Y]").astype(np.int64) + 1970


def draw_freight(fp, rng: np.random.Generator, ready_day, horizon_days: float, bunker, fuel_t_per_teu):
    """Freight per TEU (USD) of each shipment under the compiled lane ``fp`` (a FreightPlan).

    ``bunker`` (USD per tonne) and ``fuel_t_per_teu`` are the shipment's draws of the
    carrier model, so the bunker adjustment follows the same fuel the carrier burns.
    Long because each basis draws its own parts in a fixed order.
    """
    n = np.asarray(ready_day).shape[0]
    if fp.basis == "missing":
        return np.full(n, np.nan)
    if fp.basis in ("scenario", "voyage"):  # an own quote, or a tramp parcel's voyage charter (bunkers included)
        return fp.own.sample(rng, n)
    day = booking_days(ready_day, horizon_days, fp.start, fp.end)
    on = _OnDays(day)
    if fp.basis == "index":
        base = on.each(lambda d: index_on(d, fp.series_days, fp.series_usd_per_teu)) * fp.factor.sample(rng, n)
        if fp.premium is not None:
            base = base + fp.premium.sample(rng, n)
    else:
        base = np.full(n, np.nan)
        for lo, hi, dist in fp.quotes:
            draw = dist.sample(rng, n)
            inside = (day >= lo) & (day <= hi) & np.isnan(base)
            base = np.where(inside, draw, base)
    if fp.peak_rate is not None:
        rate = fp.peak_rate.sample(rng, n)
        base = base * (1.0 + np.where(on.each(lambda d: np.isin(months_of(d), fp.peak_months)), rate, 0.0))
    ref = on.each(lambda d: np.interp(years_of(d), np.asarray(fp.ref_years, float), np.asarray(fp.ref_bunker, float)))
    return base + baf_usd(bunker, ref, fuel_t_per_teu)


class _OnDays:
    """Functions of whole booking days, each computed once per distinct day and looked up.

    Booking dates are whole days in a window of a few hundred days, while a block holds
    thousands of shipments: ``each(f)`` evaluates ``f`` (elementwise, e.g. the interpolated
    series or the calendar month) on every day of the window once and gathers the values,
    so the result is the very array ``f(day)`` gives. Days that are not a whole number of days
    apart, not finite, before ordinal 1 or spread wider than the block fall back to ``f(day)``.
    """

    __slots__ = ("day", "days", "at")

    def __init__(self, day: np.ndarray):
        self.day, self.days, self.at = day, None, None
        if day.size == 0:
            return
        lo, hi = float(day.min()), float(day.max())  # NaN: both NaN, and the test below fails
        if not (lo > 0 and hi <= 2.0**52 and hi - lo < day.size):  # ordinal days (>= 1)
            return
        at = day - lo
        idx = at.astype(np.intp)
        if np.array_equal(idx, at):  # a whole number of days apart: days[idx] is day exactly
            self.days, self.at = lo + np.arange(int(hi - lo) + 1, dtype=float), idx

    def each(self, f):
        """``f(day)``, evaluated once per distinct day."""
        if self.at is None:
            return f(self.day)
        return np.asarray(f(self.days)).take(self.at)
