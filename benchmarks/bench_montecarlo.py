#!/usr/bin/env python
"""Benchmark of the Monte Carlo engine on scenarios/chancay_vs_callao.yaml (4 routes).

Everything is measured side by side in one run and printed as ratios:

* **engine**: shipments per second of ``run_montecarlo`` (keep_shipments=False), counted as the
  *total across the 4 routes* (replications = N / 4), plan compilation excluded;
* **RNG floor**: the same random draws the engine makes (counted by instrumenting one full block
  of every route with a counting ``numpy.random.Generator``: same kinds, same gamma shapes, same
  block-sized calls) drawn with one Generator on one thread into preallocated buffers. No sampler
  of this model can beat it;
* **Python loop**: a faithful per-shipment Python implementation of the same model (``random``
  module scalars, every leg, connection rule and cost component) on a subsample, extrapolated;
  its means are checked against the engine's so that it is the same model;
* **SimPy**: the same per-shipment model as one SimPy process per shipment, ``env.timeout`` per
  leg, on a subsample;
* **memory**: peak RSS (``ru_maxrss``) of a fresh process running N shipments with
  keep_shipments=False, for growing N.

Usage::

    python benchmarks/bench_montecarlo.py            # 1e5, 1e6, 1e7 shipments; memory 1e6 and 1e7
    python benchmarks/bench_montecarlo.py --quick    # 1e5, 1e6; memory 1e5 and 1e6 (about a minute)
    python benchmarks/bench_montecarlo.py --full     # adds 1e8 shipments to the memory check (minutes)
    python benchmarks/bench_montecarlo.py --profile  # where the engine's time goes (cProfile)
    python benchmarks/bench_montecarlo.py --identical-to d82797c  # same numbers as that commit, bit for bit?

Targets: engine / RNG floor >= 0.55 single-thread (issue 16; 0.5 before it); engine / SimPy-per-shipment >= 100x; peak RSS flat
from 1e7 to 1e8 shipments. Timings are wall-clock medians of repeated runs where a run is short.
"""

from __future__ import annotations

import argparse
import importlib
import cProfile
import datetime
import io
import json
import math
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from _common import commit, reset_peak_rss as _reset_peak_rss, status_kib as _status_kib  # noqa: E402 (a sibling script module)

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "chancay_vs_callao.yaml"

import routesim  # noqa: E402
from routesim import costs as cm  # noqa: E402
from routesim.distributions import (  # noqa: E402
    Constant,
    Empirical,
    Exponential,
    Gamma,
    Late,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
)
from routesim.engines.montecarlo import (  # noqa: E402
    BLOCK_SIZE,
    block_rng,
    run_montecarlo,
    simulate_route_block,
)
from routesim.carrier import CARRIER_COMPONENTS  # noqa: E402
from routesim.outcomes import REEFER_BOX_TEU  # noqa: E402
from routesim.plan import KINDS, TRANSIT_KINDS, compile_plan  # noqa: E402


# the kernel's source as imported (for the line report, even if the files are edited during a run)
_KERNEL_SOURCE = {m.__file__: Path(m.__file__).read_text().splitlines()
                  for m in (importlib.import_module("routesim.engines.montecarlo.kernel"),
                            importlib.import_module("routesim.engines.montecarlo.waits"),
                            importlib.import_module("routesim.outcomes"))}


# ======================================================================== machine
def machine_facts() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "simpy": _version("simpy"),
        "routesim": routesim.__version__,
        "platform": platform.platform(),
    }


def _version(mod: str) -> str:
    try:
        return __import__(mod).__version__
    except Exception:  # pragma: no cover
        return "missing"


# ======================================================================== draw accounting
class CountingGenerator(np.random.Generator):
    """A Generator that records every draw call: (method, gamma shape or None, count)."""

    def __init__(self, bit_generator):
        super().__init__(bit_generator)
        self.calls: list[tuple[str, float | None, int]] = []

    @staticmethod
    def _count(size, out) -> int:
        if out is not None:
            return int(out.size)
        if size is None:
            return 1
        return int(np.prod(size))

    def random(self, size=None, dtype=np.float64, out=None):
        self.calls.append(("random", None, self._count(size, out)))
        return super().random(size, dtype, out)

    def standard_gamma(self, shape, size=None, dtype=np.float64, out=None):
        self.calls.append(("standard_gamma", float(shape), self._count(size, out)))
        return super().standard_gamma(shape, size, dtype, out)

    def standard_exponential(self, size=None, dtype=np.float64, method="zig", out=None):
        self.calls.append(("standard_exponential", None, self._count(size, out)))
        return super().standard_exponential(size, dtype, method, out)

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        self.calls.append(("standard_normal", None, self._count(size, out)))
        return super().standard_normal(size, dtype, out)

    def triangular(self, left, mode, right, size=None):
        # one uniform per draw (numpy's inverse CDF): the floor counts the uniform, the transform is work
        self.calls.append(("random", None, self._count(size, None)))
        return super().triangular(left, mode, right, size)

    def __getattribute__(self, name):  # refuse silently uncounted draws
        if name in ("integers", "choice", "normal", "uniform", "gamma", "exponential", "lognormal",
                    "binomial", "poisson", "beta", "shuffle", "permutation", "bytes"):
            raise AssertionError(f"benchmark draw accounting does not count Generator.{name}")
        return super().__getattribute__(name)


def record_block_draws(plan) -> dict[str, list[tuple[str, float | None, int]]]:
    """The draw calls of one full block of every route (they do not depend on the block)."""
    out = {}
    for name, rp in plan.routes.items():
        ref = block_rng(plan.seed, name, 0)
        g = CountingGenerator(np.random.PCG64(ref.bit_generator.seed_seq))
        simulate_route_block(plan, rp, g, BLOCK_SIZE)
        out[name] = g.calls
    return out


def draws_per_shipment(calls) -> dict[str, float]:
    tally: dict[str, float] = {}
    for method, shape, n in calls:
        key = method if shape is None else f"{method}(shape={shape:g})"
        tally[key] = tally.get(key, 0.0) + n / BLOCK_SIZE
    return tally


def rng_floor_seconds(calls_by_route, n_total: int, seed: int = 12345) -> float:
    """Time to make the engine's draws for ``n_total`` shipments with one Generator on one thread."""
    g = np.random.Generator(np.random.PCG64(seed))
    buf = np.empty(BLOCK_SIZE)
    plans = []
    per_route = n_total // len(calls_by_route)
    for calls in calls_by_route.values():
        blocks = per_route / BLOCK_SIZE
        plans.append((calls, int(math.floor(blocks)), per_route - int(math.floor(blocks)) * BLOCK_SIZE))
    t0 = time.perf_counter()
    for calls, full, rest in plans:
        for _ in range(full):
            for method, shape, n in calls:
                view = buf[:n]
                if method == "random":
                    g.random(out=view)
                elif method == "standard_gamma":
                    g.standard_gamma(shape, out=view)
                elif method == "standard_exponential":
                    g.standard_exponential(out=view)
                else:
                    g.standard_normal(out=view)
        if rest:
            for method, shape, n in calls:
                view = buf[: max(1, n * rest // BLOCK_SIZE)]
                if method == "random":
                    g.random(out=view)
                elif method == "standard_gamma":
                    g.standard_gamma(shape, out=view)
                elif method == "standard_exponential":
                    g.standard_exponential(out=view)
                else:
                    g.standard_normal(out=view)
    return time.perf_counter() - t0


# ======================================================================== per-shipment reference model
def draw(d, r: random.Random) -> float:
    """One scalar draw of a routesim distribution with Python's ``random``."""
    if isinstance(d, Constant):
        return d.value
    if isinstance(d, Gamma):
        return r.gammavariate(d.shape, d.scale)
    if isinstance(d, Exponential):
        return r.expovariate(1.0 / d.mean)
    if isinstance(d, Late):
        return draw(d.delay, r) if r.random() < d.p else 0.0
    if isinstance(d, Uniform):
        return r.uniform(d.low, d.high)
    if isinstance(d, Normal):
        return r.gauss(d.mean, d.sd)
    if isinstance(d, LogNormal):
        return r.lognormvariate(d.mu, d.sigma)
    if isinstance(d, Triangular):
        return r.triangular(d.low, d.high, d.mode)
    if isinstance(d, Empirical):
        return r.choices(d.values, weights=d.weights)[0]
    raise NotImplementedError(type(d).__name__)


def _argmin(xs) -> int:
    best = 0
    for i in range(1, len(xs)):
        if xs[i] < xs[best]:
            best = i
    return best


def _call_deviation(port, moves: float, shape, r: random.Random) -> float:
    """A vessel's call beyond its pro-forma (days): as ``kernel._call_deviation``."""
    dev = draw(port.berth_wait_days, r) - port.scheduled_wait_days
    if shape is not None:
        m = r.gammavariate(shape, moves / shape)
        dev += (m - moves) / (port.cranes_per_call * port.crane_moves_per_hour) / 24.0
    return dev


def shipment_legs(plan, rp, r: random.Random):
    """One shipment of the engine's model, leg by leg.

    A generator: it yields ``(kind, days)`` for every stretch of time in order
    (the Python loop adds them up, SimPy turns each into ``env.timeout``) and
    returns the shipment's outcome. Mirrors ``montecarlo.simulate_route_block``
    for plans without disruption windows (chancay_vs_callao has none).
    """
    if plan.windows:
        raise NotImplementedError("the reference model covers plans without disruptions")
    ops, cp = plan.operations, plan.costs
    days = dict.fromkeys(KINDS, 0.0)
    ready = r.random() * plan.horizon_days
    yield "ready", ready
    t = ready
    if rp.overland_days is not None:
        d = draw(rp.overland_days, r)
        days["overland"] += d
        t += d
        yield "overland", d
    origin = plan.ports[rp.origin]
    d = draw(origin.export_cutoff_days, r)
    days["origin_dwell"] += d
    t += d
    yield "origin_dwell", d
    # first sailing: previous, next and following scheduled departures, each possibly late
    shape = 1.0 / ops.handling_cv**2 if ops.handling_cv > 0 else None
    h0 = rp.segments[0].headway_days
    moves0 = rp.segments[0].vessel.moves_per_call
    u = r.random() * h0
    lat = [draw(ops.lateness_days, r) + _call_deviation(origin, moves0, shape, r) for _ in range(3)]
    cand = [u - h0 + lat[0], u + lat[1], u + h0 + lat[2]]
    cand = [c if c >= 0 else math.inf for c in cand]
    j = _argmin(cand)
    wait, dep_late = cand[j], lat[j]
    if math.isinf(wait):
        wait = u + 2 * h0 + max(lat[2], 0.0)
    days["first_sailing"] += wait
    t += wait
    yield "first_sailing", wait

    nseg = len(rp.segments)
    sea = [0.0] * nseg
    stop = [0.0] * nseg
    for s, seg in enumerate(rp.segments):
        start = t
        for i in rp.segment_legs(s):
            leg = rp.legs[i]
            if leg.kind == "sail":
                d = draw(ops.weather_factor, r) * (leg.distance_nm / (leg.speed_kn * 24.0))
                sea[s] += d
            elif leg.kind == "port_call":
                p = plan.ports[leg.place]
                w = draw(p.berth_wait_days, r)
                moves = seg.vessel.moves_per_call if shape is None else r.gammavariate(
                    shape, seg.vessel.moves_per_call / shape)
                d = w + (moves / (p.cranes_per_call * p.crane_moves_per_hour) + p.call_fixed_hours) / 24.0
                stop[s] += d
            else:
                c = plan.chokepoints[leg.place]
                d = draw(c.wait_days, r) + c.transit_hours / 24.0
                stop[s] += d
            days[leg.kind] += d
            t += d
            yield leg.kind, d
        if s + 1 < nseg:
            nxt = rp.segments[s + 1]
            hub = plan.ports[seg.calls[-1]]
            late_in = dep_late + (t - start) - seg.scheduled_days
            sched_arr = t - late_in
            ready_box = t + draw(hub.berth_wait_days, r) + ops.min_connection_days
            h = nxt.headway_days
            planned = sched_arr + ops.min_connection_days + r.random() * h
            lat = [draw(ops.lateness_days, r) + _call_deviation(hub, nxt.vessel.moves_per_call, shape, r)
                   for _ in range(4)]
            cand = [planned + k * h + lat[k] for k in range(4)]
            cand = [c if c >= ready_box else math.inf for c in cand]
            j = _argmin(cand)
            if math.isinf(cand[j]):
                dep, dep_late = ready_box + r.random() * h, 0.0
            else:
                dep, dep_late = cand[j], lat[j]
            dwell = dep - t
            days["transshipment"] += dwell
            t = dep
            yield "transshipment", dwell
    dest = plan.ports[rp.destination]
    last = rp.segments[-1]
    w = draw(dest.berth_wait_days, r)
    moves = last.vessel.moves_per_call if shape is None else r.gammavariate(shape, last.vessel.moves_per_call / shape)
    d = (w + (moves / (dest.cranes_per_call * dest.crane_moves_per_hour) + dest.call_fixed_hours) / 24.0
         + draw(dest.import_dwell_days, r))
    days["destination_dwell"] += d
    yield "destination_dwell", d

    transit = sum(days[k] for k in TRANSIT_KINDS)
    door = transit + days["origin_dwell"] + days["first_sailing"] + days["destination_dwell"]
    cargo = rp.cargo
    bunker = draw(cp.bunker_usd_per_t, r)
    car = dict.fromkeys(CARRIER_COMPONENTS, 0.0)
    per_box = float(cp.teu_per_box)
    fuel_box = 0.0
    for s, seg in enumerate(rp.segments):
        v, voy = seg.vessel, seg.voyage
        occ = sum(d * (f + e) for d, f, e in zip(voy.days, voy.full_teu, voy.empty_teu))
        aboard = sea[s] + stop[s] + seg.discharge_call_days
        charter = draw(v.charter_usd_per_day, r)
        if cp.port_call_usd is not None:
            port = draw(cp.port_call_usd, r) * voy.calls
        else:
            dues, pilot = draw(cp.port_dues_usd_per_gt, r), draw(cp.pilotage_usd_per_gt, r)
            tow, berth = draw(cp.towage_usd_per_call, r), draw(cp.berth_usd_per_m_hour, r)
            port = voy.calls * (voy.gt * (dues + pilot) + tow) + berth * voy.loa_m * voy.hours_alongside
        canal = voy.canal_usd + sum(draw(d, r) for d in voy.canal_draws)
        rates = {"fuel": voy.fuel_t * bunker / occ, "vessel": charter * sum(voy.days) / occ,
                 "port": port / occ, "canal": canal / occ}
        for c, x in rates.items():
            car[c] += x * aboard
        fuel_box += voy.fuel_t / occ * aboard
        if seg.direction == voy.heavy_direction and voy.heavy_full_teu > 0:
            per_empty = draw(cp.empty_move_usd, r) + draw(cp.empty_depot_usd_per_box, r) / 2.0
            empty_days = sum(d * e for d, e in zip(voy.days, voy.empty_teu))
            lifts = 2.0 * max(voy.empty_teu) / per_box * per_empty
            car["repositioning"] += (sum(rates.values()) * empty_days + lifts) / voy.heavy_full_teu
            fuel_box += voy.fuel_t / occ * empty_days / voy.heavy_full_teu
        car["stevedoring"] += 2.0 * draw(cp.stevedoring_usd_per_move, r) / per_box
        if cargo.reefer:
            power_t = (draw(cp.reefer_power_kw_per_box, r) * 24.0 * draw(cp.aux_sfoc_g_per_kwh, r) / 1e6
                       / REEFER_BOX_TEU * aboard)
            fuel_box += power_t
            car["fuel"] += power_t * bunker
    box_day = draw(cp.dry_box_usd_per_teu_day, r) + (draw(cp.reefer_usd_per_teu_day, r) if cargo.reefer else 0.0)
    car["equipment"] = door * box_day
    car["overheads"] = draw(cp.overheads_usd_per_teu, r)

    comp = dict.fromkeys(cm.COMPONENTS, 0.0)
    if cargo.reefer:
        comp["origin_charges"] = draw(cp.thc_origin_reefer_usd_per_teu, r)
        comp["destination_charges"] = draw(cp.thc_destination_reefer_usd_per_teu, r)
    else:
        comp["origin_charges"] = draw(cp.thc_origin_usd_per_teu, r)
        comp["destination_charges"] = draw(cp.thc_destination_usd_per_teu, r)
    value = draw(cargo.value_usd, r) / cargo.teu
    comp["inventory"] = value * cp.inventory_rate_per_year * door / cm.DAYS_PER_YEAR
    if cargo.reefer:
        terminal = days["origin_dwell"] + days["first_sailing"] + days["transshipment"] + days["destination_dwell"]
        comp["reefer"] = draw(cp.reefer_plug_usd_per_teu_day, r) * terminal
    spoiled = 0.0
    q = cargo.quality
    if q is not None:  # the keeping-quality model of routesim.quality, one shipment at a time
        keep = draw(q.keeping_days, r)
        pre = draw(q.precool_hours, r) / 24.0
        used = (pre * q.q10 ** ((q.field_temp_c - q.reference_temp_c) / 10)
                + (door - terminal) * q.q10 ** ((q.carry_temp_c - q.reference_temp_c) / 10)
                + terminal * q.q10 ** ((q.terminal_temp_c - q.reference_temp_c) / 10)) / keep
        sigma = math.sqrt(math.log1p(q.within_cv ** 2))
        past = 0.5 * math.erfc(-math.log(used) / sigma / math.sqrt(2.0)) if used > 0 else 0.0
        spoiled = 0.5 * math.erfc(-(math.log(used) - math.log(q.reject_factor)) / sigma / math.sqrt(2.0)) \
            if used > 0 else 0.0
        comp["spoilage"] = value * (spoiled + q.downgrade_discount * (past - spoiled))
    co2 = fuel_box * cp.co2_t_per_t_fuel
    if rp.overland_usd_per_teu is not None:
        comp["overland"] = draw(rp.overland_usd_per_teu, r)
        co2 += draw(rp.overland_co2_t_per_teu, r)
    comp["freight"] = _freight(rp.freight, r, ready, plan.horizon_days, bunker, fuel_box)
    comp["carbon"] = co2 * draw(cp.carbon_usd_per_t, r)
    comp["tariff"] = value * (cargo.tariff_rate or 0.0)
    comp["settlement"] = value * cp.settlement_fee_rate
    total = sum(comp.values())
    return {"transit_days": transit, "door_days": door, "cost_usd_per_teu": total,
            "carrier_cost_usd_per_teu": sum(car.values()), "co2_t_per_teu": co2, "spoiled": spoiled}


def _freight(fp, r: random.Random, ready: float, horizon: float, bunker: float, fuel_t: float) -> float:
    """One shipment's freight per TEU (USD), as ``routesim.freight.draw_freight`` (quote or own lanes)."""
    if fp.basis == "missing":
        return math.nan
    if fp.basis == "scenario":
        return draw(fp.own, r)
    day = math.floor(fp.start + min(max(ready / horizon, 0.0), 1.0) * (fp.end - fp.start))
    if fp.basis == "index":
        base = float(np.interp(day, fp.series_days, fp.series_usd_per_teu)) * draw(fp.factor, r)
        if fp.premium is not None:
            base += draw(fp.premium, r)
    else:
        base = math.nan
        for lo, hi, dist in fp.quotes:
            x = draw(dist, r)
            if lo <= day <= hi and math.isnan(base):
                base = x
    if fp.peak_rate is not None:
        rate = draw(fp.peak_rate, r)
        if datetime.date.fromordinal(int(day)).month in fp.peak_months:
            base *= 1.0 + rate
    ref = float(np.interp(datetime.date.fromordinal(int(day)).year, fp.ref_years, fp.ref_bunker))
    return base + (bunker - ref) * fuel_t


def python_loop(plan, per_route: int, seed: int = 1):
    """Plain Python: one shipment after the other. Returns (seconds, outcomes by route)."""
    r = random.Random(seed)
    out: dict[str, list[dict]] = {n: [] for n in plan.routes}
    t0 = time.perf_counter()
    for name, rp in plan.routes.items():
        rows = out[name]
        for _ in range(per_route):
            gen = shipment_legs(plan, rp, r)
            clock = 0.0
            while True:
                try:
                    _, d = next(gen)
                except StopIteration as stop:
                    rows.append(stop.value)
                    break
                clock += d
    return time.perf_counter() - t0, out


def simpy_per_shipment(plan, per_route: int, seed: int = 2):
    """SimPy: one process per shipment, one ``env.timeout`` per leg. Returns (seconds, outcomes)."""
    import simpy

    r = random.Random(seed)
    out: dict[str, list[dict]] = {n: [] for n in plan.routes}

    def shipment(env, gen, rows):
        while True:
            try:
                _, d = next(gen)
            except StopIteration as stop:
                rows.append(stop.value)
                return
            yield env.timeout(d)

    t0 = time.perf_counter()
    env = simpy.Environment()
    for name, rp in plan.routes.items():
        for _ in range(per_route):
            env.process(shipment(env, shipment_legs(plan, rp, r), out[name]))
    env.run()
    return time.perf_counter() - t0, out


# ======================================================================== engine timing
def engine_seconds(plan, n_total: int, threads: int, repeat: int) -> float:
    per_route = n_total // len(plan.routes)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run_montecarlo(plan, replications=per_route, seed=1, keep_shipments=False, threads=threads)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def memory_child(n_total: int, threads: int) -> None:
    """Run in a fresh process: print RSS before the run, peak RSS during it, and timing as JSON."""
    plan = compile_plan(routesim.load_scenario(SCENARIO))
    run_montecarlo(plan, replications=1, seed=1, keep_shipments=False, threads=threads)  # import what a run needs
    before = _status_kib("VmRSS")
    reset = _reset_peak_rss()
    t0 = time.perf_counter()
    res = run_montecarlo(plan, replications=max(1, n_total // len(plan.routes)), seed=1, keep_shipments=False,
                         threads=threads)
    dt = time.perf_counter() - t0
    hwm = _status_kib("VmHWM") if reset else None
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, whole process life
    print(json.dumps({"n_total": n_total, "seconds": dt, "peak_rss_mib": rss_kib / 1024,
                      "rss_before_run_mib": before / 1024 if before else None,
                      "peak_rss_during_run_mib": hwm / 1024 if hwm else None,
                      "mean_transit": res.routes["chancay_direct"].metrics["transit_days"].mean}))


def run_memory(n_total: int, threads: int) -> dict:
    p = subprocess.run([sys.executable, __file__, "--memory-child", str(n_total), "--threads", str(threads)],
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


# ======================================================================== report
def fmt_rate(x: float) -> str:
    return f"{x / 1e6:,.2f} M/s" if x >= 1e5 else f"{x / 1e3:,.1f} k/s"


def profile_engine(plan, n_total: int) -> None:
    per_route = n_total // len(plan.routes)
    pr = cProfile.Profile()
    pr.enable()
    run_montecarlo(plan, replications=per_route, seed=1, keep_shipments=False, threads=1)
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf)
    total = sum(v[2] for v in st.stats.values())  # tottime summed
    rows = sorted(st.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:18]
    print(f"\n## Profile of one {n_total:,}-shipment run (single thread, cProfile, by own time)")
    print(f"{'own s':>8} {'share':>7} {'calls':>8}  function")
    for (fname, line, func), (cc, nc, tt, ct, _) in rows:
        where = f"{Path(fname).name}:{line}({func})" if line else func
        print(f"{tt:8.3f} {100 * tt / total:6.1f}% {nc:8d}  {where}")


def line_timing(plan, n_total: int, top: int = 22) -> None:
    """Wall time per source line of the kernel (simulate_route_block and its helpers), by sys.settrace.

    Only the kernel's own frames are traced; a line's time includes the untraced calls it makes
    (draws, numpy) but not the time spent in a traced helper's own lines, so shares add up. The
    tracer adds about 1 us per line event against ~20-500 us per vectorized line.
    """
    from routesim import outcomes
    from routesim.engines.montecarlo import kernel, waits

    codes = {f.__code__ for f in (kernel.simulate_route_block, kernel._first_sailing, kernel._sea_legs,
                                  kernel._connection, kernel._call_deviation, waits.port_time, waits.berth_wait,
                                  outcomes.shipment_columns)}
    acc: dict[tuple[str, int], float] = {}
    running: dict[int, tuple[tuple[str, int] | None, float | None]] = {}

    def charge(key, now):
        line, t0 = running.get(key, (None, None))
        if line is not None and t0 is not None:
            acc[line] = acc.get(line, 0.0) + now - t0
        return line

    def local(frame, event, arg):
        now = time.perf_counter()
        key = id(frame)
        if event == "line":
            charge(key, now)
            running[key] = ((frame.f_code.co_filename, frame.f_code.co_name, frame.f_lineno), time.perf_counter())
        elif event == "return":
            charge(key, now)
            running.pop(key, None)
            parent = id(frame.f_back)
            if parent in running:  # the caller's line resumes
                running[parent] = (running[parent][0], time.perf_counter())
        return local

    def tracer(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            now = time.perf_counter()
            parent = id(frame.f_back)
            if parent in running:  # pause the calling line while the traced helper runs
                running[parent] = (charge(parent, now), None)
            running[id(frame)] = (None, None)
            return local
        return None

    per_route = n_total // len(plan.routes)
    sys.settrace(tracer)
    try:
        t0 = time.perf_counter()
        run_montecarlo(plan, replications=per_route, seed=1, keep_shipments=False, threads=1)
        wall = time.perf_counter() - t0
    finally:
        sys.settrace(None)
    total = sum(acc.values())
    print(f"\n## Kernel line timing, {n_total:,} shipments, 1 thread (traced run {wall:.2f} s; kernel lines "
          f"{total:.2f} s = {100 * total / wall:.0f} %; the rest is accumulation and the driver)")
    print(f"{'own s':>7} {'share':>6}  line")
    def text(path, line):
        src = _KERNEL_SOURCE.get(path, [])
        return src[line - 1].strip() if 0 < line <= len(src) else "?"

    for (path, func, line), sec in sorted(acc.items(), key=lambda kv: kv[1], reverse=True)[:top]:
        print(f"{sec:7.3f} {100 * sec / wall:5.1f}%  {func}:{line}  {text(path, line)[:88]}")
    drawing = sum(sec for (path, _, line), sec in acc.items()
                  if ".sample(" in text(path, line) or "rng." in text(path, line))
    print(f"lines that draw random numbers (incl. their own scaling): {100 * drawing / wall:.0f} %; other kernel "
          f"arithmetic: {100 * (total - drawing) / wall:.0f} %; accumulation (stats) and driver: "
          f"{100 * (wall - total) / wall:.0f} %")


def floor_by_kind(calls_by_route, n_total: int) -> None:
    """RNG floor split by kind of variate: which draws cost the most."""
    kinds = sorted({(m, sh) for calls in calls_by_route.values() for m, sh, _ in calls}, key=str)
    rows = []
    for kind in kinds:
        only = {r: [c for c in calls if (c[0], c[1]) == kind] for r, calls in calls_by_route.items()}
        count = sum(n for calls in only.values() for _, _, n in calls) / BLOCK_SIZE / len(only)
        rows.append((rng_floor_seconds(only, n_total), kind, count))
    total = sum(r[0] for r in rows)
    print(f"\n## RNG floor by kind of variate, {n_total:,} shipments (one Generator, one thread)")
    print(f"{'seconds':>8} {'share':>6} {'per shipment':>13}  variate")
    for sec, (m, sh), count in sorted(rows, reverse=True):
        label = m if sh is None else f"{m}(shape={sh:g})"
        print(f"{sec:8.3f} {100 * sec / total:5.1f}% {count:13.2f}  {label}")


# ======================================================================== identical numbers
def identical_child(out_path: str) -> None:
    """Run in a fresh process on one tree (PYTHONPATH): every shipped scenario, a streamed run and
    a kept-table run, pickled: summaries, breakdowns and the per-shipment table."""
    import pickle
    import warnings

    warnings.simplefilter("ignore")
    out = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        plan = compile_plan(routesim.load_scenario(path))
        runs = {}
        for reps, seed, keep in ((40_000, 7, False), (BLOCK_SIZE + 5, 11, True)):  # partial blocks too
            res = run_montecarlo(plan, replications=reps, seed=seed, keep_shipments=keep, threads=1)
            runs[(reps, seed, keep)] = {"summary": res.summary(), "breakdown": res.breakdown(),
                                        "table": res.shipments if keep else None}
        out[path.name] = runs
    Path(out_path).write_bytes(pickle.dumps(out))


def identical_to(rev: str) -> int:
    """Check that this tree's Monte Carlo numbers are those of commit ``rev``, bit for bit (0 if so).

    ``rev``'s ``src`` is extracted with ``git archive`` and both trees run :func:`identical_child`;
    every float of every summary, breakdown and per-shipment table is compared as its bits."""
    import pickle
    import tempfile

    import pandas as pd

    def frames(tree: Path, tmp: Path, tag: str) -> dict:
        dest = tmp / f"{tag}.pkl"
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run([sys.executable, __file__, "--identical-child", str(dest)], env=env, check=True)
        return pickle.loads(dest.read_bytes())

    def differ(a: pd.DataFrame, b: pd.DataFrame) -> str | None:
        if a.shape != b.shape or list(map(str, a.columns)) != list(map(str, b.columns)) or not a.index.equals(b.index):
            return "shape, columns or index"
        for i in range(a.shape[1]):
            x, y = a.iloc[:, i], b.iloc[:, i]
            if x.dtype.kind == "f" and y.dtype.kind == "f":
                if not np.array_equal(x.to_numpy().view(np.int64), y.to_numpy().view(np.int64)):
                    return f"column {a.columns[i]}"
            elif not x.equals(y):
                return f"column {a.columns[i]}"
        return None

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        before, after = frames(tmp / "src", tmp, "before"), frames(ROOT / "src", tmp, "after")
    bad = 0
    for scen, runs in before.items():
        for key, parts in runs.items():
            for part, a in parts.items():
                if a is None:
                    continue
                why = differ(a, after[scen][key][part])
                bad += why is not None
                print(f"{scen:32} {str(key):24} {part:10} {'identical' if why is None else 'DIFFERS: ' + why}")
    print(f"{bad} differences against {rev} ({len(before)} scenarios)")
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    size.add_argument("--full", action="store_true", help="also 1e8 shipments for the memory check")
    ap.add_argument("--threads", type=int, default=2, help="threads for the multi-thread line (default 2)")
    ap.add_argument("--profile", action="store_true", help="print where the engine's time goes")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-RSS subprocesses")
    ap.add_argument("--no-baselines", action="store_true", help="skip the plain-Python and SimPy baselines")
    ap.add_argument("--identical-to", metavar="REV",
                    help="only check that the engine's numbers equal those of commit REV bit for bit (~2 min)")
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--identical-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child, args.threads)
        return 0
    if args.identical_child:
        identical_child(args.identical_child)
        return 0
    if args.identical_to:
        return identical_to(args.identical_to)

    sizes = [10**5, 10**6] if args.quick else [10**5, 10**6, 10**7]
    mem_sizes = [10**5, 10**6] if args.quick else ([10**7, 10**8] if args.full else [10**6, 10**7])
    sub = 2_000 if args.quick else 5_000  # shipments per route for the Python and SimPy baselines

    facts = machine_facts()
    facts["load average at start"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    facts["commit"] = commit()
    print("# routesim Monte Carlo benchmark: chancay_vs_callao (4 routes)")
    for k, v in facts.items():
        print(f"- {k}: {v}")
    print("- shipments are counted in total across the 4 routes (replications per route = N / 4)")

    t0 = time.perf_counter()
    plan = compile_plan(routesim.load_scenario(SCENARIO))
    compile_s = time.perf_counter() - t0
    print(f"- plan compile (network load included): {compile_s:.2f} s, not in any timing below")
    run_montecarlo(plan, replications=BLOCK_SIZE, seed=1, keep_shipments=False)  # warm-up

    # ---- draws the engine makes
    calls = record_block_draws(plan)
    print("\n## Random draws per shipment (counted on one block of every route)")
    all_kinds = sorted({k for c in calls.values() for k in draws_per_shipment(c)})
    print(f"{'route':24}" + "".join(f"{k[:26]:>28}" for k in all_kinds) + f"{'total':>8}")
    for name, c in calls.items():
        t = draws_per_shipment(c)
        print(f"{name:24}" + "".join(f"{t.get(k, 0):>28.2f}" for k in all_kinds) + f"{sum(t.values()):>8.2f}")
    mean_draws = statistics.mean(sum(draws_per_shipment(c).values()) for c in calls.values())
    print(f"mean draws per shipment: {mean_draws:.2f}")

    # ---- engine vs RNG floor
    print("\n## Engine vs the RNG floor (shipments per second, total across routes)")
    print(f"{'N':>12} {'engine 1 thr':>14} {'engine ' + str(args.threads) + ' thr':>14} {'RNG floor':>12}"
          f" {'engine/floor':>13} {'draws/s engine':>15}")
    results = {"machine": facts, "sizes": {}}
    for n in sizes:
        repeat = 7 if n <= 10**5 else (5 if n <= 10**6 else 3)
        e1s, ets, fls = [], [], []
        for _ in range(repeat):  # interleaved, so background load hits all three alike
            e1s.append(engine_seconds(plan, n, 1, 1))
            fls.append(rng_floor_seconds(calls, n))
            ets.append(engine_seconds(plan, n, args.threads, 1))
        e1, et, floor = statistics.median(e1s), statistics.median(ets), statistics.median(fls)
        results["sizes"][n] = {"engine_1": n / e1, "engine_t": n / et, "floor": n / floor}
        print(f"{n:>12,} {fmt_rate(n / e1):>14} {fmt_rate(n / et):>14} {fmt_rate(n / floor):>12}"
              f" {floor / e1:>13.2f} {n * mean_draws / e1 / 1e6:>11.1f} M/s")

    # ---- baselines
    big = sizes[-1]
    baselines = not args.no_baselines
    try:
        if baselines:
            print(f"\n## Baselines on a subsample of {sub:,} shipments per route ({4 * sub:,} in all), extrapolated")
            # interleaved with the engine (at N = 1e6), rounds alternated: load hits all three alike
            n_sub = sub * len(plan.routes)
            base_n = 10**6
            rounds = 2 if args.quick else 3
            e_s, py_t, sp_t = [], [], []
            for _ in range(rounds):
                e_s.append(engine_seconds(plan, base_n, 1, 1))
                py_s, py_out = python_loop(plan, sub)
                py_t.append(py_s)
                sp_s, sp_out = simpy_per_shipment(plan, sub)
                sp_t.append(sp_s)
            e_rate = base_n / statistics.median(e_s)
            py_rate, sp_rate = n_sub / statistics.median(py_t), n_sub / statistics.median(sp_t)
            py_x = sorted((base_n / e) / (n_sub / p) for e, p in zip(e_s, py_t))
            sp_x = sorted((base_n / e) / (n_sub / p) for e, p in zip(e_s, sp_t))
            print(f"({rounds} rounds, engine / Python / SimPy interleaved; medians, ratio min-max over rounds)")
            print(f"{'':34}{'shipments/s':>14}{'engine(1 thr) is':>26}{'time for 1e7':>15}")
            print(f"{'engine, 1 thread (N=' + f'{base_n:.0e}' + ')':34}{fmt_rate(e_rate):>14}{'1x':>26}{1e7 / e_rate:>13.1f} s")
            print(f"{'plain Python loop (extrapolated)':34}{fmt_rate(py_rate):>14}"
                  f"{f'{e_rate / py_rate:.0f}x ({py_x[0]:.0f}-{py_x[-1]:.0f})':>26}{1e7 / py_rate / 60:>13.1f} min")
            print(f"{'SimPy, process/shipment (extrap.)':34}{fmt_rate(sp_rate):>14}"
                  f"{f'{e_rate / sp_rate:.0f}x ({sp_x[0]:.0f}-{sp_x[-1]:.0f})':>26}{1e7 / sp_rate / 60:>13.1f} min")

            # same model? compare means with the engine's (engine on 20k per route, same seed-independent target)
            ref = run_montecarlo(plan, replications=20_000, seed=3, keep_shipments=False)
            print("\nSame model check (means; |diff| in engine+baseline standard errors):")
            print(f"{'route':24}{'metric':>18}{'engine':>11}{'python':>11}{'simpy':>11}{'z py':>7}{'z simpy':>8}")
            worst = 0.0
            for name in plan.routes:
                for m in ("transit_days", "door_days", "cost_usd_per_teu", "carrier_cost_usd_per_teu"):
                    e = ref.routes[name].metrics[m]
                    zs = []
                    vals = []
                    for out in (py_out, sp_out):
                        x = np.array([row[m] for row in out[name]])
                        se = math.hypot(e.sd / math.sqrt(ref.routes[name].n), x.std(ddof=1) / math.sqrt(x.size))
                        zs.append(abs(x.mean() - e.mean) / se if se > 0 else 0.0)
                        vals.append(x.mean())
                    worst = max(worst, *zs)
                    print(f"{name:24}{m:>18}{e.mean:>11.2f}{vals[0]:>11.2f}{vals[1]:>11.2f}{zs[0]:>7.1f}{zs[1]:>8.1f}")
            print(f"largest |z| = {worst:.1f} (below ~4 means the baselines simulate the same model)")
    except AttributeError as exc:  # the reference model reads a plan field the engine no longer has
        print(f"baselines not run: {exc}: the plain-Python reference model predates the plan it is given "
              "(issue 11 replaced the shelf-life cliff by the keeping-quality model); update python_loop")
        baselines = False

    # ---- memory
    mem = []
    if not args.no_memory:
        print(f"\n## Peak memory (fresh process per N, keep_shipments=False, {args.threads} threads)")
        print(f"{'N':>18} {'process peak':>13} {'RSS before run':>15} {'peak during run':>16} {'run grew':>9}"
              f" {'run time':>9} {'shipments/s':>12}")
        for n in [4 * BLOCK_SIZE] + mem_sizes:
            m = run_memory(n, args.threads)
            mem.append(m)
            label = f"{n:,}" + (" (baseline)" if n == 4 * BLOCK_SIZE else "")
            during, before = m["peak_rss_during_run_mib"], m["rss_before_run_mib"]
            grew = f"{during - before:6.1f} MiB" if during and before else "n/a"
            print(f"{label:>18} {m['peak_rss_mib']:>9.1f} MiB {before or float('nan'):>11.1f} MiB "
                  f"{during or float('nan'):>12.1f} MiB {grew:>9} {m['seconds']:>7.1f} s {fmt_rate(n / m['seconds']):>12}")
        key = "peak_rss_during_run_mib" if mem[-1]["peak_rss_during_run_mib"] else "peak_rss_mib"
        growth = mem[-1][key] / mem[-2][key]
        print(f"peak RSS during the run, {mem_sizes[-1]:.0e} / {mem_sizes[-2]:.0e}: {growth:.3f}x")

    # ---- verdict
    print("\n## Ratios against the targets")
    floor_ratio = results["sizes"][big]["floor"] and (results["sizes"][big]["engine_1"] / results["sizes"][big]["floor"])
    print(f"engine / RNG floor (1 thread, N={big:.0e}): {floor_ratio:.2f}   target >= 0.55 "
          f"[{'met' if floor_ratio >= 0.55 else 'MISSED'}]")
    if baselines:
        print(f"engine / SimPy per shipment: {e_rate / sp_rate:,.0f}x   target >= 100x "
              f"[{'met' if e_rate / sp_rate >= 100 else 'MISSED'}]")
        print(f"engine / plain Python loop: {e_rate / py_rate:,.0f}x")
    if mem:
        print(f"peak RSS {mem_sizes[-1]:.0e} vs {mem_sizes[-2]:.0e}: {growth:.3f}x   target ~1.0 (flat) "
              f"[{'met' if growth < 1.1 else 'MISSED'}]")
    if args.profile:
        profile_engine(plan, sizes[1] if len(sizes) > 1 else sizes[0])
        line_timing(plan, sizes[1] if len(sizes) > 1 else sizes[0])
        floor_by_kind(calls, sizes[1] if len(sizes) > 1 else sizes[0])
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(other processes on the machine slow every line above alike)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
