"""The HTML report in a real browser (issue 17, item 3): headless Chromium opens a discrete-event
run's report from disk, offline, and the test checks that no JavaScript error is logged, that every
figure renders (a screenshot that is not blank, land where the map says land is, sea where it says
sea) and that moving the time slider changes the animated map.

Chromium and its driver are Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs
them). selenium drives them through ``/usr/bin/chromedriver``, so selenium-manager never downloads
a browser. Without Chromium the test is skipped on a developer's machine and fails in CI
(``CI`` set), so that it can never pass there without running.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

import routesim
from routesim.results.mapview import map_view, view_x
from routesim.results.report_figures import LAND

from conftest import small_scenario

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = Path("/usr/bin/chromedriver")


def _browser_or_skip():
    missing = [what for what, ok in (("chromium", CHROMIUM), ("chromium-driver", DRIVER.exists())) if not ok]
    if importlib.util.find_spec("selenium") is None:
        missing.append("selenium (pip install -e '.[dev]')")
    if missing:
        why = f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {why}: the browser test must run in CI")
        pytest.skip(why)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    _browser_or_skip()
    s = small_scenario(routes={"direct": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"},
                               "legacy": {"origin": "PECLL", "destination": "CNSHA", "transship_at": ["MXZLO"],
                                          "services": ["wcsa_mexico_feeder", "asia_mexico_express"]}},
                       horizon_days=30, des={"replications": 1, "warmup_days": 10})
    res = routesim.run(s, engine="des", workers=1)
    path = tmp_path_factory.mktemp("report") / "report.html"
    res.to_html(path, scenario=s)
    return res, path


@pytest.fixture(scope="module")
def driver():
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1300,1000",
                "--force-device-scale-factor=1", "--proxy-server=127.0.0.1:9"):
        opts.add_argument(arg)  # the proxy that goes nowhere: a request to the web would fail and be logged
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=opts)
    d.set_page_load_timeout(120)
    yield d
    d.quit()


def _wait(d, script: str, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = d.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {script}")


def _shot(d, element_id: str) -> np.ndarray:
    from PIL import Image

    el = d.find_element("id", element_id)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    time.sleep(0.3)
    return np.asarray(Image.open(io.BytesIO(el.screenshot_as_png)).convert("RGB"), dtype=float)


def _pixel(d, element_id: str, x: float, y: float) -> tuple[int, int]:
    """(row, column) in the element's screenshot of the point (x, y) in a plotly figure's data coordinates."""
    return tuple(d.execute_script(
        "const gd = document.getElementById(arguments[0]), L = gd._fullLayout;"
        "return [Math.round(L.yaxis._offset + L.yaxis.l2p(arguments[2])),"
        "        Math.round(L.xaxis._offset + L.xaxis.l2p(arguments[1]))];", element_id, x, y))


def _near(img, rc, colour: str, tol: float = 10.0) -> bool:
    r, c = rc
    want = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    patch = img[r - 2:r + 3, c - 2:c + 3].reshape(-1, 3)
    return np.mean(np.abs(patch - want).max(axis=1) <= tol) > 0.6


def test_the_report_renders_offline_without_errors_and_its_slider_moves(report, driver):
    res, path = report
    d = driver
    d.get(path.as_uri())
    ids = ["fig-ecdf", "fig-days", "fig-cost", "fig-map", "fig-des"]
    _wait(d, "return window.Plotly && " + " && ".join(
        f"document.getElementById('{i}') && document.getElementById('{i}')._fullLayout" for i in ids)
          + " && document.querySelectorAll('.main-svg').length > 0")
    assert d.execute_script("const im = document.getElementById('map-png'); return im.complete && im.naturalWidth") > 500
    # every figure drew something: many colours, not a blank box
    for i in ids:
        img = _shot(d, i)
        assert img.shape[0] > 200 and len(np.unique(img.reshape(-1, 3), axis=0)) > 30, i
        assert img.std() > 10, i
    # land where land is, sea where sea is, on the interactive map
    view = map_view(res.plan)
    img = _shot(d, "fig-map")
    sea = d.execute_script("return document.getElementById('fig-map')._fullLayout.plot_bgcolor")
    x0, x1, y0, y1 = view.extent
    for colour, points in ((LAND, [(-103.0, 28.0), (117.0, 35.0), (-102.0, 38.0)]),  # Mexico, China, the USA
                           (sea, [(-130.0, -10.0), (-160.0, 5.0)])):  # the open Pacific
        for lon, lat in points:
            x = view_x(lon, view.central_lon)
            assert x0 + 2 < x < x1 - 2 and y0 + 2 < lat < y1 - 2, (lon, lat, view.extent)
            assert _near(img, _pixel(d, "fig-map", x, lat), colour), (lon, lat, colour)
    # the slider: click two thirds along its rail; the frame, the vessels and the picture change
    from selenium.webdriver.common.action_chains import ActionChains

    before_x = d.execute_script("const gd = document.getElementById('fig-des'); return Array.from(gd._fullData[gd._fullData.length - 2].x)")
    before_img = _shot(d, "fig-des")
    rail = d.find_element("css selector", "#fig-des .slider-rail-rect")
    width = rail.size["width"]
    ActionChains(d).move_to_element_with_offset(rail, int(width * 0.66) - width // 2, 0).click().perform()
    label = _wait(d, "const t = document.querySelector('#fig-des .slider-label'); "
                     "return t && t.textContent.trim() !== 'study day 0' && t.textContent")
    assert label.startswith("study day ") and float(label.split()[-1]) > 5
    assert d.execute_script("return document.getElementById('fig-des').layout.sliders[0].active") > 5
    after_x = d.execute_script("const gd = document.getElementById('fig-des'); return Array.from(gd._fullData[gd._fullData.length - 2].x)")
    assert before_x and after_x and after_x != before_x
    assert np.abs(_shot(d, "fig-des") - before_img).max(axis=2).mean() > 0.1
    errors = [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
