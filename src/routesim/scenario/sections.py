"""The sections of a scenario other than its routes: cargo, ports, vessels, services,
chokepoints, disruptions, operations, costs and engine options.

Unset fields are None and fall back to the catalogue when the scenario is compiled
(:mod:`routesim.plan`). The timing fields are those of ``data/operations.yaml`` and the
cost inputs those of ``data/costs.yaml`` (:data:`routesim.catalogue.OPERATIONS_INPUTS`,
:data:`routesim.catalogue.COST_INPUTS`): each is a distribution or a bounded number as
its ``input`` says, so each list of fields is written once, in its data file.

>>> Costs(bunker_usd_per_t="gamma(mean=600, cv=0.1)").bunker_usd_per_t.mean
600.0
>>> list(Costs.model_fields)[:2], list(Costs.model_fields)[-2:]
(['bunker_usd_per_t', 'co2_t_per_t_fuel'], ['freight_usd_per_teu', 'canal_toll_usd'])
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, Strict, ValidationInfo, WithJsonSchema, create_model, model_validator

from .. import catalogue
from .._suggest import did_you_mean, normalize
from ..catalogue import COST_INPUTS, OPERATIONS_INPUTS, DefaultInput
from ..distributions import dist_with_mean_in
from .display import show
from .types import (MAX_DAYS, MAX_DES_RUNS, CargoTeu, CargoValueUsd, ChokepointName, CommodityName, Count,
                    CountryCode, Days, FieldError, Flag, Fraction, FreightUsdPerFeu, FreightUsdPerTeu,
                    FreightUsdPerTonne, FreightUsdPerVehicle, FuelTPerDay, ParcelTonnes, ParcelVehicles,
                    Deadweight, GrossTonnage, HeadwayDays, Hours, Knots, LengthM, Moves, MovesPerHour, NonNegFloat, PerDay,
                    PortCallUsd, PortCode, PositiveFraction, PositiveInt, Section, PrecoolHours, ShelfLifeDays, TempC,
                    ShipTeu, TeuPerWeek, TollUsd, UsdPerDay, VesselName, FuelName, as_value_error)

__all__ = ["CargoSpec", "CargoPatch", "ReeferFailure", "FreightSpec", "PortSpec", "VesselSpec", "ServiceSpec", "ChokepointSpec", "Disruption",
           "Operations", "Costs", "CarbonRulesSpec", "MonteCarloOptions", "DesOptions", "DesResponses"]


class ReeferFailure(Section):
    """A what-if: a reefer unit that fails on the way (no public failure rate is shipped)."""

    probability: Fraction
    """Chance that a shipment's unit fails once between gate-in and delivery (0 to 1)."""
    days: Days
    """Days the cargo spends at ``temp_c`` before the fault is found and fixed."""
    temp_c: TempC
    """Temperature the cargo reaches meanwhile (degC)."""


HolidayName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class CargoSpec(Section):
    """What one shipment carries. Unset fields come from the commodity in the catalogue.

    The cold-chain fields (``atmosphere`` to ``reefer_failure``) apply to a perishable
    (a commodity with a keeping-quality model in ``data/commodities.yaml``) only.
    """

    commodity: CommodityName = "general_cargo"
    kind: Literal["dry", "reefer", "bulk", "roro"] | None = None
    """``dry`` or ``reefer`` (in containers), ``bulk`` (a parcel in tonnes on a bulk carrier) or ``roro``
    (vehicles on a car carrier); default: the commodity's. Bulk and roro sail tramp voyages
    (a route with ``vessel:`` a class of ``data/tramp.yaml``), one parcel a ship."""
    teu: CargoTeu = 1.0
    """TEU per shipment (container routes; a tramp route's parcel is ``tonnes`` or ``vehicles``, and a
    route's own ``cargo.teu`` on a tramp route is an error)."""
    tonnes: ParcelTonnes | None = None
    """A bulk parcel (tonnes; tramp routes only); default: the tramp class's cargo intake."""
    vehicles: ParcelVehicles | None = None
    """Vehicles in a roro parcel (tramp routes only); default: the car carrier's typical load."""
    value_usd: CargoValueUsd | None = None
    """Cargo value of one shipment (USD); default: commodity value per TEU x ``teu``."""
    shelf_life_days: ShelfLifeDays | None = None
    """Keeping quality of a lot at its carry temperature (days); default: the commodity's."""
    atmosphere: Literal["controlled", "air"] | None = None
    """``controlled`` (the trade's controlled or modified atmosphere, the default) or regular ``air``."""
    carry_temp_c: TempC | None = None
    """Reefer set point at sea (degC); default: the commodity's."""
    terminal_temp_c: TempC | None = None
    """Temperature the box averages on plug at terminals (degC); default: the set point."""
    precool_hours: PrecoolHours | None = None
    """Hours at field temperature between harvest and cooling; default: the commodity's."""
    reefer_failure: ReeferFailure | None = None
    """A reefer unit failing on the way (a what-if; not modelled unless given)."""
    ready: Literal["uniform", "season"] | None = None
    """When cargo is ready over the study window: ``uniform`` (default) or following the
    commodity's export ``season`` from its origin (``data/seasons.yaml``; needs ``start_date``). A route
    whose own cargo is another commodity does not inherit the scenario's season, nor its cold chain."""
    market_holiday: HolidayName | None = None
    """A market holiday (``chinese_new_year``): the results report the share arriving before it."""
    origin_country: CountryCode | None = None
    """Country of origin for tariffs (ISO 3166 alpha-2); default: the origin port's (or overland start's) country."""


def _optional(name: str, info):
    """A CargoSpec field as a patch field: the same type and constraints, optional, unset by default."""
    typ = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return (typ | None, Field(None, description=info.description))


CargoPatch = create_model(
    "CargoPatch",
    __base__=Section,
    __module__=__name__,
    __doc__="A route's changes to the scenario's cargo (the fields of :class:`CargoSpec`, all optional).",
    **{name: _optional(name, info) for name, info in CargoSpec.model_fields.items()},
)


QUOTES = ("usd_per_feu", "usd_per_teu", "usd_per_tonne", "usd_per_vehicle")
"""The ways a scenario gives its own freight quote."""


class FreightSpec(Section):
    """When the shipper books (the lane's market rate on that date), or its own all-in quote.

    ``date`` books every shipment on one day; ``window: [from, to]`` spreads the bookings over
    it as the cargo is ready over the study window; default: ``data/freight.yaml``'s
    ``default_window``. ``usd_per_feu`` or ``usd_per_teu`` replaces the market rate by the
    shipper's own quote (all surcharges included); on a tramp route ``usd_per_tonne`` or
    ``usd_per_vehicle`` replaces the voyage-charter rate of ``data/tramp.yaml``.
    """

    date: datetime.date | None = None
    window: tuple[datetime.date, datetime.date] | None = None
    usd_per_feu: FreightUsdPerFeu | None = None
    usd_per_teu: FreightUsdPerTeu | None = None
    usd_per_tonne: FreightUsdPerTonne | None = None
    """A tramp route's own voyage-charter freight (USD per tonne of a bulk parcel)."""
    usd_per_vehicle: FreightUsdPerVehicle | None = None
    """A car-carrier route's own freight (USD per vehicle)."""

    @model_validator(mode="after")
    def _one_basis(self):
        if self.date is not None and self.window is not None:
            raise FieldError("give either 'date' or 'window', not both", "window")
        if self.window is not None and self.window[1] < self.window[0]:
            raise FieldError(f"the window ends ({self.window[1]}) before it starts ({self.window[0]})", "window")
        given = [k for k in QUOTES if getattr(self, k) is not None]
        if len(given) > 1:
            raise FieldError(f"give one quote, not {' and '.join(given)}", given[1])
        quote = given[0] if given else None
        if quote and (self.date is not None or self.window is not None):
            raise FieldError(f"an own quote ('{quote}') is not read on a date: drop 'date'/'window'", quote)
        return self


class PortSpec(Section):
    """Overrides of a catalogue port's operating figures, or a port of the scenario's own.

    A new code (UN/LOCODE style, e.g. ``PEILQ``) with ``name``, ``country``, ``lat`` and ``lon``
    declares a port of the scenario's own, joined to the nearest sea lane for this scenario only
    (:mod:`routesim.scenario.ownports`); the fields from ``name`` to ``anchorage_wait_days`` are for such a
    port only (a catalogue port keeps its own position and name).
    """

    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    """A port of your own: its display name."""
    country: CountryCode | None = None
    """A port of your own: its country (ISO 3166-1 alpha-2), which sets its trade region."""
    lat: Annotated[float, Field(ge=-90, le=90, strict=True)] | None = None
    """A port of your own: latitude of its terminal (degrees, WGS84)."""
    lon: Annotated[float, Field(ge=-180, le=180, strict=True)] | None = None
    """A port of your own: longitude of its terminal (degrees, WGS84)."""
    coords_source: str | None = None
    """A port of your own: where its coordinates come from."""
    aliases: list[Annotated[str, Field(min_length=1)]] = []
    """A port of your own: other names routes may call it by."""
    anchorage_wait_days: Annotated[float, Field(ge=0, le=60, strict=True)] | None = None
    """A port of your own: typical mean wait at anchor for a berth (days), which gives the port's traffic."""
    berths: Count | None = None
    cranes_per_call: Count | None = None
    crane_moves_per_hour: MovesPerHour | None = None
    berth_wait_days: Days | None = None
    """Wait for a berth at this port (days), used by the Monte Carlo engine."""
    throughput_teu_per_year: Annotated[float, Strict(), Field(gt=0, le=100_000_000)] | None = None
    """Container throughput in the study (TEU a year, loaded and discharged): the port's traffic is
    that many TEU in calls of the reference ship (its moves x ``costs.teu_per_box``), instead of the
    traffic inferred from the published anchorage wait."""
    call_fixed_hours: Hours | None = None
    export_cutoff_days: Days | None = None
    import_dwell_days: Days | None = None
    reefer_plugs: Annotated[int, Field(gt=0, le=100_000, strict=True)] | None = None
    """Reefer plugs at the port's container terminals; default: ``data/reefer.yaml``."""
    reefer_teu_per_week: TeuPerWeek | None = None
    """The port's reefer boxes in an average week of the study (TEU; following the cargo's harvest
    season where it has one): with it, reefer boxes queue for the plugs before gate-in."""


class VesselSpec(Section):
    """A vessel class: a new one (give ``base`` or every figure) or changes to a catalogue class."""

    base: VesselName | None = None
    name: str | None = None
    teu: ShipTeu | None = None
    design_speed_kn: Knots | None = None
    service_speed_kn: Knots | None = None
    design_fuel_t_per_day: Annotated[FuelTPerDay, Field(gt=0)] | None = None
    aux_fuel_t_per_day: FuelTPerDay | None = None
    port_fuel_t_per_day: FuelTPerDay | None = None
    charter_usd_per_day: UsdPerDay | None = None
    moves_per_call: Moves | None = None
    gt: GrossTonnage | None = None
    """Gross tonnage (what port dues and pilotage per GT apply to; default: the base class's)."""
    loa_m: LengthM | None = None
    """Length overall in metres (what berth hire per metre-hour applies to; default: the base class's)."""
    dwt: Deadweight | None = None
    """Tonnes deadweight (what the IMO CII divides by; default: the base class's)."""
    fuel: FuelName | None = None
    """The fuel the class burns, an id of ``data/fuels.yaml`` (default: the base class's, else VLSFO).
    Its fuel days stay VLSFO-equivalent tonnes: another fuel burns the same energy."""


class ServiceSpec(Section):
    """A liner service: a vessel class sailing a rotation of ports on a fixed headway.

    In a scenario, a service that exists in the catalogue may be given only
    the fields to change (e.g. ``speed_kn``).
    """

    vessel: VesselName | None = None
    rotation: Annotated[list[PortCode], Field(min_length=2)] | None = None
    headway_days: HeadwayDays | None = None
    speed_kn: Knots | None = None
    operator: str | None = None
    description: str | None = None
    source: str | None = None
    avoid: list[ChokepointName] | None = None
    utilisation: PositiveFraction | None = None
    moves_per_call: Moves | None = None
    fuel: FuelName | None = None
    """The fuel this service's ships burn, an id of ``data/fuels.yaml`` (default: their class's): a
    green-corridor service on methanol dual-fuel ships of a class that otherwise burns VLSFO."""



class ChokepointSpec(Section):
    """Overrides of a chokepoint's operating figures."""

    capacity_per_day: PerDay | None = None
    booked_share: Fraction | None = None
    demand_per_day: PerDay | None = None
    wait_days: Days | None = None
    transit_hours: Hours | None = None
    toll_usd: TollUsd | None = None
    booked: Flag | None = None
    """Whether the scenario's vessels hold transit bookings (liner services normally do)."""


_DISRUPTION_KINDS = {
    "closure": "closure",
    "port_closure": "closure",
    "chokepoint_closure": "closure",
    "capacity": "capacity",
    "port_capacity": "capacity",
    "chokepoint_capacity": "capacity",
    "weather": "weather",
}
_KIND_KEYS = {normalize(k): v for k, v in _DISRUPTION_KINDS.items()}


def _disruption_kind(value: Any) -> str:
    """``closure``, ``capacity`` or ``weather`` from any spelling of ``_DISRUPTION_KINDS``."""
    if isinstance(value, str) and normalize(value) in _KIND_KEYS:
        return _KIND_KEYS[normalize(value)]
    if not isinstance(value, str):
        raise ValueError(f"expected closure, capacity or weather, got {show(value)}")
    hint = did_you_mean(value, list(_DISRUPTION_KINDS))
    raise ValueError(f"unknown disruption kind '{value}'{hint}; the kinds are closure, capacity and weather "
                     "(optionally prefixed port_ or chokepoint_)")


def _place(value: Any, info: ValidationInfo) -> str:
    """A chokepoint name or a port code/name (the catalogue's or one of the scenario's own)."""
    if not isinstance(value, str):
        raise ValueError(f"expected a chokepoint or a port, got {show(value)}")
    try:
        return catalogue.resolve_place(value)
    except LookupError:
        hit = ((info.context or {}).get("ports") or {}).get(normalize(value))
        if hit is None:
            raise
        return hit


class Disruption(Section):
    """Something that goes wrong at a place for a time window (days from the study start)."""

    kind: Annotated[Literal["closure", "capacity", "weather"], BeforeValidator(_disruption_kind),
                    WithJsonSchema({"enum": list(_DISRUPTION_KINDS), "type": "string",
                                    "description": "closure, capacity or weather (port_/chokepoint_ prefixes "
                                                   "are accepted and mean the same)"})]
    where: Annotated[str, BeforeValidator(as_value_error(_place))]
    from_day: NonNegFloat = 0.0
    days: Annotated[float, Strict(), Field(gt=0, le=MAX_DAYS)] | None = None
    """Length of the window (days); empty means to the end of the study."""
    factor: Fraction | None = None
    """Capacity kept, as a share of normal (``capacity`` only)."""
    extra_days: Days | None = None
    """Extra delay per call or passage in the window (``weather`` only)."""
    note: str = ""

    @model_validator(mode="after")
    def _fields_for_kind(self):
        """``factor`` belongs to capacity disruptions, ``extra_days`` to weather ones."""
        if self.kind == "capacity" and self.factor is None:
            raise ValueError("a capacity disruption needs 'factor' (share of capacity kept, 0-1)")
        if self.kind != "capacity" and self.factor is not None:
            raise FieldError(f"'factor' applies to capacity disruptions, not {self.kind}", "factor")
        if self.kind == "weather" and self.extra_days is None:
            raise ValueError("a weather disruption needs 'extra_days'")
        if self.kind != "weather" and self.extra_days is not None:
            raise FieldError(f"'extra_days' applies to weather disruptions, not {self.kind}", "extra_days")
        return self

    @property
    def to_day(self) -> float:
        """End of the window (days; ``inf`` when open-ended)."""
        return float("inf") if self.days is None else self.from_day + self.days


def _input_field(inp: DefaultInput) -> tuple[Any, None]:
    """The field of one catalogue default: a distribution >= 0 with a plausible mean, or a strict
    number within bounds."""
    if inp.distribution:
        return (dist_with_mean_in(inp.low, inp.high) | None, None)
    return (Annotated[float, Strict(), Field(**inp.bounds())] | None, None)


# The fields (and what each means, in its source) are those of data/operations.yaml.
Operations = create_model(
    "Operations",
    __base__=Section,
    __module__=__name__,
    __doc__="Timing assumptions shared by all routes; unset fields come from ``data/operations.yaml``.",
    **{inp.name: _input_field(inp) for inp in OPERATIONS_INPUTS},
)


# The cost fields that are not catalogue defaults:
#   local_currency_settlement  settle in the trading partners' currencies (e.g. CNY/BRL) at
#                              settlement_fee_rate_local_currency;
#   tariff_rate                ad-valorem tariff override (share of cargo value); default from
#                              data/trade.yaml with FTA exemptions;
#   tariff_date                date (YYYY-MM-DD) at which tariff schedules are read; default: the
#                              trade catalogue's as_of;
#   charter_usd_per_day        time-charter hire by vessel class (USD per day);
#   port_call_usd              a ship's charges per call (USD), replacing the tariffs by GT, LOA and hours;
#   vessel_utilisation         share of slots full in both directions, replacing the trade's load factors;
#   freight_usd_per_feu/_teu   the shipper's own all-in freight quote for every route;
#   canal_toll_usd             toll per transit by chokepoint (USD), replacing the catalogue's tolls.
_OTHER_COSTS: dict[str, tuple[Any, Any]] = {
    "local_currency_settlement": (Flag, False),
    "tariff_rate": (Annotated[float, Strict(), Field(ge=0, le=5)] | None, None),
    "tariff_date": (datetime.date | None, None),
    "charter_usd_per_day": (dict[VesselName, UsdPerDay], {}),
    "port_call_usd": (PortCallUsd | None, None),
    "vessel_utilisation": (PositiveFraction | None, None),
    "freight_usd_per_feu": (FreightUsdPerFeu | None, None),
    "freight_usd_per_teu": (FreightUsdPerTeu | None, None),
    "canal_toll_usd": (dict[ChokepointName, TollUsd], {}),
}

Costs = create_model(
    "Costs",
    __base__=Section,
    __module__=__name__,
    __doc__="Cost inputs (USD unless named otherwise); unset fields come from ``data/costs.yaml``.",
    **{inp.name: _input_field(inp) for inp in COST_INPUTS},
    **_OTHER_COSTS,
)


class CarbonRulesSpec(Section):
    """Which rules that price carbon apply, and for which emission year (``data/carbon_rules.yaml``).

    Each rule applies only to the stretches and stays at berth its text covers (a Latin America -
    Asia stretch pays neither EU rule). The prices are ``costs.eu_ets_eur_per_t`` and
    ``costs.usd_per_eur``; FuelEU's penalty and the Net-Zero Framework's remedial units are set
    by the rules themselves.
    """

    year: Annotated[int, Strict(), Field(ge=2020, le=2060)] | None = None
    """Emission year: the EU ETS phase-in, the FuelEU target, the CII reduction factor and the Net-Zero
    Framework targets of that year (default: the year of ``start_date``, else 2026)."""
    eu_ets: Flag = True
    """Price the EU ETS for shipping (in force since 2024; on by default)."""
    fueleu: Flag = True
    """Price FuelEU Maritime's remedial penalty on the energy in its scope (in force since 2025; on by default)."""
    imo_nzf: Flag = False
    """Price the draft IMO Net-Zero Framework's remedial units (approved at MEPC 83, not adopted: a what-if, off by default)."""


class MonteCarloOptions(Section):
    """Options of the Monte Carlo engine: shipments per vectorised chunk, threads, per-shipment table."""

    chunk_size: Annotated[int, Field(ge=1_000, strict=True)] = 262_144
    threads: PositiveInt = 1
    keep_shipments: Flag | None = None
    """Keep the per-shipment table (true), never build it (false); default: build it when
    ``Results.shipments`` is first read (``routesim run --out`` keeps it)."""


class DesResponses(Section):
    """Which of the carriers' responses to trouble the discrete-event engine models (each on by
    default: the record shows carriers doing all of them in 2023-24; thresholds in
    ``data/responses.yaml``, see :mod:`routesim.engines.des.responses`). The Monte Carlo engine
    models none of them and warns when one is set."""

    blank_sailings: Flag = True
    """Blank a sailing its vessel cannot make within a headway of schedule, or when demand drops."""
    added_ships: Flag = True
    """Add ships to a service that falls behind (up to a share of its fleet), instead of blanking."""
    rebase: Flag = True
    """Re-base the pro-forma after a run of late departures (the schedule shifts by the standing lateness)."""
    reroute: Flag = True
    """Go round another passage when the canal wait to expect exceeds the pro-forma's by more than the detour."""
    omit_calls: Flag = True
    """Omit a closed or congested call (not the start port): its cargo comes off at the next call, or waits."""


class DesOptions(Section):
    """Options of the discrete-event engine (the study window is the scenario's ``horizon_days``)."""

    replications: Annotated[int, Field(gt=0, le=MAX_DES_RUNS, strict=True)] = 10
    """Independent runs (each simulates every vessel and queue over the whole study window)."""
    warmup_days: Annotated[float, Strict(), Field(ge=0, le=MAX_DAYS)] = 56.0
    """Days simulated before the study window opens, so queues and schedules start in their normal state."""
    independent_sailings: Flag = False
    """Give every sailing a vessel of its own, on schedule but for its lateness draw, so that no
    sailing inherits a delay from a vessel's previous voyage (the Monte Carlo engine's view; used
    to check that the two engines agree)."""
    responses: DesResponses = DesResponses()
    """The carriers' responses to trouble, each switchable."""
    workers: PositiveInt | None = None
    """Processes the replications run on (default: the CPUs, at most one per replication; 1: one
    after another in this process). The numbers do not depend on it."""

