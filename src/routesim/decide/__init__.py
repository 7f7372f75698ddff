"""Deciding: the route finder (:func:`best`) and the speed optimiser (:func:`optimise_speed`).

Front ends over :mod:`routesim.api` (one Monte Carlo run each), below the command line:

* :mod:`~routesim.decide.candidates`: the routings the catalogue can sail between two ports;
* :mod:`~routesim.decide.finder`: :func:`best`, the ranking and the Pareto front;
* :mod:`~routesim.decide.speed`: the maths of the speed optimum (pure numpy and scipy);
* :mod:`~routesim.decide.optimise`: :func:`optimise_speed`, the figures of one route from its Plan.

>>> from routesim.decide import pareto_front, closed_form_speed
>>> round(closed_form_speed(30000, 20000, 500, 0.02), 2)
13.57
"""

from __future__ import annotations

from .candidates import Candidate, candidate_routings
from .finder import OBJECTIVES, BestRoutes, best, pareto_front
from .optimise import SpeedPlan, optimise_speed
from .speed import SpeedInputs, closed_form_speed, cost_per_teu, optimal_speed

__all__ = ["best", "BestRoutes", "OBJECTIVES", "pareto_front", "Candidate", "candidate_routings", "optimise_speed",
           "SpeedPlan", "SpeedInputs", "closed_form_speed", "cost_per_teu", "optimal_speed"]
