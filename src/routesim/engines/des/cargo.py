"""Cargo: bookings, terminal yards, loading, rolling, transshipment and delivery.

Bookings
    A route's demand (``demand_teu_per_week``, a number or a distribution) is
    turned into bookings of ``cargo.teu`` TEU each: every week a demand figure
    is drawn (always the same figure when it is a constant), the whole
    bookings it makes arrive at uniform times over that week, and the
    fraction left over is carried into the next week. A route without a
    demand figure carries **probe bookings**: a Poisson stream of
    :data:`PROBE_BOOKINGS_PER_DAY` that take no vessel slots, so they measure
    the journey without changing it (the Monte Carlo engine's "every shipment
    travels alone"); their rate only sets how many shipments a run measures.

Origin
    A booking is ready at its ready day, may first travel overland (what-if
    routes), then spends the export cut-off in the origin yard
    (``origin_dwell``). It is booked on the first sailing scheduled to leave
    after that, and may also take the sailing before if that one is running
    late enough to leave after the box is ready, as in the Monte Carlo engine.

Loading
    When a vessel is about to leave a call, it takes the ready boxes of that
    call's yard, oldest first, up to the slots open to the scenario's cargo
    (:attr:`routesim.engines.des.services.ServiceModel.cargo_slots_teu`) less what is
    already aboard. A box that is eligible but does not fit is **rolled** to a
    later sailing (every roll is counted, in bookings and TEU).

Transshipment
    At the hub the box is off the ship once the vessel is alongside; it is
    ready for the connecting service after the minimum connection time. It is
    planned onto the first connecting sailing scheduled to leave at least the
    minimum connection time after the inbound vessel's *scheduled* arrival,
    and boards the first sailing from that one on that leaves after the box is
    ready: a missed connection waits for the next sailing.

Destination and condition
    At the destination the box is discharged when the vessel's handling ends
    and then spends the import dwell in the yard (``destination_dwell``). A
    perishable lot's keeping quality is drawn at gate-in (``shelf``, days);
    boxes are never thrown away en route: the shares of a box downgraded and
    rejected at delivery come from the same keeping-quality functions as in
    the Monte Carlo engine (:mod:`routesim.quality`), and a ``spoil`` event
    records the TEU rejected at delivery.

Every booking ends delivered or still in the system when the run stops;
:meth:`CargoDesk.counts` reports both.
"""

from __future__ import annotations

import math

import numpy as np

from ...calendar import ready_days
from ...distributions import Constant
from ...plan import KINDS, Plan, RoutePlan
from .draws import Draws

__all__ = ["PROBE_BOOKINGS_PER_DAY", "Shipment", "Yard", "RouteDesk", "CargoDesk"]

PROBE_BOOKINGS_PER_DAY = 1.0
"""Probe bookings per day on a route without ``demand_teu_per_week`` (a sampling rate, not a traffic figure)."""

_K = {k: i for i, k in enumerate(KINDS)}
OVERLAND, ORIGIN, FIRST, SAIL, PORT, CANAL, TRANS, DEST = (
    _K["overland"], _K["origin_dwell"], _K["first_sailing"], _K["sail"], _K["port_call"], _K["canal"],
    _K["transshipment"], _K["destination_dwell"])


class Shipment:
    """One booking of ``cargo.teu`` TEU travelling together (times in study days)."""

    __slots__ = ("route", "index", "ready", "avail", "slots", "seg", "planned", "min_sailing", "sailing",
                 "t_arr", "snap", "days", "sea", "stop", "rolls", "missed", "shelf", "recorded", "state")

    def __init__(self, route: "RouteDesk", index: int, ready: float, avail: float, slots: float,
                 shelf: float, recorded: bool):
        self.route = route
        self.index = index
        self.ready = ready
        self.avail = avail
        """When the box can be loaded at its current yard."""
        self.slots = slots
        """Vessel slots it takes (TEU; 0 for probe bookings)."""
        self.seg = 0
        self.planned = 0
        self.min_sailing = 0
        self.sailing = 0
        self.t_arr = 0.0
        self.snap = (0.0, 0.0, 0.0)
        self.days = [0.0] * len(KINDS)
        n = len(route.refs)
        self.sea = [0.0] * n
        self.stop = [0.0] * n
        self.rolls = 0
        self.missed = 0
        self.shelf = shelf
        self.recorded = recorded
        self.state = 0
        """0 waiting or travelling, 1 finished."""


class Yard:
    """Boxes waiting at one call of one service: future arrivals (sorted) and those on the quay."""

    __slots__ = ("pending", "next", "quay")

    def __init__(self):
        self.pending: list[Shipment] = []
        self.next = 0
        self.quay: list[Shipment] = []

    def add(self, box: Shipment) -> None:
        """Add a box; boxes must be added in order of ``avail``."""
        self.pending.append(box)

    def ready(self, now: float) -> list[Shipment]:
        """Move every box ready by ``now`` to the quay and return the quay."""
        p = self.pending
        i = self.next
        n = len(p)
        if i < n and p[i].avail <= now:
            quay = self.quay
            while i < n and p[i].avail <= now:
                quay.append(p[i])
                i += 1
            if i > 4096:
                del p[:i]
                i = 0
            self.next = i
        return self.quay

    def __len__(self) -> int:
        return len(self.pending) - self.next + len(self.quay)


class RouteDesk:
    """The bookings of one route in one replication and what became of them."""

    def __init__(self, name: str, route: RoutePlan, refs, fleets, demand, rng: np.random.Generator,
                 import_dwell: Draws):
        self.name = name
        self.route = route
        self.refs = refs
        self.fleets = [fleets[r.service] for r in refs]
        self.demand = demand
        self.rng = rng
        self.import_dwell = import_dwell
        self.boxes: list[Shipment] = []
        self.finished: list[Shipment] = []
        self.roll_events = 0
        self.rolled_teu = 0.0

    def generate(self, t0: float, horizon: float, yard: Yard, plan: Plan) -> int:
        """Create every booking ready in [t0, horizon) and put it in the origin yard; returns how many.

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
            slots = 0.0
        else:
            times = []
            carry = 0.0
            weeks = int(math.ceil((horizon - t0) / 7.0))
            weight = _week_weights(season, t0, horizon, weeks)
            for w in range(weeks):
                want = float(self.demand.sample(rng)) * weight[w] / cargo.teu + carry
                k = int(math.floor(want + 1e-9))
                carry = want - k
                times.append(t0 + 7.0 * w + np.sort(rng.random(k)) * 7.0)
            ready = np.concatenate(times) if times else np.zeros(0)
            ready = ready[ready < horizon]
            n = ready.size
            slots = cargo.teu
        avail = ready.copy()
        overland = self.route.overland_days.sample(rng, n) if self.route.overland_days is not None else None
        if overland is not None:
            avail += overland
        plug = self.route.plug_queue.sample(rng, avail) if self.route.plug_queue is not None else 0.0
        cutoff = plan.ports[self.route.origin].export_cutoff_days.sample(rng, n) + plug  # plug wait before gate-in
        if self.route.tramp is not None:  # a tramp parcel is at the berth from the start of its loading
            cutoff = np.full(n, self.route.tramp.load_days)
        avail += cutoff
        shelf = cargo.quality.keeping_days.sample(rng, n) if cargo.quality is not None else np.full(n, math.inf)
        order = np.argsort(avail, kind="stable")
        fleet = self.fleets[0]
        load = self.refs[0].load
        for j in order.tolist():
            r = float(ready[j])
            box = Shipment(self, j, r, float(avail[j]), slots, float(shelf[j]), 0.0 <= r < horizon)
            box.days[ORIGIN] = float(cutoff[j])
            if overland is not None:
                box.days[OVERLAND] = float(overland[j])
            k = fleet.first_departure(box.avail, load)
            box.planned = k
            box.min_sailing = k - 1
            yard.add(box)
            self.boxes.append(box)
        return n


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
        for name, route in plan.routes.items():
            # a tramp parcel is delivered as it is discharged (no import yard dwell)
            dwell = Draws(Constant(0.0) if route.tramp is not None else plan.ports[route.destination].import_dwell_days,
                          streams.rng("dwell", name))
            rd = RouteDesk(name, route, refs[name], fleets, route.demand_teu_per_week,
                           streams.rng("cargo", name), dwell)
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
            self.outstanding += sum(1 for b in rd.boxes if b.recorded)

    # ------------------------------------------------------------ hooks called by vessels
    def arrived(self, vessel, call: int, now: float):
        """The vessel reached ``call``: close the sea stretch of the boxes it discharges there."""
        boxes = vessel.aboard.pop(call, None)
        if not boxes:
            return None
        cs, cp, cc = vessel.cum
        teu = 0.0
        for box in boxes:
            s0, p0, c0 = box.snap
            sail, port, canal = cs - s0, cp - p0, cc - c0
            d = box.days
            d[SAIL] += sail
            d[PORT] += port
            d[CANAL] += canal
            box.sea[box.seg] = sail
            box.stop[box.seg] = port + canal
            box.t_arr = now
            teu += box.slots
        vessel.aboard_teu -= teu
        return boxes

    def berthed(self, boxes, now: float) -> list:
        """The vessel is alongside: transshipment boxes go to the connecting yard; returns the others."""
        stay = []
        for box in boxes:
            rd = box.route
            nxt = box.seg + 1
            if nxt < len(rd.refs):
                ref_in = rd.refs[box.seg]
                sched_arr = rd.fleets[box.seg].scheduled_arrival(box.sailing, ref_in.discharge, ref_in.wraps)
                ref = rd.refs[nxt]
                fleet = rd.fleets[nxt]
                box.seg = nxt
                box.avail = now + self.min_connection
                box.planned = box.min_sailing = fleet.first_departure(sched_arr + self.min_connection, ref.load)
                self.yard(ref.service, ref.load).add(box)
            else:
                stay.append(box)
        return stay

    def handled(self, boxes, now: float) -> None:
        """Handling is over: boxes for this port are discharged and enter the import yard."""
        for box in boxes:
            box.days[DEST] = now - box.t_arr + box.route.import_dwell()
            self._finish(box)

    def load(self, vessel, fleet, sailing: int, call: int, now: float) -> tuple[float, float]:
        """Load ready boxes onto ``vessel`` (sailing ``sailing`` of ``fleet``) at ``call``; returns (TEU loaded, TEU rolled)."""
        y = self.yards.get((fleet.key, call))
        if y is None:
            return 0.0, 0.0
        quay = y.ready(now)
        if not quay:
            return 0.0, 0.0
        free = fleet.svc.cargo_slots_teu - vessel.aboard_teu
        keep = []
        loaded = rolled = 0.0
        snap = tuple(vessel.cum)
        aboard = vessel.aboard
        for box in quay:
            if box.min_sailing > sailing:
                keep.append(box)
                continue
            if box.slots > free + 1e-9:
                box.rolls += 1
                rolled += box.slots
                box.route.roll_events += 1
                box.route.rolled_teu += box.slots
                keep.append(box)
                continue
            free -= box.slots
            loaded += box.slots
            if box.seg == 0:
                box.days[FIRST] = now - box.avail
            else:
                box.days[TRANS] = now - box.t_arr
                if sailing > box.planned and box.rolls == 0:
                    box.missed += 1
            box.sailing = sailing
            box.snap = snap
            discharge = box.route.refs[box.seg].discharge
            lst = aboard.get(discharge)
            if lst is None:
                aboard[discharge] = [box]
            else:
                lst.append(box)
        y.quay = keep
        vessel.aboard_teu += loaded
        return loaded, rolled

    def _finish(self, box: Shipment) -> None:
        box.state = 1
        box.route.finished.append(box)
        if box.recorded:
            self.outstanding -= 1
            if self.outstanding == 0 and self.on_all_done is not None:
                self.on_all_done()

    # ------------------------------------------------------------ accounting
    def audit(self, now: float) -> dict[str, dict[str, int]]:
        """Where every booking is at ``now``, found by looking (not by counting): by route, the
        bookings finished, in a yard, aboard a vessel, being discharged, or not ready yet.

        Raises AssertionError if a booking is found in two places or nowhere.
        """
        seen: dict[int, str] = {}

        def mark(box, where):
            key = id(box)
            assert key not in seen, f"booking {box.route.name}#{box.index} both {seen[key]} and {where}"
            seen[key] = where

        for rd in self.routes:
            for box in rd.finished:
                mark(box, "finished")
        for yard in self.yards.values():
            for box in yard.pending[yard.next:]:
                mark(box, "yard" if box.ready <= now else "not_ready")
            for box in yard.quay:
                mark(box, "yard")
        for fleet in self.fleets.values():
            for v in fleet.fleet:
                for boxes in v.aboard.values():
                    for box in boxes:
                        mark(box, "aboard")
                for box in v.discharging or ():
                    mark(box, "discharging")
        out = {}
        for rd in self.routes:
            counts = {"generated": len(rd.boxes), "finished": 0, "yard": 0, "aboard": 0, "discharging": 0,
                      "not_ready": 0}
            for box in rd.boxes:
                where = seen.get(id(box))
                assert where is not None, f"booking {rd.name}#{box.index} is nowhere"
                counts[where] += 1
            out[rd.name] = counts
        return out

    def counts(self, recorded_only: bool = True) -> dict[str, dict[str, int]]:
        """Bookings generated, delivered and still in the system, by route.

        A perishable box is delivered whatever its condition: the shares of it downgraded or
        rejected are results (:func:`~routesim.outcomes.shipment_columns`), not a fate of the box.
        """
        out = {}
        for rd in self.routes:
            boxes = [b for b in rd.boxes if b.recorded or not recorded_only]
            done = sum(1 for b in boxes if b.state == 1)
            out[rd.name] = {"generated": len(boxes), "delivered": done, "in_system": len(boxes) - done}
        return out


def _week_weights(season, t0: float, horizon: float, weeks: int) -> np.ndarray:
    """Each week's demand multiplier: 1 without a season, else the week's mean daily share of the
    season over the study window's (days 0 to the horizon) mean daily share."""
    if season is None:
        return np.ones(weeks)
    first = int(math.floor(t0))
    daily = season.weights(first, first + 7 * weeks + 1, horizon)
    starts = (t0 + 7.0 * np.arange(weeks) - first).astype(int)
    return np.array([daily[a:a + 7].mean() for a in starts])
