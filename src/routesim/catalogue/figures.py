"""Sourced figures and the shipped data files: what every catalogue loader reads with.

Every operating figure in ``routesim/data/*.yaml`` is a small mapping::

    berths: {value: 4, source: "https://... (15 Nov 2024)", confidence: H}

which :func:`parse_figure` turns into a :class:`Figure`, so that a value always
travels with where it came from. :func:`load_data_file` reads a shipped file;
the loaders of the other modules read through :func:`read`, which looks
``routesim.catalogue.load_data_file`` up when called, so that replacing that one
name (a test, a user's own data) reaches every loader.

>>> fig = parse_figure({"value": 4, "source": "port authority, 2024"}, "example")
>>> fig.value, float(fig), fig.derived
(4, 4.0, False)
>>> parse_figure({"value": 4}, "ports.yaml: PECHY.berths")
Traceback (most recent call last):
...
routesim.errors.DataError: ports.yaml: PECHY.berths: every figure needs a non-empty 'source'
"""

from __future__ import annotations

import functools
import math
import re
import sys
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import DataError
from .cache import cached_data

__all__ = ["Figure", "parse_figure", "load_data_file", "read", "check_keys", "number_figure", "section",
           "one_line", "ID_PATTERN"]

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
"""Ids of vessel classes, chokepoints, commodities and services."""

_FIGURE_KEYS = {"value", "source", "derived", "confidence", "note", "unit", "input"}


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
    input : str
        For a default a scenario may replace (``data/costs.yaml``,
        ``data/operations.yaml``), what the scenario may write instead:
        ``distribution`` or ``number in [low, high]`` (see
        :mod:`routesim.catalogue.inputs`); empty elsewhere.
    """

    value: Any
    source: str
    derived: bool = False
    confidence: str = ""
    note: str = ""
    input: str = ""

    def __float__(self) -> float:
        return float(self.value)


def parse_figure(raw: Any, where: str) -> Figure:
    """Parse one ``{value:, source:}`` mapping.

    Parameters
    ----------
    raw : Any
        The mapping as read from YAML.
    where : str
        Names the figure in errors (``"data/ports.yaml: PECHY.berths"``).

    Returns
    -------
    Figure

    Raises
    ------
    DataError
        Not a mapping, unknown keys, no value, no source, a value that is not
        finite, or a confidence other than H, M and L.
    """
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping with 'value' and 'source', got {raw!r}")
    unknown = set(raw) - _FIGURE_KEYS
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
        input=str(raw.get("input", "")),
    )


@functools.cache
def load_data_file(name: str) -> Any:
    """Load ``routesim/data/<name>`` with the safe YAML loader (cached; do not mutate).

    The data are those of PyYAML's safe loader, built from libyaml's parse by
    :func:`routesim.yamlio.loads_data` (about three times faster than ``yaml.load`` with
    ``CSafeLoader``, ten times faster than the pure-Python loader), and kept in a cache on disk
    for the next process (:mod:`routesim.catalogue.cache`; ``ROUTESIM_NO_CACHE=1`` turns it off).

    Parameters
    ----------
    name : str
        File name such as ``"ports.yaml"``.

    Returns
    -------
    Any
        The file's data: mappings, lists, text and numbers.
    """
    try:
        raw = resources.files("routesim.data").joinpath(name).read_bytes()
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise DataError(f"shipped data file {name!r} is missing") from exc
    try:
        return cached_data(raw.decode("utf-8"), name, raw)
    except Exception as exc:  # PyYAML is imported on a cache miss only, so its errors are matched here
        import yaml

        if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
            m = exc.problem_mark
            raise DataError(f"shipped data file data/{name}:{m.line + 1}:{m.column + 1}: "
                            f"{exc.problem or exc.context or 'invalid YAML'}") from exc
        if isinstance(exc, (yaml.YAMLError, UnicodeDecodeError)):
            raise DataError(f"shipped data file {name}: {exc}") from exc
        raise


def read(name: str) -> Any:
    """The data of ``name`` through ``routesim.catalogue.load_data_file`` as it is now.

    The name is looked up on the package at each call (not bound at import), so
    ``monkeypatch.setattr(routesim.catalogue, "load_data_file", ...)`` reaches the
    loaders of every record kind.
    """
    return sys.modules[__package__].load_data_file(name)


def check_keys(where: str, raw: Any, required: set[str], optional: set[str] = frozenset()) -> None:
    """Raise :class:`DataError` unless ``raw`` is a mapping with every key of ``required``
    and no key outside ``required`` and ``optional`` (the message names both kinds)."""
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


def number_figure(raw: Any, where: str, *, positive: bool = False, nonnegative: bool = True) -> Figure:
    """:func:`parse_figure`, then check that the value is a number (> 0 with ``positive``,
    >= 0 unless ``nonnegative=False``)."""
    fig = parse_figure(raw, where)
    v = fig.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise DataError(f"{where}: value must be a number, got {v!r}")
    if positive and not v > 0:
        raise DataError(f"{where}: value must be > 0, got {v!r}")
    if nonnegative and v < 0:
        raise DataError(f"{where}: value must be >= 0, got {v!r}")
    return fig


def section(name: str, key: str) -> dict:
    """The non-empty ``key:`` mapping at the top of data file ``name``, its ids checked
    against :data:`ID_PATTERN`."""
    raw = read(name)
    if not isinstance(raw, dict) or key not in raw:
        raise DataError(f"data/{name}: expected a top-level '{key}:' mapping")
    body = raw[key]
    if not isinstance(body, dict) or not body:
        raise DataError(f"data/{name}: '{key}' must be a non-empty mapping")
    for ident in body:
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            raise DataError(f"data/{name}: {key} id {ident!r} must match {ID_PATTERN.pattern}")
    return body


def one_line(text: Any) -> str:
    """Free text (a note, a source) with its runs of white space made single spaces."""
    return " ".join(str(text).split())
