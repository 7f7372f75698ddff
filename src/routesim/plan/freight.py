"""A route's freight, compiled: the lane it is priced on, the booking window and the rates to draw.

The lane follows from the regions of the route's sea ends (``data/regions.yaml``): from
Asia to Latin America the trade's headhaul lane (``asia_wcsa``, ``asia_ecsa``,
``asia_mexico``: a series times a factor), back the backhaul lane (``wcsa_asia``, ...:
dated quotes). A booking window outside the series or the quotes is an error; a lane whose
rates the record does not give (a gap of ``data/freight.yaml``) compiles to ``missing``
with the reason, and the results show freight and landed cost as missing rather than 0.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .. import catalogue
from ..catalogue import carrier as cat_carrier
from ..catalogue import freight as cat_freight
from ..distributions import Distribution
from ..errors import ScenarioError

__all__ = ["FreightPlan", "freight_plan", "lane_between"]

_BACKHAUL = {"asia_wcsa": "wcsa_asia", "asia_ecsa": "ecsa_asia", "asia_mexico": "mexico_asia"}


@dataclass(frozen=True)
class FreightPlan:
    """How one route's freight is drawn (USD per TEU; dates as ordinal days)."""

    lane: str
    basis: str
    """``index``, ``quote``, ``scenario`` (the scenario's own quote), ``voyage`` (a tramp parcel's
    voyage-charter freight, :mod:`routesim.plan.tramp`) or ``missing``."""
    missing: str = ""
    start: float = 0.0
    end: float = 0.0
    series: str = ""
    series_days: tuple[float, ...] = ()
    series_usd_per_teu: tuple[float, ...] = ()
    factor: Distribution | None = None
    premium: Distribution | None = None
    """Reefer premium over a dry box (index lanes, reefer cargo)."""
    quotes: tuple[tuple[float, float, Distribution], ...] = ()
    peak_months: tuple[int, ...] = ()
    peak_rate: Distribution | None = None
    ref_years: tuple[int, ...] = ()
    ref_bunker: tuple[float, ...] = ()
    own: Distribution | None = None

    def describe(self) -> str:
        """One line: the lane and where its rate comes from."""
        if self.basis == "scenario":
            return "the scenario's own quote"
        if self.basis == "voyage":
            return self.lane
        if self.basis == "missing":
            return f"{self.lane}: missing ({self.missing})"
        a, b = (datetime.date.fromordinal(int(x)).isoformat() for x in (self.start, self.end))
        what = f"series {self.series}" if self.basis == "index" else "dated quotes"
        return f"{self.lane} ({what}), booked {a}" + (f" to {b}" if b != a else "")


def lane_between(origin_region: str, destination_region: str) -> str | None:
    """The freight lane between two regions, or None (a trade routesim has no lane for).

    >>> lane_between("asia", "wcsa"), lane_between("ecsa", "asia"), lane_between("wcsa", "ecsa")
    ('asia_wcsa', 'ecsa_asia', None)
    """
    for trade, (asia, other) in cat_carrier.trades().items():
        if (origin_region, destination_region) == (asia, other):
            return trade
        if (origin_region, destination_region) == (other, asia):
            return _BACKHAUL.get(trade)
    return None


def freight_plan(scenario, rname: str, spec, reefer: bool, ports=None) -> FreightPlan:
    """Compile the freight of route ``rname`` (its spec ``spec``) of ``scenario``; ``ports`` holds the
    port records by code (default: the catalogue's).

    Long because it reads the lane, the window and every surcharge in one pass.
    """
    ports = catalogue.ports() if ports is None else ports
    o, d = ports[spec.origin], ports[spec.destination]
    lane = lane_between(cat_carrier.region_of(o.code, o.country), cat_carrier.region_of(d.code, d.country))
    fspec = spec.freight if spec.freight is not None else scenario.freight
    for k in ("usd_per_tonne", "usd_per_vehicle"):
        if spec.freight is not None and getattr(spec.freight, k) is not None:
            raise ScenarioError([f"freight.{k}: a quote per tonne or per vehicle applies to a tramp voyage "
                                 "(a route with vessel: a class of data/tramp.yaml); give usd_per_feu or usd_per_teu"])
    own = _quote(spec.freight) if spec.freight is not None else _scenario_quote(scenario)
    if own is not None:
        return FreightPlan(lane or "", "scenario", own=own)
    if lane is None:
        return FreightPlan("", "missing", missing=f"no freight lane from {o.code} to {d.code} in data/freight.yaml; "
                                                  f"give freight: {{usd_per_feu: ...}}")
    where = "freight" if spec.freight is not None else f"freight (the scenario's, {scenario.where('freight')})"
    start, end = _window(fspec)
    fl = cat_freight.lanes()[lane]
    kind = "reefer" if reefer else "dry"
    if fl.series is not None:
        s = cat_freight.series()[fl.series]
        if start < s.first or end > s.last:
            raise ScenarioError([f"{where}: booking {_span(start, end)} is outside the {s.id} series "
                                 f"({s.first} to {s.last}, data/freight.yaml)"])
    refs = {y: v for y, v in cat_freight.reference_bunker().items() if v is not None}
    for year in range(start.year, end.year + 1):
        if year not in refs:
            raise ScenarioError([f"{where}: no average bunker price for {year} in data/freight.yaml "
                                 f"(the bunker adjustment of rates booked then needs it); book in "
                                 f"{', '.join(map(str, sorted(refs)))} or give your own quote (usd_per_feu)"])
    peaks = [p for p in cat_freight.peak_seasons() if p.lane == lane and p.cargo == kind]
    common = dict(start=float(start.toordinal()), end=float(end.toordinal()),
                  peak_months=peaks[0].months if peaks else (), peak_rate=peaks[0].rate if peaks else None,
                  ref_years=tuple(sorted(refs)), ref_bunker=tuple(refs[y] for y in sorted(refs)))
    if fl.series is not None:
        return FreightPlan(lane, "index", series=s.id, series_days=tuple(float(x.toordinal()) for x in s.dates),
                           series_usd_per_teu=s.usd_per_teu, factor=fl.factor,
                           premium=cat_freight.reefer_premium() if reefer else None, **common)
    quotes = [q for q in fl.quotes if q.cargo == kind]
    priced = [q for q in quotes if q.usd_per_teu is not None]
    if not priced:
        gap = "; ".join(q.gap for q in quotes if q.gap) or "no quote"
        return FreightPlan(lane, "missing", missing=f"no published {kind} freight {lane}: {gap}")
    day = start
    while day <= end:
        if not any(q.start <= day <= q.end for q in priced):
            spans = ", ".join(f"{q.start} to {q.end}" for q in priced)
            raise ScenarioError([f"{where}: booking {_span(start, end)} is outside the {kind} quotes of "
                                 f"lane {lane} ({spans}, data/freight.yaml)"])
        day += datetime.timedelta(days=1)
    return FreightPlan(lane, "quote", quotes=tuple((float(q.start.toordinal()), float(q.end.toordinal()),
                                                    q.usd_per_teu) for q in priced), **common)


def _quote(f) -> Distribution | None:
    """A freight section's own quote in USD per TEU (an FEU quote halved), or None."""
    if f.usd_per_teu is not None:
        return f.usd_per_teu
    if f.usd_per_feu is not None:
        return f.usd_per_feu.scaled(0.5)
    return None


def _scenario_quote(scenario) -> Distribution | None:
    """The scenario-wide own quote: ``freight`` first, then ``costs.freight_usd_per_*``."""
    q = _quote(scenario.freight)
    if q is not None:
        return q
    c = scenario.costs
    if c.freight_usd_per_teu is not None:
        return c.freight_usd_per_teu
    if c.freight_usd_per_feu is not None:
        return c.freight_usd_per_feu.scaled(0.5)
    return None


def _window(f) -> tuple[datetime.date, datetime.date]:
    if f.date is not None:
        return f.date, f.date
    if f.window is not None:
        return f.window
    return cat_freight.default_window()


def _span(a: datetime.date, b: datetime.date) -> str:
    return str(a) if a == b else f"{a} to {b}"
