"""Carriers that respond to trouble: the decision rules of the discrete-event engine's services.

In 2023-24 carriers met the Panama drought and the Red Sea crisis by blanking
sailings, adding ships to their loops, re-routing round another passage,
omitting calls and publishing new pro-forma schedules. Each response is a
rule here, a pure function of what the carrier can see (the published canal
queue, the ships at anchor, its own vessels' positions and loads), applied by
:class:`~routesim.engines.des.vessels.Fleet` and switched in the scenario's
``des.responses`` (:class:`routesim.plan.responses.ResponseParams`; thresholds
and their sources in ``data/responses.yaml``):

=================  ==========================================================================
``blank_sailing``  :func:`too_late`: the vessel due to take the next free sailing cannot reach
                   the start port within ``blank_lateness_headways`` headways of its schedule,
                   even at design speed: the sailing is voided and the vessel takes the next
                   (a vessel back at the start port takes the next sailing no vessel holds).
                   :func:`demand_dropped`: over the last ``demand_window_sailings``
                   headways the service's routes booked so little that a sailing would
                   carry less than ``demand_blank_share`` of its normal load (the
                   carrier sees its bookings, whichever call they board at).
``added_ship``     when ``added_ship_after_blanks`` vessels in a row found themselves too late
                   (one late ship is bad luck, a string of them a loop short of a ship), while
                   the service has added fewer than
                   :meth:`~routesim.plan.responses.ResponseParams.added_ships_limit` ships,
                   one more ship joins it, at the first free sailing at least
                   ``added_ship_lead_days`` later; it stays with the service.
``rebase``         :func:`rebase_shift`: after ``rebase_after_sailings`` departures from the
                   start port all later than ``rebase_lateness_days``, the schedule of every
                   later sailing shifts by the least of those delays.
``reroute``        :func:`~routesim.plan.responses.reroute_pays`: leaving a call for a passage
                   through a canal, the vessel goes the way round
                   (:func:`~routesim.plan.rounds.way_round`) when the
                   wait it can expect (the mean of the service's last ``reroute_readings``
                   readings of the published queue) exceeds the wait its pro-forma allows by
                   more than the extra days of the way round plus ``reroute_margin_days``.
``omitted_call``   :func:`omit_pays`: arriving at a call other than the start port of a
                   rotation of three calls or more, the vessel sails on when the delay it can
                   expect before a berth exceeds the pro-forma's by ``omit_delay_headways``
                   headways. Cargo for the port comes off at the next call and goes back by
                   sea (the passage between the two at the service's speed, into the port when
                   it is open); cargo waiting there takes the next sailing.
=================  ==========================================================================

Every response is a row of the event log (:meth:`~routesim.engines.des.log.EventLog.respond`)
with its kind, time, vessel (and so service), place and reason, and is counted
by kind (:class:`ResponseCounts`, ``engine_stats.responses``). With
``des.independent_sailings`` (every sailing its own vessel, the Monte Carlo
engine's view) only re-routing is modelled, as the Monte Carlo engine models it.

>>> too_late(eta=20.0, scheduled=10.0, headway_days=7.0, headways=1.0)
True
>>> reroute_pays(expected_wait=10.0, allowed_wait=1.0, detour_days=3.7, margin_days=1.0)
True
>>> rebase_shift([6.0, 7.5, 9.0], after=3, lateness_days=5.1)
6.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...disruptions import closed_until
from ...plan.responses import reroute_pays
from ...plan.schedule import sailing_days
from .disruptions import servers_at
from .log import RESPONSE_KINDS

__all__ = ["too_late", "demand_dropped", "rebase_shift", "reroute_pays", "omit_pays", "expected_canal_wait",
           "expected_port_delay", "ResponseCounts", "Responder", "count_responses"]


def too_late(eta: float, scheduled: float, headway_days: float, headways: float) -> bool:
    """True when a vessel arriving at ``eta`` is more than ``headways`` headways behind ``scheduled`` (days)."""
    return eta - scheduled > headways * headway_days


def demand_dropped(booked_teu: float, others_teu: float, expected_teu: float, share: float) -> bool:
    """True when a sailing would carry less than ``share`` of its normal load: other shippers'
    ``others_teu`` plus the ``booked_teu`` the scenario's routes booked a headway lately, against
    ``others_teu`` plus the ``expected_teu`` they book a headway on average (TEU).

    >>> demand_dropped(600.0, 0.0, 1000.0, 0.8), demand_dropped(600.0, 1000.0, 1000.0, 0.8)
    (True, False)
    """
    normal = others_teu + expected_teu
    return expected_teu > 0 and others_teu + booked_teu < share * normal


def rebase_shift(lateness: Sequence[float], after: int, lateness_days: float) -> float:
    """Days to shift a schedule whose last ``after`` departures were all later than ``lateness_days``
    (the least of those delays), else 0.

    >>> rebase_shift([9.0, 2.0, 8.0], after=3, lateness_days=5.1)
    0.0
    """
    if len(lateness) < after:
        return 0.0
    recent = lateness[-after:]
    low = min(recent)
    return float(low) if low > lateness_days else 0.0


def omit_pays(expected_delay: float, allowed_delay: float, headway_days: float, headways: float) -> bool:
    """True when the delay to expect before a berth exceeds the pro-forma's by more than ``headways`` headways.

    >>> omit_pays(math.inf, 0.5, 7.0, 0.5), omit_pays(3.0, 0.5, 7.0, 0.5)
    (True, False)
    """
    return expected_delay - allowed_delay > headways * headway_days


def expected_canal_wait(canal, booked: bool, teu: float, now: float, mean_wait: float) -> float:
    """The wait a vessel can expect at ``canal`` from what is published now (days).

    A canal with slots answers as it does for the background ships that divert
    (:meth:`~routesim.engines.des.canal.Canal.expected_wait` of the vessel's class: the ships of
    its class queued over the slots its class gets a day; for a canal with separate locks, those
    the vessel fits); a passage without slots from its mean wait and the rest of any closure.
    """
    lock_for = getattr(canal, "lock_for", None)
    if lock_for is not None:
        canal = lock_for(teu)
    expected = getattr(canal, "expected_wait", None)
    if expected is not None:
        return float(expected(1 if booked else 2, now))
    return closed_until(canal.windows, now) - now + mean_wait


def expected_port_delay(port, service_days: float, given_wait: float | None, now: float) -> float:
    """The delay a vessel arriving now can expect before a berth (days).

    During a closure (no berth in service), the days until a berth returns; otherwise the ships
    at anchor ahead of it times ``service_days`` (the berth time of a typical call) over the berths
    in service, or ``given_wait`` where the scenario gives the port's waits.
    """
    windows = port.windows
    servers = servers_at(port.c, windows, now) if windows else port.c
    if servers == 0:
        ends = [w.end for w in windows if w.start <= now < w.end and w.kind in ("closure", "capacity")]
        return (max(ends) if ends else math.inf) - now
    if given_wait is not None:
        return given_wait
    return port.at_anchor * service_days / servers


class ResponseCounts:
    """Responses of one service in one replication, by kind (study period only), and their log rows."""

    __slots__ = ("counts", "log", "start")

    def __init__(self, log, start: float = 0.0):
        self.counts = {k: 0 for k in RESPONSE_KINDS}
        self.log = log
        self.start = start

    def record(self, now: float, kind: str, vessel: str, place: str, reason: str, teu: float = 0.0) -> None:
        """Count a response (when in the study period) and log it (always, as every other event)."""
        if now >= self.start:
            self.counts[kind] += 1
        if self.log is not None:
            self.log.respond(now, vessel, place, kind, reason, teu)


class Responder:
    """The carrier of one service in one replication: applies the rules to its :class:`~routesim.engines.des.vessels.Fleet`.

    Vessel ``j`` of ``n`` makes sailings ``j, j + n, ...`` until the service first meets trouble;
    from then on, with blank sailings or added ships on, a vessel leaving the last call of its round
    voyage takes the next sailing no vessel holds (:meth:`claim`).
    """

    def __init__(self, fleet, rules, log, independent: bool = False):
        self.fleet = fleet
        self.rules = rules
        svc = fleet.svc
        on = not independent
        self.blank = on and rules.blank_sailings
        self.add = on and rules.added_ships
        self.rebase = on and rules.rebase
        self.reroute = rules.reroute and any(w is not None for w in svc.way_round)  # as the Monte Carlo engine
        self.omit = on and rules.omit_calls and len(svc.calls) >= 3
        self.dynamic = self.blank or self.add
        """Whether a vessel's next sailing is decided by :meth:`claim` (see the class docs)."""
        self.pooled = False
        """Whether sailings have stopped being fixed to vessels (since the service's first trouble)."""
        self._held: list[int] = []
        """Sailings recently taken while they were fixed to vessels."""
        self._rec = ResponseCounts(log, 0.0)
        self.counts = self._rec.counts
        self.added = 0
        self.limit = rules.added_ships_limit(svc.vessels) if self.add else 0
        self.next = 0
        self._reserved: set[int] = set()
        self._desks: list | None = None
        """The scenario's routes booked on this service (one entry per segment on it), found on first use."""
        self._quiet_until = -math.inf
        """A service blanks for demand at most once per window: not again before this day."""
        self._late: list[float] = []
        self._readings: dict[str, list[float]] = {}
        """The service's last readings of each canal's expected wait (days), one per passage decision."""
        self._behind = 0
        """Claims in a row that found the vessel too late for the next free sailing."""
        self.bookings_from = fleet.sim.env.now
        """Bookings are made from the start of the warm-up ..."""
        self.bookings_until = fleet.sim.model.horizon_days
        """... to the horizon."""
        self.others_teu = svc.vessel.teu - svc.cargo_slots_teu
        """Other shippers' TEU on every sailing (see :func:`~routesim.engines.des.services.build_services`)."""
        self.expected_teu = svc.expected_cargo_teu
        """The scenario's TEU a sailing on average (its routes' mean weekly demand over a headway)."""
        last = len(svc.calls) - 1
        self.back_days = (sailing_days(fleet._sail_nm[last], svc.vessel.design_speed_kn, fleet._weather_mean)
                          + fleet._canal_expected[last])
        """Fastest last passage back to the start port: design speed, pro-forma canal days."""

    # ------------------------------------------------------------ sailings: blanks and added ships
    def _take(self) -> int:
        while self.next in self._reserved:
            self._reserved.discard(self.next)
            self.next += 1
        k = self.next
        self.next += 1
        return k

    def claim(self, vessel, fixed: int) -> int:
        """The sailing ``vessel``, leaving the last call of its round voyage now, takes next: blank what it
        cannot make (adding ships when the loop is short of one) or what demand does not fill.

        ``fixed`` is the sailing the vessel makes when sailings are fixed to vessels: so they stay
        until the service first meets trouble, so that a service that never does sails exactly as
        without responses; from then on a vessel takes the next sailing no vessel holds.
        """
        f = self.fleet
        r = self.rules
        now = f.env.now
        home = f.svc.calls[0]
        eta = now + self.back_days
        booked = self._thin(now)
        if not self.pooled:
            if booked is None and not too_late(eta, f.voyage_start(fixed), f.h, r.blank_lateness_headways):
                self._held.append(fixed)
                del self._held[:-2 * f.n]
                return fixed
            self.pooled = True
            self.next = fixed
            self._reserved.update(h for h in self._held if h > fixed)  # vessels that overtook hold these
        k = self._take()
        if booked is not None:
            weeks = self._window_weeks()
            self._rec.record(now, "blank_sailing", vessel.name, home,
                             f"demand: the last {weeks} week(s) booked {booked:.0f} TEU a headway, a sailing "
                             f"{self.others_teu + booked:.0f} TEU < {r.demand_blank_share:.0%} of the normal "
                             f"{self.others_teu + self.expected_teu:.0f} TEU")
            self._quiet_until = now + weeks * 7.0
            k = self._take()
        while too_late(eta, f.voyage_start(k), f.h, r.blank_lateness_headways):
            why = (f"{vessel.name} reaches {home} {eta - f.voyage_start(k):.1f} d after sailing {k} is due "
                   f"(> {r.blank_lateness_headways:g} headway of {f.h:g} d)")
            self._behind += 1
            if self.added < self.limit and self._behind >= r.added_ship_after_blanks:
                self._add_ship(now, f"{why}; {self._behind} vessels in a row behind")
                self._behind = 0
            if not self.blank:
                return k
            self._rec.record(now, "blank_sailing", vessel.name, home, why)
            k = self._take()
        else:
            self._behind = 0
        return k

    def _window_weeks(self) -> int:
        """Whole weeks of bookings the carrier looks back over: ``demand_window_sailings`` headways."""
        return max(1, round(self.rules.demand_window_sailings * self.fleet.h / 7.0))

    def _thin(self, now: float) -> float | None:
        """TEU a headway the service's routes booked over the last window, when that is too thin to sail
        (:func:`demand_dropped`); None otherwise, or before a whole window of bookings, or after the horizon."""
        if not self.blank or self.expected_teu <= 0 or now < self._quiet_until or now > self.bookings_until:
            return None
        f = self.fleet
        if self._desks is None:
            self._desks = [rd for rd in f.sim.desk.routes for ref in rd.refs if ref.service == f.key]
        weeks = self._window_weeks()
        start = now - 7.0 * weeks
        if start < self.bookings_from:
            return None
        booked = sum(rd.booked_teu(start, now) for rd in self._desks) / (7.0 * weeks) * f.h
        return booked if demand_dropped(booked, self.others_teu, self.expected_teu, self.rules.demand_blank_share) else None

    def _add_ship(self, now: float, why: str) -> None:
        f = self.fleet
        t = now + self.rules.added_ship_lead_days
        k = max(self.next, math.ceil((t - f.phase) / f.h - 1e-12))
        while k in self._reserved:
            k += 1
        self._reserved.add(k)
        self.added += 1
        v = f._new_vessel()
        self._rec.record(now, "added_ship", v.name, f.svc.calls[0],
                         f"{why}: ship {self.added} of at most {self.limit} added, first sailing {k} "
                         f"due day {f.voyage_start(k):.1f}")
        f.env.process(f._vessel(v, k, f._last))

    # ------------------------------------------------------------ the schedule
    def departed(self, vessel, lateness: float) -> None:
        """A sailing left the start port now, ``lateness`` days after its schedule: re-base when it is
        one of a run of late ones."""
        r = self.rules
        if not self.rebase:
            return
        late = self._late
        late.append(lateness)
        del late[:-r.rebase_after_sailings]
        shift = rebase_shift(late, r.rebase_after_sailings, r.rebase_lateness_days)
        if shift > 0:
            f = self.fleet
            f.phase += shift
            late.clear()
            self._rec.record(f.env.now, "rebase", vessel.name, f.svc.calls[0],
                             f"the last {r.rebase_after_sailings} departures were all over "
                             f"{r.rebase_lateness_days:g} d late: every later sailing re-timed {shift:.1f} d later")

    # ------------------------------------------------------------ passages and calls
    def rerouted(self, vessel, i: int) -> bool:
        """Whether ``vessel``, leaving call ``i`` now, goes the way round the canal of passage ``i``."""
        svc = self.fleet.svc
        if svc.way_round[i] is None:
            return False
        f = self.fleet
        sim = f.sim
        name = next(p.chokepoints[0] for p in svc.passages[i] if p.kind == "canal")
        allowed = float(sim.plan.chokepoints[name].wait_days.mean)
        now = f.env.now
        seen = self._readings.setdefault(name, [])
        seen.append(expected_canal_wait(sim.canals[name], sim.booked[name], svc.vessel.teu, now, allowed))
        del seen[:-self.rules.reroute_readings]
        wait = sum(seen) / len(seen)
        detour = svc.way_round_days[i] - svc.passage_days[i]
        if not reroute_pays(wait, allowed, detour, self.rules.reroute_margin_days):
            return False
        self._rec.record(now, "reroute", vessel.name, name,
                         f"{svc.passages[i][0].lane}: expected wait {wait:.1f} d (mean of the last {len(seen)} "
                         f"readings) > pro-forma {allowed:.1f} d "
                         f"+ way round {max(detour, 0.0):.1f} d + margin {self.rules.reroute_margin_days:g} d")
        return True

    def omits(self, vessel, i: int) -> bool:
        """Whether ``vessel``, arriving at call ``i`` now, omits it."""
        if not self.omit or i == 0:
            return False
        f = self.fleet
        pp = f._params[i]
        now = f.env.now
        given = float(pp.berth_wait_days.mean) if pp.wait_given else None
        delay = expected_port_delay(f.ports[i], pp.reference_service_days, given, now)
        allowed = float(pp.scheduled_wait_days)
        if not omit_pays(delay, allowed, f.h, self.rules.omit_delay_headways):
            return False
        teu = float(sum(x.slots for x in vessel.aboard.get(i, ())))
        self._rec.record(now, "omitted_call", vessel.name, f.svc.calls[i],
                         f"expected delay before a berth {delay:.1f} d > pro-forma {allowed:.1f} d + "
                         f"{self.rules.omit_delay_headways:g} headway: cargo for the port off at the next call", teu)
        return True


def count_responses(raw: list[dict]) -> dict[str, int]:
    """``engine_stats.responses``: every service's responses summed over the replications.

    >>> count_responses([{"responses": {"a": {"reroute": 2}}}, {"responses": {"a": {"reroute": 1}}}])["reroute"]
    3
    """
    out = {k: 0 for k in RESPONSE_KINDS}
    for r in raw:
        for counts in r.get("responses", {}).values():
            for k, n in counts.items():
                out[k] += int(n)
    return out
