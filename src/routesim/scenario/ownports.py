"""Ports of a scenario's own: ``ports: {PEILQ: {name, country, lat, lon, ...}}``.

A key of ``ports:`` that is not a catalogue port and whose entry gives ``lat`` or ``lon``
declares a port the scenario adds to the network, for that scenario only: routes and
services may then name it (by code, name or alias) like any catalogue port. It needs
``name``, ``country``, ``lat`` and ``lon`` (see :class:`~routesim.scenario.sections.PortSpec`);
its other figures, where the scenario gives none, are the median of the catalogue ports of
its trade region (``data/regions.yaml``), marked as such in their source
(:func:`own_ports`). A catalogue port may not be moved or renamed: its position is what its
lanes were drawn from, so ``ports.BRITJ.lat`` is an error (declare a new code instead).

Placement (on the coast, near a lane, joinable without crossing land) is checked here so
that a bad port is reported at its ``lat`` with file and line; the joining itself is
:mod:`routesim.portjoin`, through :meth:`routesim.network.PortNetwork.with_ports`.

>>> spec = {"name": "Ilo", "country": "PE", "lat": -17.6459, "lon": -71.3453, "berths": 2}
>>> p = own_ports_of({"PEILQ": spec})["PEILQ"]
>>> p.name, p.berths.value, p.cranes_per_call.derived
('Ilo', 2, True)
"""

from __future__ import annotations

import re
import statistics

from .. import catalogue
from .._suggest import normalize
from ..catalogue import carrier as cat_carrier
from ..catalogue.figures import Figure
from ..errors import DataError

__all__ = ["OWN_FIELDS", "REQUIRED_FIELDS", "CODE_PATTERN", "DEFAULTED", "declared_ports", "own_ports", "own_ports_of",
           "own_port_problems"]

OWN_FIELDS = ("name", "country", "lat", "lon", "coords_source", "aliases", "anchorage_wait_days")
"""Fields of ``ports.<code>`` for a port of the scenario's own only."""

REQUIRED_FIELDS = ("name", "country", "lat", "lon")
"""What a port of one's own must give."""

CODE_PATTERN = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
"""A UN/LOCODE: the country's two letters and three letters or digits 2-9."""

DEFAULTED = ("berths", "cranes_per_call", "crane_moves_per_hour", "anchorage_wait_days")
"""Figures of a port of one's own that default to the median of its trade region's catalogue ports."""


def _is_own_entry(key, value) -> bool:
    """Whether a raw ``ports:`` entry declares a port of one's own (a new name with a position)."""
    if not (isinstance(key, str) and isinstance(value, dict) and ("lat" in value or "lon" in value)):
        return False
    try:
        catalogue.resolve_port(key)
    except LookupError:
        return True
    return False


def declared_ports(data) -> dict[str, str]:
    """Normalized code, name and alias -> code of the ports a raw scenario mapping declares
    (the validation context that lets routes name them)."""
    section = data.get("ports") if isinstance(data, dict) else None
    out: dict[str, str] = {}
    if not isinstance(section, dict):
        return out
    for key, value in section.items():
        if _is_own_entry(key, value):
            names = [key, value.get("name")] + list(value.get("aliases") or [])
            for n in names:
                if isinstance(n, str) and n.strip():
                    out.setdefault(normalize(n), key)
    return out


def own_ports(s) -> dict:
    """The :class:`~routesim.catalogue.Port` records of scenario ``s``'s own ports (UN/LOCODE -> Port);
    empty when it declares none."""
    cat = catalogue.ports()
    return own_ports_of({code: spec for code, spec in s.ports.items() if code not in cat})


def own_ports_of(specs: dict) -> dict:
    """Port records of own-port specs (mappings or :class:`~routesim.scenario.sections.PortSpec`),
    figures the spec leaves out set to the median of the catalogue ports of the port's trade region."""
    out = {}
    for code, spec in specs.items():
        get = spec.get if isinstance(spec, dict) else (lambda k, _s=spec: getattr(_s, k, None))
        region = cat_carrier.region_of(code, get("country"))
        figs = {}
        for name in DEFAULTED:
            value = get(name)
            figs[name] = (Figure(value, "given by the scenario") if value is not None
                          else _region_default(name, region))
        # throughput only weighs the catalogue's port pairs in the DES detours round a canal
        figs["annual_teu"] = Figure(None, "GAP: a port of the scenario's own has no throughput figure")
        out[code] = catalogue.Port(
            code=code, name=str(get("name")), country=str(get("country")), lon=float(get("lon")),
            lat=float(get("lat")), coords_source=str(get("coords_source") or "given by the scenario"),
            aliases=tuple(get("aliases") or ()), **figs)
    return out


def _region_default(name: str, region: str) -> Figure:
    """The median of figure ``name`` over the catalogue ports of ``region``, as a derived Figure."""
    values = []
    for code, p in catalogue.ports().items():
        try:
            if cat_carrier.region_of(code, p.country) != region:
                continue
        except DataError:
            continue
        v = getattr(p, name).value
        if v is not None:
            values.append(v)
    med = statistics.median(values)
    med = int(round(med)) if name in ("berths", "cranes_per_call") else float(med)
    return Figure(med, f"default for a port of the scenario's own: median of the {len(values)} catalogue ports "
                       f"of region {region} (data/ports.yaml, data/regions.yaml)", derived=True, confidence="L")


def own_port_problems(s, data) -> list[tuple[list, str]]:
    """Problems with the ``ports:`` section of scenario ``s`` (``data``: the raw mapping it came from):
    catalogue ports moved or renamed, the same port twice, incomplete or badly placed ports of one's own.

    Returns
    -------
    list of (path, message)
        Paths use the keys as written, so each problem points at its line.
    """
    section = data.get("ports") if isinstance(data, dict) else None
    if not isinstance(section, dict) or not section:
        return []
    cat = catalogue.ports()
    own_names = declared_ports(data)
    problems: list[tuple[list, str]] = []
    seen: dict[str, str] = {}
    own: dict[str, object] = {}
    for raw in section:
        if not isinstance(raw, str):
            continue
        code = _resolve(raw, own_names)
        spec = s.ports.get(code) if code else None
        if spec is None:
            continue
        if code in seen:
            problems.append((["ports", raw], f"the same port as ports.{seen[code]} ({code}): give it once"))
            continue
        seen[code] = raw
        given = [f for f in OWN_FIELDS if getattr(spec, f) not in (None, [])]
        if code in cat:
            for f in given:
                problems.append((["ports", raw, f], f"{code} {cat[code].name} is a catalogue port: its {f} is the "
                                 "catalogue's (a scenario may not move or rename it); to study another position, "
                                 "declare a port of your own under a new code"))
            continue
        bad = _own_problems(raw, code, spec, cat, own_names)
        problems += bad
        if not bad:
            own[code] = spec
    if own:
        problems += _placement_problems(section, own)
    return problems


def _resolve(raw: str, own_names: dict) -> str | None:
    try:
        return catalogue.resolve_port(raw)
    except LookupError:
        return own_names.get(normalize(raw))


def _own_problems(raw, code, spec, cat, own_names) -> list[tuple[list, str]]:
    """A port of one's own: a code like a UN/LOCODE, the fields it needs, a country in a trade
    region, names nobody else uses."""
    out: list[tuple[list, str]] = []
    if not CODE_PATTERN.match(raw):
        out.append((["ports", raw], f"'{raw}' is neither a catalogue port nor a code for a port of your own "
                                    "(a UN/LOCODE: two capitals for the country and three capitals or digits 2-9, "
                                    "e.g. PEILQ)"))
    missing = [f for f in REQUIRED_FIELDS if getattr(spec, f) is None]
    if missing:
        out.append((["ports", raw], f"a port of your own needs {', '.join(REQUIRED_FIELDS)}; missing "
                                    f"{', '.join(missing)}"))
    elif spec.country is not None:
        try:
            cat_carrier.region_of(code, spec.country)
        except DataError:
            out.append((["ports", raw, "country"], f"country {spec.country} is in no trade region of "
                                                   "data/regions.yaml, so routesim cannot tell its trade"))
    for f, names in (("name", [spec.name]), ("aliases", list(spec.aliases))):
        for n in names:
            if n is None:
                continue
            try:
                other = catalogue.resolve_port(n)
            except LookupError:
                other = own_names.get(normalize(n))
                if other in (None, code):
                    continue
            out.append((["ports", raw, f], f"the name {n!r} is already {other}'s"
                                           f"{' (' + cat[other].name + ', a catalogue port)' if other in cat else ''}: "
                                           "give the port a name of its own"))
    return out


def _placement_problems(section: dict, own: dict) -> list[tuple[list, str]]:
    """Each port of one's own on the coast and joinable to a lane (:mod:`routesim.portjoin`)."""
    from ..network import PortNetwork

    raw_of = {code: raw for raw in section if isinstance(raw, str) for code in own if raw == code}
    found = PortNetwork.default().placement_problems(own_ports_of(own))
    return [(["ports", raw_of.get(code, code), "lat"], f"{own[code].name} at lat {own[code].lat:g}, lon {own[code].lon:g} "
                                                       f"{why}") for code, why in found.items()]
