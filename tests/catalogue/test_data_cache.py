"""The cache on disk of the parsed data files (routesim.catalogue.cache, issue 16 item 4): a hit gives
the data the parse gives; any change to the file is a miss; a damaged or foreign entry is ignored
and written again; it can be moved and turned off; an unwritable folder is no error."""

from __future__ import annotations

import datetime
import os
import pickle
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from routesim import yamlio
from routesim.catalogue import cache, figures

ROOT = Path(__file__).resolve().parents[2]
TEXT = "ports:\n  XXAAA: {name: Somewhere, opened: 2024-11-15}\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("ROUTESIM_CACHE_DIR", str(d))
    monkeypatch.delenv("ROUTESIM_NO_CACHE", raising=False)
    return d


@pytest.fixture
def parses(monkeypatch):
    """How many times the text was parsed (a miss parses, a hit does not)."""
    calls = []
    real = yamlio.loads_data
    monkeypatch.setattr(yamlio, "loads_data", lambda text: calls.append(text) or real(text))
    return calls


def entries(folder: Path, name: str = "x.yaml") -> list[Path]:
    return sorted(folder.glob(f"{name}.*.pickle"))


def test_a_hit_gives_the_parsed_data_without_parsing(folder, parses):
    first = cache.cached_data(TEXT, "x.yaml")
    assert len(parses) == 1 and len(entries(folder)) == 1
    again = cache.cached_data(TEXT, "x.yaml")
    assert len(parses) == 1  # the hit did not parse
    assert again == first == {"ports": {"XXAAA": {"name": "Somewhere", "opened": datetime.date(2024, 11, 15)}}}


def test_a_changed_file_is_a_miss_and_keeps_the_newest_entries(folder, parses):
    cache.cached_data(TEXT, "x.yaml")
    old = entries(folder)
    changed = TEXT.replace("Somewhere", "Elsewhere")
    assert cache.cached_data(changed, "x.yaml")["ports"]["XXAAA"]["name"] == "Elsewhere"
    assert len(parses) == 2 and len(entries(folder)) == 2 and set(old) < set(entries(folder))
    assert cache.cached_data(changed, "x.yaml")["ports"]["XXAAA"]["name"] == "Elsewhere" and len(parses) == 2
    # two checkouts with the two versions: both hit, neither evicts the other
    assert cache.cached_data(TEXT, "x.yaml")["ports"]["XXAAA"]["name"] == "Somewhere" and len(parses) == 2
    # at most KEEP entries a file: the oldest go
    for i in range(cache.KEEP + 2):
        cache.cached_data(TEXT.replace("Somewhere", f"Place {i}"), "x.yaml")
    assert len(entries(folder)) == cache.KEEP
    assert not set(old) & set(entries(folder))


def test_another_parser_or_version_is_a_miss(folder, parses, monkeypatch):
    cache.cached_data(TEXT, "x.yaml")
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    cache.cached_data(TEXT, "x.yaml")
    assert len(parses) == 2
    import routesim

    monkeypatch.setattr(routesim, "__version__", routesim.__version__ + ".dev1")
    cache.cached_data(TEXT, "x.yaml")
    assert len(parses) == 3


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
    lambda p: p.write_bytes(b"\x00garbage" * 10),
    lambda p: p.write_bytes(b""),
    lambda p: p.write_bytes(pickle.dumps(("routesim-data", "another key", {"ports": {}}))),
    lambda p: p.write_bytes(pickle.dumps(["not", "an", "entry"])),
], ids=["truncated", "garbage", "empty", "another key", "not an entry"])
def test_a_damaged_entry_is_ignored_and_written_again(folder, parses, damage):
    expected = cache.cached_data(TEXT, "x.yaml")
    damage(entries(folder)[0])
    assert cache.cached_data(TEXT, "x.yaml") == expected and len(parses) == 2
    assert cache.cached_data(TEXT, "x.yaml") == expected and len(parses) == 2  # whole again: a hit


def test_an_entry_that_names_code_is_refused_not_run(folder, parses, tmp_path):
    cache.cached_data(TEXT, "x.yaml")
    path = entries(folder)[0]
    key = path.name[len("x.yaml."):-len(".pickle")]
    flag = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {flag}",))

    path.write_bytes(pickle.dumps(("routesim-data", key, Evil())))
    assert cache.cached_data(TEXT, "x.yaml") == yamlio.loads_data(TEXT)
    assert not flag.exists() and len(parses) == 3


def test_turned_off_it_parses_and_writes_nothing(folder, parses, monkeypatch):
    monkeypatch.setenv("ROUTESIM_NO_CACHE", "1")
    assert cache.cache_dir() is None
    cache.cached_data(TEXT, "x.yaml")
    cache.cached_data(TEXT, "x.yaml")
    assert len(parses) == 2 and not folder.exists()


def test_the_folder_defaults_to_the_users_cache_never_the_package(monkeypatch, tmp_path):
    monkeypatch.delenv("ROUTESIM_CACHE_DIR", raising=False)
    monkeypatch.delenv("ROUTESIM_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "routesim"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "routesim"
    package = Path(resources.files("routesim"))
    assert package not in cache.cache_dir().parents


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_is_no_error(tmp_path, monkeypatch, parses):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    monkeypatch.setenv("ROUTESIM_CACHE_DIR", str(ro / "cache"))
    try:
        assert cache.cached_data(TEXT, "x.yaml") == yamlio.loads_data(TEXT)
    finally:
        ro.chmod(0o700)


def test_a_folder_that_is_a_file_is_no_error(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ROUTESIM_CACHE_DIR", str(blocker))
    assert cache.cached_data(TEXT, "x.yaml") == yamlio.loads_data(TEXT) and blocker.read_text() == "not a folder"


def test_a_syntax_error_is_raised_and_nothing_written(folder):
    import yaml

    with pytest.raises(yaml.YAMLError):
        cache.cached_data("a: [1,\n", "x.yaml")
    assert not entries(folder)


def test_every_data_file_reads_alike_from_the_cache(folder):
    for name in sorted(p.name for p in resources.files("routesim.data").iterdir() if p.name.endswith(".yaml")):
        text = resources.files("routesim.data").joinpath(name).read_text(encoding="utf-8")
        parsed = yamlio.loads_data(text)
        assert cache.cached_data(text, name) == parsed  # a miss
        assert cache.cached_data(text, name) == parsed  # a hit
        assert len(entries(folder, name)) == 1


def test_a_fresh_process_reads_the_catalogue_from_the_cache_without_pyyaml(tmp_path):
    env = {**os.environ, "ROUTESIM_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    env.pop("ROUTESIM_NO_CACHE", None)
    probe = ("import sys; from routesim.cli import main; main(['route', 'PECHY', 'CNSHA']); "
             "print('yaml' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout.split()[-1] == "True" and runs[1].stdout.split()[-1] == "False"  # a miss, then a hit
    assert runs[0].stdout.rsplit("\n", 2)[0] == runs[1].stdout.rsplit("\n", 2)[0]  # the same route
    assert {p.name.split(".yaml.")[0] for p in tmp_path.glob("*.pickle")} == {"ports", "lanes", "chokepoints"}


def test_the_catalogue_loader_reads_through_the_cache(folder):
    figures.load_data_file.cache_clear()
    try:
        data = figures.load_data_file("vessels.yaml")
        assert entries(folder, "vessels.yaml")
        text = resources.files("routesim.data").joinpath("vessels.yaml").read_text(encoding="utf-8")
        assert data == yamlio.loads_data(text)
    finally:
        figures.load_data_file.cache_clear()
