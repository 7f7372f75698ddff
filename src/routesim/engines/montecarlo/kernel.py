"""The vectorized kernel: one block of shipments of one route, leg by leg (days).

Model of one shipment (see :mod:`routesim.plan` for the leg kinds):

* cargo is ready at a uniform time over the study window and spends the export cut-off
  time in the origin terminal;
* it waits for the next scheduled sailing of the first service (uniform over the headway)
  plus that vessel's schedule lateness; an earlier sailing that is running late enough may
  take it instead;
* sailing time is distance / speed x a weather factor; an intermediate call is a berth wait
  plus handling (moves / (cranes x moves per hour) + fixed hours); a canal is a wait plus
  the locks time;
* at a transshipment hub the box is planned onto the first connecting sailing scheduled at
  least the minimum connection time after the inbound vessel's *scheduled* arrival. The
  inbound vessel arrives late by its departure lateness plus what the voyage lost against
  its pro-forma (:attr:`~routesim.plan.Segment.scheduled_days`); if the box is not ready
  when the planned vessel (itself possibly late) leaves, it waits for the next one: a
  missed connection waits a whole headway;
* disruptions act on the study clock (:mod:`routesim.disruptions`).

Every draw is made for every shipment whatever happens to it, so the number of draws never
depends on simulated times and scenario variants keep common random numbers.
"""

from __future__ import annotations

import numpy as np

from ...calendar import ready_days
from ...disruptions import closure_wait, weather_extra, weather_then_closure
from ...outcomes import shipment_columns
from ...plan import KINDS, Plan, RoutePlan
from ...plan.responses import reroute_pays
from ...plan.schedule import sailing_days
from .waits import berth_wait, canal_excess, canal_lock, canal_wait, port_congestion, port_time

__all__ = ["simulate_route_block"]

_LATE_CANDIDATES = 4  # connecting sailings considered at a hub: the planned one and three later


def simulate_route_block(plan: Plan, route: RoutePlan, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Simulate ``n`` shipments of one route; returns the per-shipment columns.

    Column names are :data:`routesim.outcomes.SHIPMENT_COLUMNS`; times in days, money in
    USD per TEU, CO2 in tonnes per TEU, ``spoiled`` as the share of the box rejected (0 to 1).
    """
    ops = plan.operations
    days = {k: np.zeros(n) for k in KINDS}
    season = route.cargo.season
    u = rng.random(n)
    ready = ready_days(u, season.profile(0.0, plan.horizon_days)) if season is not None else u * plan.horizon_days
    t = ready.copy()
    if route.overland_days is not None:  # overland pre-carriage (what-if routes)
        d = route.overland_days.sample(rng, n)
        days["overland"] += d
        t += d
    if route.plug_queue is not None:  # no reefer plug free at the gate: the box waits before gate-in
        w = route.plug_queue.sample(rng, t)
        days["origin_dwell"] += w
        t += w
    od = plan.ports[route.origin].export_cutoff_days.sample(rng, n)
    if route.tramp is not None:  # a tramp parcel is at the berth from the start of its loading
        od[:] = route.tramp.load_days
    days["origin_dwell"] += od
    t += od
    shape = 1.0 / ops.handling_cv ** 2 if ops.handling_cv > 0 else None
    wait, dep_late = _first_sailing(plan, route, shape, rng, n, t)
    days["first_sailing"] += wait
    t += wait

    nseg = len(route.segments)
    sea_days = [np.zeros(n) for _ in range(nseg)]
    stop_days = [np.zeros(n) for _ in range(nseg)]
    for s, seg in enumerate(route.segments):
        start = t.copy()
        t = _sea_legs(plan, route, s, shape, rng, n, t, days, sea_days[s], stop_days[s])
        if s + 1 < nseg:
            late_in = dep_late + ((t - start) - seg.scheduled_days)
            dep, dep_late = _connection(plan, route, s, shape, rng, n, t, late_in)
            days["transshipment"] += dep - t
            t = dep

    dest = plan.ports[route.destination]
    dd = port_time(dest, route.segments[-1].vessel.moves_per_call, shape, rng, n, t, plan)
    dwell = dest.import_dwell_days.sample(rng, n)
    dd += route.tramp.discharge_days if route.tramp is not None else dwell  # a parcel is delivered as discharged
    days["destination_dwell"] += dd
    return shipment_columns(plan, route, rng, ready, days, sea_days, stop_days)


def _first_sailing(plan: Plan, route: RoutePlan, shape, rng, n: int, t: np.ndarray):
    """(wait for the first vessel's departure, how late it leaves) for boxes ready at ``t``.

    The box takes the next scheduled departure, or the one before when that is running late
    enough to leave after the box is ready. A sailing leaves late by its schedule lateness
    plus what its call at the origin takes beyond the pro-forma (:func:`_call_deviation`);
    congestion, weather and closures at the origin delay it further.
    """
    seg = route.segments[0]
    h0 = seg.headway_days
    origin = plan.ports[route.origin]
    u = rng.random(n) * h0
    lat = [_late(plan.operations.lateness_days, origin, seg.vessel.moves_per_call, shape, rng, n) for _ in range(3)]
    cand = []
    for j in range(3):  # the sailing before, the next one and the one after: u + (j - 1) h0 + lateness
        c = u + lat[j]
        if j != 1:
            c += (j - 1) * h0
        np.putmask(c, c < 0, np.inf)  # sailings that leave before the box is ready
        cand.append(c)
    wait, dep_late = _earliest(cand, lat)
    gone = ~np.isfinite(wait)
    if gone.any():  # every candidate left before the box was ready: the one after them
        wait[gone] = (u + 2.0 * h0 + np.maximum(lat[2], 0.0))[gone]
    wins = plan.windows_at(route.origin)
    if wins:
        at = t + wait  # the vessel's call at the origin
        wait = wait + weather_then_closure(at, port_congestion(origin, wins, at, plan), wins, rng)
    return wait, dep_late


def _earliest(cand: list[np.ndarray], lat: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(the earliest of the candidate departures, that sailing's lateness), shipment by shipment.

    The first of equal earliest candidates wins, as ``np.argmin`` over the stacked candidates
    picks it; a NaN candidate is argmin's too (the first NaN wins), so then argmin decides.
    Overwrites ``cand[0]`` and returns it.
    """
    if any(np.isnan(c).any() for c in cand):
        stacked = np.stack(cand)
        pick = np.argmin(stacked, axis=0)
        return np.take_along_axis(stacked, pick[None], axis=0)[0], np.choose(pick, lat)
    best, late = cand[0], lat[0].copy()
    for c, lt in zip(cand[1:], lat[1:]):
        better = c < best
        np.putmask(best, better, c)
        np.putmask(late, better, lt)
    return best, late


def _late(lateness, port, moves: float, shape, rng, n: int) -> np.ndarray:
    """How late a sailing leaves ``port`` (days): its schedule lateness plus its call's deviation."""
    late = lateness.sample(rng, n)
    late += _call_deviation(port, moves, shape, rng, n)
    return late


def _call_deviation(port, moves: float, shape, rng, n: int) -> np.ndarray:
    """How much longer than its pro-forma a vessel's call at ``port`` takes (days; may be < 0):
    its berth wait less the wait schedules allow for, plus its handling less the mean handling
    (``handling_days(m) - handling_days(moves)`` for gamma moves ``m``, computed in place)."""
    dev = port.berth_wait_days.sample(rng, n)
    dev -= port.scheduled_wait_days
    if shape is not None:
        g = rng.standard_gamma(shape, n)  # moves m = g x moves / shape
        g -= shape
        g *= float(port.handling_days(moves / shape)) - float(port.handling_days(0.0))
        dev += g
    return dev


def _sea_legs(plan: Plan, route: RoutePlan, s: int, shape, rng, n: int, t: np.ndarray, days,
              sea: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Sail, call and pass canals along segment ``s``; adds to ``days``, ``sea`` and ``stop``
    in place and returns the arrival times at its discharge port.

    A passage through a canal whose queue a disruption can grow is sailed both ways, through the
    canal and round it, and each shipment takes the one its carrier chooses (:func:`_reroute`)."""
    seg = route.segments[s]
    rounds = {r.first: r for r in route.rounds
              if r.segment == s and canal_lock(plan.chokepoints[r.canal], seg.vessel.teu, plan)[1]}
    legs = route.segment_legs(s)
    j = 0
    while j < len(legs):
        r = rounds.get(legs[j])
        if r is not None:
            t = _reroute(plan, route, r, seg, shape, rng, n, t, days, sea, stop)
            j = legs.index(r.last) + 1
            continue
        t = _legs(plan, seg, (route.legs[legs[j]],), shape, rng, n, t, days, sea, stop)
        j += 1
    return t


def _legs(plan: Plan, seg, legs, shape, rng, n: int, t: np.ndarray, days, sea: np.ndarray,
          stop: np.ndarray) -> np.ndarray:
    """Sail, call and pass canals along ``legs`` from ``t``; adds to ``days``, ``sea`` and ``stop``
    in place (``t`` too) and returns the arrival times."""
    for leg in legs:
        if leg.kind == "sail":
            d = sailing_days(leg.distance_nm, leg.speed_kn, plan.operations.weather_factor.sample(rng, n))
            for c in leg.chokepoints:
                wins = plan.windows_at(c)
                if wins:
                    ex = weather_extra(wins, t, rng)
                    if ex is not None:
                        d += ex
                    cl = closure_wait(t, wins)
                    if cl is not None and plan.chokepoints[c].kind != "canal":
                        d += cl
            days["sail"] += d
            sea += d
        elif leg.kind == "port_call":
            d = port_time(plan.ports[leg.place], seg.vessel.moves_per_call, shape, rng, n, t, plan)
            days["port_call"] += d
            stop += d
        else:  # canal: every draw is made whatever happens (common random numbers)
            cp = plan.chokepoints[leg.place]
            d = cp.wait_days.sample(rng, n)
            d_unbooked = cp.unbooked_wait_days.sample(rng, n)
            u_slot = rng.random(n)
            lock, wins = canal_lock(cp, seg.vessel.teu, plan)
            if wins:
                d = canal_wait(cp, wins, d, d_unbooked, u_slot, t, plan, lock)
                d = weather_then_closure(t, d, wins, rng)
            d += cp.transit_days
            days["canal"] += d
            stop += d
        t += d
    return t


def _reroute(plan: Plan, route: RoutePlan, r, seg, shape, rng, n: int, t: np.ndarray, days, sea: np.ndarray,
             stop: np.ndarray) -> np.ndarray:
    """The passage of way round ``r``: through its canal, or round it for the shipments whose carrier
    re-routes (:func:`routesim.plan.responses.reroute_pays`, the discrete-event engine's rule). Leaving the
    call, the carrier expects the wait beyond the normal mean that the queue shows (:func:`canal_excess`),
    averaged over the service's last ``reroute_readings`` sailings (one a headway). Both ways are drawn
    for every shipment (common random numbers)."""
    rules = plan.options.responses
    cp = plan.chokepoints[r.canal]
    lock, wins = canal_lock(cp, seg.vessel.teu, plan)
    k = max(1, rules.reroute_readings)
    expected = sum(canal_excess(cp, wins, t - i * seg.headway_days, plan, lock) for i in range(k)) / k
    allowed = float(cp.wait_days.mean)
    go = reroute_pays(expected + allowed, allowed, r.extra_days, rules.reroute_margin_days)
    ways = []
    for legs in (route.legs[r.first:r.last + 1], r.legs):
        part = {kind: np.zeros(n) for kind in ("sail", "port_call", "canal")}
        at_sea, stopped = np.zeros(n), np.zeros(n)
        ways.append((_legs(plan, seg, legs, shape, rng, n, t.copy(), part, at_sea, stopped), part, at_sea, stopped))
    (t_in, p_in, s_in, st_in), (t_out, p_out, s_out, st_out) = ways
    for kind in p_in:
        days[kind] += np.where(go, p_out[kind], p_in[kind])
    sea += np.where(go, s_out, s_in)
    stop += np.where(go, st_out, st_in)
    return np.where(go, t_out, t_in)


def _connection(plan: Plan, route: RoutePlan, s: int, shape, rng, n: int, t: np.ndarray, late_in: np.ndarray):
    """(departure of the connecting sailing, how late it leaves) at the hub ending segment ``s``.

    ``late_in`` is how late the inbound vessel arrives against its schedule (days); each
    connecting sailing leaves late by its lateness plus its own call's deviation at the hub.
    """
    ops = plan.operations
    seg, nxt = route.segments[s], route.segments[s + 1]
    hub = plan.ports[seg.calls[-1]]
    sched_arr = t - late_in
    bw = berth_wait(hub, rng, n, t, plan)
    ready_box = t + bw + ops.min_connection_days
    h = nxt.headway_days
    planned = sched_arr + ops.min_connection_days + rng.random(n) * h
    lat = [_late(ops.lateness_days, hub, nxt.vessel.moves_per_call, shape, rng, n) for _ in range(_LATE_CANDIDATES)]
    cand = []
    for j in range(_LATE_CANDIDATES):  # the planned sailing and the next ones: planned + j h + lateness
        c = planned + lat[j]
        if j:
            c += j * h
        np.putmask(c, c < ready_box, np.inf)  # left before the box was ready
        cand.append(c)
    dep, dep_late = _earliest(cand, lat)
    missed_all = ~np.isfinite(dep)
    # very late arrivals take the next departure after the box is ready (phase drawn for all)
    phase = rng.random(n)
    if missed_all.any():
        dep[missed_all] = ready_box[missed_all] + phase[missed_all] * h
    dep_late[missed_all] = 0.0
    cl = closure_wait(dep, plan.windows_at(hub.code))
    if cl is not None:
        dep += cl
    return dep, dep_late
