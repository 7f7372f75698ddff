"""The names a front end offers as choices: engines, sweep executors, seed policies.

A module of constants only (it imports nothing heavy), so that the command line can
build its parser without importing the engines, the scenario schema or Dask.

>>> ENGINES, EXECUTORS, SEEDS
(('montecarlo', 'des'), ('serial', 'processes', 'dask'), ('common', 'independent'))
"""

from __future__ import annotations

from .engines import ENGINES

__all__ = ["ENGINES", "EXECUTORS", "SEEDS", "ROOT_MARKERS"]

EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")
"""Executor names: this process; ``concurrent.futures`` worker processes (``spawn``); ``dask.distributed``."""

SEEDS: tuple[str, ...] = ("common", "independent")
"""Seed policies: every point with the sweep's seed, or one seed spawned per point."""

ROOT_MARKERS: tuple[str, ...] = (".git", "pyproject.toml", ".routesim-root")
"""A folder holding one of these is a study's root: the files a scenario extends (and a sweep's
scenario) must lie inside it (:func:`routesim.scenario.files.study_root`)."""
