"""Destination markets of the perishables (``data/markets.yaml``): holidays and price by arrival date.

A market's price index is relative (dimensionless); ``basis`` says what 1.0 is. Cherries in China
are priced against Chinese New Year: an arrival from July to December is measured against the
next calendar year's holiday, one from January to June against the same year's (the holiday of
the arrival's southern-hemisphere season); beyond the end points the index is held flat.

>>> import numpy as np
>>> holidays()["chinese_new_year"].date(2025)
datetime.date(2025, 1, 29)
>>> m = markets()[("cherries", "CN")]
>>> price_index(m, np.array(["2025-01-15", "2025-01-29", "2025-02-12"], dtype="datetime64[D]")).round(2).tolist()
[1.0, 0.9, 0.7]
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

import numpy as np

from ..errors import DataError
from .figures import Figure, check_keys, one_line, parse_figure, section

__all__ = ["Holiday", "Market", "holidays", "markets", "price_index", "season_holidays"]


@dataclass(frozen=True)
class Holiday:
    """A holiday whose date moves from year to year.

    Attributes
    ----------
    id, name : str
    dates : dict[int, Figure]
        Sourced date (ISO text) by year; years the record does not give are absent.
    gaps : dict[int, str]
        Years listed with ``value: null`` and why.
    """

    id: str
    name: str
    dates: dict[int, Figure]
    gaps: dict[int, str]

    def date(self, year: int) -> dt.date:
        """The holiday's date in ``year``.

        Raises
        ------
        DataError
            ``year`` is not in the data (or is a stated gap).
        """
        if year not in self.dates:
            why = f": {self.gaps[year]}" if year in self.gaps else ""
            raise DataError(f"data/markets.yaml: holidays.{self.id}: no date for {year}{why}")
        return dt.date.fromisoformat(str(self.dates[year].value))

    def years(self) -> tuple[int, ...]:
        """The years with a sourced date, ascending."""
        return tuple(sorted(self.dates))


@dataclass(frozen=True)
class Market:
    """The price of one commodity in one destination country by arrival date.

    Attributes
    ----------
    commodity : str
    country : str
        Destination, ISO alpha-2.
    basis : str
        ``"holiday"`` (``points`` against ``holiday``) or ``"month"`` (``month_index``).
    holiday : str | None
        Holiday id for the holiday basis.
    points : tuple[tuple[float, float], ...]
        (days from the holiday, index) in increasing day order; empty for the month basis.
    month_index : tuple[float, ...] | None
        12 index values, January first; None for the holiday basis or where the record has none.
    source : str
        Source, method, or for a gap what was searched.
    available : bool
        False where the record gives no index (``value: null`` with ``gap:``).
    """

    commodity: str
    country: str
    basis: str
    holiday: str | None
    points: tuple[tuple[float, float], ...]
    month_index: tuple[float, ...] | None
    source: str
    available: bool = True


def _positive(v, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
        raise DataError(f"{where}: an index must be a finite number > 0, got {v!r}")
    return float(v)


@functools.cache
def holidays() -> dict[str, Holiday]:
    """All holidays keyed by id (cached; do not mutate).

    Raises
    ------
    DataError
        Unknown or missing keys, a year that is not an integer, or a date that is not ISO text;
        the message names file and entry.
    """
    out: dict[str, Holiday] = {}
    for hid, raw in section("markets.yaml", "holidays").items():
        where = f"data/markets.yaml: holidays.{hid}"
        check_keys(where, raw, {"name", "dates"}, {"unit"})
        if not isinstance(raw["dates"], dict) or not raw["dates"]:
            raise DataError(f"{where}.dates: expected a mapping year -> date figure")
        dates: dict[int, Figure] = {}
        gaps: dict[int, str] = {}
        for year, fraw in raw["dates"].items():
            w = f"{where}.dates.{year}"
            if isinstance(year, bool) or not isinstance(year, int):
                raise DataError(f"{w}: the year must be an integer, got {year!r}")
            if isinstance(fraw, dict) and fraw.get("value") is None and "gap" in fraw:
                gaps[year] = one_line(fraw["gap"])
                continue
            fig = parse_figure(fraw, w)
            try:
                day = dt.date.fromisoformat(str(fig.value))
            except ValueError:
                raise DataError(f"{w}: expected an ISO date such as '2025-01-29', got {fig.value!r}") from None
            if day.year != year:
                raise DataError(f"{w}: date {day} is not in {year}")
            dates[year] = fig
        out[hid] = Holiday(id=hid, name=str(raw["name"]), dates=dates, gaps=gaps)
    return out


@functools.cache
def markets() -> dict[tuple[str, str], Market]:
    """All destination markets keyed by (commodity id, destination ISO alpha-2) (cached; do not mutate).

    Raises
    ------
    DataError
        Unknown or missing keys, an unknown basis or holiday, points that are not increasing
        (day, index > 0) pairs, a month index that is not 12 numbers > 0; names file and entry.
    """
    hol = holidays()
    out: dict[tuple[str, str], Market] = {}
    for mid, raw in section("markets.yaml", "markets").items():
        where = f"data/markets.yaml: markets.{mid}"
        basis = raw.get("basis") if isinstance(raw, dict) else None
        if basis == "holiday":
            check_keys(where, raw, {"commodity", "country", "basis", "holiday", "points"})
            if raw["holiday"] not in hol:
                raise DataError(f"{where}.holiday: unknown holiday {raw['holiday']!r} (known: {sorted(hol)})")
            fraw = raw["points"]
        elif basis == "month":
            check_keys(where, raw, {"commodity", "country", "basis", "month_index"})
            fraw = raw["month_index"]
        else:
            raise DataError(f"{where}.basis: must be 'holiday' or 'month', got {basis!r}")
        key = (str(raw["commodity"]), str(raw["country"]))
        if key in out:
            raise DataError(f"{where}: a second market for {key}")
        field = "points" if basis == "holiday" else "month_index"
        if isinstance(fraw, dict) and fraw.get("value") is None and "gap" in fraw:
            out[key] = Market(key[0], key[1], basis, raw.get("holiday"), (), None,
                              "GAP: " + one_line(fraw["gap"]), available=False)
            continue
        fig = parse_figure(fraw, f"{where}.{field}")
        points: tuple[tuple[float, float], ...] = ()
        month_index = None
        if basis == "holiday":
            v = fig.value
            if not isinstance(v, list) or len(v) < 2:
                raise DataError(f"{where}.points: expected at least two [day, index] pairs, got {v!r}")
            pts = []
            for p in v:
                if not isinstance(p, list) or len(p) != 2 or isinstance(p[0], bool) or not isinstance(p[0], (int, float)):
                    raise DataError(f"{where}.points: expected [day, index] pairs, got {p!r}")
                pts.append((float(p[0]), _positive(p[1], f"{where}.points")))
            if any(b[0] <= a[0] for a, b in zip(pts, pts[1:])):
                raise DataError(f"{where}.points: days must increase, got {[p[0] for p in pts]}")
            points = tuple(pts)
        else:
            v = fig.value
            if not isinstance(v, list) or len(v) != 12:
                raise DataError(f"{where}.month_index: expected 12 numbers (January..December), got {v!r}")
            month_index = tuple(_positive(x, f"{where}.month_index") for x in v)
        out[key] = Market(key[0], key[1], basis, raw.get("holiday") if basis == "holiday" else None,
                          points, month_index, one_line(fig.source))
    return out


def season_holidays(holiday: Holiday, days) -> np.ndarray:
    """The holiday date (datetime64[D]) of the season of each date in ``days`` (datetime64):
    next year's holiday for a date from July to December, the same year's from January to June."""
    days = np.asarray(days, dtype="datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    season_year = np.where(months >= 7, years + 1, years)
    table = {y: np.datetime64(holiday.date(y).isoformat(), "D") for y in np.unique(season_year).tolist()}
    return np.array([table[y] for y in season_year.ravel().tolist()], dtype="datetime64[D]").reshape(days.shape)


def price_index(market: Market, arrivals) -> np.ndarray:
    """Destination price index (dimensionless, ``market.basis`` says what 1.0 is) at each arrival date.

    Parameters
    ----------
    market : Market
    arrivals : array_like of datetime64
        Arrival dates; converted to ``datetime64[D]``; any shape.

    Returns
    -------
    numpy.ndarray
        Float array of the shape of ``arrivals``: for the holiday basis ``np.interp`` of the
        market's points at the days from the holiday of the arrival's season (flat beyond the
        end points); for the month basis the month's index.

    Raises
    ------
    DataError
        The record gives no index for this market (a stated gap), or an arrival's season has no
        holiday date in the data.
    """
    if not market.available:
        raise DataError(f"data/markets.yaml: no price index for {market.commodity} in {market.country}: {market.source}")
    days = np.asarray(arrivals, dtype="datetime64[D]")
    if market.basis == "month":
        months = days.astype("datetime64[M]").astype(int) % 12
        return np.asarray(market.month_index, dtype=float)[months]
    hol = holidays()[market.holiday]
    offset = (days - season_holidays(hol, days)).astype(float)
    xs = np.array([p[0] for p in market.points])
    ys = np.array([p[1] for p in market.points])
    return np.interp(offset, xs, ys)


