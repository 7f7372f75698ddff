"""Container ports (``data/ports.yaml``).

>>> p = ports()["PECHY"]
>>> p.name, p.country, p.berths.value >= 1
('Chancay', 'PE', True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..errors import DataError
from .figures import Figure, parse_figure, read

__all__ = ["Port", "ports"]


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
    """One row of ``ports:`` (the ``i``-th) as a Port."""
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
    raw = read("ports.yaml")
    out: dict[str, Port] = {}
    for i, row in enumerate(raw["ports"]):
        p = _parse_port(row, i)
        if p.code in out:
            raise DataError(f"data/ports.yaml: duplicate port code {p.code}")
        out[p.code] = p
    return out
