"""``DASK_SCHEDULER_ADDRESS`` in the environment reaches ``routesim sweep --executor dask`` (issue 16,
item 3): the points run on that cluster, not on a new local one, and the table is the serial one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from routesim.sweeps import executors

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "chancay_vs_callao.yaml"


def test_dask_scheduler_address_from_the_environment(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    argv = ["-m", "routesim.cli", "sweep", str(SCENARIO), "--grid", "costs.bunker_usd_per_t=450,650", "-n", "200",
            "--seed", "5", "--no-progress", "--json"]
    env = {k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"}
    serial = subprocess.run([sys.executable, *argv, "--out", str(tmp_path / "serial")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert serial.returncode == 0, serial.stderr
    with executors.local_cluster(1) as cluster, distributed.Client(cluster):
        before = set(cluster.scheduler.task_prefixes)
        env["DASK_SCHEDULER_ADDRESS"] = cluster.scheduler_address
        run = subprocess.run([sys.executable, *argv, "--executor", "dask", "--out", str(tmp_path / "dask")],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert "routesim-point" not in before and "routesim-point" in cluster.scheduler.task_prefixes
        assert len(cluster.workers) == 1  # the sweep used this cluster and left it running
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "serial" / "sweep.parquet"),
                                  pd.read_parquet(tmp_path / "dask" / "sweep.parquet"), check_exact=True)


def _profiling(dask_worker) -> tuple:
    """What a worker says of its statistical profiler: its setting and whether it samples."""
    import dask

    return dask.config.get("distributed.worker.profile.enabled"), "profile" in dask_worker.periodic_callbacks


@pytest.mark.parametrize("profile", [False, True])
def test_local_cluster_samples_the_workers_stacks_only_when_asked(profile):
    """routesim's own cluster has no dashboard, so its workers do not sample their stacks every 10 ms
    (the samples take the GIL from the point being run); ``profile=True`` keeps Dask's profiler."""
    distributed = pytest.importorskip("dask.distributed")
    with executors.local_cluster(1, profile=profile) as cluster, distributed.Client(cluster) as client:
        assert set(client.run(_profiling).values()) == {(profile, profile)}
