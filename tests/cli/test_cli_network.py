"""`routesim ports` and `routesim route`: output shape, JSON, and clean errors."""

import json
import subprocess
import sys

import pytest

from routesim.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_route_json_shape(capsys):
    code, out, err = run(capsys, "route", "PECHY", "cnsha", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)  # exactly one JSON object
    assert d["origin"] == "PECHY" and d["destination"] == "CNSHA"
    assert d["distance_nm"] == pytest.approx(9350, rel=0.05)
    assert isinstance(d["chokepoints"], list)
    assert all(isinstance(p, list) and len(p) == 2 for p in d["path"])
    assert d["legs"] and {"from", "to", "distance_nm", "chokepoint"} <= set(d["legs"][0])


def test_route_with_via_and_avoid(capsys):
    code, out, _ = run(capsys, "route", "Santos", "Shanghai", "--via", "Balboa", "--avoid", "good_hope", "--json")
    d = json.loads(out)
    assert code == 0 and d["calls"] == ["BRSSZ", "PABLB", "CNSHA"] and "panama" in d["chokepoints"]
    code, out, _ = run(capsys, "route", "BRSSZ", "PECHY", "--avoid", "panama", "--vessel-teu", "14000", "--json")
    assert "drake" in json.loads(out)["chokepoints"]


def test_route_human_summary(capsys):
    code, out, _ = run(capsys, "route", "chancay", "shanghai")
    assert code == 0
    assert "PECHY Chancay -> CNSHA Shanghai" in out and "nm" in out and "bering" in out


def test_ports_table_and_json(capsys):
    code, out, _ = run(capsys, "ports")
    assert code == 0 and "PECHY" in out and "Chancay" in out and "annual TEU" in out
    code, out, _ = run(capsys, "ports", "--json")
    rows = json.loads(out)["ports"]
    assert {"code", "name", "country", "lat", "lon", "berths", "annual_teu"} <= set(rows[0])
    assert "PECHY" in {r["code"] for r in rows}


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["route", "Chancai", "CNSHA"], "did you mean PECHY Chancay"),
        (["route", "PECHY", "CNSHA", "--avoid", "panamaa"], "did you mean panama"),
        (["route", "PECHY", "PECHY"], "same port"),
        (["route", "PAMIT", "PABLB", "--avoid", "panama", "--avoid", "magellan", "--avoid", "drake",
          "--avoid", "good_hope", "--avoid", "suez"], "panama"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_console_script_has_no_traceback():
    p = subprocess.run([sys.executable, "-c", "import sys; from routesim.cli import main; sys.exit(main())",
                        "route", "Atlantis", "CNSHA"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and p.stderr.strip().count("\n") == 0
    assert "unknown port" in p.stderr


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["route", "PECHY"])
    assert e.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
