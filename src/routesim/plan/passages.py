"""Passages (canals and straits) resolved from the scenario and the catalogue.

How busy a passage is, and so how long ships wait there, follows from its traffic: see
:class:`_CanalTraffic`. A canal of several sets of locks (Panama) gets each lock's slots,
booking quota and traffic too (:class:`routesim.plan.LockParams`). Used by :mod:`routesim.plan.compile`.
"""

from __future__ import annotations

from .. import catalogue
from ..distributions import Constant, Distribution, Exponential
from ..errors import ScenarioError
from ..queueing import priority_utilisation, quota_waits, utilisation_for_wait
from .locks import LockParams, lock_place
from .records import ChokepointParams, Window

__all__ = ["chokepoint_params"]


def _exp(mean: float) -> Distribution:
    return Exponential(mean) if mean > 0 else Constant(0.0)


def chokepoint_params(s, name: str, cuts: list) -> ChokepointParams:
    """A passage's figures: the scenario's ``chokepoints.<name>`` over the catalogue's.

    A capacity below the catalogue's is appended to ``cuts`` as a capacity window over the
    whole study (and the passage keeps the catalogue's capacity); see :class:`_CanalTraffic`.
    """
    c = catalogue.chokepoints()[name]
    o = s.chokepoints.get(name)
    where = f"chokepoints.{name}"

    def pick(field, fig):
        v = getattr(o, field, None) if o is not None else None
        if v is not None:
            return v
        return float(fig.value) if fig is not None else None

    booked = True if o is None or o.booked is None else bool(o.booked)
    cap = pick("capacity_per_day", c.capacity_per_day)
    if cap is not None and cap < 1:
        raise ScenarioError([f"{s.where('chokepoints', name, 'capacity_per_day')}: {where}.capacity_per_day: "
                             f"{cap:g} transits a day; a passage needs at least 1 (close it with a "
                             "disruption of kind closure, or avoid it on the routes)"])
    share = pick("booked_share", c.booked_share)
    hours = pick("transit_hours", c.transit_hours)
    toll = s.costs.canal_toll_usd.get(name)
    if toll is None and o is not None:
        toll = o.toll_usd
    demand = o.demand_per_day if o is not None else None
    wait_override = o.wait_days if o is not None else None
    c0 = float(c.capacity_per_day.value) if c.capacity_per_day is not None else None
    if cap is not None and c0 is not None and cap < c0:
        # less capacity than the catalogue's is a cut of it over the whole study window, exactly
        # as a capacity disruption (the 2023-24 drought: 22 of 36 slots); ships divert as there
        cuts.append(Window("capacity", name, 0.0, float("inf"), factor=cap / c0))
        cap = c0
    traffic = _CanalTraffic.of(name, c, cap, share, demand, where, s.where('chokepoints', name))
    if wait_override is not None and demand is not None and traffic.slots is not None:
        raise ScenarioError([f"{s.where('chokepoints', name)}: {where}: set wait_days or demand_per_day, "
                             "not both: at a passage with daily slots each gives the other"])
    booked_wait = _exp(traffic.scaled(c.booked_wait_days, cls=0)) if c.booked_wait_days is not None else Constant(0.0)
    unbooked = _exp(traffic.scaled(c.normal_wait_days, cls=1)) if c.normal_wait_days is not None else None
    default_wait = booked_wait if booked else (unbooked or Constant(0.0))
    wait = wait_override if wait_override is not None else default_wait
    if unbooked is None:
        unbooked = wait
    background = traffic.background
    unbooked_target = float(unbooked.mean)
    if wait_override is not None and traffic.slots is not None and wait_override.mean > 0 and not booked:
        # the scenario's wait for unbooked ships sets how busy the passage is; a booked ship's wait
        # is its wait for the booked date (a draw, as in the Monte Carlo engine): booked ships go
        # first, so no traffic could make them wait days without stopping the unbooked queue
        background = priority_utilisation(traffic.slots, wait_override.mean, float(share or 0.0)) * traffic.slots
        unbooked_target = float(wait_override.mean)
    divert = float("inf")
    for regime in c.regimes.values():
        for key in ("unbooked_wait_days", "max_wait_days"):
            if key in regime:
                divert = min(divert, float(regime[key].value))
                break
    max_teu = float(c.max_vessel_teu.value) if c.max_vessel_teu is not None else None
    locks = _locks(c, o, unbooked_target, demand, cap if traffic.slots is not None else None)
    return ChokepointParams(name, c.kind, float(hours), cap, booked, wait, unbooked, share, toll,
                            traffic.utilisation, divert, background, max_teu, wait_override is not None, locks)


def _locks(c, o, unbooked_wait: float, demand, cap) -> tuple[LockParams, ...]:
    """Each set of locks with the canal's normal unbooked wait (or the scenario's), its own slots
    (scaled to a ``capacity_per_day`` above the catalogue's) and booking quota
    (``chokepoints.<name>.booked_share`` sets every lock's); the scenario's ``demand_per_day`` is
    shared between the locks by their slots."""
    if not c.locks or cap is None:
        return ()
    total = sum(float(lk.slots_per_day.value) for lk in c.locks)
    # a capacity above the catalogue's (a cut below it is a window) adds slots to every lock alike,
    # whole slots by largest remainder so that they add up to the capacity
    want = [float(lk.slots_per_day.value) * round(float(cap)) / total for lk in c.locks]
    whole = [int(w) for w in want]
    for i in sorted(range(len(want)), key=lambda i: whole[i] - want[i])[:round(float(cap)) - sum(whole)]:
        whole[i] += 1
    out = []
    for lk, slots in zip(c.locks, whole):
        share = float(o.booked_share) if o is not None and o.booked_share is not None else float(lk.booked_share.value)
        if demand is not None:
            bg = float(demand) * slots / total
            rho = bg / slots
        else:
            rho = utilisation_for_wait(slots, unbooked_wait, 1.0)
            bg = priority_utilisation(slots, unbooked_wait, share) * slots
        out.append(LockParams(lk.id, lock_place(c.id, lk.id), slots, share, float(lk.max_vessel_teu.value),
                              unbooked_wait, rho, bg, demand is not None))
    return tuple(out)


class _CanalTraffic:
    """How busy a passage is: the catalogue's, or the scenario's capacity and demand.

    Traffic is a property of the passage: with the catalogue's capacity and published normal
    wait it gives ships a day, ``lam = rho c`` (one slot serves one ship-day, M/M/c). A
    scenario that changes the capacity keeps that traffic (or takes ``demand_per_day``) and
    the utilisation follows; published waits are scaled by the ratio of the queueing model's
    waits (booked ships first, :func:`routesim.queueing.quota_waits`) at the new and the
    catalogue's figures. Without a change every figure is the catalogue's.
    """

    def __init__(self, slots, utilisation, background, ratio):
        self.slots, self.utilisation, self.background, self._ratio = slots, utilisation, background, ratio

    @classmethod
    def of(cls, name, c, cap, share, demand, where, at) -> "_CanalTraffic":
        normal = float(c.normal_wait_days.value) if c.normal_wait_days is not None else None
        slots = int(round(cap)) if cap is not None else None
        if slots is None or normal is None:
            return cls(slots, 0.0, float(demand or 0.0), (1.0, 1.0))
        c0 = int(round(float(c.capacity_per_day.value)))
        share0 = float(share or 0.0)
        rho0 = utilisation_for_wait(c0, normal, 1.0)  # first come first served (Monte Carlo congestion)
        bg0 = priority_utilisation(c0, normal, share0) * c0  # booked ships first (discrete-event traffic)
        if slots == c0 and demand is None:
            return cls(slots, rho0, bg0, (1.0, 1.0))
        rho = (float(demand) if demand is not None else rho0 * c0) / slots
        bg = float(demand) if demand is not None else bg0
        if rho >= 1.0 or bg >= slots:
            raise ScenarioError([f"{at}: {where}: {max(rho * slots, bg):.1f} ships a day cannot pass "
                                 f"{slots} daily slots (utilisation >= 1): raise capacity_per_day or lower "
                                 "demand_per_day"])
        new, old = quota_waits(slots, bg / slots, share0), quota_waits(c0, bg0 / c0, share0)
        ratio = tuple(n / o if o > 0 else 1.0 for n, o in zip(new, old))
        return cls(slots, rho, bg, ratio)

    def scaled(self, fig, cls: int) -> float:
        """A published mean wait (days) scaled to this traffic (``cls`` 0 booked, 1 unbooked)."""
        value = float(fig.value)
        return value if self._ratio[cls] == 1.0 else value * self._ratio[cls]
