"""routesim: container shipping between Latin America and Asia, simulated.

The public API is imported lazily so that ``import routesim`` stays light
(numpy, pandas, SimPy and matplotlib load only when a feature needs them).

>>> import routesim
>>> net = routesim.PortNetwork.default()
>>> round(net.route("PECHY", "CNSHA").distance_nm, -2) > 9000
True
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "PortNetwork": "routesim.network",
    "Route": "routesim.network",
    "RoutesimError": "routesim.errors",
    "ScenarioError": "routesim.errors",
    "UnknownNameError": "routesim.errors",
    "NoRouteError": "routesim.errors",
    "Scenario": "routesim.scenario",
    "load_scenario": "routesim.scenario",
    "run": "routesim.api",
    "compare": "routesim.api",
    "sweep": "routesim.api",
    "Results": "routesim.results",
    "compile_plan": "routesim.plan",
    "Plan": "routesim.plan",
    "Sweep": "routesim.sweeps",
    "best": "routesim.decide",
    "optimise_speed": "routesim.decide",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'routesim' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
