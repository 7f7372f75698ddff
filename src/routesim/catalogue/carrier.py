"""The carrier side of the catalogue: trade regions (``data/regions.yaml``), load factors by trade
and direction (``data/carrier.yaml``) and carriers' disclosed unit costs (``data/disclosures.yaml``).

>>> region_of("PECHY", "PE"), region_of("COBUN", "CO"), region_of("CNSHA", "CN")
('wcsa', 'wcsa', 'asia')
>>> sorted(trades())
['asia_ecsa', 'asia_europe', 'asia_mexico', 'asia_wcsa']
>>> h, b = utilisation("asia_wcsa")
>>> 0 < b < h <= 1
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..distributions import parse
from ..errors import DataError, DistributionError
from .figures import Figure, number_figure, parse_figure, read

__all__ = ["region_of", "trades", "utilisation", "vessel_particulars", "vessels_with_particulars", "Disclosure", "disclosures", "REGIONAL"]

REGIONAL = "regional"
"""The trade of a loop that never crosses between Asia and Latin America."""


@functools.cache
def _regions() -> tuple[dict[str, str], dict[str, str]]:
    raw = read("regions.yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("regions"), dict):
        raise DataError("data/regions.yaml: expected a top-level 'regions:' mapping")
    by_country: dict[str, str] = {}
    by_port: dict[str, str] = {}
    for name, body in raw["regions"].items():
        for c in body.get("countries", []):
            if c in by_country:
                raise DataError(f"data/regions.yaml: country {c} is in both {by_country[c]} and {name}")
            by_country[str(c)] = str(name)
        for p in body.get("ports", []):
            by_port[str(p)] = str(name)
    return by_country, by_port


def region_of(code: str, country: str) -> str:
    """The trade region of port ``code`` in ``country`` (its coast's region where the port is listed)."""
    by_country, by_port = _regions()
    if code in by_port:
        return by_port[code]
    try:
        return by_country[country]
    except KeyError:
        raise DataError(f"data/regions.yaml: port {code} (country {country}) is in no trade region") from None


@functools.cache
def trades() -> dict[str, tuple[str, str]]:
    """Trade -> (region of the headhaul's origin, region at the other end)."""
    raw = read("regions.yaml").get("trades", {})
    regions = read("regions.yaml")["regions"]
    out = {}
    for name, ends in raw.items():
        if not isinstance(ends, list) or len(ends) != 2 or any(e not in regions for e in ends):
            raise DataError(f"data/regions.yaml: trades.{name}: expected [region, region] of the regions listed")
        out[str(name)] = (str(ends[0]), str(ends[1]))
    return out


@functools.cache
def utilisation(trade: str) -> tuple[float, float]:
    """(headhaul, backhaul) mean share of slots full on ``trade`` (``data/carrier.yaml``; a
    distribution figure gives its mean)."""
    body = read("carrier.yaml").get("utilisation", {})
    if trade not in body:
        raise DataError(f"data/carrier.yaml: utilisation has no trade {trade!r} (has {', '.join(body)})")
    out = []
    for side in ("headhaul", "backhaul"):
        where = f"data/carrier.yaml: utilisation.{trade}.{side}"
        fig = parse_figure(body[trade].get(side), where)
        try:
            share = parse(fig.value, nonnegative=True).mean
        except DistributionError as exc:
            raise DataError(f"{where}: {exc}") from None
        if not 0 < share <= 1:
            raise DataError(f"{where}: a share of slots must be in (0, 1], got {share}")
        out.append(float(share))
    return out[0], out[1]


def vessels_with_particulars() -> frozenset[str]:
    """Vessel classes with a gross tonnage and length in ``data/carrier.yaml``."""
    return frozenset(read("carrier.yaml").get("vessels", {}))


@functools.cache
def vessel_particulars(vessel_class: str) -> tuple[float, float]:
    """(gross tonnage, length overall in metres) of a vessel class (``data/carrier.yaml`` vessels)."""
    body = read("carrier.yaml").get("vessels", {})
    if vessel_class not in body:
        raise DataError(f"data/carrier.yaml: vessels has no class {vessel_class!r}: its port-call charges "
                        f"need its gt and loa_m (or set costs.port_call_usd)")
    where = f"data/carrier.yaml: vessels.{vessel_class}"
    raw = body[vessel_class]
    return (float(number_figure(raw.get("gt"), f"{where}.gt", positive=True).value),
            float(number_figure(raw.get("loa_m"), f"{where}.loa_m", positive=True).value))


@dataclass(frozen=True)
class Disclosure:
    """A carrier's published unit cost (``data/disclosures.yaml``).

    Attributes
    ----------
    id, carrier, period, metric : str
        What was disclosed, by whom, for when.
    usd_per_teu : float
        The figure per TEU (an FFE figure halved).
    bunker_usd_per_t : float
        The bunker price the figure is at (fixed-bunker basis, or the period's average).
    value, bunker : Figure
        The figures as published, with their sources.
    includes : str
        What the figure covers.
    """

    id: str
    carrier: str
    period: str
    metric: str
    usd_per_teu: float
    bunker_usd_per_t: float
    value: Figure
    bunker: Figure
    includes: str = ""


@functools.cache
def disclosures() -> dict[str, Disclosure]:
    """Carriers' disclosed unit costs with a value and a bunker basis, keyed by id."""
    body = read("disclosures.yaml").get("disclosures", {})
    out = {}
    for key, raw in body.items():
        where = f"data/disclosures.yaml: disclosures.{key}"
        if not isinstance(raw, dict) or raw.get("value", {}).get("value") is None:
            continue
        if raw.get("bunker_usd_per_t", {}).get("value") is None:
            continue
        value = number_figure(raw["value"], f"{where}.value", positive=True)
        bunker = number_figure(raw["bunker_usd_per_t"], f"{where}.bunker_usd_per_t", positive=True)
        unit = raw.get("unit")
        if unit not in ("usd_per_teu", "usd_per_feu"):
            raise DataError(f"{where}.unit: expected usd_per_teu or usd_per_feu, got {unit!r}")
        per_teu = float(value.value) / (2.0 if unit == "usd_per_feu" else 1.0)
        out[key] = Disclosure(key, str(raw.get("carrier", "")), str(raw.get("period", "")),
                              str(raw.get("metric", "")), per_teu, float(bunker.value), value, bunker,
                              str(raw.get("includes", "")))
    return out
