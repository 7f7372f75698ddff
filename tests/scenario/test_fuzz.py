"""Mutated shipped scenarios: a clean error or finite, non-negative days; never a traceback.

Each case takes one of ``scenarios/*.yaml`` (extends resolved), changes one to three of its
values (numbers mostly: scaled, negated, zeroed, made huge; or replaced by an odd value of
another type) and runs it: validation either refuses it with a RoutesimError, or a short run
gives finite, non-negative transit and door days on every route. Fixed seed (derandomised),
so CI sees the same cases every time.
"""

from __future__ import annotations

import copy
import math
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routesim
from routesim.errors import RoutesimError
from routesim.scenario import Scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TOO_BIG = {"trade_2025.yaml": "the whole trade (168 routes): a valid draw would run minutes; "
                               "tests/scenario/test_trade_2025.py and benchmarks/bench_des.py run it"}
BASES = {p.name: load_scenario(p).to_dict() for p in sorted(SCENARIOS.glob("*.yaml")) if p.name not in TOO_BIG}

ODD = [0, -1, 1e-9, 1e9, 1e308, "inf", "nan", "abc", None, [], {}, "7:00", True, "x" * 300,
       "gamma(mean=0, cv=1)", "uniform(5, 1)", "exponential(mean=1e9)", "late(p=2, delay=1)", "normal(1, 5)"]


def _leaves(d, path=()):
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _leaves(v, path + (i,))
    else:
        yield path, d


def _numeric(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and "(" in v)


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(BASES)))
    data = copy.deepcopy(BASES[name])
    leaves = list(_leaves(data))
    numbers = [p for p, v in leaves if _numeric(v)]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(numbers if numbers and draw(st.booleans()) else [p for p, _ in leaves]))
        node = data
        for k in path[:-1]:
            node = node[k]
        old = node[path[-1]]
        if isinstance(old, (int, float)) and not isinstance(old, bool) and draw(st.booleans()):
            node[path[-1]] = old * draw(st.sampled_from([0, -1, 1e-6, 10, 1e6]))
        else:
            node[path[-1]] = draw(st.sampled_from(ODD))
    return name, data


def _check(engine: str, name: str, data: dict, **run) -> None:
    try:
        s = Scenario.from_dict(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = routesim.run(s, engine=engine, **run)
    except RoutesimError as exc:
        assert str(exc).strip() and "Traceback" not in str(exc)
        return
    for route, r in res.routes.items():
        if r.n == 0:
            continue
        for m in ("transit_days", "door_days"):
            v = r.metrics[m].mean
            assert math.isfinite(v) and v >= 0, (name, route, m, v)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_scenarios_on_the_monte_carlo_engine(case):
    _check("montecarlo", *case, replications=200)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_scenarios_on_the_discrete_event_engine(case):
    name, data = case
    data["des"] = {**data.get("des", {}), "replications": 1, "warmup_days": 7}
    _check("des", name, data)
