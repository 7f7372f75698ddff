"""The HTML report (issue 17, item 2), the DES frames behind its animated map, ``routesim report`` and
``routesim sweep --plot`` (item 6). The report in a real browser: tests/test_report_browser.py."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import routesim
from routesim import cli
from routesim.coast import on_land
from routesim.results.des_frames import vessel_frames
from routesim.results.report import used_sources
from routesim.results.report_figures import des_animation_figure

from conftest import SCENARIOS, small_scenario

pytest.importorskip("plotly")
pytest.importorskip("cartopy")

STUDY = str(SCENARIOS / "chancay_vs_callao.yaml")


@pytest.fixture(scope="module")
def mc():
    return routesim.run(small_scenario(), replications=300, seed=5, montecarlo__keep_shipments=True)


@pytest.fixture(scope="module")
def des():
    s = small_scenario(routes={"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"},
                               "panama": {"origin": "BRSSZ", "destination": "CNSHA", "vessel": "neopanamax_14000",
                                          "speed_kn": 16.0, "headway_days": 7,
                                          "avoid": ["good_hope", "suez", "drake", "magellan"]}},
                       horizon_days=30, des={"replications": 1, "warmup_days": 10})
    return routesim.run(s, engine="des", workers=1)


def test_report_is_one_offline_file_with_every_section(mc, tmp_path):
    path = tmp_path / "r.html"
    html = mc.to_html(path, scenario=small_scenario())
    assert path.read_text(encoding="utf-8") == html
    assert not re.search(r"src=[\"']?(https?:)?//", html) and "<link" not in html  # nothing loaded from the web
    assert len(re.findall(r"<script", html)) >= 5 and "Plotly.newPlot" in html
    scripts = re.findall(r"<script type='text/javascript'>(.*?)</script>", html, flags=re.S)
    assert scripts and len(scripts[0]) > 1_000_000  # plotly.js itself, inline
    for section in ("Scenario", "Summary by route", "Distributions", "Where the days and the dollars go", "Map",
                    "Sources of the figures used", "settings (YAML)"):
        assert section in html, section
    assert "Discrete-event run" not in html  # a Monte Carlo run has no animated map
    s = mc.summary().loc["direct"]
    assert f"{s['transit_days_ci_low']:,.2f} &ndash; {s['transit_days_ci_high']:,.2f}" in html
    assert "data:image/png;base64," in html
    for div in ("fig-ecdf", "fig-days", "fig-cost", "fig-map"):
        assert f'id="{div}"' in html
    assert "settings (YAML)" not in mc.to_html()  # without the scenario, no settings


def test_report_of_a_des_run_has_the_animated_map_and_engine_stats(des):
    html = des.to_html()
    assert 'id="fig-des"' in html and "Engine statistics" in html and "berth_utilisation" in html
    fig = des_animation_figure(des)
    frames = vessel_frames(des)
    assert len(fig.frames) == len(frames.times) and len(fig.layout.sliders[0].steps) == len(frames.times)
    xs = [tuple(np.round(np.asarray(f.data[0].x, dtype=float), 3)) for f in fig.frames]
    assert len(set(xs)) > len(xs) // 2  # vessels move from frame to frame


def test_vessel_positions_follow_the_event_log(des):
    frames = vessel_frames(des)
    ev = des.extra["events"]
    ev = ev.loc[ev["replication"] == 0]
    pos = frames.positions
    assert set(pos["status"]) <= {"sailing", "waiting", "alongside", "held", "canal queue", "in canal"}
    assert {"sailing", "alongside"} <= set(pos["status"])
    # at each sampled day, the vessels waiting at a port are those the log shows arrived and not yet berthed
    for t in frames.times[::5]:
        for place in ("PECHY", "CNSHA"):
            sub = ev.loc[(ev["place"].astype(str) == place) & (ev["time"] <= t)]
            last = sub.groupby(sub["vessel"].astype(str), observed=True)["kind"].last().astype(str)
            later = ev.loc[(ev["time"] > t) & (ev["vessel"].astype(str).isin(last.index))]
            waiting = sum(1 for v, k in last.items() if k == "arrive" and len(later.loc[later["vessel"].astype(str) == v]))
            q = frames.queues
            got = q.loc[(q["time"] == t) & (q["place"] == place), "waiting"]
            assert (int(got.iloc[0]) if len(got) else 0) == waiting, (t, place)
    # a sailing vessel is at sea, between its ports' latitudes (Chancay 11.6S, Shanghai 30.6N; Santos 24S)
    sailing = pos.loc[pos["status"] == "sailing"]
    assert sailing["lat"].between(-60.0, 60.0).all() and on_land(sailing["lon"], sailing["lat"]).mean() < 0.05


def test_no_event_log_no_animation(mc):
    assert vessel_frames(mc) is None and des_animation_figure(mc) is None


def test_sources_are_those_the_routes_use(mc):
    rows = used_sources(mc.plan)
    entries = {r.entry for r in rows}
    assert {"PECHY", "CNSHA", "cosco_chancay_shanghai"} <= entries
    assert "BRSSZ" not in entries and "hmm_fil" not in entries  # ports and services the run does not use
    assert all(r.source for r in rows)


def test_cli_report_writes_the_file_and_bad_output_is_exit_2(tmp_path, capsys):
    out = tmp_path / "sub" / "report.html"
    code = cli.main(["report", STUDY, "-o", str(out), "-n", "200", "--set", "routes.callao_via_busan=null",
                     "--set", "routes.callao_pendulum=null"])
    assert code == 0 and out.stat().st_size > 1_000_000 and f"wrote {out}" in capsys.readouterr().out
    assert cli.main(["report", STUDY, "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and "Traceback" not in err
    assert cli.main(["report", str(tmp_path / "missing.yaml"), "-o", str(out)]) == 2


def test_sweep_plot_writes_the_heatmap_and_the_tornado(tmp_path, capsys):
    base = ["--set", "routes.callao_via_manzanillo=null", "--set", "routes.callao_via_busan=null",
            "--set", "routes.callao_pendulum=null", "-n", "100", "--executor", "serial", "--no-progress"]
    grid = tmp_path / "grid"
    assert cli.main(["sweep", STUDY, "--grid", "costs.bunker_usd_per_t=450,650", "--grid",
                     "routes.chancay_direct.speed_kn=15,19", "--out", str(grid), "--plot", "--json", *base]) == 0
    cap = capsys.readouterr()
    assert json.loads(cap.out)["figures"] == [str(grid / "heatmap_chancay_direct.png")]
    assert (grid / "heatmap_chancay_direct.png").read_bytes()[:4] == b"\x89PNG" and "no tornado" in cap.err
    spec = tmp_path / "oat.yaml"
    spec.write_text(f"scenario: {STUDY}\none_at_a_time:\n  costs.bunker_usd_per_t: [450, 650]\n")
    oat = tmp_path / "oat"
    assert cli.main(["sweep", "--sweep-file", str(spec), "--root", "/", "--out", str(oat), "--plot", *base]) == 0
    cap = capsys.readouterr()
    assert (oat / "tornado_chancay_direct.png").exists() and not list(oat.glob("heatmap_*"))
    assert f"wrote {oat / 'tornado_chancay_direct.png'}" in cap.out
    assert cli.main(["sweep", STUDY, "--grid", "costs.bunker_usd_per_t=450", "--out", str(tmp_path / "p"), *base]) == 0
    assert not list((tmp_path / "p").glob("*.png"))  # without --plot, no figure
