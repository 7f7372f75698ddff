"""Scenario files: the schema, loading with ``extends:``, overrides and errors.

A scenario is a YAML file (or the same mapping built in Python) describing a
study: cargo, routes, port and service settings, costs, disruptions and the
engine. Values that are random are written in the distribution grammar of
:mod:`routesim.distributions` (``gamma(mean=4.5, cv=0.8)``). Anything not
written falls back to the shipped catalogue when the scenario is compiled
(:mod:`routesim.plan`), so a scenario records only what the user chose.

Loading is strict: unknown keys, unknown ports, wrong types, negative
durations, NaN and unsafe YAML tags are errors, and every error names the
file, line, column and field::

    scenarios/peru.yaml:14:7: routes.direct.origin: unknown port 'Chancai' (did you mean PECHY Chancay?)

Examples
--------
>>> s = Scenario.from_dict({"name": "demo", "routes": {"direct": {
...     "origin": "Chancay", "destination": "Shanghai", "service": "cosco_chancay_shanghai"}}})
>>> s.routes["direct"].origin, s.routes["direct"].destination
('PECHY', 'CNSHA')
>>> s.with_overrides({"costs.bunker_usd_per_t": 650}).costs.bunker_usd_per_t.mean
650.0
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from . import catalogue
from ._suggest import did_you_mean
from .distributions import Dist, NonNegativeDist
from .errors import RoutesimError, ScenarioError
from .names import resolve_name, resolve_port
from .yamlio import Mark, Marks, YamlError, format_path, load_marked, loads_marked

__all__ = [
    "Scenario",
    "RouteSpec",
    "SegmentSpec",
    "ServiceSpec",
    "VesselSpec",
    "PortSpec",
    "ChokepointSpec",
    "CargoSpec",
    "Costs",
    "Operations",
    "Disruption",
    "OverlandSpec",
    "load_scenario",
    "parse_set_option",
]


# ---------------------------------------------------------------- name types
def _port(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a port code or name, got {value!r}")
    return resolve_port(value)


def _chokepoint(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a chokepoint name, got {value!r}")
    return resolve_name("chokepoint", value, catalogue.chokepoints())


def _known(kind: str, catalogue_names, context_key: str):
    def check(value: Any, info: ValidationInfo) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a {kind} name, got {value!r}")
        names = set(catalogue_names()) | set((info.context or {}).get(context_key, ()))
        return resolve_name(kind, value, sorted(names))

    return check


def _as_name_error(fn):
    """Turn UnknownNameError into ValueError so pydantic reports it with the field path."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return fn(*args)
        except RoutesimError as exc:
            raise ValueError(str(exc)) from None

    return wrapper


PortCode = Annotated[str, BeforeValidator(_as_name_error(_port))]
ChokepointName = Annotated[str, BeforeValidator(_as_name_error(_chokepoint))]
VesselName = Annotated[str, AfterValidator(_as_name_error(_known("vessel class", catalogue.vessel_classes, "vessels")))]
ServiceName = Annotated[str, AfterValidator(_as_name_error(_known("service", catalogue.services, "services")))]
CommodityName = Annotated[str, AfterValidator(_as_name_error(_known("commodity", catalogue.commodities, "")))]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegFloat = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
PositiveFraction = Annotated[float, Field(gt=0, le=1)]
PositiveInt = Annotated[int, Field(gt=0, strict=True)]
RouteName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$", max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True,
                              validate_default=True)


# ---------------------------------------------------------------- sections
class CargoSpec(_Model):
    """What one shipment carries. Unset fields come from the commodity in the catalogue."""

    commodity: CommodityName = "general_cargo"
    kind: Literal["dry", "reefer"] | None = None
    teu: PositiveFloat = 1.0
    """TEU per shipment."""
    value_usd: NonNegativeDist | None = None
    """Cargo value of one shipment (USD); default: commodity value per TEU x ``teu``."""
    shelf_life_days: NonNegativeDist | None = None
    """Remaining shelf life at gate-in (days); perishables only."""
    origin_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    """Country of origin for tariffs (ISO 3166 alpha-2); default: the origin port's (or overland start's) country."""


class CargoPatch(_Model):
    """A route's changes to the scenario's cargo (same fields, all optional)."""

    commodity: CommodityName | None = None
    kind: Literal["dry", "reefer"] | None = None
    teu: PositiveFloat | None = None
    value_usd: NonNegativeDist | None = None
    shelf_life_days: NonNegativeDist | None = None
    origin_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class PortSpec(_Model):
    """Overrides of a catalogue port's operating figures."""

    berths: PositiveInt | None = None
    cranes_per_call: PositiveInt | None = None
    crane_moves_per_hour: PositiveFloat | None = None
    berth_wait_days: NonNegativeDist | None = None
    """Wait for a berth at this port (days), used by the Monte Carlo engine."""
    call_fixed_hours: NonNegFloat | None = None
    export_cutoff_days: NonNegativeDist | None = None
    import_dwell_days: NonNegativeDist | None = None


class VesselSpec(_Model):
    """A vessel class: a new one (give ``base`` or every figure) or changes to a catalogue class."""

    base: VesselName | None = None
    name: str | None = None
    teu: PositiveFloat | None = None
    design_speed_kn: PositiveFloat | None = None
    service_speed_kn: PositiveFloat | None = None
    design_fuel_t_per_day: PositiveFloat | None = None
    aux_fuel_t_per_day: NonNegFloat | None = None
    port_fuel_t_per_day: NonNegFloat | None = None
    charter_usd_per_day: NonNegativeDist | None = None
    moves_per_call: PositiveFloat | None = None


class ServiceSpec(_Model):
    """A liner service: a vessel class sailing a rotation of ports on a fixed headway.

    In a scenario, a service that exists in the catalogue may be given only
    the fields to change (e.g. ``speed_kn``).
    """

    vessel: VesselName | None = None
    rotation: Annotated[list[PortCode], Field(min_length=2)] | None = None
    headway_days: PositiveFloat | None = None
    speed_kn: PositiveFloat | None = None
    operator: str | None = None
    description: str | None = None
    source: str | None = None
    avoid: list[ChokepointName] | None = None
    utilisation: PositiveFraction | None = None
    moves_per_call: PositiveFloat | None = None


class SegmentSpec(_Model):
    """One stretch of a route on one vessel: to the next hub (``to``) or the destination."""

    to: PortCode | None = None
    service: ServiceName | None = None
    vessel: VesselName | None = None
    speed_kn: PositiveFloat | None = None
    headway_days: PositiveFloat | None = None
    via: list[PortCode] = []
    avoid: list[ChokepointName] = []


class OverlandSpec(_Model):
    """A land leg before the sea origin (a what-if: label it as an assumption)."""

    start: str
    """Where the cargo starts, e.g. ``"Santos (BRSSZ)"``."""
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    days: NonNegativeDist
    usd_per_teu: NonNegativeDist
    co2_t_per_teu: NonNegativeDist = 0.0
    distance_km: PositiveFloat | None = None
    assumption: Annotated[str, Field(min_length=10)]
    """Plain statement of what is assumed (no such service operates today, etc.)."""


class RouteSpec(_Model):
    """A way to move the cargo from ``origin`` to ``destination``.

    Either give ``segments`` explicitly, or use the shorthand: ``service`` (or
    ``vessel`` + ``speed_kn`` + ``headway_days``) for a single vessel, with
    ``transship_at`` hubs and one entry of ``services`` per stretch.
    """

    origin: PortCode
    destination: PortCode
    description: str = ""
    via: list[PortCode] = []
    transship_at: list[PortCode] = []
    avoid: list[ChokepointName] = []
    service: ServiceName | None = None
    services: list[ServiceName] | None = None
    vessel: VesselName | None = None
    speed_kn: PositiveFloat | None = None
    headway_days: PositiveFloat | None = None
    segments: Annotated[list[SegmentSpec], Field(min_length=1)] | None = None
    overland: OverlandSpec | None = None
    cargo: CargoPatch | None = None
    demand_teu_per_week: NonNegativeDist | None = None
    """Cargo demand on this route (TEU per week), used by the discrete-event engine."""

    @model_validator(mode="after")
    def _shape(self):
        if self.origin == self.destination and self.overland is None:
            raise ValueError("origin and destination are the same port")
        if self.segments is not None:
            clash = [k for k in ("via", "transship_at", "service", "services", "vessel", "speed_kn", "headway_days")
                     if k in self.model_fields_set]
            if clash:
                raise ValueError(f"give either 'segments' or the shorthand keys, not both ({', '.join(clash)})")
            if self.segments[-1].to not in (None, self.destination):
                raise ValueError("the last segment must end at the destination (leave its 'to' empty)")
            if any(s.to is None for s in self.segments[:-1]):
                raise ValueError("every segment but the last needs 'to' (the transshipment hub)")
        else:
            if self.service and self.services:
                raise ValueError("give 'service' or 'services', not both")
            if self.services is not None and len(self.services) != len(self.transship_at) + 1:
                raise ValueError(
                    f"'services' needs one entry per stretch: {len(self.transship_at) + 1} "
                    f"for {len(self.transship_at)} transshipment hub(s), got {len(self.services)}"
                )
            if not (self.service or self.services or self.vessel):
                raise ValueError("say how the cargo sails: 'service', 'services', 'vessel' or 'segments'")
        return self

    def resolved_segments(self) -> list[SegmentSpec]:
        """The route as explicit segments (expanding the shorthand)."""
        if self.segments is not None:
            return list(self.segments)
        hubs = list(self.transship_at)
        services = self.services or [self.service] * (len(hubs) + 1)
        ends = hubs + [None]
        out = []
        for i, (svc, to) in enumerate(zip(services, ends)):
            out.append(SegmentSpec(
                to=to,
                service=svc,
                vessel=self.vessel,
                speed_kn=self.speed_kn,
                headway_days=self.headway_days,
                via=list(self.via) if len(ends) == 1 else [],
                avoid=list(self.avoid),
            ))
        return out


class ChokepointSpec(_Model):
    """Overrides of a chokepoint's operating figures."""

    capacity_per_day: NonNegFloat | None = None
    booked_share: Fraction | None = None
    demand_per_day: NonNegFloat | None = None
    wait_days: NonNegativeDist | None = None
    transit_hours: NonNegFloat | None = None
    toll_usd: NonNegativeDist | None = None
    booked: bool | None = None
    """Whether the scenario's vessels hold transit bookings (liner services normally do)."""


_DISRUPTION_KINDS = {
    "closure": "closure",
    "port_closure": "closure",
    "chokepoint_closure": "closure",
    "capacity": "capacity",
    "port_capacity": "capacity",
    "chokepoint_capacity": "capacity",
    "weather": "weather",
}


def _disruption_kind(value: Any) -> str:
    if isinstance(value, str) and value.strip().lower() in _DISRUPTION_KINDS:
        return _DISRUPTION_KINDS[value.strip().lower()]
    hint = did_you_mean(str(value), list(_DISRUPTION_KINDS))
    raise ValueError(f"unknown disruption kind {value!r}{hint} (closure, capacity or weather)")


def _place(value: Any) -> str:
    """A chokepoint name or a port code/name."""
    if not isinstance(value, str):
        raise ValueError(f"expected a chokepoint or port, got {value!r}")
    try:
        return resolve_name("chokepoint", value, catalogue.chokepoints())
    except RoutesimError:
        pass
    try:
        return resolve_port(value)
    except RoutesimError as exc:
        raise ValueError(f"unknown chokepoint or port {value!r}{str(exc).partition(str(value) + chr(39))[2]}") from None


class Disruption(_Model):
    """Something that goes wrong at a place for a time window (days from the study start)."""

    kind: Annotated[Literal["closure", "capacity", "weather"], BeforeValidator(_disruption_kind)]
    where: Annotated[str, BeforeValidator(_place)]
    from_day: NonNegFloat = 0.0
    days: PositiveFloat | None = None
    """Length of the window (days); empty means to the end of the study."""
    factor: Fraction | None = None
    """Capacity kept, as a share of normal (``capacity`` only)."""
    extra_days: NonNegativeDist | None = None
    """Extra delay per call or passage in the window (``weather`` only)."""
    note: str = ""

    @model_validator(mode="after")
    def _fields_for_kind(self):
        if self.kind == "capacity" and self.factor is None:
            raise ValueError("a capacity disruption needs 'factor' (share of capacity kept, 0-1)")
        if self.kind != "capacity" and self.factor is not None:
            raise ValueError(f"'factor' applies to capacity disruptions, not {self.kind}")
        if self.kind == "weather" and self.extra_days is None:
            raise ValueError("a weather disruption needs 'extra_days'")
        if self.kind != "weather" and self.extra_days is not None:
            raise ValueError(f"'extra_days' applies to weather disruptions, not {self.kind}")
        return self

    @property
    def to_day(self) -> float:
        """End of the window (days; ``inf`` when open-ended)."""
        return float("inf") if self.days is None else self.from_day + self.days


class Operations(_Model):
    """Timing assumptions shared by all routes; unset fields come from ``data/operations.yaml``."""

    weather_factor: NonNegativeDist | None = None
    """Multiplier on sailing time for weather and currents (1 = the service's average)."""
    lateness_days: NonNegativeDist | None = None
    """Schedule lateness of a vessel at a call (days), e.g. ``late(p=0.5, delay=gamma(mean=5, cv=0.8))``."""
    call_fixed_hours: NonNegFloat | None = None
    """Hours of every call beyond crane work: pilotage, mooring, lashing."""
    min_connection_days: NonNegFloat | None = None
    """Shortest possible transshipment: discharge, yard, load (days)."""
    handling_cv: NonNegFloat | None = None
    """Coefficient of variation of the moves exchanged at a call."""
    export_cutoff_days: NonNegativeDist | None = None
    """Time an export box spends in the origin terminal before its ship can take it (days)."""
    import_dwell_days: NonNegativeDist | None = None
    """Time an import box spends in the destination terminal after discharge (days)."""


class Costs(_Model):
    """Cost inputs (USD unless named otherwise); unset fields come from ``data/costs.yaml``."""

    bunker_usd_per_t: NonNegativeDist | None = None
    co2_t_per_t_fuel: PositiveFloat | None = None
    carbon_usd_per_t: NonNegativeDist | None = None
    thc_origin_usd_per_teu: NonNegativeDist | None = None
    thc_origin_reefer_usd_per_teu: NonNegativeDist | None = None
    thc_destination_usd_per_teu: NonNegativeDist | None = None
    thc_destination_reefer_usd_per_teu: NonNegativeDist | None = None
    port_call_usd: NonNegativeDist | None = None
    """Port dues, pilotage and towage of one vessel call (USD per call)."""
    transshipment_usd_per_teu: NonNegativeDist | None = None
    inventory_rate_per_year: Annotated[float, Field(ge=0, le=1)] | None = None
    reefer_usd_per_teu_day: NonNegativeDist | None = None
    """Reefer equipment premium per TEU and day in use."""
    reefer_plug_usd_per_teu_day: NonNegativeDist | None = None
    """Terminal plug-in (power, monitoring) per TEU and day in a terminal."""
    vessel_utilisation: PositiveFraction | None = None
    settlement_fee_rate: Annotated[float, Field(ge=0, le=0.2)] | None = None
    settlement_fee_rate_local_currency: Annotated[float, Field(ge=0, le=0.2)] | None = None
    local_currency_settlement: bool = False
    """Settle in the trading partners' currencies (e.g. CNY/BRL) at ``settlement_fee_rate_local_currency``."""
    tariff_rate: Annotated[float, Field(ge=0, le=5)] | None = None
    """Ad-valorem tariff override (share of cargo value); default from ``data/trade.yaml`` with FTA exemptions."""
    tariff_date: datetime.date | None = None
    """Date (YYYY-MM-DD) at which tariff schedules are read; default: the trade catalogue's ``as_of``."""
    charter_usd_per_day: dict[VesselName, NonNegativeDist] = {}
    canal_toll_usd: dict[ChokepointName, NonNegativeDist] = {}
    """Toll per transit (USD), replacing the catalogue's toll structure."""


class MonteCarloOptions(_Model):
    chunk_size: Annotated[int, Field(ge=1_000, strict=True)] = 262_144
    threads: PositiveInt = 1
    keep_shipments: bool | None = None
    """Keep the per-shipment table; default: when the run has at most 2 million rows."""


class DesOptions(_Model):
    horizon_days: PositiveFloat = 365.0
    warmup_days: NonNegFloat = 56.0


class Scenario(_Model):
    """A complete study. Build with :func:`load_scenario` or :meth:`Scenario.from_dict`."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    seed: Annotated[int, Field(ge=0, strict=True)] = 0
    replications: PositiveInt = 10_000
    """Shipments per route (Monte Carlo) or independent runs (discrete-event)."""
    engine: Literal["montecarlo", "des"] = "montecarlo"
    horizon_days: PositiveFloat = 365.0
    """Study window: Monte Carlo cargo is ready uniformly over it; disruptions are timed in it."""
    cargo: CargoSpec = CargoSpec()
    routes: Annotated[dict[RouteName, RouteSpec], Field(min_length=1)]
    ports: dict[PortCode, PortSpec] = {}
    vessels: dict[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")], VesselSpec] = {}
    services: dict[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")], ServiceSpec] = {}
    chokepoints: dict[ChokepointName, ChokepointSpec] = {}
    costs: Costs = Costs()
    operations: Operations = Operations()
    disruptions: list[Disruption] = []
    montecarlo: MonteCarloOptions = MonteCarloOptions()
    des: DesOptions = DesOptions()

    _marks: Marks | None = PrivateAttr(default=None)

    def where(self, *path) -> str:
        """``file:line:col`` where a field was written (``"<scenario>"`` when not from a file).

        >>> Scenario.from_dict({"name": "x", "routes": {"r": {"origin": "PECHY", "destination": "CNSHA",
        ...     "service": "cosco_chancay_shanghai"}}}, source="x.yaml").where("routes", "r")
        'x.yaml:1:1'
        """
        return self._marks.where(tuple(path)) if self._marks is not None else "<scenario>"

    # ------------------------------------------------------------ building
    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "<dict>", marks: Marks | None = None) -> "Scenario":
        """Validate a mapping (as read from YAML) into a Scenario, or raise ScenarioError."""
        return _validate(data, marks or Marks(default=Mark(source, 1, 1)), source)

    def with_overrides(self, overrides: Mapping[str, Any] | None = None, **kwargs: Any) -> "Scenario":
        """A copy with some fields changed.

        Keys are dotted paths (``"costs.bunker_usd_per_t"``, ``"disruptions[0].factor"``)
        or top-level names; values are what YAML would hold (numbers, text,
        distribution expressions, mappings).

        >>> s = Scenario.from_dict({"name": "x", "routes": {"r": {"origin": "PECHY",
        ...     "destination": "CNSHA", "service": "cosco_chancay_shanghai"}}})
        >>> s.with_overrides(seed=7).seed
        7
        """
        data = self.to_dict()
        items = dict(overrides or {})
        items.update(kwargs)
        marks = Marks(default=Mark("<overrides>", 1, 1))
        for key, value in items.items():
            _apply_override(data, _split_path(key, "<overrides>"), value, "<overrides>")
        return _validate(data, marks, "<overrides>")

    # ------------------------------------------------------------ output
    def to_dict(self) -> dict:
        """Plain data (what a YAML file would hold); distributions as text."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def to_yaml(self) -> str:
        """The scenario as YAML text that loads back to an equal Scenario."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)

    @classmethod
    def json_schema(cls) -> dict:
        """JSON Schema of scenario files (for editors and validators)."""
        schema = cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "routesim scenario"
        schema.setdefault("properties", {})["extends"] = {
            "description": "Path (relative to this file) of a scenario this one builds on.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        }
        return schema

    def summary_line(self) -> str:
        """One line for ``routesim validate``."""
        routes = ", ".join(self.routes)
        return (f"'{self.name}': {len(self.routes)} route(s) ({routes}), engine {self.engine}, "
                f"{self.replications:,} replications, seed {self.seed}")


# ---------------------------------------------------------------- loading
def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None,
                  set_options: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Load a scenario file, following ``extends:`` and applying overrides.

    ``overrides`` maps dotted paths to values (as :meth:`Scenario.with_overrides`);
    ``set_options`` are ``KEY=VALUE`` strings as given to ``routesim run --set``.
    Raises :class:`~routesim.errors.ScenarioError` listing every problem found.
    """
    data, marks = _load_with_extends(Path(path), str(path), ())
    if data is None:
        raise ScenarioError([f"{path}:1:1: the file is empty (a scenario needs at least 'name' and 'routes')"])
    for opt in set_options:
        key, value = parse_set_option(opt)
        _apply_override(data, _split_path(key, "--set"), value, "--set")
        marks.drop(tuple(_split_path(key, "--set")))
    for key, value in (overrides or {}).items():
        _apply_override(data, _split_path(key, "<overrides>"), value, "<overrides>")
        marks.drop(tuple(_split_path(key, "<overrides>")))
    return _validate(data, marks, str(path))


def _load_with_extends(path: Path, shown: str, stack: tuple[Path, ...]) -> tuple[Any, Marks]:
    real = path.resolve()
    if real in stack:
        chain = " -> ".join(p.name for p in (*stack, real))
        raise ScenarioError([f"{shown}:1:1: extends: cycle ({chain})"])
    try:
        data, marks = load_marked(path, shown)
    except YamlError as exc:
        raise ScenarioError([str(exc) if exc.mark else exc.message]) from None
    if data is None:
        return None, marks
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ScenarioError([f"{marks.where(())}: a scenario file must be a mapping of keys to values, not {kind}"])
    parents = data.pop("extends", None)
    if parents is None:
        return data, marks
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        raise ScenarioError([f"{marks.where(('extends',))}: extends: expected a file name or a list of them"])
    merged: dict = {}
    merged_marks = Marks(default=marks.default)
    for i, parent in enumerate(parents):
        ppath = path.parent / parent
        pshown = str(Path(shown).parent / parent)
        if not ppath.is_file():
            where = marks.where(("extends",) if len(parents) == 1 else ("extends", i))
            raise ScenarioError([f"{where}: extends: no such file '{parent}' (looked for {pshown})"])
        pdata, pmarks = _load_with_extends(ppath, pshown, (*stack, real))
        if pdata is None:
            raise ScenarioError([f"{pshown}:1:1: the file is empty (extended by {shown})"])
        _deep_merge(merged, pdata, merged_marks, pmarks, ())
    _deep_merge(merged, data, merged_marks, marks, ())
    merged_marks.default = marks.default
    return merged, merged_marks


def _deep_merge(base: dict, top: dict, base_marks: Marks, top_marks: Marks, path: tuple) -> None:
    """Merge ``top`` into ``base`` in place, as JSON Merge Patch (RFC 7386).

    Mappings merge key by key, lists and values replace, and a ``null``
    value removes the key (e.g. ``routes: {chancay_direct: null}`` drops a
    route the base defines).
    """
    for key, value in top.items():
        p = path + (key,)
        if value is None:
            base.pop(key, None)
            base_marks.drop(p)
            continue
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base_marks.values[p] = top_marks.values.get(p, base_marks.values.get(p))
            if p in top_marks.keys:
                base_marks.keys[p] = top_marks.keys[p]
            _deep_merge(base[key], value, base_marks, top_marks, p)
        else:
            base_marks.drop(p)
            base[key] = copy.deepcopy(_strip_nulls(value))
            n = len(p)
            for q, m in top_marks.values.items():
                if q[:n] == p:
                    base_marks.values[q] = m
            for q, m in top_marks.keys.items():
                if q[:n] == p:
                    base_marks.keys[q] = m


def _strip_nulls(value):
    """Nulls inside a new mapping mean 'not set' (RFC 7386); lists are kept as written."""
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    return value


# ---------------------------------------------------------------- overrides
_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _split_path(key: str, origin: str) -> list:
    if not isinstance(key, str) or not key.strip():
        raise ScenarioError([f"{origin}: empty override key"])
    parts: list = []
    pos = 0
    key = key.strip()
    for m in _PATH_TOKEN.finditer(key):
        if m.start() != pos and key[pos:m.start()] != ".":
            raise ScenarioError([f"{origin}: cannot read override key '{key}'"])
        pos = m.end()
        if m.group(2) is not None:
            parts.append(int(m.group(2)))
        else:
            name = m.group(1)
            parts.append(int(name) if name.isdigit() else name)
    if pos != len(key):
        raise ScenarioError([f"{origin}: cannot read override key '{key}'"])
    return parts


def parse_set_option(option: str) -> tuple[str, Any]:
    """``"costs.bunker_usd_per_t=650"`` -> ``("costs.bunker_usd_per_t", 650)`` (value read as YAML)."""
    key, sep, raw = option.partition("=")
    if not sep or not key.strip():
        raise ScenarioError([f"--set: expected KEY=VALUE, got '{option}'"])
    try:
        value, _ = loads_marked(raw, "--set") if raw.strip() else (None, None)
    except YamlError as exc:
        raise ScenarioError([f"--set {key.strip()}: {exc.message}"]) from None
    return key.strip(), value


def _apply_override(data: dict, parts: list, value: Any, origin: str) -> None:
    node: Any = data
    shown = format_path(tuple(parts))
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise ScenarioError([f"{origin}: {shown}: no item [{part}] to change"])
            node = node[part]
            continue
        if not isinstance(node, dict):
            raise ScenarioError([f"{origin}: {shown}: '{part}' is not inside a mapping"])
        if part not in node or node[part] is None:
            if isinstance(nxt, int):
                raise ScenarioError([f"{origin}: {shown}: no list '{part}' to change"])
            node[part] = {}
        node = node[part]
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise ScenarioError([f"{origin}: {shown}: no item [{last}] to change"])
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ScenarioError([f"{origin}: {shown}: cannot set '{last}' inside a {type(node).__name__}"])


# ---------------------------------------------------------------- validation
def _context(data: Mapping) -> dict:
    ctx: dict[str, list] = {"vessels": [], "services": []}
    for key in ("vessels", "services"):
        section = data.get(key)
        if isinstance(section, dict):
            ctx[key] = [k for k in section if isinstance(k, str)]
    return ctx


def _validate(data: Any, marks: Marks, source: str) -> Scenario:
    if data is None:
        raise ScenarioError([f"{marks.where(())}: the scenario is empty"])
    if not isinstance(data, Mapping):
        raise ScenarioError([f"{marks.where(())}: a scenario must be a mapping, not {type(data).__name__}"])
    data = dict(data)
    data.pop("extends", None)
    try:
        scenario = Scenario.model_validate(data, context=_context(data))
    except ValidationError as exc:
        raise ScenarioError(_format_errors(exc, marks, data)) from None
    problems = _check_references(scenario)
    if problems:
        raise ScenarioError([f"{marks.where(tuple(p))}: {format_path(tuple(p))}: {msg}" for p, msg in problems])
    scenario._marks = marks
    return scenario


def _check_references(s: Scenario) -> list[tuple[list, str]]:
    """Cross-field checks pydantic cannot see field by field."""
    problems: list[tuple[list, str]] = []
    known_services = set(catalogue.services()) | set(s.services)
    for name, spec in s.services.items():
        if name not in catalogue.services():
            for key in ("vessel", "rotation"):
                if getattr(spec, key) is None:
                    problems.append((["services", name], f"a new service needs '{key}'"))
        if spec.rotation is not None and any(a == b for a, b in zip(spec.rotation, spec.rotation[1:] + spec.rotation[:1])):
            problems.append((["services", name, "rotation"], "the same port twice in a row"))
    for name, spec in s.vessels.items():
        if name not in catalogue.vessel_classes() and spec.base is None:
            missing = [f for f in ("teu", "design_speed_kn", "design_fuel_t_per_day") if getattr(spec, f) is None]
            if missing:
                problems.append((["vessels", name], f"a new vessel class needs 'base' or {', '.join(missing)}"))
    for rname, route in s.routes.items():
        segs = route.resolved_segments()
        start = route.origin
        for i, seg in enumerate(segs):
            where = ["routes", rname] + (["segments", i] if route.segments is not None else [])
            end = seg.to or route.destination
            if end == start:
                problems.append((where, f"a segment starts and ends at {start}"))
            if seg.service is None and seg.vessel is None:
                problems.append((where, "say how this stretch sails: 'service' or 'vessel'"))
            if seg.service is not None:
                assert seg.service in known_services
                rotation = _rotation(s, seg.service)
                for port, role in ((start, "load"), (end, "discharge")):
                    if rotation is not None and port not in rotation:
                        problems.append((where, f"service '{seg.service}' does not call at {port} "
                                                f"(the {role} port); its rotation is {', '.join(rotation)}"))
                if seg.via:
                    problems.append((where + ["via"], "'via' is for stretches without a service "
                                                      "(a service's calls come from its rotation)"))
            start = end
    return problems


def _rotation(s: Scenario, service: str) -> list[str] | None:
    spec = s.services.get(service)
    if spec is not None and spec.rotation is not None:
        return list(spec.rotation)
    cat = catalogue.services().get(service)
    return list(cat.rotation) if cat is not None else None


def _format_errors(exc: ValidationError, marks: Marks, data: Mapping) -> list[str]:
    out: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc = loc[:-1]
        # tagged unions / Annotated wrappers add non-path segments such as 'list[...]'
        path = tuple(p for p in loc if isinstance(p, int) or p in _reachable_keys(data, loc))
        msg = err["msg"]
        etype = err["type"]
        if etype == "extra_forbidden":
            key = path[-1] if path else "?"
            hint = did_you_mean(str(key), _field_names(Scenario, list(path[:-1])))
            msg = f"unknown key '{key}'{hint}"
            where = marks.where(path, key=True)
        elif etype == "missing":
            msg = f"required key '{path[-1]}' is missing" if path else "required key missing"
            where = marks.where(path[:-1])
        else:
            msg = re.sub(r"^(Value|Assertion) error, ", "", msg)
            if etype in ("float_parsing", "int_parsing", "float_type", "int_type", "bool_type", "string_type",
                         "finite_number", "greater_than", "greater_than_equal", "less_than_equal",
                         "literal_error", "dict_type", "list_type", "model_type", "int_from_float",
                         "string_pattern_mismatch", "too_short", "too_long"):
                msg = f"{msg} (got {_short(err.get('input'))})"
            where = marks.where(path, key=is_key)
        shown = format_path(path) or "(top level)"
        line = f"{where}: {shown}: {msg}"
        if line not in out:
            out.append(line)
    return out


def _reachable_keys(data: Any, loc: list) -> set:
    """Every key that occurs along ``loc`` in ``data`` (to drop pydantic's internal loc parts)."""
    keys: set = set()
    node = data
    for part in loc:
        if isinstance(node, dict):
            keys.update(k for k in node if isinstance(k, str))
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            if isinstance(part, str):
                keys.add(part)  # a key pydantic reports that is absent (e.g. missing)
            node = None
    return keys


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_names(model: type[BaseModel], path: list) -> list[str]:
    """Field names of the model found at ``path`` under ``model`` (for suggestions)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin in (dict,) and args:
            current = args[1]
        elif origin in (list,) and args:
            current = args[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = models[0] if len(models) == 1 else next(
                (a for a in models if typing.get_origin(a) in (list, dict) or
                 (isinstance(a, type) and issubclass(a, BaseModel))), models[0])
            continue
        return tp


def schema_json() -> str:
    """The JSON Schema of scenario files, as text."""
    return json.dumps(Scenario.json_schema(), indent=2)
