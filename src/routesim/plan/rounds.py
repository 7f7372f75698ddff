"""The way round a canal, for carriers that re-route when its queue grows.

A carrier whose ship would wait at a canal longer than the way round costs sends it the
way round (:func:`routesim.plan.responses.reroute_pays` decides; the discrete-event engine
asks it for each vessel leaving a call, the Monte Carlo engine for each shipment). Both
engines take the way round from routesim's own sea network with the canal closed
(:func:`way_round`); the Plan carries it, as legs, for every passage of a route that goes
through a canal (:class:`~routesim.plan.records.WayRound`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NoRouteError
from .records import Leg

__all__ = ["WayRound", "way_round"]


@dataclass(frozen=True)
class WayRound:
    """The way round the canal of one passage of a route: legs ``first`` to ``last`` (indices into
    the route's legs, inclusive: the sailing from a call, the canal, the sailing to the next
    call) replaced by ``legs``."""

    first: int
    last: int
    canal: str
    """The canal the passage goes through (its first, where it passes two)."""
    segment: int
    legs: tuple[Leg, ...]
    extra_days: float
    """Pro-forma days of the way round less those of the passage (days; < 0 when it is shorter)."""


def way_round(network, a: str, b: str, canal: str, avoid=(), vessel_teu: float | None = None):
    """The sea route from ``a`` to ``b`` that does not pass ``canal``, or None when there is none.

    It keeps the passages ``avoid`` names where a way round respects them; where none does (an
    ``avoid`` list that pins a route through the canal, as a scenario comparing the canal with the
    Cape writes), the way round avoids the canal only.

    >>> from routesim.network import PortNetwork
    >>> r = way_round(PortNetwork.default(), "JPYOK", "BRPEC", "panama", avoid=["good_hope", "suez"])
    >>> "panama" in r.chokepoints, round(r.distance_nm, -2) > 10_841
    (False, True)
    """
    for closed in (sorted(set(avoid) | {canal}), [canal]):
        try:
            return network.route(a, b, avoid=closed, vessel_teu=vessel_teu)
        except NoRouteError:
            continue
    return None
