"""The routings the catalogue can sail between two ports: direct services, relays, what-if vessels.

:func:`candidate_routings` enumerates, for a cargo from ``origin`` to ``destination``:

* **direct**: every catalogue service (``data/services.yaml``) whose rotation calls the origin and
  later the destination (the stretch between them, :func:`~routesim.plan.schedule.calls_on_rotation`);
* **relay**: one service to a hub it shares with a second service that sails on to the destination
  (``transship_at: [HUB]``), and, with ``max_relays=2``, two hubs and three services; never a relay
  at a port the ship before it sails on from to the next stop anyway, nor onto a ship that called
  the earlier stop itself;
* **what-if**: a direct pendulum of each vessel class of the direct services (or, when no service is
  direct, of the services calling the origin) at the slowest of their speeds, sailing weekly (the liner trades' usual
  headway, whatever the donor's), forced through each ocean passage
  (:data:`PASSAGES`) in turn, as ``scenarios/santos_to_shanghai.yaml`` writes its what-ifs. A what-if
  is labelled as such: no such service sails today.

Ports within ``near_km`` of the origin (or the destination) count as the same place (Chancay and
Callao, as ``scenarios/chancay_vs_callao.yaml`` compares them), with no drayage cost between them.

The count is bounded: a routing whose sea distance along its calls is more than ``detour`` times
the shortest sea distance between the places is dropped, and at most ``max_candidates`` are kept
(direct services first, then relays and what-ifs, shortest first).

>>> cands, notes = candidate_routings("PECHY", "CNSHA")
>>> cands[0].name, cands[0].kind, cands[0].route["service"]
('cosco_chancay_shanghai', 'direct', 'cosco_chancay_shanghai')
>>> sorted({c.origin for c in cands})
['PECHY', 'PECLL']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .. import catalogue
from ..choices import DETOUR, MAX_CANDIDATES, NEAR_KM
from ..errors import NoRouteError, RoutesimError, UnknownNameError
from ..geo import haversine_nm
from ..plan.schedule import calls_on_rotation

__all__ = ["Candidate", "PASSAGES", "KINDS", "candidate_routings", "NEAR_KM", "DETOUR", "MAX_CANDIDATES"]

PASSAGES: tuple[str, ...] = ("panama", "magellan", "drake", "good_hope", "suez")
"""The ocean passages a what-if vessel is forced through, one at a time (the others closed)."""
KINDS: tuple[str, ...] = ("direct", "relay", "what-if")
_KM_PER_NM = 1.852
_WEEKLY = 7.0


@dataclass(frozen=True)
class Candidate:
    """One routing: a route of a scenario file (``route``, a mapping) and what it is."""

    name: str
    kind: str
    """``direct``, ``relay`` or ``what-if``."""
    origin: str
    destination: str
    route: dict = field(hash=False, compare=False)
    sea_distance_nm: float = 0.0
    """Sea distance along the cargo's calls (nm)."""
    chokepoints: tuple[str, ...] = ()
    label: str = ""
    """Services and hubs, in words."""


def _near(code: str, km: float) -> list[str]:
    ports = catalogue.ports()
    p = ports[code]
    out = [code]
    for c, q in ports.items():
        if c != code and haversine_nm(p.lat, p.lon, q.lat, q.lon) * _KM_PER_NM <= km:
            out.append(c)
    return out


class _Sea:
    """Sea distances along calls, cached, for one network."""

    def __init__(self, network):
        self.net = network
        self.cache: dict = {}

    def along(self, calls: tuple[str, ...], avoid: tuple[str, ...], teu: float):
        """(nm, chokepoints) along ``calls``, or None when no sea route joins them."""
        key = (calls, avoid, teu)
        if key not in self.cache:
            try:
                r = self.net.route(calls[0], calls[-1], via=list(calls[1:-1]), avoid=list(avoid), vessel_teu=teu)
                self.cache[key] = (r.distance_nm, tuple(r.chokepoints))
            except NoRouteError:
                self.cache[key] = None
        return self.cache[key]


def _stretch(svc, a: str, b: str):
    try:
        return tuple(calls_on_rotation(list(svc.rotation), a, b))
    except UnknownNameError:
        return None


def _sensible(stops: list[str], svcs) -> bool:
    """A relay chain that never calls an earlier stop again, and whose ships do not themselves sail on
    from a hub to the next stop (the box would stay aboard)."""
    for i, svc in enumerate(svcs):
        calls = _stretch(svc, stops[i], stops[i + 1])
        if any(p in calls[1:] for p in stops[:i]):
            return False
        if i + 2 < len(stops) and _passes(svc, stops[i], stops[i + 2], stops[i + 1]):
            return False
    return True


def _passes(svc, a: str, b: str, port: str) -> bool:
    """Whether ``svc`` itself sails from ``a`` to ``b`` calling ``port`` on the way."""
    calls = _stretch(svc, a, b)
    return bool(calls) and port in calls


def candidate_routings(origin: str, destination: str, *, network=None, near_km: float = NEAR_KM,
                       max_relays: int = 2, detour: float = DETOUR, max_candidates: int = MAX_CANDIDATES,
                       what_if: bool = True):
    """The candidate routings from ``origin`` to ``destination`` and notes on what was left out.

    Parameters
    ----------
    origin, destination : str
        Ports by UN/LOCODE, name or alias.
    network : PortNetwork, optional
        Default: the shipped network.
    near_km : float
        Ports within this distance (km) of the origin or destination are alternatives.
    max_relays : int
        0, 1 or 2 transshipment hubs.
    detour : float
        Routings longer than ``detour`` x the shortest sea distance are dropped.
    max_candidates : int
        At most this many are returned.
    what_if : bool
        Add the what-if vessels.

    Returns
    -------
    (list of Candidate, list of str)

    Raises
    ------
    UnknownNameError
        An unknown port (with suggestions).
    NoRouteError
        No routing found.
    """
    if network is None:
        from ..network import PortNetwork

        network = PortNetwork.default()
    o0, d0 = catalogue.resolve_port(origin), catalogue.resolve_port(destination)
    if o0 == d0:
        raise RoutesimError(f"origin and destination are the same port ({catalogue.port_label(o0)})")
    if max_relays not in (0, 1, 2):
        raise RoutesimError(f"max_relays must be 0, 1 or 2, got {max_relays}")
    origins, dests = _near(o0, near_km), _near(d0, near_km)
    if d0 in origins:
        raise RoutesimError(f"{catalogue.port_label(o0)} and {catalogue.port_label(d0)} are within {near_km:g} km: "
                            "the same place for the route finder (lower --near-km)")
    sea = _Sea(network)
    services = catalogue.services()
    vessels = catalogue.vessel_classes()
    teu = {s: float(vessels[svc.vessel].teu.value) for s, svc in services.items()}
    found: list[Candidate] = []

    def add(kind, name, o, d, route, calls_by_stretch, label):
        total, chokes = 0.0, []
        for calls, svc_id, avoid, size in calls_by_stretch:
            leg = sea.along(calls, avoid, size)
            if leg is None:
                return
            total += leg[0]
            chokes += [c for c in leg[1] if c not in chokes]
        found.append(Candidate(name, kind, o, d, route, total, tuple(chokes), label))

    for o, d in itertools.product(origins, dests):
        if o == d:
            continue
        for sid, svc in services.items():
            calls = _stretch(svc, o, d)
            if calls:
                add("direct", sid + _suffix(o, d, o0, d0), o, d,
                    {"origin": o, "destination": d, "service": sid}, [(calls, sid, (), teu[sid])], sid)
        if max_relays >= 1:
            _relays(services, teu, o, d, max_relays, add, _suffix(o, d, o0, d0))
    if what_if:
        _what_ifs(found, services, vessels, origins, dests, sea, add)
    if not found:
        raise NoRouteError(f"no routing found from {catalogue.port_label(o0)} to {catalogue.port_label(d0)}: "
                           "no catalogue service, relay or what-if vessel joins them")
    return _bounded(found, detour, max_candidates)


def _suffix(o, d, o0, d0) -> str:
    """Route-name suffix of a routing from or to a nearby port instead of the one asked for."""
    return (f"_{o}" if o != o0 else "") + (f"_to_{d}" if d != d0 else "")


def _relays(services, teu, o, d, max_relays, add, suffix):
    for a, sa in services.items():
        for hub in dict.fromkeys(sa.rotation):
            if hub in (o, d):
                continue
            first = _stretch(sa, o, hub)
            through = _stretch(sa, o, d)
            if not first or (through and hub in through):
                continue  # no stretch, or the first ship sails on to the destination itself
            for b, sb in services.items():
                if b == a:
                    continue
                if _passes(sb, o, d, hub):
                    continue  # the second ship calls the origin itself on its way to the hub
                second = _stretch(sb, hub, d)
                if second and d not in first and _sensible([o, hub, d], [sa, sb]):
                    add("relay", f"{a}-{hub}-{b}{suffix}", o, d,
                        {"origin": o, "destination": d, "transship_at": [hub], "services": [a, b]},
                        [(first, a, (), teu[a]), (second, b, (), teu[b])], f"{a} > {hub} > {b}")
                if max_relays < 2:
                    continue
                for hub2 in dict.fromkeys(sb.rotation):
                    if hub2 in (o, d, hub):
                        continue
                    mid = _stretch(sb, hub, hub2)
                    if not mid or d in mid or (second and hub2 in second):
                        continue
                    for c, sc in services.items():
                        if c in (a, b):
                            continue
                        if _passes(sc, o, d, hub2) or _passes(sc, hub, d, hub2):
                            continue
                        last = _stretch(sc, hub2, d)
                        if last and d not in first and _sensible([o, hub, hub2, d], [sa, sb, sc]):
                            short = "_".join(x.split("_")[0] for x in (a, b, c))
                            add("relay", f"relay_{hub}_{hub2}_{short}{suffix}", o, d,
                                {"origin": o, "destination": d, "transship_at": [hub, hub2],
                                 "services": [a, b, c]},
                                [(first, a, (), teu[a]), (mid, b, (), teu[b]), (last, c, (), teu[c])],
                                f"{a} > {hub} > {b} > {hub2} > {c}")


def _what_ifs(found, services, vessels, origins, dests, sea, add):
    direct = [c for c in found if c.kind == "direct"]
    donors = [services[c.route["service"]] for c in direct]
    if not donors:
        donors = [svc for svc in services.values() if any(o in svc.rotation for o in origins)]
    configs: dict[str, float] = {}  # vessel class -> the slowest donor's speed
    for s in donors:
        configs[s.vessel] = min(configs.get(s.vessel, 99.0), float(s.speed_kn.value))
    taken = {(c.origin, c.destination, c.chokepoints) for c in direct
             if len(c.route) == 3 and _stretch(services[c.route["service"]], c.origin, c.destination) ==
             (c.origin, c.destination)}
    for (vessel, speed), o, d in itertools.product(configs.items(), origins[:1], dests[:1]):
        size = float(vessels[vessel].teu.value)
        seen = set()
        for p in PASSAGES:
            avoid = tuple(q for q in PASSAGES if q != p)
            leg = sea.along((o, d), avoid, size)
            if leg is None or p not in leg[1] or leg[1] in seen or (o, d, leg[1]) in taken:
                continue
            seen.add(leg[1])
            seg = {"vessel": vessel, "speed_kn": speed, "headway_days": _WEEKLY, "avoid": list(avoid)}
            add("what-if", f"whatif_{p}_{vessel}_{speed:g}kn".replace(".", "_"), o, d,
                {"origin": o, "destination": d, "segments": [seg],
                 "description": f"What-if: a weekly {vessel} pendulum at {speed:g} kn through {p} "
                                f"(no such service sails today)"},
                [((o, d), None, avoid, size)], f"what-if {vessel} {speed:g} kn via {p}")


def _bounded(found: list[Candidate], detour: float, max_candidates: int):
    notes = []
    unique: dict[str, Candidate] = {}
    for c in found:
        name = c.name if len(c.name) <= 64 else c.name[:56] + f"_{len(unique)}"
        while name in unique:
            name = f"{name[:60]}_{len(unique)}"
        unique[name] = Candidate(name, c.kind, c.origin, c.destination, c.route, c.sea_distance_nm,
                                 c.chokepoints, c.label)
    shortest = min(c.sea_distance_nm for c in unique.values())
    kept = [c for c in unique.values() if c.sea_distance_nm <= detour * shortest]
    if len(kept) < len(unique):
        notes.append(f"{len(unique) - len(kept)} routing(s) longer than {detour:g} x the shortest "
                     f"({shortest:,.0f} nm) left out")
    kept.sort(key=lambda c: (c.kind != "direct", c.sea_distance_nm, c.name))
    if len(kept) > max_candidates:
        notes.append(f"{len(kept) - max_candidates} more routing(s) left out (at most {max_candidates})")
        kept = kept[:max_candidates]
    return kept, notes
