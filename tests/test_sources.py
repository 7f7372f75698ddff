"""The calibration table: every shipped figure is sourced, has a unit, and docs/calibration.md is current."""

import json
from pathlib import Path

from routesim import cli
from routesim.sources import figures, markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_calibration_table_is_current():
    committed = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    assert committed == markdown(), "regenerate: routesim sources --markdown > docs/calibration.md"


def test_every_figure_has_a_source_and_a_unit():
    rows = figures()
    assert len(rows) > 200
    for r in rows:
        assert len(r.source) >= 10, r
        assert r.unit, r
        assert r.confidence in ("", "H", "M", "L"), r


def test_derived_figures_state_a_method():
    derived = [r for r in figures() if r.derived]
    assert derived
    for r in derived:
        # a derivation states its method and inputs in words, not a bare tag
        assert len(r.source.split()) >= 6, r


def test_no_placeholder_figures():
    for r in figures():
        text = r.source.lower()
        assert "placeholder" not in text and "tbd" not in text.split(), r


def test_cli_sources_json(capsys):
    assert cli.main(["sources", "--json", "--derived"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["figures"] and all(f["derived"] for f in data["figures"])
