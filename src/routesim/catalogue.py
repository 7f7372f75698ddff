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
        Container throughput (TEU per year; the year is in the source).
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
