"""Candidate routings: what the catalogue can sail between two ports, bounded."""

import pytest

from routesim import catalogue
from routesim.decide.candidates import DETOUR, candidate_routings
from routesim.errors import NoRouteError, RoutesimError, UnknownNameError
from routesim.plan.schedule import calls_on_rotation


def _stretch(sid, a, b):
    try:
        return calls_on_rotation(list(catalogue.services()[sid].rotation), a, b)
    except UnknownNameError:
        return None


def test_peru_to_shanghai_holds_chancay_direct_and_the_legacy_routings():
    cands, _ = candidate_routings("PECHY", "CNSHA")
    by_route = {(c.origin, c.route.get("service"), tuple(c.route.get("services") or ()),
                 tuple(c.route.get("transship_at") or ())): c for c in cands}
    assert ("PECHY", "cosco_chancay_shanghai", (), ()) in by_route
    # the three legacy routings of scenarios/chancay_vs_callao.yaml, from Callao (19 km away)
    assert ("PECLL", "andes_pendulum", (), ()) in by_route
    assert ("PECLL", None, ("wcsa_mexico_feeder", "asia_mexico_express"), ("MXZLO",)) in by_route
    assert ("PECLL", None, ("wcsa_busan_relay", "busan_shanghai_feeder"), ("KRPUS",)) in by_route
    assert cands[0].name == "cosco_chancay_shanghai" and cands[0].kind == "direct"


@pytest.mark.parametrize("o,d", [("PECHY", "CNSHA"), ("BRSSZ", "CNSHA"), ("CNSHA", "BRSSA")])
def test_candidates_are_bounded_and_well_formed(o, d):
    cands, notes = candidate_routings(o, d, max_candidates=12)
    assert 0 < len(cands) <= 12
    shortest = min(c.sea_distance_nm for c in cands)
    assert all(c.sea_distance_nm <= DETOUR * shortest * 1.0001 for c in cands)
    assert len({c.name for c in cands}) == len(cands) and all(len(c.name) <= 64 for c in cands)
    for c in cands:
        if c.kind == "relay":
            hubs, svcs = c.route["transship_at"], c.route["services"]
            stops = [c.origin, *hubs, c.destination]
            # every stretch is sailed by its service, and no ship would have carried the box on to the next stop
            for i, sid in enumerate(svcs):
                assert _stretch(sid, stops[i], stops[i + 1])
                if i + 2 < len(stops):
                    through = _stretch(sid, stops[i], stops[i + 2])
                    assert not (through and stops[i + 1] in through)


def test_a_cap_on_the_count_is_said():
    cands, notes = candidate_routings("CNSHA", "BRSSZ", max_candidates=3)
    assert len(cands) == 3 and any("at most 3" in n for n in notes)
    assert cands[0].kind == "direct"  # direct services come first


def test_santos_what_ifs_force_each_passage_weekly_at_the_direct_service_speed():
    cands, _ = candidate_routings("BRSSZ", "CNSHA")
    what_ifs = [c for c in cands if c.kind == "what-if"]
    passages = {c.name.split("_")[1] for c in what_ifs}
    assert {"panama", "magellan"} <= passages
    for c in what_ifs:
        seg = c.route["segments"][0]
        assert seg["headway_days"] == 7.0 and seg["vessel"] == "post_panamax_8500" and seg["speed_kn"] == 15.4
        assert "no such service" in c.route["description"]
        forced = c.name.split("_")[1]
        assert forced in c.chokepoints or (forced == "good" and "good_hope" in c.chokepoints)


def test_bad_places_are_errors():
    with pytest.raises(UnknownNameError, match="did you mean"):
        candidate_routings("Chancai", "CNSHA")
    with pytest.raises(RoutesimError, match="same place"):
        candidate_routings("PECHY", "PECLL")
    with pytest.raises(NoRouteError, match="no routing found"):
        candidate_routings("MXVER", "CNSHA")
