"""The calibration table: every shipped figure is sourced, has a unit, and docs/calibration.md is current."""

import json
from pathlib import Path

from routesim import cli
from routesim.catalogue.sources import figures, markdown

ROOT = Path(__file__).resolve().parents[2]


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


def test_errors_survive_pickling():
    import pickle

    from routesim.distributions import DistributionError
    from routesim.errors import NoRouteError, ScenarioError, UnknownNameError

    e = pickle.loads(pickle.dumps(ScenarioError(["a.yaml:1:1: x: bad", "a.yaml:2:1: y: bad"])))
    assert e.issues == ("a.yaml:1:1: x: bad", "a.yaml:2:1: y: bad")
    u = pickle.loads(pickle.dumps(UnknownNameError("unknown port 'X'", ("PECHY Chancay",))))
    assert str(u) == "unknown port 'X'" and u.suggestions == ("PECHY Chancay",)
    n = pickle.loads(pickle.dumps(NoRouteError("no route", ("panama",))))
    assert n.closed == ("panama",)
    d = pickle.loads(pickle.dumps(DistributionError("bad", col=3, text="gama(1)", param="mean")))
    assert (d.col, d.text, d.param) == (3, "gama(1)", "mean")


def test_atomic_writes_have_normal_permissions(tmp_path):
    import os

    from routesim._atomic import atomic_write as atomic_write_bytes
    from routesim._atomic import atomic_write_text

    mask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.txt", "x")
        atomic_write_bytes(tmp_path / "b.bin", b"x")
    finally:
        os.umask(mask)
    for name in ("a.txt", "b.bin"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]  # no temporary files left


def test_units_read_from_names_entries_and_sections():
    from routesim.catalogue.sources import unit_of, unit_words

    assert [unit_of(p) for p in ("t_per_teu", "kwh_per_teu", "units_per_teu", "price_usd_per_kwh",
                                 "settlement_fee_rate_local_currency", "handling_cv", "usd_per_feu")] == [
        "t/TEU", "kWh/TEU", "units/TEU", "USD/kWh", "share of value", "coefficient of variation", "USD/FEU"]
    assert unit_words("usd_per_teu") == "USD/TEU" and unit_words("usd_per_container") == "usd_per_container"
    rows = {(r.file, r.entry, r.parameter): r for r in figures()}
    # a series point inherits its series' unit; a disclosure's value its entry's; a year its section's
    assert rows[("freight.yaml", "scfi_south_america", "points.[0]")].unit == "USD/TEU"
    assert rows[("disclosures.yaml", "maersk_2018q1", "value")].unit == "USD/FEU"
    assert rows[("freight.yaml", "baf_reference_bunker_usd_per_t", "2025")].unit == "USD/t"
    # a figure the record does not give shows its gap as its source
    gap = rows[("disclosures.yaml", "others", "value")]
    assert gap.value is None and gap.source.startswith("GAP: ")


def test_a_copy_on_a_bare_ip_address_names_its_publisher():
    import re

    bare = re.compile(r"https?://(?:[0-9]+\.){3}[0-9]+[^\s)\"']*|https?://[0-9.]+\.bc\.googleusercontent\.com[^\s)\"']*")
    host = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|int|pe|cl|br|cn|mx)\b")
    for r in figures():
        if bare.search(r.source):
            assert host.search(bare.sub("", r.source)), r


def test_no_source_points_at_the_unshipped_research_notes():
    """A citation is followed by a user: none may point at the research notes the package does not ship.

    ``calibration.md`` (the project's notes, with its sections 1a-8) is not in the package; only the
    generated ``docs/calibration.md`` is, and that is the table of these very sources.  Every figure's
    ``source`` and every line of a shipped data file must name the primary source instead.
    """
    import re
    from importlib import resources

    unshipped = re.compile(r"(?<!docs/)calibration\.md")
    for r in figures():
        assert not unshipped.search(r.source), r
    for path in sorted(resources.files("routesim.data").iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                assert not unshipped.search(line), f"{path.name}:{no}: {line.strip()}"
