"""The names a front end offers as choices: engines, sweep executors, seed policies, the route finder's.

A module of constants only (it imports nothing heavy), so that the command line can
build its parser without importing the engines, the scenario schema or Dask.

>>> ENGINES, EXECUTORS, SEEDS
(('montecarlo', 'des'), ('serial', 'processes', 'dask'), ('common', 'independent'))
"""

from __future__ import annotations

from .engines import ENGINES

__all__ = ["ENGINES", "EXECUTORS", "SEEDS", "ROOT_MARKERS", "BEST_OBJECTIVES", "NEAR_KM", "DETOUR", "MAX_CANDIDATES"]

EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")
"""Executor names: this process; ``concurrent.futures`` worker processes (``spawn``); ``dask.distributed``."""

SEEDS: tuple[str, ...] = ("common", "independent")
"""Seed policies: every point with the sweep's seed, or one seed spawned per point."""

ROOT_MARKERS: tuple[str, ...] = (".git", "pyproject.toml", ".routesim-root")
"""A folder holding one of these is a study's root: the files a scenario extends (and a sweep's
scenario) must lie inside it (:func:`routesim.studyroot.study_root`)."""

BEST_OBJECTIVES: tuple[str, ...] = ("cost", "door_days", "co2e", "value")
"""What the route finder ranks by (:mod:`routesim.decide.finder`): landed cost, door days, WTW CO2e, arrival value."""

NEAR_KM = 25.0
"""Route finder: ports closer than this (km, great circle) are alternatives for the same cargo (Chancay-Callao
19 km on the catalogue's coordinates; :mod:`routesim.decide.candidates`)."""

DETOUR = 1.5
"""Route finder: longest sea distance kept, as a multiple of the shortest between the places (the legacy
Callao routings sail 1.08-1.37 times the direct distance)."""

MAX_CANDIDATES = 24
"""Route finder: most candidates simulated."""
