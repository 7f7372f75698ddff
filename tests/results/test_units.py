"""Money per TEU, FEU, tonne and unit; the JSON contract of the money figures."""

import json

import numpy as np
import pytest

import routesim
from routesim.errors import RoutesimError
from routesim.scenario import Scenario


@pytest.fixture(scope="module")
def res():
    s = Scenario.from_dict({"name": "u", "seed": 2, "replications": 500, "cargo": {"commodity": "blueberries", "teu": 2},
                            "routes": {"d": {"origin": "PECHY", "destination": "CNSHA",
                                             "service": "cosco_chancay_shanghai"}}})
    return routesim.run(s)


def test_per_feu_doubles_every_money_figure(res):
    teu, feu = res["d"], res.in_units("feu")["d"]
    for m in ("cost_usd_per_teu", "freight_usd_per_teu", "carrier_cost_usd_per_teu", "logistics_usd_per_teu"):
        assert feu.metrics[m].mean == pytest.approx(2 * teu.metrics[m].mean)
        assert feu.metrics[m].p95 == pytest.approx(2 * teu.metrics[m].p95)
    assert feu.metrics["transit_days"].mean == teu.metrics["transit_days"].mean
    assert feu.cost_by_component["freight"] == pytest.approx(2 * teu.cost_by_component["freight"])


def test_per_tonne_uses_the_commodity_load(res):
    t = res.in_units("tonne")["d"]
    load = res["d"].info["cargo"]["t_per_teu"]
    assert t.metrics["cost_usd_per_teu"].mean == pytest.approx(res["d"].metrics["cost_usd_per_teu"].mean / load)
    assert res.summary(per="tonne")["per"].iloc[0] == "tonne"


def test_per_unit_needs_a_unit(res):
    with pytest.raises(RoutesimError, match="not priced in units"):
        res.in_units("unit")


def test_per_vehicle_for_cars():
    s = Scenario.from_dict({"name": "ev", "seed": 2, "replications": 300, "cargo": {"commodity": "evs", "teu": 2},
                            "routes": {"d": {"origin": "CNSHA", "destination": "BRSSZ", "service": "hmm_fil"}}})
    r = routesim.run(s)
    v = r.in_units("unit")
    assert v["d"].metrics["freight_usd_per_teu"].mean == pytest.approx(r["d"].metrics["freight_usd_per_teu"].mean / 2)
    assert "USD/vehicle" in v.table()


def test_json_contract(res):
    d = json.loads(res.in_units("feu").to_json())
    assert d["per"] == "feu"
    r = d["routes"]["d"]
    for m in ("carrier_cost_usd_per_teu", "freight_usd_per_teu"):
        assert set(r[m]) == {"mean", "median", "p5", "p95", "sd", "ci95"}
    assert set(r["cost_by_group"]) == {"logistics", "trade", "carbon"}
    groups = sum(v for v in r["cost_by_group"].values())
    assert groups == pytest.approx(r["cost_usd_per_teu"]["mean"], rel=1e-9)
    comps = sum(v for v in r["cost_by_component"].values() if v is not None)
    assert comps == pytest.approx(r["cost_usd_per_teu"]["mean"], rel=1e-9)


def test_landed_cost_is_its_groups_per_shipment(res):
    df = res.shipments
    total = df["logistics_usd_per_teu"] + df["trade_usd_per_teu"] + df["cost_carbon"]
    assert np.allclose(total, df["cost_usd_per_teu"])
