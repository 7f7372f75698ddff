"""``routesim.yamlio.loads_data`` (how the data files are read, issue 16 item 4) returns exactly what
``yaml.load(text, Loader=yaml.CSafeLoader)`` returns: same values, same types, same key order, the
same errors; only faster."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import pytest
import yaml

from routesim import yamlio

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = sorted(p.name for p in resources.files("routesim.data").iterdir() if p.name.endswith(".yaml"))
SCENARIOS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").rglob("*.yaml"))
pytestmark = pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")


def same(a, b) -> bool:
    """Equal, with the same types all the way down and the same key order (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(map(type, a)) == list(map(type, b)) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def reference(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_reads_as_pyyaml_reads_it(name):
    text = resources.files("routesim.data").joinpath(name).read_text(encoding="utf-8")
    assert same(yamlio.loads_data(text), reference(text))


@pytest.mark.parametrize("path", SCENARIOS)
def test_every_shipped_scenario_reads_as_pyyaml_reads_it(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert same(yamlio.loads_data(text), reference(text))


CASES = {
    "scalars": "a: [1, -2, 0x1F, 0o17, 017, 1_000, 1.5, -.5, 1e3, 1.0e+3, .inf, -.Inf, .NaN, 190:20:30]\n"
               "b: [yes, No, on, OFF, true, ~, null, '', \"\", plain text, '1', \"true\"]\n"
               "c: [2024-11-15, 2001-12-14t21:59:43.10-05:00, 2001-12-15 2:59:43.10]\n",
    "keys": "1: int\n2.5: float\ntrue: bool\n~: null\n2024-01-01: date\n'1': text\n",
    "duplicate keys, the last wins in the first place": "a: 1\nb: 2\na: 3\n",
    "nested": "x:\n  - {a: [1, {b: c}], d: []}\n  - []\n  - {}\n  -\n  - - deep\n",
    "block scalars": "a: |\n  two\n  lines\nb: >\n  folded\n  text\n",
    "empty document": "",
    "comment only": "# nothing\n",
    "scalar document": "just text\n",
    "number document": "42\n",
    "list document": "- 1\n- 2\n",
    "empty values": "a:\nb: {c: }\n",
    "anchors and aliases": "base: &b {x: 1, y: [2]}\nother: *b\nlist: [&n 3, *n]\n",
    "merge key": "base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n",
    "explicit tags": "a: !!str 12\nb: !!float 3\nc: !!binary aGk=\nd: !!set {x, y}\ne: !!omap [{k: v}]\n",
    "non-specific tag": "a: ! 12\n",
    "value key": "=: x\n",
    "sequence as a key": "? [1, 2]\n: x\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_what_pyyaml_reads_it_reads_alike(text):
    try:
        expected = reference(text)
    except Exception as exc:  # noqa: BLE001 - the same error, whatever PyYAML raises
        with pytest.raises(type(exc)) as got:
            yamlio.loads_data(text)
        assert str(got.value) == str(exc)
        return
    assert same(yamlio.loads_data(text), expected)


ERRORS = {
    "bad indentation": "a: 1\n b: 2\n",
    "tab": "a:\n\t- 1\n",
    "unclosed quote": "a: 'open\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "control character": "a: \x07\n",
    "impossible date": "a: 2024-13-01\n",
    "unknown tag": "a: !!python/object:os.system x\n",
    "unhashable key": "? {a: 1}\n: x\n",
}


@pytest.mark.parametrize("text", ERRORS.values(), ids=ERRORS.keys())
def test_bad_text_raises_what_pyyaml_raises(text):
    with pytest.raises(Exception) as expected:  # noqa: PT011 - compared with PyYAML's below
        reference(text)
    with pytest.raises(type(expected.value)) as got:
        yamlio.loads_data(text)
    assert str(got.value) == str(expected.value)


def test_a_data_file_with_a_syntax_error_names_file_line_and_column(monkeypatch):
    from routesim.catalogue import figures
    from routesim.errors import DataError

    class Broken:
        def joinpath(self, name):
            return self

        def read_bytes(self):
            return b"ports:\n  PECHY: {name: Chancay\n"

    monkeypatch.setattr(figures.resources, "files", lambda package: Broken())
    figures.load_data_file.cache_clear()
    try:
        with pytest.raises(DataError, match=r"^shipped data file data/broken\.yaml:3:1: "):
            figures.load_data_file("broken.yaml")
    finally:
        figures.load_data_file.cache_clear()
