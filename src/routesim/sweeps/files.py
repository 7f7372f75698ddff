"""Sweep input from files and the command line: sweep YAML files and ``--grid`` options.

A sweep file (YAML, loaded safely) names a ``scenario`` (path relative to the
file) and exactly one design::

    scenario: ../chancay_vs_callao.yaml
    replications: 5000              # shipments per route and point
    seed: 1
    grid:
      costs.bunker_usd_per_t: [450, 535, 650]       # USD per tonne of fuel
      routes.chancay_direct.speed_kn: [15, 17, 19]  # knots

Every error names ``file:line:column``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from .._suggest import did_you_mean
from ..engines import ENGINES
from ..errors import RoutesimError, ScenarioError
from ..scenario import load_scenario, parse_set_option
from ..scenario.files import check_inside, study_root
from ..yamlio import YamlError, format_path, load_marked
from .design import DESIGNS, label
from .spec import SEEDS, Sweep, _reword

__all__ = ["load_sweep_file", "parse_grid_option", "FILE_KEYS"]

FILE_KEYS = ("scenario", "description", "engine", "replications", "seed", "seeds", "set", *DESIGNS)
"""The keys of a sweep file."""

_OPTIONS = ("engine", "replications", "seed", "seeds")
"""Keys of a sweep file that are :class:`Sweep` options (a keyword given to :func:`load_sweep_file` wins)."""


def _is_whole(v, minimum: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= minimum


_CHECKS = {
    "engine": (lambda v: v in ENGINES, f"must be {' or '.join(ENGINES)}"),
    "replications": (lambda v: _is_whole(v, 1), "must be a whole number >= 1"),
    "seed": (lambda v: _is_whole(v, 0), "must be a whole number >= 0"),
    "seeds": (lambda v: v in SEEDS, f"must be {' or '.join(SEEDS)}"),
    "description": (lambda v: isinstance(v, str), "must be text"),
    "scenario": (lambda v: isinstance(v, str) and v.strip(), "must be the path of a scenario file"),
    "set": (lambda v: isinstance(v, dict), "must be a mapping of dotted paths to values"),
}
"""Per key of a sweep file: whether a value is good, and what to say when it is not."""


def _check_file(data, fail: Callable[..., None]) -> str:
    """Check the shape of a sweep file's data (``fail(where, message, key=False)`` raises); return its design."""
    if not isinstance(data, dict):
        fail((), "a sweep file is a mapping with 'scenario' and one of grid, zip, points or one_at_a_time")
    for k in data:
        if k not in FILE_KEYS:
            hint = did_you_mean(k, FILE_KEYS) or f" (the keys are {', '.join(FILE_KEYS)})"
            fail((k,), f"unknown key '{k}'{hint}", key=True)
    designs = [k for k in DESIGNS if k in data]
    if len(designs) != 1:
        fail((), "give exactly one of grid, zip, points or one_at_a_time"
                 + (f" (found {' and '.join(designs)})" if designs else ""))
    design = designs[0]
    for k, (ok, message) in _CHECKS.items():
        if k in data and not ok(data[k]):
            fail((k,), f"{message} (got {json.dumps(data[k])})")
    spec = data[design]
    if design == "points":
        if not isinstance(spec, list) or not spec:
            fail((design,), "must be a list of mappings of dotted paths to values")
        for i, p in enumerate(spec):
            if not isinstance(p, dict):
                fail((design, i), f"must be a mapping of dotted paths to values (got {p!r})")
        return design
    if not isinstance(spec, dict) or not spec:
        fail((design,), "must be a mapping of dotted paths to lists of values")
    for name, values in spec.items():
        if not isinstance(values, list) or not values:
            fail((design, name), f"must be a list of values (got {values!r})")
        if design == "one_at_a_time" and len(values) != 2:
            fail((design, name), f"must be [low, high] (got {len(values)} value(s))")
    return design


def load_sweep_file(path: str | os.PathLike, *, scenario: str | os.PathLike | None = None,
                    set_options: Sequence[str] = (), root: str | os.PathLike | None = None, **options) -> Sweep:
    """Read a sweep file (YAML, loaded safely) into a :class:`Sweep`.

    Keys: ``scenario`` (path relative to the sweep file), optional ``description``,
    ``engine``, ``replications``, ``seed``, ``seeds`` (common/independent), ``set``
    (overrides of the base: ``{path: value}``) and exactly one design: ``grid`` or
    ``zip`` (``{path: [values]}``), ``one_at_a_time`` (``{path: [low, high]}``) or
    ``points`` (a list of ``{path: value}``). Unknown keys and bad values are errors
    naming ``file:line:col``. ``scenario``, ``set_options`` (``KEY=VALUE``) and the
    keyword ``options`` (engine, replications, seed, seeds) given here win over the file.
    The file's ``scenario`` (and the files that one extends) must lie inside ``root`` (default:
    :func:`~routesim.scenario.files.study_root` of the sweep file).
    """
    shown = str(path)
    given = Path(root) if root is not None else None
    root = given if given is not None else study_root(path)
    from_file = scenario is None
    try:
        data, marks = load_marked(path, shown)
    except YamlError as exc:
        raise RoutesimError(str(exc) if exc.mark else exc.message) from None

    def fail(where: tuple, message: str, key: bool = False):
        field = f"{format_path(where)}: " if where else ""
        raise RoutesimError(f"{marks.where(where, key=key)}: {field}{message}")

    design = _check_file(data, fail)
    spec = data[design]
    if scenario is None:
        if "scenario" not in data:
            fail((), "required key 'scenario' is missing (the scenario file the sweep changes)")
        if not isinstance(data["scenario"], str) or Path(data["scenario"]).suffix.lower() not in (".yaml", ".yml") \
                or "\0" in data["scenario"]:
            fail(("scenario",), f"'{data['scenario']}' is not a scenario file (a .yaml or .yml file)")
        scenario = Path(shown).parent / data["scenario"]
        try:
            check_inside(root, scenario, marks.where(("scenario",)), f"scenario: '{data['scenario']}'")
        except ScenarioError as exc:
            raise RoutesimError(str(exc)) from None
        if not scenario.is_file():
            fail(("scenario",), f"no such file '{data['scenario']}' (looked for {scenario})")
    # a scenario named here (not in the file) is the user's choice: its own study folder applies
    base = load_scenario(scenario, set_options=list(set_options), root=root if from_file else given)
    if data.get("set"):
        try:
            base = base.with_overrides(data["set"])
        except ScenarioError as exc:
            raise _reword(exc, marks.where(("set",)), label(data["set"])) from None
    for k in _OPTIONS:
        if options.get(k) is None and k in data:
            options[k] = data[k]
    options = {k: v for k, v in options.items() if v is not None}

    def where(p: tuple) -> str:
        return marks.where((design,) + tuple(p[1:]) if p and p[0] == design else (design,))

    if design == "points":
        return Sweep(base, spec, design="points", _where=lambda p: marks.where(p), **options)
    factory = {"grid": Sweep.grid, "zip": Sweep.zip, "one_at_a_time": Sweep.one_at_a_time}[design]
    try:
        return factory(base, spec, _where=where, **options)
    except RoutesimError as exc:
        if isinstance(exc, ScenarioError):
            raise
        raise RoutesimError(f"{marks.where((design,))}: {exc}") from None


def parse_grid_option(option: str) -> tuple[str, list]:
    """``"costs.bunker_usd_per_t=450,535,650"`` -> ``("costs.bunker_usd_per_t", [450, 535, 650])``.

    Values are read as YAML, as in ``routesim run --set``; quote one that holds
    a comma (``'gamma(mean=600, cv=0.1)'``) or write the list in brackets.

    >>> parse_grid_option("routes.chancay_direct.speed_kn=15,17.5,19")
    ('routes.chancay_direct.speed_kn', [15, 17.5, 19])
    """
    key, sep, raw = option.partition("=")
    if not sep or not key.strip() or not raw.strip():
        raise RoutesimError(f"--grid: expected KEY=V1,V2,... (such as costs.bunker_usd_per_t=450,535,650), "
                            f"got '{option}'")
    text = raw.strip()
    try:
        key, values = parse_set_option(f"{key}={text if text.startswith('[') else '[' + text + ']'}")
    except ScenarioError as exc:
        raise RoutesimError(str(exc).replace("--set", "--grid", 1)) from None
    if not isinstance(values, list) or not values:
        raise RoutesimError(f"--grid {key}: expected one or more values separated by commas, got '{raw}'")
    return key, values
