"""The numpy-vectorized Monte Carlo engine.

Every route's shipments are simulated in fixed blocks of :data:`BLOCK_SIZE`:
each leg of the route is one vectorized step over all shipments of the
block (no Python loop over shipments), drawing from the block's own
``numpy.random.Generator``. A block's generator is seeded by
``SeedSequence(seed, spawn_key=(route_key, block))``, so a shipment's draws
depend only on the seed, its route's name and its index, never on the chunk
size or the number of threads. Summaries are merged block by block with
exact arithmetic (:mod:`routesim.stats`), so they too are identical whatever
the chunking.

Model of one shipment (days; see :mod:`routesim.plan` for the leg kinds):

* cargo is ready at a uniform time over the study window and spends the
  export cut-off time in the origin terminal;
* it waits for the next scheduled sailing of the first service (uniform
  over the headway) plus that vessel's schedule lateness; an earlier sailing
  that is running late enough may take it instead;
* sailing time is distance / speed x a weather factor; an intermediate call
  is a berth wait plus handling (moves / (cranes x moves per hour) + fixed
  hours); a canal is a wait plus the locks time;
* at a transshipment hub the box is planned onto the first connecting
  sailing scheduled at least the minimum connection time after the inbound
  vessel's *scheduled* arrival. The inbound vessel arrives late by its
  departure lateness plus what the voyage lost against schedule; if the box
  is not ready when the planned vessel (itself possibly late) leaves, it
  waits for the next one: a missed connection waits a whole headway;
* disruptions act on the study clock: a closure holds ships until it ends;
  a capacity cut scales waits by M/M/c theory while the queue is stable and
  adds a growing backlog when it is not (:mod:`routesim.queueing`); a
  weather window adds extra days at its place.

Costs and CO2 come from :mod:`routesim.costs` on the same arrays.
"""

from __future__ import annotations

import functools
import math
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .. import costs as cm
from ..distributions import Constant, Distribution
from ..plan import KINDS, TRANSIT_KINDS, ChokepointParams, Plan, PortParams, RoutePlan, Segment, Window
from ..congestion import CongestionModel, CongestionProfile
from ..outcomes import RouteAccumulator, shipment_columns

__all__ = ["BLOCK_SIZE", "simulate_route_block", "run_montecarlo", "route_key", "RouteModel"]

BLOCK_SIZE = 16_384
"""Shipments per random-number block (the unit of reproducibility)."""

_LATE_CANDIDATES = 4  # connecting sailings considered at a hub: the planned one and three later


def route_key(name: str) -> int:
    """A stable integer for a route name (its random streams do not depend on other routes)."""
    return zlib.crc32(name.encode("utf-8"))


def block_rng(seed: int, route: str, block: int) -> np.random.Generator:
    """The generator of one block: ``SeedSequence(seed, spawn_key=(route_key, block))``."""
    ss = np.random.SeedSequence(seed, spawn_key=(route_key(route), block))
    return np.random.Generator(np.random.PCG64(ss))


# ---------------------------------------------------------------- per-route constants
@dataclass
class RouteModel:
    """Everything the kernel needs for one route, computed once per run."""

    route: RoutePlan
    plan: Plan
    sched_segment_days: list[float] = field(default_factory=list)
    segment_legs: list[list[int]] = field(default_factory=list)
    me_fuel_per_day: list[float] = field(default_factory=list)
    canal_tolls: list[float] = field(default_factory=list)
    """Toll of every canal transit of each segment, summed (USD per vessel)."""
    canal_toll_dists: list[list[Distribution]] = field(default_factory=list)

    @classmethod
    def build(cls, plan: Plan, route: RoutePlan) -> "RouteModel":
        m = cls(route, plan)
        ops = plan.operations
        weather_mean = ops.weather_factor.mean
        for seg in route.segments:
            idx = [i for i, leg in enumerate(route.legs)
                   if leg.segment == seg.index and leg.kind in ("sail", "port_call", "canal")]
            m.segment_legs.append(idx)
            sched = 0.0
            toll = 0.0
            dists: list[Distribution] = []
            for i in idx:
                leg = route.legs[i]
                if leg.kind == "sail":
                    sched += leg.distance_nm / (leg.speed_kn * 24.0) * weather_mean
                elif leg.kind == "port_call":
                    p = plan.ports[leg.place]
                    sched += p.berth_wait_days.mean + float(p.handling_days(seg.vessel.moves_per_call))
                else:
                    cp = plan.chokepoints[leg.place]
                    sched += cp.wait_days.mean + cp.transit_hours / 24.0
                    if cp.toll_usd is not None:
                        dists.append(cp.toll_usd)
                    else:
                        toll += float(cm.canal_toll_usd(leg.place, seg.vessel.teu,
                                                        seg.vessel.teu * seg.utilisation))
            m.sched_segment_days.append(sched)
            m.canal_tolls.append(toll)
            m.canal_toll_dists.append(dists)
            m.me_fuel_per_day.append(float(cm.main_engine_fuel_t_per_day(
                seg.speed_kn, seg.vessel.design_speed_kn, seg.vessel.design_fuel_t_per_day)))
        return m


# ---------------------------------------------------------------- disruptions
def _closure_wait(t: np.ndarray, windows: tuple[Window, ...]) -> np.ndarray | None:
    """Extra wait for arrivals at ``t`` held by closures (days), or None when none apply."""
    extra = None
    for w in windows:
        if w.kind != "closure" and not (w.kind == "capacity" and w.factor == 0.0):
            continue
        hit = (t >= w.start) & (t < w.end)
        if hit.any():
            add = np.where(hit, w.end - t, 0.0)
            extra = add if extra is None else extra + add
    return extra


def _weather_then_closure(t: np.ndarray, wait: np.ndarray, windows: tuple[Window, ...], rng) -> np.ndarray:
    """``wait`` (days, for arrivals at ``t``) plus weather in force at arrival, then any closure.

    Weather delays the arrival first; if the place is closed when the ship would proceed, it
    waits for the reopening.
    """
    ex = _weather_extra(t, windows, rng)
    if ex is not None:
        wait = wait + ex
    cl = _closure_wait(t + wait, windows)
    if cl is not None:
        wait = wait + cl
    return wait


def _weather_extra(t: np.ndarray, windows: tuple[Window, ...], rng) -> np.ndarray | None:
    extra = None
    for w in windows:
        if w.kind != "weather":
            continue
        hit = (t >= w.start) & (t < w.end)
        draw = w.extra_days.sample(rng, t.shape[0])
        add = np.where(hit, draw, 0.0)
        extra = add if extra is None else extra + add
    return extra


@functools.lru_cache(maxsize=256)
def _profile(c: int, rho: float, service: float, cs2: float, cap: float,
             start: float, end: float, factor: float, horizon: float) -> CongestionProfile:
    return CongestionModel(c, rho, service, cs2, cap).profile(start, end, factor, horizon)


def _port_congestion(p: PortParams, w: Window, horizon: float) -> CongestionProfile:
    """Extra berth wait at a port whose berths a capacity window cuts (see :mod:`routesim.congestion`)."""
    return _profile(p.berths, p.utilisation, p.reference_service_days, 1.0, math.inf,
                    w.start, w.end, w.factor, horizon)


def _canal_cap_days(cp: ChokepointParams) -> float:
    """Longest extra wait before ships divert rather than queue (days).

    A sustained cut does not grow the queue for ever: ships divert (Suez, the Cape) or buy
    auction slots once the wait exceeds their alternative. The Monte Carlo caps the extra wait
    at the level observed once demand had responded (2023: 9-11 days for unbooked ships, ACP);
    the discrete-event engine models the queue and the diversions themselves.
    """
    from .. import catalogue

    cap = math.inf
    for regime in catalogue.chokepoints()[cp.id].regimes.values():
        for key in ("unbooked_wait_days", "max_wait_days"):
            if key in regime:
                cap = min(cap, float(regime[key].value))
                break
    return cap


def _canal_congestion(cp: ChokepointParams, w: Window, horizon: float) -> CongestionProfile | None:
    if cp.capacity_per_day is None or cp.capacity_per_day < 1 or cp.utilisation <= 0:
        return None
    # one daily slot serves one ship a day; slot capacity is fixed (no service variance)
    return _profile(int(round(cp.capacity_per_day)), cp.utilisation, 1.0, 0.0, _canal_cap_days(cp),
                    w.start, w.end, w.factor, horizon)


# ---------------------------------------------------------------- the kernel

def simulate_route_block(plan: Plan, route: RoutePlan, rng: np.random.Generator, n: int,
                         model: RouteModel | None = None) -> dict[str, np.ndarray]:
    """Simulate ``n`` shipments of one route; returns the per-shipment columns.

    Column names are :data:`SHIPMENT_COLUMNS`; times in days, money in USD
    per TEU, CO2 in tonnes per TEU, ``spoiled`` as 0/1.
    """
    if model is None:
        model = RouteModel.build(plan, route)
    ops = plan.operations
    cp_ = plan.costs
    legs = route.legs
    days = {k: np.zeros(n) for k in KINDS}
    ready = rng.random(n) * plan.horizon_days
    t = ready.copy()

    # ---- overland pre-carriage (what-if routes)
    if route.overland_days is not None:
        d = route.overland_days.sample(rng, n)
        days["overland"] += d
        t += d

    # ---- origin terminal
    origin = plan.ports[route.origin]
    od = origin.export_cutoff_days.sample(rng, n)
    days["origin_dwell"] += od
    t += od

    # ---- first sailing: next scheduled departure + lateness (an earlier late sailing may take it)
    seg0 = route.segments[0]
    h0 = seg0.headway_days
    u = rng.random(n) * h0
    lat = [ops.lateness_days.sample(rng, n) for _ in range(3)]
    cand = np.stack([u - h0 + lat[0], u + lat[1], u + h0 + lat[2]])
    cand[0][cand[0] < 0] = np.inf
    pick = np.argmin(cand, axis=0)
    wait = np.take_along_axis(cand, pick[None], axis=0)[0]
    dep_late = np.choose(pick, lat)
    wins = plan.windows_at(route.origin)
    if wins:
        # the vessel's own call at the origin: congestion, weather and closures there delay it
        at = t + wait  # the vessel's call at the origin
        wait = wait + _weather_then_closure(at, _congestion(origin, wins, at, plan), wins, rng)
    days["first_sailing"] += wait
    t += wait

    # ---- segments
    nseg = len(route.segments)
    sea_days = [np.zeros(n) for _ in range(nseg)]
    stop_days = [np.zeros(n) for _ in range(nseg)]
    toll_draws = [0.0] * nseg
    for s, seg in enumerate(route.segments):
        start = t.copy()
        moves_shape = 1.0 / ops.handling_cv ** 2 if ops.handling_cv > 0 else None
        for i in model.segment_legs[s]:
            leg = legs[i]
            if leg.kind == "sail":
                d = ops.weather_factor.sample(rng, n)
                d *= leg.distance_nm / (leg.speed_kn * 24.0)
                for c in leg.chokepoints:
                    wins = plan.windows_at(c)
                    if wins:
                        ex = _weather_extra(t, wins, rng)
                        if ex is not None:
                            d += ex
                        cl = _closure_wait(t, wins)
                        if cl is not None and plan.chokepoints[c].kind != "canal":
                            d += cl
                days["sail"] += d
                sea_days[s] += d
                t += d
            elif leg.kind == "port_call":
                p = plan.ports[leg.place]
                d = _port_time(p, seg.vessel.moves_per_call, moves_shape, rng, n, t, plan)
                days["port_call"] += d
                stop_days[s] += d
                t += d
            else:  # canal
                cp = plan.chokepoints[leg.place]
                # drawn whatever happens, so scenario variants keep common random numbers
                d = cp.wait_days.sample(rng, n)
                d_unbooked = cp.unbooked_wait_days.sample(rng, n)
                u_slot = rng.random(n)
                wins = plan.windows_at(leg.place)
                if wins:
                    d = _canal_wait(cp, wins, d, d_unbooked, u_slot, t, plan)
                    d = _weather_then_closure(t, d, wins, rng)
                d += cp.transit_hours / 24.0
                days["canal"] += d
                stop_days[s] += d
                t += d
        for dist in model.canal_toll_dists[s]:
            toll_draws[s] = toll_draws[s] + dist.sample(rng, n)

        if s + 1 < nseg:
            # ---- transshipment at the hub
            nxt = route.segments[s + 1]
            hub = plan.ports[seg.calls[-1]]
            deviation = (t - start) - model.sched_segment_days[s]
            late_in = dep_late + deviation
            sched_arr = t - late_in
            bw = _berth_wait(hub, seg.vessel.moves_per_call, rng, n, t, plan)
            ready_box = t + bw + ops.min_connection_days
            h = nxt.headway_days
            planned = sched_arr + ops.min_connection_days + rng.random(n) * h
            lat = [ops.lateness_days.sample(rng, n) for _ in range(_LATE_CANDIDATES)]
            cand = np.stack([planned + j * h + lat[j] for j in range(_LATE_CANDIDATES)])
            cand[cand < ready_box] = np.inf
            pick = np.argmin(cand, axis=0)
            dep = np.take_along_axis(cand, pick[None], axis=0)[0]
            missed_all = ~np.isfinite(dep)
            # very late arrivals: take the next departure after the box is ready. The phase is drawn
            # for every shipment so that the number of draws never depends on simulated times
            # (streams stay common random numbers across scenario variants).
            phase = rng.random(n)
            if missed_all.any():
                dep[missed_all] = ready_box[missed_all] + phase[missed_all] * h
            dep_late = np.choose(pick, lat)
            dep_late[missed_all] = 0.0
            cl = _closure_wait(dep, plan.windows_at(hub.code))
            if cl is not None:
                dep += cl
            dwell = dep - t
            days["transshipment"] += dwell
            t = dep

    # ---- destination
    dest = plan.ports[route.destination]
    last = route.segments[-1]
    moves_shape = 1.0 / ops.handling_cv ** 2 if ops.handling_cv > 0 else None
    dd = _port_time(dest, last.vessel.moves_per_call, moves_shape, rng, n, t, plan)
    dd += dest.import_dwell_days.sample(rng, n)
    days["destination_dwell"] += dd

    return shipment_columns(plan, route, model, rng, ready, days, sea_days, stop_days, toll_draws)


def _canal_wait(cp: ChokepointParams, wins, own_draw, unbooked_draw, u_slot, t, plan: Plan) -> np.ndarray:
    """Canal wait (days) under capacity windows.

    Unbooked ships wait their normal wait plus the extra queue of the cut. Booking slots shrink
    with capacity: a booked ship still gets one with probability min(1, capacity / demand),
    else it queues as an unbooked ship (the 2023 drought: booked container ships mostly kept
    their schedules while the unbooked queue grew).
    """
    wait = own_draw  # this scenario's ships' own normal wait (booked or not)
    for win in wins:
        if win.kind != "capacity" or win.factor == 0.0:
            continue
        prof = _canal_congestion(cp, win, plan.horizon_days + 400.0)
        if prof is None:
            continue
        extra = prof.at(t)
        if cp.booked:
            share = CongestionModel(int(round(cp.capacity_per_day)), cp.utilisation, 1.0, 0.0).booking_share(win.factor)
            inside = (t >= win.start) & (t < win.end)
            lost = inside & (u_slot >= share)
            # a ship that loses its booking is never faster than with it
            wait = np.where(lost, np.maximum(unbooked_draw, own_draw) + extra, wait)
        else:
            wait = wait + extra
    return wait


def _berth_wait(p: PortParams, moves: float, rng, n, t, plan: Plan) -> np.ndarray:
    w = p.berth_wait_days.sample(rng, n)
    wins = plan.windows_at(p.code)
    if wins:
        w = w + _congestion(p, wins, t, plan)
        w = _weather_then_closure(t, w, wins, rng)
    return w


def _congestion(p: PortParams, wins, t: np.ndarray, plan: Plan) -> np.ndarray:
    """Extra berth wait (days) at port ``p`` for arrivals at ``t`` from its capacity windows."""
    extra = np.zeros_like(t)
    for win in wins:
        if win.kind == "capacity" and win.factor > 0.0:
            extra += _port_congestion(p, win, plan.horizon_days + 400.0).at(t)
    return extra


def _port_time(p: PortParams, moves: float, shape: float | None, rng, n, t, plan: Plan) -> np.ndarray:
    """Berth wait + handling at a call (days)."""
    w = _berth_wait(p, moves, rng, n, t, plan)
    if shape is None:
        m = np.full(n, moves)
    else:
        m = rng.standard_gamma(shape, n)
        m *= moves / shape
    w += p.handling_days(m)
    return w


# ---------------------------------------------------------------- accumulation
# ---------------------------------------------------------------- driver
def run_montecarlo(plan: Plan, *, replications: int | None = None, seed: int | None = None,
                   chunk_size: int | None = None, threads: int | None = None,
                   keep_shipments: bool | None = None, progress=None):
    """Run the Monte Carlo engine on a compiled plan and return :class:`~routesim.results.Results`.

    ``replications`` shipments are simulated per route (default: the
    scenario's). ``chunk_size`` (shipments per task, rounded up to whole
    blocks) and ``threads`` change speed and memory, never the numbers.
    ``progress`` is an optional callable ``progress(done, total)`` in shipments.
    """
    from ..results import Results

    s = plan.scenario
    n_total = int(replications if replications is not None else s.replications)
    if n_total < 1:
        raise ValueError("replications must be >= 1")
    seed = int(s.seed if seed is None else seed)
    chunk = int(chunk_size if chunk_size is not None else s.montecarlo.chunk_size)
    blocks_per_task = max(1, math.ceil(chunk / BLOCK_SIZE))
    threads = int(threads if threads is not None else s.montecarlo.threads)
    keep = keep_shipments if keep_shipments is not None else s.montecarlo.keep_shipments
    if keep is None:
        keep = n_total * len(plan.routes) <= 2_000_000

    n_blocks = math.ceil(n_total / BLOCK_SIZE)
    tasks = []
    for rname in plan.routes:
        for b0 in range(0, n_blocks, blocks_per_task):
            tasks.append((rname, b0, min(n_blocks, b0 + blocks_per_task)))
    models = {r: RouteModel.build(plan, rp) for r, rp in plan.routes.items()}

    def run_task(task):
        rname, b0, b1 = task
        acc = RouteAccumulator()
        kept = []
        for b in range(b0, b1):
            n = min(BLOCK_SIZE, n_total - b * BLOCK_SIZE)
            cols = simulate_route_block(plan, plan.routes[rname], block_rng(seed, rname, b), n, models[rname])
            acc.add(cols)
            if keep:
                cols["shipment"] = np.arange(b * BLOCK_SIZE, b * BLOCK_SIZE + n)
                kept.append(cols)
        return rname, acc, kept, sum(min(BLOCK_SIZE, n_total - b * BLOCK_SIZE) for b in range(b0, b1))

    accs = {r: RouteAccumulator() for r in plan.routes}
    kept: dict[str, list] = {r: [] for r in plan.routes}
    total = n_total * len(plan.routes)
    done = 0
    if threads <= 1:
        results_iter = map(run_task, tasks)
        for rname, acc, k, n in results_iter:
            accs[rname].merge(acc)
            kept[rname].extend(k)
            done += n
            if progress:
                progress(done, total)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            window = threads * 2
            futures = [pool.submit(run_task, t) for t in tasks[:window]]
            nxt = window
            while futures:
                rname, acc, k, n = futures.pop(0).result()
                if nxt < len(tasks):
                    futures.append(pool.submit(run_task, tasks[nxt]))
                    nxt += 1
                accs[rname].merge(acc)
                kept[rname].extend(k)
                done += n
                if progress:
                    progress(done, total)

    table = None
    if keep:
        import pandas as pd

        frames = []
        for rname in plan.routes:
            if not kept[rname]:
                continue
            cols = {c: np.concatenate([k[c] for k in kept[rname]]) for c in kept[rname][0]}
            df = pd.DataFrame(cols)
            df.insert(0, "route", rname)
            frames.append(df)
        table = pd.concat(frames, ignore_index=True)
        table["route"] = table["route"].astype("category")
        table["spoiled"] = table["spoiled"].astype(bool)
    return Results.from_accumulators(plan, accs, engine="montecarlo", seed=seed, replications=n_total,
                                     shipments=table)
