"""Tramp ships and their trade (``data/tramp.yaml``): bulk carriers and car carriers, the cargo
handling of a parcel, and voyage-charter freight.

A tramp class is not a container ship: it has no TEU and no container moves, so it lives apart from
:mod:`routesim.catalogue.vessel`. ``kind`` says what it carries: ``bulk`` (a parcel in tonnes,
``cargo_t`` per voyage) or ``roro`` (vehicles, ``vehicles`` per voyage on ``ceu`` car equivalent units).

>>> c = tramp_classes()["capesize"]
>>> c.kind, c.dwt.value, c.capacity
('bulk', 180000, 165000.0)
>>> tramp_classes()["pctc_7000"].unit
'vehicle'
>>> round(tramp_handling()["copper_concentrate"].load_per_day.value)
36000
>>> voyage_rate("iron_ore", "capesize", "BR", "CN").value
'uniform(22.1, 27)'
>>> voyage_rate("iron_ore", "capesize", "AU", "CN") is None
True
>>> laycan_days().value
5
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..distributions import parse
from ..errors import DataError, DistributionError
from .figures import Figure, check_keys, number_figure, parse_figure, read, section
from .fuel import fuels

__all__ = ["TRAMP_KINDS", "TrampClass", "Handling", "tramp_classes", "tramp_handling", "voyage_rate", "laycan_days"]

TRAMP_KINDS = {"bulk": "tonne", "roro": "vehicle"}
"""Cargo kinds a tramp ship carries, and the unit its parcel is counted in."""

_NUMBERS = ("design_speed_kn", "service_speed_kn", "design_fuel_t_per_day", "aux_fuel_t_per_day",
            "port_fuel_t_per_day", "gt", "loa_m")
_CAPACITY = {"bulk": ("dwt", "cargo_t"), "roro": ("ceu", "vehicles")}


@dataclass(frozen=True)
class TrampClass:
    """A tramp ship class (``data/tramp.yaml`` vessel_classes).

    Attributes
    ----------
    id, name, kind : str
        Short id, display name and ``bulk`` or ``roro``.
    figures : dict[str, Figure]
        ``dwt`` (tonnes deadweight, bulk), ``cargo_t`` (tonnes of cargo a voyage, bulk), ``ceu`` and
        ``vehicles`` (vehicles a voyage, roro), speeds (knots), fuel (VLSFO-equivalent t/day), ``gt``,
        ``loa_m`` (m), ``charter_usd_per_day`` (a distribution expression).
    fuel : Figure
        The fuel burned (an id of ``data/fuels.yaml``).
    """

    id: str
    name: str
    kind: str
    figures: dict
    fuel: Figure

    def __getattr__(self, name: str) -> Figure:
        figs = self.__dict__.get("figures", {})
        if name in figs:
            return figs[name]
        raise AttributeError(name)

    @property
    def unit(self) -> str:
        """``tonne`` or ``vehicle``."""
        return TRAMP_KINDS[self.kind]

    @property
    def capacity(self) -> float:
        """Cargo a voyage: tonnes (bulk) or vehicles (roro)."""
        return float(self.figures[_CAPACITY[self.kind][1]].value)


@dataclass(frozen=True)
class Handling:
    """How a commodity's parcel is worked (``data/tramp.yaml`` handling): ``load_per_day`` and
    ``discharge_per_day`` (tonnes or vehicles a day alongside) and the terminal charges the shipper
    pays at each end (``origin``/``destination``, USD per tonne or per vehicle)."""

    commodity: str
    load_per_day: Figure
    discharge_per_day: Figure
    origin: Figure
    destination: Figure


def _dist_figure(raw, where: str) -> Figure:
    fig = parse_figure(raw, where)
    try:
        d = parse(fig.value, nonnegative=True)
    except DistributionError as exc:
        raise DataError(f"{where}: {exc}") from None
    if not d.mean > 0:
        raise DataError(f"{where}: must have a positive mean")
    return fig


@functools.cache
def tramp_classes() -> dict[str, TrampClass]:
    """Every tramp class keyed by id (cached; do not mutate)."""
    out = {}
    for vid, raw in section("tramp.yaml", "vessel_classes").items():
        where = f"data/tramp.yaml: vessel_classes.{vid}"
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in _CAPACITY:
            raise DataError(f"{where}.kind: must be bulk or roro, got {kind!r}")
        cap = set(_CAPACITY[kind])
        check_keys(where, raw, {"name", "kind", "charter_usd_per_day", "fuel", *_NUMBERS, *(cap - {"dwt"})},
                   cap)
        figs = {k: number_figure(raw[k], f"{where}.{k}", positive=k not in ("aux_fuel_t_per_day", "port_fuel_t_per_day"))
                for k in (*_NUMBERS, *sorted(cap & set(raw)))}
        if figs["service_speed_kn"].value > figs["design_speed_kn"].value:
            raise DataError(f"{where}: service_speed_kn exceeds design_speed_kn")
        figs["charter_usd_per_day"] = _dist_figure(raw["charter_usd_per_day"], f"{where}.charter_usd_per_day")
        fuel = parse_figure(raw["fuel"], f"{where}.fuel")
        if fuel.value not in fuels():
            raise DataError(f"{where}.fuel: unknown fuel {fuel.value!r}; expected one of {sorted(fuels())}")
        out[vid] = TrampClass(vid, str(raw["name"]), kind, figs, fuel)
    return out


@functools.cache
def tramp_handling() -> dict[str, Handling]:
    """Cargo handling by commodity id (cached)."""
    out = {}
    for cid, raw in section("tramp.yaml", "handling").items():
        where = f"data/tramp.yaml: handling.{cid}"
        per = "vehicle" if isinstance(raw, dict) and "origin_usd_per_vehicle" in raw else "t"
        ends = {f"origin_usd_per_{per}", f"destination_usd_per_{per}"}
        check_keys(where, raw, {"load_per_day", "discharge_per_day", *ends})
        f = {k: number_figure(raw[k], f"{where}.{k}", positive=k.endswith("per_day")) for k in raw}
        out[cid] = Handling(cid, f["load_per_day"], f["discharge_per_day"], f[f"origin_usd_per_{per}"],
                            f[f"destination_usd_per_{per}"])
    return out


@functools.cache
def _rates() -> tuple:
    body = read("tramp.yaml").get("voyage_rates", [])
    if not isinstance(body, list):
        raise DataError("data/tramp.yaml: voyage_rates must be a list")
    out = []
    for i, raw in enumerate(body):
        where = f"data/tramp.yaml: voyage_rates[{i}]"
        key = "usd_per_vehicle" if isinstance(raw, dict) and "usd_per_vehicle" in raw else "usd_per_t"
        check_keys(where, raw, {"commodity", "vessels", "from", "to", key})
        unknown = [v for v in raw["vessels"] if v not in tramp_classes()]
        if unknown:
            raise DataError(f"{where}.vessels: unknown tramp classes {unknown}")
        out.append((raw["commodity"], frozenset(raw["vessels"]), frozenset(raw["from"]), frozenset(raw["to"]),
                    _dist_figure(raw[key], f"{where}.{key}")))
    return tuple(out)


def voyage_rate(commodity: str, vessel: str, origin_country: str, destination_country: str) -> Figure | None:
    """Voyage-charter freight (USD per tonne or per vehicle, a distribution expression) for a
    commodity on a class between two countries; None where the record has no rate."""
    for com, vessels, frm, to, fig in _rates():
        if com == commodity and vessel in vessels and origin_country in frm and destination_country in to:
            return fig
    return None


@functools.cache
def laycan_days() -> Figure:
    """The laycan window a tramp ship presents in (days; ``data/tramp.yaml`` laycan_days)."""
    return number_figure(read("tramp.yaml").get("laycan_days"), "data/tramp.yaml: laycan_days", positive=True)
