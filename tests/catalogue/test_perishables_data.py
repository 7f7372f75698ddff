"""Perishables data (issue #11): export seasons, destination markets, reefer plugs and surcharges."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from routesim import catalogue
from routesim.catalogue import market, reefer, season
from routesim.errors import DataError


def _fake_loader(monkeypatch, name, data):
    real = catalogue.load_data_file

    def fake(n):
        return data if n == name else real(n)

    monkeypatch.setattr(catalogue, "load_data_file", fake)


# ------------------------------------------------------------------ seasons
def test_month_shares_sum_to_one():
    ss = season.seasons()
    assert {("blueberries", "PE"), ("cherries", "CL"), ("avocados", "PE")} <= set(ss)
    for s in ss.values():
        a = season.month_shares_array(s)
        assert a.shape == (12,) and (a >= 0).all()
        assert a.sum() == pytest.approx(1.0)
        assert s.source and s.season_label


@pytest.mark.parametrize("key, peak_months", [
    (("blueberries", "PE"), {10, 11}),   # peak October-November
    (("cherries", "CL"), {12, 1}),       # peak December-January
    (("avocados", "PE"), {5, 6, 7, 8}),  # peak May-August
])
def test_peak_months_where_the_sources_say(key, peak_months):
    a = season.month_shares_array(season.seasons()[key])
    assert int(a.argmax()) + 1 in peak_months


def test_seasons_are_where_the_sources_say():
    ss = season.seasons()
    blue = season.month_shares_array(ss[("blueberries", "PE")])
    assert blue[[6, 7, 8, 9, 10, 11, 0, 1]].sum() > 0.99  # July-February
    cher = season.month_shares_array(ss[("cherries", "CL")])
    assert cher[[10, 11, 0, 1]].sum() > 0.99  # November-February
    avo = season.month_shares_array(ss[("avocados", "PE")])
    assert avo[2:9].sum() > 0.95  # March-September


def _season_row(**over):
    row = {"commodity": "x", "country": "PE", "season_label": "2024-25",
           "month_shares": {"value": [1 / 12] * 12, "source": "test", "derived": True}}
    row.update(over)
    return row


def test_shares_not_summing_to_one_name_file_and_entry(monkeypatch):
    bad = _season_row(month_shares={"value": [0.5] * 12, "source": "test"})
    _fake_loader(monkeypatch, "seasons.yaml", {"seasons": {"odd_pe": bad}})
    with pytest.raises(DataError, match=r"data/seasons.yaml: odd_pe.month_shares: .*sum to 1"):
        season.seasons.__wrapped__()


def test_wrong_number_of_shares_and_unknown_key(monkeypatch):
    _fake_loader(monkeypatch, "seasons.yaml",
                 {"seasons": {"odd_pe": _season_row(month_shares={"value": [1.0], "source": "t"})}})
    with pytest.raises(DataError, match=r"data/seasons.yaml: odd_pe.month_shares: expected 12 numbers"):
        season.seasons.__wrapped__()
    _fake_loader(monkeypatch, "seasons.yaml", {"seasons": {"odd_pe": _season_row(peak="oct")}})
    with pytest.raises(DataError, match=r"data/seasons.yaml: odd_pe: unknown keys \['peak'\]"):
        season.seasons.__wrapped__()


def test_shares_are_normalised(monkeypatch):
    row = _season_row(month_shares={"value": [0.0833] * 12, "source": "t"})  # sums to 0.9996
    _fake_loader(monkeypatch, "seasons.yaml", {"seasons": {"odd_pe": row}})
    s = season.seasons.__wrapped__()[("x", "PE")]
    assert sum(s.month_shares) == pytest.approx(1.0, abs=1e-12)


# ------------------------------------------------------------------ holidays and markets
@pytest.mark.parametrize("year, day", [(2024, dt.date(2024, 2, 10)), (2025, dt.date(2025, 1, 29)),
                                       (2026, dt.date(2026, 2, 17)), (2020, dt.date(2020, 1, 25))])
def test_chinese_new_year_known_dates(year, day):
    assert market.holidays()["chinese_new_year"].date(year) == day


def test_holiday_year_not_in_data_is_an_error():
    cny = market.holidays()["chinese_new_year"]
    assert set(range(2020, 2034)) <= set(cny.years())
    with pytest.raises(DataError, match="no date for 2019"):
        cny.date(2019)
    with pytest.raises(DataError, match="no date for 2035"):  # a stated gap
        cny.date(2035)
    for y in cny.years():
        assert dt.date(y, 1, 20) <= cny.date(y) <= dt.date(y, 2, 21)


def test_cherry_price_index_continuous_and_positive():
    m = market.markets()[("cherries", "CN")]
    assert m.basis == "holiday" and m.holiday == "chinese_new_year"
    days = np.arange(np.datetime64("2024-11-01"), np.datetime64("2025-04-30"))
    idx = market.price_index(m, days)
    assert idx.shape == days.shape and (idx > 0).all() and np.isfinite(idx).all()
    assert np.abs(np.diff(idx)).max() < 0.05  # no jumps from one day to the next within a season
    cny = np.datetime64("2025-01-29")
    before, after = market.price_index(m, np.array([cny - 10, cny + 10]))
    assert after < before  # prices fall after the holiday


def test_arrivals_measured_against_their_seasons_holiday():
    m = market.markets()[("cherries", "CN")]
    # 15 Dec 2024 is 45 days before CNY 2025 (29 Jan), not 11 months after CNY 2024
    idx_dec = market.price_index(m, np.array(["2024-12-15"], dtype="datetime64[D]"))[0]
    expected = np.interp(-45, [p[0] for p in m.points], [p[1] for p in m.points])
    assert idx_dec == pytest.approx(expected)
    grid = np.array([["2025-01-29", "2026-02-17"], ["2024-02-10", "2023-01-22"]], dtype="datetime64[D]")
    assert market.price_index(m, grid) == pytest.approx(np.full((2, 2), 0.9))


def test_markets_without_an_index_are_stated_gaps():
    mk = market.markets()
    for key in (("blueberries", "CN"), ("avocados", "CN")):
        assert not mk[key].available and mk[key].source.startswith("GAP")
        with pytest.raises(DataError, match="no price index"):
            market.price_index(mk[key], np.array(["2025-01-01"], dtype="datetime64[D]"))


def test_bad_market_rows_name_file_and_entry(monkeypatch):
    base = catalogue.load_data_file("markets.yaml")
    bad = dict(base, markets={"odd_cn": {"commodity": "x", "country": "CN", "basis": "holiday",
                                         "holiday": "chinese_new_year",
                                         "points": {"value": [[0, 1.0], [-7, 1.2]], "source": "t"}}})
    _fake_loader(monkeypatch, "markets.yaml", bad)
    market.holidays.cache_clear()
    try:
        with pytest.raises(DataError, match=r"data/markets.yaml: markets.odd_cn.points: days must increase"):
            market.markets.__wrapped__()
        bad["markets"] = {"odd_cn": {"commodity": "x", "country": "CN", "basis": "week"}}
        with pytest.raises(DataError, match=r"data/markets.yaml: markets.odd_cn.basis"):
            market.markets.__wrapped__()
        bad2 = dict(base, holidays={"cny": {"name": "x", "dates": {2025: {"value": "2025-13-01", "source": "t"}}}})
        _fake_loader(monkeypatch, "markets.yaml", bad2)
        with pytest.raises(DataError, match=r"data/markets.yaml: holidays.cny.dates.2025: expected an ISO date"):
            market.holidays.__wrapped__()
    finally:
        market.holidays.cache_clear()


# ------------------------------------------------------------------ reefer
def test_every_plug_port_exists_in_ports_yaml():
    ports = catalogue.ports()
    listed = set(catalogue.load_data_file("reefer.yaml")["plugs"])
    assert listed <= set(ports)
    plugs = reefer.reefer_plugs()
    assert {"PECHY", "CLSAI", "CLVAP"} <= set(plugs)
    assert plugs["PECHY"].value == 960
    assert not any("reefer_plugs" in p.extra for p in ports.values())  # kept in one place: data/reefer.yaml
    assert all(isinstance(f.value, int) and f.value > 0 and f.source for f in plugs.values())
    assert set(plugs) | set(reefer.reefer_plug_gaps()) == listed


def test_unknown_plug_port_names_file_and_entry(monkeypatch):
    base = catalogue.load_data_file("reefer.yaml")
    _fake_loader(monkeypatch, "reefer.yaml",
                 dict(base, plugs={"XXABC": {"reefer_plugs": {"value": 10, "source": "t"}}}))
    with pytest.raises(DataError, match=r"data/reefer.yaml: plugs.XXABC: unknown port"):
        reefer._plugs.__wrapped__()


def test_peak_season_surcharges():
    rows = reefer.peak_season_surcharges()
    priced = [r for r in rows if r.usd_per_feu.value is not None]
    assert priced and all(r.usd_per_feu.value > 0 and r.usd_per_feu.source for r in priced)
    assert all(all(1 <= m <= 12 for m in r.months) for r in rows)
    cl = next(r for r in rows if r.id == "maersk_pss_cl_fea_2020")
    assert cl.effective_from == dt.date(2020, 2, 15) and cl.usd_per_feu.value == 750
    assert any(r.gap for r in rows)


def test_bad_surcharge_row_names_file_and_entry(monkeypatch):
    base = catalogue.load_data_file("reefer.yaml")
    row = dict(base["surcharges"][0], months=[13])
    _fake_loader(monkeypatch, "reefer.yaml", dict(base, surcharges=[row]))
    with pytest.raises(DataError, match=r"data/reefer.yaml: surcharges.maersk_pss_cl_fea_2020.months"):
        reefer.peak_season_surcharges.__wrapped__()
