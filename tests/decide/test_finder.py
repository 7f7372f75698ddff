"""The route finder: rankings that hold, the Santos orderings, the Pareto front."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routesim
from routesim.choices import BEST_OBJECTIVES
from routesim.decide import OBJECTIVES, best, pareto_front
from routesim.errors import RoutesimError, UnknownNameError

from conftest import SCENARIOS


@pytest.fixture(scope="module")
def peru():
    return best("PECHY", "CNSHA", cargo="blueberries", replications=1500, seed=5, teu=2)


def test_peru_blueberries_rank_chancay_direct_first_on_cost_and_days(peru):
    assert peru.winner == "cosco_chancay_shanghai"
    t = peru.table
    assert t["door_days_mean"].idxmin() == "cosco_chancay_shanghai"
    assert t["cost_usd_per_teu_mean"].idxmin() == "cosco_chancay_shanghai"
    assert t.loc["cosco_chancay_shanghai", "pareto"]
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    assert any("PECLL" in n and "no drayage cost" in n for n in peru.notes)
    by_days = best("PECHY", "CNSHA", cargo="blueberries", replications=300, seed=5, teu=2, objective="door_days")
    assert by_days.winner == "cosco_chancay_shanghai"
    assert by_days.table["door_days_mean"].is_monotonic_increasing


def test_santos_reproduces_the_orderings_of_the_santos_scenario():
    n, seed = 2000, 7
    found = best("BRSSZ", "CNSHA", cargo="general_cargo", replications=n, seed=seed).table
    ref = routesim.run(SCENARIOS / "santos_to_shanghai.yaml", replications=n, seed=seed).summary()
    pairs = {"via_cape": "hmm_fil", "via_magellan": "whatif_magellan_post_panamax_8500_15_4kn",
             "via_panama": "whatif_panama_post_panamax_8500_15_4kn"}
    for metric in ("door_days_mean", "transit_days_mean", "co2e_wtw_t_per_teu_mean"):
        want = [pairs[r] for r in ref.loc[list(pairs), metric].sort_values().index]
        got = list(found.loc[list(pairs.values()), metric].sort_values().index)
        assert got == want, metric


def test_a_p95_limit_ranks_the_slow_routings_last(peru):
    limit = float(peru.table["door_days_p95"].median())
    t = best("PECHY", "CNSHA", cargo="blueberries", replications=1500, seed=5, teu=2,
             max_p95_door_days=limit).table
    within = t["within_p95"].to_numpy()
    assert within.any() and not within.all()
    assert (np.diff(within.astype(int)) <= 0).all()  # all within first
    assert ((t["door_days_p95"] <= limit) == t["within_p95"]).all()


def test_missing_costs_rank_by_days_and_say_why():
    found = best("BRSSZ", "CNSHA", cargo="general_cargo", replications=200, seed=1)
    assert found.table["cost_usd_per_teu_mean"].isna().all()
    assert found.table["door_days_mean"].is_monotonic_increasing
    assert any("no cost figure for all candidates" in n for n in found.notes)
    assert any("missing from the landed cost" in n and "no published dry freight" in n for n in found.notes)
    d = found.to_dict()
    assert d["candidates"][0]["cost_usd_per_teu_mean"] is None and d["pareto"]


def test_a_date_books_that_week():
    found = best("PECHY", "CNSHA", cargo="blueberries", replications=200, seed=1, date="2025-03-03")
    s = found.results
    assert found.winner and np.isfinite(found.table["cost_usd_per_teu_mean"]).all()
    assert s.replications == 200


def test_the_cli_offers_every_objective():
    assert tuple(OBJECTIVES) == BEST_OBJECTIVES


def test_bad_input_is_refused():
    with pytest.raises(UnknownNameError, match="blueberries"):
        best("PECHY", "CNSHA", cargo="bluberries")
    with pytest.raises(RoutesimError, match="does not perish"):
        best("PECHY", "CNSHA", cargo="general_cargo", objective="value")
    with pytest.raises(RoutesimError, match="unknown objective"):
        best("PECHY", "CNSHA", cargo="blueberries", objective="speed")
    with pytest.raises(RoutesimError, match="YYYY-MM-DD"):
        best("PECHY", "CNSHA", cargo="blueberries", date="March")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=3, max_size=3), min_size=1, max_size=12))
def test_pareto_front_is_the_undominated_set(rows):
    v = np.array(rows, dtype=float)
    front = pareto_front(v)
    assert front.any()

    def dominates(a, b):
        return bool(np.all(a <= b) and np.any(a < b))

    for i in range(len(v)):
        beaten = any(dominates(v[j], v[i]) for j in range(len(v)))
        assert front[i] == (not beaten)
