"""The numpy-vectorized Monte Carlo engine: all shipments of a block sampled at once, leg by leg.

No Python loop runs per shipment: each leg of a route is one vectorized step over the block.
Modules: :mod:`~routesim.engines.montecarlo.kernel` (one block of one route),
:mod:`~routesim.engines.montecarlo.waits` (berth and canal waits, congestion) and
:mod:`~routesim.engines.montecarlo.driver` (blocks, seeds, threads, Results). Costs and CO2
come from :func:`routesim.outcomes.shipment_columns` on the same arrays.
"""

from .driver import BLOCK_SIZE, block_rng, route_key, run_montecarlo
from .kernel import simulate_route_block

__all__ = ["BLOCK_SIZE", "block_rng", "route_key", "run_montecarlo", "simulate_route_block"]
