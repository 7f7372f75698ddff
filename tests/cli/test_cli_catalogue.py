"""routesim services / vessels / commodities (text and --json) and route --speed-kn."""

import json

import pytest

from routesim import catalogue
from routesim.cli import main


@pytest.mark.parametrize("table,loader", [("services", catalogue.services),
                                          ("vessels", lambda: {**catalogue.vessel_classes(), **catalogue.tramp_classes()}),
                                          ("commodities", catalogue.commodities)])
def test_listing_commands_text_and_json(capsys, table, loader):
    assert main([table]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith("id") and len(text) == 1 + len(loader())
    assert main([table, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)[table]
    assert [r["id"] for r in rows] == list(loader())


def test_services_json_carries_the_rotation(capsys):
    main(["services", "--json"])
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["services"]}
    for sid, s in catalogue.services().items():
        assert rows[sid]["rotation"] == list(s.rotation) and rows[sid]["vessel"] == s.vessel


def test_route_prints_days_at_sea(capsys):
    assert main(["route", "Chancay", "Shanghai", "--speed-kn", "17"]) == 0
    out = capsys.readouterr().out
    nm = float(next(ln for ln in out.splitlines() if ln.startswith("distance:")).split()[1].replace(",", ""))
    line = next(ln for ln in out.splitlines() if ln.startswith("at sea:"))
    assert f"{nm / 17 / 24:.1f} days at 17 kn" in line
    assert main(["route", "Chancay", "Shanghai", "--speed-kn", "17", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["days_at_sea"] == pytest.approx(d["distance_nm"] / 17 / 24, rel=1e-3) and d["speed_kn"] == 17


def test_route_without_speed_prints_no_days(capsys):
    main(["route", "Chancay", "Shanghai"])
    assert "at sea" not in capsys.readouterr().out
    main(["route", "Chancay", "Shanghai", "--json"])
    assert "days_at_sea" not in json.loads(capsys.readouterr().out)


def test_bad_speed_is_a_one_line_error(capsys):
    assert main(["route", "Chancay", "Shanghai", "--speed-kn", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("routesim: error:") and "--speed-kn" in err and "Traceback" not in err
