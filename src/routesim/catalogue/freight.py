"""Freight rates of the catalogue (``data/freight.yaml``): dated index series, lanes, surcharges.

Money is converted to USD per TEU on loading (a rate per FEU is halved: the TEU
convention; the market prices a 40-foot box at less than two 20-foot ones, which the
README notes). Gaps (``value: null`` with ``gap:``) are kept as the reason a rate is missing.

>>> s = series()["scfi_south_america"]
>>> s.first <= s.last, s.unit
(True, 'usd_per_teu')
>>> lanes()["asia_ecsa"].series
'scfi_south_america'
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from ..distributions import Distribution, parse
from ..errors import DataError, DistributionError
from .figures import read

__all__ = ["Series", "Quote", "FreightLane", "PeakSeason", "series", "lanes", "peak_seasons",
           "reefer_premium", "reference_bunker", "default_window"]

_PER_TEU = {"usd_per_teu": 1.0, "usd_per_feu": 0.5}


def _per_teu(value, unit: str, where: str) -> Distribution:
    if unit not in _PER_TEU:
        raise DataError(f"{where}: unit must be usd_per_teu or usd_per_feu, got {unit!r}")
    try:
        return parse(value, nonnegative=True).scaled(_PER_TEU[unit]) if unit == "usd_per_feu" \
            else parse(value, nonnegative=True)
    except DistributionError as exc:
        raise DataError(f"{where}: {exc}") from None


def _date(x, where: str) -> datetime.date:
    if not isinstance(x, datetime.date):
        raise DataError(f"{where}: expected a date YYYY-MM-DD, got {x!r}")
    return x


@dataclass(frozen=True)
class Series:
    """A dated rate series, in USD per TEU, points in date order."""

    id: str
    name: str
    unit: str
    dates: tuple[datetime.date, ...]
    usd_per_teu: tuple[float, ...]
    source: str

    @property
    def first(self) -> datetime.date:
        return self.dates[0]

    @property
    def last(self) -> datetime.date:
        return self.dates[-1]


@dataclass(frozen=True)
class Quote:
    """A dated quote of a backhaul lane: a rate (USD per TEU) for one cargo kind over a period, or a gap."""

    start: datetime.date
    end: datetime.date
    cargo: str
    usd_per_teu: Distribution | None
    gap: str = ""


@dataclass(frozen=True)
class FreightLane:
    """How a lane's freight is read: off a series times a factor, or from dated quotes."""

    id: str
    direction: str
    series: str | None = None
    factor: Distribution | None = None
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class PeakSeason:
    """A peak-season rise on a lane and cargo kind: a fraction added to the rate in ``months``."""

    id: str
    lane: str
    cargo: str
    months: tuple[int, ...]
    rate: Distribution


@functools.cache
def series() -> dict[str, Series]:
    """The dated series of ``data/freight.yaml`` keyed by id."""
    out = {}
    for sid, raw in read("freight.yaml")["series"].items():
        where = f"data/freight.yaml: series.{sid}"
        unit = raw.get("unit")
        pts = sorted(raw.get("points") or [], key=lambda p: p["date"])
        if len(pts) < 2:
            raise DataError(f"{where}: needs at least two dated points")
        dates = tuple(_date(p["date"], f"{where}.points") for p in pts)
        vals = tuple(float(p["value"]) * _PER_TEU.get(unit, float("nan")) for p in pts)
        if unit not in _PER_TEU:
            raise DataError(f"{where}.unit: expected usd_per_teu or usd_per_feu, got {unit!r}")
        out[sid] = Series(sid, str(raw.get("name", sid)), unit, dates, vals, str(raw.get("source", "")))
    return out


@functools.cache
def lanes() -> dict[str, FreightLane]:
    """The lanes of ``data/freight.yaml`` keyed by id (``asia_wcsa``, ``wcsa_asia``, ...)."""
    out = {}
    for lid, raw in read("freight.yaml")["lanes"].items():
        where = f"data/freight.yaml: lanes.{lid}"
        if "series" in raw:
            if raw["series"] not in series():
                raise DataError(f"{where}.series: no series {raw['series']!r}")
            try:
                factor = parse(raw["factor"]["value"], nonnegative=True)
            except DistributionError as exc:
                raise DataError(f"{where}.factor: {exc}") from None
            out[lid] = FreightLane(lid, str(raw.get("direction", "")), raw["series"], factor)
            continue
        quotes = []
        for i, q in enumerate(raw.get("quotes") or []):
            qw = f"{where}.quotes[{i}]"
            dist = None if q.get("value") is None else _per_teu(q["value"], q.get("unit"), qw)
            quotes.append(Quote(_date(q["from"], qw), _date(q["to"], qw), str(q.get("cargo", "dry")), dist,
                                " ".join(str(q.get("gap", "")).split())))
        out[lid] = FreightLane(lid, str(raw.get("direction", "")), quotes=tuple(quotes))
    return out


@functools.cache
def peak_seasons() -> tuple[PeakSeason, ...]:
    """Peak-season rises that apply to a lane's rate (entries with a ``lane`` and a rate)."""
    out = []
    for pid, raw in read("freight.yaml")["surcharges"].get("peak_season", {}).items():
        rate = (raw.get("rate") or {}).get("value")
        if "lane" not in raw or rate is None:
            continue
        try:
            dist = parse(rate, nonnegative=True)
        except DistributionError as exc:
            raise DataError(f"data/freight.yaml: surcharges.peak_season.{pid}.rate: {exc}") from None
        out.append(PeakSeason(pid, str(raw["lane"]), str(raw.get("cargo", "dry")),
                              tuple(int(m) for m in raw["months"]), dist))
    return tuple(out)


@functools.cache
def reefer_premium() -> Distribution:
    """Reefer premium over a dry box on the index (headhaul) lanes, USD per TEU."""
    raw = read("freight.yaml")["surcharges"]["reefer_premium_usd_per_feu"]
    return _per_teu(raw["value"], "usd_per_feu", "data/freight.yaml: surcharges.reefer_premium_usd_per_feu")


@functools.cache
def reference_bunker() -> dict[int, float | None]:
    """Average bunker price of each year (USD per tonne), the BAF basis of that year's rates; None where unknown."""
    raw = read("freight.yaml")["surcharges"]["baf_reference_bunker_usd_per_t"]
    return {int(y): (None if f.get("value") is None else float(f["value"])) for y, f in raw.items()}


def default_window() -> tuple[datetime.date, datetime.date]:
    """The booking window of a scenario without ``freight:``."""
    a, b = read("freight.yaml")["default_window"]
    return _date(a, "data/freight.yaml: default_window"), _date(b, "data/freight.yaml: default_window")
