"""Tramp voyages compiled: a bulk or roro parcel on a tramp class, laden out and back in ballast.

A route whose ``vessel`` is a class of ``data/tramp.yaml`` (or whose cargo is ``kind: bulk`` or
``roro``) is a tramp voyage: no liner service, one ship for one parcel. The ship presents within
its laycan (the route's ``headway_days``, default ``data/tramp.yaml`` laycan_days), loads the
parcel (``origin_dwell``: the parcel is at the berth from the start of loading), sails laden to the
destination, discharges (``destination_dwell``: berth wait and discharge; no import yard dwell)
and sails back in ballast: the ballast leg's days and fuel are the carrier's cost, which the
parcel pays whole (:func:`~routesim.plan.voyages.tramp_round_voyage`). The freight is the
voyage-charter rate per tonne or per vehicle of ``data/tramp.yaml`` (or the scenario's
``freight.usd_per_tonne`` / ``usd_per_vehicle``), for the whole parcel.

The shipment is the parcel: ``cargo.teu`` is 1 and the per-TEU columns are per parcel; the results
give them per tonne or per vehicle (:func:`routesim.results.per_factor`).

>>> from routesim.scenario import Scenario
>>> from routesim.plan import compile_plan
>>> s = Scenario.from_dict({"name": "d", "cargo": {"commodity": "iron_ore"}, "routes": {"ore": {
...     "origin": "BRTTE", "destination": "CNTAO", "vessel": "capesize"}}})
>>> r = compile_plan(s).routes["ore"]
>>> r.tramp.unit, r.tramp.units, r.cargo.t_per_teu, r.segments[0].voyage.trade
('tonne', 165000.0, 165000.0, 'tramp')
>>> [leg.kind for leg in r.legs]
['origin_dwell', 'first_sailing', 'sail', 'destination_dwell']
"""

from __future__ import annotations

from dataclasses import replace

from .. import catalogue
from .. import costs as cm
from ..distributions import Constant
from ..errors import ScenarioError
from .freight import FreightPlan
from .fuels import fuel_params
from .frozen import Track
from .records import Leg, RoutePlan, Segment, ServicePlan, VesselParams
from .carbon import stretch_shares
from .resolve import cargo_params, dist, merged_cargo
from .schedule import scheduled_call_days, split_at_canals
from .voyages import TrampPlan, leg_directions, tramp_round_voyage

__all__ = ["tramp_class_id", "is_tramp", "tramp_vessel_params", "tramp_route"]

_UNITS = {"bulk": ("tonnes", "tonne", "usd_per_tonne"), "roro": ("vehicles", "vehicle", "usd_per_vehicle")}


def tramp_class_id(s, vid: str | None) -> str | None:
    """The ``data/tramp.yaml`` class vessel ``vid`` is (itself, or the ``base`` of a scenario class), or None."""
    classes = catalogue.tramp_classes()
    if vid is None:
        return None
    if vid in classes:
        return vid
    spec = s.vessels.get(vid)
    return spec.base if spec is not None and spec.base in classes else None


def _vessel_of(spec) -> str | None:
    if spec.segments is not None:
        return spec.segments[0].vessel
    return spec.vessel


def is_tramp(s, spec) -> bool:
    """Whether route ``spec`` is a tramp voyage: a tramp class, or bulk or roro cargo."""
    kind = merged_cargo(s, spec).kind or catalogue.commodities()[merged_cargo(s, spec).commodity].kind
    return tramp_class_id(s, _vessel_of(spec)) is not None or kind in _UNITS


def tramp_vessel_params(s, vid: str) -> VesselParams:
    """A tramp class with the scenario's ``vessels.<vid>`` and ``costs.charter_usd_per_day.<vid>`` over it.
    It has no TEU and no container moves (both 0): its cargo is the parcel."""
    base = catalogue.tramp_classes()[tramp_class_id(s, vid)]
    spec = s.vessels.get(vid)
    for bad in ("teu", "moves_per_call"):
        if spec is not None and getattr(spec, bad) is not None:
            raise ScenarioError([f"vessels.{vid}.{bad}: {base.name} is a tramp class: it carries a parcel "
                                 f"({base.unit}s), not containers"])

    def pick(name):
        v = getattr(spec, name, None) if spec is not None else None
        fig = base.figures.get(name)
        return v if v is not None else (fig.value if fig is not None else None)

    charter = s.costs.charter_usd_per_day.get(vid)
    fuel = spec.fuel if spec is not None and spec.fuel is not None else base.fuel.value
    dwt = pick("dwt")
    return VesselParams(
        id=vid, teu=0.0, design_speed_kn=float(pick("design_speed_kn")),
        design_fuel_t_per_day=float(pick("design_fuel_t_per_day")), aux_fuel_t_per_day=float(pick("aux_fuel_t_per_day")),
        port_fuel_t_per_day=float(pick("port_fuel_t_per_day")),
        charter_usd_per_day=dist(charter if charter is not None else pick("charter_usd_per_day")),
        moves_per_call=0.0, service_speed_kn=float(pick("service_speed_kn")), gt=float(pick("gt")),
        loa_m=float(pick("loa_m")), dwt=None if dwt is None else float(dwt),
        fuel=fuel_params(fuel, f"vessels.{vid}.fuel"))


def _checks(s, spec, merged, kind: str, cls) -> list[str]:
    """What is wrong with route ``spec`` as a tramp voyage of a ``kind`` parcel on class ``cls``."""
    out = []
    if cls is None:
        return [f"cargo kind {kind} sails a tramp voyage: give the route 'vessel:' a class of data/tramp.yaml "
                f"({', '.join(k for k, c in catalogue.tramp_classes().items() if c.kind == kind)}), not a liner service"]
    if kind != cls.kind:
        want = "bulk (a parcel in tonnes)" if cls.kind == "bulk" else "roro (vehicles)"
        return [f"vessel {cls.id} is a {'bulk carrier' if cls.kind == 'bulk' else 'car carrier'}: cargo.kind must be "
                f"{want}, got {kind}"]
    for key in ("service", "services", "segments", "demand_teu_per_week", "overland"):
        if getattr(spec, key) is not None:
            out.append(f"{key}: a tramp voyage sails one ship origin to destination (no liner service, segments, "
                       "weekly TEU demand or overland leg)")
    for key in ("via", "transship_at"):
        if getattr(spec, key):
            out.append(f"{key}: a tramp voyage sails direct, laden out and in ballast back")
    # the scenario's cargo counts the container routes' boxes; a route's own cargo says what it ships
    given = set(spec.cargo.model_dump(exclude_none=True)) if spec.cargo else set()
    field, _, _ = _UNITS[kind]
    other = _UNITS["roro" if kind == "bulk" else "bulk"][0]
    if "teu" in given:
        out.append(f"cargo.teu: a {kind} parcel is counted in {field}, not TEU: give cargo.{field}")
    if other in given:
        out.append(f"cargo.{other}: a {kind} parcel is counted in {field}: give cargo.{field}")
    units = getattr(merged, field)
    if units is not None and units > cls.capacity:
        out.append(f"cargo.{field}: {units:,.0f} is more than {cls.id} carries ({cls.capacity:,.0f} {field})")
    if merged.commodity not in catalogue.tramp_handling():
        out.append(f"cargo.commodity: data/tramp.yaml has no cargo handling for {merged.commodity} "
                   f"(has {', '.join(catalogue.tramp_handling())})")
    return out


def _value(merged, com, kind: str, units: float):
    """The parcel's value (USD): the scenario's, else price per tonne or per vehicle x units."""
    if merged.value_usd is not None:
        return merged.value_usd
    key = "price_usd_per_t" if kind == "bulk" else "unit_value_usd"
    if key not in com.extra:
        raise ScenarioError([f"cargo.value_usd: {com.name} has no {key} in data/commodities.yaml: give the "
                             "parcel's value"])
    return Constant(float(com.extra[key].value) * units)


def _freight(s, spec, merged, kind: str, cls_id: str, units: float, o_country: str, d_country: str) -> FreightPlan:
    """The parcel's freight: the scenario's quote per tonne or vehicle, else the voyage-charter rate."""
    field, unit, quote = _UNITS[kind]
    fs = spec.freight if spec.freight is not None else s.freight
    for k in ("usd_per_teu", "usd_per_feu", "date", "window"):
        if getattr(fs, k) is not None:
            raise ScenarioError([f"freight.{k}: a tramp parcel's freight is a voyage charter per {unit}: "
                                 f"give freight.{quote} (or nothing for data/tramp.yaml's rate)"])
    for k in ("freight_usd_per_teu", "freight_usd_per_feu"):
        if getattr(s.costs, k) is not None:
            raise ScenarioError([f"costs.{k}: a per-TEU quote cannot price a tramp parcel: give this route "
                                 f"freight.{quote}"])
    own = getattr(fs, quote)
    lane = f"voyage charter {o_country}->{d_country}"
    if own is not None:
        return FreightPlan(lane, "scenario", own=own.scaled(units))
    fig = catalogue.voyage_rate(merged.commodity, cls_id, o_country, d_country)
    if fig is None:
        return FreightPlan(lane, "missing", missing=f"data/tramp.yaml has no voyage-charter rate for {merged.commodity} "
                                                    f"on {cls_id} {o_country}->{d_country}; give freight.{quote}")
    return FreightPlan(f"{lane} at {fig.value} USD/{unit} (data/tramp.yaml)", "voyage",
                       own=dist(fig.value).scaled(units))


def tramp_route(c, rname: str, spec, ops) -> RoutePlan:
    """Compile route ``rname`` (``spec``) as a tramp voyage; ``c`` is the compiler (its ports,
    passages, chokepoints and services). Errors name the field."""
    s = c.s
    merged = merged_cargo(s, spec)
    com = catalogue.commodities()[merged.commodity]
    kind = merged.kind or com.kind
    vid = _vessel_of(spec)
    cls_id = tramp_class_id(s, vid)
    cls = catalogue.tramp_classes().get(cls_id) if cls_id else None
    problems = _checks(s, spec, merged, kind, cls)
    if problems:
        raise ScenarioError(problems)
    field, unit, _ = _UNITS[kind]
    units = float(getattr(merged, field) or cls.capacity)
    vessel = tramp_vessel_params(s, vid)
    o, d = c.port(spec.origin), c.port(spec.destination)
    h = catalogue.tramp_handling()[merged.commodity]
    load, discharge = units / float(h.load_per_day.value), units / float(h.discharge_per_day.value)
    speed = float(spec.speed_kn or vessel.service_speed_kn)
    headway = float(spec.headway_days or catalogue.laycan_days().value)
    avoid = tuple(sorted(set(spec.avoid)))
    laden = c._passage(o.code, d.code, avoid, vessel)
    ballast = c._passage(d.code, o.code, avoid, vessel)
    draws = []
    for name in sorted({*laden.chokepoints, *ballast.chokepoints}):
        if c.chokepoints[name].kind == "canal":
            if c.chokepoints[name].toll_usd is None:
                raise ScenarioError([f"{o.code} -> {d.code} passes the {name} canal: its tolls are container tariffs; "
                                     f"give costs.canal_toll_usd.{name} for {cls_id} or avoid: [{name}] "
                                     "(a bulk carrier's canal size limits are not checked)"])
    for route in (laden, ballast):
        draws += [c.chokepoints[p[1]].toll_usd for p in split_at_canals(route, c.chokepoints) if p[0] != "sail"]
    calls = (scheduled_call_days(d, 0.0) + discharge, scheduled_call_days(o, 0.0) + load)
    hours = 24.0 * (float(o.handling_days(0.0)) + float(d.handling_days(0.0)) + load + discharge)
    direction = leg_directions([c._region(o.code), c._region(d.code)])[0]
    service_id = f"{rname}#0"
    voyage = tramp_round_voyage(service_id, laden, ballast, chokepoints=c.chokepoints, vessel=vessel, speed_kn=speed,
                                weather=ops.weather_factor.mean, call_days=calls, hours_alongside=hours,
                                direction=direction, gt=vessel.gt, loa_m=vessel.loa_m, canal_draws=draws)
    c.services[service_id] = ServicePlan(service_id, (o.code, d.code), avoid)
    legs, chokes, total, path = c._passages(0, [o.code, d.code], d.code, avoid, vessel, speed)
    me = float(cm.main_engine_fuel_t_per_day(speed, vessel.design_speed_kn, vessel.design_fuel_t_per_day))
    segment = Segment(0, service_id, vessel, speed, headway, 1.0, (o.code, d.code), total, tuple(chokes), avoid,
                      c._schedule(legs, vessel, ops), me, voyage=voyage, direction=direction,
                      discharge_call_days=calls[0], shares=stretch_shares(o.country, d.country, c.carbon.year),
                      laytime_days=(load, discharge))
    base = cargo_params(s, spec, c.catalogue_ports)
    cargo = replace(base, teu=1.0, value_usd=_value(merged, com, kind, units), reefer=False, quality=None, kind=kind,
                    t_per_teu=units if kind == "bulk" else None, unit="vehicle" if kind == "roro" else "",
                    units_per_teu=units if kind == "roro" else None)
    per = f"USD/{unit}"
    tramp = TrampPlan(kind, unit, units, cls_id, load, discharge,
                      Constant(float(h.origin.value) * units), Constant(float(h.destination.value) * units),
                      note=(f"tramp {cls_id}: {units:,.0f} {field} loaded in {load:.1f} days, discharged in "
                            f"{discharge:.1f}, ballast back {voyage.sea_days[1]:.1f} days at sea; terminal handling "
                            f"{float(h.origin.value):.2f} + {float(h.destination.value):.2f} {per} (data/tramp.yaml)"))
    legs = [Leg("origin_dwell", o.code, 0), Leg("first_sailing", o.code, 0, headway_days=headway), *legs,
            Leg("destination_dwell", d.code, 0)]
    return RoutePlan(
        name=rname, origin=spec.origin, destination=spec.destination, description=spec.description, cargo=cargo,
        segments=(segment,), legs=tuple(legs), path=Track(path),
        freight=_freight(s, spec, merged, kind, cls_id, units, cargo.origin_country, cargo.importer), tramp=tramp)
