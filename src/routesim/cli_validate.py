"""The ``routesim validate`` and ``routesim schema`` commands: check scenario and sweep files, print the schema.

:mod:`routesim.cli` registers them. ``validate`` prints one line per valid file and every
error of the invalid ones (``file:line:col: field: message``), exit status 2 if any is invalid;
a sweep file (``scenario:`` and a design, no routes) is checked with every point it runs. A file
that validated before is answered from :mod:`routesim.validate_cache` while neither it, the
files it read nor routesim and its data changed (``ROUTESIM_NO_CACHE=1``: always checked in full).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import sys

from .errors import RoutesimError
from .choices import ROOT_MARKERS

__all__ = ["register"]


def register(sub) -> None:
    """Add the ``validate`` and ``schema`` subcommands to the argparse ``sub`` parsers."""
    _register_validate(sub)
    _register_schema(sub)


def _register_validate(sub) -> None:
    p = sub.add_parser("validate", help="check scenario files and print one line per file",
                       description="Validate scenario and sweep files (schema, names, routes, every sweep "
                                   "point); exit 2 if any is invalid.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    add_root_option(p)
    p.set_defaults(func=_cmd_validate)


def add_root_option(p) -> None:
    """``--root DIR``: the study folder the files a scenario extends (or a sweep's scenario) must lie in."""
    p.add_argument("--root", metavar="DIR", help="the folder extends: may reach into (default: the nearest "
                                                 f"folder holding {', '.join(ROOT_MARKERS)}, else the file's own)")


def _cmd_validate(args) -> int:
    from . import validate_cache

    fresh = validate_cache.fresh_process()  # not where a caller may have changed the schema or catalogue
    status = 0
    for path in args.scenarios:
        line = validate_cache.lookup(path, args.root) if fresh else None
        if line is None:
            from .yamlio import recording_reads

            with recording_reads() as reads, _short_lived(fresh):
                try:
                    line = _validate(path, args.root)
                except RoutesimError as exc:
                    status = 2
                    lines = getattr(exc, "issues", None) or [str(exc)]
                    for text in lines:
                        located = re.match(r"^\S+:\d+:\d+: ", text) or text.startswith(str(path))
                        print(text if located else f"{path}: {text}", file=sys.stderr)
                    continue
            if fresh:
                validate_cache.store(path, args.root, reads, line)
        print(f"{path}: ok - {line}")
    return status


@contextlib.contextmanager
def _short_lived(fresh: bool):
    """Set-up for a process that checks files and ends (``fresh``; elsewhere, in a caller's process,
    nothing changes):

    * no cyclic garbage collection while a file is checked, then what survived frozen out of later
      collections (:func:`gc.freeze`): the imports (numpy, pydantic, the schema, the plan modules)
      make some hundred thousand objects that live as long as the process, and the collector would
      scan them again and again;
    * OpenBLAS (numpy's linear algebra) started with one thread unless ``OPENBLAS_NUM_THREADS`` says
      otherwise: a check multiplies no matrices (nothing it computes depends on BLAS threads), and
      starting a thread per core when numpy is imported costs CPU the check could use. The
      environment is as it was afterwards.

    The pause takes about a fifth of the time off a check, the one BLAS thread a few hundredths
    of a second (benchmarks/README.md, "Session of 2026-12-02: validate")."""
    if not fresh or not gc.isenabled():
        yield
        return
    blas = "numpy" not in sys.modules and "OPENBLAS_NUM_THREADS" not in os.environ
    if blas:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
        if blas:
            os.environ.pop("OPENBLAS_NUM_THREADS", None)


def _validate(path, root) -> str:
    """What ``validate`` prints after ``ok -`` for a valid file; raises RoutesimError for an invalid one."""
    from .plan import compile_plan  # not through routesim.api: validating never needs the engines or pandas
    from .scenario import load_scenario

    if _is_sweep_file(path):
        from .sweeps import load_sweep_file

        sweep = load_sweep_file(path, root=root)
        for task in sweep.tasks:  # every point's scenario compiles (names, routes, passages)
            compile_plan(sweep.base.with_overrides(task["overrides"]) if task["overrides"] else sweep.base)
        return f"sweep of {len(sweep)} point(s) ({sweep.design}) over '{sweep.base.name}'"
    s = load_scenario(path, root=root)
    compile_plan(s)
    return s.summary_line()


def _is_sweep_file(path) -> bool:
    """A sweep file names the scenario it changes (``scenario:``) and has no routes of its own."""
    from .yamlio import load_marked

    try:
        data, _ = load_marked(path)
    except RoutesimError:
        return False  # load_scenario reports it
    return isinstance(data, dict) and "scenario" in data and "routes" not in data


def _register_schema(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files",
                       description="Print the JSON Schema of scenario files (for editors and validators).")
    p.set_defaults(func=_cmd_schema)


def _cmd_schema(args) -> int:
    from .scenario import Scenario

    json.dump(Scenario.json_schema(), sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")
    return 0
