"""routesim best and routesim optimise-speed: text, --json, and bad input (exit 2, no traceback)."""

import json

import pytest

from routesim.cli import main

from conftest import SCENARIOS


def test_best_text_and_json(capsys):
    assert main(["best", "PECHY", "CNSHA", "--cargo", "blueberries", "-n", "300", "--teu", "2"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    first = next(ln for ln in lines if ln.strip().startswith("1 "))
    assert "cosco_chancay_shanghai" in first and first.rstrip().endswith("*")
    assert "Pareto front" in out and "notes:" in out
    assert main(["best", "Chancay", "Shanghai", "--cargo", "blueberries", "-n", "300", "--objective", "door_days",
                 "--max-p95-door-days", "45", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["objective"] == "door_days" and d["candidates"][0]["route"] == "cosco_chancay_shanghai"
    assert d["max_p95_door_days"] == 45 and "cosco_chancay_shanghai" in d["pareto"]


def test_optimise_speed_text_and_json(capsys):
    scen = str(SCENARIOS / "santos_to_shanghai.yaml")
    assert main(["optimise-speed", scen, "via_cape"]) == 0
    out = capsys.readouterr().out
    assert "optimum" in out and "closed form" in out and "ships/wk" in out
    assert main(["optimise-speed", scen, "via_cape", "--bunker-usd-per-t", "900", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["bunker_usd_per_t"] == 900 and d["optimum_speed_kn"] == pytest.approx(d["closed_form_kn"], rel=0.01)
    assert d["ships_weekly"]["optimum"] >= d["ships_weekly"]["current"]  # dearer fuel: slower, more ships


@pytest.mark.parametrize("argv,message", [
    (["best", "PECHY", "Shanghaj", "--cargo", "blueberries"], "did you mean CNSHA"),
    (["best", "PECHY", "CNSHA", "--cargo", "bluebery"], "did you mean blueberries"),
    (["best", "PECHY", "CNSHA", "--cargo", "blueberries", "--date", "2025-02-30"], "YYYY-MM-DD"),
    (["best", "MXVER", "CNSHA", "--cargo", "general_cargo"], "no routing found"),
    (["best", "PECHY", "CNSHA", "--cargo", "general_cargo", "--objective", "value"], "does not perish"),
    (["best", "PECHY", "CNSHA", "--cargo", "blueberries", "-n", "0"], "must be > 0"),
    (["best", "CNSHA", "BRSSA", "--cargo", "evs", "-n", "50", "--date", "2026-11-23"], "outside the scfi_south_america"),
    (["best", "PECHY", "PECLL", "--cargo", "evs"], "same place"),
    (["optimise-speed", str(SCENARIOS / "chancay_vs_callao.yaml"), "chancay"], "did you mean chancay_direct"),
    (["optimise-speed", str(SCENARIOS / "nope.yaml"), "x"], "nope.yaml"),
    (["optimise-speed", str(SCENARIOS / "santos_to_shanghai.yaml"), "via_cape", "--bunker-usd-per-t", "9000"],
     "5,000"),
])
def test_bad_input_exits_2_with_one_message(capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
