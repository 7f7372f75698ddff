"""The engines: solvers that read a compiled :class:`~routesim.plan.Plan` and nothing else.

* :mod:`routesim.engines.montecarlo`: numpy-vectorized Monte Carlo over all shipments at once;
* :mod:`routesim.engines.des`: the SimPy discrete-event engine (services, berths, canal slots).

This package module imports nothing, so the scenario schema can name the engines without
importing one.
"""

__all__ = ["ENGINES", "engine_module"]

ENGINES: tuple[str, ...] = ("montecarlo", "des")
"""Engine names, in the order the CLI and the schema list them (the first is the default)."""


def engine_module(engine: str) -> str:
    """The module that holds engine ``engine``'s ``run_<engine>`` (the one rule for the name).

    >>> engine_module("des")
    'routesim.engines.des'
    """
    return f"{__name__}.{engine}"
