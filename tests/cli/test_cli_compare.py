"""`routesim compare`: two routes of one run, or two scenarios route by route."""

import json
from pathlib import Path

from routesim.cli import main

STUDY = str(Path(__file__).resolve().parents[2] / "scenarios" / "chancay_vs_callao.yaml")
SEASON = str(Path(__file__).resolve().parents[2] / "scenarios" / "blueberry_season.yaml")


def test_compare_two_routes_json(capsys):
    assert main(["compare", STUDY, "chancay_direct", "callao_via_busan", "-n", "3000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["metric"]: r for r in data["rows"]}
    t = rows["transit_days"]
    assert t["difference"] == t["callao_via_busan"] - t["chancay_direct"] > 5
    assert rows["days:transshipment"]["chancay_direct"] == 0


def test_compare_two_scenarios_route_by_route(capsys):
    assert main(["compare", STUDY, SEASON, "-n", "2000"]) == 0
    out = capsys.readouterr().out
    assert "route by route" in out and "callao_pendulum" in out


def test_compare_unknown_route_exits_2_with_a_suggestion(capsys):
    assert main(["compare", STUDY, "chancay", "callao_via_busan", "-n", "100"]) == 2
    err = capsys.readouterr().err
    assert "did you mean chancay_direct?" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
