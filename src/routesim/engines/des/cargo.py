"""Cargo: bookings, terminal yards, loading, rolling, transshipment and delivery.

Bookings
    A route's demand (``demand_teu_per_week``, a number or a distribution) is
    turned into bookings of ``cargo.teu`` TEU each: every week a demand figure
    is drawn (always the same figure when it is a constant), the whole
    bookings it makes arrive at uniform times over that week, and the
    fraction left over is carried into the next week. A route that books more
    than :data:`~routesim.engines.des.lots.RECORDS_PER_WEEK` bookings in an
    average week books in records of several bookings that travel together
    (:func:`~routesim.engines.des.lots.bookings_per_record`; at most 1 % of a
    vessel's slots), so its records stop growing with its TEU. A route without a
    demand figure carries **probe bookings**: a Poisson stream of
    :data:`PROBE_BOOKINGS_PER_DAY` that take no vessel slots, so they measure
    the journey without changing it (the Monte Carlo engine's "every shipment
    travels alone"); their rate only sets how many shipments a run measures.

Origin
    A booking is ready at its ready day, may first travel overland (what-if
    routes), then spends the export cut-off in the origin yard
    (``origin_dwell``). It boards the first sailing that leaves after that,
    whichever sailing it was booked on: when a service runs late, an earlier
    sailing still to leave takes it (the Monte Carlo engine's first sailing is
    the booked one or, running late enough, the one before).

Loading
    When a vessel is about to leave a call, it takes the ready boxes of that
    call's yard, oldest first (by the time they can be loaded), up to the
    slots open to the scenario's cargo
    (:attr:`routesim.engines.des.services.ServiceModel.cargo_slots_teu`) less
    what is already aboard. A box that is eligible but does not fit is **rolled** to a
    later sailing (every roll is counted, in bookings and TEU).

Transshipment
    At the hub the box is off the ship once the vessel is alongside; it is
    ready for the connecting service after the minimum connection time. It is
    planned onto the first connecting sailing scheduled to leave at least the
    minimum connection time after the inbound vessel's *scheduled* arrival,
    and boards the first sailing from that one on that leaves after the box is
    ready: a missed connection waits for the next sailing. On a route with
    several hubs the waits at each add up (``transshipment`` days).

Destination and condition
    At the destination the box is discharged when the vessel's handling ends
    and then spends the import dwell in the yard (``destination_dwell``). A
    perishable lot's keeping quality is drawn at gate-in (``shelf``, days);
    boxes are never thrown away en route: the shares of a box downgraded and
    rejected at delivery come from the same keeping-quality functions as in
    the Monte Carlo engine (:mod:`routesim.quality`), and a ``spoil`` event
    records the TEU rejected at delivery.

Lots
    No booking is an object: a route's bookings are numpy arrays
    (:class:`RouteDesk`), and yards and vessels hold :class:`~routesim.engines.des.lots.Batch`
    and :class:`~routesim.engines.des.lots.Lot` objects, one per (origin,
    destination, sailing, cargo kind) and call, whatever their TEU. The work
    of a run grows with vessel port calls; what grows with TEU is array
    arithmetic. Per-shipment figures are put together from the lots at the
    end (:meth:`RouteDesk.measured`).

Every booking ends delivered or still in the system when the run stops (in a
yard, aboard, being discharged, or not ready yet; a box left behind by a full
vessel waits in its yard as ``rolled``); :meth:`CargoDesk.counts` reports it
by counting and :meth:`CargoDesk.audit` by looking.
"""

from __future__ import annotations

import math

import numpy as np

from ...calendar import ready_days
from ...distributions import Constant
from ...plan import KINDS, Plan, RoutePlan
from .audit import WHERE, audit
from .lots import Batch, Lot, Yard, allocate, bookings_per_record

_ANY_SAILING = np.iinfo(np.int64).min
"""The lowest sailing a box at the origin may board: any (it boards the first that leaves after it is ready)."""

__all__ = ["PROBE_BOOKINGS_PER_DAY", "RouteDesk", "CargoDesk", "WHERE"]

PROBE_BOOKINGS_PER_DAY = 1.0
"""Probe bookings per day on a route without ``demand_teu_per_week`` (a sampling rate, not a traffic figure)."""

_K = {k: i for i, k in enumerate(KINDS)}
_EPS = 1e-9


class RouteDesk:
    """The bookings of one route in one replication, as arrays in the order they can first be loaded.

    Position ``p`` is one booking record of :attr:`teu` TEU (:attr:`per_record` bookings): ``ready[p]`` (study day), ``avail[p]``
    (when it can be loaded at the origin), ``cutoff[p]`` (origin dwell, days), ``index[p]`` (its
    number in order of ready days), ``lot_of[p, s]`` (the :class:`Lot` it travelled in on
    segment ``s``; -1 not yet), ``rolls[p]``, ``missed[p]``, ``dwell[p]`` (import dwell, days,
    drawn at delivery) and ``done[p]``.
    """

    def __init__(self, name: str, route: RoutePlan, refs, fleets, demand, rng: np.random.Generator,
                 dwell, dwell_rng: np.random.Generator):
        self.name = name
        self.route = route
        self.refs = refs
        self.fleets = [fleets[r.service] for r in refs]
        self.nseg = len(refs)
        self.demand = demand
        self.rng = rng
        self.import_dwell = dwell
        """The destination's import dwell (days), drawn for each box at delivery from ``dwell_rng``."""
        self.dwell_rng = dwell_rng
        self.teu = 0.0
        """TEU of one booking record (``cargo.teu`` x :attr:`per_record`; 0 for probe bookings)."""
        self.per_record = 1
        """Bookings one record stands for (:func:`~routesim.engines.des.lots.bookings_per_record`)."""
        self.n = 0
        self.lots: list[Lot] = []
        """Every lot this route's boxes travelled in (finished ones included)."""
        self.roll_events = 0
        self.rolled_teu = 0.0
        self.t0 = 0.0
        self.weekly_teu: np.ndarray | None = None
        """TEU booked in each week from :attr:`t0` (study day; None for probe bookings)."""

    def generate(self, t0: float, horizon: float, yard: Yard, plan: Plan) -> int:
        """Create every booking ready in [t0, horizon) and put them in the origin yard; returns how many.

        A cargo ready over a harvest season (``cargo.ready: season``) follows it: probe bookings
        are drawn from the season's ready-day distribution, and a route's weekly demand is
        scaled by the week's share of the season against the study window's average week.
        """
        rng = self.rng
        cargo = self.route.cargo
        season = cargo.season
        if self.demand is None:
            span = horizon - t0
            n = int(rng.poisson(PROBE_BOOKINGS_PER_DAY * span))
            u = rng.random(n)
            ready = np.sort(ready_days(u, season.profile(t0, horizon)) if season is not None else t0 + u * span)
            self.teu = 0.0
        else:
            times = []
            made = []
            carry = 0.0
            weeks = int(math.ceil((horizon - t0) / 7.0))
            weight = _week_weights(season, t0, horizon, weeks)
            slots = min(f.svc.cargo_slots_teu for f in self.fleets)
            self.per_record = bookings_per_record(float(self.demand.mean) / cargo.teu, cargo.teu, slots)
            size = cargo.teu * self.per_record
            for w in range(weeks):
                want = float(self.demand.sample(rng)) * weight[w] / size + carry
                k = int(math.floor(want + 1e-9))
                carry = want - k
                made.append(k)
                times.append(t0 + 7.0 * w + np.sort(rng.random(k)) * 7.0)
            ready = np.concatenate(times) if times else np.zeros(0)
            ready = ready[ready < horizon]
            n = ready.size
            self.teu = float(size)
            self.t0 = t0
            self.weekly_teu = np.array(made, dtype=float) * self.teu
        avail = ready.copy()
        overland = self.route.overland_days.sample(rng, n) if self.route.overland_days is not None else None
        if overland is not None:
            avail += overland
        plug = self.route.plug_queue.sample(rng, avail) if self.route.plug_queue is not None else 0.0
        cutoff = plan.ports[self.route.origin].export_cutoff_days.sample(rng, n) + plug  # plug wait before gate-in
        if self.route.tramp is not None:  # a tramp parcel is at the berth from the start of its loading
            cutoff = np.full(n, self.route.tramp.load_days)
        avail += cutoff
        shelf = cargo.quality.keeping_days.sample(rng, n) if cargo.quality is not None else None
        order = np.argsort(avail, kind="stable")
        self.n = n
        self.index = order.astype(np.int64)
        self.ready = ready[order]
        self.avail = avail[order]
        self.cutoff = np.broadcast_to(cutoff, (n,))[order].astype(float)
        self.overland = overland[order] if overland is not None else None
        self.shelf = shelf[order] if shelf is not None else None
        self.recorded = (self.ready >= 0.0) & (self.ready < horizon)
        self.lot_of = np.full((n, self.nseg), -1, dtype=np.int32)
        self.rolls = np.zeros(n, dtype=np.int32)
        self.missed = np.zeros(n, dtype=np.int16)
        self.dwell = np.full(n, np.nan)
        self.done = np.zeros(n, dtype=bool)
        # a box may board any sailing that leaves after it is ready: when a service runs more than a headway
        # late, the ship due before its booked one is still to come, and the carrier loads it there
        yard.add(Batch(self, 0, np.arange(n, dtype=np.int64), self.avail, np.full(n, _ANY_SAILING, dtype=np.int64)))
        return n

    def booked_teu(self, start: float, end: float) -> float:
        """TEU booked over the weeks that began in ``(start, end]`` (study days): what a carrier knows of
        its bookings by ``end``; 0 for probe bookings, which take no slots.

        A week's bookings are known when it begins, though they become ready over the week.
        """
        if self.weekly_teu is None:
            return 0.0
        hi = min(int(math.floor((end - self.t0) / 7.0 + 1e-9)), self.weekly_teu.size - 1)
        lo = max(int(math.floor((start - self.t0) / 7.0 + 1e-9)) + 1, 0)
        return float(self.weekly_teu[lo:hi + 1].sum()) if hi >= lo else 0.0

    def measured(self):
        """The recorded, delivered bookings in order of ready days: ``(index, ready, days, sea, stop,
        shelf)`` with ``days`` by :data:`~routesim.plan.KINDS` (a kind that is 0 for every booking is
        left out) and ``sea``/``stop`` by segment (days), put together from the lots each box
        travelled in."""
        p = np.flatnonzero(self.done & self.recorded)
        p = p[np.argsort(self.index[p], kind="stable")]
        lots = self.lots
        col = {f: np.array([getattr(lot, f) for lot in lots], dtype=float).reshape(len(lots))
               for f in ("loaded", "t_arr", "sail", "port", "canal", "handled")}
        L = self.lot_of[p]
        days = {k: np.zeros(p.size) for k in KINDS}
        if self.overland is not None:
            days["overland"] = self.overland[p].copy()
        days["origin_dwell"] = self.cutoff[p].copy()
        days["first_sailing"] = col["loaded"][L[:, 0]] - self.avail[p]
        sea, stop = [], []
        for s in range(self.nseg):
            ls = L[:, s]
            days["sail"] += col["sail"][ls]
            days["port_call"] += col["port"][ls]
            days["canal"] += col["canal"][ls]
            if s:
                days["transshipment"] += col["loaded"][ls] - col["t_arr"][L[:, s - 1]]
            sea.append(col["sail"][ls])
            stop.append(col["port"][ls] + col["canal"][ls])
        last = L[:, -1]
        days["destination_dwell"] = col["handled"][last] - col["t_arr"][last] + self.dwell[p]
        days = {k: v for k, v in days.items() if v.any()}  # a kind absent from the route: zeros, made per chunk
        shelf = self.shelf[p] if self.shelf is not None else None
        return self.index[p], self.ready[p], days, sea, stop, shelf

    def release(self) -> None:
        """Let go of the per-booking arrays (after :meth:`measured`, when the replication is over)."""
        for name in ("index", "ready", "avail", "cutoff", "overland", "shelf", "recorded", "lot_of", "rolls",
                     "missed", "dwell", "done"):
            setattr(self, name, None)
        self.lots = []


class CargoDesk:
    """Every route's cargo in one replication: the yards, and the hooks vessels call at each call."""

    def __init__(self, plan: Plan, fleets, refs, streams, *, horizon: float):
        self.plan = plan
        self.fleets = fleets
        self.min_connection = plan.operations.min_connection_days
        self.yards: dict[tuple, Yard] = {}
        self.routes: list[RouteDesk] = []
        self.outstanding = 0
        """Recorded bookings (ready in the study window) not yet finished."""
        self.on_all_done = None
        self.port_calls = 0
        """Calls made by the scenario's vessels in the study period (arrivals at or after day 0)."""
        self._lots = 0
        self.feeding: list[Lot] = []
        """Lots discharged at the call after their own (omitted), on their way back to it."""
        for name, route in plan.routes.items():
            # a tramp parcel is delivered as it is discharged (no import yard dwell)
            dwell = Constant(0.0) if route.tramp is not None else plan.ports[route.destination].import_dwell_days
            rd = RouteDesk(name, route, refs[name], fleets, route.demand_teu_per_week, streams.rng("cargo", name),
                           dwell, streams.rng("dwell", name))
            self.routes.append(rd)
        self._horizon = horizon

    def yard(self, service_key, call: int) -> Yard:
        y = self.yards.get((service_key, call))
        if y is None:
            y = self.yards[(service_key, call)] = Yard()
        return y

    def generate(self, t0: float) -> None:
        """Create every route's bookings from ``t0`` (the start of the warm-up) to the horizon."""
        for rd in self.routes:
            ref = rd.refs[0]
            rd.generate(t0, self._horizon, self.yard(ref.service, ref.load), self.plan)
            self.outstanding += int(rd.recorded.sum())

    # ------------------------------------------------------------ hooks called by vessels
    def arrived(self, vessel, call: int, now: float):
        """The vessel reached ``call``: close the sea stretch of the lots it discharges there."""
        if now >= 0.0:
            self.port_calls += 1
        lots = vessel.aboard.pop(call, None)
        if not lots:
            return None
        cs, cp, cc = vessel.cum
        teu = 0.0
        for lot in lots:
            s0, p0, c0 = lot.snap
            lot.sail, lot.port, lot.canal = cs - s0, cp - p0, cc - c0
            lot.t_arr = now
            teu += lot.slots
        vessel.aboard_teu -= teu
        return lots

    def berthed(self, lots, now: float) -> list:
        """The vessel is alongside: transshipment lots go to the connecting yard; returns the others."""
        stay = []
        for lot in lots:
            rd = lot.route
            nxt = lot.seg + 1
            if nxt < rd.nseg and not lot.feeder:  # a relayed lot reaches its hub later (:meth:`relayed`)
                ref_in = rd.refs[lot.seg]
                sched_arr = rd.fleets[lot.seg].scheduled_arrival(lot.sailing, ref_in.discharge, ref_in.wraps)
                ref = rd.refs[nxt]
                k = rd.fleets[nxt].first_departure(sched_arr + self.min_connection, ref.load)
                self.yard(ref.service, ref.load).add(
                    Batch(rd, nxt, lot.idx, float(now + self.min_connection), k, k, inbound=lot))
            else:
                stay.append(lot)
        return stay

    def handled(self, lots, now: float) -> None:
        """Handling is over: lots for this port are discharged and enter the import yard."""
        for lot in lots:
            rd = lot.route
            idx = lot.idx
            lot.handled = now
            rd.dwell[idx] = rd.import_dwell.sample(rd.dwell_rng, idx.size)
            rd.done[idx] = True
            n = int(rd.recorded[idx].sum())
            if n:
                self.outstanding -= n
                if self.outstanding == 0 and self.on_all_done is not None:
                    self.on_all_done()

    def relay(self, lots, arrived: float, now: float) -> None:
        """``lots`` came off at the call after their own, which their vessel omitted (at this call from
        ``arrived`` to ``now``): they go back by sea, ``lot.feeder`` days."""
        for lot in lots:
            lot.port += now - arrived
            lot.sail += lot.feeder
            lot.t_arr = now + lot.feeder  # due at their port
        self.feeding.extend(lots)

    def relayed(self, lots, now: float) -> None:
        """Relayed ``lots`` reached their own port: off the ship there, as if their vessel had called
        (days waiting for the port to open count as days at a call)."""
        for lot in lots:
            lot.port += now - lot.t_arr
            lot.t_arr = now
            lot.feeder = 0.0
        gone = {lot.id for lot in lots}
        self.feeding = [lot for lot in self.feeding if lot.id not in gone]
        self.handled(self.berthed(lots, now), now)

    def load(self, vessel, fleet, sailing: int, call: int, now: float) -> tuple[float, float]:
        """Load ready boxes onto ``vessel`` (sailing ``sailing`` of ``fleet``) at ``call``; returns (TEU loaded, TEU rolled)."""
        y = self.yards.get((fleet.key, call))
        if y is None or not y.batches:
            return 0.0, 0.0
        parts = []
        for b in y.batches:
            j = b.end(now, sailing)
            if j > b.pos:
                parts.append((b, j))
        if not parts:
            return 0.0, 0.0
        free = fleet.svc.cargo_slots_teu - vessel.aboard_teu
        want = sum((j - b.pos) * b.route.teu for b, j in parts)
        if want <= free + _EPS or want == 0.0:
            take = [j - b.pos for b, j in parts]
        elif len(parts) == 1:
            (b, j), = parts
            size = b.route.teu  # > 0: boxes of no slots always fit
            take = [min(j - b.pos, max(0, int(math.floor((free + _EPS) / size))))]
        else:
            take = allocate([b.avail_of(b.pos, j) for b, j in parts], [b.route.teu for b, _ in parts], free
                            ).tolist()
        loaded = rolled = 0.0
        snap = tuple(vessel.cum)
        aboard = vessel.aboard
        for (b, j), m in zip(parts, take):
            rd = b.route
            a = b.pos
            if m < j - a:  # the rest of the eligible run does not fit: rolled
                left = b.idx[a + m:j]
                rd.rolls[left] += 1
                rd.roll_events += left.size * rd.per_record
                rd.rolled_teu += left.size * rd.teu
                rolled += left.size * rd.teu
                b.rolled_to = max(b.rolled_to, j)
            if not m:
                continue
            idx = b.idx[a:a + m]
            b.pos = a + m
            if b.seg and sailing > b.planned:
                rd.missed[idx] += (rd.rolls[idx] == 0)
            lot = Lot(self._lots, rd, b.seg, idx, m * rd.teu, sailing, now, snap)
            self._lots += 1
            rd.lot_of[idx, b.seg] = len(rd.lots)
            rd.lots.append(lot)
            loaded += lot.slots
            discharge = rd.refs[b.seg].discharge
            lst = aboard.get(discharge)
            if lst is None:
                aboard[discharge] = [lot]
            else:
                lst.append(lot)
        y.batches = [b for b in y.batches if b.pos < b.idx.size]
        vessel.aboard_teu += loaded
        return loaded, rolled

    # ------------------------------------------------------------ accounting
    def audit(self, now: float) -> dict[str, dict[str, int]]:
        """Where every booking is at ``now``, found by looking: :func:`~routesim.engines.des.audit.audit`."""
        return audit(self, now)

    def counts(self, recorded_only: bool = True) -> dict[str, dict[str, int]]:
        """Bookings generated, delivered and still in the system, by route.

        A perishable box is delivered whatever its condition: the shares of it downgraded or
        rejected are results (:func:`~routesim.outcomes.shipment_columns`), not a fate of the box.
        """
        out = {}
        for rd in self.routes:
            keep = rd.recorded if recorded_only else np.ones(rd.n, dtype=bool)
            n = int(keep.sum())
            done = int((rd.done & keep).sum())
            m = rd.per_record
            out[rd.name] = {"generated": n * m, "delivered": done * m, "in_system": (n - done) * m}
        return out

    def totals(self) -> dict[str, float]:
        """TEU of the recorded bookings: generated, delivered, still in the system, and rolled
        (left behind by a full vessel at least once; each TEU counted once however often)."""
        gen = dlv = rolled = 0.0
        for rd in self.routes:
            rec = rd.recorded
            gen += rec.sum() * rd.teu
            dlv += (rd.done & rec).sum() * rd.teu
            rolled += ((rd.rolls > 0) & rec).sum() * rd.teu
        return {"teu_generated": float(gen), "teu_delivered": float(dlv), "teu_in_system": float(gen - dlv),
                "teu_rolled": float(rolled)}


def _week_weights(season, t0: float, horizon: float, weeks: int) -> np.ndarray:
    """Each week's demand multiplier: 1 without a season, else the week's mean daily share of the
    season over the study window's (days 0 to the horizon) mean daily share."""
    if season is None:
        return np.ones(weeks)
    first = int(math.floor(t0))
    daily = season.weights(first, first + 7 * weeks + 1, horizon)
    starts = (t0 + 7.0 * np.arange(weeks) - first).astype(int)
    return np.array([daily[a:a + 7].mean() for a in starts])
