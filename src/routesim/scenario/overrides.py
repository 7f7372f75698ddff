"""Changing a scenario's fields by dotted path: ``routesim run --set`` and
:meth:`Scenario.with_overrides <routesim.scenario.Scenario.with_overrides>`.

A key is a dotted path such as ``costs.bunker_usd_per_t`` or ``disruptions[0].factor``;
a value is what YAML would hold. The changed value is marked with its origin
(``--set``) so that errors name it instead of a line of the file.

>>> split_path("disruptions[0].factor", "--set")
['disruptions', 0, 'factor']
>>> parse_set_option("costs.bunker_usd_per_t=650")
('costs.bunker_usd_per_t', 650)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ScenarioError
from ..yamlio import Mark, Marks, YamlError, format_path, loads_marked
from .display import kind_of

__all__ = ["split_path", "parse_set_option", "override"]

_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH_HELP = "write a dotted path such as costs.bunker_usd_per_t or disruptions[0].factor"


def split_path(key: Any, origin: str) -> list:
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
    split_path(key, "--set")
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


def override(data: dict, marks: Marks, key: Any, value: Any, origin: str) -> None:
    """Set ``key`` (a dotted path) to ``value`` in ``data``; errors there will name ``origin``."""
    parts = split_path(key, origin)
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
    """Set the value at path ``parts`` in ``data``, making the mappings on the way; ``None`` removes it."""
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
            raise ScenarioError([f"{origin}: {shown}: {format_path(tuple(parts[:i]))} is {kind_of(node)}, "
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
            raise ScenarioError([f"{origin}: {shown}: {parent} is {kind_of(node)}, not a list"])
        if last >= len(node):
            raise ScenarioError([f"{origin}: {shown}: no item [{last}] to change ({parent} has {len(node)})"])
        node[last] = value
    elif isinstance(node, dict):
        if value is None:
            node.pop(last, None)  # as in a merge patch: null removes the key
        else:
            node[last] = value
    else:
        raise ScenarioError([f"{origin}: {shown}: {parent} is {kind_of(node)}, not a mapping"])

