"""No silently ignored input: every number, distribution and flag of the scenario schema that
affects the physics or the money moves each engine's output in its stated direction.

``FIELDS`` perturbs each field on a small scenario that exercises it (a reefer relay with
intermediate calls and a transshipment, a dry canal route on a scenario service) and states
the metric that must move and how. A field only one engine uses is listed in
:data:`routesim.plan.ENGINE_ONLY`: the other engine must warn, naming it. Fields that describe
rather than act (names, notes, sources) and the run options are listed in ``NOT_PHYSICS`` with
the reason. A new schema field fails :func:`test_every_schema_field_is_covered` until it is
given a row here.
"""

from __future__ import annotations

import copy
import typing
import warnings

import pytest
from pydantic import BaseModel

from routesim import run
from routesim.errors import RoutesimWarning
from routesim.plan import ENGINE_ONLY
from routesim.scenario import Scenario

from conftest import MANZANILLO

BASE = {
    "name": "inputs honoured",
    "seed": 11,
    "replications": 3000,
    "horizon_days": 30,
    "des": {"replications": 1, "warmup_days": 21},
    "cargo": {"commodity": "blueberries", "teu": 1, "value_usd": 80_000, "shelf_life_days": "gamma(mean=40, cv=0.2)"},
    "costs": {"tariff_rate": 0.02},
    "services": {"canal_loop": {"vessel": "neopanamax_14000", "rotation": ["BRSSZ", "CNSHA"], "headway_days": 7,
                                "avoid": ["good_hope", "suez", "drake", "magellan"]}},
    "routes": {
        "relay": copy.deepcopy(MANZANILLO),
        "canal": {"origin": "BRSSZ", "destination": "CNSHA", "service": "canal_loop",
                  "cargo": {"commodity": "general_cargo", "kind": "dry"}, "freight": {"usd_per_teu": 1500}},
    },
}
"""Both routes sail every leg kind but overland; ``canal`` takes its speed from the vessel class.
``relay`` is priced on the backhaul reefer quotes of its lane (data/freight.yaml); the record
has no dry rate from Santos to Shanghai, so ``canal`` carries its own quote."""

ADHOC_CANAL = {"origin": "BRSSZ", "destination": "CNSHA", "vessel": "neopanamax_14000", "speed_kn": 16,
               "headway_days": 7, "avoid": ["good_hope", "suez", "drake", "magellan"]}
TWO_SEGMENTS = {"origin": "BRSSZ", "destination": "CNSHA", "segments": [
    {"to": "PABLB", "vessel": "post_panamax_8500", "speed_kn": 16, "headway_days": 7,
     "avoid": ["good_hope", "suez", "drake", "magellan"]},
    {"vessel": "neopanamax_14000", "speed_kn": 16, "headway_days": 7}]}
OVERLAND = {"routes.canal.overland": {"start": "Cuiaba", "country": "BR", "days": 4, "usd_per_teu": 900,
                                      "co2_t_per_teu": 0.4, "assumption": "trucked from Cuiaba to Santos (test)"}}
EV_ROUTE = {"routes.ev": {"origin": "CNSHA", "destination": "BRSSZ", "vessel": "neopanamax_14000", "speed_kn": 17,
                          "headway_days": 7, "avoid": ["panama"], "cargo": {"commodity": "evs", "kind": "dry"}},
            "costs.tariff_rate": None, "costs.tariff_date": "2024-03-01"}
EU_ROUTE = {"routes.eu": {"origin": "NLRTM", "destination": "ESALG", "vessel": "neopanamax_14000", "speed_kn": 16,
                          "headway_days": 7, "cargo": {"commodity": "general_cargo", "kind": "dry"},
                          "freight": {"usd_per_teu": 900}}}
"""Rotterdam - Algeciras: an intra-EU stretch, where the EU ETS and FuelEU price all of it."""
TRAMP = {"routes.ore": {"origin": "BRTTE", "destination": "CNTAO", "vessel": "capesize",
                        "cargo": {"commodity": "iron_ore", "kind": "bulk"}},
         "routes.cars": {"origin": "CNSHA", "destination": "BRSSA", "vessel": "pctc_7000",
                         "cargo": {"commodity": "evs", "kind": "roro"}}}
"""Tramp voyages (routesim.plan.tramp): an iron-ore Capesize and a car carrier; money per tonne and vehicle."""
WEATHER = {"disruptions": [{"kind": "weather", "where": "MXZLO", "from_day": 0, "days": 25, "extra_days": 3}]}
SEASON = {"start_date": "2024-08-01", "horizon_days": 120,
          "disruptions": [{"kind": "closure", "where": "PECLL", "from_day": 61, "days": 59}]}
CUT = {"disruptions": [{"kind": "capacity", "where": "PECLL", "from_day": 0, "days": 60, "factor": 0.5}]}
HELD = {"horizon_days": 90, "disruptions": [{"kind": "closure", "where": "CNSHA", "from_day": 5, "days": 30}]}
"""Shanghai shut for a month: the canal loop's ships are held and fall behind (blanks, added ships, re-basing)."""
DROUGHT = {"horizon_days": 90, "chokepoints.panama.booked": False,
           "disruptions": [{"kind": "capacity", "where": "panama", "from_day": 0, "days": 90, "factor": 0.611}]}
SKIPPED = {"disruptions": [{"kind": "closure", "where": "ECGYE", "from_day": 0, "days": 30}]}
"""Guayaquil, a call of the relay's feeder between Callao and Manzanillo, shut for the study."""
LOCAL = {"costs.local_currency_settlement": True}
OWN_PORT = {"ports.PEILQ": {"name": "Ilo", "country": "PE", "lat": -17.6459, "lon": -71.3453, "berths": 2},
            "routes.own": {"origin": "PECHY", "destination": "CNSHA", "via": ["PEILQ"], "vessel": "regional_3000",
                           "speed_kn": 16, "headway_days": 7, "cargo": {"commodity": "general_cargo", "kind": "dry"},
                           "freight": {"usd_per_teu": 1500}}}
"""A port of the scenario's own (scenarios/own_port.yaml's Ilo) called at on the way."""
MATARANI_POINT = {"ports.PEILQ.lat": -16.99, "ports.PEILQ.lon": -72.11}


def _m(metric, stat="mean"):
    return lambda r: r[metric][stat]


def _cost(component):
    return lambda r: r["cost_by_component"][component]


def _carrier(component):
    return lambda r: r["carrier_cost_by_component"][component]


def _days(kind):
    return lambda r: r["days_by_kind"][kind]


UP, DOWN, MOVES = ">", "<", "!="
DOOR, TRANSIT, COST = _m("door_days"), _m("transit_days"), _m("cost_usd_per_teu")

# path -> (value, route, metric, direction[, context applied to base and variant])
FIELDS: dict[str, tuple] = {
    # ---- ports
    "ports.*.berths": ({"ports.MXZLO.berths": 10}, "relay", DOOR, DOWN),
    "ports.*.cranes_per_call": ({"ports.ECGYE.cranes_per_call": 1}, "relay", _days("port_call"), UP),
    "ports.*.crane_moves_per_hour": ({"ports.ECGYE.crane_moves_per_hour": 8.0}, "relay", _days("port_call"), UP),
    "ports.*.berth_wait_days": ({"ports.PECLL.berth_wait_days": "exponential(mean=4)"}, "relay", DOOR, UP),
    "ports.*.throughput_teu_per_year": ({"ports.PECLL.throughput_teu_per_year": 7_500_000}, "relay", DOOR, UP),
    "ports.*.call_fixed_hours": ({"ports.ECGYE.call_fixed_hours": 40.0}, "relay", _days("port_call"), UP),
    "ports.*.export_cutoff_days": ({"ports.PECLL.export_cutoff_days": 5.0}, "relay", _days("origin_dwell"), UP),
    "ports.*.import_dwell_days": ({"ports.CNSHA.import_dwell_days": 9.0}, "relay", _days("destination_dwell"), UP),
    "ports.*.reefer_teu_per_week": ({"ports.PECLL.reefer_teu_per_week": 2500}, "relay", _days("origin_dwell"), UP,
                                    {"ports.PECLL.reefer_plugs": 300}),
    # a port of the scenario's own: its position, its country (the trade region) and its traffic
    "ports.*.lat": (MATARANI_POINT, "own", _days("sail"), MOVES, OWN_PORT),
    "ports.*.lon": (MATARANI_POINT, "own", _days("sail"), MOVES, OWN_PORT),
    "ports.*.country": ({"ports.PEILQ.country": "MX"}, "own", _carrier("vessel"), MOVES, OWN_PORT),
    "ports.*.anchorage_wait_days": ({"ports.PEILQ.anchorage_wait_days": 4.0}, "own", _days("port_call"), UP, OWN_PORT),
    "ports.*.reefer_plugs": ({"ports.PECLL.reefer_plugs": 2000}, "relay", _days("origin_dwell"), DOWN,
                             {"ports.PECLL.reefer_plugs": 300, "ports.PECLL.reefer_teu_per_week": 1000}),
    # ---- vessels
    "vessels.*.teu": ({"vessels.feeder_2500.teu": 1800.0}, "relay", _carrier("vessel"), UP),
    "vessels.*.design_speed_kn": ({"vessels.feeder_2500.design_speed_kn": 17.0}, "relay", _carrier("fuel"), UP),
    "vessels.*.service_speed_kn": ({"vessels.neopanamax_14000.service_speed_kn": 13.0}, "canal", _days("sail"), UP),
    "vessels.*.design_fuel_t_per_day": ({"vessels.feeder_2500.design_fuel_t_per_day": 90.0}, "relay", _carrier("fuel"), UP),
    "vessels.*.aux_fuel_t_per_day": ({"vessels.feeder_2500.aux_fuel_t_per_day": 9.0}, "relay", _carrier("fuel"), UP),
    "vessels.*.port_fuel_t_per_day": ({"vessels.feeder_2500.port_fuel_t_per_day": 12.0}, "relay", _carrier("fuel"), UP),
    "vessels.*.charter_usd_per_day": ({"vessels.feeder_2500.charter_usd_per_day": 60_000}, "relay", _carrier("vessel"), UP),
    "vessels.*.gt": ({"vessels.feeder_2500.gt": 60_000.0}, "relay", _carrier("port"), UP),
    "vessels.*.loa_m": ({"vessels.feeder_2500.loa_m": 400.0}, "relay", _carrier("port"), UP),
    "vessels.*.fuel": ({"vessels.feeder_2500.fuel": "methanol_bio"}, "relay", _carrier("fuel"), UP),
    "vessels.*.moves_per_call": ({"vessels.feeder_2500.moves_per_call": 1500.0}, "relay", _days("port_call"), UP),
    # ---- services
    "services.*.vessel": ({"services.canal_loop.vessel": "post_panamax_8500"}, "canal", _carrier("vessel"), MOVES),
    "services.*.rotation": ({"services.asia_mexico_express.rotation": ["CNSHA", "CNTAO", "KRPUS", "MXZLO", "JPYOK"]},
                            "relay", _days("port_call"), UP),
    "services.*.headway_days": ({"services.asia_mexico_express.headway_days": 14.0}, "relay", _days("transshipment"), UP),
    "services.*.speed_kn": ({"services.asia_mexico_express.speed_kn": 12.0}, "relay", _days("sail"), UP),
    "services.*.avoid": ({"services.canal_loop.avoid": ["panama", "suez", "drake", "magellan"]}, "canal",
                         _carrier("canal"), DOWN),
    "services.*.utilisation": ({"services.asia_mexico_express.utilisation": 0.5}, "relay", _carrier("vessel"), UP),
    "services.*.fuel": ({"services.canal_loop.fuel": "methanol_bio"}, "canal", _carrier("fuel"), UP),
    "services.*.moves_per_call": ({"services.asia_mexico_express.moves_per_call": 3000.0}, "relay", DOOR, UP),
    # ---- chokepoints
    "chokepoints.*.capacity_per_day": ({"chokepoints.panama.capacity_per_day": 40.0}, "canal", _days("canal"), DOWN),
    # unbooked ships wait longer (with re-routing off: a carrier would send its ships round instead)
    "chokepoints.*.booked": ({"chokepoints.panama.booked": False}, "canal", _days("canal"), UP,
                             {"des.responses.reroute": False}),
    # against a quiet canal (the catalogue's traffic, inferred with ships diverting, is ~33 a day), for
    # unbooked ships: booked ones go first and barely wait at any traffic
    "chokepoints.*.demand_per_day": ({"chokepoints.panama.demand_per_day": 35.0}, "canal", _days("canal"), UP,
                                     {"chokepoints.panama.demand_per_day": 20.0, "chokepoints.panama.booked": False}),
    # unbooked ships over half a year: booked ones go first and barely feel the wait of the others
    "chokepoints.*.wait_days": ({"chokepoints.panama.wait_days": 4.0}, "canal", _days("canal"), UP,
                                {"chokepoints.panama.booked": False, "horizon_days": 180}),
    "chokepoints.*.transit_hours": ({"chokepoints.panama.transit_hours": 40.0}, "canal", _days("canal"), UP),
    "chokepoints.*.toll_usd": ({"chokepoints.panama.toll_usd": 3_000_000}, "canal", _carrier("canal"), UP),
    # ---- costs
    "costs.bunker_usd_per_t": ({"costs.bunker_usd_per_t": 900}, "relay", _carrier("fuel"), UP),
    "costs.carbon_usd_per_t": ({"costs.carbon_usd_per_t": 100}, "relay", _cost("carbon"), UP),
    # ---- the rules that price carbon (a Latin America - Asia route pays only the Net-Zero Framework what-if)
    "carbon_rules.imo_nzf": ({"carbon_rules.imo_nzf": True}, "relay", _carrier("emissions"), UP,
                             {"carbon_rules.year": 2030}),
    "carbon_rules.eu_ets": ({"carbon_rules.eu_ets": False}, "eu", _carrier("emissions"), DOWN, EU_ROUTE),
    "carbon_rules.fueleu": ({"carbon_rules.fueleu": False}, "eu", _carrier("emissions"), DOWN, EU_ROUTE),
    "costs.eu_ets_eur_per_t": ({"costs.eu_ets_eur_per_t": 150}, "eu", _carrier("emissions"), UP, EU_ROUTE),
    "costs.usd_per_eur": ({"costs.usd_per_eur": 1.5}, "eu", _carrier("emissions"), UP, EU_ROUTE),
    "carbon_rules.year": ({"carbon_rules.year": 2035}, "relay", _carrier("emissions"), UP,
                          {"carbon_rules.imo_nzf": True, "carbon_rules.year": 2030}),
    "costs.thc_origin_usd_per_teu": ({"costs.thc_origin_usd_per_teu": 900}, "canal", _cost("origin_charges"), UP),
    "costs.thc_destination_usd_per_teu": ({"costs.thc_destination_usd_per_teu": 900}, "canal",
                                          _cost("destination_charges"), UP),
    "costs.thc_origin_reefer_usd_per_teu": ({"costs.thc_origin_reefer_usd_per_teu": 900}, "relay",
                                            _cost("origin_charges"), UP),
    "costs.thc_destination_reefer_usd_per_teu": ({"costs.thc_destination_reefer_usd_per_teu": 900}, "relay",
                                                 _cost("destination_charges"), UP),
    "costs.port_call_usd": ({"costs.port_call_usd": 900_000}, "relay", _carrier("port"), UP),
    "costs.port_dues_usd_per_gt": ({"costs.port_dues_usd_per_gt": 2.0}, "relay", _carrier("port"), UP),
    "costs.pilotage_usd_per_gt": ({"costs.pilotage_usd_per_gt": 1.0}, "relay", _carrier("port"), UP),
    "costs.towage_usd_per_call": ({"costs.towage_usd_per_call": 60_000}, "relay", _carrier("port"), UP),
    "costs.berth_usd_per_m_hour": ({"costs.berth_usd_per_m_hour": 20.0}, "relay", _carrier("port"), UP),
    "costs.stevedoring_usd_per_move": ({"costs.stevedoring_usd_per_move": 400}, "relay", _carrier("stevedoring"), UP),
    "costs.teu_per_box": ({"costs.teu_per_box": 1.95}, "relay", _carrier("stevedoring"), DOWN),
    "costs.dry_box_usd_per_teu_day": ({"costs.dry_box_usd_per_teu_day": 5.0}, "canal", _carrier("equipment"), UP),
    "costs.reefer_power_kw_per_box": ({"costs.reefer_power_kw_per_box": 12.0}, "relay", _carrier("fuel"), UP),
    "costs.aux_sfoc_g_per_kwh": ({"costs.aux_sfoc_g_per_kwh": 300.0}, "relay", _carrier("fuel"), UP),
    "costs.empty_move_usd": ({"costs.empty_move_usd": 900}, "ev", _carrier("repositioning"), UP, EV_ROUTE),
    "costs.empty_depot_usd_per_box": ({"costs.empty_depot_usd_per_box": 400}, "ev", _carrier("repositioning"), UP,
                                      EV_ROUTE),
    "costs.overheads_usd_per_teu": ({"costs.overheads_usd_per_teu": 400}, "relay", _carrier("overheads"), UP),
    "costs.freight_usd_per_feu": ({"costs.freight_usd_per_feu": 12_000}, "relay", _cost("freight"), UP),
    "costs.freight_usd_per_teu": ({"costs.freight_usd_per_teu": 6_000}, "relay", _cost("freight"), UP),
    "costs.inventory_rate_per_year": ({"costs.inventory_rate_per_year": 0.3}, "relay", _cost("inventory"), UP),
    "costs.reefer_usd_per_teu_day": ({"costs.reefer_usd_per_teu_day": 60}, "relay", _carrier("equipment"), UP),
    "costs.reefer_plug_usd_per_teu_day": ({"costs.reefer_plug_usd_per_teu_day": 60}, "relay", _cost("reefer"), UP),
    "costs.vessel_utilisation": ({"costs.vessel_utilisation": 0.5}, "canal", _carrier("vessel"), UP),
    "costs.settlement_fee_rate": ({"costs.settlement_fee_rate": 0.05}, "relay", _cost("settlement"), UP),
    "costs.settlement_fee_rate_local_currency": ({"costs.settlement_fee_rate_local_currency": 0.05}, "relay",
                                                 _cost("settlement"), UP, LOCAL),
    "costs.local_currency_settlement": ({"costs.local_currency_settlement": True}, "relay", _cost("settlement"), DOWN),
    "costs.tariff_rate": ({"costs.tariff_rate": 0.2}, "relay", _cost("tariff"), UP),
    "costs.tariff_date": ({"costs.tariff_date": "2026-08-01"}, "ev", _cost("tariff"), UP, EV_ROUTE),
    "costs.charter_usd_per_day": ({"costs.charter_usd_per_day": {"feeder_2500": 70_000}}, "relay", _carrier("vessel"), UP),
    "costs.canal_toll_usd": ({"costs.canal_toll_usd": {"panama": 3_000_000}}, "canal", _carrier("canal"), UP),
    "costs.terminal_co2e_kg_per_teu_handled": ({"costs.terminal_co2e_kg_per_teu_handled": 60.0}, "relay",
                                               _m("co2e_wtw_t_per_teu"), UP),
    "costs.co2_t_per_t_fuel": ({"costs.co2_t_per_t_fuel": 3.8}, "relay", _m("co2_t_per_teu"), UP),
    # ---- freight (scenario-wide booking; routes.*.freight is the same section per route)
    "freight.date": ({"freight.date": "2025-11-20"}, "relay", _cost("freight"), UP),
    "freight.window": ({"freight.window": ["2025-10-01", "2025-12-31"]}, "relay", _cost("freight"), UP),
    "freight.usd_per_feu": ({"freight.usd_per_feu": 12_000}, "relay", _cost("freight"), UP),
    "freight.usd_per_teu": ({"freight.usd_per_teu": 6_000}, "relay", _cost("freight"), UP),
    "routes.*.freight": ({"routes.canal.freight.usd_per_teu": 3_000}, "canal", _cost("freight"), UP),
    # ---- operations
    "operations.weather_factor": ({"operations.weather_factor": 1.3}, "relay", _days("sail"), UP),
    "operations.lateness_days": ({"operations.lateness_days": "late(p=0.9, delay=gamma(mean=6, cv=0.5))"},
                                 "relay", DOOR, UP),
    "operations.call_fixed_hours": ({"operations.call_fixed_hours": 30.0}, "relay", _days("port_call"), UP),
    "operations.min_connection_days": ({"operations.min_connection_days": 4.0}, "relay", _days("transshipment"), UP),
    "operations.handling_cv": ({"operations.handling_cv": 1.5}, "relay", _m("transit_days", "sd"), MOVES),
    "operations.export_cutoff_days": ({"operations.export_cutoff_days": 6.0}, "relay", _days("origin_dwell"), UP),
    "operations.import_dwell_days": ({"operations.import_dwell_days": 9.0}, "relay", _days("destination_dwell"), UP),
    # ---- routes
    "routes.*.origin": ({"routes.canal.origin": "BRPNG"}, "canal", TRANSIT, MOVES, {"routes.canal": ADHOC_CANAL}),
    "routes.*.destination": ({"routes.relay.destination": "CNTAO"}, "relay", TRANSIT, MOVES),
    "routes.*.via": ({"routes.canal.via": ["PABLB"]}, "canal", _days("port_call"), UP, {"routes.canal": ADHOC_CANAL}),
    "routes.*.transship_at": ({"routes.relay.transship_at": ["KRPUS"],
                               "routes.relay.services": ["wcsa_busan_relay", "busan_shanghai_feeder"]},
                              "relay", TRANSIT, MOVES),
    "routes.*.avoid": ({"routes.canal.avoid": ["panama"]}, "canal", _carrier("canal"), DOWN,
                       {"services.canal_loop.avoid": ["suez", "drake", "magellan"], "routes.canal.avoid": ["good_hope"]}),
    "routes.*.service": ({"routes.relay.service": "andes_pendulum", "routes.relay.services": None,
                          "routes.relay.transship_at": []}, "relay", TRANSIT, MOVES),
    "routes.*.services": ({"routes.relay.services": ["wcsa_mexico_feeder", "andes_pendulum"]}, "relay",
                          TRANSIT, MOVES),
    "routes.*.vessel": ({"routes.canal.vessel": "post_panamax_8500"}, "canal", _carrier("vessel"), MOVES),
    "routes.*.speed_kn": ({"routes.canal.speed_kn": 12.0}, "canal", _days("sail"), UP),
    "routes.*.headway_days": ({"routes.canal.headway_days": 21.0}, "canal", _days("first_sailing"), UP),
    "routes.*.segments": ({"routes.canal": TWO_SEGMENTS}, "canal", DOOR, UP),
    "routes.*.segments.*.to": ({"routes.canal.segments[0].to": "PAMIT"}, "canal", TRANSIT, MOVES,
                               {"routes.canal": TWO_SEGMENTS}),
    "routes.*.overland.days": ({"routes.canal.overland.days": 9}, "canal", TRANSIT, UP, OVERLAND),
    "routes.*.overland.usd_per_teu": ({"routes.canal.overland.usd_per_teu": 2000}, "canal", _cost("overland"), UP,
                                      OVERLAND),
    "routes.*.overland.co2_t_per_teu": ({"routes.canal.overland.co2_t_per_teu": 1.5}, "canal", _m("co2_t_per_teu"),
                                        UP, OVERLAND),
    "routes.*.overland.country": ({"routes.canal.overland.country": "PE"}, "canal", _cost("tariff"), DOWN,
                                  {**OVERLAND, "routes.canal.cargo": {"commodity": "blueberries"},
                                   "costs.tariff_rate": None}),
    "routes.*.cargo": ({"routes.canal.cargo.teu": 2}, "canal", _cost("inventory"), DOWN),
    # ---- cargo (route patches take the same fields)
    "cargo.commodity": ({"cargo.commodity": "cherries"}, "relay", _cost("inventory"), MOVES,
                        {"cargo.value_usd": None}),
    "cargo.kind": ({"cargo.kind": "dry"}, "relay", _cost("reefer"), DOWN, {"cargo.shelf_life_days": None}),
    "cargo.teu": ({"cargo.teu": 2}, "relay", _cost("inventory"), DOWN),
    "cargo.value_usd": ({"cargo.value_usd": 200_000}, "relay", _cost("inventory"), UP),
    "cargo.shelf_life_days": ({"cargo.shelf_life_days": 30}, "relay", lambda r: r["spoiled_share"], UP),
    "cargo.atmosphere": ({"cargo.atmosphere": "air"}, "relay", lambda r: r["spoiled_share"], UP,
                         {"cargo.shelf_life_days": None}),
    "cargo.carry_temp_c": ({"cargo.carry_temp_c": 3.0}, "relay", _m("quality_loss_usd_per_teu"), UP),
    "cargo.terminal_temp_c": ({"cargo.terminal_temp_c": 8.0}, "relay", _m("quality_loss_usd_per_teu"), UP),
    "cargo.precool_hours": ({"cargo.precool_hours": 48.0}, "relay", _m("quality_loss_usd_per_teu"), UP),
    "cargo.reefer_failure": ({"cargo.reefer_failure": {"probability": 0.5, "days": 5, "temp_c": 15}}, "relay",
                             _m("quality_loss_usd_per_teu"), UP),
    # a season that ships two thirds of the blueberries in Oct-Nov puts more of them into a closure then
    "cargo.ready": ({"cargo.ready": "season"}, "relay", DOOR, UP, SEASON),
    # the calendar moves the cherries' arrival against Chinese New Year, and so their value
    "start_date": ({"start_date": "2025-12-20"}, "relay", _m("arrival_value_usd_per_teu"), DOWN,
                   {"start_date": "2025-11-01", "cargo.commodity": "cherries", "cargo.value_usd": None}),
    "cargo.origin_country": ({"cargo.origin_country": "AR"}, "relay", _cost("tariff"), UP, {"costs.tariff_rate": None}),
    # a smaller parcel shares the same voyage: more per tonne, more per vehicle
    "cargo.tonnes": ({"routes.ore.cargo.tonnes": 100_000.0}, "ore", _carrier("vessel"), UP, TRAMP),
    "cargo.vehicles": ({"routes.cars.cargo.vehicles": 3_000.0}, "cars", _carrier("vessel"), UP, TRAMP),
    "freight.usd_per_tonne": ({"freight.usd_per_tonne": 60}, "ore", _cost("freight"), UP, TRAMP),
    "freight.usd_per_vehicle": ({"freight.usd_per_vehicle": 3_000}, "cars", _cost("freight"), UP, TRAMP),
    # ---- disruptions
    "disruptions.*.kind": ({"disruptions[0].kind": "closure", "disruptions[0].extra_days": None}, "relay", DOOR, MOVES,
                           WEATHER),
    "disruptions.*.where": ({"disruptions[0].where": "CNSHA"}, "relay", DOOR, MOVES, WEATHER),
    "disruptions.*.from_day": ({"disruptions[0].from_day": 20}, "relay", DOOR, MOVES, WEATHER),
    "disruptions.*.days": ({"disruptions[0].days": 60}, "relay", DOOR, UP, WEATHER),
    "disruptions.*.factor": ({"disruptions[0].factor": 0.2}, "relay", DOOR, UP, CUT),
    "disruptions.*.extra_days": ({"disruptions[0].extra_days": 8}, "relay", DOOR, UP, WEATHER),
    # ---- engine-specific (the other engine warns)
    "routes.*.demand_teu_per_week": ({"routes.relay.demand_teu_per_week": 1500}, "relay", DOOR, UP),
    "chokepoints.*.booked_share": ({"chokepoints.panama.booked_share": 0.3}, "canal", _days("canal"), MOVES),
    # carriers' responses (the discrete-event engine only): each switched off where it fires
    "des.responses.blank_sailings": ({"des.responses.blank_sailings": False}, "canal", DOOR, MOVES, HELD),
    "des.responses.added_ships": ({"des.responses.added_ships": False}, "canal", DOOR, MOVES, HELD),
    # a box boards the first sailing that leaves, so re-timing moves the relay's connection at its hub
    # (with the ships held at Shanghai: a ship that omits the closed call is not held, and no re-basing is needed)
    "des.responses.rebase": ({"des.responses.rebase": False}, "relay", DOOR, MOVES,
                             {**HELD, "des.responses.blank_sailings": False, "des.responses.added_ships": False,
                              "des.responses.omit_calls": False}),
    "des.responses.reroute": ({"des.responses.reroute": False}, "canal", DOOR, UP, DROUGHT),
    "des.responses.omit_calls": ({"des.responses.omit_calls": False}, "relay", DOOR, UP, SKIPPED),
}

NOT_PHYSICS = {
    "name": "a label", "extends": "file composition", "seed": "run option", "replications": "run option",
    "engine": "run option", "horizon_days": "the study window (tested with disruptions in test_montecarlo)",
    "montecarlo": "run options: speed and memory, never the numbers (test_montecarlo)",
    "des.replications": "run option", "des.warmup_days": "run option (test_des_engine)",
    "des.independent_sailings": "the Monte Carlo engine's view, to check the engines agree (test_des_engine)",
    "des.workers": "run option: speed only, never the numbers (test_des_engine)",
    "description": "a label", "routes.*.description": "a label",
    "vessels.*.base": "selects the class a new one copies (test_scenario)", "vessels.*.name": "a label",
    "vessels.*.dwt": "rates the deployed ship (IMO CII in Results.emissions(), test_carbon_rules); no days, money or CO2e",
    "services.*.operator": "a label", "services.*.description": "a label", "services.*.source": "a citation",
    "routes.*.overland.start": "a place name", "routes.*.overland.assumption": "a stated assumption",
    "routes.*.overland.distance_km": "stated for reference; the leg's days and cost are given",
    "routes.*.segments.*.service": "as routes.*.service", "routes.*.segments.*.vessel": "as routes.*.vessel",
    "routes.*.segments.*.speed_kn": "as routes.*.speed_kn",
    "routes.*.segments.*.headway_days": "as routes.*.headway_days",
    "routes.*.segments.*.via": "as routes.*.via", "routes.*.segments.*.avoid": "as routes.*.avoid",
    "disruptions.*.note": "a label",
    "ports.*.name": "a label", "ports.*.coords_source": "a citation", "ports.*.aliases": "other names",
    "cargo.market_holiday": "names the holiday whose share of arrivals before it is reported (test_perishables)",
}
"""Schema fields (or prefixes of fields) that describe rather than act, with the reason."""


def _schema_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted paths of every leaf field (``*`` for mapping keys and list items)."""
    out = []
    for name, info in model.model_fields.items():
        path = prefix + name
        sub, contained = _inner_model(info.annotation)
        if sub is None:
            out.append(path)
        else:
            out += _schema_fields(sub, path + (".*." if contained else "."))
    return out


def _inner_model(tp) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model inside an annotation, and whether it sits in a mapping or a list."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp, False
    for arg in typing.get_args(tp):
        model, contained = _inner_model(arg)
        if model is not None:
            return model, contained or typing.get_origin(tp) in (dict, list)
    return None, False


def _covered(path: str, table) -> bool:
    return any(path == key or path.startswith(key + ".") for key in table)


def test_every_schema_field_is_covered():
    fields = _schema_fields(Scenario)
    assert "ports.*.berth_wait_days" in fields and "routes.*.segments.*.to" in fields  # the walk reaches down
    missing = [f for f in fields if not _covered(f, FIELDS) and not _covered(f, NOT_PHYSICS)]
    assert not missing, f"schema fields with no row in FIELDS or NOT_PHYSICS: {missing}"
    for pattern in ENGINE_ONLY:
        assert pattern in FIELDS, pattern


def _scenario(*layers: dict | None) -> Scenario:
    s = Scenario.from_dict(copy.deepcopy(BASE))
    for layer in layers:
        if layer:
            s = s.with_overrides(copy.deepcopy(layer))
    return s


def _value(engine: str, s: Scenario, route: str, metric):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = run(s, engine=engine, replications=None if engine == "des" else 3000)
    return metric(res.to_dict()["routes"][route]), [str(w.message) for w in caught
                                                    if issubclass(w.category, RoutesimWarning)]


@pytest.mark.parametrize("engine", ["montecarlo", "des"])
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_the_field_moves_the_engine(field, engine):
    change, route, metric, direction, *ctx = FIELDS[field]
    context = ctx[0] if ctx else None
    base, _ = _value(engine, _scenario(context), route, metric)
    new, warned = _value(engine, _scenario(context, change), route, metric)
    only = next((ENGINE_ONLY[p][0] for p in ENGINE_ONLY if p == field), None)
    if only is not None and only != engine:
        assert any(field.split(".")[0] in w and field.split(".")[-1] in w for w in warned), warned
        return
    if direction == UP:
        assert new > base, (base, new)
    elif direction == DOWN:
        assert new < base, (base, new)
    else:
        assert new != base, (base, new)
