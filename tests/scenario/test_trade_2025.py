"""scenarios/trade_2025.yaml (issue 13, item 2): the Asia - Latin America liner trade as data.

The file must validate and compile, list at least 40 weekly services of record (each with a
dated public source), give every service a route (the discrete-event engine sails only the
services routes use), and carry the trade's loaded demand by port pair: >= 5 M TEU over a year,
split so that the regional totals of the file's header add up. Its own calls must not overfill
any port (the engine's background traffic is a port's published traffic less them), and the
Panama Canal's traffic is the record's. The discrete-event engine is not run here (too slow on
the whole trade until cargo moves as lots); a small Monte Carlo run on two routes is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import routesim
from routesim import catalogue
from routesim.engines.des.engine import compile_model
from routesim.errors import RoutesimWarning
from routesim.plan import compile_plan
from routesim.scenario import load_scenario

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "trade_2025.yaml"
DAYS_PER_YEAR = 365.25
# the header's regional totals (TEU per week), [WCSA-S] ... [MEXICO-N]
REGIONAL = {"wcsa": 29_131 + 14_073, "ecsa": 23_650 + 9_813, "mexico": 26_419 + 15_915}
REGION_OF = {"PE": "wcsa", "CL": "wcsa", "EC": "wcsa", "CO": "wcsa", "MX": "mexico", "BR": "ecsa", "AR": "ecsa",
             "UY": "ecsa"}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(PATH)


@pytest.fixture(scope="module")
def plan(scenario):
    return compile_plan(scenario)


def test_it_lists_at_least_40_weekly_services_each_with_a_dated_public_source(scenario):
    weekly = {n: s for n, s in scenario.services.items() if s.headway_days == 7}
    assert len(weekly) >= 40
    for name, s in scenario.services.items():
        assert s.operator and s.vessel and s.speed_kn and s.description, name
        assert re.search(r"https?://\S+", s.source or ""), name
        assert re.search(r"\b(19|20)\d\d\b", s.source), name  # the date it was read from
        assert name not in catalogue.services(), f"{name} would shadow a catalogue service"
    # the trade's three coasts and Chancay are all there
    calls = {c for s in weekly.values() for c in s.rotation}
    assert {"PECHY", "PECLL", "CLSAI", "MXZLO", "MXLZC", "BRSSZ", "ARBUE", "PABLB"} <= calls


def test_every_service_is_sailed_by_some_route(scenario):
    used = set()
    for r in scenario.routes.values():
        used.update(seg.service for seg in r.resolved_segments())
    assert set(scenario.services) <= used


def test_demand_is_the_trade_by_port_pair_over_5_million_teu_a_year(scenario):
    weekly = {n: r.demand_teu_per_week.mean for n, r in scenario.routes.items() if r.demand_teu_per_week is not None}
    assert sum(weekly.values()) * DAYS_PER_YEAR / 7 >= 5e6
    by_region = dict.fromkeys(REGIONAL, 0.0)
    ports = catalogue.ports()
    for name, teu in weekly.items():
        r = scenario.routes[name]
        latam = r.destination if ports[r.origin].country not in REGION_OF else r.origin
        by_region[REGION_OF[ports[latam].country]] += teu
        assert "TEU/week" in r.description and "annual_teu" in r.description, name  # its arithmetic
    for region, total in REGIONAL.items():  # rounding to whole TEU per route only
        assert by_region[region] == pytest.approx(total, abs=len(weekly)), region


def test_it_compiles_and_its_own_calls_leave_room_for_every_ports_published_traffic(scenario, plan):
    assert set(plan.routes) == set(scenario.routes)
    model = compile_model(plan)
    assert {key[0] for key in model.services} == set(scenario.services)
    for code, port in plan.ports.items():
        own = sum(float(port.handling_days(s.vessel.moves_per_call)) / s.headway_days
                  for s in model.services.values() for c in s.calls if c == code)
        assert own < port.utilisation * port.berths, code  # berth-days a day
        assert model.background_per_day[code] > 0, code
    panama = plan.chokepoints["panama"]
    assert panama.background_per_day == pytest.approx(31.1)
    assert panama.utilisation < 1


def test_a_small_monte_carlo_run_on_two_of_its_routes(scenario):
    keep = ["cosco_wsa3__CNSHA_PECHY", "msc_mexicas__CNNGB_MXZLO"]
    s = scenario.with_overrides({f"routes.{n}": None for n in scenario.routes if n not in keep})
    with pytest.warns(RoutesimWarning, match="used by the des engine only"):  # demand is the DES's
        res = routesim.run(s, replications=200)
    assert set(res.routes) == set(keep)
    for name in keep:
        transit = res.routes[name].metrics["transit_days"].mean
        assert 15 < transit < 60, (name, transit)
