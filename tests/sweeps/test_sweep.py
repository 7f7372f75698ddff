"""Parameter sweeps (routesim.sweeps, routesim.sweep): designs, seeds, executors, resume, files, CLI and plots.

Runs are small (a few hundred shipments on two routes); nothing here is timed.
"""

from __future__ import annotations

import doctest
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routesim
import routesim.sweeps as sw
from routesim.cli import main
from routesim.errors import RoutesimError, ScenarioError
from routesim.results import METRICS
from routesim.scenario import load_scenario
from routesim.sweeps import Sweep, SweepResult, executors, grid_points, one_at_a_time_points, zip_points

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "chancay_vs_callao.yaml"
BUNKER = "costs.bunker_usd_per_t"
SPEED = "routes.chancay_direct.speed_kn"
N = 300  # shipments per route and point


@pytest.fixture(scope="module")
def base():
    """Chancay direct against the Callao pendulum: two routes, small and quick."""
    return load_scenario(SCENARIO).with_overrides({"routes.callao_via_manzanillo": None,
                                                   "routes.callao_via_busan": None})


@pytest.fixture
def counted(monkeypatch):
    """Count the points actually run (the serial executor calls run_point in this process)."""
    calls: list[str] = []
    real = executors.run_point

    def run_point(task):
        calls.append(task["label"])
        return real(task)

    monkeypatch.setattr(executors, "run_point", run_point)
    return calls


def _grid(base, **options) -> Sweep:
    options.setdefault("replications", N)
    options.setdefault("seed", 7)
    return Sweep.grid(base, {BUNKER: [450, 650], SPEED: [15, 19]}, **options)


# ----------------------------------------------------------------- designs
lists = st.lists(st.integers(-5, 5), min_size=1, max_size=4)
specs = st.dictionaries(st.sampled_from(["a.x", "b.y", "c[0].z", "d"]), lists, min_size=1, max_size=4)


@given(specs)
def test_grid_is_the_cartesian_product_with_the_last_path_fastest(spec):
    points = grid_points(spec)
    names = list(spec)
    assert len(points) == math.prod(len(v) for v in spec.values())
    for k, point in enumerate(points):
        assert list(point) == names
        rest = k
        for name in reversed(names):  # mixed-radix digits of k, last path least significant
            values = spec[name]
            assert point[name] == values[rest % len(values)]
            rest //= len(values)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 4), min_size=1), st.data())
def test_zip_pairs_values_by_position_and_needs_equal_lengths(lengths, data):
    spec = {k: data.draw(st.lists(st.integers(), min_size=n, max_size=n)) for k, n in lengths.items()}
    if len(set(lengths.values())) == 1:
        points = zip_points(spec)
        assert len(points) == next(iter(lengths.values()))
        assert all(p[k] == spec[k][i] for i, p in enumerate(points) for k in spec)
    else:
        with pytest.raises(RoutesimError, match="same length"):
            zip_points(spec)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.tuples(st.integers(), st.integers()), min_size=1))
def test_one_at_a_time_is_the_base_then_each_path_alone_low_and_high(ranges):
    points = one_at_a_time_points(ranges)
    assert points[0] == {} and len(points) == 1 + 2 * len(ranges)
    for i, (name, (low, high)) in enumerate(ranges.items()):
        assert points[1 + 2 * i:3 + 2 * i] == [{name: low}, {name: high}]


@pytest.mark.parametrize("spec, message", [
    ({}, "expected a mapping"), ({"a": 5}, "expected a list"), ({"a": "450,650"}, "expected a list"),
    ({"a": []}, "at least one value"), ([1, 2], "expected a mapping"),
])
def test_bad_designs_are_errors(spec, message):
    with pytest.raises(RoutesimError, match=message):
        grid_points(spec)


def test_one_at_a_time_needs_low_and_high():
    with pytest.raises(RoutesimError, match=r"\[low, high\], got 3"):
        one_at_a_time_points({"a": [1, 2, 3]})


def test_numpy_values_become_plain_numbers(base):
    s = Sweep.grid(base, {BUNKER: np.array([450.0, 650.0])}, replications=N)
    assert s.points == ({BUNKER: 450.0}, {BUNKER: 650.0})
    assert all(type(p[BUNKER]) is float for p in s.points)


# ----------------------------------------------------------------- validation before running
@pytest.mark.parametrize("grid, message", [
    ({"costs.bunkr": [1]}, "sweep: costs.bunkr: unknown key 'bunkr'"),
    ({BUNKER: [450, -5]}, "sweep: costs.bunker_usd_per_t: -5 is negative"),
    ({"disruptions[0].factor": [0.5]}, "sweep: disruptions[0].factor: there is no list disruptions"),
])
def test_bad_paths_and_values_fail_with_the_scenario_message_before_anything_runs(base, counted, grid, message):
    with pytest.raises(ScenarioError) as info:
        Sweep.grid(base, grid, replications=N)
    assert str(info.value).startswith(message)
    assert counted == []


def test_a_bad_combination_names_the_point(base):
    with pytest.raises(ScenarioError, match=r"^sweep: point 1: costs.bunker_usd_per_t"):
        Sweep(base, [{BUNKER: 450}, {BUNKER: "oops"}])


@pytest.mark.parametrize("options, message", [
    (dict(engine="fast"), "unknown engine"), (dict(replications=0), "replications"),
    (dict(replications=True), "replications"), (dict(seed=-1), "seed"), (dict(seeds="random"), "seeds"),
])
def test_bad_options(base, options, message):
    with pytest.raises(RoutesimError, match=message):
        Sweep(base, [{}], **options)


@pytest.mark.parametrize("options, message", [
    (dict(executor="threads"), "unknown executor"), (dict(executor="serial", workers=2), "workers"),
    (dict(executor="processes", dask_address="tcp://x:1"), "needs executor 'dask'"),
])
def test_bad_run_options(base, options, message):
    with pytest.raises(RoutesimError, match=message):
        Sweep(base, [{}], replications=N).run(**options)


# ----------------------------------------------------------------- the table
def test_table_has_one_row_per_point_and_route_with_every_statistic(base):
    res = _grid(base).run()
    t = res.table
    stats = [f"{m}_{s}" for m in METRICS for s in ("mean", "median", "p5", "p95")]
    assert list(t.columns) == ["point", BUNKER, SPEED, "seed", "route", "n", *stats, "spoiled_share", "downgraded_share"]
    assert len(t) == 4 * 2 and list(t["point"]) == [0, 0, 1, 1, 2, 2, 3, 3]
    assert list(t[BUNKER]) == [450, 450, 450, 450, 650, 650, 650, 650]
    assert set(t["route"]) == {"chancay_direct", "callao_pendulum"} and (t["n"] == N).all()
    assert (t["transit_days_p5"] <= t["transit_days_median"]).all()
    assert (t["transit_days_median"] <= t["transit_days_p95"]).all()
    assert isinstance(res, SweepResult) and res.computed == (0, 1, 2, 3) and res.resumed == ()


def test_the_table_matches_a_plain_run_of_the_point(base):
    res = Sweep(base, [{BUNKER: 650}], replications=N, seed=7).run()
    direct = routesim.run(base, replications=N, seed=7, overrides={BUNKER: 650})
    row = res.table.set_index("route").loc["chancay_direct"]
    assert row["cost_usd_per_teu_mean"] == direct["chancay_direct"].metrics["cost_usd_per_teu"].mean
    assert row["door_days_p95"] == direct["chancay_direct"].metrics["door_days"].p95


# ----------------------------------------------------------------- seeds
def test_same_seed_same_table_and_another_seed_another(base):
    a, b, c = _grid(base).run(), _grid(base).run(), _grid(base, seed=8).run()
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    assert not np.array_equal(a.table["transit_days_mean"], c.table["transit_days_mean"])


def test_common_random_numbers_make_a_higher_bunker_price_never_cheaper(base):
    prices = [300, 450, 600, 750, 900]
    t = Sweep.grid(base, {BUNKER: prices}, replications=N, seed=3).run().table
    for route, rows in t.groupby("route"):
        cost = rows.sort_values(BUNKER)["cost_usd_per_teu_mean"].to_numpy()
        assert (np.diff(cost) > 0).all(), route
        # the price changes dollars only: every day figure is identical across points
        assert rows["transit_days_mean"].nunique() == 1 and rows["door_days_p95"].nunique() == 1


def test_common_random_numbers_leave_an_untouched_route_bit_identical(base):
    t = Sweep.grid(base, {SPEED: [15, 17, 19]}, replications=N, seed=3).run().table
    pendulum = t[t["route"] == "callao_pendulum"].drop(columns=["point", SPEED])
    assert len(pendulum.drop_duplicates()) == 1
    direct = t[t["route"] == "chancay_direct"].sort_values(SPEED)
    assert (np.diff(direct["transit_days_mean"]) < 0).all()  # faster ships, shorter voyages


def test_independent_seeds_are_spawned_deterministically(base):
    a = _grid(base, seeds="independent").run()
    b = _grid(base, seeds="independent").run()
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    seeds = [t["seed"] for t in a.sweep.tasks]
    spawned = np.random.SeedSequence(7).spawn(4)
    assert seeds == [int(s.generate_state(1, dtype=np.uint64)[0]) >> 1 for s in spawned]
    assert len(set(seeds)) == 4
    common = _grid(base).run()
    assert not np.array_equal(a.table["transit_days_mean"], common.table["transit_days_mean"])


def test_point_keys_depend_on_what_decides_the_numbers_only(base):
    def key(point, **options):
        return Sweep(base, [point], **{"replications": N, "seed": 1, **options}).tasks[0]["key"]

    both = {BUNKER: 500, SPEED: 16}
    assert key(both) == key(dict(reversed(both.items())))
    assert key({BUNKER: 500}) != key({BUNKER: 501})
    assert len({key({}), key({}, seed=2), key({}, replications=N + 1), key({}, engine="des")}) == 4
    other = Sweep(base.with_overrides({"cargo.teu": 1}), [{}], replications=N, seed=1).tasks[0]["key"]
    assert other != key({})


# ----------------------------------------------------------------- executors
def test_processes_give_the_same_numbers_as_serial(base, tmp_path):
    serial = _grid(base).run("serial")
    procs = _grid(base).run("processes", workers=2, out=tmp_path)
    pd.testing.assert_frame_equal(serial.table, procs.table, check_exact=True)
    assert serial.records == procs.records


def test_dask_local_cluster_gives_the_same_numbers_as_serial(base):
    pytest.importorskip("dask.distributed")
    serial = _grid(base).run("serial")
    dask = _grid(base).run("dask", workers=2)
    pd.testing.assert_frame_equal(serial.table, dask.table, check_exact=True)
    assert serial.records == dask.records


def test_dask_missing_is_a_clear_error(base, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    with pytest.raises(RoutesimError, match=r"pip install 'routesim\[dask\]'"):
        Sweep(base, [{}], replications=N).run("dask")


# ----------------------------------------------------------------- files and resume
def _point_files(out: Path) -> list[Path]:
    return sorted((out / "points").iterdir()) if (out / "points").exists() else []


def test_out_writes_point_files_table_and_manifest(base, tmp_path):
    res = _grid(base).run(out=tmp_path)
    files = _point_files(tmp_path)
    assert [f.name for f in files] == sorted(f"{t['key']}.json" for t in res.sweep.tasks)
    record = json.loads(files[0].read_text())
    assert record["format"] == sw.POINT_FORMAT and set(record["results"]["routes"]) == {"chancay_direct",
                                                                                      "callao_pendulum"}
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "sweep.parquet"), res.table, check_exact=True,
                                  check_dtype=False)
    csv = pd.read_csv(tmp_path / "sweep.csv")
    pd.testing.assert_frame_equal(csv, res.table, check_exact=True, check_dtype=False)
    manifest = json.loads((tmp_path / "sweep.json").read_text())
    assert [p["key"] for p in manifest["points"]] == [t["key"] for t in res.sweep.tasks]


def test_resume_runs_only_the_missing_point(base, tmp_path, counted):
    first = _grid(base).run(out=tmp_path)
    assert len(counted) == 4
    victim = first.sweep.tasks[2]
    (tmp_path / "points" / f"{victim['key']}.json").unlink()
    counted.clear()
    again = _grid(base).run(out=tmp_path)
    assert counted == [victim["label"]]
    assert again.computed == (2,) and again.resumed == (0, 1, 3)
    pd.testing.assert_frame_equal(first.table, again.table, check_exact=True)
    counted.clear()
    _grid(base).run(out=tmp_path, resume=False)
    assert len(counted) == 4


def test_a_grown_grid_runs_only_the_new_points(base, tmp_path, counted):
    Sweep.grid(base, {BUNKER: [450, 650]}, replications=N, seed=7).run(out=tmp_path)
    counted.clear()
    res = Sweep.grid(base, {BUNKER: [450, 550, 650]}, replications=N, seed=7).run(out=tmp_path)
    assert counted == [f"{BUNKER}=550"] and res.resumed == (0, 2)


def test_a_file_for_another_point_is_not_trusted(base, tmp_path, counted):
    res = Sweep(base, [{}], replications=N, seed=7).run(out=tmp_path)
    path = _point_files(tmp_path)[0]
    path.write_text(json.dumps({**res.records[0], "key": "somebody-else"}))
    counted.clear()
    Sweep(base, [{}], replications=N, seed=7).run(out=tmp_path)
    assert len(counted) == 1


@pytest.mark.parametrize("tamper", ["edited number", "wrong shape", "deep nesting", "not json"])
def test_an_edited_or_reshaped_point_file_is_run_again(base, tmp_path, counted, tamper):
    first = Sweep(base, [{}], replications=N, seed=7).run(out=tmp_path)
    path = _point_files(tmp_path)[0]
    record = json.loads(path.read_text())
    if tamper == "edited number":
        route = next(iter(record["results"]["routes"].values()))
        route["transit_days"]["mean"] += 1.0
        text = json.dumps(record)
    elif tamper == "wrong shape":
        text = json.dumps({"format": record["format"], "key": record["key"], "digest": record["digest"],
                           "results": [1, 2, 3]})
    elif tamper == "deep nesting":
        text = "[" * 100_000 + "]" * 100_000
    else:
        text = "{not json"
    path.write_text(text)
    counted.clear()
    again = Sweep(base, [{}], replications=N, seed=7).run(out=tmp_path)
    assert len(counted) == 1 and again.computed == (0,)
    pd.testing.assert_frame_equal(first.table, again.table, check_exact=True)


def _assert_clean(out: Path, n_done: int):
    """Exactly ``n_done`` complete point files, and nothing half-written."""
    files = _point_files(out)
    assert len(files) == n_done
    for f in files:
        assert not f.name.startswith(".") and f.suffix == ".json"
        assert json.loads(f.read_text())["format"] == sw.POINT_FORMAT
    assert not (out / "sweep.csv").exists() and not (out / "sweep.parquet").exists()


def test_an_exception_inside_a_point_keeps_the_finished_points_and_no_partial_file(base, tmp_path, monkeypatch):
    real = executors.run_point
    calls = []

    def flaky(task):
        calls.append(task)
        if len(calls) == 3:
            raise RuntimeError("simulated failure inside a point")
        return real(task)

    monkeypatch.setattr(executors, "run_point", flaky)
    with pytest.raises(RuntimeError, match="simulated failure"):
        _grid(base).run(out=tmp_path)
    _assert_clean(tmp_path, 2)
    monkeypatch.setattr(executors, "run_point", real)
    res = _grid(base).run(out=tmp_path)
    assert res.resumed == (0, 1) and res.computed == (2, 3)


def test_an_interrupted_sweep_resumes_without_losing_points(base, tmp_path, counted):
    def interrupt(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _grid(base).run(out=tmp_path, progress=interrupt)
    _assert_clean(tmp_path, 2)
    counted.clear()
    seen = []
    res = _grid(base).run(out=tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert len(counted) == 2 and res.resumed == (0, 1)
    assert seen == [(2, 4), (3, 4), (4, 4)]
    pd.testing.assert_frame_equal(res.table, _grid(base).run().table, check_exact=True)


def test_a_killed_sweep_process_resumes_without_losing_points(base, tmp_path):
    """SIGKILL a sweep in another process once a point is saved; rerun; compare with a clean run."""
    out = tmp_path / "killed"
    args = ["sweep", str(SCENARIO), "--grid", f"{BUNKER}=400,450,500,550,600,650,700,750",
            "--grid", f"{SPEED}=15,19", "-n", "2000", "--seed", "5", "--out", str(out), "--json"]
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from routesim.cli import main; "
                             "sys.exit(main(sys.argv[1:]))", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not list((out / "points").glob("*.json")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        proc.kill()
        proc.communicate()
    saved = [f for f in _point_files(out) if f.suffix == ".json" and not f.name.startswith(".")]
    assert saved, "the sweep saved no point before it was killed"
    for f in saved:  # every saved point is complete
        assert json.loads(f.read_text())["format"] == sw.POINT_FORMAT
    spec = Sweep.grid(SCENARIO, {BUNKER: [400, 450, 500, 550, 600, 650, 700, 750], SPEED: [15, 19]},
                      replications=2000, seed=5)
    resumed = spec.run(out=out)
    assert len(resumed.resumed) == len(saved) and len(resumed.computed) == 16 - len(saved)
    pd.testing.assert_frame_equal(resumed.table, spec.run().table, check_exact=True)


# ----------------------------------------------------------------- sweep files
def test_shipped_sweep_files_load():
    grid = sw.load_sweep_file(ROOT / "scenarios" / "sweeps" / "bunker_and_speed.yaml")
    assert len(grid) == 9 and grid.params == (BUNKER, SPEED) and grid.replications == 5000 and grid.seed == 1
    tornado = sw.load_sweep_file(ROOT / "scenarios" / "sweeps" / "chancay_tornado.yaml", replications=N)
    assert tornado.design == "one_at_a_time" and tornado.points[0] == {} and list(tornado.base.routes) == [
        "chancay_direct"]
    assert tornado.replications == N


def _sweep_file(tmp_path, text: str) -> Path:
    """A sweep file beside copies of the scenario and its base (a sweep's scenario lies in its study folder)."""
    for name in (SCENARIO.name, "base.yaml"):
        shutil.copy(SCENARIO.parent / name, tmp_path / name)
    path = tmp_path / "s.yaml"
    path.write_text(f"scenario: {SCENARIO.name}\n" + text)
    return path


@pytest.mark.parametrize("text, message", [
    ("grd:\n  a: [1]\n", r"s.yaml:2:1: grd: unknown key 'grd' \(did you mean grid\?\)"),
    ("grid:\n  costs.bunkr: [1, 2]\n", r"s.yaml:3:17: costs.bunkr: unknown key 'bunkr'"),
    ("grid:\n  costs.bunker_usd_per_t: [450, -1]\n", r"s.yaml:3:33: costs.bunker_usd_per_t: -1 is negative"),
    ("zip:\n  costs.bunker_usd_per_t: [1, 2]\n  costs.carbon_usd_per_t: [1]\n", r"s.yaml:2:1: zip: .*same length"),
    ("grid: {a: [1]}\nzip: {b: [2]}\n", r"s.yaml:1:1: give exactly one of .*found grid and zip"),
    ("replications: yes\ngrid: {a: [1]}\n", r"s.yaml:2:15: replications: must be a whole number >= 1 \(got true\)"),
    ("grid:\n  costs.bunker_usd_per_t: 450\n", r"s.yaml:3:27: grid.costs.bunker_usd_per_t: must be a list"),
    ("one_at_a_time:\n  costs.bunker_usd_per_t: [1, 2, 3]\n", r"s.yaml:3:3: .*must be \[low, high\]"),
    ("points:\n  - {costs.bunker_usd_per_t: 1}\n  - {costs.bunker_usd_per_t: x}\n", r"s.yaml:4:5: point 1: "),
    ("set: {costs.bunkr: 1}\ngrid: {costs.bunker_usd_per_t: [1]}\n", r"s.yaml:2:1: costs.bunkr: unknown key"),
    ("seed: !!python/object:os.system x\ngrid: {a: [1]}\n", r"s.yaml:2:7: .*not allowed"),
])
def test_bad_sweep_files_name_file_and_line(tmp_path, text, message):
    with pytest.raises(RoutesimError, match=message):
        sw.load_sweep_file(_sweep_file(tmp_path, text))


def test_sweep_file_scenario_is_relative_to_the_file(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "s.yaml"
    path.write_text("scenario: ../nowhere.yaml\ngrid: {costs.bunker_usd_per_t: [1]}\n")
    (tmp_path / ".routesim-root").write_text("")  # the study folder holds sub/ and ../
    with pytest.raises(RoutesimError, match=r"s.yaml:1:11: scenario: no such file '../nowhere.yaml'"):
        sw.load_sweep_file(path)


def test_a_sweep_scenario_outside_the_study_folder_is_refused(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "s.yaml"
    path.write_text("scenario: ../x.yaml\ngrid: {costs.bunker_usd_per_t: [1]}\n")
    (tmp_path / "x.yaml").write_text("name: x\n")
    with pytest.raises(RoutesimError, match=r"s.yaml:1:11: scenario: '../x.yaml' lies outside the study folder"):
        sw.load_sweep_file(path)


# ----------------------------------------------------------------- command line
def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_grid_runs_writes_files_and_resumes(capsys, tmp_path):
    args = ["sweep", str(SCENARIO), "--grid", f"{BUNKER}=450,650", "--set", "routes.callao_via_busan=",
            "-n", str(N), "--seed", "7", "--out", str(tmp_path)]
    code, out, err = _cli(capsys, *args)
    assert code == 0, err
    assert "2 points x 3 route(s)" in out and "chancay_direct" in out and "2 point(s) run, 0 resumed" in out
    assert (tmp_path / "sweep.csv").exists() and (tmp_path / "sweep.parquet").exists()
    assert len(_point_files(tmp_path)) == 2
    code, out, err = _cli(capsys, *args, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["computed"] == [] and doc["resumed"] == [0, 1] and doc["params"] == [BUNKER]
    assert len(doc["rows"]) == 6 and doc["rows"][0][BUNKER] == 450


def test_cli_sweep_file_with_overrides(capsys, tmp_path):
    path = _sweep_file(tmp_path, "seed: 1\none_at_a_time:\n  costs.bunker_usd_per_t: [450, 650]\n")
    code, out, err = _cli(capsys, "sweep", "--sweep-file", str(path), "-n", str(N), "--out", str(tmp_path / "o"),
                          "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["points"] == 3 and doc["rows"][0][BUNKER] is None and {r["seed"] for r in doc["rows"]} == {1}


@pytest.mark.parametrize("args, message", [
    (["--grid", "costs.bunkr=1,2"], "routesim: error: --grid: costs.bunkr: unknown key 'bunkr'"),
    (["--grid", f"{BUNKER}=450,-5"], "routesim: error: --grid: costs.bunker_usd_per_t: -5 is negative"),
    (["--grid", f"{BUNKER}=450,abc"], "routesim: error: --grid: costs.bunker_usd_per_t: name 'abc' is not allowed"),
    (["--grid", f"{BUNKER}"], "routesim: error: --grid: expected KEY=V1,V2,..."),
    (["--grid", f"{BUNKER}=[1,"], "routesim: error: --grid costs.bunker_usd_per_t: cannot read the value"),
    (["--grid", f"{BUNKER}=1", "--executor", "serial", "--workers", "2"], "routesim: error: workers applies"),
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, tmp_path, args, message):
    code, out, err = _cli(capsys, "sweep", str(SCENARIO), *args, "--out", str(tmp_path))
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "points").exists()


def test_cli_grid_refuses_a_parameter_given_twice(capsys, tmp_path):
    code, out, err = _cli(capsys, "sweep", str(SCENARIO), "--grid", f"{BUNKER}=400,500", "--grid", f"{BUNKER}=600",
                          "--out", str(tmp_path / "o"))
    assert code == 2 and f"--grid {BUNKER}: given twice" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_cli_grid_needs_a_scenario_and_a_design(capsys, tmp_path):
    code, _, err = _cli(capsys, "sweep", "--grid", f"{BUNKER}=1", "--out", str(tmp_path))
    assert code == 2 and err.strip() == "routesim: error: sweep: give a SCENARIO file with --grid"
    with pytest.raises(SystemExit) as info:
        main(["sweep", str(SCENARIO), "--out", str(tmp_path)])
    assert info.value.code == 2 and "--grid" in capsys.readouterr().err


def test_cli_bad_sweep_file_names_file_and_line(capsys, tmp_path):
    path = _sweep_file(tmp_path, "grid:\n  costs.bunker_usd_per_t: [450]\nreplicatons: 5\n")
    code, _, err = _cli(capsys, "sweep", "--sweep-file", str(path), "--out", str(tmp_path / "o"))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"routesim: error: {path}:4:1: replicatons: unknown key 'replicatons' "
                          f"(did you mean replications?)")


def test_parse_grid_option_reads_yaml_values():
    assert sw.parse_grid_option("a.b=1, 2.5,x") == ("a.b", [1, 2.5, "x"])
    assert sw.parse_grid_option("a='gamma(mean=600, cv=0.1)',700") == ("a", ["gamma(mean=600, cv=0.1)", 700])
    assert sw.parse_grid_option("a=[[MXZLO], [KRPUS]]") == ("a", [["MXZLO"], ["KRPUS"]])


# ----------------------------------------------------------------- plots
@pytest.fixture(scope="module")
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_heatmap_of_a_two_parameter_grid(base, plt):
    from matplotlib.axes import Axes

    res = _grid(base).run()
    ax = res.plot_heatmap(metric="door_days_mean", route="chancay_direct")
    assert isinstance(ax, Axes) and ax.get_xlabel() == SPEED and ax.get_ylabel() == BUNKER
    assert [t.get_text() for t in ax.get_xticklabels()] == ["15", "19"]
    assert len(ax.texts) == 4
    with pytest.raises(ValueError, match="two parameters"):
        Sweep.grid(base, {BUNKER: [1, 2]}, replications=N).run().plot_heatmap()
    with pytest.raises(ValueError, match="unknown metric"):
        res.plot_heatmap(metric="cost")
    with pytest.raises(ValueError, match="unknown route"):
        res.plot_heatmap(route="nowhere")


def test_tornado_of_a_one_at_a_time_sweep(base, plt):
    from matplotlib.axes import Axes

    spec = Sweep.one_at_a_time(base, {BUNKER: [450, 650], "costs.inventory_rate_per_year": [0.05, 0.15]},
                               replications=N, seed=7)
    res = spec.run()
    ax = res.plot_tornado(route="chancay_direct")
    assert isinstance(ax, Axes)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1].startswith("costs.inventory_rate_per_year")  # the largest swing on top
    rows = res.table[res.table["route"] == "chancay_direct"].set_index("point")["cost_usd_per_teu_mean"]
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == sorted(round(rows[i] - rows[0], 6) for i in range(1, 5))
    with pytest.raises(ValueError, match="base point"):
        _grid(base).run().plot_tornado()


# ----------------------------------------------------------------- the public name
def test_routesim_sweep_is_one_callable_object_however_it_is_reached(base):
    import inspect

    from routesim.api import sweep as imported

    assert routesim.Sweep is Sweep
    assert routesim.sweep is sw.run_sweep is imported
    assert "one_at_a_time" in inspect.signature(routesim.sweep).parameters
    res = routesim.sweep(base, points=[{}], replications=N, seed=7)
    assert isinstance(res, SweepResult) and res.records == sw.run_sweep(base, points=[{}], replications=N,
                                                                        seed=7).records
    with pytest.raises(RoutesimError, match="exactly one of"):
        routesim.sweep(base, {BUNKER: [1]}, points=[{}])


def test_module_doctests():
    assert doctest.testmod(sw, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_an_error_in_a_worker_names_the_point_and_keeps_the_finished_ones(base, tmp_path):
    """A point that validates but cannot be compiled (no sea route) fails in the worker process."""
    stuck = {"routes.callao_pendulum": {"origin": "BRSSZ", "destination": "CNSHA", "vessel": "neopanamax_14000",
                                        "speed_kn": 16, "headway_days": 7,
                                        "avoid": ["panama", "good_hope", "suez", "drake", "magellan"]}}
    spec = Sweep(base, [{}, stuck], replications=N, seed=7)
    with pytest.raises(RoutesimError, match=r"^point \(routes.callao_pendulum=\{.*\}\): routes.callao_pendulum: "
                                            r"no sea route BRSSZ -> CNSHA"):
        spec.run("processes", workers=1, out=tmp_path)
    assert [f.name for f in _point_files(tmp_path)] == [f"{spec.tasks[0]['key']}.json"]


def test_parquet_keeps_mixed_parameter_values_as_json_text(base, tmp_path):
    res = Sweep.grid(base, {BUNKER: [450, "gamma(mean=650, cv=0.1)"]}, replications=N, seed=7).run(out=tmp_path)
    back = pd.read_parquet(tmp_path / "sweep.parquet")
    assert list(back[BUNKER]) == ["450", "450", '"gamma(mean=650, cv=0.1)"', '"gamma(mean=650, cv=0.1)"']
    assert list(res.table[BUNKER]) == [450, 450, "gamma(mean=650, cv=0.1)", "gamma(mean=650, cv=0.1)"]


def test_a_bad_dask_address_is_a_one_line_error(base):
    pytest.importorskip("dask.distributed")
    with pytest.raises(RoutesimError, match="cannot use the Dask scheduler at 'nonsense://x'"):
        Sweep(base, [{}], replications=N).run("dask", dask_address="nonsense://x")


def test_dask_cluster_at_an_address_gives_the_same_numbers(base):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = _grid(base).run("dask", dask_address=cluster.scheduler_address)
        assert len(cluster.workers) == 2  # the sweep left the cluster it was given running
    pd.testing.assert_frame_equal(_grid(base).run().table, remote.table, check_exact=True)


def test_dask_client_config_address_and_scheduler_file_give_the_same_numbers(base, tmp_path, monkeypatch, capsys):
    """A Client, Dask's scheduler-address configuration (DASK_SCHEDULER_ADDRESS) and a scheduler file
    all reach the same running cluster, leave it running and give the serial table."""
    distributed = pytest.importorskip("dask.distributed")
    import dask

    # a LocalCluster with Dask's defaults (an earlier test's) writes the variable into this process
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    serial = _grid(base).run().table
    sfile = tmp_path / "scheduler.json"
    with executors.local_cluster(2) as cluster, distributed.Client(cluster) as client:
        client.write_scheduler_file(str(sfile))
        pd.testing.assert_frame_equal(serial, _grid(base).run(client).table, check_exact=True)
        assert client.status == "running" and len(cluster.workers) == 2
        with dask.config.set({"scheduler-address": cluster.scheduler_address}):
            pd.testing.assert_frame_equal(serial, _grid(base).run("dask").table, check_exact=True)
        assert len(cluster.workers) == 2  # the configured cluster was used, not a new one
        pd.testing.assert_frame_equal(serial, _grid(base).run("dask", scheduler_file=str(sfile)).table,
                                      check_exact=True)
        code, out, err = _cli(capsys, "sweep", str(SCENARIO), "--grid", f"{BUNKER}=450,650", "-n", str(N),
                              "--executor", "dask", "--scheduler-file", str(sfile), "--out", str(tmp_path / "o"),
                              "--json", "--no-progress")
        assert code == 0, err
        # the local cluster: workers on 127.0.0.1 without Dask's malloc-trim setting
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        env = client.run(lambda: __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert set(env.values()) == {None}
    with pytest.raises(RoutesimError, match="takes no workers"):
        _grid(base).run(object.__new__(distributed.Client), workers=2)
    with pytest.raises(RoutesimError, match="scheduler file .*: no such file"):
        _grid(base).run("dask", scheduler_file=str(tmp_path / "missing.json"))
    with pytest.raises(RoutesimError, match="not both"):
        _grid(base).run("dask", dask_address="tcp://127.0.0.1:1", scheduler_file=str(sfile))
