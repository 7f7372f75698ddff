"""scenarios/green_corridor.yaml (#12): Shanghai-Chancay on methanol dual-fuel ships against VLSFO."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import routesim
from routesim.emissions import abatement_cost_usd_per_t
from routesim.results.emissions import corridor_table, corridor_text

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "green_corridor.yaml"


@pytest.fixture(scope="module")
def res():
    return routesim.run(routesim.load_scenario(SCENARIO), replications=3000)


def test_methanol_ships_sail_the_same_days_cost_more_and_emit_less(res):
    t = corridor_table(res, "conventional", "bio_methanol")
    conv, bio = t.loc["conventional"], t.loc["bio_methanol"]
    assert (conv["fuel"], bio["fuel"]) == ("vlsfo", "methanol_bio")
    assert bio["transit_days"] == pytest.approx(conv["transit_days"], rel=0.01)  # same hull and speed
    assert bio["carrier_cost_usd_per_teu"] > conv["carrier_cost_usd_per_teu"]
    assert bio["co2e_wtw_t_per_teu"] < 0.5 * conv["co2e_wtw_t_per_teu"]
    assert bio["abatement_usd_per_t_co2e"] == pytest.approx(float(abatement_cost_usd_per_t(
        bio["carrier_cost_usd_per_teu"], bio["co2e_wtw_t_per_teu"],
        conv["carrier_cost_usd_per_teu"], conv["co2e_wtw_t_per_teu"])), rel=1e-12)
    assert 100 < bio["abatement_usd_per_t_co2e"] < 5000
    assert math.isnan(conv["abatement_usd_per_t_co2e"])


def test_e_methanol_avoids_more_at_a_higher_price(res):
    bio = corridor_table(res, "conventional", "bio_methanol").loc["bio_methanol"]
    e = corridor_table(res, "conventional", "e_methanol").loc["e_methanol"]
    assert e["co2e_avoided_t_per_teu"] > bio["co2e_avoided_t_per_teu"]
    assert e["abatement_usd_per_t_co2e"] > bio["abatement_usd_per_t_co2e"]


def test_the_corridor_is_printed(res):
    text = corridor_text(res, "conventional", "bio_methanol")
    assert "USD per t CO2e avoided" in text and "methanol_bio" in text and "g/TEU-km" in text
