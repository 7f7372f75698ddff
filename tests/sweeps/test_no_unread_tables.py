"""The per-shipment table is built only when something reads it (issue 16, item 2).

Sweep points and a default ``routesim run`` (no ``--out``) never build it, and a sweep point's
traced memory does not grow with the shipments it simulates. Nothing here is timed.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import routesim
from routesim.cli import main
from routesim.engines.montecarlo import driver
from routesim.engines.montecarlo import BLOCK_SIZE
from routesim.scenario import load_scenario
from routesim.sweeps import Sweep, executors

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "chancay_vs_callao.yaml"


@pytest.fixture(scope="module")
def one_route():
    s = load_scenario(SCENARIO)
    return s.with_overrides({f"routes.{r}": None for r in list(s.routes) if r != "chancay_direct"})


@pytest.fixture
def no_table(monkeypatch):
    """Fail if the Monte Carlo per-shipment table is built, kept or rebuilt."""
    def refuse(*args, **kwargs):
        raise AssertionError("the per-shipment table was built")

    monkeypatch.setattr(driver, "_table", refuse)
    monkeypatch.setattr(driver, "_rebuilt_table", refuse)


def test_sweep_points_never_build_the_table(one_route, no_table, tmp_path):
    sweep = Sweep.grid(one_route, {"costs.bunker_usd_per_t": [450, 650]}, replications=BLOCK_SIZE + 5, seed=3)
    result = sweep.run("serial", out=tmp_path / "sweep")
    assert len(result.table) == 2
    record = executors.run_point(sweep.tasks[0])
    assert record["results"]["replications"] == BLOCK_SIZE + 5


def test_a_default_run_never_builds_the_table(one_route, no_table, tmp_path, capsys):
    path = tmp_path / "one.yaml"
    path.write_text(one_route.to_yaml(), encoding="utf-8")
    assert main(["run", str(path), "-n", "2000", "--no-progress"]) == 0
    assert main(["run", str(path), "-n", "2000", "--json"]) == 0
    res = routesim.run(one_route, replications=2000, seed=1)
    res.summary(), res.to_json(), res.in_units("feu").table()


def test_sweep_point_memory_is_flat_in_n(one_route):
    sweep = {n: Sweep.grid(one_route, {"costs.bunker_usd_per_t": [535]}, replications=n * BLOCK_SIZE, seed=1)
             for n in (3, 18)}

    def peak(n):
        executors.run_point(sweep[n].tasks[0])  # warm: catalogue, plan caches
        tracemalloc.start()
        try:
            executors.run_point(sweep[n].tasks[0])
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(3), peak(18)
    assert large < 1.25 * small, (small, large)
