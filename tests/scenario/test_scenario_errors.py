"""Scenario errors: the corpus of malformed files, YAML safety, and messages a user can act on.

Every file in ``tests/scenario/bad_scenarios/`` is paired, in ``tests/scenario/bad_scenarios/expected.yaml``,
with the exact lines it must produce (``file:line:col: field.path: message``), in order.
Loading runs from that folder, so messages name files as a user there would type them.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routesim.errors import ScenarioError
from routesim.plan import compile_plan
from routesim.scenario import Scenario, load_scenario, parse_set_option
from routesim.yamlio import YamlError, loads_marked

CORPUS = Path(__file__).resolve().parent / "bad_scenarios"
EXPECTED: dict = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
CASES = sorted(p.name for p in CORPUS.glob("*.yaml") if p.name != "expected.yaml")

# Words that mean a message leaked the validation library's internals.
JARGON = ("Input should", "input_value", "function-", "union_tag", "[key]", "Value error", "type=",
          "pydantic", "validation error", "Field required", "Extra inputs", "Traceback", "Dictionary should",
          "String should", "List should", "None", "True", "False")


def _errors(name: str, set_options=()) -> list[str]:
    """The lines loading + compiling ``name`` raise (from the corpus folder)."""
    try:
        scenario = load_scenario(name, set_options=set_options)
        compile_plan(scenario)
    except ScenarioError as exc:
        return list(exc.issues)
    pytest.fail(f"{name} loaded and compiled without an error")


def _entry(name: str) -> tuple[list[str], list[str]]:
    entry = EXPECTED[name]
    if isinstance(entry, dict):
        return list(entry.get("set") or []), list(entry["errors"])
    return [], list(entry)


# ---------------------------------------------------------------- the corpus
def test_corpus_is_big_enough_and_every_file_has_its_expected_errors():
    assert len(CASES) >= 30
    assert set(CASES) == set(EXPECTED), (
        f"files without an entry: {sorted(set(CASES) - set(EXPECTED))}; "
        f"entries without a file: {sorted(set(EXPECTED) - set(CASES))}")


@pytest.mark.parametrize("name", CASES)
def test_bad_scenario_gives_exactly_the_expected_errors(name, monkeypatch):
    monkeypatch.chdir(CORPUS)
    set_options, expected = _entry(name)
    assert _errors(name, set_options) == expected


@pytest.mark.parametrize("name", CASES)
def test_messages_are_located_and_free_of_library_jargon(name):
    set_options, expected = _entry(name)
    for line in expected:
        for word in JARGON:
            assert word not in line, f"{name}: {word!r} in {line!r}"
        if set_options and line.startswith("--set"):
            continue
        file, line_no, col, rest = line.split(":", 3)
        assert (CORPUS / file).is_file(), line
        assert int(line_no) >= 1 and int(col) >= 1 and rest.startswith(" ")


def _expected_lines(name):
    return _entry(name)[1]


def test_corpus_covers_the_issue_list():
    """The kinds of mistakes the issue names each have a file (by what its message says)."""
    text = "\n".join(line for name in CASES for line in _expected_lines(name))
    needles = [
        "YAML syntax error", "must be a whole number (got 'many')", "unknown key 'replicatons' (did you mean replications?)",
        "unknown port 'Chancai' (did you mean PECHY Chancay?)", "unknown service", "unknown vessel class",
        "unknown chokepoint 'panamma'", "unknown commodity", "must be > 0 (got -2)", "-5 is negative",
        "(got .nan)", "(got .inf)", "normal(mean=3, sd=1) can be negative", "invalid distribution expression",
        "tag !!python/object/apply:os.system is not allowed", "makes a cycle", "no such file",
        "the file is empty", "not a list", "not text", "not valid UTF-8", "duplicate key", "(got true)",
        "replications: must be > 0 (got 0)", "replications: must be a whole number (got 100.5)",
        "does not call at PECLL Callao", "give either 'segments' or the shorthand keys",
        "needs one service per stretch", "a capacity disruption needs 'factor'",
        "unknown chokepoint or port", "no sea route", "--set: expected KEY=VALUE",
        "alias bomb", "nested too deeply",
    ]
    missing = [n for n in needles if n not in text]
    assert not missing


def test_the_issue_example_message():
    """The message quoted in the issue, with this file's own line and column."""
    lines = _expected_lines("unknown_port.yaml")
    assert lines == ["unknown_port.yaml:14:13: routes.direct.origin: unknown port 'Chancai' (did you mean PECHY Chancay?)"]
    # line 14, column 13 is where 'Chancai' is written
    row = (CORPUS / "unknown_port.yaml").read_text().splitlines()[13]
    assert row[12:].startswith("Chancai")


def test_errors_point_at_what_they_name():
    """For field errors, line:col is the key the path ends with, or the value written after it."""
    checked = 0
    for name in CASES:
        for line in _expected_lines(name):
            if line.startswith("--set") or line.count(":") < 4:
                continue
            file, row, col, rest = line.split(":", 3)
            path, message = rest[1:].split(": ", 1)
            if " " in path or not path[0].isalpha() or message == "required key is missing":
                continue  # not a field path, or a missing key (shown at the mapping that lacks it)
            text = (CORPUS / file).read_bytes().decode("utf-8", "replace").splitlines()[int(row) - 1]
            before, here = text[:int(col) - 1], text[int(col) - 1:]
            leaf = path.rsplit(".", 1)[-1]
            if leaf.endswith("]"):  # a list item: just after '- ', '[' or ', '
                ok = before.rstrip().endswith(("-", "[", ","))
            else:
                ok = here.startswith(leaf + ":") or before.rstrip().endswith(leaf + ":") or (
                    path.count(".") and here.startswith(path.split(".")[-2] + ":"))
            assert ok, f"{line!r} points at {here!r}"
            checked += 1
    assert checked >= 30


# ---------------------------------------------------------------- several errors together
def test_all_structural_errors_of_a_file_are_reported_together(monkeypatch):
    monkeypatch.chdir(CORPUS)
    lines = _errors("several_errors.yaml")
    assert len(lines) == 6
    rows = [int(x.split(":")[1]) for x in lines]
    assert rows == sorted(rows)  # in file order
    assert [x.split(": ")[1] for x in lines] == [
        "replications", "cargo.kind", "cargo.origin_country", "routes.direct.origin", "routes.direct.colour",
        "routes.bad name"]


def test_all_compile_errors_are_reported_together(monkeypatch):
    monkeypatch.chdir(CORPUS)
    lines = _errors("closed_passage.yaml")
    assert [x.split(": ")[0] + ": " + x.split(": ")[1] for x in lines] == [
        "closed_passage.yaml:3:3: routes.cape", "closed_passage.yaml:12:3: routes.too_big_for_panama"]
    # the route that compiles is not mentioned
    assert not any("routes.fine" in x for x in lines)


def test_reference_errors_are_reported_together():
    data = {"name": "x", "routes": {
        "a": {"origin": "PECLL", "destination": "CNSHA", "service": "cosco_chancay_shanghai"},
        "b": {"origin": "PECHY", "destination": "CNSHA", "transship_at": ["MXZLO"],
              "services": ["wcsa_mexico_feeder", "cosco_chancay_shanghai"]}}}
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(data, source="s.yaml")
    assert e.value.issues == (
        "s.yaml:1:1: routes.a.service: service 'cosco_chancay_shanghai' does not call at PECLL Callao (the origin); "
        "its rotation is PECHY, CNSHA",
        "s.yaml:1:1: routes.b.services[0]: service 'wcsa_mexico_feeder' does not call at PECHY Chancay (the origin); "
        "its rotation is MXZLO, PECLL, ECGYE, COBUN",
        "s.yaml:1:1: routes.b.services[1]: service 'cosco_chancay_shanghai' does not call at MXZLO Manzanillo "
        "(the transshipment hub where it loads); its rotation is PECHY, CNSHA",
    )


# ---------------------------------------------------------------- YAML safety
@pytest.mark.parametrize("text,needle", [
    ("a: !!python/object/apply:os.system ['echo pwned']\n", "tag !!python/object/apply:os.system is not allowed"),
    ("a: !!python/name:os.system\n", "tag !!python/name:os.system is not allowed"),
    ("a: !!python/object:collections.OrderedDict {}\n", "tag !!python/object:collections.OrderedDict is not allowed"),
    ("a: !!binary aGVsbG8=\n", "tag !!binary is not allowed"),
    ("a: !custom 1\n", "tag !custom is not allowed"),
    ("? !!python/tuple [1, 2]\n: x\n", "a mapping key must be plain text"),
])
def test_unsafe_tags_are_refused_not_constructed(text, needle, monkeypatch):
    ran = []
    monkeypatch.setattr("os.system", lambda *a: ran.append(a))
    with pytest.raises(YamlError) as e:
        loads_marked(text, "t.yaml")
    assert needle in str(e.value) and str(e.value).startswith("t.yaml:1:")
    assert not ran


def _bomb(levels: int, width: int) -> str:
    rows = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        rows.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("levels,width", [(9, 9), (30, 2), (5, 60)])
def test_alias_bombs_are_refused(levels, width):
    """Expansion is counted while building, so the loader stops after a bounded amount of work."""
    with pytest.raises(YamlError) as e:
        loads_marked(_bomb(levels, width), "bomb.yaml")
    assert "alias bomb" in str(e.value)


def test_small_aliases_are_fine():
    data, _ = loads_marked("a: &x [1, 2]\nb: *x\nc: {<<: {k: 1}, j: 2}\n", "ok.yaml")
    assert data == {"a": [1, 2], "b": [1, 2], "c": {"k": 1, "j": 2}}


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "a: " + "{b: " * 5000 + "1" + "}" * 5000,
                                  "- " * 3000 + "x\n"])
def test_deep_nesting_is_an_error_not_a_crash(text):
    with pytest.raises(YamlError) as e:
        loads_marked(text, "deep.yaml")
    assert "nested too deeply" in str(e.value)


def test_non_utf8_bytes_written_at_test_time(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes("name: Peru\nroutes: {}\ndescription: Caf\u00e9 con az\u00facar\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert e.value.issues == (f"{p}:3:17: file is not valid UTF-8 text (byte 0xe9)",)


def test_utf8_with_bom_and_accents_is_fine(tmp_path):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + "name: Lázaro Cárdenas run\nroutes:\n  r: {origin: Lázaro Cárdenas, "
                                    "destination: Shanghai, service: aztec_pendulum}\n".encode())
    s = load_scenario(p)
    assert s.name == "Lázaro Cárdenas run" and s.routes["r"].origin == "MXLZC"


# ---------------------------------------------------------------- overrides
BASE = {"name": "x", "routes": {"direct": {"origin": "PECHY", "destination": "CNSHA",
                                           "service": "cosco_chancay_shanghai"}}}


@pytest.mark.parametrize("option,message", [
    ("costs.bunker_usd_per_t", "--set: expected KEY=VALUE (such as costs.bunker_usd_per_t=650), "
                               "got 'costs.bunker_usd_per_t'"),
    ("=650", "--set: expected KEY=VALUE (such as costs.bunker_usd_per_t=650), got '=650'"),
    ("costs..bunker=1", "--set: cannot read the key 'costs..bunker' (write a dotted path such as "
                        "costs.bunker_usd_per_t or disruptions[0].factor)"),
    ("disruptions[x].factor=1", "--set: cannot read the key 'disruptions[x].factor' (write a dotted path such as "
                                "costs.bunker_usd_per_t or disruptions[0].factor)"),
    ("[0]=1", "--set: cannot read the key '[0]' (write a dotted path such as costs.bunker_usd_per_t or "
              "disruptions[0].factor)"),
    ("costs.=1", "--set: cannot read the key 'costs.' (write a dotted path such as costs.bunker_usd_per_t or "
                 "disruptions[0].factor)"),
    ("costs.bunker_usd_per_t=[1,", "--set costs.bunker_usd_per_t: cannot read the value '[1,': expected the node "
                                   "content, but found '<stream end>'"),
    ("costs.bunker_usd_per_t=!!python/name:os.system", "--set costs.bunker_usd_per_t: cannot read the value "
                                                       "'!!python/name:os.system': tag !!python/name:os.system is "
                                                       "not allowed (scenario files are loaded safely)"),
])
def test_bad_set_syntax(option, message):
    with pytest.raises(ScenarioError) as e:
        parse_set_option(option)
    assert e.value.issues == (message,)


@pytest.mark.parametrize("overrides,message", [
    ({"costs.bunker_usd_per_t": -5}, "with_overrides: costs.bunker_usd_per_t: -5 is negative; must be >= 0"),
    ({"costs.bunker": 5}, "with_overrides: costs.bunker: unknown key 'bunker' (did you mean bunker_usd_per_t?)"),
    ({"disruptions[0].factor": 0.5}, "with_overrides: disruptions[0].factor: there is no list disruptions to change"),
    ({"routes.direct.via[0]": "MXZLO"},
     "with_overrides: routes.direct.via[0]: there is no list routes.direct.via to change"),
    ({"name.first": "x"}, "with_overrides: name.first: name is text ('x'), not a mapping"),
    ({"replications": 2.5}, "with_overrides: replications: must be a whole number (got 2.5)"),
    ({"replications": True}, "with_overrides: replications: must be a whole number (got true)"),
    ({"cargo.teu": "two"}, "with_overrides: cargo.teu: must be a number (got 'two')"),
    ({"cargo.kind": "frozen"}, "with_overrides: cargo.kind: must be 'dry', 'reefer', 'bulk' or 'roro' (got 'frozen')"),
    ({"operations.import_dwell_days": "normal(3, 1)"},
     "with_overrides: operations.import_dwell_days: normal(mean=3, sd=1) can be negative (down to -inf); "
     "use lognormal/gamma/triangular/uniform with low >= 0"),
    ({"routes.direct.origin": "Chancai"},
     "with_overrides: routes.direct.origin: unknown port 'Chancai' (did you mean PECHY Chancay?)"),
])
def test_overrides_are_validated_like_the_file(overrides, message):
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(BASE).with_overrides(overrides)
    assert e.value.issues == (message,)


def test_set_errors_name_the_option_and_file_errors_keep_their_place(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: s\nroutes:\n  direct:\n    origin: PECHY\n    destination: CNSHA\n"
                 "    service: cosco_chancay_shanghai\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p, set_options=["costs.bunker_usd_per_t=-1", "routes.direct.origin=PECLL"])
    assert e.value.issues == ("--set: costs.bunker_usd_per_t: -1 is negative; must be >= 0",)
    # the origin changed on the command line; the service that no longer fits is on line 6 of the file
    with pytest.raises(ScenarioError) as e:
        load_scenario(p, set_options=["routes.direct.origin=PECLL"])
    assert e.value.issues == (
        f"{p}:6:14: routes.direct.service: service 'cosco_chancay_shanghai' does not call at PECLL Callao "
        "(the origin); its rotation is PECHY, CNSHA",)
    with pytest.raises(ScenarioError) as e:
        load_scenario(p, set_options=["costs.bunker_usd_per_t=-1"], overrides={"cargo.teu": 0})
    assert e.value.issues == ("--set: costs.bunker_usd_per_t: -1 is negative; must be >= 0",
                              "overrides: cargo.teu: must be > 0 (got 0)")


def test_with_overrides_keeps_pointing_into_the_file(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: s\nroutes:\n  direct:\n    origin: PECHY\n    destination: CNSHA\n"
                 "    service: cosco_chancay_shanghai\n")
    s = load_scenario(p)
    changed = s.with_overrides({"seed": 3})
    assert changed.where("routes", "direct", "origin") == f"{p}:4:13"
    with pytest.raises(ScenarioError) as e:
        s.with_overrides({"routes.direct.origin": "PECLL"})
    assert e.value.issues[0].startswith(f"{p}:6:14: routes.direct.service: ")


# ---------------------------------------------------------------- fuzzing: never an internal error
_FIELDS = ["name", "seed", "replications", "engine", "routes", "cargo", "costs", "disruptions", "ports",
           "services", "vessels", "chokepoints", "operations", "origin", "destination", "service", "services",
           "via", "avoid", "transship_at", "segments", "kind", "where", "factor", "days", "teu", "commodity",
           "bunker_usd_per_t", "speed_kn", "PECHY", "direct", "panama", "to", "vessel", "x"]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["PECHY", "CNSHA", "Chancai", "cosco_chancay_shanghai", "panama", "closure", "capacity",
                     "gamma(mean=1, cv=0.5)", "normal(0, 1)", "gama(", "", "dry", "reefer", "2024-01-01"]),
    st.text(max_size=8),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(_FIELDS), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_FIELDS), _values, max_size=6))
def test_any_data_gives_a_scenario_or_scenario_errors_never_a_crash(data):
    try:
        Scenario.from_dict(data, source="f.yaml")
    except ScenarioError as exc:
        assert exc.issues
        for line in exc.issues:
            assert line.startswith("f.yaml:") and "\n" not in line
            for word in ("Input should", "function-", "[key]", "Value error", "pydantic"):
                assert word not in line


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abc:-[]{}&*!,'\"#\n\t 0123", max_size=40))
def test_any_text_loads_or_gives_a_located_error(text):
    try:
        loads_marked(text, "f.yaml")
    except YamlError as exc:
        assert str(exc).startswith("f.yaml:")


def test_numbers_in_messages_are_written_as_in_yaml():
    for value, shown in [(math.nan, ".nan"), (math.inf, ".inf"), (-math.inf, "-.inf"), (True, "true")]:
        with pytest.raises(ScenarioError) as e:
            Scenario.from_dict({**BASE, "horizon_days": value}, source="f.yaml")
        assert e.value.issues[0].endswith(f"(got {shown})")


_PATHS = ["name", "seed", "replications", "engine", "horizon_days", "cargo", "cargo.teu", "cargo.kind",
          "cargo.value_usd", "routes", "routes.direct", "routes.direct.origin", "routes.direct.destination",
          "routes.direct.service", "routes.direct.services", "routes.direct.transship_at", "routes.direct.via",
          "routes.direct.segments", "routes.direct.vessel", "routes.direct.avoid", "routes.direct.overland",
          "routes.direct.cargo", "routes.new", "ports", "ports.PECHY", "ports.PECHY.berths", "services",
          "services.new_svc", "services.new_svc.rotation", "services.cosco_chancay_shanghai.rotation",
          "vessels.v", "chokepoints.panama", "costs.charter_usd_per_day", "costs.canal_toll_usd",
          "costs.tariff_date", "disruptions", "operations.weather_factor", "montecarlo", "des"]
_changes = st.one_of(
    _values,
    st.fixed_dictionaries({"origin": _scalars, "destination": _scalars, "service": _scalars}),
    st.lists(st.fixed_dictionaries({"kind": _scalars, "where": _scalars}, optional={"factor": _scalars}),
             max_size=2),
    st.lists(st.fixed_dictionaries({}, optional={"to": _scalars, "service": _scalars, "vessel": _scalars}),
             max_size=3),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_PATHS), _changes, min_size=1, max_size=3))
def test_any_change_to_a_valid_scenario_gives_a_scenario_or_errors(changes):
    base = Scenario.from_dict(BASE)
    try:
        changed = base.with_overrides(changes)
    except ScenarioError as exc:
        assert exc.issues and all("\n" not in line for line in exc.issues)
        return
    assert Scenario.from_dict(changed.to_dict()) == changed


@pytest.mark.skipif(getattr(yaml, "CSafeLoader", None) is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[2] / "scenarios").rglob("*.yaml"))
                         + sorted((Path(__file__).resolve().parent / "bad_scenarios").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_libyaml_and_the_python_loader_give_the_same_data_marks_and_errors(path, monkeypatch):
    import routesim.yamlio as yamlio

    text = path.read_bytes().decode("utf-8", errors="replace")

    def load(fast):
        monkeypatch.setattr(yamlio, "_FastLoader", fast)
        try:
            data, marks = loads_marked(text, path.name)
            return data, marks.values, marks.keys
        except YamlError as exc:
            return str(exc)

    assert load(yaml.CSafeLoader) == load(None)


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "python"])
@pytest.mark.parametrize("text, where", [("name: x\x07\nroutes: {}\n", "t.yaml:1:8:"),
                                         ("name: x\n# a note \x01\nroutes: {}\n", "t.yaml:2:10:")])
def test_a_control_character_is_a_located_error_not_a_traceback(text, where, fast, monkeypatch):
    import routesim.yamlio as yamlio

    if not fast:
        monkeypatch.setattr(yamlio, "_FastLoader", None)
    with pytest.raises(YamlError) as err:
        loads_marked(text, "t.yaml")
    assert str(err.value).startswith(where) and "control characters are not allowed" in str(err.value)


def test_base_60_numbers_are_refused_and_yaml_1_2_exponents_are_numbers():
    with pytest.raises(YamlError, match=r"t.yaml:1:15: headway_days: 7:00 reads as a base-60 number .*\(420\)"):
        loads_marked("headway_days: 7:00\n", "t.yaml")
    data, _ = loads_marked("a: 1.0e9\nb: 1e-3\nc: '1e9'\nd: 12:30 text\ne: '7:00'\n", "t.yaml")
    assert data == {"a": 1e9, "b": 1e-3, "c": "1e9", "d": "12:30 text", "e": "7:00"}
    with pytest.raises(ScenarioError, match=r"--set routes.d.headway_days: .*base-60"):
        parse_set_option("routes.d.headway_days=7:00")


@pytest.mark.parametrize("key, value, message", [
    ("costs.bunker_usd_per_t", 580_000, "mean 580000 is outside the plausible range [0, 5000]"),
    ("operations.weather_factor", 1e300, "mean 1e+300 is outside the plausible range [0.5, 3]"),
    ("routes.r.speed_kn", 300.0, "must be <= 30"),
    ("vessels.neopanamax_14000.teu", 1e6, "must be <= 30,000"),
    ("chokepoints.panama.toll_usd", 1e12, "mean 1e+12 is outside the plausible range [0, 1e+07]"),
    ("replications", 10**12, "must be <= 100,000,000"),
    ("des.warmup_days", 1e9, "must be <= 3650"),
    ("horizon_days", 1e5, "must be <= 3650"),
])
def test_implausible_values_are_refused_naming_the_field(key, value, message):
    base = Scenario.from_dict({"name": "x", "routes": {"r": {"origin": "PECHY", "destination": "CNSHA",
                                                             "service": "cosco_chancay_shanghai"}}})
    with pytest.raises(ScenarioError, match=re.escape(f"{key}: {message}")):
        base.with_overrides({key: value})


def test_run_replications_are_bounded_like_the_file():
    import routesim

    with pytest.raises(ScenarioError, match=r"replications: must be <= 100,000,000"):
        routesim.run(Path(__file__).resolve().parents[2] / "scenarios" / "chancay_vs_callao.yaml",
                     replications=10**12)


def test_extends_cannot_be_set_after_the_file_is_read():
    study = Path(__file__).resolve().parents[2] / "scenarios" / "chancay_vs_callao.yaml"
    with pytest.raises(ScenarioError, match=r"--set extends: extends cannot be changed"):
        load_scenario(study, set_options=["extends=base.yaml"])


@pytest.mark.parametrize("parent, message", [("/etc/passwd", "is not a scenario file"),
                                             ("a\0b.yaml", "cannot hold a NUL character"),
                                             ("loop1.yaml", "symbolic-link loop")])
def test_extends_reads_only_scenario_files_and_never_echoes_others(parent, message, tmp_path):
    (tmp_path / "loop1.yaml").symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop1.yaml")
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {parent!r}\nname: x\n".replace("'", '"').replace("\0", "\\0"))
    with pytest.raises(ScenarioError, match=message) as exc:
        load_scenario(child)
    assert "root:" not in str(exc.value)


def test_a_sweep_scenario_key_names_a_scenario_file(tmp_path):
    from routesim.api import load_sweep_file
    from routesim.errors import RoutesimError

    sweep = tmp_path / "s.yaml"
    sweep.write_text("scenario: /etc/passwd\ngrid:\n  seed: [1, 2]\n")
    with pytest.raises(RoutesimError, match=r"s.yaml:1:11: scenario: '/etc/passwd' is not a scenario file") as exc:
        load_sweep_file(sweep)
    assert "root:" not in str(exc.value)


def test_a_scenario_holds_at_most_500_routes():
    routes = {f"r{i}": {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}
              for i in range(501)}
    with pytest.raises(ScenarioError, match=r"routes: has more than 500 items"):
        Scenario.from_dict({"name": "x", "routes": routes})
    assert len(Scenario.from_dict({"name": "x", "routes": dict(list(routes.items())[:500])}).routes) == 500
