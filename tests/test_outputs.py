"""Outputs as a set and their errors: an interrupted or failed write leaves the old run whole; bad
output paths and runs without a common route are input errors, before any work."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

import routesim
from routesim import cli
from routesim._atomic import MARKER, atomic_folder, check_folder
from routesim.errors import RoutesimError

from conftest import DIRECT, small_scenario

STUDY = str(Path(__file__).resolve().parents[1] / "scenarios" / "chancay_vs_callao.yaml")


@pytest.fixture(scope="module")
def res():
    return routesim.run(small_scenario(routes={"d": DIRECT}), replications=1000, seed=1)


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_run_folder_is_complete_and_marked(res, tmp_path):
    out = tmp_path / "run"
    written = res.write(out)
    assert (out / MARKER).exists() and all(p.parent == out and p.exists() for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no temporary sibling left
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt(), SystemExit(143)])
def test_an_interrupted_write_leaves_the_old_run_and_no_temporary_files(res, tmp_path, monkeypatch, failure):
    out = tmp_path / "run"
    res.write(out)
    before = _snapshot(out)
    import routesim.results.plots as plots

    def broken(results):
        raise failure

    monkeypatch.setattr(plots, "standard_figures", broken)
    with pytest.raises(type(failure)):
        res.write(out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_new_run_replaces_the_whole_folder(res, tmp_path):
    out = tmp_path / "run"
    res.write(out)
    (out / "stale.txt").write_text("from an older routesim")
    res.write(out, figures=False)
    assert not (out / "stale.txt").exists() and not (out / "transit_ecdf.png").exists()


def test_folders_routesim_may_not_replace_are_refused(tmp_path):
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    for bad, msg in [(tmp_path / "a_file", "is a file"), (tmp_path / "a_file" / "sub", "is a file"),
                     (tmp_path / "mine", "did not write"), ("", "give a folder name")]:
        with pytest.raises(RoutesimError, match=msg):
            check_folder(bad)
    with pytest.raises(RoutesimError, match="did not write"):
        with atomic_folder(tmp_path / "mine"):
            pass
    assert (tmp_path / "mine" / "notes.txt").exists()
    assert check_folder(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"


def test_cli_refuses_a_bad_out_before_running(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    code = cli.main(["run", STUDY, "-n", "100", "--out", str(tmp_path / "f")])
    err = capsys.readouterr().err
    assert code == 2 and "is a file, not a folder" in err and "Traceback" not in err


def test_sigterm_while_writing_unwinds_and_leaves_the_old_run(tmp_path, monkeypatch):
    out = tmp_path / "run"
    assert cli.main(["run", STUDY, "-n", "200", "--out", str(out), "--no-progress"]) == 0
    before = _snapshot(out)
    import routesim.results.plots as plots

    def killed(results):
        os.kill(os.getpid(), signal.SIGTERM)  # the handler routesim installs turns it into SystemExit
        raise AssertionError("SIGTERM was not handled")

    monkeypatch.setattr(plots, "standard_figures", killed)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main(["run", STUDY, "-n", "200", "--out", str(out), "--no-progress"])
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert exc.value.code == 128 + signal.SIGTERM
    assert _snapshot(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_compare_of_runs_without_a_common_route_is_an_input_error(tmp_path, capsys):
    for name, route in (("a", "r1"), ("b", "r2")):
        (tmp_path / f"{name}.yaml").write_text(
            f"name: {name}\nroutes:\n  {route}: {{origin: PECHY, destination: CNSHA, service: cosco_chancay_shanghai}}\n")
    code = cli.main(["compare", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-n", "200"])
    err = capsys.readouterr().err
    assert code == 2 and "no route in common (a: r1; b: r2)" in err and "Traceback" not in err
