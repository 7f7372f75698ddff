#!/usr/bin/env python
"""Start-up: how long the quick commands take, measured with /usr/bin/time, alternated.

    python benchmarks/bench_startup.py                   # this tree, 7 rounds
    python benchmarks/bench_startup.py --before a7fae52  # also the tree of an older commit, side by side

Each round runs every candidate once (a fresh process each: ``routesim route PECHY CNSHA``,
``routesim validate scenarios/chancay_vs_callao.yaml``, ``python -c "import routesim"``; validate
of a copy of that scenario edited before every run (a comment added: the answer is not in
:mod:`routesim.validate_cache`, the parsed data files are); and route and validate with the caches
turned off, ``ROUTESIM_NO_CACHE=1``: what the first run after installing or changing a data file
pays), the order rotated from round to round so that other load falls on each alike; the table
gives the median wall time with its min-max and the median user time. ``--before REV`` extracts
``src/`` of REV (``git archive``) into a temporary folder and runs the same commands on it (not
the cache-off ones, which are the same there). The commit, the machine and the load average at
start and end are printed with the table.

The caches live in a temporary folder of the benchmark's own for each tree (``ROUTESIM_CACHE_DIR``), so that
other checkouts run on the same machine meanwhile (which keep one entry per data file in the
shared ``~/.cache/routesim``, each replacing the other's) cannot turn a warm run into a cold one.

The commands run with ``PYTHONDONTWRITEBYTECODE`` unset, so that the warm-up writes the bytecode
caches (``__pycache__``) an installed package has; with it set (as in some sandboxes) every run
would compile routesim from source, which no installed copy does.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import itertools
import shutil
import tarfile
import tempfile
from pathlib import Path

from _common import ROOT, commit  # noqa: E402 (a sibling script module)

ROUTE = ["-m", "routesim.cli", "route", "PECHY", "CNSHA"]
VALIDATE = ["-m", "routesim.cli", "validate", "scenarios/chancay_vs_callao.yaml"]
NO_CACHE = ["ROUTESIM_NO_CACHE=1"]
EDITED = "{edited}"
"""Stands for a copy of chancay_vs_callao.yaml (and base.yaml) given a new comment before each run."""
COMMANDS = {
    "route PECHY CNSHA": ROUTE,
    "route, data cache off": NO_CACHE + ROUTE,
    "validate chancay_vs_callao.yaml": VALIDATE,
    "validate, the file edited": [*VALIDATE[:-1], EDITED],
    "validate, caches off": NO_CACHE + VALIDATE,
    "import routesim": ["-c", "import routesim"],
}
"""Label -> ``python`` arguments, after any ``NAME=value`` settings of the environment."""

_EDITS = itertools.count()


def _edited(folder: Path) -> str:
    """A copy of the study scenario in ``folder``, its text changed by a new comment (a file never validated)."""
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "scenarios" / "base.yaml", folder / "base.yaml")
    text = (ROOT / "scenarios" / "chancay_vs_callao.yaml").read_text()
    (folder / "chancay_vs_callao.yaml").write_text(f"{text}\n# edit {next(_EDITS)}\n")
    return str(folder / "chancay_vs_callao.yaml")


def timed(src: Path, argv: list[str], cache: Path) -> tuple[float, float]:
    """(wall, user) seconds of ``python argv`` with ``src`` first on the path and the caches in
    ``cache``, by /usr/bin/time (leading ``NAME=value`` items of ``argv`` set the environment)."""
    cache.mkdir(exist_ok=True)
    argv = [_edited(cache / "edited") if a == EDITED else a for a in argv]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ROUTESIM_NO_CACHE")}
        env["PYTHONPATH"] = str(src)
        env["ROUTESIM_CACHE_DIR"] = str(cache / "cache")
        while argv and "=" in argv[0] and not argv[0].startswith("-"):
            name, value = argv[0].split("=", 1)
            env[name], argv = value, argv[1:]
        p = subprocess.run(["/usr/bin/time", "-f", "%e %U", "-o", out.name, sys.executable, *argv], cwd=ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise SystemExit(f"{argv} failed on {src}:\n{p.stderr}")
        wall, user = out.read().split()[-2:]
    return float(wall), float(user)


def extract(rev: str, into: Path) -> Path:
    """``src/`` of commit ``rev`` under ``into``."""
    archive = into / "src.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev, "src"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--before", metavar="REV", help="also time the src/ of this commit")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": ROOT / "src"}
        if args.before:
            trees[f"at {args.before}"] = extract(args.before, Path(tmp))
        caches = {t: Path(tmp) / f"caches{i}" for i, t in enumerate(trees)}  # one per tree: their keys differ
        cands = [(t, c) for t in trees for c in COMMANDS if t == "this tree" or "off" not in c]
        for t, c in cands:  # warm-up: bytecode caches written, files in the page cache, the caches filled
            timed(trees[t], COMMANDS[c], caches[t])
        load0 = os.getloadavg()
        runs: dict = {k: [] for k in cands}
        for r in range(args.rounds):
            k = r % len(cands)
            for t, c in cands[k:] + cands[:k]:
                runs[t, c].append(timed(trees[t], COMMANDS[c], caches[t]))
        load1 = os.getloadavg()
    print(f"commit {commit()}; Python {platform.python_version()} on {os.cpu_count()} cores "
          f"({platform.platform()}); {args.rounds} rounds, candidates rotated")
    print(f"load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, "
          f"at end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}\n")
    print("| command | tree | wall s, median (min-max) | user s, median |")
    print("|---|---|---|---|")
    for c in COMMANDS:
        for t in trees:
            if (t, c) not in runs:
                continue
            wall = [w for w, _ in runs[t, c]]
            print(f"| `{c}` | {t} | {statistics.median(wall):.2f} ({min(wall):.2f}-{max(wall):.2f}) | "
                  f"{statistics.median(u for _, u in runs[t, c]):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
