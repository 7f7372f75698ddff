"""Work done once per process, and only when read (issue 16 item 4): the network remembers the
routes it found; a plan's sea track is joined when a map reads it; scenario field descriptions come
from one parse of each module's source. Each must give exactly what the eager form gave."""

from __future__ import annotations

import pickle

import pytest

from routesim.network import PortNetwork
from routesim.plan import compile_plan
from routesim.plan.frozen import Track
from routesim.scenario import Scenario, load_scenario
from routesim.scenario.types import attribute_docstrings

from conftest import ROOT


@pytest.fixture(scope="module")
def net():
    return PortNetwork.default()


def test_the_same_query_gives_the_same_route_once_computed(monkeypatch):
    from routesim import catalogue

    net = PortNetwork(catalogue.lanes(), catalogue.ports())  # its own memory of routes
    first = net.route("Chancay", "Shanghai", avoid=["panama"], vessel_teu=14000)
    searches = []
    real = net._route
    monkeypatch.setattr(net, "_route", lambda *a: searches.append(a) or real(*a))
    again = net.route("PECHY", "CNSHA", avoid=("Panama Canal",), vessel_teu=14000.0)  # other spellings, same query
    assert again is first and searches == []
    other = net.route("PECHY", "CNSHA", vessel_teu=14000)
    assert other is not first and len(searches) == 1


def test_a_remembered_route_is_the_one_a_fresh_network_finds(net):
    from routesim import catalogue

    fresh = PortNetwork(catalogue.lanes(), catalogue.ports())
    for q in [("PECHY", "CNSHA"), ("BRSSZ", "CNSHA"), ("CLSAI", "KRPUS"), ("MXZLO", "PECLL")]:
        a, b = net.route(*q), fresh.route(*q)
        assert (a.nodes, a.legs, a.distance_nm, a.coords) == (b.nodes, b.legs, b.distance_nm, b.coords)


def test_no_route_is_remembered_as_an_error_each_time(net):
    from routesim.errors import NoRouteError

    for _ in range(2):
        with pytest.raises(NoRouteError):
            net.route("BRSSZ", "CNSHA", avoid=["good_hope", "panama", "magellan", "drake", "suez"])


def test_a_plan_track_is_its_passages_coords_joined_and_pickles_as_a_tuple():
    plan = compile_plan(load_scenario(ROOT / "scenarios" / "chancay_vs_callao.yaml"))
    for rp in plan.routes.values():
        assert isinstance(rp.path, Track)
        joined = tuple(pt for s in rp.segments for a, b in zip(s.calls, s.calls[1:])
                       for pt in plan_passage_coords(plan, a, b, s))
        assert rp.path == joined and len(rp.path) == len(joined) > 100
        back = pickle.loads(pickle.dumps(rp))
        assert type(back.path) is tuple and back.path == rp.path and back == rp
    assert pickle.loads(pickle.dumps(plan)) == plan


def plan_passage_coords(plan, a, b, segment):
    """The coords of the passage a -> b as the plan compiler routes it (the segment's ship and avoids)."""
    return PortNetwork.default().route(a, b, avoid=segment.avoid, vessel_teu=segment.vessel.teu).coords


def test_a_track_is_not_joined_until_read():
    class Passage:
        reads = 0

        @property
        def coords(self):
            Passage.reads += 1
            return ((0.0, 1.0), (2.0, 3.0))

    t = Track([Passage(), Passage()])
    assert Passage.reads == 0
    assert list(t) == [(0.0, 1.0), (2.0, 3.0)] * 2 and Passage.reads == 2
    assert t[1] == (2.0, 3.0) and hash(t) == hash(t.points) and Passage.reads == 2
    assert t != ((0.0, 1.0),) and Track() == () and not Track()


def test_field_descriptions_are_the_docstrings_under_the_fields():
    docs = attribute_docstrings("routesim.scenario.sections")
    assert docs["ReeferFailure"]["probability"].startswith("Chance that a shipment's unit fails")
    from routesim.scenario.sections import ReeferFailure

    assert ReeferFailure.model_fields["probability"].description == docs["ReeferFailure"]["probability"]
    assert ReeferFailure.model_fields["days"].description.startswith("Days the cargo spends")
    props = Scenario.json_schema()["$defs"]["ReeferFailure"]["properties"]
    assert props["temp_c"]["description"] == docs["ReeferFailure"]["temp_c"]


def test_a_docstring_not_under_a_field_describes_nothing(tmp_path, monkeypatch):
    import sys
    import types

    src = tmp_path / "m.py"
    src.write_text('class A:\n    """class doc"""\n    x: int\n    """about x"""\n    y = 1\n    """not a field"""\n'
                   '    z: int\n\n    def f(self):\n        pass\n    """after a method"""\n', encoding="utf-8")
    mod = types.ModuleType("_docs_probe")
    mod.__file__ = str(src)
    monkeypatch.setitem(sys.modules, "_docs_probe", mod)
    assert attribute_docstrings("_docs_probe") == {"A": {"x": "about x"}}


def test_the_network_forgets_its_oldest_routes_beyond_its_bound(monkeypatch):
    import routesim.network as network
    from routesim import catalogue

    monkeypatch.setattr(network, "_ROUTES_KEPT", 3)
    net = PortNetwork(catalogue.lanes(), catalogue.ports())
    first = net.route("PECHY", "CNSHA")
    for dest in ("KRPUS", "JPTYO", "CNNGB", "SGSIN"):
        net.route("PECHY", dest)
    assert len(net._routes) == 3
    assert net.route("PECHY", "CNSHA") is not first and net.route("PECHY", "CNSHA").nodes == first.nodes
