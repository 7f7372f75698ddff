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

The package, one way down: :mod:`~routesim.scenario.files` (loading, ``extends:``)
and :mod:`~routesim.scenario.overrides` (``--set``) feed
:func:`~routesim.scenario.schema.validate`, which checks the models of
:mod:`~routesim.scenario.schema`, :mod:`~routesim.scenario.routes` and
:mod:`~routesim.scenario.sections` (field types in :mod:`~routesim.scenario.types`),
then :mod:`~routesim.scenario.references`, and words every problem with
:mod:`~routesim.scenario.messages`.
"""

from __future__ import annotations

from .files import load_scenario
from .overrides import parse_set_option
from .routes import OverlandSpec, RouteSpec, SegmentSpec
from .schema import Scenario, schema_json
from .sections import (CargoPatch, CargoSpec, ChokepointSpec, Costs, DesOptions, Disruption, MonteCarloOptions,
                       Operations, PortSpec, ServiceSpec, VesselSpec)

__all__ = [
    "Scenario",
    "RouteSpec",
    "SegmentSpec",
    "ServiceSpec",
    "VesselSpec",
    "PortSpec",
    "ChokepointSpec",
    "CargoSpec",
    "CargoPatch",
    "Costs",
    "Operations",
    "Disruption",
    "OverlandSpec",
    "MonteCarloOptions",
    "DesOptions",
    "load_scenario",
    "parse_set_option",
    "schema_json",
]
