"""Results (routesim.results: summaries, export, plots) and the Python API (routesim.run/compare)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import routesim
from routesim.costs import COMPONENTS
from routesim._atomic import MARKER
from routesim.carrier import CARRIER_COMPONENTS
from routesim.errors import RoutesimError
from routesim.engines.montecarlo import run_montecarlo
from routesim.plan import KINDS, compile_plan
from routesim.results import METRICS, Results

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
STUDY = SCENARIOS / "chancay_vs_callao.yaml"
Z95 = 1.959963984540054
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def scenario():
    return routesim.load_scenario(STUDY)


@pytest.fixture(scope="module")
def res(scenario):
    return routesim.run(scenario, replications=3000, seed=11, montecarlo__keep_shipments=True)


@pytest.fixture(scope="module")
def streamed(scenario):
    return run_montecarlo(compile_plan(scenario), replications=3000, seed=11, keep_shipments=False)


# ---------------------------------------------------------------- API
def test_api_run_returns_results_for_every_route(res, scenario):
    assert isinstance(res, Results)
    assert res.engine == "montecarlo" and res.seed == 11 and res.replications == 3000
    assert res.scenario == scenario.name
    assert list(res.routes) == list(scenario.routes)
    assert all(r.n == 3000 for r in res.routes.values())
    assert len(res.shipments) == 3000 * len(scenario.routes)  # small run: the table is kept
    assert set(res.shipments["route"].unique()) == set(scenario.routes)


def test_api_accepts_a_path_and_defaults_to_the_scenario_seed(scenario):
    a = routesim.run(str(STUDY), engine="montecarlo", replications=500)
    b = routesim.run(scenario, replications=500, seed=scenario.seed)
    assert a.seed == scenario.seed
    assert a.to_json() == b.to_json()


def test_api_overrides_as_keywords_or_mapping(scenario):
    base = routesim.run(scenario, replications=500, seed=3)
    kw = routesim.run(scenario, replications=500, seed=3, costs__bunker_usd_per_t=1070)
    mapping = routesim.run(scenario, replications=500, seed=3, overrides={"costs.bunker_usd_per_t": 1070})
    assert kw.to_json() == mapping.to_json()
    for name in base.routes:
        assert kw[name].carrier_by_component["fuel"] == pytest.approx(2 * base[name].carrier_by_component["fuel"],
                                                                       rel=1e-12)
        assert kw[name].metrics["door_days"].mean == base[name].metrics["door_days"].mean


def test_api_rejects_an_unknown_engine(scenario):
    with pytest.raises(RoutesimError, match="unknown engine"):
        routesim.run(scenario, engine="montecarl", replications=10)


# ---------------------------------------------------------------- summary
def test_summary_by_route_matches_the_shipment_table(res):
    s = res.summary()
    assert list(s.index) == list(res.routes)
    for m in METRICS:
        for stat in ("mean", "median", "p5", "p95", "ci_low", "ci_high"):
            assert f"{m}_{stat}" in s.columns
    t = res.shipments
    for name in res.routes:
        sub = t[t["route"] == name]
        assert s.loc[name, "n"] == len(sub)
        for m in METRICS:
            x = sub[m].to_numpy(dtype=float)
            assert s.loc[name, f"{m}_mean"] == pytest.approx(x.mean(), rel=1e-12)
            p5, med, p95 = np.quantile(x, [0.05, 0.5, 0.95])
            assert s.loc[name, f"{m}_median"] == pytest.approx(med, rel=1e-12)
            assert s.loc[name, f"{m}_p5"] == pytest.approx(p5, rel=1e-12)
            assert s.loc[name, f"{m}_p95"] == pytest.approx(p95, rel=1e-12)
            half = Z95 * x.std(ddof=1) / math.sqrt(x.size)
            assert s.loc[name, f"{m}_ci_low"] == pytest.approx(x.mean() - half, rel=1e-9, abs=1e-9)
            assert s.loc[name, f"{m}_ci_high"] == pytest.approx(x.mean() + half, rel=1e-9, abs=1e-9)
        assert s.loc[name, "spoiled_share"] == pytest.approx(sub["spoiled"].mean(), abs=1e-15)
    assert s.loc["callao_pendulum", "spoiled_share"] > 0  # blueberries on a long route do spoil


def test_streamed_summary_has_the_same_means_and_close_quantiles(res, streamed):
    a, b = res.summary(), streamed.summary()
    assert streamed.shipments is None
    for c in a.columns:
        if c.endswith(("_mean", "_ci_low", "_ci_high")) or c in ("n", "per", "spoiled_share"):
            np.testing.assert_array_equal(a[c].to_numpy(), b[c].to_numpy(), err_msg=c)
        elif c.startswith("quality_loss"):  # sparse over many orders of magnitude: neighbouring
            # order statistics lie far apart, so interpolated and lower quantiles differ by more
            np.testing.assert_allclose(b[c].to_numpy(), a[c].to_numpy(), rtol=2e-2, atol=1e-9, err_msg=c)
        elif c.endswith(("_median", "_p5", "_p95")):  # exact (interpolated) vs sketch (lower quantile within 0.1 %)
            np.testing.assert_allclose(b[c].to_numpy(), a[c].to_numpy(), rtol=3e-3, err_msg=c)
        else:  # condition shares: means, exact in both
            np.testing.assert_allclose(b[c].to_numpy(), a[c].to_numpy(), rtol=1e-12, err_msg=c)


def test_breakdown_adds_up(res):
    b = res.breakdown()
    assert list(b.index) == list(res.routes)
    assert set(b.columns.get_level_values(0)) == {"days", "usd_per_teu", "carrier_usd_per_teu"}
    for name in res.routes:
        days = sum(b.loc[name, ("days", k)] for k in KINDS)
        assert days == pytest.approx(b.loc[name, ("days", "door")], rel=1e-12)
        usd = sum(b.loc[name, ("usd_per_teu", c)] for c in COMPONENTS)
        assert usd == pytest.approx(b.loc[name, ("usd_per_teu", "total")], rel=1e-12)
        carrier = sum(b.loc[name, ("carrier_usd_per_teu", c)] for c in CARRIER_COMPONENTS)
        assert carrier == pytest.approx(b.loc[name, ("carrier_usd_per_teu", "total")], rel=1e-12)
        assert carrier == pytest.approx(res[name].metrics["carrier_cost_usd_per_teu"].mean, rel=1e-12)
        sub = res.shipments[res.shipments["route"] == name]
        assert b.loc[name, ("days", "transshipment")] == pytest.approx(sub["days_transshipment"].mean(), rel=1e-12)
    assert b.loc["chancay_direct", ("days", "transshipment")] == 0
    assert b.loc["callao_via_manzanillo", ("days", "transshipment")] > 0
    # a relay lifts the box twice: four moves, two ships' days, against two moves on the direct ship
    assert (b.loc["callao_via_manzanillo", ("carrier_usd_per_teu", "stevedoring")]
            == pytest.approx(2 * b.loc["chancay_direct", ("carrier_usd_per_teu", "stevedoring")], rel=0.05))


# ---------------------------------------------------------------- compare
def test_compare_two_routes_of_one_run(res):
    c = res.compare("chancay_direct", "callao_via_busan")
    a, b = res["chancay_direct"], res["callao_via_busan"]
    assert {"unit", "difference", "percent"} <= set(c.columns)
    for m in METRICS:
        diff = b.metrics[m].mean - a.metrics[m].mean
        assert c.loc[m, "difference"] == pytest.approx(diff, rel=1e-12)
        assert c.loc[m, "percent"] == pytest.approx(100 * diff / a.metrics[m].mean, rel=1e-12)
    assert c.loc["transit_days", "unit"] == "days" and c.loc["cost_usd_per_teu", "unit"] == "USD/TEU"
    assert c.loc["transit_days", "difference"] > 5  # the relay via Busan is much slower
    assert c.loc["days:transshipment", "difference"] == pytest.approx(b.days_by_kind["transshipment"], rel=1e-12)
    assert c.loc["usd:freight", "difference"] == pytest.approx(
        b.cost_by_component["freight"] - a.cost_by_component["freight"], rel=1e-12)
    assert c.loc["carrier:fuel", "difference"] == pytest.approx(
        b.carrier_by_component["fuel"] - a.carrier_by_component["fuel"], rel=1e-12)
    pd.testing.assert_frame_equal(routesim.compare(res, "chancay_direct", "callao_via_busan"), c)
    pd.testing.assert_frame_equal(routesim.compare(res, routes=("chancay_direct", "callao_via_busan")), c)


def test_compare_two_runs_route_by_route(scenario, res):
    dearer = routesim.run(scenario, replications=3000, seed=11, costs__bunker_usd_per_t=800)
    c = routesim.compare(res, dearer)
    assert set(c.index.get_level_values("route")) == set(res.routes)
    for name in res.routes:
        fuel = c.loc[(name, "carrier:fuel")]
        assert fuel["difference"] == pytest.approx(fuel["a"] * (800 / 535 - 1), rel=1e-9)
        assert fuel["percent"] == pytest.approx(100 * (800 / 535 - 1), rel=1e-9)
        assert c.loc[(name, "transit_days"), "difference"] == 0


def test_compare_runs_scenarios_first(tmp_path):
    shutil.copy(SCENARIOS / "base.yaml", tmp_path / "base.yaml")  # extends stays inside the study folder
    text = STUDY.read_text()
    slow = tmp_path / "slow.yaml"
    slow.write_text(text + "\noperations:\n  weather_factor: 1.2\n")
    c = routesim.compare(STUDY, slow, replications=1000, seed=2)
    for name in ("chancay_direct", "callao_pendulum"):
        assert c.loc[(name, "days:sail"), "percent"] == pytest.approx(20.0, abs=0.6)
    with pytest.raises(TypeError):
        routesim.compare(42, 43)


# ---------------------------------------------------------------- export
def test_to_json_is_the_cli_contract(res):
    text = res.to_json()
    data = json.loads(text)
    assert data["scenario"] == res.scenario and data["engine"] == "montecarlo"
    assert data["seed"] == 11 and data["replications"] == 3000
    for name, r in data["routes"].items():
        assert r["transit_days"]["mean"] == res[name].metrics["transit_days"].mean
        assert set(r["days_by_kind"]) == set(KINDS) and set(r["cost_by_component"]) == set(COMPONENTS)
        assert isinstance(r["spoiled_share"], float)
    assert "NaN" not in text and "Infinity" not in text


def test_files_round_trip(res, streamed, tmp_path):
    res.to_json(tmp_path / "s.json")
    assert json.loads((tmp_path / "s.json").read_text()) == json.loads(res.to_json())
    res.to_csv(tmp_path / "s.csv")
    back = pd.read_csv(tmp_path / "s.csv", index_col="route")
    pd.testing.assert_frame_equal(back, res.summary(), check_dtype=False, rtol=1e-12)
    res.to_parquet(tmp_path / "ship.parquet")
    ship = pd.read_parquet(tmp_path / "ship.parquet")
    assert len(ship) == len(res.shipments)
    np.testing.assert_array_equal(ship["cost_usd_per_teu"], res.shipments["cost_usd_per_teu"])
    assert list(ship["route"].astype(str)) == list(res.shipments["route"].astype(str))
    with pytest.raises(ValueError, match="keep_shipments"):
        streamed.to_parquet(tmp_path / "nothing.parquet")
    assert not (tmp_path / "nothing.parquet").exists()


def test_write_puts_every_file_in_the_folder(res, streamed, tmp_path):
    written = res.write(tmp_path / "out")
    names = {p.name for p in written}
    assert {"summary.csv", "summary.json", "shipments.parquet", "transit_ecdf.png", "days_by_kind.png"} <= names
    for p in written:
        assert p.exists() and p.stat().st_size > 0
    for png in ("transit_ecdf.png", "days_by_kind.png"):
        assert (tmp_path / "out" / png).read_bytes()[:8] == PNG_SIGNATURE
    assert not any(p.name.startswith(".") and p.name != MARKER for p in (tmp_path / "out").iterdir())  # no temporary files
    assert (tmp_path / "out" / MARKER).exists() and sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    s_names = {p.name for p in streamed.write(tmp_path / "out2")}
    assert "shipments.parquet" not in s_names and "transit_ecdf.png" in s_names


# ---------------------------------------------------------------- display
def test_text_table_is_readable(res):
    text = res.table()
    assert str(res) == text
    assert res.scenario in text and "seed 11" in text
    for name in res.routes:
        assert f"route {name}" in text
    direct = res["chancay_direct"].metrics["transit_days"]
    assert f"{direct.mean:.2f}" in text and f"{direct.p95:.2f}" in text
    assert "days by kind" in text and "USD/TEU by component" in text
    # metric rows line up under the header: label column, then four 10-wide numbers
    lines = text.splitlines()
    header = next(line for line in lines if line.strip().startswith("mean"))
    rows = [line for line in lines if line.startswith("  transit days")]
    assert len(rows) == len(res.routes) and all(len(r) == len(header) for r in rows)


def test_repr_html(res):
    html = res._repr_html_()
    assert html.count("<table") == 2
    for name in res.routes:
        assert name in html
    assert "transit_days_mean" in html and "Peru to Shanghai" in html
    assert "<script" not in html
    assert "engine=montecarlo" in repr(res)


def test_plots_draw_one_line_or_bar_per_route(res, streamed):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for r in (res, streamed):  # with and without the per-shipment table
        fig, ax = plt.subplots()
        r.plot_ecdf(ax=ax)
        assert len(ax.get_lines()) == len(r.routes)
        fig2, ax2 = plt.subplots()
        r.plot_days_by_kind(ax=ax2)
        heights = {}
        for patch in ax2.patches:
            x = round(patch.get_x(), 6)
            heights[x] = heights.get(x, 0.0) + patch.get_height()
        door = sorted(v.metrics["door_days"].mean for v in r.routes.values())
        np.testing.assert_allclose(sorted(heights.values()), door, rtol=1e-9)
        plt.close("all")


def test_from_shipments_rebuilds_the_same_summary(res):
    again = Results.from_shipments(res.plan, res.shipments, engine="montecarlo", seed=res.seed,
                                   replications=res.replications)
    a, b = res.summary(), again.summary()
    pd.testing.assert_index_equal(a.index, b.index)
    assert (a["per"] == b["per"]).all()
    for c in a.columns.drop("per"):
        np.testing.assert_allclose(b[c].to_numpy(), a[c].to_numpy(), rtol=1e-9, err_msg=c)
