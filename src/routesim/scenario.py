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

All the errors of a file are reported together, in file order. Errors in a
value changed by ``--set`` or :meth:`Scenario.with_overrides` name that
source (``--set: costs.bunker_usd_per_t: ...``) instead of a line.

A file is a JSON Merge Patch (RFC 7386) over the files it ``extends:``
(paths relative to the file): mappings merge key by key, lists are replaced,
and ``null`` (an empty value) removes a key, so that its default applies;
numbers, flags and text are never converted into one another (``teu: yes``
is an error, not 1).

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
import math
import os
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from . import catalogue
from .distributions import Dist, NonNegativeDist
from .errors import RoutesimError, ScenarioError
from .names import did_you_mean, port_label, resolve_chokepoint, resolve_name, resolve_place, resolve_port
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
        raise ValueError(f"expected a port code or name, got {_show(value)}")
    return resolve_port(value)


def _chokepoint(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a chokepoint name, got {_show(value)}")
    return resolve_chokepoint(value)


def _known(kind: str, catalogue_names, context_key: str):
    def check(value: Any, info: ValidationInfo) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a {kind} name, got {_show(value)}")
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
# Numbers are strict: a YAML boolean (``yes``, ``true``) or a quoted string is not
# silently read as a number (pydantic's lax mode would turn ``teu: yes`` into 1.0).
PositiveFloat = Annotated[float, Strict(), Field(gt=0)]
NonNegFloat = Annotated[float, Strict(), Field(ge=0)]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1)]
PositiveFraction = Annotated[float, Strict(), Field(gt=0, le=1)]
PositiveInt = Annotated[int, Field(gt=0, strict=True)]
Flag = Annotated[bool, Strict()]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
RouteName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$", max_length=64)]


class _FieldError(ValueError):
    """A model-level problem that belongs to one field: the error is reported at ``path`` below the model."""

    def __init__(self, message: str, *path: str | int):
        super().__init__(message)
        self.path = path


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
    origin_country: CountryCode | None = None
    """Country of origin for tariffs (ISO 3166 alpha-2); default: the origin port's (or overland start's) country."""


class CargoPatch(_Model):
    """A route's changes to the scenario's cargo (same fields, all optional)."""

    commodity: CommodityName | None = None
    kind: Literal["dry", "reefer"] | None = None
    teu: PositiveFloat | None = None
    value_usd: NonNegativeDist | None = None
    shelf_life_days: NonNegativeDist | None = None
    origin_country: CountryCode | None = None


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
    country: CountryCode
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
            raise _FieldError(f"origin and destination are the same port ({port_label(self.origin)})", "destination")
        if self.segments is not None:
            clash = [k for k in ("via", "transship_at", "service", "services", "vessel", "speed_kn", "headway_days")
                     if k in self.model_fields_set]
            if clash:
                raise _FieldError(f"give either 'segments' or the shorthand keys ({', '.join(clash)}), not both; "
                                  "move them into the segments", clash[0])
            last = len(self.segments) - 1
            if self.segments[-1].to not in (None, self.destination):
                raise _FieldError("the last segment must end at the destination (leave its 'to' empty)",
                                  "segments", last, "to")
            for i, seg in enumerate(self.segments[:-1]):
                if seg.to is None:
                    raise _FieldError("every segment but the last needs 'to' (the transshipment hub)", "segments", i)
        else:
            if self.service and self.services:
                raise _FieldError("give 'service' (one for the whole route) or 'services' (one per stretch), "
                                  "not both", "services")
            if self.services is not None and len(self.services) != len(self.transship_at) + 1:
                n = len(self.transship_at)
                raise _FieldError(
                    f"needs one service per stretch: {n + 1} for {n} transshipment hub{'' if n == 1 else 's'} "
                    f"in 'transship_at', got {len(self.services)}", "services")
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
            # model_construct: the values are validated already, and a service or vessel class the
            # scenario defines itself would fail validation without the scenario's context
            out.append(SegmentSpec.model_construct(
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
    booked: Flag | None = None
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
    if not isinstance(value, str):
        raise ValueError(f"expected closure, capacity or weather, got {_show(value)}")
    hint = did_you_mean(value, list(_DISRUPTION_KINDS))
    raise ValueError(f"unknown disruption kind '{value}'{hint}; the kinds are closure, capacity and weather "
                     "(optionally prefixed port_ or chokepoint_)")


def _place(value: Any) -> str:
    """A chokepoint name or a port code/name."""
    if not isinstance(value, str):
        raise ValueError(f"expected a chokepoint or a port, got {_show(value)}")
    try:
        return resolve_place(value)
    except RoutesimError as exc:
        raise ValueError(str(exc)) from None


class Disruption(_Model):
    """Something that goes wrong at a place for a time window (days from the study start)."""

    kind: Annotated[Literal["closure", "capacity", "weather"], BeforeValidator(_disruption_kind),
                    WithJsonSchema({"enum": list(_DISRUPTION_KINDS), "type": "string",
                                    "description": "closure, capacity or weather (port_/chokepoint_ prefixes "
                                                   "are accepted and mean the same)"})]
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
            raise _FieldError(f"'factor' applies to capacity disruptions, not {self.kind}", "factor")
        if self.kind == "weather" and self.extra_days is None:
            raise ValueError("a weather disruption needs 'extra_days'")
        if self.kind != "weather" and self.extra_days is not None:
            raise _FieldError(f"'extra_days' applies to weather disruptions, not {self.kind}", "extra_days")
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
    inventory_rate_per_year: Annotated[float, Strict(), Field(ge=0, le=1)] | None = None
    reefer_usd_per_teu_day: NonNegativeDist | None = None
    """Reefer equipment premium per TEU and day in use."""
    reefer_plug_usd_per_teu_day: NonNegativeDist | None = None
    """Terminal plug-in (power, monitoring) per TEU and day in a terminal."""
    vessel_utilisation: PositiveFraction | None = None
    settlement_fee_rate: Annotated[float, Strict(), Field(ge=0, le=0.2)] | None = None
    settlement_fee_rate_local_currency: Annotated[float, Strict(), Field(ge=0, le=0.2)] | None = None
    local_currency_settlement: Flag = False
    """Settle in the trading partners' currencies (e.g. CNY/BRL) at ``settlement_fee_rate_local_currency``."""
    tariff_rate: Annotated[float, Strict(), Field(ge=0, le=5)] | None = None
    """Ad-valorem tariff override (share of cargo value); default from ``data/trade.yaml`` with FTA exemptions."""
    tariff_date: datetime.date | None = None
    """Date (YYYY-MM-DD) at which tariff schedules are read; default: the trade catalogue's ``as_of``."""
    charter_usd_per_day: dict[VesselName, NonNegativeDist] = {}
    canal_toll_usd: dict[ChokepointName, NonNegativeDist] = {}
    """Toll per transit (USD), replacing the catalogue's toll structure."""


class MonteCarloOptions(_Model):
    chunk_size: Annotated[int, Field(ge=1_000, strict=True)] = 262_144
    threads: PositiveInt = 1
    keep_shipments: Flag | None = None
    """Keep the per-shipment table; default: when the run has at most 2 million rows."""


class DesOptions(_Model):
    """Options of the discrete-event engine (the study window is the scenario's ``horizon_days``)."""

    replications: PositiveInt = 10
    """Independent runs (each simulates every vessel and queue over the whole study window)."""
    warmup_days: NonNegFloat = 56.0
    """Days simulated before the study window opens, so queues and schedules start in their normal state."""
    independent_sailings: Flag = False
    """Give every sailing a vessel of its own, on schedule but for its lateness draw, so that no
    sailing inherits a delay from a vessel's previous voyage (the Monte Carlo engine's view; used
    to check that the two engines agree)."""


class Scenario(_Model):
    """A complete study. Build with :func:`load_scenario` or :meth:`Scenario.from_dict`."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    seed: Annotated[int, Field(ge=0, strict=True)] = 0
    replications: PositiveInt = 10_000
    """Monte Carlo shipments per route (the discrete-event engine's runs are ``des.replications``)."""
    engine: Literal["montecarlo", "des"] = "montecarlo"
    horizon_days: PositiveFloat = 365.0
    """Study window (days): cargo is ready over it (uniformly in the Monte Carlo engine, as demand
    arrives in the discrete-event engine); disruptions are timed on the same clock."""
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

        A mapping or list is marked at its key, so ``where("routes", "r")``
        points at the line ``r:`` of the file.

        >>> Scenario.from_dict({"name": "x", "routes": {"r": {"origin": "PECHY", "destination": "CNSHA",
        ...     "service": "cosco_chancay_shanghai"}}}, source="x.yaml").where("routes", "r")
        'x.yaml:1:1'
        """
        return self._marks.where(tuple(path)) if self._marks is not None else "<scenario>"

    def __eq__(self, other: object) -> bool:
        # Where a scenario was written (its marks) is not part of its value: a scenario
        # loaded from a file equals the same scenario rebuilt with from_dict(to_dict()).
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # mutable-looking containers (routes, lists) inside: not hashable

    # ------------------------------------------------------------ building
    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "<dict>", marks: Marks | None = None) -> "Scenario":
        """Validate a mapping (as read from YAML) into a Scenario, or raise ScenarioError.

        A key ``extends`` is ignored here (only files can extend files).
        """
        return _validate(data, marks or Marks(default=Mark(source, 1, 1)), source)

    def with_overrides(self, overrides: Mapping[str, Any] | None = None, **kwargs: Any) -> "Scenario":
        """A copy with some fields changed, validated like a file.

        Keys are dotted paths (``"costs.bunker_usd_per_t"``, ``"disruptions[0].factor"``)
        or top-level names; values are what YAML would hold (numbers, text,
        distribution expressions, mappings, lists). A value of ``None``
        removes the key, so the field falls back to its default. Errors name
        the changed field and say ``with_overrides``; errors elsewhere keep
        pointing at the file the scenario came from.

        >>> s = Scenario.from_dict({"name": "x", "routes": {"r": {"origin": "PECHY",
        ...     "destination": "CNSHA", "service": "cosco_chancay_shanghai"}}})
        >>> s.with_overrides(seed=7).seed
        7
        >>> s.with_overrides({"costs.bunker_usd_per_t": -5})
        Traceback (most recent call last):
        ...
        routesim.errors.ScenarioError: with_overrides: costs.bunker_usd_per_t: -5 is negative; must be >= 0
        """
        data = self.to_dict()
        items = dict(overrides or {})
        items.update(kwargs)
        old = self._marks
        marks = Marks(values=dict(old.values), keys=dict(old.keys), default=old.default) if old is not None \
            else Marks(default=Mark("<scenario>", 0, 0))
        for key, value in items.items():
            _override(data, marks, key, value, "with_overrides")
        return _validate(data, marks, "with_overrides")

    # ------------------------------------------------------------ output
    def to_dict(self) -> dict:
        """Plain data (what a YAML file would hold); distributions as text.

        Fields left at their defaults are omitted, so ``from_dict(to_dict())``
        gives an equal scenario.
        """
        return self.model_dump(mode="json", exclude_defaults=True)

    def to_yaml(self) -> str:
        """The scenario as YAML text that loads back to an equal Scenario."""
        return yaml.dump(self.to_dict(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)

    @classmethod
    def json_schema(cls) -> dict:
        """JSON Schema of scenario files (for editors and validators).

        A file with ``extends`` may leave out the keys its parent gives, so
        ``name`` and ``routes`` are required only in files without it.
        """
        schema = cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "routesim scenario"
        schema.setdefault("properties", {})["extends"] = {
            "description": "Path (relative to this file) of a scenario this one builds on, or a list of them; "
                           "this file's keys override the parent's (JSON Merge Patch: mappings merge, lists "
                           "are replaced, null removes a key).",
            "anyOf": [{"type": "string", "minLength": 1},
                      {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}],
        }
        required = schema.pop("required", [])
        if required:
            schema["if"] = {"required": ["extends"]}
            schema["else"] = {"required": required}
        for sub in [schema, *schema.get("$defs", {}).values()]:
            _nullable_values(sub)
        return schema

    def summary_line(self) -> str:
        """One line for ``routesim validate``."""
        routes = ", ".join(self.routes)
        return (f"'{self.name}': {len(self.routes)} route(s) ({routes}), engine {self.engine}, "
                f"{self.replications:,} replications, seed {self.seed}")


class _Dumper(yaml.SafeDumper):
    """Safe YAML output whose text reads back unchanged.

    PyYAML writes characters such as NEL (U+0085) and the Unicode line
    separators raw in plain and single-quoted text, where a reader folds
    them into spaces; text holding them (or other unprintable characters)
    is written double-quoted, with escapes.
    """


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if any(c in text for c in "\x85\u2028\u2029") or not text.replace("\n", "").isprintable():
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    return dumper.represent_str(text)


_Dumper.add_representer(str, _represent_str)


# ---------------------------------------------------------------- loading
def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None,
                  set_options: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Load a scenario file, following ``extends:`` and applying overrides.

    ``overrides`` maps dotted paths to values (as :meth:`Scenario.with_overrides`);
    ``set_options`` are ``KEY=VALUE`` strings as given to ``routesim run --set``
    (the value is read as YAML: ``650``, ``gamma(mean=600, cv=0.1)``, ``[MXZLO]``).
    Raises :class:`~routesim.errors.ScenarioError` listing every problem found.
    """
    shown = str(path)
    data, marks = _load_with_extends(Path(path), shown, ())
    if data is None:
        raise ScenarioError([f"{shown}:1:1: the file is empty (a scenario needs at least 'name' and 'routes')"])
    for opt in set_options:
        key, value = parse_set_option(opt)
        _override(data, marks, key, value, "--set")
    for key, value in (overrides or {}).items():
        _override(data, marks, key, value, "overrides")
    return _validate(data, marks, shown)


def _load_with_extends(path: Path, shown: str, stack: tuple[tuple[Path, str], ...]) -> tuple[Any, Marks]:
    """Data and marks of ``path`` merged over its parents; ``stack`` holds the files extending it."""
    real = path.resolve()
    try:
        data, marks = load_marked(path, shown)
    except YamlError as exc:
        raise ScenarioError([str(exc) if exc.mark else exc.message]) from None
    if data is None:
        return None, marks
    if not isinstance(data, dict):
        raise ScenarioError([f"{marks.where(())}: a scenario file must be a mapping of keys to values, "
                             f"not {_kind(data)}"])
    if "extends" not in data:
        return data, marks
    parents = data.pop("extends")
    if isinstance(parents, str):
        parents = [parents]
    if (not isinstance(parents, list) or not parents
            or not all(isinstance(p, str) and p.strip() for p in parents)):
        raise ScenarioError([f"{marks.where(('extends',))}: extends: expected a file name or a list of file "
                             f"names, got {_show(data.get('extends', parents))}"])
    merged: dict = {}
    merged_marks = Marks(default=marks.default)
    for i, parent in enumerate(parents):
        where = marks.where(("extends",) if len(parents) == 1 or isinstance(parents, str) else ("extends", i))
        ppath = path.parent / parent
        pshown = os.path.normpath(os.path.join(os.path.dirname(shown), parent))
        chain = [*stack, (real, shown)]
        if ppath.resolve() in [r for r, _ in chain]:
            start = [r for r, _ in chain].index(ppath.resolve())
            cycle = " -> ".join([s for _, s in chain[start:]] + [pshown])
            raise ScenarioError([f"{where}: extends: '{parent}' makes a cycle ({cycle})"])
        if not ppath.is_file():
            looked = "" if pshown == parent else f" (looked for {pshown})"
            what = "is a directory, not a file" if ppath.is_dir() else "no such file"
            raise ScenarioError([f"{where}: extends: {what} '{parent}'{looked}"])
        pdata, pmarks = _load_with_extends(ppath, pshown, tuple(chain))
        if pdata is None:
            raise ScenarioError([f"{pshown}:1:1: the file is empty (extended by {where})"])
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


def _nullable_values(schema: dict) -> None:
    """Let every key of an object schema hold null: in a file null means "not set", and in a
    file that extends another it removes the parent's key (JSON Merge Patch)."""
    def allow_null(sub):
        if not isinstance(sub, dict) or sub.get("type") == "null":
            return sub
        if any(isinstance(a, dict) and a.get("type") == "null" for a in sub.get("anyOf", ())):
            return sub
        keep = {k: sub.pop(k) for k in ("title", "description", "default", "examples") if k in sub}
        return {"anyOf": [sub, {"type": "null"}], **keep}

    props = schema.get("properties")
    if isinstance(props, dict):
        for key in list(props):
            props[key] = allow_null(props[key])
    if isinstance(schema.get("additionalProperties"), dict):
        schema["additionalProperties"] = allow_null(schema["additionalProperties"])
    for pattern, sub in (schema.get("patternProperties") or {}).items():
        schema["patternProperties"][pattern] = allow_null(sub)
    for key in list(props or {}):
        inner = props[key]["anyOf"][0] if "anyOf" in props[key] else props[key]
        if isinstance(inner, dict) and inner.get("type") == "object" and "$ref" not in inner:
            _nullable_values(inner)


def _strip_nulls(value):
    """Nulls inside a new mapping mean 'not set' (RFC 7386); lists are kept as written."""
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    return value


# ---------------------------------------------------------------- overrides
_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH_HELP = "write a dotted path such as costs.bunker_usd_per_t or disruptions[0].factor"


def _split_path(key: Any, origin: str) -> list:
    """``"disruptions[0].factor"`` -> ``["disruptions", 0, "factor"]``."""
    if not isinstance(key, str) or not key.strip():
        raise ScenarioError([f"{origin}: empty key ({_PATH_HELP})"])
    parts: list = []
    pos = 0
    key = key.strip()
    for m in _PATH_TOKEN.finditer(key):
        sep = key[pos:m.start()]
        if sep not in ("", ".") or (sep == "" and pos > 0 and m.group(1) is not None) or (
                sep == "." and (pos == 0 or m.group(2) is not None)):
            break
        pos = m.end()
        if m.group(2) is not None:
            parts.append(int(m.group(2)))
        else:
            name = m.group(1).strip()
            if not name or name != m.group(1):
                pos = -1
                break
            parts.append(int(name) if name.isdigit() else name)
    if pos != len(key) or not parts or isinstance(parts[0], int):
        raise ScenarioError([f"{origin}: cannot read the key '{key}' ({_PATH_HELP})"])
    return parts


def parse_set_option(option: str) -> tuple[str, Any]:
    """``"costs.bunker_usd_per_t=650"`` -> ``("costs.bunker_usd_per_t", 650)`` (value read as YAML).

    An empty value (``KEY=``) is ``None``: the key is removed and its default applies.
    """
    key, sep, raw = option.partition("=")
    if not sep or not key.strip():
        raise ScenarioError([f"--set: expected KEY=VALUE (such as costs.bunker_usd_per_t=650), got '{option}'"])
    _split_path(key, "--set")
    try:
        value, _ = loads_marked(raw, "--set") if raw.strip() else (None, None)
    except YamlError as exc:
        raise ScenarioError([f"--set {key.strip()}: cannot read the value '{raw}': "
                             f"{exc.message.removeprefix('YAML syntax error: ')}"]) from None
    return key.strip(), value


def _plain(value: Any) -> Any:
    """Python values as YAML would hold them: numpy scalars and arrays, tuples -> numbers and lists."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (np.ndarray, tuple)):
        return [_plain(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _override(data: dict, marks: Marks, key: Any, value: Any, origin: str) -> None:
    """Set ``key`` (a dotted path) to ``value`` in ``data``; errors there will name ``origin``."""
    parts = _split_path(key, origin)
    _apply_override(data, parts, _plain(value), origin)
    path = tuple(parts)
    marks.drop(path)
    mark = Mark(origin, 0, 0)
    marks.values[path] = mark
    marks.keys[path] = mark
    for n in range(1, len(parts)):  # mappings the override created have no place in any file
        if parts[:n] and tuple(parts[:n]) not in marks.values:
            marks.values[tuple(parts[:n])] = mark
            marks.keys[tuple(parts[:n])] = mark


def _apply_override(data: dict, parts: list, value: Any, origin: str) -> None:
    node: Any = data
    shown = format_path(tuple(parts))
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        here = format_path(tuple(parts[:i + 1]))
        if isinstance(part, int):
            if not isinstance(node, list):
                raise ScenarioError([f"{origin}: {shown}: {format_path(tuple(parts[:i])) or 'the scenario'} "
                                     f"is not a list"])
            if part >= len(node):
                raise ScenarioError([f"{origin}: {shown}: no item [{part}] to change "
                                     f"({format_path(tuple(parts[:i]))} has {len(node)})"])
            node = node[part]
            continue
        if not isinstance(node, dict):
            raise ScenarioError([f"{origin}: {shown}: {format_path(tuple(parts[:i]))} is {_kind(node)}, "
                                 f"not a mapping"])
        if part not in node or node[part] is None:
            if isinstance(nxt, int):
                raise ScenarioError([f"{origin}: {shown}: there is no list {here} to change"])
            node[part] = {}
        node = node[part]
    last = parts[-1]
    parent = format_path(tuple(parts[:-1])) or "the scenario"
    if isinstance(last, int):
        if not isinstance(node, list):
            raise ScenarioError([f"{origin}: {shown}: {parent} is {_kind(node)}, not a list"])
        if last >= len(node):
            raise ScenarioError([f"{origin}: {shown}: no item [{last}] to change ({parent} has {len(node)})"])
        node[last] = value
    elif isinstance(node, dict):
        if value is None:
            node.pop(last, None)  # as in a merge patch: null removes the key
        else:
            node[last] = value
    else:
        raise ScenarioError([f"{origin}: {shown}: {parent} is {_kind(node)}, not a mapping"])


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
        raise ScenarioError([f"{marks.where(())}: the scenario is empty (it needs at least 'name' and 'routes')"])
    if not isinstance(data, Mapping):
        raise ScenarioError([f"{marks.where(())}: a scenario must be a mapping of keys to values, not {_kind(data)}"])
    data = _strip_nulls(dict(data))  # a file is a merge patch: null means "not set" everywhere
    data.pop("extends", None)
    try:
        scenario = Scenario.model_validate(data, context=_context(data))
    except ValidationError as exc:
        raise ScenarioError(_format_errors(exc, marks, data, source)) from None
    problems = _check_references(scenario)
    if problems:
        raise ScenarioError(_sorted([(marks.lookup(tuple(p)), f"{format_path(tuple(p))}: {msg}")
                                     for p, msg in problems], marks, source))
    scenario._marks = marks
    return scenario


def _check_references(s: Scenario) -> list[tuple[list, str]]:
    """Cross-field checks pydantic cannot see field by field."""
    problems: list[tuple[list, str]] = []
    known_services = set(catalogue.services()) | set(s.services)
    for name, spec in s.services.items():
        if name not in catalogue.services():
            missing = [f"'{key}'" for key in ("vessel", "rotation") if getattr(spec, key) is None]
            if missing:
                hint = did_you_mean(name, list(catalogue.services()))
                hint = f"; or did you mean the catalogue's {hint.removeprefix(' (did you mean ')[:-1]}" if hint else ""
                problems.append((["services", name], f"'{name}' is not in the catalogue, so it needs "
                                                     f"{' and '.join(missing)}{hint}"))
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
            if route.segments is not None:
                svc_where = where + ["service"]
            elif route.services is not None:
                svc_where = ["routes", rname, "services", i]
            else:
                svc_where = ["routes", rname, "service"]
            end = seg.to or route.destination
            if end == start:
                problems.append((where, f"a segment starts and ends at {port_label(start)}"))
            if seg.service is None and seg.vessel is None:
                problems.append((where, "say how this stretch sails: 'service' or 'vessel'"))
            if seg.service is not None:
                assert seg.service in known_services
                rotation = _rotation(s, seg.service)
                roles = (("the origin" if start == route.origin else "the transshipment hub where it loads"),
                         ("the destination" if end == route.destination else "the transshipment hub"))
                for port, role in zip((start, end), roles):
                    if rotation is not None and port not in rotation:
                        problems.append((svc_where, f"service '{seg.service}' does not call at {port_label(port)} "
                                                    f"({role}); its rotation is {', '.join(rotation)}"))
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


# ---------------------------------------------------------------- error messages
# Words for the pydantic error types a scenario can hit; anything else keeps pydantic's text.
_TYPE_WORDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "list_type": "must be a list",
    "string_too_short": "must not be empty",
    "date_type": "must be a date written YYYY-MM-DD",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "must be a date written YYYY-MM-DD (without a time)",
}
_PATTERN_WORDS = {
    r"^[A-Z]{2}$": "must be a two-letter country code in capitals, such as PE or CN",
    r"^[A-Za-z][A-Za-z0-9_\-]*$": "a route name must start with a letter and hold only letters, digits, '_' and '-'",
    r"^[A-Za-z][A-Za-z0-9_]*$": "a name must start with a letter and hold only letters, digits and '_'",
}
_INTERNAL_LOC = re.compile(r"^(function-(after|before|wrap|plain)\[.*\]|[a-z-]+\[.*\]|int|float|str|bool|"
                           r"list|dict|none|is-instance\[.*\]|union|tagged-union)$")


def _format_errors(exc: ValidationError, marks: Marks, data: Mapping, source: str) -> list[str]:
    found: list[tuple[Mark | None, str]] = []
    for err in exc.errors(include_url=False):
        path, is_key = _clean_loc(err["loc"], data)
        etype = err["type"]
        if etype == "extra_forbidden":
            key = str(path[-1]) if path else "?"
            fields = _field_names(Scenario, list(path[:-1]))
            hint = did_you_mean(key, fields)
            if not hint and 0 < len(fields) <= 16:
                hint = f" (the keys here are {', '.join(fields)})"
            elif not hint and fields:
                hint = " ('routesim schema' lists the keys)"
            msg = f"unknown key '{key}'{hint}"
            mark = marks.lookup(path, key=True)
        elif etype == "missing":
            if path in marks.keys:  # written with an empty value (null), which means "not set"
                msg = "has no value (this key is required)"
                mark = marks.keys[path]
            else:
                msg = "required key is missing"
                mark = marks.lookup(path[:-1])
        else:
            msg = _message(err, is_key)
            sub = getattr((err.get("ctx") or {}).get("error"), "path", ())
            path = path + tuple(sub)
            mark = marks.lookup(path, key=is_key)
        found.append((mark, f"{format_path(path) or '(top level)'}: {msg}"))
    return _sorted(found, marks, source)


def _sorted(found: list[tuple[Mark | None, str]], marks: Marks, source: str) -> list[str]:
    """``file:line:col: path: message`` lines, in file order (overrides last), without repeats."""
    def order(item):
        m = item[0] or marks.default
        if m is None:
            return (2, "", 0, 0)
        return (1 if m.line <= 0 else 0, m.file != source, m.file, m.line, m.col)

    out: list[str] = []
    for mark, text in sorted(found, key=order):
        line = f"{mark or marks.default or '<scenario>'}: {text}"
        line = line.replace("\r", "\\r").replace("\n", "\\n")  # one line per error, whatever the input held
        if line not in out:
            out.append(line)
    return out


def _clean_loc(loc: tuple, data: Any) -> tuple[tuple, bool]:
    """pydantic's ``loc`` as a path in the data, and whether the error is about a mapping key.

    Walks the data alongside ``loc`` so that internal parts pydantic may add
    (``function-after[...]``, union member names) are dropped while every key
    the user wrote is kept, even one that looks like an internal part.
    """
    path: list = []
    node: Any = data
    is_key = False
    for i, part in enumerate(loc):
        if part == "[key]":
            is_key = True
            break
        if isinstance(part, int):
            path.append(part)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and _INTERNAL_LOC.match(part):
            continue
        else:
            path.append(part)  # a key that is absent (missing) or below a value of the wrong type
            node = None
    return tuple(path), is_key


def _message(err: Mapping, is_key: bool) -> str:
    etype = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if value is None and not is_key and etype != "missing":
        return "has no value (write one, or remove the key)"
    if isinstance(value, float) and not math.isfinite(value) and etype in ("finite_number", "value_error"):
        return f"must be a finite number (got {_show(value)})"
    if etype in ("value_error", "assertion_error"):
        error = ctx.get("error")
        text = str(error) if error is not None else re.sub(r"^(Value|Assertion) error, ", "", err["msg"])
        if isinstance(value, bool):  # Python's True in a message about a YAML file
            text = re.sub(r"\b(True|False)$", _show(value), text)
        return text
    words = _TYPE_WORDS.get(etype)
    if words is None:
        if etype == "greater_than":
            words = f"must be > {_number(ctx.get('gt'))}"
        elif etype == "greater_than_equal":
            words = f"must be >= {_number(ctx.get('ge'))}"
        elif etype == "less_than":
            words = f"must be < {_number(ctx.get('lt'))}"
        elif etype == "less_than_equal":
            words = f"must be <= {_number(ctx.get('le'))}"
        elif etype == "literal_error":
            words = f"must be {ctx.get('expected')}"
        elif etype == "too_short":
            n = ctx.get("min_length", 1)
            if isinstance(value, str):
                words = "must not be empty"
            elif isinstance(value, dict):
                words = f"needs at least {n} entr{'y' if n == 1 else 'ies'}"
            else:
                words = f"needs at least {n} item{'' if n == 1 else 's'}"
        elif etype == "too_long":
            n = ctx.get("max_length")
            words = f"must be at most {n} characters" if isinstance(value, str) else f"has more than {n} items"
        elif etype == "string_pattern_mismatch":
            words = _PATTERN_WORDS.get(str(ctx.get("pattern")), f"must match {ctx.get('pattern')}")
        else:
            words = err["msg"]
    return f"{words} (got {_show(value)})"


def _number(x: Any) -> str:
    """A bound as written in a message: ``0`` rather than ``0.0``, ``1,000`` for big ones."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}" if isinstance(x, int) and abs(x) >= 10_000 else str(x)


def _show(value: Any) -> str:
    """A value as the user would have written it in YAML: ``true``, ``.nan``, ``'text'``, ``[1, 2]``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if value.isprintable():
            text = "'" + value.replace("'", "''") + "'"
        else:  # newlines, tabs...: escaped, so that every error stays on one line
            text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (list, dict)):
        try:
            text = yaml.safe_dump(value, default_flow_style=True, width=10**6, allow_unicode=True).strip()
        except yaml.YAMLError:
            text = repr(value)
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    """``'a list'``, ``'a mapping'``, ``'text'``... for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({_show(value)})"
    if isinstance(value, bool):
        return f"a boolean ({_show(value)})"
    if isinstance(value, (int, float)):
        return f"a number ({_show(value)})"
    return f"a {type(value).__name__}"


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
