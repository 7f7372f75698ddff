"""The scenario model: :class:`Scenario`, its validation, YAML output and JSON Schema.

:func:`validate` is the one way in: every scenario, from a file, a mapping or a
change of another scenario, is checked field by field (pydantic), then across
fields (:mod:`~routesim.scenario.references`), and every problem found is
reported at once as a :class:`~routesim.errors.ScenarioError`.

>>> s = Scenario.from_dict({"name": "x", "routes": {"r": {"origin": "PECHY", "destination": "CNSHA",
...     "service": "cosco_chancay_shanghai"}}})
>>> s.engine, s.summary_line()
('montecarlo', "'x': 1 route(s) (r), engine montecarlo, 10,000 replications, seed 0")
"""

from __future__ import annotations

import datetime

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, Field, PrivateAttr, Strict, ValidationError

from ..engines import ENGINES
from ..errors import ScenarioError
from ..yamlio import Mark, Marks, format_path, reads_as_number
from .display import kind_of
from .messages import format_errors, sort_issues
from .overrides import override
from .ownports import DEFAULTED as OWN_DEFAULTED
from .ownports import declared_ports, own_port_problems, own_ports
from .patch import strip_nulls
from .references import check_references
from .routes import RouteSpec
from .sections import (CarbonRulesSpec, CargoSpec, ChokepointSpec, Costs, DesOptions, Disruption, FreightSpec, MonteCarloOptions,
                       Operations, PortSpec, ServiceSpec, VesselSpec)
from .types import MAX_DAYS, MAX_ROUTES, MAX_SHIPMENTS, ChokepointName, PortCode, RouteName, Section, SectionName

__all__ = ["Scenario", "validate", "schema_json"]


class Scenario(Section):
    """A complete study. Build with :func:`load_scenario` or :meth:`Scenario.from_dict`."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    seed: Annotated[int, Field(ge=0, strict=True)] = 0
    replications: Annotated[int, Field(gt=0, le=MAX_SHIPMENTS, strict=True)] = 10_000
    """Monte Carlo shipments per route (the discrete-event engine's runs are ``des.replications``);
    at most 10**8 (about three minutes a route on one core: benchmarks/README.md)."""
    engine: Literal[ENGINES] = ENGINES[0]
    horizon_days: Annotated[float, Strict(), Field(gt=0, le=MAX_DAYS)] = 365.0
    """Study window (days): cargo is ready over it (uniformly in the Monte Carlo engine, as demand
    arrives in the discrete-event engine); disruptions are timed on the same clock. At most ten years."""
    start_date: datetime.date | None = None
    """Calendar date of day 0 of the study clock (YYYY-MM-DD). Needed for a harvest season
    (``cargo.ready: season``), market prices by arrival date and ``cargo.market_holiday``."""
    cargo: CargoSpec = CargoSpec()
    routes: Annotated[dict[RouteName, RouteSpec], Field(min_length=1, max_length=MAX_ROUTES)]
    """The routes compared (at most 500: a larger study is a sweep or several files)."""
    ports: dict[PortCode, PortSpec] = {}
    vessels: dict[SectionName, VesselSpec] = {}
    services: dict[SectionName, ServiceSpec] = {}
    chokepoints: dict[ChokepointName, ChokepointSpec] = {}
    costs: Costs = Costs()
    carbon_rules: CarbonRulesSpec = CarbonRulesSpec()
    """The rules that price carbon (EU ETS, FuelEU Maritime, the IMO Net-Zero Framework what-if) and their year."""
    freight: FreightSpec = FreightSpec()
    """When the shipper books (or its own quote): the freight of every route without its own."""
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
        return validate(data, marks or Marks(default=Mark(source, 1, 1)), source)

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
            override(data, marks, key, value, "with_overrides")
        return validate(data, marks, "with_overrides")

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
        """One line for ``routesim validate`` (naming the scenario's own ports and the figures they
        take from the catalogue's defaults)."""
        routes = ", ".join(self.routes)
        own = "".join(f"; port of its own {code} {p.name} (defaults: {', '.join(d) or 'none'})"
                      for code, p in own_ports(self).items()
                      for d in [[f for f in OWN_DEFAULTED if getattr(p, f).derived]])
        return (f"'{self.name}': {len(self.routes)} route(s) ({routes}), engine {self.engine}, "
                f"{self.replications:,} replications, seed {self.seed}{own}")


class _Dumper(yaml.SafeDumper):
    """Safe YAML output whose text reads back unchanged.

    PyYAML writes characters such as NEL (U+0085) and the Unicode line
    separators raw in plain and single-quoted text, where a reader folds
    them into spaces; text holding them (or other unprintable characters)
    is written double-quoted, with escapes.
    """


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Text double-quoted (with escapes) when PyYAML would write it in a way that reads back changed."""
    if any(c in text for c in "\x85\u2028\u2029") or not text.replace("\n", "").isprintable():
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    if reads_as_number(text):  # 0E0: text in YAML 1.1, a number in 1.2 (and in routesim's reader)
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="'")
    return dumper.represent_str(text)


_Dumper.add_representer(str, _represent_str)



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


# ---------------------------------------------------------------- validation
def _context(data: Mapping) -> dict:
    """The names of the vessel classes, services and ports the scenario defines (validation context)."""
    ctx: dict = {"vessels": [], "services": [], "ports": declared_ports(data)}
    for key in ("vessels", "services"):
        section = data.get(key)
        if isinstance(section, dict):
            ctx[key] = [k for k in section if isinstance(k, str)]
    return ctx


def validate(data: Any, marks: Marks, source: str) -> Scenario:
    """A Scenario from plain data, or a ScenarioError listing every problem found.

    Parameters
    ----------
    data : Any
        The merged mapping, as YAML holds it (a null anywhere means "not set").
    marks : Marks
        Where each value was written; the Scenario keeps them (:meth:`Scenario.where`).
    source : str
        The file (or ``with_overrides``...) the data came from, whose lines sort first.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Each problem as ``file:line:col: field.path: message``, in file order.
    """
    if data is None:
        raise ScenarioError([f"{marks.where(())}: the scenario is empty (it needs at least 'name' and 'routes')"])
    if not isinstance(data, Mapping):
        raise ScenarioError([f"{marks.where(())}: a scenario must be a mapping of keys to values, not {kind_of(data)}"])
    data = strip_nulls(dict(data))  # a file is a merge patch: null means "not set" everywhere
    data.pop("extends", None)
    try:
        scenario = Scenario.model_validate(data, context=_context(data))
    except ValidationError as exc:
        raise ScenarioError(format_errors(exc, marks, data, source, Scenario)) from None
    problems = check_references(scenario) + own_port_problems(scenario, data)
    if problems:
        raise ScenarioError(sort_issues([(marks.lookup(tuple(p)), f"{format_path(tuple(p))}: {msg}")
                                      for p, msg in problems], marks, source))
    scenario._marks = marks
    return scenario


def schema_json() -> str:
    """The JSON Schema of scenario files, as text."""
    return json.dumps(Scenario.json_schema(), indent=2)
