"""libyaml (CSafeLoader) and PyYAML's Python loader read every shipped data file alike (issue 16).

The catalogue parses with libyaml where PyYAML was built with it; the Python loader is the
fallback. Both must give the same data, and through :mod:`routesim.yamlio` the same marks.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from routesim import yamlio
from routesim.catalogue import figures

DATA_FILES = sorted(p.name for p in resources.files("routesim.data").iterdir() if p.name.endswith(".yaml"))
libyaml = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml")


@libyaml
@pytest.mark.parametrize("name", DATA_FILES)
def test_both_loaders_give_the_same_data_and_marks(name):
    text = resources.files("routesim.data").joinpath(name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.SafeLoader)
    fast_data, fast_marks = yamlio._loads_with(yaml.CSafeLoader, text, name)
    slow_data, slow_marks = yamlio._loads_with(yaml.SafeLoader, text, name)
    assert fast_data == slow_data
    assert fast_marks.values == slow_marks.values and fast_marks.keys == slow_marks.keys
    assert len(fast_marks.values) > 1


@libyaml
def test_the_catalogue_parses_with_libyaml(monkeypatch):
    """The data files are read by :func:`routesim.yamlio.loads_data` from libyaml's events, not
    through PyYAML's node graph (``yaml.load``) and never with the Python parser."""
    assert yamlio._FastLoader is yaml.CSafeLoader
    made, loads = [], []
    real = yaml.load

    class Spy(yaml.CSafeLoader):
        def __init__(self, text):
            made.append(type(self))
            super().__init__(text)

    monkeypatch.setenv("ROUTESIM_NO_CACHE", "1")  # parse, not the cache's entry
    monkeypatch.setattr(yamlio, "_FastLoader", Spy)
    monkeypatch.setattr(yaml, "load", lambda text, Loader: loads.append(Loader) or real(text, Loader=Loader))
    figures.load_data_file.cache_clear()
    try:
        figures.load_data_file("ports.yaml")
    finally:
        figures.load_data_file.cache_clear()
    assert made == [Spy] and loads == []


def test_without_libyaml_the_python_loader_reads_the_same(monkeypatch):
    """The fallback path (no CSafeLoader in PyYAML) loads the data files and gives the same data."""
    figures.load_data_file.cache_clear()
    try:
        with_fast = {n: figures.load_data_file(n) for n in ("ports.yaml", "lanes.yaml")}
        figures.load_data_file.cache_clear()
        monkeypatch.setenv("ROUTESIM_NO_CACHE", "1")
        monkeypatch.setattr(yamlio, "_FastLoader", None)
        assert {n: figures.load_data_file(n) for n in ("ports.yaml", "lanes.yaml")} == with_fast
    finally:
        figures.load_data_file.cache_clear()
