"""The study root: the folder a scenario's ``extends:`` (or a sweep's ``scenario:``) may reach into.

A module of its own (pathlib only) so that ``routesim validate`` can tell the root of a file
without importing the scenario schema (:mod:`routesim.validate_cache` keys its answers on it);
:mod:`routesim.scenario.files` checks the files against it.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     top = pathlib.Path(d).resolve()
...     (top / ".routesim-root").touch(); (top / "studies").mkdir()
...     study_root(top / "studies" / "peru.yaml") == top
True
"""

from __future__ import annotations

from pathlib import Path

from .choices import ROOT_MARKERS

__all__ = ["study_root"]


def study_root(path: str | Path) -> Path:
    """The folder a scenario's ``extends:`` (or a sweep's ``scenario:``) may reach into.

    The nearest folder at or above the file's own that holds a :data:`~routesim.choices.ROOT_MARKERS`
    entry (a project checkout, or a folder marked with an empty ``.routesim-root`` file), else the
    file's own folder.
    """
    folder = Path(path).resolve().parent
    for d in (folder, *folder.parents):
        if any((d / m).exists() for m in ROOT_MARKERS):
            return d
    return folder
