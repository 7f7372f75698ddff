"""Scenarios: shipped files, round trips, ``extends:``, overrides and the JSON Schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routesim import catalogue
from routesim.distributions import Gamma
from routesim.errors import ScenarioError
from routesim.plan import compile_plan
from routesim.scenario import Scenario, load_scenario, parse_set_option
from routesim.scenario.files import load_with_extends as _load_with_extends
from routesim.yamlio import load_marked, loads_marked

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
IDS = [p.name for p in SHIPPED]
DIRECT = {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- shipped scenarios
def test_there_are_shipped_scenarios():
    assert len(SHIPPED) >= 2 and any(p.name == "base.yaml" for p in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_scenario_validates_and_compiles(path):
    s = load_scenario(path)
    plan = compile_plan(s)
    assert set(plan.routes) == set(s.routes) and s.routes
    assert s.summary_line().startswith(f"'{s.name}': {len(s.routes)} route(s)")


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_scenario_round_trips_through_yaml_and_dict(path, tmp_path):
    s = load_scenario(path)
    again = write(tmp_path / "again.yaml", s.to_yaml())
    s2 = load_scenario(again)
    assert s2 == s
    assert s2.to_yaml() == s.to_yaml()  # stable text
    assert Scenario.from_dict(s.to_dict()) == s
    assert Scenario.from_dict(json.loads(json.dumps(s.to_dict()))) == s  # plain JSON data too


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_scenario_marks_point_into_its_files(path):
    s = load_scenario(path)
    for rname in s.routes:
        where = s.where("routes", rname)
        file, line, col = where.rsplit(":", 2)
        text = Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert text[int(col) - 1:].startswith(rname)  # the route's key


# ---------------------------------------------------------------- equality and marks
def test_equality_ignores_where_a_scenario_was_written(tmp_path):
    a = load_scenario(write(tmp_path / "a.yaml", "name: x\nroutes:\n  r: {origin: PECHY, destination: CNSHA, "
                                                 "service: cosco_chancay_shanghai}\n"))
    b = Scenario.from_dict({"name": "x", "routes": {"r": DIRECT}})
    assert a == b and a.where("routes", "r") != b.where("routes", "r")
    assert a != b.with_overrides(seed=1)
    assert a != "not a scenario"


def test_where_points_at_keys_of_mappings_and_at_values(tmp_path):
    p = write(tmp_path / "s.yaml", "name: x\nroutes:\n  r:\n    origin: Chancay\n    destination: CNSHA\n"
                                   "    service: cosco_chancay_shanghai\n    avoid: [panama, Cape Horn]\n")
    s = load_scenario(p)
    assert s.where("routes", "r") == f"{p}:3:3"
    assert s.where("routes", "r", "origin") == f"{p}:4:13"
    assert s.where("routes", "r", "avoid", 1) == f"{p}:7:21"
    assert s.where("routes", "r", "nothing", "here") == f"{p}:3:3"  # the closest written parent
    assert s.routes["r"].origin == "PECHY" and s.routes["r"].avoid == ["panama", "drake"]


# ---------------------------------------------------------------- generated round trips
_pos = st.floats(min_value=0.01, max_value=20, allow_nan=False, allow_infinity=False)
"""Inside every field's plausible range (the ranges are tested in test_scenario_errors)."""
_dist = st.one_of(
    _pos,
    st.integers(0, 20),
    st.builds(lambda m, cv: f"gamma(mean={m}, cv={cv})", _pos, st.floats(0.01, 3)),
    st.builds(lambda m, cv: f"lognormal(mean={m}, cv={cv})", _pos, st.floats(0.01, 3)),
    st.builds(lambda a, w: f"uniform({a}, {a + w})", _pos, _pos),
    st.builds(lambda a, b, c: "triangular({}, {}, {})".format(*sorted([a, b, c + a + 1])), _pos, _pos, _pos),
    st.builds(lambda p, m: f"late(p={p}, delay=exponential({m}))", st.floats(0, 1), _pos),
    st.lists(_pos, min_size=1, max_size=4).map(lambda xs: f"empirical({xs})"),
)
_routes = st.sampled_from([
    DIRECT,
    {"origin": "Chancay", "destination": "Shanghai", "service": "cosco_chancay_shanghai", "avoid": ["bering"]},
    {"origin": "PECLL", "destination": "CNSHA", "transship_at": ["MXZLO"],
     "services": ["wcsa_mexico_feeder", "asia_mexico_express"]},
    {"origin": "PECLL", "destination": "CNSHA", "service": "andes_pendulum", "description": "pendulum"},
    {"origin": "BRSSZ", "destination": "CNSHA",
     "segments": [{"vessel": "post_panamax_8500", "speed_kn": 16.5, "headway_days": 7, "avoid": ["panama"]}]},
    {"origin": "PECHY", "destination": "KRPUS", "vessel": "panamax_4500", "speed_kn": 15, "via": ["MXZLO"]},
])
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_cargo = st.fixed_dictionaries({}, optional={
    "commodity": st.sampled_from(["blueberries", "copper_cathode", "general_cargo", "evs"]),
    "kind": st.sampled_from(["dry", "reefer"]),
    "teu": st.floats(0.5, 4),
    "value_usd": _dist,
    "shelf_life_days": _dist,
    "origin_country": st.sampled_from(["PE", "CL", "BR"]),
})
_costs = st.fixed_dictionaries({}, optional={
    "bunker_usd_per_t": _dist, "carbon_usd_per_t": _dist, "stevedoring_usd_per_move": _dist,
    "overheads_usd_per_teu": _dist, "freight_usd_per_feu": _dist, "vessel_utilisation": st.floats(0.1, 1),
    "inventory_rate_per_year": st.floats(0, 1), "tariff_rate": st.floats(0, 5),
    "local_currency_settlement": st.booleans(), "tariff_date": st.dates().map(str),
    "charter_usd_per_day": st.dictionaries(st.sampled_from(["panamax_4500", "feeder_2500"]), _dist, max_size=2),
    "canal_toll_usd": st.dictionaries(st.sampled_from(["panama", "suez"]), _dist, max_size=2),
})
_disruption = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["closure", "port_closure", "chokepoint_closure"]),
                           "where": st.sampled_from(["panama", "PECHY", "Callao"])},
                          optional={"from_day": st.floats(0, 365), "days": st.floats(0.5, 100), "note": _text}),
    st.fixed_dictionaries({"kind": st.sampled_from(["capacity", "chokepoint_capacity"]),
                           "where": st.sampled_from(["panama", "suez"]), "factor": st.floats(0, 1)},
                          optional={"days": st.floats(0.5, 100)}),
    st.fixed_dictionaries({"kind": st.just("weather"), "where": st.sampled_from(["PECHY", "magellan"]),
                           "extra_days": _dist}),
)
_scenarios = st.fixed_dictionaries(
    {"name": _text.filter(lambda t: t.strip()),
     "routes": st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,10}", fullmatch=True), _routes,
                               min_size=1, max_size=3)},
    optional={
        "description": _text,
        "seed": st.integers(0, 2**63),
        "replications": st.integers(1, 10**7),
        "engine": st.sampled_from(["montecarlo", "des"]),
        "horizon_days": st.floats(1, 3650),
        "cargo": _cargo,
        "costs": _costs,
        "disruptions": st.lists(_disruption, max_size=3),
        "ports": st.dictionaries(st.sampled_from(["PECHY", "Callao", "Shanghai"]),
                                 st.fixed_dictionaries({}, optional={"berths": st.integers(1, 20),
                                                                     "berth_wait_days": _dist}), max_size=2),
        "services": st.dictionaries(st.sampled_from(["cosco_chancay_shanghai", "andes_pendulum"]),
                                    st.fixed_dictionaries({}, optional={"speed_kn": st.floats(10, 24),
                                                                        "headway_days": st.floats(3, 14)}),
                                    max_size=2),
        "operations": st.fixed_dictionaries({}, optional={"weather_factor": st.floats(0.5, 3),
                                                           "lateness_days": _dist}),
        "freight": st.one_of(
            st.fixed_dictionaries({"date": st.dates().map(str)}),
            st.tuples(st.dates(), st.dates()).map(lambda ab: {"window": [str(min(ab)), str(max(ab))]}),
            st.fixed_dictionaries({"usd_per_feu": _dist})),
    },
)
SCHEMA = Scenario.json_schema()
jsonschema.Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_scenarios)
def test_generated_scenarios_round_trip(data):
    s = Scenario.from_dict(data)
    assert Scenario.from_dict(s.to_dict()) == s
    loaded, marks = loads_marked(s.to_yaml(), "gen.yaml")
    assert Scenario.from_dict(loaded, marks=marks) == s
    assert Scenario.from_dict(loaded).to_yaml() == s.to_yaml()
    VALIDATOR.validate(s.to_dict())
    VALIDATOR.validate(data)


# ---------------------------------------------------------------- extends
@pytest.fixture
def study(tmp_path, monkeypatch):
    """base/base.yaml <- studies/child.yaml <- studies/whatif/grandchild.yaml (cwd elsewhere)."""
    write(tmp_path / "base" / "base.yaml", """\
name: base
seed: 1
replications: 1000
cargo: {commodity: blueberries, teu: 2}
costs: {bunker_usd_per_t: 600, carbon_usd_per_t: 90}
routes:
  direct: {origin: PECHY, destination: CNSHA, service: cosco_chancay_shanghai}
  pendulum:
    origin: PECLL
    destination: CNSHA
    service: andes_pendulum
    avoid: [panama, suez]
disruptions:
  - {kind: closure, where: panama, days: 10}
  - {kind: capacity, where: suez, factor: 0.5}
""")
    write(tmp_path / "studies" / "child.yaml", """\
extends: ../base/base.yaml
name: child
cargo: {teu: 1}
costs: {carbon_usd_per_t: null}
routes:
  pendulum: {avoid: [bering]}
disruptions:
  - {kind: weather, where: PECHY, extra_days: 1}
""")
    write(tmp_path / "studies" / "whatif" / "grandchild.yaml", """\
extends: ../child.yaml
name: grandchild
seed: 3
routes:
  direct: null
""")
    (tmp_path / ".routesim-root").write_text("")  # the study's root: base/ and studies/ lie inside it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def test_extends_stays_inside_the_study_folder(study):
    (study / ".routesim-root").unlink()  # now the root is each top file's own folder
    with pytest.raises(ScenarioError, match=r"extends: '../base/base.yaml' lies outside the study folder"):
        load_scenario(study / "studies" / "child.yaml")
    s = load_scenario(study / "studies" / "child.yaml", root=study)  # a folder named explicitly
    assert s.name == "child"
    with pytest.raises(ScenarioError, match="the scenario file lies outside the study folder"):
        load_scenario(study / "studies" / "child.yaml", root=study / "base")


def test_extends_cannot_climb_out_of_a_project(study, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "evil.yaml", "name: evil\nroutes: {}\n")
    rel = os.path.relpath(outside / "evil.yaml", study / "studies")
    write(study / "studies" / "climb.yaml", f"extends: {rel}\nname: climb\n")
    with pytest.raises(ScenarioError, match="lies outside the study folder"):
        load_scenario(study / "studies" / "climb.yaml")


def test_the_study_root_is_the_nearest_marked_folder(tmp_path):
    from routesim.scenario.files import study_root

    (tmp_path / "a" / "b").mkdir(parents=True)
    assert study_root(tmp_path / "a" / "b" / "x.yaml") == (tmp_path / "a" / "b").resolve()
    (tmp_path / "pyproject.toml").write_text("")
    assert study_root(tmp_path / "a" / "b" / "x.yaml") == tmp_path.resolve()
    assert study_root(Path(__file__).parents[2] / "scenarios" / "sweeps" / "bunker_and_speed.yaml") == \
        Path(__file__).parents[2].resolve()  # the repository: shipped sweeps reach ../


def test_extends_paths_are_relative_to_each_file(study):
    s = load_scenario(study / "studies" / "whatif" / "grandchild.yaml")
    assert (s.name, s.seed, s.replications) == ("grandchild", 3, 1000)


def test_extends_merges_mappings_replaces_lists_and_null_removes(study):
    s = load_scenario(study / "studies" / "whatif" / "grandchild.yaml")
    assert s.cargo.commodity == "blueberries" and s.cargo.teu == 1  # mappings merge key by key
    assert s.costs.bunker_usd_per_t.mean == 600 and s.costs.carbon_usd_per_t is None  # null removes
    assert list(s.routes) == ["pendulum"]  # null removes a whole route
    assert s.routes["pendulum"].avoid == ["bering"]  # lists are replaced, not appended
    assert s.routes["pendulum"].service == "andes_pendulum"  # merged from base
    assert [d.kind for d in s.disruptions] == ["weather"]  # the child's list replaces the base's


def test_marks_point_to_the_file_that_wrote_the_value(study):
    s = load_scenario(study / "studies" / "whatif" / "grandchild.yaml")
    assert s.where("seed") == f"{study / 'studies' / 'whatif' / 'grandchild.yaml'}:3:7"
    assert s.where("replications").startswith(str(study / "base" / "base.yaml") + ":3:")
    assert s.where("routes", "pendulum", "avoid") == f"{study / 'studies' / 'child.yaml'}:6:14"
    assert s.where("routes", "pendulum", "origin") == f"{study / 'base' / 'base.yaml'}:9:13"


def test_extends_a_list_of_parents_later_wins(tmp_path):
    write(tmp_path / "a.yaml", "name: a\nseed: 1\nroutes:\n  direct: {origin: PECHY, destination: CNSHA, "
                               "service: cosco_chancay_shanghai}\n")
    write(tmp_path / "b.yaml", "seed: 2\nreplications: 500\n")
    s = load_scenario(write(tmp_path / "c.yaml", "extends: [a.yaml, b.yaml]\nname: c\n"))
    assert (s.name, s.seed, s.replications) == ("c", 2, 500)


def test_diamond_extends_is_not_a_cycle(tmp_path):
    write(tmp_path / "base.yaml", "name: base\nroutes:\n  direct: {origin: PECHY, destination: CNSHA, "
                                  "service: cosco_chancay_shanghai}\n")
    write(tmp_path / "left.yaml", "extends: base.yaml\nseed: 1\n")
    write(tmp_path / "right.yaml", "extends: base.yaml\nreplications: 7\n")
    s = load_scenario(write(tmp_path / "top.yaml", "extends: [left.yaml, right.yaml]\nname: top\n"))
    assert (s.seed, s.replications) == (1, 7)


def test_missing_parent_names_the_file_and_line_of_extends(study):
    p = write(study / "studies" / "typo.yaml", "# what-if\nname: typo\nextends: ../base/bsae.yaml\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert e.value.issues == (
        f"{p}:3:10: extends: no such file '../base/bsae.yaml' (looked for {study / 'base' / 'bsae.yaml'})",)


def test_extends_cycles_name_the_file_and_line_that_closes_them(tmp_path):
    a = write(tmp_path / "a.yaml", "extends: b.yaml\nname: a\n")
    b = write(tmp_path / "b.yaml", "name: b\nextends: [c.yaml]\n")
    c = write(tmp_path / "c.yaml", "# c\n\nextends: a.yaml\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(a)
    assert e.value.issues == (f"{c}:3:10: extends: 'a.yaml' makes a cycle ({a} -> {b} -> {c} -> {a})",)
    with pytest.raises(ScenarioError) as e:
        load_scenario(b)
    assert e.value.issues == (f"{a}:1:10: extends: 'b.yaml' makes a cycle ({b} -> {c} -> {a} -> {b})",)


def test_extending_an_empty_or_invalid_file(tmp_path):
    write(tmp_path / "empty.yaml", "# nothing\n")
    p = write(tmp_path / "s.yaml", "extends: empty.yaml\nname: s\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert e.value.issues == (f"{tmp_path / 'empty.yaml'}:1:1: the file is empty (extended by {p}:1:10)",)
    write(tmp_path / "list.yaml", "- a\n")
    p = write(tmp_path / "t.yaml", "extends: list.yaml\nname: t\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert e.value.issues == (f"{tmp_path / 'list.yaml'}:1:1: a scenario file must be a mapping of keys to values, "
                              "not a list",)


def test_from_dict_ignores_extends():
    s = Scenario.from_dict({"extends": "nowhere.yaml", "name": "x", "routes": {"r": DIRECT}})
    assert s.name == "x"


# ---------------------------------------------------------------- overrides
@pytest.fixture
def drought(tmp_path):
    return write(tmp_path / "d.yaml", """\
name: drought
routes:
  direct: {origin: PECHY, destination: CNSHA, service: cosco_chancay_shanghai}
  relay:
    origin: PECLL
    destination: CNSHA
    transship_at: [MXZLO]
    services: [wcsa_mexico_feeder, asia_mexico_express]
disruptions:
  - {kind: capacity, where: panama, factor: 0.6, from_day: 0, days: 120}
  - {kind: closure, where: PECHY, from_day: 10, days: 2}
""")


@pytest.mark.parametrize("option,key,value", [
    ("costs.bunker_usd_per_t=650", "costs.bunker_usd_per_t", 650),
    ("costs.bunker_usd_per_t=650.5", "costs.bunker_usd_per_t", 650.5),
    ("costs.bunker_usd_per_t=gamma(mean=650, cv=0.1)", "costs.bunker_usd_per_t", "gamma(mean=650, cv=0.1)"),
    ("disruptions[0].factor=0.4", "disruptions[0].factor", 0.4),
    ("routes.relay.transship_at=[KRPUS]", "routes.relay.transship_at", ["KRPUS"]),
    ("cargo={kind: reefer, teu: 2}", "cargo", {"kind": "reefer", "teu": 2}),
    ("costs.local_currency_settlement=true", "costs.local_currency_settlement", True),
    ("name='Peru: what-if'", "name", "Peru: what-if"),
    ("name=a: b", "name", {"a": "b"}),  # YAML, as written: quote text that holds ': '
    ("description=", "description", None),
    (" seed = 7 ", "seed", 7),
])
def test_set_values_are_read_as_yaml(option, key, value):
    assert parse_set_option(option) == (key, value)


def test_set_options_change_the_loaded_scenario(drought):
    s = load_scenario(drought, set_options=[
        "costs.bunker_usd_per_t=gamma(mean=650, cv=0.1)", "disruptions[0].factor=0.4", "disruptions.1.days=5",
        "routes.relay.services=[wcsa_busan_relay, busan_shanghai_feeder]", "routes.relay.transship_at=[KRPUS]",
        "replications=123", "cargo.commodity=blueberries"])
    assert s.costs.bunker_usd_per_t == Gamma(mean=650, cv=0.1)
    assert s.disruptions[0].factor == 0.4 and s.disruptions[1].days == 5
    assert s.routes["relay"].transship_at == ["KRPUS"] and s.replications == 123
    assert s.cargo.commodity == "blueberries"
    compile_plan(s)
    base = load_scenario(drought)
    assert base.disruptions[0].factor == 0.6  # the file is untouched
    assert load_scenario(drought, set_options=["disruptions=[]"]).disruptions == []
    assert "relay" not in load_scenario(drought, set_options=["routes.relay="]).routes


def test_with_overrides_dotted_paths_kwargs_and_plain_values(drought):
    s = load_scenario(drought)
    t = s.with_overrides({"costs.bunker_usd_per_t": 650, "disruptions[0].factor": np.float64(0.5),
                          "routes.direct.avoid": ("bering",)}, seed=np.int64(9), replications=500)
    assert t.costs.bunker_usd_per_t.mean == 650 and t.disruptions[0].factor == 0.5
    assert t.routes["direct"].avoid == ["bering"] and (t.seed, t.replications) == (9, 500)
    assert s.seed == 0 and s.costs.bunker_usd_per_t is None  # a copy: the original is unchanged
    assert s.with_overrides({}) == s
    u = t.with_overrides({"costs.bunker_usd_per_t": None, "disruptions": None})
    assert u.costs.bunker_usd_per_t is None and u.disruptions == []  # None: back to the default
    assert load_scenario(drought, overrides={"cargo.teu": 3}).cargo.teu == 3


def test_overrides_are_validated_like_the_file(drought):
    s = load_scenario(drought)
    with pytest.raises(ScenarioError) as e:
        s.with_overrides({"disruptions[0].factor": 1.5, "disruptions[1].where": "Chancai"})
    assert e.value.issues == (
        "with_overrides: disruptions[0].factor: must be <= 1 (got 1.5)",
        "with_overrides: disruptions[1].where: unknown chokepoint or port 'Chancai' (did you mean PECHY Chancay?)",
    )
    with pytest.raises(ScenarioError) as e:
        s.with_overrides({"disruptions[5].factor": 0.5})
    assert e.value.issues == ("with_overrides: disruptions[5].factor: no item [5] to change (disruptions has 2)",)
    with pytest.raises(ScenarioError) as e:
        load_scenario(drought, set_options=["routes.relay.services[2]=x"])
    assert e.value.issues == ("--set: routes.relay.services[2]: no item [2] to change (routes.relay.services has 2)",)


# ---------------------------------------------------------------- the schema
def test_schema_accepts_extends_files_and_requires_name_and_routes_otherwise():
    v = VALIDATOR
    assert not list(v.iter_errors({"extends": "base.yaml", "seed": 3, "routes": {"direct": None}}))
    messages = [e.message for e in v.iter_errors({"seed": 3})]
    assert any("'name' is a required property" in m for m in messages)
    assert list(v.iter_errors({"name": "x", "routes": {"r": DIRECT}, "colour": "red"}))
    assert list(v.iter_errors({"name": "x", "routes": {"r": {**DIRECT, "speed_kn": True}}}))


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_schema_validates_every_shipped_file_as_written_and_as_loaded(path):
    raw, _ = load_marked(path)
    VALIDATOR.validate(raw)
    merged, _ = _load_with_extends(path, str(path), ())
    merged.pop("extends", None)
    VALIDATOR.validate(merged)
    VALIDATOR.validate(load_scenario(path).to_dict())


# ---------------------------------------------------------------- names and catalogue defaults
def test_names_resolve_case_accents_and_aliases():
    s = Scenario.from_dict({"name": "x", "routes": {"r": {
        "origin": "lazaro cardenas", "destination": "shanghai", "service": "aztec_pendulum",
        "avoid": ["Cape Horn", "Canal de Panamá"]}},
        "disruptions": [{"kind": "Chokepoint_Closure", "where": "Suez Canal", "days": 3}]})
    r = s.routes["r"]
    assert (r.origin, r.destination, r.avoid) == ("MXLZC", "CNSHA", ["drake", "panama"])
    assert (s.disruptions[0].kind, s.disruptions[0].where) == ("closure", "suez")


def test_defaults_come_from_the_catalogue():
    s = Scenario.from_dict({"name": "x", "routes": {"r": DIRECT}})
    assert s.to_dict() == {"name": "x", "routes": {"r": DIRECT}}  # nothing but what was written
    plan = compile_plan(s)
    service = catalogue.services()["cosco_chancay_shanghai"]
    assert plan.routes["r"].segments[0].headway_days == service.headway_days.value
    assert plan.routes["r"].segments[0].vessel.id == service.vessel


def test_a_service_the_scenario_defines_can_be_used_by_name(tmp_path):
    p = write(tmp_path / "s.yaml", """\
name: new service
services:
  peru_korea_express:
    vessel: panamax_4500
    rotation: [PECHY, KRPUS]
    headway_days: 10
routes:
  shorthand: {origin: PECHY, destination: KRPUS, service: peru_korea_express}
  explicit:
    origin: PECHY
    destination: KRPUS
    segments: [{service: peru_korea_express}]
""")
    s = load_scenario(p)
    plan = compile_plan(s)
    assert plan.routes["shorthand"].segments[0].headway_days == 10
    assert plan.routes["explicit"].segments[0].headway_days == 10


@pytest.mark.parametrize("text", ["NEL\x85inside", "line\u2028separator", "tab\there", "two\nlines",
                                  "quote ' and \" both", "yes", "0x1F", "2024-01-01", "~", "Lázaro: Cárdenas #1"])
def test_awkward_text_survives_the_yaml_round_trip(text):
    s = Scenario.from_dict({"name": "x", "description": text, "routes": {"r": DIRECT}})
    loaded, _ = loads_marked(s.to_yaml(), "t.yaml")
    assert Scenario.from_dict(loaded) == s and loaded["description"] == s.description


def _models(model, seen=None):
    """Every pydantic model reachable from ``model``'s fields."""
    import typing

    from pydantic import BaseModel

    seen = seen if seen is not None else {}
    if model.__name__ in seen:
        return seen
    seen[model.__name__] = model

    def walk(tp):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            _models(tp, seen)
        for arg in typing.get_args(tp):
            walk(arg)

    for f in model.model_fields.values():
        walk(f.annotation)
    return seen


def _base_type(annotation):
    import types
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def test_no_number_or_flag_field_takes_a_value_of_another_type():
    """``teu: yes`` must not become 1.0, nor ``booked: 1`` true: every float, int and bool field is strict."""
    from pydantic import ValidationError

    checked = 0
    for model in _models(Scenario).values():
        for name, field in model.model_fields.items():
            wrong = {float: True, int: True, bool: 1}.get(_base_type(field.annotation))
            if wrong is None:
                continue
            try:
                model.model_validate({name: wrong}, context={})
                errors = []
            except ValidationError as exc:
                errors = exc.errors()
            assert any(err["loc"][:1] == (name,) for err in errors), f"{model.__name__}.{name} takes {wrong!r}"
            checked += 1
    assert checked >= 30
