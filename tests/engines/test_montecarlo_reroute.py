"""Carriers re-route round a canal in the Monte Carlo engine too, by the discrete-event engine's rule.

A shipment whose carrier, leaving the call before the canal, expects a wait (the extra queue of a
capacity cut, averaged over the service's last sailings) beyond the way round's extra days plus the
margin goes the way round (:func:`routesim.plan.responses.reroute_pays`); both ways are drawn for
every shipment, so the choice never changes the other draws.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import routesim
from routesim.plan import compile_plan
from routesim.plan.responses import reroute_pays
from routesim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def drought(**over):
    s = load_scenario(ROOT / "scenarios" / "panama_drought.yaml")
    s = s.with_overrides({"replications": 6000, "montecarlo.keep_shipments": True, **over})
    return s


@pytest.fixture(scope="module")
def runs():
    out = {}
    for name, over in {"on": {}, "off": {"des.responses.reroute": False}}.items():
        res = routesim.run(drought(**over), engine="montecarlo")
        out[name] = res.shipments
    return out


def test_the_plan_carries_the_way_round_each_canal_passage():
    plan = compile_plan(drought())
    r = plan.routes["yokohama_pecem_panama"].rounds
    assert len(r) == 1 and r[0].canal == "panama"
    assert not any(leg.kind == "canal" and leg.place == "panama" for leg in r[0].legs)
    # Yokohama-Pecem: ~1,500 nm (3.7 days at 17 kn) longer round the Cape, less the locks' pro-forma
    assert 1.0 < r[0].extra_days < 3.7
    assert plan.routes["shanghai_santos_panama"].rounds[0].extra_days < 0  # the Cape is shorter from Shanghai
    assert plan.routes["yokohama_pecem_cape"].rounds == ()
    assert compile_plan(drought(**{"des.responses.reroute": False})).routes["yokohama_pecem_panama"].rounds == ()


def test_in_the_drought_ships_go_round_and_door_days_fall(runs):
    on, off = runs["on"], runs["off"]
    for route in ("yokohama_pecem_panama", "shanghai_santos_panama"):
        a, b = on[on["route"] == route], off[off["route"] == route]
        assert a["door_days"].mean() < b["door_days"].mean() - 3.0, route
        gone = a["days_canal"] == 0.0
        assert 0.2 < gone.mean() < 1.0, route   # some sailed before the queue grew
        assert (b["days_canal"] > 0).all()
        # who goes round sails longer than who queues (Yokohama) and never waits at the canal
    y = on[on["route"] == "yokohama_pecem_panama"]
    assert y.loc[y["days_canal"] == 0, "days_sail"].mean() > y.loc[y["days_canal"] > 0, "days_sail"].mean() + 2.0
    # the Cape routes pass no canal: untouched, draw for draw
    for route in ("yokohama_pecem_cape", "shanghai_santos_cape"):
        pd.testing.assert_series_equal(on.loc[on["route"] == route, "door_days"],
                                       off.loc[off["route"] == route, "door_days"])


def test_who_goes_round_follows_the_rule(runs):
    """Re-routed shipments left their call when the queue was long: late in the cut, not before it."""
    y = runs["on"][runs["on"]["route"] == "yokohama_pecem_panama"]
    ready = y["ready_day"].to_numpy()
    gone = (y["days_canal"] == 0.0).to_numpy()
    # the deep cuts start on day 94 (Nov 2023): before it, the 22-of-26 Panamax cut leaves the
    # Neopanamax locks (this ship's) untouched and nobody goes round
    assert not gone[ready < 60].any()
    assert gone[(ready > 130) & (ready < 200)].mean() > 0.8


def test_without_trouble_at_the_canal_the_numbers_are_those_without_re_routing():
    calm = {"disruptions": [], "horizon_days": 60, "replications": 2000}
    a = routesim.run(drought(**calm), engine="montecarlo").shipments
    b = routesim.run(drought(**calm, **{"des.responses.reroute": False}), engine="montecarlo").shipments
    pd.testing.assert_frame_equal(a, b)


def test_the_rule_takes_arrays():
    pays = reroute_pays(np.array([1.0, 5.0, 9.0]), 1.0, 3.0, 3.0)
    assert pays.tolist() == [False, False, True]
    assert reroute_pays(np.array([5.0]), 1.0, -2.0, 3.0).tolist() == [True]  # a shorter way round counts as 0
