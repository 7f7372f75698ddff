"""Resolve one record at a time: the scenario's figure where it gives one, else the catalogue's.

Pure builders of the frozen records of :mod:`routesim.plan.records` (ports, vessels, cargo,
costs, operations); :mod:`routesim.plan.compile` calls them while it walks the routes.
"""

from __future__ import annotations

from .. import catalogue
from ..catalogue import carrier as cat_carrier
from ..distributions import Constant, Distribution, parse
from ..errors import ScenarioError
from ..queueing import utilisation_for_wait
from .fuels import VLSFO, fuel_params
from .perishables import market_params, quality_params, season_params
from .records import CargoParams, CostParams, FrozenMap, Operations, PortParams, VesselParams
from .schedule import handling_days

__all__ = ["dist", "port_params", "vessel_params", "merged_cargo", "cargo_params", "cost_params", "operations_params"]


def dist(value, default=None) -> Distribution:
    """``value`` (or ``default`` when it is None) as a non-negative distribution."""
    if value is None:
        value = default
    if isinstance(value, Distribution):
        return value
    return parse(value, nonnegative=True)


def operations_params(o) -> Operations:
    """The scenario's ``operations`` over ``data/operations.yaml``."""
    d = catalogue.operations()

    def num(name):
        v = getattr(o, name)
        return float(d[name].value if v is None else v)

    return Operations(
        weather_factor=dist(o.weather_factor, d["weather_factor"].value),
        lateness_days=dist(o.lateness_days, d["lateness_days"].value),
        call_fixed_hours=num("call_fixed_hours"),
        min_connection_days=num("min_connection_days"),
        handling_cv=num("handling_cv"),
    )


def cost_params(c) -> CostParams:
    """The scenario's ``costs`` over ``data/costs.yaml`` (the settlement fee by currency).

    Every input of :data:`routesim.catalogue.COST_INPUTS` is resolved: a distribution where
    the catalogue says so, else a float.
    """
    d = catalogue.cost_defaults()
    values: dict = {}
    for inp in catalogue.COST_INPUTS:
        v = getattr(c, inp.name)
        if inp.distribution:
            values[inp.name] = dist(v, d[inp.name].value)
        else:
            values[inp.name] = float(d[inp.name].value if v is None else v)
    # a ship's charges per call: the scenario's flat figure, or None (the tariffs by GT, LOA and hours)
    values["port_call_usd"] = dist(c.port_call_usd) if c.port_call_usd is not None else None
    fee = values["settlement_fee_rate_local_currency" if c.local_currency_settlement else "settlement_fee_rate"]
    return CostParams(FrozenMap(values), fee)


def port_params(p, o, ops_spec, ref_moves: float, wait_distribution) -> PortParams:
    """A port's figures: the scenario's ``ports.<code>`` (``o``) over the port's record ``p`` (a
    :class:`~routesim.catalogue.Port` of the catalogue or of the scenario's own).

    Berth waits follow M/M/c with the berth time of a typical deep-sea call (``ref_moves``
    moves at this scenario's crane figures). The port's traffic is a property of the port,
    inferred from the catalogue's berths and published mean anchorage wait: a scenario that
    changes the berths keeps that traffic, so fewer berths mean longer waits. A scenario that
    sets ``berth_wait_days`` fixes the wait itself (the utilisation follows from its mean); one that
    sets ``throughput_teu_per_year`` sets the traffic from it (the reference call's moves x TEU per box).
    Schedules allow for the catalogue's wait (:attr:`PortParams.scheduled_wait_days`).
    ``wait_distribution(c, rho, service)`` is the M/M/c wait distribution.
    """
    code = p.code
    ops = catalogue.operations()

    def pick(name, default):
        v = getattr(o, name, None) if o is not None else None
        return default if v is None else v

    fixed_default = ops_spec.call_fixed_hours if ops_spec.call_fixed_hours is not None else ops["call_fixed_hours"].value
    berths = int(pick("berths", p.berths.value))
    cranes = int(pick("cranes_per_call", p.cranes_per_call.value))
    mph = float(pick("crane_moves_per_hour", p.crane_moves_per_hour.value))
    fixed = float(pick("call_fixed_hours", fixed_default))
    service = float(handling_days(ref_moves, cranes, mph, fixed))
    # the catalogue's port, at this scenario's crane figures: its published wait gives its traffic
    c0 = int(p.berths.value)
    rho0 = utilisation_for_wait(c0, float(p.anchorage_wait_days.value), service)
    normal = wait_distribution(c0, rho0, service)
    override = pick("berth_wait_days", None)
    throughput = pick("throughput_teu_per_year", None)
    if override is not None:
        wait = dist(override)
        rho = utilisation_for_wait(berths, wait.mean, service)
    else:
        rho = rho0 if berths == c0 else rho0 * c0 / berths
        if throughput is not None:
            # calls a day of the reference ship that move the year's boxes, each holding a berth `service` days
            per_call = ref_moves * float(catalogue.cost_defaults()["teu_per_box"].value)
            rho = throughput / 365.0 / per_call * service / berths
        if rho >= 1.0:
            raise ScenarioError([f"ports.{code}: {berths} berth(s) cannot serve the port's traffic "
                                 f"({rho * berths / service:.2f} ships a day; utilisation {rho:.2f}): "
                                 "add berths, lower throughput_teu_per_year, or set berth_wait_days"])
        wait = wait_distribution(berths, rho, service)
    annual = getattr(p, "annual_teu", None)
    annual = throughput if throughput is not None else getattr(annual, "value", annual)
    return PortParams(
        code=code, name=p.name, country=p.country, berths=berths, cranes_per_call=cranes,
        crane_moves_per_hour=mph, berth_wait_days=wait, call_fixed_hours=fixed,
        export_cutoff_days=dist(pick("export_cutoff_days", ops_spec.export_cutoff_days), ops["export_cutoff_days"].value),
        import_dwell_days=dist(pick("import_dwell_days", ops_spec.import_dwell_days), ops["import_dwell_days"].value),
        reference_service_days=service, utilisation=rho, scheduled_wait_days=normal.mean,
        annual_teu=float(annual) if annual is not None else None, wait_given=override is not None,
    )


def vessel_params(vid: str, spec, charter) -> VesselParams:
    """A vessel class: the scenario's ``vessels.<vid>`` (or its ``base`` class) over the catalogue;
    ``charter`` is the scenario's ``costs.charter_usd_per_day.<vid>`` (None: the class's rate)."""
    classes = catalogue.vessel_classes()
    base_id = vid if vid in classes else (spec.base if spec else None)
    base = classes.get(base_id) if base_id else None

    def pick(name):
        v = getattr(spec, name, None) if spec is not None else None
        if v is None and base is not None:
            v = getattr(base, name).value
        return v

    if charter is None:
        charter = pick("charter_usd_per_day")
    teu = pick("teu")
    moves = pick("moves_per_call")
    if moves is None:  # a new class without a base: scale the catalogue's moves per TEU
        ref = classes["neopanamax_14000"]
        moves = ref.moves_per_call.value / ref.teu.value * teu
    aux = pick("aux_fuel_t_per_day")
    port_fuel = pick("port_fuel_t_per_day")
    speed = pick("service_speed_kn") or pick("design_speed_kn")
    gt, loa = (cat_carrier.vessel_particulars(base_id) if base_id in cat_carrier.vessels_with_particulars()
               else (None, None))
    if spec is not None:
        gt, loa = spec.gt or gt, spec.loa_m or loa
    dwt = getattr(spec, "dwt", None) or (base.extra["dwt"].value if base is not None and "dwt" in base.extra else None)
    fuel = (spec.fuel if spec is not None and spec.fuel is not None
            else base.fuel.value if base is not None else VLSFO)
    return VesselParams(
        id=vid,
        teu=float(teu),
        design_speed_kn=float(pick("design_speed_kn")),
        design_fuel_t_per_day=float(pick("design_fuel_t_per_day")),
        aux_fuel_t_per_day=float(aux if aux is not None else 0.0),
        port_fuel_t_per_day=float(port_fuel if port_fuel is not None else 0.0),
        charter_usd_per_day=dist(charter if charter is not None else 0.0),
        moves_per_call=float(moves),
        service_speed_kn=float(speed),
        gt=gt,
        loa_m=loa,
        dwt=None if dwt is None else float(dwt),
        fuel=fuel_params(fuel, f"vessels.{vid}.fuel"),
    )


def merged_cargo(s, spec):
    """The scenario's ``cargo`` patched by route ``spec``'s own (a :class:`~routesim.scenario.CargoSpec`)."""
    patch = spec.cargo.model_dump(exclude_none=True) if spec.cargo is not None else {}
    return s.cargo.model_copy(update=patch)


def cargo_params(s, spec, ports=None) -> CargoParams:
    """A route's cargo: the scenario's ``cargo`` patched by the route's own, over the commodity.

    The duty comes from ``costs.tariff_rate`` or the trade data (``data/trade.yaml``) for the
    importer, commodity and origin on ``costs.tariff_date``; when the trade data has no line
    the rate is left missing (None, with the reason), never taken as zero. ``ports`` holds the
    port records by code (default: the catalogue's).
    """
    ports = catalogue.ports() if ports is None else ports
    merged = merged_cargo(s, spec)
    com = catalogue.commodities()[merged.commodity]
    kind = merged.kind or com.kind
    value = merged.value_usd if merged.value_usd is not None else Constant(
        float(com.value_usd_per_teu.value) * merged.teu)
    quality = quality_params(s, spec, merged, com, kind)
    if spec.overland is not None:
        origin_country = merged.origin_country or spec.overland.country
    else:
        origin_country = merged.origin_country or ports[spec.origin].country
    importer = ports[spec.destination].country
    missing = ""
    if s.costs.tariff_rate is not None:
        rate = float(s.costs.tariff_rate)
    else:
        try:
            rate = float(catalogue.trade().rate(importer, merged.commodity, origin_country, on=s.costs.tariff_date))
        except LookupError:
            rate = None
            missing = (f"no tariff line in data/trade.yaml for {importer} importing {merged.commodity} "
                       f"from {origin_country}; set costs.tariff_rate")
    per_teu = {k: float(com.extra[k].value) for k in ("t_per_teu", "units_per_teu", "kwh_per_teu") if k in com.extra}
    unit = ("vehicle", per_teu["units_per_teu"]) if "units_per_teu" in per_teu else \
        ("kWh", per_teu["kwh_per_teu"]) if "kwh_per_teu" in per_teu else ("", None)
    return CargoParams(merged.commodity, kind == "reefer", float(merged.teu), value, quality,
                       origin_country, importer, rate, missing, name=com.name,
                       t_per_teu=per_teu.get("t_per_teu"), unit=unit[0], units_per_teu=unit[1],
                       season=season_params(s, spec, merged, origin_country),
                       market=market_params(s, spec, merged, importer, kind == "reefer"), kind=kind)
