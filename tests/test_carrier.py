"""The carrier's cost: round voyages, allocation that conserves money, monotone in the bunker price."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routesim import carrier as cc
from routesim import reconcile
from routesim.plan import compile_plan
from routesim.plan.voyages import leg_directions, loop_trade
from routesim.scenario import Scenario


@settings(max_examples=60, deadline=None)
@given(head=st.floats(0.05, 1.0), back=st.floats(0.05, 1.0), days=st.lists(st.floats(0.5, 30), min_size=3, max_size=3),
       cost=st.floats(1e4, 1e7), move=st.floats(0, 300), per_box=st.floats(1.0, 2.0))
def test_allocation_conserves_the_rotation_cost(head, back, days, cost, move, per_box):
    """Boxes filling a round voyage (headhaul, coastal, backhaul legs) pay back exactly its cost plus the empties' lifts."""
    cap = 1000.0
    direction = [1, 0, -1]
    full, empty = cc.leg_loads(cap, direction, head, back)
    occ = cc.occupied_teu_days(days, full, empty)
    rate = cost / occ
    heavy = cap * max(head, back)
    repo = cc.repositioning_per_heavy_teu(rate, days, empty, heavy, move, per_box)
    # every full TEU aboard each leg is a box paying its days there
    box_teu_days = [d * f for d, f in zip(days, full)]
    total = cc.allocated_total_usd(rate, box_teu_days, heavy, repo)
    lifts = 2 * float(np.max(empty)) / per_box * move
    assert total == pytest.approx(cost + lifts, rel=1e-9)


def test_leg_loads_put_the_imbalance_on_the_light_direction():
    full, empty = cc.leg_loads(1000, [1, -1], 0.9, 0.4)
    assert full.tolist() == [900.0, 400.0]
    assert empty.tolist() == [0.0, 500.0]
    full, empty = cc.leg_loads(1000, [1, -1], 0.3, 0.8)
    assert empty.tolist() == [500.0, 0.0]


def test_loop_directions_and_trade():
    assert leg_directions(["asia", "wcsa"]) == [1, -1]
    trades = {"asia_wcsa": ("asia", "wcsa"), "asia_mexico": ("asia", "central_america")}
    assert loop_trade(["asia", "central_america", "wcsa", "wcsa"], trades) == "asia_wcsa"
    assert loop_trade(["wcsa", "central_america"], trades) == "regional"


def _run(bunker, engine="montecarlo", n=400):
    s = Scenario.from_dict({"name": "b", "seed": 3, "replications": n, "costs": {"bunker_usd_per_t": bunker},
                            "cargo": {"commodity": "blueberries", "teu": 2},
                            "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA",
                                                  "service": "cosco_chancay_shanghai"}}})
    import routesim

    return routesim.run(s, engine=engine)


def test_higher_bunker_never_lowers_carrier_cost_or_freight():
    lo, hi = _run(400.0), _run(700.0)
    for col in ("carrier_fuel", "carrier_cost_usd_per_teu", "freight_usd_per_teu"):
        a, b = lo.shipments[col].to_numpy(), hi.shipments[col].to_numpy()
        assert np.all(b >= a - 1e-9), col
    assert hi["direct"].metrics["carrier_cost_usd_per_teu"].mean > lo["direct"].metrics["carrier_cost_usd_per_teu"].mean


def test_round_voyage_covers_both_directions():
    s = Scenario.from_dict({"name": "v", "routes": {"d": {"origin": "PECHY", "destination": "CNSHA",
                                                            "service": "cosco_chancay_shanghai"}}})
    seg = compile_plan(s).routes["d"].segments[0]
    voy = seg.voyage
    assert voy.legs == (("PECHY", "CNSHA"), ("CNSHA", "PECHY"))
    assert voy.direction == (-1, 1) and seg.direction == -1
    # Chancay -> Shanghai is the backhaul: its boxes fill fewer slots than the headhaul's
    assert voy.backhaul_share < voy.headhaul_share
    assert voy.round_days == pytest.approx(sum(voy.days))
    assert voy.round_days > 2 * seg.scheduled_days * 0.95


def test_carrier_components_add_up():
    res = _run(535.0)
    df = res.shipments
    parts = sum(df[f"carrier_{c}"] for c in cc.CARRIER_COMPONENTS)
    assert np.allclose(parts, df["carrier_cost_usd_per_teu"])


def test_reconciliation_is_reported_for_every_disclosure():
    df = reconcile.reconciliation()
    assert len(df) >= 5
    assert (df["ratio"] > 0).all()
    # a cheaper bunker lowers the network average
    assert reconcile.network_unit_cost(200.0) < reconcile.network_unit_cost(600.0)
