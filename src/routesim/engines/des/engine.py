"""The discrete-event engine: build a replication from the Plan, run it, gather the results.

:func:`run_des` is what ``routesim.run(..., engine="des")`` and
``routesim run --engine des`` call. Per run, :func:`compile_model` resolves
everything that does not change between replications (services and their
rotations, every port and canal the vessels touch, background rates,
detours). Each replication then builds a fresh SimPy environment with its
own random streams (:class:`~routesim.engines.des.draws.Streams`) and runs:

* the clock starts at ``-des.warmup_days`` and the study period is
  ``[0, horizon_days)`` on the scenario's clock, so disruption windows
  keep their days;
* bookings are created for the warm-up too (vessels, yards and queues are
  loaded when the study starts) but only bookings ready in the study period
  are recorded;
* after the horizon the run goes on until every recorded booking has been
  delivered, for at most twice the longest route's sum of round voyages and
  headways; what is still travelling then is reported as in the system.

Recorded shipments become rows with the Monte Carlo engine's columns
(:data:`routesim.outcomes.SHIPMENT_COLUMNS`) plus ``route``,
``replication`` and ``shipment``; their costs, CO2 and spoilage come from
the Monte Carlo engine's own arithmetic
(:func:`routesim.outcomes.shipment_columns`), computed in chunks and
streamed into the summaries; the table itself is built when it is first read
(:mod:`~routesim.engines.des.tables`). Port, canal, service and
cargo statistics go to ``Results.extra["stats"]`` (``engine_stats`` in the
JSON) and the event log to ``Results.extra["events"]``.
"""

from __future__ import annotations

import warnings
from functools import partial
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import simpy

from ...plan import Plan, PortParams
from ...errors import RoutesimError, RoutesimWarning
from ...outcomes import RouteAccumulator
from .canal import Canal, Locks, Passage
from .canal_traffic import background_for_wait
from .cargo import CargoDesk
from .detours import canal_detours
from .draws import Draws, Streams
from .log import EventLog
from .pooled import merge_stats
from .ports import Port, background_rate
from .services import SegmentRef, ServiceModel, build_services
from .tables import accumulate, build_table, column_chunks
from .vessels import Fleet

__all__ = ["run_des", "compile_model", "Model", "Replication", "CanalSpec"]


@dataclass(frozen=True)
class CanalSpec:
    """A canal or passage as the engine runs it (rates per day, times in days)."""

    name: str
    slots: int | None
    """Transit slots per day in this scenario (None: no capacity, waits are drawn)."""
    transit_days: float
    booked_share: float
    background_per_day: float
    """Other ships arriving per day in normal times."""
    booked: bool
    """Whether the scenario's vessels hold a booking."""
    wait_days: object
    detours: object = None
    locks: tuple = ()
    """Per set of locks: (place name, largest vessel in TEU, CanalSpec), smallest first."""
    booked_wait: object = None
    """The scenario's own wait for its booked vessels (their booked date), drawn before they queue."""


@dataclass
class Model:
    """Everything a replication needs that does not change between replications."""

    plan: Plan
    services: dict[tuple, ServiceModel]
    refs: dict[str, list[SegmentRef]]
    ports: Mapping[str, PortParams]
    canals: dict[str, CanalSpec]
    horizon_days: float
    """Bookings ready in [0, horizon_days) are recorded (the scenario's ``horizon_days``)."""
    warmup_days: float
    """The clock starts at ``-warmup_days`` (``des.warmup_days``)."""
    drain_days: float
    """How long after the horizon a run may go on delivering recorded bookings: twice the longest
    route's sum of round voyages and headways."""
    independent_sailings: bool = False
    background_per_day: dict[str, float] = field(default_factory=dict)
    """Other ships arriving per day at each port (see :func:`routesim.engines.des.ports.background_rate`)."""

    def port_params(self, code: str) -> PortParams:
        return self.ports[code]


def compile_model(plan: Plan, *, independent_sailings: bool | None = None) -> Model:
    """Resolve the services, ports and canals of ``plan`` for the discrete-event engine."""
    network = plan.network
    services, refs = build_services(plan, network)
    canals: dict[str, CanalSpec] = {}
    for svc in services.values():
        for pieces in (*svc.passages, *(w for w in svc.way_round if w)):  # a way round may pass another canal
            for p in pieces:
                if p.kind == "canal" and p.chokepoints[0] not in canals:
                    canals[p.chokepoints[0]] = _canal_spec(plan, network, p.chokepoints[0])
    ports = plan.ports
    own: dict[str, float] = {}
    for svc in services.values():
        for i, c in enumerate(svc.calls):
            lay = svc.laytime_days[i] if svc.laytime_days else 0.0  # a tramp parcel's loading or discharge
            own[c] = own.get(c, 0.0) + (float(ports[c].handling_days(svc.vessel.moves_per_call)) + lay) / svc.headway_days
    opts = plan.options
    if independent_sailings is None:
        independent_sailings = opts.independent_sailings
    longest = 0.0
    for name, rrefs in refs.items():
        longest = max(longest, sum(services[r.service].round_voyage_days + services[r.service].headway_days
                                   for r in rrefs))
    background = {c: 0.0 if p.wait_given else background_rate(p.berths, p.utilisation, p.reference_service_days,
                                                               own.get(c, 0.0))
                  for c, p in ports.items()}
    return Model(plan, services, refs, ports, canals, opts.horizon_days, opts.warmup_days,
                 2.0 * longest, bool(independent_sailings), background)


def _canal_spec(plan: Plan, network, name: str) -> CanalSpec:
    cp = plan.chokepoints[name]
    share = float(cp.booked_share) if cp.booked_share is not None else 0.0
    slots = int(round(cp.capacity_per_day)) if cp.capacity_per_day is not None and cp.capacity_per_day >= 1 else None
    rate = cp.background_per_day
    detours = canal_detours(network, name, plan.reference_speed_kn) if slots is not None and rate > 0 else None
    booked_wait = cp.wait_days if cp.booked and cp.wait_given else None
    locks = ()
    if slots is not None and cp.locks:
        locks = tuple((lk.where, lk.max_vessel_teu, _lock_spec(cp, lk, detours, booked_wait)) for lk in cp.locks)
        rate = sum(lock.background_per_day for _w, _t, lock in locks)
    return CanalSpec(name, slots, cp.transit_days, share, rate, bool(cp.booked), cp.wait_days, detours, locks,
                     booked_wait)


def _lock_spec(cp, lk, detours, booked_wait) -> CanalSpec:
    """One set of locks: its traffic reproduces the normal unbooked wait with ships diverting."""
    rate = lk.background_per_day
    if not lk.demand_given and detours is not None:
        rate = background_for_wait(lk.slots_per_day, lk.booked_share, lk.unbooked_wait_days, detours,
                                   cp.transit_days, where=f"chokepoints.{cp.id} ({lk.id} locks)")
    return CanalSpec(lk.where, lk.slots_per_day, cp.transit_days, lk.booked_share, rate, bool(cp.booked),
                     cp.wait_days, detours, (), booked_wait)


class Replication:
    """One independent run: a SimPy environment with ports, canals, fleets and cargo."""

    def __init__(self, model: Model, streams: Streams, log: EventLog | None = None, *, sailings: int | None = None):
        """Build the replication; ``sailings`` limits every service to that many sailings (see :meth:`Fleet.start`)."""
        self.model = model
        self.plan = model.plan
        self.streams = streams
        self.log = log
        t0 = -model.warmup_days
        self.env = env = simpy.Environment(initial_time=t0)
        plan = self.plan
        self.ports: dict[str, Port] = {}
        for code in sorted({c for svc in model.services.values() for c in svc.calls}):
            pp = model.ports[code]
            port = Port(env, code, pp.berths, windows=plan.windows_at(code), start=0.0,
                        weather_rng=streams.rng("weather", code))
            if pp.wait_given:
                port.use_given_waits(Draws(pp.berth_wait_days, streams.rng("berth_wait", code)))
            else:
                port.start_traffic(model.background_per_day.get(code, 0.0), pp.reference_service_days,
                                   streams.rng("port", code), streams.rng("port_init", code), pp.utilisation)
            self.ports[code] = port
        self.canals: dict[str, object] = {}
        self.booked: dict[str, bool] = {}
        for name, spec in model.canals.items():
            if spec.slots is None:
                canal = Passage(env, name, spec.wait_days, spec.transit_days, windows=plan.windows_at(name),
                                start=0.0, rng=streams.rng("canal", name))
            elif spec.locks:
                canal = Locks(env, name, [(where, teu, self._canal(lock, plan.windows_at(name) + plan.windows_at(where)))
                                          for where, teu, lock in spec.locks], start=0.0)
            else:
                canal = self._canal(spec, plan.windows_at(name))
            self.canals[name] = canal
            self.booked[name] = spec.booked
        self.fleets = {key: Fleet(self, svc, streams.rng("service", svc.name), independent=model.independent_sailings)
                       for key, svc in model.services.items()}
        self.desk = CargoDesk(plan, self.fleets, model.refs, streams, horizon=model.horizon_days)
        self.desk.generate(t0)
        for fleet in self.fleets.values():
            fleet.start(t0, sailings)
        self.end = t0


    def _canal(self, spec: CanalSpec, windows) -> Canal:
        """A canal (or one set of its locks) with its windows and background traffic."""
        rng = self.streams.rng
        canal = Canal(self.env, spec.name, spec.slots, spec.transit_days, booked_share=spec.booked_share,
                      windows=windows, start=0.0, slot_rng=rng("slots", spec.name),
                      weather_rng=rng("weather", spec.name), booked_wait=spec.booked_wait,
                      wait_rng=rng("booked_wait", spec.name))
        canal.start_traffic(spec.background_per_day, rng("canal", spec.name), spec.detours)
        return canal
    def port_params(self, code: str) -> PortParams:
        return self.model.ports[code]

    def run(self) -> float:
        """Run to the horizon and until every recorded booking is delivered (or the drain limit); returns the end day."""
        env = self.env
        horizon = self.model.horizon_days
        env.run(until=horizon)
        if self.desk.outstanding > 0:
            done = env.event()
            self.desk.on_all_done = lambda: None if done.triggered else done.succeed()
            limit = env.timeout(self.model.drain_days)
            env.run(until=done | limit)
        self.end = env.now
        return self.end

    @property
    def events(self) -> int:
        """SimPy events processed so far (scheduled events less those still queued)."""
        return next(self.env._eid) - len(self.env._queue)

    # ------------------------------------------------------------ results
    def measured(self, release: bool = False) -> dict:
        """Every route's recorded, delivered bookings as arrays (see :mod:`~routesim.engines.des.tables`);
        with ``release``, each route's per-booking arrays are let go once measured (the replication
        is then over: call :meth:`stats` first)."""
        out = {}
        for rd in self.desk.routes:
            out[rd.name] = rd.measured()
            if release:
                rd.release()
        return out

    def shipments(self) -> list[dict[str, np.ndarray]]:
        """Per-shipment columns of every route (recorded, delivered bookings), put together from the lots."""
        out = []
        for name, m in self.measured().items():
            chunks = list(column_chunks(self.plan, self.streams.seed, self.streams.replication, name, m))
            if not chunks:
                continue
            out.append({c: (name if c == "route" else np.concatenate([ch[c] for ch in chunks])) for c in chunks[0]})
        return out

    def stats(self) -> dict:
        """Raw statistics of this replication (merged over replications by :func:`run_des`)."""
        until = self.end
        desk = self.desk
        cargo = desk.counts()
        for rd in desk.routes:
            rec = rd.recorded
            c = cargo[rd.name]
            c["rolled_bookings"] = int(((rd.rolls > 0) & rec).sum()) * rd.per_record
            c["roll_events"] = rd.roll_events
            c["rolled_teu"] = rd.rolled_teu
            c["missed_connections"] = int(((rd.missed > 0) & rec).sum()) * rd.per_record
            c["bookings_per_record"] = rd.per_record
        ports = {}
        for code, p in self.ports.items():
            ports[code] = {"berths": p.c, "span": until - p.start, "alongside_area": p.alongside_mean(until) * (until - p.start),
                           "anchorage_area": p.anchorage_mean(until) * (until - p.start),
                           "anchorage_peak": p.peak_at_anchor, "arrivals": p.arrivals,
                           "loaded_teu": p.loaded_teu, "discharged_teu": p.discharged_teu, "rolled_teu": p.rolled_teu,
                           "waits": p.waits.array().astype(np.float32), "own": p.vessel_waits.array().astype(np.float32)}
        canals = {}
        for name, c in self.canals.items():
            if isinstance(c, Locks):
                canals.update(c.raw(until))
            elif isinstance(c, Canal):
                canals[name] = c.raw(until)
            else:
                canals[name] = {"slots": None, "own": c.vessel_waits.array().astype(np.float32)}
        services = {f.svc.name: f.stats() for f in self.fleets.values()}
        lateness = {f.svc.name: np.asarray(f.departure_lateness, dtype=np.float32) for f in self.fleets.values()}
        totals = {"services": len(services), "vessels": sum(v["vessels"] for v in services.values()),
                  "port_calls": desk.port_calls, **desk.totals()}
        return {"end_day": until, "events": self.events, "cargo": cargo, "ports": ports, "canals": canals,
                "services": services, "lateness": lateness, "totals": totals,
                "responses": {f.svc.name: dict(f.responses.counts) for f in self.fleets.values()}}


# ---------------------------------------------------------------- the run
def _replication(model: Model, seed: int, r: int, keep_events: bool, log: EventLog | None = None):
    """Run replication ``r`` (in this process or a worker); its accumulators and measured shipments
    by route, statistics and event log (None when it logged into ``log``, the run's own, or keeps
    no events)."""
    own = EventLog() if keep_events and log is None else None
    target = own if own is not None else log
    if target is not None:
        target.replication = r
    rep = Replication(model, Streams(seed, r), target)
    rep.run()
    stats = rep.stats()
    measured = rep.measured(release=True)
    accs = accumulate(model.plan, seed, r, measured, target)
    return accs, measured, stats, own


def _replication_framed(model: Model, seed: int, r: int, keep_events: bool):
    """``_replication`` on a worker: the event log comes back as its table (made there, in parallel)."""
    accs, measured, stats, own = _replication(model, seed, r, keep_events)
    return accs, measured, stats, own.to_frame() if own is not None else None


def _replications(model: Model, seed: int, n_rep: int, keep_events: bool, workers: int, log: EventLog | None):
    """``_replication`` for r = 0 .. n_rep - 1, in replication order: with ``workers`` 1, one after
    another in this process, logging straight into ``log`` (the fourth item is then None);
    else on this process's kept pool of ``workers`` processes (:mod:`routesim._workers`), the
    fourth item each replication's event table (None without events)."""
    if workers <= 1:
        for r in range(n_rep):
            yield _replication(model, seed, r, keep_events, log)
        return
    from concurrent.futures.process import BrokenProcessPool

    from ..._workers import discard, pool as kept_pool  # here: the DES without workers needs none of it

    done = 0
    pool = kept_pool(workers, preload=(__name__,))
    futures = []
    try:
        futures = [pool.submit(_replication_framed, model, seed, r, keep_events) for r in range(n_rep)]
        for future in futures:
            out = future.result()
            done += 1
            yield out
    except BrokenProcessPool:  # a worker died, e.g. a script without `if __name__ == "__main__":`
        discard(pool)  # (the workers re-run it); the next run starts a new pool
        warnings.warn("the worker processes could not run (a script that runs routesim needs "
                      "`if __name__ == \"__main__\":`); running the replications in this process", RoutesimWarning,
                      stacklevel=3)
        for r in range(done, n_rep):
            accs, measured, stats, own = _replication(model, seed, r, keep_events)
            yield accs, measured, stats, own.to_frame() if own is not None else None
    finally:
        if any(not f.done() for f in futures):  # interrupted: drop what has not started
            for future in futures:
                future.cancel()


def _events_frame(frames: list):
    """The replications' event tables as one, exactly the table of one log holding them all
    (:meth:`EventLog.to_frame`): rows in replication order, every categorical's categories those
    of the whole (sorted, as pandas infers them; ``kind``'s fixed list kept)."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    first = frames[0]
    columns = {}
    for c in first.columns:
        parts = [f[c] for f in frames]
        if isinstance(first[c].dtype, pd.CategoricalDtype):
            same = all(p.cat.categories.equals(first[c].cat.categories) for p in parts)
            columns[c] = union_categoricals(parts, sort_categories=not same)
        else:
            columns[c] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(columns)


def _worker_count(value, n_rep: int) -> int:
    """Worker processes for ``n_rep`` replications (:func:`routesim._workers.count`), ``value`` checked."""
    from ..._workers import count

    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise RoutesimError(f"workers must be a whole number >= 1, got {value!r}")
    return count(value, n_rep)


def run_des(plan: Plan, *, replications: int | None = None, seed: int | None = None, progress=None,
            independent_sailings: bool | None = None, keep_events: bool = True, workers: int | None = None,
            keep_shipments: bool | None = None):
    """Run the discrete-event engine on a compiled plan; returns :class:`~routesim.results.Results`.

    ``replications`` independent runs (default: the scenario's ``des.replications``), replication
    ``r`` drawing from ``SeedSequence(seed).spawn(replications)[r]``.
    ``independent_sailings`` overrides the scenario's ``des.independent_sailings``.
    ``keep_events=False`` skips the event log. ``workers`` processes run the replications
    (default: the scenario's ``des.workers``, else the CPUs; 1, or a single replication: serially
    in this process), the pool this process keeps for later runs (:mod:`routesim._workers`); the
    results are identical whatever the number. ``progress(done, total)`` is called after every
    replication, in replication order.

    The summaries are streamed (:mod:`~routesim.engines.des.tables`). ``keep_shipments``: None
    (default) keeps each replication's measured shipments (about 14 numbers each) and builds the
    per-shipment table when ``Results.shipments`` is first read; True builds it now (quantiles
    then exact, as from any table); False never builds it.
    """
    from ...results import Results

    for message in plan.ignored_by("des"):
        warnings.warn(message, RoutesimWarning, stacklevel=2)
    opts = plan.options
    n_rep = int(replications if replications is not None else opts.des_replications)
    if n_rep < 1:
        raise RoutesimError(f"replications must be >= 1, got {n_rep}")
    seed = int(opts.seed if seed is None else seed)
    n_workers = _worker_count(workers if workers is not None else opts.des_workers, n_rep)
    model = compile_model(plan, independent_sailings=independent_sailings)
    log = EventLog() if keep_events else None
    accs = {name: RouteAccumulator() for name in plan.routes}
    kept = []
    raw = []
    frames = []
    for r, (rep_accs, measured, stats, frame) in enumerate(
            _replications(model, seed, n_rep, keep_events, n_workers, log)):
        for name, acc in rep_accs.items():
            accs[name].merge(acc)
        if keep_shipments is not False:
            kept.append(measured)
        raw.append(stats)
        if frame is not None:
            frames.append(frame)
        if progress:
            progress(r + 1, n_rep)
    extra = {"stats": merge_stats(model, raw)}
    if log is not None:
        extra["events"] = _events_frame(frames) if frames else log.to_frame()
    if keep_shipments:
        return Results.from_shipments(plan, build_table(plan, seed, kept), engine="des", seed=seed,
                                      replications=n_rep, extra=extra)
    results = Results.from_accumulators(plan, accs, engine="des", seed=seed, replications=n_rep, extra=extra)
    if keep_shipments is None:
        results._rebuild = partial(build_table, plan, seed, kept)
    return results
