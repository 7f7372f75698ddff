"""The shipped catalogue: ports, vessel classes, chokepoints, services, defaults.

Every operating figure in ``routesim/data/*.yaml`` is a small mapping::

    berths: {value: 4, source: "https://... (15 Nov 2024)", confidence: H}
    crane_moves_per_hour: {value: 30, derived: true,
                           source: "typical class 25-30 moves/crane-h (...)"}

``source`` is required; ``derived: true`` marks a value we computed or chose
from cited inputs, and then ``source`` states the method and the inputs.
The loaders turn these into :class:`Figure` records so that a value always
travels with where it came from.

Examples
--------
>>> from routesim import catalogue
>>> chancay = catalogue.ports()["PECHY"]
>>> chancay.name
'Chancay'
>>> chancay.berths.value >= 1
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from .errors import DataError

__all__ = ["Figure", "Port", "ports", "load_data_file", "parse_figure"]


@dataclass(frozen=True)
class Figure:
    """A number with its provenance.

    Attributes
    ----------
    value : float | int | str
        The figure, in the unit its field name states.
    source : str
        Address and date of the public source, or for a derived figure the
        method and the cited inputs.
    derived : bool
        True when routesim computed or chose the value from cited inputs.
    confidence : str
        ``H``, ``M`` or ``L`` as in ``calibration.md``; empty when not graded.
    note : str
        Free text (caveats, conflicts between sources).
    """

    value: Any
    source: str
    derived: bool = False
    confidence: str = ""
    note: str = ""

    def __float__(self) -> float:
        return float(self.value)


def parse_figure(raw: Any, where: str) -> Figure:
    """Parse one ``{value:, source:}`` mapping; ``where`` names it in errors."""
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping with 'value' and 'source', got {raw!r}")
    unknown = set(raw) - {"value", "source", "derived", "confidence", "note", "unit"}
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}")
    if "value" not in raw:
        raise DataError(f"{where}: missing 'value'")
    src = raw.get("source")
    if not isinstance(src, str) or not src.strip():
        raise DataError(f"{where}: every figure needs a non-empty 'source'")
    value = raw["value"]
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"{where}: value must be finite, got {value!r}")
    conf = str(raw.get("confidence", ""))
    if conf not in ("", "H", "M", "L"):
        raise DataError(f"{where}: confidence must be H, M or L, got {conf!r}")
    return Figure(
        value=value,
        source=src.strip(),
        derived=bool(raw.get("derived", False)),
        confidence=conf,
        note=str(raw.get("note", "")),
    )


@functools.cache
def load_data_file(name: str) -> Any:
    """Load ``routesim/data/<name>`` with the safe YAML loader (cached)."""
    try:
        text = resources.files("routesim.data").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise DataError(f"shipped data file {name!r} is missing") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:  # pragma: no cover - packaging error
        raise DataError(f"shipped data file {name}: {exc}") from exc


@dataclass(frozen=True)
class Port:
    """A container port.

    Attributes
    ----------
    code : str
        UN/LOCODE, e.g. ``PECHY``.
    name, country : str
        Display name and ISO 3166-1 alpha-2 country code.
    lon, lat : float
        Reference point of the container terminals, degrees (WGS84).
    aliases : tuple[str, ...]
        Other names users may type (``Yangshan``, ``Manzanillo MX``).
    berths : Figure
        Container berths usable by deep-sea container ships (count).
    cranes_per_call : Figure
        Ship-to-shore cranes typically working one deep-sea call (count).
    crane_moves_per_hour : Figure
        Gross moves per crane-hour.
    annual_teu : Figure
        Container throughput (TEU per year; the year is in the source). ``value`` is
        None where no public figure was found (the source then says GAP).
    anchorage_wait_days : Figure
        Typical mean wait at anchor for a berth (days).
    extra : dict[str, Figure]
        Further sourced figures (max vessel TEU, reefer plugs, quay length...).
    """

    code: str
    name: str
    country: str
    lon: float
    lat: float
    coords_source: str
    berths: Figure
    cranes_per_call: Figure
    crane_moves_per_hour: Figure
    annual_teu: Figure
    anchorage_wait_days: Figure
    aliases: tuple[str, ...] = ()
    extra: dict[str, Figure] = field(default_factory=dict)


_PORT_FIGURES = ("berths", "cranes_per_call", "crane_moves_per_hour", "annual_teu", "anchorage_wait_days")
_PORT_FIELDS = {"code", "name", "country", "lon", "lat", "coords_source", "aliases", "extra", *_PORT_FIGURES}


def _parse_port(raw: dict, i: int) -> Port:
    where = f"data/ports.yaml: ports[{i}]"
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping")
    code = raw.get("code", "?")
    where = f"data/ports.yaml: {code}"
    unknown = set(raw) - _PORT_FIELDS
    missing = _PORT_FIELDS - {"aliases", "extra"} - set(raw)
    if unknown or missing:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    lon, lat = float(raw["lon"]), float(raw["lat"])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DataError(f"{where}: lon/lat out of range ({lon}, {lat})")
    figs = {k: parse_figure(raw[k], f"{where}.{k}") for k in _PORT_FIGURES}
    extra = {k: parse_figure(v, f"{where}.extra.{k}") for k, v in (raw.get("extra") or {}).items()}
    return Port(
        code=str(code).upper(),
        name=str(raw["name"]),
        country=str(raw["country"]).upper(),
        lon=lon,
        lat=lat,
        coords_source=str(raw["coords_source"]),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        extra=extra,
        **figs,
    )


@functools.cache
def ports() -> dict[str, Port]:
    """All shipped ports keyed by UN/LOCODE (cached; do not mutate)."""
    raw = load_data_file("ports.yaml")
    out: dict[str, Port] = {}
    for i, row in enumerate(raw["ports"]):
        p = _parse_port(row, i)
        if p.code in out:
            raise DataError(f"data/ports.yaml: duplicate port code {p.code}")
        out[p.code] = p
    return out


# =============================================================================
# Vessel classes, chokepoints, cost defaults, commodities and trade policy
# (data/vessels.yaml, chokepoints.yaml, costs.yaml, commodities.yaml, trade.yaml).
# Loaders are cached; every row is validated and unknown or missing keys are
# errors that name the file and the entry.
# =============================================================================

import datetime as _dt
import re as _re

__all__ += [
    "VesselClass",
    "Chokepoint",
    "Commodity",
    "FreeTradeAgreement",
    "TariffLine",
    "TradePolicy",
    "COST_DEFAULT_KEYS",
    "vessel_classes",
    "chokepoints",
    "cost_defaults",
    "commodities",
    "trade",
]

_ID_RE = _re.compile(r"^[a-z][a-z0-9_]*$")
_COUNTRY_RE = _re.compile(r"^[A-Z]{2}$")
_DIST_RE = _re.compile(r"^(gamma|lognormal|triangular|uniform|constant|exponential)\(.*\)$")


def _check_keys(where: str, raw: Any, required: set[str], optional: set[str] = frozenset()) -> None:
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping, got {type(raw).__name__}")
    unknown = set(raw) - required - set(optional)
    missing = required - set(raw)
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(f"unknown keys {sorted(unknown)}")
        if missing:
            parts.append(f"missing keys {sorted(missing)}")
        raise DataError(f"{where}: " + ", ".join(parts))


def _number(fig: Figure, where: str, *, positive: bool = False, nonnegative: bool = True) -> Figure:
    v = fig.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise DataError(f"{where}: value must be a number, got {v!r}")
    if positive and not v > 0:
        raise DataError(f"{where}: value must be > 0, got {v!r}")
    if nonnegative and v < 0:
        raise DataError(f"{where}: value must be >= 0, got {v!r}")
    return fig


def _num_fig(raw: Any, where: str, **kw) -> Figure:
    return _number(parse_figure(raw, where), where, **kw)


def _section(name: str, key: str) -> dict:
    raw = load_data_file(name)
    if not isinstance(raw, dict) or key not in raw:
        raise DataError(f"data/{name}: expected a top-level '{key}:' mapping")
    body = raw[key]
    if not isinstance(body, dict) or not body:
        raise DataError(f"data/{name}: '{key}' must be a non-empty mapping")
    for ident in body:
        if not isinstance(ident, str) or not _ID_RE.match(ident):
            raise DataError(f"data/{name}: {key} id {ident!r} must match {_ID_RE.pattern}")
    return body


# ----------------------------------------------------------------- vessels
@dataclass(frozen=True)
class VesselClass:
    """A container-ship class (``data/vessels.yaml``).

    Attributes
    ----------
    id, name : str
        Short id (``neopanamax_14000``) and display name.
    teu : Figure
        Nominal capacity (TEU).
    design_speed_kn, service_speed_kn : Figure
        Design speed and typical slow-steaming service speed (knots).
    design_fuel_t_per_day : Figure
        Main-engine fuel at design speed (tonnes per day).
    aux_fuel_t_per_day, port_fuel_t_per_day : Figure
        Auxiliaries and boiler at sea; all consumers at berth or anchor (tonnes per day).
    charter_usd_per_day : Figure
        Time-charter hire, which covers the owner's operating costs (USD per day).
    moves_per_call : Figure
        Container moves exchanged at one deep-sea call.
    extra : dict[str, Figure]
        Optional figures: ``loa_m``, ``max_draft_m``, ``reefer_plugs``.
    """

    id: str
    name: str
    teu: Figure
    design_speed_kn: Figure
    service_speed_kn: Figure
    design_fuel_t_per_day: Figure
    aux_fuel_t_per_day: Figure
    port_fuel_t_per_day: Figure
    charter_usd_per_day: Figure
    moves_per_call: Figure
    extra: dict[str, Figure] = field(default_factory=dict)


_VESSEL_FIGS = (
    "teu",
    "design_speed_kn",
    "service_speed_kn",
    "design_fuel_t_per_day",
    "aux_fuel_t_per_day",
    "port_fuel_t_per_day",
    "charter_usd_per_day",
    "moves_per_call",
)
_VESSEL_EXTRA = ("loa_m", "max_draft_m", "reefer_plugs")


@functools.cache
def vessel_classes() -> dict[str, VesselClass]:
    """All vessel classes keyed by id (cached; do not mutate)."""
    out: dict[str, VesselClass] = {}
    for vid, raw in _section("vessels.yaml", "vessel_classes").items():
        where = f"data/vessels.yaml: {vid}"
        _check_keys(where, raw, {"name", *_VESSEL_FIGS}, set(_VESSEL_EXTRA))
        positive = {"teu", "design_speed_kn", "service_speed_kn", "design_fuel_t_per_day", "moves_per_call"}
        figs = {k: _num_fig(raw[k], f"{where}.{k}", positive=k in positive) for k in _VESSEL_FIGS}
        if figs["service_speed_kn"].value > figs["design_speed_kn"].value:
            raise DataError(f"{where}: service_speed_kn exceeds design_speed_kn")
        extra = {k: _num_fig(raw[k], f"{where}.{k}", positive=True) for k in _VESSEL_EXTRA if k in raw}
        out[vid] = VesselClass(id=vid, name=str(raw["name"]), extra=extra, **figs)
    return out


# ------------------------------------------------------------- chokepoints
@dataclass(frozen=True)
class Chokepoint:
    """A canal, strait or cape named by sea lanes (``data/chokepoints.yaml``).

    Attributes
    ----------
    id, name, kind : str
        Network name (``panama``), display name, and ``canal``, ``strait`` or ``cape``.
    transit_hours : Figure
        Time through the passage beyond sailing the lane distance (hours).
    capacity_per_day : Figure | None
        Transits per day (canals).
    normal_wait_days, booked_wait_days : Figure | None
        Typical wait of an unbooked / a booked ship (days).
    booked_share : Figure | None
        Share of container transits holding a booking (0-1).
    max_vessel_teu : Figure | None
        Largest container ship that fits (TEU).
    toll : dict
        ``{"kind": "panama_teu" | "per_teu_capacity", ...}`` with Figures (nested
        mappings for per-lock-class values); empty when no toll is charged.
    regimes : dict[str, dict[str, Figure]]
        Documented operating regimes (``drought_2023``) that scenarios can reference.
    note : str
    """

    id: str
    name: str
    kind: str
    transit_hours: Figure
    capacity_per_day: Figure | None = None
    normal_wait_days: Figure | None = None
    booked_wait_days: Figure | None = None
    booked_share: Figure | None = None
    max_vessel_teu: Figure | None = None
    toll: dict[str, Any] = field(default_factory=dict)
    regimes: dict[str, dict[str, Figure]] = field(default_factory=dict)
    note: str = ""


_CHOKE_OPTIONAL_FIGS = ("capacity_per_day", "normal_wait_days", "booked_wait_days", "booked_share", "max_vessel_teu")
_LOCK_CLASSES = ("regular", "super", "neopanamax")
_TOLL_KEYS = {
    "panama_teu": (
        {"kind", "super_max_teu", "fixed_fee_usd", "capacity_usd_per_teu", "loaded_usd_per_teu", "empty_usd_per_teu"},
        {"note", "check_average_usd"},
    ),
    "per_teu_capacity": ({"kind", "usd_per_teu_capacity"}, {"note"}),
}


def _parse_toll(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("kind") not in _TOLL_KEYS:
        raise DataError(f"{where}: toll needs 'kind' in {sorted(_TOLL_KEYS)}")
    required, optional = _TOLL_KEYS[raw["kind"]]
    _check_keys(where, raw, required, optional)
    out: dict[str, Any] = {"kind": raw["kind"], "note": " ".join(str(raw.get("note", "")).split())}
    for k in sorted((required | optional) - {"kind", "note"}):
        if k not in raw:
            continue
        if k in ("fixed_fee_usd", "capacity_usd_per_teu"):
            _check_keys(f"{where}.{k}", raw[k], set(_LOCK_CLASSES))
            out[k] = {c: _num_fig(raw[k][c], f"{where}.{k}.{c}") for c in _LOCK_CLASSES}
        else:
            out[k] = _num_fig(raw[k], f"{where}.{k}")
    return out


@functools.cache
def chokepoints() -> dict[str, Chokepoint]:
    """All chokepoints keyed by network name (cached; do not mutate)."""
    out: dict[str, Chokepoint] = {}
    for cid, raw in _section("chokepoints.yaml", "chokepoints").items():
        where = f"data/chokepoints.yaml: {cid}"
        _check_keys(where, raw, {"name", "kind", "transit_hours"}, {*_CHOKE_OPTIONAL_FIGS, "toll", "regimes", "note"})
        kind = raw["kind"]
        if kind not in ("canal", "strait", "cape"):
            raise DataError(f"{where}.kind: must be canal, strait or cape, got {kind!r}")
        figs = {k: _num_fig(raw[k], f"{where}.{k}") for k in _CHOKE_OPTIONAL_FIGS if k in raw}
        if "booked_share" in figs and not figs["booked_share"].value <= 1:
            raise DataError(f"{where}.booked_share: must be <= 1")
        if kind == "canal" and "capacity_per_day" not in figs:
            raise DataError(f"{where}: a canal needs capacity_per_day")
        toll = _parse_toll(raw["toll"], f"{where}.toll") if "toll" in raw else {}
        regimes: dict[str, dict[str, Figure]] = {}
        for rname, rraw in (raw.get("regimes") or {}).items():
            rwhere = f"{where}.regimes.{rname}"
            if not isinstance(rraw, dict):
                raise DataError(f"{rwhere}: expected a mapping")
            regimes[str(rname)] = {k: _num_fig(v, f"{rwhere}.{k}") for k, v in rraw.items() if k != "note"}
        out[cid] = Chokepoint(
            id=cid,
            name=str(raw["name"]),
            kind=kind,
            transit_hours=_num_fig(raw["transit_hours"], f"{where}.transit_hours"),
            toll=toll,
            regimes=regimes,
            note=" ".join(str(raw.get("note", "")).split()),
            **figs,
        )
    return out


# ------------------------------------------------------------ cost defaults
COST_DEFAULT_KEYS: tuple[str, ...] = (
    "bunker_usd_per_t",
    "co2_t_per_t_fuel",
    "carbon_usd_per_t",
    "thc_origin_usd_per_teu",
    "thc_origin_reefer_usd_per_teu",
    "thc_destination_usd_per_teu",
    "thc_destination_reefer_usd_per_teu",
    "port_call_usd",
    "transshipment_usd_per_teu",
    "inventory_rate_per_year",
    "reefer_usd_per_teu_day",
    "reefer_plug_usd_per_teu_day",
    "vessel_utilisation",
    "settlement_fee_rate",
    "settlement_fee_rate_local_currency",
)
"""Names of the cost-model defaults in ``data/costs.yaml`` (the scenario ``costs:`` names)."""

_FRACTIONS = ("inventory_rate_per_year", "vessel_utilisation", "settlement_fee_rate", "settlement_fee_rate_local_currency")


@functools.cache
def cost_defaults() -> dict[str, Figure]:
    """Defaults of the cost model keyed by :data:`COST_DEFAULT_KEYS` (cached; do not mutate)."""
    raw = load_data_file("costs.yaml")
    if not isinstance(raw, dict) or set(raw) != {"defaults"}:
        raise DataError("data/costs.yaml: expected exactly one top-level 'defaults:' mapping")
    body = raw["defaults"]
    _check_keys("data/costs.yaml: defaults", body, set(COST_DEFAULT_KEYS))
    out = {k: _num_fig(body[k], f"data/costs.yaml: {k}") for k in COST_DEFAULT_KEYS}
    for k in _FRACTIONS:
        if not 0 <= out[k].value <= 1:
            raise DataError(f"data/costs.yaml: {k}: must be a fraction in [0, 1], got {out[k].value}")
    if out["vessel_utilisation"].value <= 0:
        raise DataError("data/costs.yaml: vessel_utilisation: must be > 0")
    return out


# --------------------------------------------------------------- commodities
@dataclass(frozen=True)
class Commodity:
    """A cargo type (``data/commodities.yaml``).

    Attributes
    ----------
    id, name : str
    kind : str
        ``dry`` or ``reefer``.
    value_usd_per_teu : Figure
        Cargo value of one loaded TEU (USD).
    shelf_life_days : Figure | None
        Remaining shelf life at loading as a distribution expression string
        (``"gamma(mean=35, cv=0.2)"``, days); perishables only.
    hs_heading : str
    extra : dict[str, Figure]
        The inputs of the value (``price_usd_per_t``, ``t_per_teu``, ...).
    note : str
    """

    id: str
    name: str
    kind: str
    value_usd_per_teu: Figure
    shelf_life_days: Figure | None = None
    hs_heading: str = ""
    extra: dict[str, Figure] = field(default_factory=dict)
    note: str = ""


_COMMODITY_EXTRA = ("price_usd_per_t", "t_per_teu", "unit_value_usd", "units_per_teu", "price_usd_per_kwh", "kwh_per_teu")


@functools.cache
def commodities() -> dict[str, Commodity]:
    """All commodities keyed by id (cached; do not mutate)."""
    out: dict[str, Commodity] = {}
    for cid, raw in _section("commodities.yaml", "commodities").items():
        where = f"data/commodities.yaml: {cid}"
        _check_keys(where, raw, {"name", "kind", "value_usd_per_teu"}, {"shelf_life_days", "hs_heading", "note", *_COMMODITY_EXTRA})
        kind = raw["kind"]
        if kind not in ("dry", "reefer"):
            raise DataError(f"{where}.kind: must be dry or reefer, got {kind!r}")
        shelf = None
        if "shelf_life_days" in raw:
            shelf = parse_figure(raw["shelf_life_days"], f"{where}.shelf_life_days")
            text = shelf.value
            if not isinstance(text, (int, float, str)) or isinstance(text, bool):
                raise DataError(f"{where}.shelf_life_days: expected a number or a distribution string")
            if isinstance(text, str) and not _DIST_RE.match(text.replace(" ", "")):
                raise DataError(
                    f"{where}.shelf_life_days: {text!r} is not a positive-duration distribution "
                    "(use gamma(mean=, cv=), lognormal(...), triangular(...), ...; normal() is not allowed)"
                )
        out[cid] = Commodity(
            id=cid,
            name=str(raw["name"]),
            kind=kind,
            value_usd_per_teu=_num_fig(raw["value_usd_per_teu"], f"{where}.value_usd_per_teu", positive=True),
            shelf_life_days=shelf,
            hs_heading=str(raw.get("hs_heading", "")),
            extra={k: _num_fig(raw[k], f"{where}.{k}", positive=True) for k in _COMMODITY_EXTRA if k in raw},
            note=" ".join(str(raw.get("note", "")).split()),
        )
    return out


# ------------------------------------------------------------------- trade
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
        from .errors import UnknownNameError

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
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    try:
        return _dt.date.fromisoformat(str(v))
    except ValueError as exc:
        raise DataError(f"{where}: expected a date YYYY-MM-DD, got {v!r}") from exc


def _country(v: Any, where: str) -> str:
    if not isinstance(v, str) or not _COUNTRY_RE.match(v):
        raise DataError(f"{where}: expected an ISO 3166-1 alpha-2 code, got {v!r}")
    return v


def _rate_fig(raw: Any, where: str) -> Figure:
    fig = _num_fig(raw, where)
    if fig.value > 5:
        raise DataError(f"{where}: a tariff rate is a fraction (0.35 = 35 %), got {fig.value}")
    return fig


@functools.cache
def trade() -> TradePolicy:
    """FTAs and import tariffs (cached; do not mutate)."""
    raw = load_data_file("trade.yaml")
    _check_keys("data/trade.yaml", raw, {"as_of", "ftas", "tariffs"})
    ftas = []
    for i, f in enumerate(raw["ftas"] or []):
        where = f"data/trade.yaml: ftas[{i}]"
        _check_keys(where, f, {"parties", "in_force", "source"}, {"note"})
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
        _check_keys(where, t, {"importer", "commodity", "rate"}, {"hs", "schedule", "fta_rate", "fta_covers", "note"})
        importer = _country(t["importer"], f"{where}.importer")
        commodity = t["commodity"]
        where = f"data/trade.yaml: tariffs {importer}/{commodity}"
        if commodity not in known_commodities:
            raise DataError(f"{where}: unknown commodity {commodity!r} (see data/commodities.yaml)")
        schedule = []
        for j, step in enumerate(t.get("schedule") or []):
            swhere = f"{where}.schedule[{j}]"
            _check_keys(swhere, step, {"from", "rate"})
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


# =============================================================================
# Liner services (data/services.yaml)
# =============================================================================

__all__ += ["Service", "services"]


@dataclass(frozen=True)
class Service:
    """A liner service: a vessel class sailing a rotation of ports on a fixed headway.

    Attributes
    ----------
    id, name, operator : str
        Short id (``cosco_chancay_shanghai``), display name and carriers.
    vessel : str
        Vessel class id (see :func:`vessel_classes`).
    rotation : tuple[str, ...]
        UN/LOCODEs of one round voyage in order; the loop closes back to the first.
        A port may appear twice (pendulum services).
    rotation_source : str
        Where the rotation comes from (address and date).
    headway_days : Figure
        Days between sailings (7 = weekly).
    speed_kn : Figure
        Average sea speed on passage (knots).
    """

    id: str
    name: str
    operator: str
    vessel: str
    rotation: tuple[str, ...]
    rotation_source: str
    headway_days: Figure
    speed_kn: Figure


@functools.cache
def services() -> dict[str, Service]:
    """All shipped liner services keyed by id (cached; do not mutate)."""
    known_ports = ports()
    known_vessels = vessel_classes()
    out: dict[str, Service] = {}
    for sid, raw in _section("services.yaml", "services").items():
        where = f"data/services.yaml: {sid}"
        _check_keys(where, raw, {"name", "operator", "vessel", "rotation", "rotation_source",
                                 "headway_days", "speed_kn"})
        if raw["vessel"] not in known_vessels:
            raise DataError(f"{where}.vessel: unknown vessel class {raw['vessel']!r}")
        rotation = raw["rotation"]
        if not isinstance(rotation, list) or len(rotation) < 2:
            raise DataError(f"{where}.rotation: needs at least two port calls")
        for code in rotation:
            if code not in known_ports:
                raise DataError(f"{where}.rotation: unknown port {code!r}")
        if any(a == b for a, b in zip(rotation, rotation[1:] + rotation[:1])):
            raise DataError(f"{where}.rotation: the same port twice in a row")
        out[sid] = Service(
            id=sid,
            name=str(raw["name"]),
            operator=str(raw["operator"]),
            vessel=str(raw["vessel"]),
            rotation=tuple(str(c) for c in rotation),
            rotation_source=" ".join(str(raw["rotation_source"]).split()),
            headway_days=_num_fig(raw["headway_days"], f"{where}.headway_days", positive=True),
            speed_kn=_num_fig(raw["speed_kn"], f"{where}.speed_kn", positive=True),
        )
    return out


# =============================================================================
# Operations: timing assumptions shared by every route (data/operations.yaml)
# =============================================================================

__all__ += ["OPERATIONS_KEYS", "operations"]

OPERATIONS_KEYS: tuple[str, ...] = (
    "weather_factor",
    "lateness_days",
    "call_fixed_hours",
    "min_connection_days",
    "handling_cv",
    "export_cutoff_days",
    "import_dwell_days",
)
"""Names of the timing defaults (the scenario ``operations:`` names)."""


@functools.cache
def operations() -> dict[str, Figure]:
    """Timing defaults keyed by :data:`OPERATIONS_KEYS`; values are numbers or distribution text."""
    from .distributions import DistributionError, parse

    raw = load_data_file("operations.yaml")
    if not isinstance(raw, dict) or set(raw) != {"operations"}:
        raise DataError("data/operations.yaml: expected exactly one top-level 'operations:' mapping")
    body = raw["operations"]
    _check_keys("data/operations.yaml", body, set(OPERATIONS_KEYS))
    out: dict[str, Figure] = {}
    for key in OPERATIONS_KEYS:
        fig = parse_figure(body[key], f"data/operations.yaml: {key}")
        try:
            parse(fig.value, nonnegative=True)
        except DistributionError as exc:
            raise DataError(f"data/operations.yaml: {key}: {exc}") from None
        out[key] = fig
    return out
