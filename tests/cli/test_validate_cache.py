"""``routesim validate``'s cache of answers (routesim.validate_cache): a hit only while nothing the
answer depends on changed, invalid files always checked in full, damaged entries ignored.

Each command runs in a fresh process (the cache answers only there), with its own cache folder.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from routesim import validate_cache
from routesim.cli import main

ROOT = Path(__file__).resolve().parents[2]
ROUTE = {"origin": "PECHY", "destination": "CNSHA", "service": "cosco_chancay_shanghai"}
PARENT = "seed: 3\nreplications: 2000\n"
CHILD = ("extends: parent.yaml\nname: cached\nroutes:\n  direct:\n    origin: PECHY\n    destination: CNSHA\n"
         "    service: cosco_chancay_shanghai\n")
LINE = "'cached': 1 route(s) (direct), engine montecarlo, 2,000 replications, seed 3"
PROBE = """
import json, sys
from routesim.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""
HEAVY = ("numpy", "pydantic", "yaml", "routesim.scenario", "routesim.plan", "routesim.catalogue.figures",
         "routesim.network")


def _run(cache: Path | None, *argv, cwd: Path = ROOT) -> tuple[int, str, str, set]:
    """(status, stdout lines before the probe's, stderr, modules loaded) of ``routesim *argv`` in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k not in ("ROUTESIM_NO_CACHE", "ROUTESIM_CACHE_DIR")}
    env["PYTHONPATH"] = str(ROOT / "src")
    if cache is None:
        env["ROUTESIM_NO_CACHE"] = "1"
    else:
        env["ROUTESIM_CACHE_DIR"] = str(cache)
    p = subprocess.run([sys.executable, "-c", PROBE, "validate", *map(str, argv)], capture_output=True, text=True,
                       cwd=cwd, env=env, timeout=120)
    *out, probe = p.stdout.splitlines()
    info = json.loads(probe)
    return info["status"], "\n".join(out), p.stderr, set(info["modules"])


@pytest.fixture
def study(tmp_path):
    """A study folder (marked as a root) with ``child.yaml`` extending ``parent.yaml``; the cache beside it."""
    top = tmp_path / "study"
    top.mkdir()
    (top / ".routesim-root").touch()
    (top / "parent.yaml").write_text(PARENT)
    (top / "child.yaml").write_text(CHILD)
    return top, tmp_path / "cache"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("validate.*.json")) if cache.is_dir() else []


def test_second_run_is_answered_from_the_cache_without_the_schema(study):
    top, cache = study
    status, out, err, loaded = _run(cache, top / "child.yaml")
    assert (status, out, err) == (0, f"{top / 'child.yaml'}: ok - {LINE}", "")
    assert "pydantic" in loaded and "routesim.plan" in loaded  # the first run checks in full
    assert len(_entries(cache)) == 1
    again = _run(cache, top / "child.yaml")
    assert again[:3] == (status, out, err)
    assert not [m for m in HEAVY if m in again[3]]


@pytest.mark.parametrize("change", ["child", "parent", "parent_same_size_and_mtime"])
def test_a_changed_file_is_checked_again(study, change):
    top, cache = study
    assert _run(cache, top / "child.yaml")[0] == 0
    target = top / ("child.yaml" if change == "child" else "parent.yaml")
    before = target.stat()
    text = target.read_text()
    bad = text.replace("seed: 3", "seed: -3") if change != "parent_same_size_and_mtime" else text.replace("3\n", "x\n", 1)
    if change == "child":
        bad = text + "seed: -3\n"
    target.write_text(bad)
    if change == "parent_same_size_and_mtime":
        assert len(bad) == len(text)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    status, out, err, loaded = _run(cache, top / "child.yaml")
    assert status == 2 and out == "" and "seed" in err and "pydantic" in loaded
    shown = "child.yaml" if change == "child" else "parent.yaml"
    assert shown in err.splitlines()[0]
    target.write_text(text)
    assert _run(cache, top / "child.yaml")[:2] == (0, f"{top / 'child.yaml'}: ok - {LINE}")


def test_invalid_files_are_never_stored(study):
    top, cache = study
    (top / "bad.yaml").write_text("name: bad\nroutes:\n  direct:\n    origin: Chancai\n")
    first = _run(cache, top / "bad.yaml")
    assert first[0] == 2 and "bad.yaml:4:13: routes.direct.origin" in first[2]
    assert _entries(cache) == []
    assert _run(cache, top / "bad.yaml")[:3] == first[:3]


@pytest.mark.parametrize("damage", [b"", b"{", b"\x80\x81 not json", b"[1, 2]", b'{"format": 1}',
                                    b'{"format": 1, "root": 5, "files": [], "line": 3}'])
def test_a_damaged_entry_is_a_miss_and_written_again(study, damage):
    top, cache = study
    expected = _run(cache, top / "child.yaml")[:3]
    [entry] = _entries(cache)
    entry.write_bytes(damage)
    status, out, err, loaded = _run(cache, top / "child.yaml")
    assert (status, out, err) == expected and "pydantic" in loaded
    assert json.loads(entry.read_bytes())["line"] == LINE


def test_an_entry_for_other_bytes_or_another_environment_is_a_miss(study):
    top, cache = study
    _run(cache, top / "child.yaml")
    [entry] = _entries(cache)
    good = json.loads(entry.read_bytes())
    for forged in ({**good, "line": "forged", "files": [[*good["files"][0][:2], "0" * 64], *good["files"][1:]]},
                   {**good, "line": "forged", "environment": "0" * 64},
                   {**good, "line": "forged", "format": 0},
                   {**good, "line": "forged", "files": good["files"][:1] + [[*good["files"][1][:2], "1" * 64]]},
                   {**good, "line": "forged", "files": [*good["files"], [0, "/dev/stdin", "0" * 64]]},
                   {**good, "line": "forged", "modules": [*good["modules"], [1, "0.0"]]},
                   {**good, "line": "forged", "modules": "none"}):
        entry.write_text(json.dumps(forged))
        assert _run(cache, top / "child.yaml")[1] == f"{top / 'child.yaml'}: ok - {LINE}"
    entry.write_text(json.dumps({**good, "line": "the entry's own line"}))  # the same key: a hit
    assert _run(cache, top / "child.yaml")[1] == f"{top / 'child.yaml'}: ok - the entry's own line"


def test_a_parent_symlink_pointed_elsewhere_is_a_miss(study):
    top, cache = study
    (top / "other.yaml").write_text("seed: -1\n")
    (top / "link.yaml").symlink_to(top / "parent.yaml")
    (top / "child.yaml").write_text(CHILD.replace("parent.yaml", "link.yaml"))
    assert _run(cache, top / "child.yaml")[0] == 0
    (top / "link.yaml").unlink()
    (top / "link.yaml").symlink_to(top / "other.yaml")
    status, _, err, _ = _run(cache, top / "child.yaml")
    assert status == 2 and "seed" in err


def test_a_narrower_study_root_is_a_miss(tmp_path):
    top, cache = tmp_path / "top", tmp_path / "cache"
    (top / "shared").mkdir(parents=True)
    (top / "studies").mkdir()
    (top / ".routesim-root").touch()
    (top / "shared" / "parent.yaml").write_text(PARENT)
    (top / "studies" / "child.yaml").write_text(CHILD.replace("parent.yaml", "../shared/parent.yaml"))
    assert _run(cache, top / "studies" / "child.yaml")[0] == 0
    assert _run(cache, top / "studies" / "child.yaml", "--root", top / "studies")[0] == 2
    (top / "studies" / ".routesim-root").touch()  # the study's root is now its own folder
    status, _, err, _ = _run(cache, top / "studies" / "child.yaml")
    assert status == 2 and "lies outside the study folder" in err


def test_sweep_files_answer_the_same_from_the_cache(tmp_path):
    sweeps = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))[:1]
    assert sweeps
    cache = tmp_path / "cache"
    full = _run(None, *sweeps)
    assert full[0] == 0 and "sweep of" in full[1]
    assert _run(cache, *sweeps)[:3] == full[:3]
    hit = _run(cache, *sweeps)
    assert hit[:3] == full[:3] and not [m for m in HEAVY if m in hit[3]]


def test_no_cache_writes_nothing(study):
    top, cache = study
    assert _run(None, top / "child.yaml")[0] == 0
    assert not cache.exists()


def test_a_process_that_loaded_the_schema_never_uses_the_cache(study, monkeypatch, capsys):
    """This process (pytest's) has loaded the scenario schema: main() neither reads nor writes entries."""
    top, cache = study
    monkeypatch.setenv("ROUTESIM_CACHE_DIR", str(cache))
    monkeypatch.delenv("ROUTESIM_NO_CACHE", raising=False)
    assert not validate_cache.fresh_process()
    path = top / "child.yaml"
    validate_cache.store(path, None, [(str(path), path.read_bytes()), (str(top / "parent.yaml"), PARENT.encode())],
                         "forged")
    assert validate_cache.lookup(path) == "forged"
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok - {LINE}\n"
    assert len(_entries(cache)) == 1 and json.loads(_entries(cache)[0].read_bytes())["line"] == "forged"
    # nor does a fresh process take it: its sys.path and modules are not pytest's
    assert _run(cache, path)[1] == f"{path}: ok - {LINE}"


def test_environment_key_follows_the_data_by_content(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "data" / "d.yaml").write_text("a: 1\n")
    (pkg / "__pycache__").mkdir()

    def key():
        validate_cache.environment_key.cache_clear()
        return validate_cache.environment_key(str(pkg))

    k0 = key()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    (pkg / "a.py").write_text("x = 2\n")
    assert key() == k0  # code is keyed by the modules loaded, entry by entry
    st = (pkg / "data" / "d.yaml").stat()
    (pkg / "data" / "d.yaml").write_text("a: 2\n")
    os.utime(pkg / "data" / "d.yaml", ns=(st.st_atime_ns, st.st_mtime_ns))
    k1 = key()
    assert k1 != k0  # the same size and time, other bytes
    (pkg / "data" / "e.npz").write_bytes(b"")
    assert key() not in (k0, k1)
    validate_cache.environment_key.cache_clear()


def test_a_changed_module_is_a_miss(study, tmp_path, monkeypatch):
    """Any module loaded when the answer was stored (here one of the test's own) changed: a miss."""
    top, cache = study
    (tmp_path / "routesim_probe_module.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("routesim_probe_module")

    path = top / "child.yaml"
    reads = [(str(path), path.read_bytes()), (str(top / "parent.yaml"), PARENT.encode())]
    validate_cache.store(path, None, reads, LINE, folder=cache)
    assert validate_cache.lookup(path, folder=cache) == LINE
    os.utime(tmp_path / "routesim_probe_module.py", ns=(1, 1))
    assert validate_cache.lookup(path, folder=cache) is None
    validate_cache.store(path, None, reads, LINE, folder=cache)
    assert validate_cache.lookup(path, folder=cache) == LINE
    sys.modules.pop("routesim_probe_module")


def test_unwritable_cache_folder_is_no_error(study):
    top, _ = study
    blocker = top.parent / "blocker"
    blocker.write_text("a file where the cache folder would be")
    status, out, err, _ = _run(blocker, top / "child.yaml")
    assert (status, out, err) == (0, f"{top / 'child.yaml'}: ok - {LINE}", "")


def test_a_process_of_its_own_pauses_the_collector_and_starts_blas_alone(study, capsys):
    """A fresh process checks a file with the cyclic collector off, then freezes what survived and turns
    it back on, and imports numpy with OpenBLAS on one thread (the environment restored after); a
    caller's process (this one) keeps its collector as it was, nothing frozen."""
    import gc

    top, _ = study
    frozen = gc.get_freeze_count()
    assert main(["validate", str(top / "child.yaml")]) == 0 and gc.isenabled()
    assert gc.get_freeze_count() == frozen
    probe = ("import gc, os, sys\nfrom routesim.cli import main\nstatus = main(sys.argv[1:])\n"
             "threads = len(os.listdir('/proc/self/task')) if os.path.isdir('/proc/self/task') else 1\n"
             "print(status, gc.isenabled(), gc.get_freeze_count() > 10_000, threads, "
             "os.environ.get('OPENBLAS_NUM_THREADS'))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env.update(PYTHONPATH=str(ROOT / "src"), ROUTESIM_NO_CACHE="1")
    p = subprocess.run([sys.executable, "-c", probe, "validate", str(top / "child.yaml")], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.stdout.splitlines()[-1] == "0 True True 1 None"
    env["OPENBLAS_NUM_THREADS"] = "3"  # the user's own setting is left alone
    p = subprocess.run([sys.executable, "-c", probe.replace("threads, ", ""), "validate", str(top / "child.yaml")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.stdout.splitlines()[-1] == "0 True True 3"


def test_no_entry_when_a_file_read_twice_changed_meanwhile(study):
    top, cache = study
    path = top / "child.yaml"
    raw = path.read_bytes()
    validate_cache.store(path, None, [(str(path), raw), (str(path), raw + b"# edited\n")], LINE, folder=cache)
    validate_cache.store(path, None, [(str(top / "parent.yaml"), PARENT.encode())], LINE, folder=cache)
    assert _entries(cache) == []  # nor without the file itself among the reads
    validate_cache.store(path, None, [(str(path), raw), (str(path), raw)], LINE, folder=cache)
    assert validate_cache.lookup(path, folder=cache) == LINE
