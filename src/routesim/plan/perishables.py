"""A route's perishable cargo, compiled: its cold chain, its harvest season and its market.

:func:`quality_params` resolves the keeping-quality model (:mod:`routesim.quality`) of the
commodity as the scenario changes it; :func:`season_params` the export season the cargo
becomes ready in (``data/seasons.yaml``); :func:`market_params` the destination price by
arrival date and the market holiday (``data/markets.yaml``). Every cold-chain, season or
market input that cannot apply (a cargo that does not perish, a season without a start
date, a holiday without data for the years studied) is refused with where it was written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import catalogue
from ..calendar import ready_profile, season_weights
from ..catalogue import market as cat_market
from ..catalogue import reefer as cat_reefer
from ..catalogue import season as cat_season
from ..distributions import Distribution, parse
from ..errors import DataError, ScenarioError
from ..queueing import time_varying_waits

__all__ = ["QualityParams", "SeasonParams", "MarketParams", "PlugQueue", "quality_params", "season_params",
           "market_params", "plug_queue", "COLD_CHAIN_FIELDS", "REEFER_BOX_TEU"]

REEFER_BOX_TEU = 2.0
"""TEU per reefer box: reefers on these trades travel as 40-foot high cubes (the commodity
loads of ``data/commodities.yaml`` are per 40-foot reefer); one box takes one plug."""

COLD_CHAIN_FIELDS = ("shelf_life_days", "atmosphere", "carry_temp_c", "terminal_temp_c", "precool_hours",
                     "reefer_failure")
"""Cargo fields that describe a perishable's cold chain."""


@dataclass(frozen=True)
class QualityParams:
    """A perishable's cold chain and keeping-quality model, resolved (:mod:`routesim.quality`).

    Temperatures in degC, times in days unless named in hours.
    """

    keeping_days: Distribution
    """Keeping quality of a lot at ``reference_temp_c`` under the chosen atmosphere (days)."""
    reference_temp_c: float
    """The temperature the keeping days are given at: the commodity's set point (degC)."""
    carry_temp_c: float
    """The set point the cargo is carried at (degC)."""
    terminal_temp_c: float
    """Temperature on plug at terminals (origin dwell, the wait for the first sailing,
    transshipment, destination dwell)."""
    q10: float
    within_cv: float
    reject_factor: float
    precool_hours: Distribution
    field_temp_c: float
    downgrade_discount: float
    atmosphere: str = "controlled"
    failure_probability: float | None = None
    """Chance a shipment's reefer unit fails once; None: failures not modelled."""
    failure_days: Distribution | None = None
    failure_temp_c: float | None = None



@dataclass(frozen=True)
class SeasonParams:
    """The export season a route's cargo becomes ready in."""

    month_shares: tuple[float, ...]
    """Share of the season's exports in each calendar month, January first."""
    start_ordinal: int
    """Ordinal day (:meth:`datetime.date.toordinal`) of study day 0."""
    label: str
    """Which season and origin the shares describe (``"blueberries from PE, 2024-25"``)."""

    def weights(self, first_day: int, last_day: int, horizon_days: float) -> np.ndarray:
        """Each study day's share of the season against the study window's average day
        (:func:`routesim.calendar.season_weights`)."""
        return season_weights(self.month_shares, self.start_ordinal, first_day, last_day, horizon_days)

    def profile(self, first_day: float, last_day: float):
        """``(edges, cdf)`` of ready days over study days ``[first_day, last_day)`` (:func:`routesim.calendar.ready_profile`)."""
        return ready_profile(self.month_shares, self.start_ordinal, first_day, last_day)


@dataclass(frozen=True)
class MarketParams:
    """Prices at the destination by arrival date, and the market holiday, of a route's cargo."""

    start_ordinal: int
    market: Any = None
    """The :class:`~routesim.catalogue.market.Market` priced at arrival; None: the value stays the export value."""
    holiday: Any = None
    """The :class:`~routesim.catalogue.market.Holiday` the results count arrivals before; None if not named."""
    note: str = ""
    """What the arrival value is based on (shown with the results)."""


@dataclass(frozen=True)
class PlugQueue:
    """The wait for a reefer plug at a route's origin terminal, day by day of the study clock.

    The port's reefer boxes (the scenario's ``ports.<code>.reefer_teu_per_week``, following the
    cargo's harvest season where it has one) queue for its plugs (``data/reefer.yaml``), each
    holding one for its export dwell: a time-varying M/M/c queue
    (:func:`routesim.queueing.time_varying_waits`). A box that finds no plug waits before gate-in
    (counted in the origin dwell).
    """

    port: str
    plugs: int
    holding_days: float
    first_day: int
    p_wait: np.ndarray
    mean_wait: np.ndarray
    backlog_wait: np.ndarray

    def sample(self, rng: np.random.Generator, day) -> np.ndarray:
        """Days each box arriving at the gate on study day ``day`` waits for a plug (two draws a box)."""
        day = np.asarray(day, dtype=float)
        i = np.clip(np.floor(day).astype(np.int64) - self.first_day, 0, self.p_wait.size - 1)
        u = rng.random(day.shape)
        e = rng.exponential(1.0, day.shape)
        return self.backlog_wait[i] + np.where(u < self.p_wait[i], e * self.mean_wait[i], 0.0)

    @property
    def mean_wait_days(self) -> float:
        """The wait averaged over the days of the clock (days), for the route's description."""
        return float(np.mean(self.backlog_wait + self.p_wait * self.mean_wait))


def plug_queue(s, rname: str, spec, cargo, holding_days: float, first_day: int, last_day: int) -> PlugQueue | None:
    """The plug queue at a reefer route's origin when the scenario gives the port's reefer flow."""
    port = s.ports.get(spec.origin)
    flow = port.reefer_teu_per_week if port is not None else None
    if not cargo.reefer or flow is None:
        return None
    plugs = port.reefer_plugs
    if plugs is None:
        plugs = cat_reefer.reefer_plugs().get(spec.origin)
        if plugs is None:
            why = cat_reefer.reefer_plug_gaps().get(spec.origin, "the port is not listed")
            raise ScenarioError([f"{s.where('ports', spec.origin, 'reefer_teu_per_week')}: a reefer flow at "
                                 f"{spec.origin} needs its plugs; data/reefer.yaml has no count ({why}); set "
                                 f"ports.{spec.origin}.reefer_plugs"])
        plugs = plugs.value
    weight = (cargo.season.weights(first_day, last_day, s.horizon_days) if cargo.season is not None
              else np.ones(last_day - first_day))
    boxes_per_day = _mean(flow) / 7.0 / REEFER_BOX_TEU * weight
    p, m, b = time_varying_waits(int(plugs), boxes_per_day, holding_days)
    return PlugQueue(spec.origin, int(plugs), holding_days, first_day, p, m, b)


def _mean(value) -> float:
    return float(value.mean) if isinstance(value, Distribution) else float(_dist(value).mean)


def _where(s, spec, field: str) -> str:
    """Where a cargo field was written: the route's own ``cargo`` if it sets it, else the scenario's."""
    for name, r in s.routes.items():
        if r is spec and r.cargo is not None and getattr(r.cargo, field, None) is not None:
            return f"{s.where('routes', name, 'cargo', field)} (routes.{name}.cargo.{field})"
    return f"{s.where('cargo', field)} (cargo.{field})"


def _dist(value) -> Distribution:
    return value if isinstance(value, Distribution) else parse(value, nonnegative=True)


def quality_params(s, spec, merged, com, kind: str) -> QualityParams | None:
    """The keeping-quality model of a route's cargo: the commodity's, as the scenario changes it.

    A cold-chain field on a cargo that does not perish (no ``quality`` in
    ``data/commodities.yaml``, or carried dry) is refused, never ignored.
    """
    if com.quality is None or kind != "reefer":
        _refuse_cold_chain(s, spec, com, kind)
        return None
    q = com.quality
    if merged.shelf_life_days is not None and merged.atmosphere is not None:
        raise ScenarioError([f"{_where(s, spec, 'atmosphere')}: shelf_life_days already states the keeping "
                             "quality under the cargo's atmosphere; give one of atmosphere and shelf_life_days"])
    atmosphere = merged.atmosphere or "controlled"
    if merged.shelf_life_days is not None:
        keeping = _dist(merged.shelf_life_days)
    else:
        keeping = _dist((q.keeping_days if atmosphere == "controlled" else q.air_keeping_days).value)
    carry = float(merged.carry_temp_c if merged.carry_temp_c is not None else q.carry_temp_c.value)
    fail = merged.reefer_failure
    return QualityParams(
        keeping_days=keeping, reference_temp_c=float(q.carry_temp_c.value), carry_temp_c=carry,
        terminal_temp_c=float(merged.terminal_temp_c if merged.terminal_temp_c is not None else carry),
        q10=float(q.q10.value), within_cv=float(q.within_cv.value), reject_factor=float(q.reject_factor.value),
        precool_hours=_dist(merged.precool_hours if merged.precool_hours is not None else q.precool_hours.value),
        field_temp_c=float(q.field_temp_c.value), downgrade_discount=float(q.downgrade_discount.value),
        atmosphere=atmosphere,
        failure_probability=None if fail is None else float(fail.probability),
        failure_days=None if fail is None else _dist(fail.days),
        failure_temp_c=None if fail is None else float(fail.temp_c))


def _refuse_cold_chain(s, spec, com, kind: str) -> None:
    """Refuse a cold-chain input written for a cargo that does not perish: in the route's own
    ``cargo``, or in the scenario's when the scenario's own cargo does not perish either (a route
    that changes the commodity does not inherit the scenario's cold chain)."""
    base = catalogue.commodities()[s.cargo.commodity]
    base_perishes = base.quality is not None and (s.cargo.kind or base.kind) == "reefer"
    sources = [spec.cargo] if spec.cargo is not None else []
    if not base_perishes:
        sources.append(s.cargo)
    for f in COLD_CHAIN_FIELDS:
        if any(getattr(c, f, None) is not None for c in sources):
            why = f"{com.id} carried dry" if com.quality is not None else f"{com.id} does not perish"
            perishables = ", ".join(sorted(k for k, c in catalogue.commodities().items() if c.quality))
            raise ScenarioError([f"{_where(s, spec, f)}: a cold-chain input, but {why} (perishables: {perishables})"])


def _start(s) -> int | None:
    return s.start_date.toordinal() if s.start_date is not None else None


def season_params(s, spec, merged, origin_country: str) -> SeasonParams | None:
    """The export season of a route's cargo when ``cargo.ready`` is ``season``, else None."""
    if (merged.ready or "uniform") != "season":
        return None
    if spec.cargo is not None and spec.cargo.commodity not in (None, s.cargo.commodity) and spec.cargo.ready is None:
        return None  # a route carrying another commodity does not inherit the scenario's harvest season
    where = _where(s, spec, "ready")
    if s.start_date is None:
        raise ScenarioError([f"{where}: a harvest season needs the calendar: set start_date (day 0 of the study)"])
    known = cat_season.seasons()
    season = known.get((merged.commodity, origin_country))
    if season is None:
        have = ", ".join(f"{c} from {k}" for c, k in sorted(known)) or "none"
        raise ScenarioError([f"{where}: data/seasons.yaml has no export season of {merged.commodity} from "
                             f"{origin_country} (seasons: {have})"])
    sp = SeasonParams(tuple(season.month_shares), _start(s), f"{merged.commodity} from {origin_country} "
                      f"(month shares of the {season.season_label} season)")
    try:
        sp.profile(0.0, s.horizon_days)
    except ValueError:
        end = s.start_date + datetime.timedelta(days=s.horizon_days)
        raise ScenarioError([f"{where}: {sp.label} ships nothing between {s.start_date} and {end} "
                             f"(start_date + horizon_days)"]) from None
    return sp


def market_params(s, spec, merged, importer: str, reefer: bool) -> MarketParams | None:
    """Destination prices by arrival date and the market holiday of a route's cargo.

    None without a ``start_date`` unless a holiday is named (then an error: the holiday
    needs the calendar). A holiday whose dates the data lacks for the study's years is an error.
    """
    start = _start(s)
    holiday = None
    if merged.market_holiday is not None:
        where = _where(s, spec, "market_holiday")
        known = cat_market.holidays()
        if merged.market_holiday not in known:
            raise ScenarioError([f"{where}: unknown holiday {merged.market_holiday!r} (data/markets.yaml: "
                                 f"{', '.join(sorted(known))})"])
        if start is None:
            raise ScenarioError([f"{where}: a market holiday needs the calendar: set start_date (day 0 of the study)"])
        holiday = known[merged.market_holiday]
        last = s.start_date + datetime.timedelta(days=s.horizon_days + 365)
        for year in range(s.start_date.year, last.year + 1):
            try:
                holiday.date(year)
            except DataError as exc:
                raise ScenarioError([f"{where}: {exc}"]) from None
    if start is None:
        return None
    market = catalogue_market(merged.commodity, importer) if reefer else None
    if market is not None:
        note = f"arrival value at the export value x the {importer} price index by arrival date (data/markets.yaml)"
    else:
        note = f"arrival value at the export value: no dated {importer} price for {merged.commodity} in data/markets.yaml"
    return MarketParams(start, market, holiday, note)


def catalogue_market(commodity: str, importer: str):
    """The priced market of ``commodity`` in ``importer`` (None where the data has none or a gap)."""
    m = cat_market.markets().get((commodity, importer))
    return m if m is not None and m.available else None
