"""``routesim run``: the JSON contract, options, output folder, progress bar and errors."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest

import routesim
from routesim.cli import main
from routesim.costs import COMPONENTS
from routesim.plan import KINDS

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "scenarios" / "chancay_vs_callao.yaml"
ROUTES = ("chancay_direct", "callao_via_manzanillo", "callao_via_busan", "callao_pendulum")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_number = {"type": "number"}
_stats = {"type": "object", "required": ["mean", "median", "p5", "p95"],
          "properties": {k: _number for k in ("mean", "median", "p5", "p95")}}
RUN_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["scenario", "engine", "seed", "replications", "routes"],
    "properties": {
        "scenario": {"type": "string", "minLength": 1},
        "engine": {"enum": ["montecarlo", "des"]},
        "seed": {"type": "integer", "minimum": 0},
        "replications": {"type": "integer", "minimum": 1},
        "routes": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["transit_days", "cost_usd_per_teu", "co2_t_per_teu", "co2e_wtw_t_per_teu",
                             "co2e_ttw_t_per_teu", "co2e_wtw_g_per_teu_km", "emissions_method",
                             "glec_default_g_per_teu_km", "spoiled_share", "days_by_kind", "cost_by_component"],
                "properties": {
                    "transit_days": _stats,
                    "cost_usd_per_teu": _stats,
                    "co2_t_per_teu": _stats,
                    "co2e_wtw_t_per_teu": _stats,
                    "co2e_ttw_t_per_teu": _stats,
                    "co2e_wtw_g_per_teu_km": _stats,
                    "emissions_method": {"type": "object", "required": ["data_type", "allocation", "gwp"],
                                         "properties": {"data_type": {"const": "modelled"},
                                                        "gwp": {"const": "IPCC AR6 GWP100"},
                                                        "allocation": {"type": "string", "minLength": 10}}},
                    "glec_default_g_per_teu_km": {"type": ["number", "null"], "exclusiveMinimum": 0},
                    "spoiled_share": {"type": "number", "minimum": 0, "maximum": 1},
                    "days_by_kind": {"type": "object", "required": list(KINDS),
                                     "additionalProperties": {"type": "number", "minimum": 0}},
                    "cost_by_component": {"type": "object", "required": list(COMPONENTS),
                                          "additionalProperties": _number},
                },
            },
        },
    },
}


def routesim_cmd() -> list[str]:
    script = Path(sys.executable).parent / "routesim"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from routesim.cli import main; sys.exit(main())"]


def run_cli(*args, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([*routesim_cmd(), *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300, **kw)


def run_main(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- --json
def test_json_is_exactly_one_object_matching_the_schema():
    p = run_cli("run", STUDY, "--replications", 1500, "--seed", 3, "--engine", "montecarlo", "--json")
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""  # no progress bar, no warnings: stderr is not a terminal
    obj, end = json.JSONDecoder().raw_decode(p.stdout)
    assert p.stdout[end:].strip() == ""  # nothing after the one object
    jsonschema.validate(obj, RUN_SCHEMA)
    assert obj["engine"] == "montecarlo" and obj["seed"] == 3 and obj["replications"] == 1500
    assert tuple(obj["routes"]) == ROUTES
    for r in obj["routes"].values():
        t = r["transit_days"]
        assert t["p5"] <= t["median"] <= t["p95"]
        assert sum(r["days_by_kind"].values()) >= t["mean"]  # door days include the transit


def test_schema_check_can_fail():
    broken = json.loads(json.dumps({"scenario": "x", "engine": "montecarlo", "seed": 1, "replications": 1,
                                    "routes": {"r": {"transit_days": {"mean": 1.0}}}}))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, RUN_SCHEMA)


def test_json_equals_the_python_api(capsys):
    code, out, err = run_main(capsys, "run", STUDY, "-n", 1200, "--seed", 4, "--json")
    assert code == 0 and err == ""
    api = routesim.run(routesim.load_scenario(STUDY), replications=1200, seed=4)
    assert json.loads(out) == json.loads(api.to_json())


def test_same_seed_same_json_different_seed_different_json(capsys):
    outs = []
    for seed in (5, 5, 6):
        code, out, _ = run_main(capsys, "run", STUDY, "-n", 800, "--seed", seed, "--json")
        assert code == 0
        outs.append(out)
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]
    a, c = json.loads(outs[0]), json.loads(outs[2])
    assert a["routes"]["chancay_direct"]["transit_days"]["mean"] != c["routes"]["chancay_direct"]["transit_days"]["mean"]


def test_threads_do_not_change_the_json(capsys):
    _, one, _ = run_main(capsys, "run", STUDY, "-n", 20000, "--seed", 1, "--json", "--threads", 1)
    _, two, _ = run_main(capsys, "run", STUDY, "-n", 20000, "--seed", 1, "--json", "--threads", 2,
                         "--set", "montecarlo.chunk_size=5000")
    assert one == two


def test_set_changes_the_scenario(capsys):
    _, base, _ = run_main(capsys, "run", STUDY, "-n", 600, "--seed", 2, "--json")
    _, dear, _ = run_main(capsys, "run", STUDY, "-n", 600, "--seed", 2, "--json",
                          "--set", "costs.bunker_usd_per_t=1070", "--set", "costs.carbon_usd_per_t=100")
    a, b = json.loads(base), json.loads(dear)
    for name in ROUTES:
        fa, fb = a["routes"][name]["cost_by_component"], b["routes"][name]["cost_by_component"]
        ca, cb = a["routes"][name]["carrier_cost_by_component"], b["routes"][name]["carrier_cost_by_component"]
        assert cb["fuel"] == pytest.approx(2 * ca["fuel"], rel=1e-12)
        assert fa["carbon"] == 0
        assert fb["carbon"] == pytest.approx(100 * a["routes"][name]["co2_t_per_teu"]["mean"], rel=1e-12)
        assert b["routes"][name]["transit_days"] == a["routes"][name]["transit_days"]


def test_replications_and_seed_default_to_the_scenario(capsys):
    code, out, _ = run_main(capsys, "run", STUDY, "--json", "--set", "replications=700")
    assert code == 0
    obj = json.loads(out)
    assert obj["seed"] == 42 and obj["replications"] == 700
    assert all(r["n"] == 700 for r in obj["routes"].values())


# ---------------------------------------------------------------- --out
def test_out_writes_readable_files(tmp_path, capsys):
    out_dir = tmp_path / "run1"
    code, out, err = run_main(capsys, "run", STUDY, "-n", 1000, "--seed", 8, "--out", out_dir, "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert json.loads((out_dir / "summary.json").read_text()) == obj
    summary = pd.read_csv(out_dir / "summary.csv", index_col="route")
    assert tuple(summary.index) == ROUTES
    assert summary.loc["chancay_direct", "transit_days_mean"] == pytest.approx(
        obj["routes"]["chancay_direct"]["transit_days"]["mean"], rel=1e-12)
    ship = pd.read_parquet(out_dir / "shipments.parquet")
    assert len(ship) == 1000 * len(ROUTES)
    assert set(ship["route"].astype(str)) == set(ROUTES)
    direct = ship.loc[ship["route"] == "chancay_direct", "transit_days"]
    assert direct.mean() == pytest.approx(obj["routes"]["chancay_direct"]["transit_days"]["mean"], rel=1e-12)
    import matplotlib.image as mpimg

    for png in ("transit_ecdf.png", "days_by_kind.png"):
        path = out_dir / png
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        img = mpimg.imread(path)
        assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 200
        assert np.ptp(img[..., :3]) > 0.5  # something is drawn


def test_out_without_the_shipment_table(tmp_path, capsys):
    out_dir = tmp_path / "run2"
    code, out, _ = run_main(capsys, "run", STUDY, "-n", 500, "--out", out_dir,
                            "--set", "montecarlo.keep_shipments=false")
    assert code == 0
    assert "route chancay_direct" in out and str(out_dir) in out
    names = {p.name for p in out_dir.iterdir()}
    assert {"summary.csv", "summary.json", "transit_ecdf.png", "days_by_kind.png"} <= names
    assert "shipments.parquet" not in names


def test_text_output_by_default(capsys):
    code, out, err = run_main(capsys, "run", STUDY, "-n", 500, "--seed", 1)
    assert code == 0 and err == ""
    assert out.startswith("Peru to Shanghai")
    for name in ROUTES:
        assert f"route {name}" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


# ---------------------------------------------------------------- progress bar
def _run_with_pty_stderr(*args) -> tuple[int, str, str]:
    import pty

    master, slave = pty.openpty()
    try:
        p = subprocess.Popen([*routesim_cmd(), *map(str, args)], stdout=subprocess.PIPE, stderr=slave, cwd=ROOT,
                             env={**os.environ, "MPLBACKEND": "Agg", "TERM": "xterm"})
        os.close(slave)
        err = b""
        while True:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                err += chunk
            elif p.poll() is not None:
                break
        out = p.stdout.read()
        p.wait(timeout=300)
    finally:
        os.close(master)
    return p.returncode, out.decode(), err.decode(errors="replace")


needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


@needs_pty
def test_json_stays_pure_when_stderr_is_a_terminal():
    code, out, _ = _run_with_pty_stderr("run", STUDY, "-n", 400, "--json")
    assert code == 0
    assert out.startswith("{") and out.endswith("}\n")
    json.loads(out)


@needs_pty
def test_progress_bar_goes_to_the_terminal_not_into_stdout():
    code, out, err = _run_with_pty_stderr("run", STUDY, "-n", 30_000, "--seed", 1)
    assert code == 0
    assert out.startswith("Peru to Shanghai")  # stdout is the table, nothing else
    assert "simulating" in err


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("args, needle", [
    (["-n", "0"], "must be >= 1"),
    (["--seed", "-1"], "must be >= 0"),
    (["--engine", "fast"], "invalid choice"),
    (["--set", "costs.bunker_usd_per_tonne=600"], "bunker_usd_per_tonne"),
    (["--set", "replications"], "KEY=VALUE"),
])
def test_bad_options_exit_2_with_one_line_and_no_traceback(capsys, args, needle):
    try:
        code = main(["run", str(STUDY), *args])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2
    assert needle in err and "Traceback" not in err
    assert out == ""


@pytest.mark.parametrize("module", ["routesim.cli", "routesim"])
def test_python_dash_m_runs_the_same_command(module):
    p = subprocess.run([sys.executable, "-m", module, "run", str(STUDY), "-n", "300", "--seed", "2", "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"})
    assert p.returncode == 0, p.stderr
    jsonschema.validate(json.loads(p.stdout), RUN_SCHEMA)


def test_missing_scenario_file_is_a_clean_error():
    p = run_cli("run", "scenarios/no_such_file.yaml", "--json")
    assert p.returncode == 2
    assert p.stdout == "" and "no_such_file" in p.stderr and "Traceback" not in p.stderr
