"""What the quick commands import (issue 16, item 4): ``route`` and ``validate`` load neither
the engines, routesim.api, pandas, scipy nor matplotlib; ``route`` not even numpy, networkx or
pydantic (lane lengths are plain Python, :func:`routesim.geo.polyline_length_nm`); ``validate``
answering from its cache not even those, nor the schema (tests/cli/test_validate_cache.py).

Only what is imported is tested here; how long the commands take is measured in
benchmarks/bench_startup.py, never in a unit test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy", "pandas", "matplotlib", "cartopy", "plotly", "pyarrow", "dask", "simpy", "shapely", "routesim.api",
         "routesim.results", "routesim.engines.montecarlo", "routesim.engines.des")

PROBE = """
import contextlib, io, json, sys
from routesim.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _modules(*argv: str, env: dict | None = None) -> set[str]:
    p = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env=env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout.splitlines()[-1])
    assert out["status"] == 0
    return set(out["modules"])


@pytest.mark.parametrize("argv, also_absent", [
    (("route", "PECHY", "CNSHA"), ("numpy", "networkx", "pydantic", "routesim.scenario", "routesim.distributions",
                                   "routesim.portjoin", "routesim.coast")),
    (("validate", "scenarios/chancay_vs_callao.yaml"), ("networkx", "routesim.portjoin", "routesim.coast")),
], ids=["route", "validate"])
def test_quick_commands_import_no_heavy_module(argv, also_absent):
    loaded = _modules(*argv)
    assert not [m for m in (*HEAVY, *also_absent) if m in loaded]


def test_validate_checked_in_full_imports_no_heavy_module():
    """With the caches off (routesim.validate_cache would answer a second run from its entry,
    importing none of the schema), validate still loads no engine, pandas or networkx."""
    env = {**os.environ, "ROUTESIM_NO_CACHE": "1"}
    loaded = _modules("validate", "scenarios/chancay_vs_callao.yaml", env=env)
    assert "routesim.plan" in loaded and "pydantic" in loaded  # it did check in full
    assert not [m for m in (*HEAVY, "networkx", "routesim.portjoin", "routesim.coast", "routesim.sweeps")
                if m in loaded]


def test_import_routesim_is_light():
    p = subprocess.run([sys.executable, "-c", "import sys, routesim; print(' '.join(sorted(sys.modules)))"],
                       capture_output=True, text=True, timeout=60)
    loaded = set(p.stdout.split())
    assert not [m for m in ("numpy", "yaml", "pydantic", "networkx", *HEAVY) if m in loaded]
