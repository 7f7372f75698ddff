"""Trade policy (``data/trade.yaml``): free-trade agreements and import tariff lines.

>>> t = trade()
>>> t.has_fta("PE", "CN"), t.rate("CN", "blueberries", "PE") == 0.0
(True, True)
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from ..errors import DataError, UnknownNameError
from .commodity import commodities
from .figures import Figure, check_keys, number_figure, read

__all__ = ["FreeTradeAgreement", "TariffLine", "TradePolicy", "trade"]

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class FreeTradeAgreement:
    """A bilateral FTA in force from ``in_force`` (inclusive)."""

    parties: frozenset[str]
    in_force: _dt.date
    source: str


@dataclass(frozen=True)
class TariffLine:
    """Import tariff of ``importer`` on ``commodity`` (rates are fractions of customs value).

    ``rate`` applies before the first ``schedule`` step; each step ``(date, Figure)``
    replaces it from that date. ``fta_rate`` applies to origins having an FTA in force
    with the importer, restricted to ``fta_covers`` when that is not empty.
    """

    importer: str
    commodity: str
    hs: str
    rate: Figure
    schedule: tuple[tuple[_dt.date, Figure], ...] = ()
    fta_rate: Figure | None = None
    fta_covers: frozenset[str] = frozenset()
    note: str = ""

    def mfn_rate(self, on: _dt.date) -> float:
        """The non-preferential rate in force on ``on``."""
        fig = self.rate
        for start, step in self.schedule:
            if start <= on:
                fig = step
        return float(fig.value)


@dataclass(frozen=True)
class TradePolicy:
    """FTAs and tariff lines of ``data/trade.yaml``; ``as_of`` is the default date."""

    as_of: _dt.date
    ftas: tuple[FreeTradeAgreement, ...]
    tariffs: dict[tuple[str, str], TariffLine]

    def has_fta(self, a: str, b: str, on: _dt.date | None = None) -> bool:
        """True when an FTA between countries ``a`` and ``b`` is in force on ``on``."""
        on = on or self.as_of
        pair = {a.upper(), b.upper()}
        return any(f.parties == pair and f.in_force <= on for f in self.ftas)

    def rate(self, importer: str, commodity: str, origin: str, on: _dt.date | None = None) -> float:
        """Ad-valorem tariff (fraction) paid on ``commodity`` from ``origin`` into ``importer``."""
        importer, origin = importer.upper(), origin.upper()
        on = on or self.as_of
        if importer == origin:
            return 0.0
        line = self.tariffs.get((importer, commodity))
        if line is None:
            known = sorted(f"{i}/{c}" for i, c in self.tariffs)
            raise UnknownNameError(
                f"no tariff line for importer {importer} and commodity {commodity!r} in data/trade.yaml "
                f"(known: {', '.join(known)})",
                tuple(known),
            )
        if line.fta_rate is not None and self.has_fta(importer, origin, on):
            if not line.fta_covers or origin in line.fta_covers:
                return float(line.fta_rate.value)
        return line.mfn_rate(on)


def _date(v: Any, where: str) -> _dt.date:
    """A date as YAML gives it (a date, or text YYYY-MM-DD)."""
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    try:
        return _dt.date.fromisoformat(str(v))
    except ValueError as exc:
        raise DataError(f"{where}: expected a date YYYY-MM-DD, got {v!r}") from exc


def _country(v: Any, where: str) -> str:
    """An ISO 3166-1 alpha-2 country code, checked."""
    if not isinstance(v, str) or not _COUNTRY_RE.match(v):
        raise DataError(f"{where}: expected an ISO 3166-1 alpha-2 code, got {v!r}")
    return v


def _rate_fig(raw: Any, where: str) -> Figure:
    """A tariff rate figure: a fraction of customs value (at most 5, i.e. 500 %)."""
    fig = number_figure(raw, where)
    if fig.value > 5:
        raise DataError(f"{where}: a tariff rate is a fraction (0.35 = 35 %), got {fig.value}")
    return fig


@functools.cache
def trade() -> TradePolicy:
    """FTAs and import tariffs (cached; do not mutate)."""
    raw = read("trade.yaml")
    check_keys("data/trade.yaml", raw, {"as_of", "ftas", "tariffs"})
    ftas = []
    for i, f in enumerate(raw["ftas"] or []):
        where = f"data/trade.yaml: ftas[{i}]"
        check_keys(where, f, {"parties", "in_force", "source"}, {"note"})
        parties = f["parties"]
        if not isinstance(parties, list) or len(parties) != 2:
            raise DataError(f"{where}.parties: expected two country codes")
        src = f["source"]
        if not isinstance(src, str) or not src.strip():
            raise DataError(f"{where}: every FTA needs a non-empty 'source'")
        ftas.append(
            FreeTradeAgreement(
                parties=frozenset(_country(p, f"{where}.parties") for p in parties),
                in_force=_date(f["in_force"], f"{where}.in_force"),
                source=src.strip(),
            )
        )
    known_commodities = set(commodities())
    tariffs: dict[tuple[str, str], TariffLine] = {}
    for i, t in enumerate(raw["tariffs"] or []):
        where = f"data/trade.yaml: tariffs[{i}]"
        check_keys(where, t, {"importer", "commodity", "rate"}, {"hs", "schedule", "fta_rate", "fta_covers", "note"})
        importer = _country(t["importer"], f"{where}.importer")
        commodity = t["commodity"]
        where = f"data/trade.yaml: tariffs {importer}/{commodity}"
        if commodity not in known_commodities:
            raise DataError(f"{where}: unknown commodity {commodity!r} (see data/commodities.yaml)")
        schedule = []
        for j, step in enumerate(t.get("schedule") or []):
            swhere = f"{where}.schedule[{j}]"
            check_keys(swhere, step, {"from", "rate"})
            schedule.append((_date(step["from"], f"{swhere}.from"), _rate_fig(step["rate"], f"{swhere}.rate")))
        if [d for d, _ in schedule] != sorted(d for d, _ in schedule):
            raise DataError(f"{where}.schedule: steps must be in date order")
        key = (importer, commodity)
        if key in tariffs:
            raise DataError(f"{where}: duplicate tariff line")
        tariffs[key] = TariffLine(
            importer=importer,
            commodity=commodity,
            hs=str(t.get("hs", "")),
            rate=_rate_fig(t["rate"], f"{where}.rate"),
            schedule=tuple(schedule),
            fta_rate=_rate_fig(t["fta_rate"], f"{where}.fta_rate") if "fta_rate" in t else None,
            fta_covers=frozenset(_country(c, f"{where}.fta_covers") for c in t.get("fta_covers") or ()),
            note=str(t.get("note", "")),
        )
    return TradePolicy(as_of=_date(raw["as_of"], "data/trade.yaml: as_of"), ftas=tuple(ftas), tariffs=tariffs)
