"""The freight the shipper pays: dated series, lanes, surcharges, own quotes, and dates the record does not cover."""

import datetime

import numpy as np
import pytest

import routesim
from routesim import freight as fm
from routesim.catalogue import freight as cat
from routesim.errors import ScenarioError
from routesim.plan import compile_plan
from routesim.scenario import Scenario


def _scenario(route=None, **top):
    route = route or {"origin": "CNSHA", "destination": "BRSSZ", "service": "hmm_fil"}
    return Scenario.from_dict({"name": "f", "seed": 1, "replications": 300, "routes": {"r": route}, **top},
                              source="f.yaml")


def test_series_load_in_date_order_per_teu():
    s = cat.series()["scfi_south_america"]
    assert list(s.dates) == sorted(s.dates)
    w = cat.series()["wci_composite"]
    assert w.unit == "usd_per_feu"  # stored per TEU: half the published FEU figure
    assert all(v > 0 for v in w.usd_per_teu)


def test_index_interpolates_between_points():
    s = cat.series()["scfi_south_america"]
    a, b = s.dates[0], s.dates[1]
    mid = a + (b - a) / 2
    got = fm.index_on([mid.toordinal()], [d.toordinal() for d in s.dates], s.usd_per_teu)[0]
    assert min(s.usd_per_teu[:2]) <= got <= max(s.usd_per_teu[:2])


def test_booking_on_a_date_reads_the_series():
    s = cat.series()["scfi_south_america"]
    i = next(i for i, d in enumerate(s.dates) if d.year == 2024)
    day = s.dates[i]
    res = routesim.run(_scenario(freight={"date": day.isoformat()}, costs={"bunker_usd_per_t": 626}))
    plan = res.plan.routes["r"].freight
    assert plan.basis == "index" and plan.lane == "asia_ecsa"
    # factor 1 on the Santos lane; only the bunker adjustment moves it off the index
    f = res.shipments["freight_usd_per_teu"].to_numpy()
    # at the 2024 average bunker the adjustment is nil: the freight is the index on that day
    assert np.allclose(f, s.usd_per_teu[i])


@pytest.mark.parametrize("when", [{"date": "2019-01-01"}, {"window": ["2025-06-01", "2026-06-01"]}])
def test_dates_outside_the_series_are_an_error(when):
    with pytest.raises(ScenarioError, match="outside the scfi_south_america series"):
        compile_plan(_scenario(freight=when))


def test_own_quote_replaces_the_market_rate():
    res = routesim.run(_scenario(freight={"usd_per_feu": 4200}))
    assert np.allclose(res.shipments["freight_usd_per_teu"], 2100.0)
    res = routesim.run(_scenario(costs={"freight_usd_per_feu": 4200}))
    assert np.allclose(res.shipments["freight_usd_per_teu"], 2100.0)


def test_quote_with_a_date_is_refused():
    with pytest.raises(ScenarioError, match="not read on a date"):
        _scenario(freight={"usd_per_feu": 4200, "date": "2025-01-01"})


def test_unpriced_lane_is_missing_not_zero():
    route = {"origin": "BRSSZ", "destination": "CNSHA", "service": "hmm_fil"}
    res = routesim.run(_scenario(route))
    r = res["r"]
    assert "freight" in r.info["missing"]
    d = res.to_dict()["routes"]["r"]
    assert d["freight_usd_per_teu"]["mean"] is None or np.isnan(d["freight_usd_per_teu"]["mean"])
    assert np.isnan(r.metrics["cost_usd_per_teu"].mean)


def test_reefer_backhaul_quote_and_peak_season():
    route = {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}
    cargo = {"commodity": "blueberries", "teu": 2}
    june = routesim.run(_scenario(route, cargo=cargo, freight={"date": "2025-06-15"}))
    nov = routesim.run(_scenario(route, cargo=cargo, freight={"date": "2025-11-10"}))
    assert june.plan.routes["r"].freight.basis == "quote"
    fj = june["r"].metrics["freight_usd_per_teu"].mean
    fn = nov["r"].metrics["freight_usd_per_teu"].mean
    assert 1500 < fj < 2600  # 3,500-4,500 USD per reefer FEU, halved, plus the bunker adjustment
    assert fn > fj  # the Peru fruit season's reefer rise


def test_months_and_years_of_ordinals():
    d = datetime.date(2024, 12, 31).toordinal()
    assert fm.months_of([d]).tolist() == [12]
    assert fm.years_of([d]).tolist() == [2024]


def test_baf_follows_the_bunker_price():
    fuel = np.array([0.0, 0.3, 1.0])
    lo, hi = fm.baf_usd(500.0, 535.0, fuel), fm.baf_usd(700.0, 535.0, fuel)
    assert np.all(hi >= lo)
