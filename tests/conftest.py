"""Shared fixtures: a small-scenario factory and the study scenario's plan.

``small_scenario(**fields)`` builds a :class:`~routesim.scenario.Scenario` from a short dict
(one direct route unless ``routes`` is given); top-level mappings given as keywords are merged
into the defaults. Route shorthands (``DIRECT``, ``MANZANILLO``, ``PANAMA``) cover a direct
service, a relay with intermediate calls and a transshipment, and a canal passage.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from routesim.plan import compile_plan
from routesim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

DIRECT = {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}
MANZANILLO = {"origin": "PECLL", "destination": "CNSHA", "transship_at": ["MXZLO"],
              "services": ["wcsa_mexico_feeder", "asia_mexico_express"]}
PANAMA = {"origin": "BRSSZ", "destination": "CNSHA", "vessel": "neopanamax_14000", "speed_kn": 16.0,
          "headway_days": 7, "avoid": ["good_hope", "suez", "drake", "magellan"]}


def small_scenario(**fields) -> Scenario:
    """A small valid scenario; keyword arguments replace (or, for mappings, extend) its fields."""
    data = {"name": "small", "seed": 3, "replications": 2000, "horizon_days": 60,
            "routes": {"direct": copy.deepcopy(DIRECT)}, "des": {"replications": 1, "warmup_days": 21}}
    for key, value in fields.items():
        if key != "routes" and isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **copy.deepcopy(value)}
        else:
            data[key] = copy.deepcopy(value)
    return Scenario.from_dict(data)


@pytest.fixture(scope="session")
def study_scenario() -> Scenario:
    return load_scenario(SCENARIOS / "chancay_vs_callao.yaml")


@pytest.fixture(scope="session")
def study_plan(study_scenario):
    return compile_plan(study_scenario)


@pytest.fixture(autouse=True, scope="module")
def _close_kept_dask_cluster():
    """A sweep on a local Dask cluster keeps it for the rest of the process (routesim.sweeps.executors);
    close it after the module that started it, so its threads do not run under later tests."""
    yield
    executors = sys.modules.get("routesim.sweeps.executors")
    if executors is not None:
        executors.close_local_cluster()
