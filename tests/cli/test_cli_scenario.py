"""`routesim validate`, `routesim schema`, and scenario errors from `routesim run`: exit codes and output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from routesim.cli import main
from routesim.scenario.files import load_with_extends as _load_with_extends
from routesim.yamlio import load_marked

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
CORPUS = ROOT / "tests" / "scenario" / "bad_scenarios"
# what the console script runs
ROUTESIM = [sys.executable, "-c", "import sys; from routesim.cli import main; sys.exit(main())"]
GOOD = "name: good\nroutes:\n  direct: {origin: PECHY, destination: CNSHA, service: cosco_chancay_shanghai}\n"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- validate
def test_validate_good_files_exit_0_with_one_line_each(capsys):
    code, out, err = run(capsys, "validate", *SHIPPED)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(SHIPPED)
    for path, line in zip(SHIPPED, lines):
        assert line.startswith(f"{path}: ok - '") and "route(s)" in line and "replications" in line


def test_validate_bad_file_exits_2_with_every_error_on_stderr(capsys, monkeypatch):
    monkeypatch.chdir(CORPUS)
    code, out, err = run(capsys, "validate", "several_errors.yaml")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "several_errors.yaml:2:15: replications: must be > 0 (got -3)",
        "several_errors.yaml:4:9: cargo.kind: must be 'dry', 'reefer', 'bulk' or 'roro' (got 'frozen')",
        "several_errors.yaml:5:19: cargo.origin_country: must be a two-letter country code in capitals, "
        "such as PE or CN (got 'peru')",
        "several_errors.yaml:8:13: routes.direct.origin: unknown port 'Chancai' (did you mean PECHY Chancay?)",
        "several_errors.yaml:11:5: routes.direct.colour: unknown key 'colour' (the keys here are origin, "
        "destination, description, via, transship_at, avoid, service, services, vessel, speed_kn, headway_days, "
        "segments, overland, cargo, demand_teu_per_week, freight)",
        "several_errors.yaml:12:3: routes.bad name: a route name must start with a letter and hold only letters, "
        "digits, '_' and '-' (got 'bad name')",
    ]


def test_validate_reports_compile_errors_with_the_route_line(capsys, monkeypatch):
    monkeypatch.chdir(CORPUS)
    code, out, err = run(capsys, "validate", "closed_passage.yaml")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert [x.split(": ")[0] for x in lines] == ["closed_passage.yaml:3:3", "closed_passage.yaml:12:3"]
    assert all("no sea route BRSSZ -> CNSHA" in x for x in lines)


def test_validate_mixed_files_checks_them_all(capsys, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("PECHY", "Chancai"))
    code, out, err = run(capsys, "validate", bad, good, tmp_path / "missing.yaml")
    assert code == 2
    assert out == f"{good}: ok - 'good': 1 route(s) (direct), engine montecarlo, 10,000 replications, seed 0\n"
    assert err.splitlines() == [
        f"{bad}:3:20: routes.direct.origin: unknown port 'Chancai' (did you mean PECHY Chancay?)",
        f"{tmp_path / 'missing.yaml'}: no such file",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.yaml") if p.name != "expected.yaml"))
def test_validate_never_tracebacks_on_the_corpus(capsys, monkeypatch, name):
    monkeypatch.chdir(CORPUS)
    code, out, err = run(capsys, "validate", name)
    if name.startswith("set_"):  # valid files, used with bad --set options
        assert code == 0
        return
    assert code == 2 and out == "" and err.strip()
    assert "Traceback" not in err


def test_validate_as_a_process_has_no_traceback():
    p = subprocess.run([*ROUTESIM, "validate", "alias_bomb.yaml", "python_object_tag.yaml",
                        "not_utf8.yaml", "extends_cycle_a.yaml"],
                       capture_output=True, text=True, timeout=120, cwd=CORPUS)
    assert p.returncode == 2 and p.stdout == ""
    assert "Traceback" not in p.stderr
    assert len(p.stderr.splitlines()) == 4


# ---------------------------------------------------------------- schema
def test_schema_prints_a_valid_json_schema(capsys):
    code, out, err = run(capsys, "schema")
    assert code == 0 and err == ""
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"name", "routes", "cargo", "costs", "disruptions", "extends"} <= set(schema["properties"])


def test_schema_validates_every_shipped_scenario_and_rejects_mistakes(capsys):
    _, out, _ = run(capsys, "schema")
    v = jsonschema.Draft202012Validator(json.loads(out))
    for path in SHIPPED:
        data, _ = _load_with_extends(path, str(path), ())  # as loaded, extends merged
        data.pop("extends", None)
        assert not list(v.iter_errors(data)), path
        raw, _ = load_marked(path)  # as an editor sees the file
        assert not list(v.iter_errors(raw)), path
    good = {"name": "x", "routes": {"r": {"origin": "PECHY", "destination": "CNSHA",
                                          "service": "cosco_chancay_shanghai"}}}
    assert not list(v.iter_errors(good))
    for bad in ({**good, "replicatons": 5}, {**good, "replications": 0}, {**good, "replications": 1.5},
                {**good, "cargo": {"kind": "frozen"}}, {**good, "costs": {"bunker_usd_per_t": -5}},
                {**good, "costs": {"bunker_usd_per_t": "import os"}}, {"name": "x"},
                {**good, "disruptions": [{"kind": "strike", "where": "PECHY"}]}):
        assert list(v.iter_errors(bad)), bad


# ---------------------------------------------------------------- run
@pytest.mark.parametrize("options,message", [
    (["--set", "costs.bunker_usd_per_t"],
     "routesim: error: --set: expected KEY=VALUE (such as costs.bunker_usd_per_t=650), got 'costs.bunker_usd_per_t'"),
    (["--set", "costs.bunker_usd_per_t=-650"],
     "routesim: error: --set: costs.bunker_usd_per_t: -650 is negative; must be >= 0"),
    (["--set", "costs.bunker=650"],
     "routesim: error: --set: costs.bunker: unknown key 'bunker' (did you mean bunker_usd_per_t?)"),
    (["--set", "disruptions[0].factor=0.5"],
     "routesim: error: --set: disruptions[0].factor: there is no list disruptions to change"),
    (["--set", "costs..bunker=1"],
     "routesim: error: --set: cannot read the key 'costs..bunker' (write a dotted path such as "
     "costs.bunker_usd_per_t or disruptions[0].factor)"),
    (["--set", "costs.bunker_usd_per_t=gamma(mean=600"],
     "routesim: error: --set: costs.bunker_usd_per_t: invalid distribution expression 'gamma(mean=600': "
     "'(' was never closed"),
])
def test_run_with_a_bad_set_exits_2_with_one_clear_message(capsys, tmp_path, options, message):
    p = tmp_path / "good.yaml"
    p.write_text(GOOD)
    code, out, err = run(capsys, "run", p, "--no-progress", *options)
    assert code == 2 and out == ""
    assert err == message + "\n"


def test_run_with_a_bad_file_exits_2_without_a_traceback(capsys, monkeypatch):
    monkeypatch.chdir(CORPUS)
    code, out, err = run(capsys, "run", "unknown_port.yaml", "--no-progress")
    assert code == 2 and out == ""
    assert err == ("routesim: error: unknown_port.yaml:14:13: routes.direct.origin: unknown port 'Chancai' "
                   "(did you mean PECHY Chancay?)\n")
    for name in ("empty.yaml", "yaml_syntax.yaml", "python_object_tag.yaml", "closed_passage.yaml", "nope.yaml"):
        code, out, err = run(capsys, "run", name, "--no-progress")
        assert code == 2 and out == "" and err.startswith("routesim: error:") and "Traceback" not in err


def test_run_as_a_process_with_bad_set_has_no_traceback(tmp_path):
    p = tmp_path / "good.yaml"
    p.write_text(GOOD)
    proc = subprocess.run([*ROUTESIM, "run", str(p), "--no-progress",
                           "--set", "replications=0"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == "routesim: error: --set: replications: must be > 0 (got 0)\n"


def test_validate_checks_sweep_files_and_every_point(capsys, tmp_path):
    sweeps = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))
    assert sweeps and main(["validate", *map(str, sweeps)]) == 0
    out = capsys.readouterr().out
    assert all(f"{p}: ok - sweep of " in out for p in sweeps)
    bad = tmp_path / "bad_sweep.yaml"
    bad.write_text("scenario: chancay_vs_callao.yaml\ngrid:\n  costs.bunker_usd_per_t: [500, 580000]\n")
    for name in ("chancay_vs_callao.yaml", "base.yaml"):
        shutil.copy(ROOT / "scenarios" / name, tmp_path / name)
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "costs.bunker_usd_per_t" in err and "plausible range" in err and "Traceback" not in err


def test_schema_describes_fields_and_states_their_ranges(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    rep = schema["properties"]["replications"]
    assert "shipments per route" in rep["description"]
    assert any(a.get("maximum") == 100_000_000 for a in rep.get("anyOf", [rep]))
    des = schema["$defs"]["DesOptions"]["properties"]["warmup_days"]
    assert "warm" in des["description"].lower() or "before the study window" in des["description"]


def _enums(node) -> list[list]:
    """Every enum list in a schema node (through anyOf)."""
    if isinstance(node, dict):
        out = [node["enum"]] if "enum" in node else []
        for v in node.values():
            out += _enums(v)
        return out
    if isinstance(node, list):
        return [e for v in node for e in _enums(v)]
    return []


def test_schema_offers_the_catalogue_names(capsys):
    from routesim import catalogue

    assert main(["schema"]) == 0
    defs = json.loads(capsys.readouterr().out)["$defs"]
    route = defs["RouteSpec"]["properties"]
    assert sorted(catalogue.ports()) in _enums(route["origin"])
    assert sorted(catalogue.services()) in _enums(route["service"])
    assert sorted(catalogue.commodities()) in _enums(defs["CargoSpec"]["properties"]["commodity"])
    # names routesim resolves beyond the codes (a port's name, a class the scenario defines) stay valid
    validator = jsonschema.Draft202012Validator(json.loads(json.dumps(defs["RouteSpec"]["properties"]["origin"])))
    assert validator.is_valid("Chancay") and validator.is_valid("PECHY")


@pytest.mark.parametrize("command", [[], ["run"], ["validate"], ["sweep"], ["compare"], ["route"], ["sources"]])
def test_help_is_plain_text(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and out.startswith("usage: routesim")
    assert "``" not in out and ":func:" not in out and ":mod:" not in out
