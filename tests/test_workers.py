"""The worker pool a process keeps (routesim._workers): reused by later runs and sweeps, rebuilt
when a worker dies or another size is asked for, the numbers identical to a serial run.

Runs are tiny (two replications of a short DES study, a few hundred Monte Carlo shipments).
"""

from __future__ import annotations

import doctest
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

import routesim
from routesim import _workers
from routesim.engines.des import run_des
from routesim.plan import compile_plan
from routesim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "chancay_vs_callao.yaml"


@pytest.fixture(scope="module")
def plan():
    """One route, 60 study days and 10 warm-up days: a replication takes well under a second."""
    s = load_scenario(SCENARIO).with_overrides({"routes.callao_via_manzanillo": None, "routes.callao_via_busan": None,
                                                "routes.callao_pendulum": None, "horizon_days": 60,
                                                "des.warmup_days": 10})
    return compile_plan(s)


def _pids(pool) -> set[int]:
    return {p.pid for p in pool._processes.values()}


def _broken(pool, seconds: float = 10.0) -> bool:
    """Whether the pool noticed its dead worker within ``seconds`` (its manager thread notices)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pool._broken:
            return True
        time.sleep(0.05)
    return False


def test_later_runs_reuse_the_pool_and_give_the_serial_numbers(plan):
    serial = run_des(plan, replications=2, seed=3, workers=1)
    first = run_des(plan, replications=2, seed=3, workers=2)
    pool = _workers.pool(2)
    pids = _pids(pool)
    assert pids and all(pids)
    again = run_des(plan, replications=2, seed=3, workers=2)
    assert _workers.pool(2) is pool and _pids(pool) == pids  # the same processes ran the second run
    for par in (first, again):
        pd.testing.assert_frame_equal(serial.shipments, par.shipments, check_exact=True)
        pd.testing.assert_frame_equal(serial.extra["events"], par.extra["events"], check_exact=True)
        assert par.to_json() == serial.to_json()


def test_another_size_or_a_shutdown_gives_a_new_pool():
    two = _workers.pool(2)
    one = _workers.pool(1)
    assert one is not two and two._shutdown_thread
    assert _workers.pool(1) is one
    _workers.shutdown()
    assert _workers.pool(1) is not one


def test_a_dead_worker_breaks_the_pool_and_the_next_run_gets_a_new_one(plan):
    serial = run_des(plan, replications=2, seed=5, workers=1)
    run_des(plan, replications=2, seed=5, workers=2)
    pool = _workers.pool(2)
    os.kill(next(iter(_pids(pool))), signal.SIGKILL)
    assert _broken(pool)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fall-back to this process: a new pool runs them
        after = run_des(plan, replications=2, seed=5, workers=2)
    assert _workers.pool(2) is not pool
    pd.testing.assert_frame_equal(serial.shipments, after.shipments, check_exact=True)
    assert after.to_json() == serial.to_json()


def test_a_worker_dying_mid_run_falls_back_to_this_process(plan, monkeypatch):
    """The run in which the pool breaks finishes here, with a warning and the same numbers."""
    from concurrent.futures.process import BrokenProcessPool

    serial = run_des(plan, replications=2, seed=5, workers=1)

    class Broken:
        def submit(self, *a, **k):
            raise BrokenProcessPool("a worker died")

        def shutdown(self, **k):
            pass

    monkeypatch.setattr(_workers, "pool", lambda n, preload=(): Broken())
    with pytest.warns(routesim.errors.RoutesimWarning, match="running the replications in this process"):
        res = run_des(plan, replications=2, seed=5, workers=2)
    pd.testing.assert_frame_equal(serial.extra["events"], res.extra["events"], check_exact=True)
    assert res.to_json() == serial.to_json()


def test_sweeps_reuse_the_pool_of_the_des():
    base = load_scenario(SCENARIO).with_overrides({"routes.callao_via_manzanillo": None,
                                                   "routes.callao_via_busan": None})
    sweep = routesim.Sweep.grid(base, {"costs.bunker_usd_per_t": [450, 650]}, replications=300, seed=7)
    serial = sweep.run("serial")
    pool = _workers.pool(2)
    for _ in range(2):
        pd.testing.assert_frame_equal(serial.table, sweep.run("processes", workers=2).table, check_exact=True)
        assert _workers.pool(2) is pool


def test_module_doctests():
    assert doctest.testmod(_workers).failed == 0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_exit_when_the_process_that_started_them_is_killed(tmp_path):
    """No ``atexit`` runs in a process killed by a signal: its idle workers still go."""
    script = tmp_path / "start.py"
    script.write_text("import sys, time\nfrom routesim import _workers\n"
                      "if __name__ == '__main__':\n"
                      "    pool = _workers.pool(2)\n"
                      "    list(pool.map(abs, [1, -2]))\n"
                      "    print(*[p.pid for p in pool._processes.values()], flush=True)\n"
                      "    time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        pids = [int(p) for p in child.stdout.readline().split()]
        assert pids
    finally:
        child.kill()
        child.wait()
    end = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < end:
        time.sleep(0.2)
        alive = [p for p in pids if _running(p)]
    assert not alive


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
    except OSError:
        return True


@pytest.mark.skipif(_workers.start_method() != "forkserver", reason="no forkserver on this platform")
def test_a_parallel_des_run_starts_the_forkserver_before_compiling_the_plan(tmp_path):
    """So that the server imports the engine while this process compiles; a serial run starts none."""
    script = tmp_path / "warm.py"
    script.write_text(f"""
from multiprocessing import forkserver
import routesim._run as run
from routesim.scenario import load_scenario

seen = []
real = run.compile_plan


def spy(*args, **kwargs):
    seen.append(forkserver._forkserver._forkserver_pid is not None)
    return real(*args, **kwargs)


run.compile_plan = spy
if __name__ == "__main__":
    s = load_scenario({str(SCENARIO)!r}).with_overrides({{"routes.callao_via_manzanillo": None,
        "routes.callao_via_busan": None, "routes.callao_pendulum": None, "horizon_days": 30,
        "des.warmup_days": 5}})
    run.run_scenario(s, engine="des", replications=2, workers=1)
    run.run_scenario(s, engine="des", replications=1, workers=2)
    run.run_scenario(s, engine="des", replications=2, workers=2)
    print(seen)
""")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[-2] == "[False, False, True]"
