"""A canal's sets of locks (Panama's Panamax and Neopanamax locks) and a regime's cut of them.

Each set of locks has its own daily slots, booking quota and queue; a ship uses the smallest
locks its size fits (:meth:`routesim.plan.ChokepointParams.lock_for`). A disruption at the
canal (``where: panama``) cuts every set of locks by its factor; one at a lock
(``where: panama.neopanamax``) cuts that lock only (:mod:`routesim.plan.timeline` turns a
regime's cut as it happened into such windows).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LockParams", "lock_place"]


@dataclass(frozen=True)
class LockParams:
    """One set of a canal's locks: its daily slots, booking quota and traffic."""

    id: str
    """``panamax`` or ``neopanamax``."""
    where: str
    """Place name of the lock's own disruption windows (``panama.neopanamax``)."""
    slots_per_day: int
    booked_share: float
    max_vessel_teu: float
    """Ships up to this size use these locks (TEU)."""
    unbooked_wait_days: float
    """Mean wait of an unbooked ship in normal times that the lock's traffic reproduces (days)."""
    utilisation: float
    """Slot utilisation in normal times (M/M/c, first come first served: the Monte Carlo congestion)."""
    background_per_day: float
    """Other ships arriving a day in normal times (booked ships first, nobody diverting)."""
    demand_given: bool = False
    """True when the scenario's ``demand_per_day`` sets the traffic (then it is not inferred)."""


def lock_place(canal: str, lock: str) -> str:
    """The place name of a lock's disruptions.

    >>> lock_place("panama", "neopanamax")
    'panama.neopanamax'
    """
    return f"{canal}.{lock}"

