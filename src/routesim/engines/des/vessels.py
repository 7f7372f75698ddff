"""Vessels sailing a service's rotation on its schedule.

A :class:`Fleet` runs one service in one replication. Its sailings leave
the start port on a fixed headway from a phase drawn uniformly over the
headway (the relative timing of different services is not known, as the
Monte Carlo engine assumes); sailing ``k`` is scheduled to reach the start
port at ``phase + k x headway`` and every other call at the pro-forma
offsets of :class:`~routesim.engines.des.services.ServiceModel`.

Each of the service's vessels (:attr:`~routesim.engines.des.services.ServiceModel.vessels`)
takes every ``n``-th sailing. A round voyage goes like this:

* **late-arrival noise**: the voyage reaches its start port no earlier than
  its scheduled arrival plus a draw of ``operations.lateness_days`` (the
  published schedule unreliability, 50-55 % on time in 2024), the delay of a
  sailing before it reaches the load port;
* at every call it waits at the anchorage for a berth, works its moves
  (gamma around the class's moves per call, ``handling_cv``) at the port's
  crane rate plus the fixed call hours, discharges and loads cargo, and
  leaves when done (or when a closure ends);
* at sea every stretch takes distance / speed x a weather factor, plus any
  weather or closure window at a strait it passes; canals are queued for
  (:class:`~routesim.engines.des.canal.Canal`);
* **schedule recovery**: on the last passage, back to the start port, a
  vessel behind the schedule of its next sailing speeds up, at most to the
  class's design speed, to arrive when that sailing is due (plus its own
  lateness draw); one that is ahead waits. Whatever cannot be recovered
  carries over: a late vessel makes its next sailing late.

Carriers respond to trouble (:mod:`routesim.engines.des.responses`, switched in
``des.responses``): a vessel that cannot make its next sailing within a headway
has it blanked and takes the next free one, ships are added to a service that
falls behind, its schedule is re-based after a run of late departures,
passages go the way round a canal whose wait exceeds the detour, and closed or
congested calls are omitted.

With ``independent_sailings`` every sailing gets a vessel of its own that
appears at the start port on time plus its lateness draw and leaves the
service after delivering its cargo: sailings then never inherit each other's
delays (the Monte Carlo engine's view, used to check the two engines agree).
"""

from __future__ import annotations

import math

import numpy as np

from ...disruptions import closed_until, weather_extra
from ...plan.responses import response_params
from ...plan.schedule import sailing_days, scheduled_canal_days, speed_for
from .draws import Draws
from .log import KINDS
from .responses import Responder

__all__ = ["Vessel", "Fleet"]

_ARRIVE, _BERTH, _DEPART, _DISCHARGE, _ROLL, _CQUEUE, _CENTER, _CEXIT, _DELAY = (
    KINDS.index(k) for k in ("arrive", "berth", "depart", "discharge", "roll", "canal_queue", "canal_enter",
                             "canal_exit", "delay"))


class Vessel:
    """One ship: what it carries and the clock of its voyage so far."""

    __slots__ = ("name", "code", "cum", "aboard", "aboard_teu", "discharging")

    def __init__(self, name: str, code: int):
        self.name = name
        self.code = code
        """Integer code in the event log."""
        self.cum = [0.0, 0.0, 0.0]
        """Days spent so far at sea, at calls and in canals (boxes take differences)."""
        self.aboard: dict[int, list] = {}
        """Scenario boxes aboard, by the call index where they come off."""
        self.aboard_teu = 0.0
        self.discharging: list = []
        """Boxes for the current call, off the sea stretch but not yet off the ship."""


class Fleet:
    """The vessels of one service in one replication.

    Parameters
    ----------
    sim : Replication
        Gives ``env``, ``ports``, ``canals``, ``desk`` (cargo), ``log`` and ``plan``.
    svc : ServiceModel
    rng : numpy.random.Generator
        The service's own stream; it is split into independent children for the
        phase, the lateness draws, the weather factors, the moves per call and
        weather windows at straits, so that one kind of draw never shifts another.
    independent : bool
        One vessel per sailing (see the module docs).
    """

    def __init__(self, sim, svc, rng: np.random.Generator, *, independent: bool = False):
        self.sim = sim
        self.env = sim.env
        self.svc = svc
        self.key = svc.key
        self.independent = independent
        ops = sim.plan.operations
        phase_rng, late_rng, weather_rng, moves_rng, strait_rng = rng.spawn(5)
        self.h = svc.headway_days
        self.phase = float(phase_rng.random()) * self.h
        self.n = svc.vessels
        self.cycle = self.n * self.h
        self._late = Draws(ops.lateness_days, late_rng)
        self._weather = Draws(ops.weather_factor, weather_rng)
        self._weather_mean = ops.weather_factor.mean
        cv = ops.handling_cv
        moves = svc.vessel.moves_per_call
        self._rng = moves_rng
        self._shape = 1.0 / cv ** 2 if cv > 0 else None
        self._moves = moves
        self._moves_buf: list[float] = []
        self.ports = [sim.ports[c] for c in svc.calls]
        self._params = [sim.port_params(c) for c in svc.calls]
        self._laytime = svc.laytime_days or (0.0,) * len(svc.calls)  # a tramp parcel's loading and discharge
        self._canal_expected, self._sail_nm = _expected(sim.plan, svc.passages)
        self._round_canal, self._round_nm = _expected(sim.plan, svc.way_round)
        self._strait_windows = {c: sim.plan.windows_at(c) for pieces in (*svc.passages, *svc.way_round) if pieces
                                for p in pieces if p.kind == "sail" for c in p.chokepoints}
        self._strait_windows = {c: w for c, w in self._strait_windows.items() if w}
        self._wx_rng = strait_rng
        log = sim.log
        self._log = log
        self._call_codes = [log.code(c) for c in svc.calls] if log is not None else []
        self._lane_codes = [log.code(p[0].lane) if p else -1 for p in svc.passages] if log is not None else []
        self._vessel_count = 0
        self.fleet: list[Vessel] = []
        """Every vessel this service has put to sea in the replication."""
        self.sailings = 0
        """Sailings that left the start port in the study period."""
        self.departure_lateness: list[float] = []
        """Actual minus scheduled departure from the start port (days), study period."""
        self.recovery_knots: list[float] = []
        self._last = math.inf
        self.responses = Responder(self, sim.plan.options.responses or response_params(None), log, independent)
        """The carrier's responses to trouble (:mod:`~routesim.engines.des.responses`)."""

    # ------------------------------------------------------------ the schedule
    def voyage_start(self, k: int) -> float:
        """Scheduled arrival of sailing ``k`` at the start port (study day)."""
        return self.phase + k * self.h

    def scheduled_arrival(self, k: int, call: int, wraps: bool = False) -> float:
        """Scheduled arrival of sailing ``k`` at ``call`` (in the next round voyage when ``wraps``)."""
        return self.phase + k * self.h + self.svc.arrival_offset[call] + (self.cycle if wraps else 0.0)

    def scheduled_departure(self, k: int, call: int) -> float:
        return self.phase + k * self.h + self.svc.departure_offset[call]

    def first_departure(self, t: float, call: int) -> int:
        """Index of the first sailing scheduled to leave ``call`` at or after ``t``."""
        return math.ceil((t - self.phase - self.svc.departure_offset[call]) / self.h - 1e-12)

    # ------------------------------------------------------------ processes
    def start(self, t0: float, sailings: int | None = None) -> None:
        """Start the service's vessels at ``t0`` (the start of the warm-up).

        With ``sailings``, only that many sailings are made (the vessels then
        stop, so a run without other traffic ends by itself); by default the
        schedule runs for as long as the simulation does.
        """
        k0 = math.ceil((t0 - self.phase) / self.h)
        last = self._last = math.inf if sailings is None else k0 + sailings
        self.responses.next = k0 + self.n
        if self.independent:
            self.env.process(self._spawn(k0, last))
        else:
            for v in range(self.n):
                self.env.process(self._vessel(self._new_vessel(), k0 + v, last))

    def _new_vessel(self) -> Vessel:
        name = f"{self.svc.name}#{self._vessel_count}"
        self._vessel_count += 1
        v = Vessel(name, self._log.code(name) if self._log is not None else -1)
        self.fleet.append(v)
        return v

    def _spawn(self, k, last):
        env = self.env
        while k < last:
            t = self.voyage_start(k)
            if t > env.now:
                yield env.timeout(t - env.now)
            env.process(self._single(self._new_vessel(), k))
            k += 1

    def _single(self, v: Vessel, k: int):
        env = self.env
        late = self._late()
        if late > 0:
            if self._log is not None:
                self._log.record_coded(env.now, v.code, self._call_codes[0], _DELAY, 0.0)
            yield env.timeout(late)
        m = len(self.svc.calls)
        for i in range(m):
            yield from self._call(v, k, i, load=True)
            yield from self._passage(v, i, None)
        yield from self._deliver_rest(v, k)

    def _deliver_rest(self, v: Vessel, k: int):
        """Back at the start port after the vessel's last sailing: call on, loading nothing, until empty."""
        i = 0
        m = len(self.svc.calls)
        while True:
            yield from self._call(v, k, i, load=False)
            if not v.aboard:
                return
            yield from self._passage(v, i, None)
            i = (i + 1) % m

    def _vessel(self, v: Vessel, k: int, last):
        env = self.env
        if k >= last:
            return
        t = self.voyage_start(k) + self._late()
        if t > env.now:
            if self._log is not None:
                self._log.record_coded(env.now, v.code, self._call_codes[0], _DELAY, 0.0)
            yield env.timeout(t - env.now)
        m = len(self.svc.calls)
        resp = self.responses
        while True:
            for i in range(m - 1):
                if resp.omit and resp.omits(v, i):
                    self._omit(v, i)
                else:
                    yield from self._call(v, k, i, load=True)
                yield from self._passage(v, i, None)
            if resp.omit and resp.omits(v, m - 1):
                self._omit(v, m - 1)
            else:
                yield from self._call(v, k, m - 1, load=True)
            if resp.dynamic:
                k = resp.claim(v, k + self.n)
            else:
                k += self.n
            if k >= last:
                yield from self._passage(v, m - 1, None)
                yield from self._deliver_rest(v, k - self.n)
                return
            yield from self._passage(v, m - 1, self.voyage_start(k) + self._late())

    # ------------------------------------------------------------ one call
    def _omit(self, v: Vessel, i: int) -> None:
        """``v`` sails past call ``i``: the boxes for it come off at the next call and go back by sea
        (the passage between the two at the service's speed; a second omission adds its passage)."""
        lots = v.aboard.pop(i, None)
        if not lots:
            return
        back = sailing_days(self._sail_nm[i], self.svc.speed_kn, self._weather_mean) + self._canal_expected[i]
        for lot in lots:
            lot.feeder += back
        v.aboard.setdefault((i + 1) % len(self.svc.calls), []).extend(lots)

    def _relay_off(self, boxes, arrived: float) -> None:
        """Of the ``boxes`` discharged here, send those for an omitted call back to it."""
        relay = [b for b in boxes if b.feeder]
        self.sim.desk.relay(relay, arrived, self.env.now)
        groups: dict[tuple, list] = {}
        for b in relay:
            groups.setdefault((b.feeder, b.route.refs[b.seg].discharge), []).append(b)
        for (back, call), lots in groups.items():
            self.env.process(self._relay(lots, back, self.ports[call]))

    def _relay(self, lots, back: float, port):
        """Relayed ``lots`` going back ``back`` days by sea to ``port`` (their call, omitted), off when it is open."""
        env = self.env
        yield env.timeout(back)
        if port.closures:
            until = port.closed_until(env.now)
            if until > env.now:
                yield env.timeout(until - env.now)
        self.sim.desk.relayed(lots, env.now)

    def _handling(self, i: int) -> float:
        if self._shape is None:
            moves = self._moves
        else:
            buf = self._moves_buf
            if not buf:
                buf.extend((self._rng.standard_gamma(self._shape, 256) * (self._moves / self._shape)).tolist())
            moves = buf.pop()
        return self._params[i].handling_days(moves) + self._laytime[i]

    def _call(self, v: Vessel, k: int, i: int, load: bool):
        env = self.env
        sim = self.sim
        desk = sim.desk
        log = self._log
        port = self.ports[i]
        place = self._call_codes[i] if log is not None else -1
        arrived = env.now
        if log is not None:
            log.record_coded(arrived, v.code, place, _ARRIVE, 0.0)
        boxes = v.discharging = desk.arrived(v, i, arrived)
        req, _waited = yield from port.moor()
        if log is not None:
            log.record_coded(env.now, v.code, place, _BERTH, 0.0)
        teu = 0.0
        if boxes:
            teu = sum(b.slots for b in boxes)
            boxes = v.discharging = desk.berthed(boxes, env.now)
        yield env.timeout(self._handling(i))
        if boxes:
            v.discharging = []
            if any(b.feeder for b in boxes):
                self._relay_off(boxes, arrived)
                boxes = [b for b in boxes if not b.feeder]
            desk.handled(boxes, env.now)
        if teu:
            port.discharged_teu += teu
            if log is not None:
                log.record_coded(env.now, v.code, place, _DISCHARGE, teu)
        if port.closures:
            until = port.closed_until(env.now)
            if until > env.now:
                if log is not None:
                    log.record_coded(env.now, v.code, place, _DELAY, 0.0)
                yield env.timeout(until - env.now)
        v.cum[1] += env.now - arrived  # before loading: boxes loaded here do not count this call
        loaded = rolled = 0.0
        if load:
            loaded, rolled = desk.load(v, self, k, i, env.now)
            port.loaded_teu += loaded
            if rolled:
                port.rolled_teu += rolled
                if log is not None:
                    log.record_coded(env.now, v.code, place, _ROLL, rolled)
            if i == 0:
                late = env.now - self.scheduled_departure(k, 0)
                if env.now >= 0.0:
                    self.sailings += 1
                    self.departure_lateness.append(late)
                self.responses.departed(v, late)
        port.unmoor(req)
        if log is not None:
            log.record_coded(env.now, v.code, place, _DEPART, loaded)

    # ------------------------------------------------------------ one passage
    def _passage(self, v: Vessel, i: int, target: float | None):
        """Sail from call ``i`` to the next; with ``target``, aim to arrive then (schedule recovery)."""
        env = self.env
        svc = self.svc
        speed = svc.speed_kn
        pieces, nm, canal_days = svc.passages[i], self._sail_nm[i], self._canal_expected[i]
        if self.responses.reroute and self.responses.rerouted(v, i):
            pieces, nm, canal_days = svc.way_round[i], self._round_nm[i], self._round_canal[i]
        if target is not None and nm > 0:
            available = target - env.now - canal_days
            needed = sailing_days(nm, speed, self._weather_mean)
            if available < needed:
                fast = speed_for(nm, available, self._weather_mean) if available > 0 else math.inf
                speed = min(svc.vessel.design_speed_kn, fast)
                if env.now >= 0.0:
                    self.recovery_knots.append(speed - svc.speed_kn)
        log = self._log
        for piece in pieces:
            if piece.kind == "sail":
                t = env.now
                d = sailing_days(piece.distance_nm, speed, self._weather())
                if self._strait_windows:
                    d += self._strait_delay(piece, t)
                yield env.timeout(d)
                v.cum[0] += d
            else:
                name = piece.chokepoints[0]
                canal = self.sim.canals[name]
                t = env.now
                entered = None
                if log is not None:
                    code = log.code(name)
                    log.record_coded(t, v.code, code, _CQUEUE, 0.0)
                    entered = lambda now, c=code: log.record_coded(now, v.code, c, _CENTER, 0.0)  # noqa: E731
                yield from canal.transit(self.sim.booked[name], entered, teu=svc.vessel.teu)
                if log is not None:
                    log.record_coded(env.now, v.code, code, _CEXIT, 0.0)
                v.cum[2] += env.now - t
        if target is not None and env.now < target:
            hold = target - env.now
            if log is not None:
                log.record_coded(env.now, v.code, self._lane_codes[i], _DELAY, 0.0)
            yield env.timeout(hold)
            v.cum[0] += hold

    def _strait_delay(self, piece, t: float) -> float:
        extra = 0.0
        for c in piece.chokepoints:
            wins = self._strait_windows.get(c)
            if wins:
                extra += closed_until(wins, t) - t
                extra += weather_extra(wins, t, self._wx_rng)
        return extra

    # ------------------------------------------------------------ statistics
    def stats(self) -> dict:
        late = np.asarray(self.departure_lateness)
        svc = self.svc
        return {
            "vessels": svc.vessels + self.responses.added if not self.independent else self._vessel_count,
            "vessel_teu": svc.vessel.teu,
            "headway_days": svc.headway_days,
            "round_voyage_days": svc.round_voyage_days,
            "lateness_allowance_days": svc.lateness_allowance_days,
            "schedule_buffer_days": svc.buffer_days,
            "cargo_slots_teu": svc.cargo_slots_teu,
            "calls": list(svc.calls),
            "sailings": self.sailings,
            "departure_lateness_mean_days": float(late.mean()) if late.size else 0.0,
            "departure_lateness_p95_days": float(np.quantile(late, 0.95)) if late.size else 0.0,
            "recovery_passages": len(self.recovery_knots),
        }


def _expected(plan, passages) -> tuple[list[float], list[float]]:
    """Pro-forma canal days and sailing miles of each passage (0 for a missing one)."""
    canal = [sum(scheduled_canal_days(plan.chokepoints[p.chokepoints[0]]) for p in pieces if p.kind == "canal")
             if pieces else 0.0 for pieces in passages]
    nm = [sum(p.distance_nm for p in pieces if p.kind == "sail") if pieces else 0.0 for pieces in passages]
    return canal, nm
