"""Loading scenario files: ``extends:`` chains, overrides and ``--set`` options.

A file is a JSON Merge Patch (:mod:`~routesim.scenario.patch`) over the files it
``extends:`` (paths relative to the file); a cycle, a missing parent or an empty
file is an error naming the line that extends it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..choices import ROOT_MARKERS
from ..errors import ScenarioError
from ..studyroot import study_root
from ..yamlio import Marks, YamlError, load_marked
from .display import kind_of, show
from .overrides import override, parse_set_option
from .patch import deep_merge
from .schema import Scenario, validate

__all__ = ["load_scenario", "load_with_extends", "study_root", "check_inside", "ROOT_MARKERS"]


def check_inside(root: Path, target: Path, where: str, what: str) -> None:
    """Refuse ``target`` (written at ``where`` as ``what``) when it resolves outside ``root``."""
    if not target.resolve().is_relative_to(root.resolve()):
        raise ScenarioError([f"{where}: {what} lies outside the study folder {root} (the nearest folder above "
                             f"the scenario holding {', '.join(ROOT_MARKERS)}, else the scenario's own folder); "
                             "name a wider one with --root DIR (root= in Python)"])


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None,
                  set_options: list[str] | tuple[str, ...] = (), root: str | Path | None = None) -> Scenario:
    """Load a scenario file, following ``extends:`` and applying overrides.

    ``overrides`` maps dotted paths to values (as :meth:`Scenario.with_overrides`);
    ``set_options`` are ``KEY=VALUE`` strings as given to ``routesim run --set``
    (the value is read as YAML: ``650``, ``gamma(mean=600, cv=0.1)``, ``[MXZLO]``).
    The files it extends must lie inside ``root`` (default: :func:`study_root` of ``path``).
    Raises :class:`~routesim.errors.ScenarioError` listing every problem found.
    """
    shown = str(path)
    root = Path(root) if root is not None else study_root(path)
    check_inside(root, Path(path), shown, "the scenario file")
    data, marks = load_with_extends(Path(path), shown, (), root)
    if data is None:
        raise ScenarioError([f"{shown}:1:1: the file is empty (a scenario needs at least 'name' and 'routes')"])
    for opt in set_options:
        key, value = parse_set_option(opt)
        _not_extends(key, "--set")
        override(data, marks, key, value, "--set")
    for key, value in (overrides or {}).items():
        _not_extends(key, "overrides")
        override(data, marks, key, value, "overrides")
    return validate(data, marks, shown)


def _check_parent(parent: str, ppath: Path, where: str) -> None:
    """A parent a scenario may extend: a ``.yaml``/``.yml`` file name that resolves (no NUL, no symlink
    loop). Anything else is refused before it is read, so no other file's content is ever echoed."""
    if "\0" in parent:
        raise ScenarioError([f"{where}: extends: a file name cannot hold a NUL character"])
    if Path(parent).suffix.lower() not in (".yaml", ".yml"):
        raise ScenarioError([f"{where}: extends: '{parent}' is not a scenario file (a .yaml or .yml file)"])
    try:
        ppath.resolve(strict=False)
    except (OSError, RuntimeError):
        raise ScenarioError([f"{where}: extends: cannot resolve '{parent}' (a symbolic-link loop?)"]) from None


def _not_extends(key: str, source: str) -> None:
    """``extends`` composes files as they are read: changing it afterwards would change nothing."""
    if key == "extends" or key.startswith(("extends.", "extends[")):
        raise ScenarioError([f"{source} {key}: extends cannot be changed after the file is read; write it in "
                             "the scenario file (or a file that extends it)"])


def load_with_extends(path: Path, shown: str, stack: tuple[tuple[Path, str], ...],
                      root: Path | None = None) -> tuple[Any, Marks]:
    """Data and marks of ``path`` merged over its parents; ``stack`` holds the files extending it;
    every parent must lie inside ``root`` (default: :func:`study_root` of ``path``)."""
    root = root if root is not None else study_root(path)
    real = path.resolve()
    try:
        data, marks = load_marked(path, shown)
    except YamlError as exc:
        raise ScenarioError([str(exc) if exc.mark else exc.message]) from None
    if data is None:
        return None, marks
    if not isinstance(data, dict):
        raise ScenarioError([f"{marks.where(())}: a scenario file must be a mapping of keys to values, "
                             f"not {kind_of(data)}"])
    if "extends" not in data:
        return data, marks
    parents = data.pop("extends")
    if isinstance(parents, str):
        parents = [parents]
    if (not isinstance(parents, list) or not parents
            or not all(isinstance(p, str) and p.strip() for p in parents)):
        raise ScenarioError([f"{marks.where(('extends',))}: extends: expected a file name or a list of file "
                             f"names, got {show(data.get('extends', parents))}"])
    merged: dict = {}
    merged_marks = Marks(default=marks.default)
    for i, parent in enumerate(parents):
        where = marks.where(("extends",) if len(parents) == 1 or isinstance(parents, str) else ("extends", i))
        ppath = path.parent / parent
        pshown = os.path.normpath(os.path.join(os.path.dirname(shown), parent))
        chain = [*stack, (real, shown)]
        _check_parent(parent, ppath, where)
        check_inside(root, ppath, where, f"extends: '{parent}'")
        if ppath.resolve() in [r for r, _ in chain]:
            start = [r for r, _ in chain].index(ppath.resolve())
            cycle = " -> ".join([s for _, s in chain[start:]] + [pshown])
            raise ScenarioError([f"{where}: extends: '{parent}' makes a cycle ({cycle})"])
        if not ppath.is_file():
            looked = "" if pshown == parent else f" (looked for {pshown})"
            what = "is a directory, not a file" if ppath.is_dir() else "no such file"
            raise ScenarioError([f"{where}: extends: {what} '{parent}'{looked}"])
        pdata, pmarks = load_with_extends(ppath, pshown, tuple(chain), root)
        if pdata is None:
            raise ScenarioError([f"{pshown}:1:1: the file is empty (extended by {where})"])
        deep_merge(merged, pdata, merged_marks, pmarks, ())
    deep_merge(merged, data, merged_marks, marks, ())
    merged_marks.default = marks.default
    return merged, merged_marks

