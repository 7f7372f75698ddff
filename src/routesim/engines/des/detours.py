"""How many extra days a ship would sail if it went round a canal instead of through it.

The alternatives come from routesim's own sea network: for every pair of
catalogue ports whose shortest route passes the canal, the detour is the
distance with the canal closed minus the distance through it, sailed at the
service speed of the reference deep-sea ship
(:data:`routesim.plan.REFERENCE_VESSEL`, :attr:`routesim.plan.Plan.reference_speed_kn`). Which pairs use the canal, and how
much, follows a gravity model: the weight of a pair is the product of the two
ports' annual container throughput (catalogue ``annual_teu``); ports without
a published throughput are left out. A background ship at the canal draws
its detour from this weighted distribution (:class:`Detours`).

For Panama the heaviest pairs are Cartagena and the Atlantic Panama
terminals against the Chinese and Korean hubs (7-13 extra days via Suez);
west-coast South America against the Caribbean goes round Cape Horn
(about 20 extra days).

The scenario's own services use the same network for their way round a canal
(:func:`routesim.plan.rounds.way_round`), which their carriers take when the wait to expect exceeds
the detour (:mod:`routesim.engines.des.responses`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ...errors import NoRouteError
from ...plan.schedule import sailing_days

__all__ = ["Detours", "canal_detours"]


@dataclass(frozen=True)
class Detours:
    """A weighted set of detours (days) to draw from."""

    days: np.ndarray
    weights: np.ndarray
    """Probabilities, summing to one."""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.days[rng.choice(self.days.size, size=n, p=self.weights)]

    def quantile(self, q: float) -> float:
        """Weighted quantile of the detour (days)."""
        order = np.argsort(self.days)
        cum = np.cumsum(self.weights[order])
        return float(self.days[order][min(np.searchsorted(cum, q), order.size - 1)])

    @property
    def mean(self) -> float:
        return float(self.days @ self.weights)


def canal_detours(network, canal: str, speed_kn: float) -> Detours | None:
    """Detours round ``canal`` over the catalogue port pairs that use it, sailed at ``speed_kn``
    knots (days); None when no pair uses it."""
    return _cached(network, canal, float(speed_kn))


@functools.lru_cache(maxsize=16)
def _cached(network, canal: str, speed: float) -> Detours | None:
    ports = []
    size = []
    for code, p in network.ports.items():
        fig = getattr(p, "annual_teu", None)
        value = getattr(fig, "value", fig)
        if value is not None and np.isfinite(float(value)) and float(value) > 0:
            ports.append(code)
            size.append(float(value))
    if len(ports) < 2:
        return None
    through = network.distance_matrix(ports).to_numpy()
    try:
        around = network.distance_matrix(ports, avoid=[canal]).to_numpy()
    except NoRouteError:
        around = np.full_like(through, np.inf)
        for i, a in enumerate(ports):
            for j, b in enumerate(ports):
                if i != j:
                    try:
                        around[i, j] = network.route(a, b, avoid=[canal]).distance_nm
                    except NoRouteError:
                        pass
    upper = np.triu(np.ones_like(through, dtype=bool), 1)
    uses = upper & (around > through + 1e-6)
    if not uses.any():
        return None
    days = sailing_days((around - through)[uses], speed)
    weights = np.outer(size, size)[uses]
    return Detours(days, weights / weights.sum())
