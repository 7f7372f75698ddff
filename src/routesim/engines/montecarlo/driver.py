"""Run the Monte Carlo engine over a Plan: blocks, their random streams, threads, summaries.

Every route's shipments are simulated in fixed blocks of :data:`BLOCK_SIZE`, each drawing
from its own generator ``SeedSequence(seed, spawn_key=(route_key, block))``: a shipment's
draws depend only on the seed, its route's name and its index, never on the chunk size or
the number of threads. Summaries are merged block by block with exact arithmetic
(:mod:`routesim.stats`), so they too are identical whatever the chunking.
"""

from __future__ import annotations

import math
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np

from ...errors import RoutesimError, RoutesimWarning
from ...outcomes import RouteAccumulator
from ...plan import Plan
from ...results import Results
from .kernel import simulate_route_block

__all__ = ["BLOCK_SIZE", "route_key", "block_rng", "run_montecarlo"]

BLOCK_SIZE = 16_384
"""Shipments per random-number block (the unit of reproducibility)."""


def route_key(name: str) -> int:
    """A stable integer for a route name (its random streams do not depend on other routes)."""
    return zlib.crc32(name.encode("utf-8"))


def block_rng(seed: int, route: str, block: int) -> np.random.Generator:
    """The generator of one block: ``SeedSequence(seed, spawn_key=(route_key, block))``."""
    ss = np.random.SeedSequence(seed, spawn_key=(route_key(route), block))
    return np.random.Generator(np.random.PCG64(ss))


def _positive(name: str, value) -> int:
    try:
        v = int(value)
    except (TypeError, ValueError):
        raise RoutesimError(f"{name} must be a whole number >= 1, got {value!r}") from None
    if v < 1 or v != value:
        raise RoutesimError(f"{name} must be a whole number >= 1, got {value!r}")
    return v


def run_montecarlo(plan: Plan, *, replications: int | None = None, seed: int | None = None,
                   chunk_size: int | None = None, threads: int | None = None,
                   keep_shipments: bool | None = None, progress=None) -> Results:
    """Run the Monte Carlo engine on a compiled plan and return :class:`~routesim.results.Results`.

    ``replications`` shipments are simulated per route (default: the scenario's). ``chunk_size``
    (shipments per task, rounded up to whole blocks) and ``threads`` change speed and memory,
    never the numbers. ``keep_shipments``: True keeps the per-shipment table, False never builds
    it, None (default, unless the scenario sets ``montecarlo.keep_shipments``) builds it when
    ``Results.shipments`` is first read. ``progress`` is an optional callable ``progress(done, total)`` in
    shipments. Bad options raise :class:`~routesim.errors.RoutesimError`.
    """
    for message in plan.ignored_by("montecarlo"):
        warnings.warn(message, RoutesimWarning, stacklevel=2)
    opts = plan.options
    n_total = _positive("replications", replications if replications is not None else opts.replications)
    seed = int(opts.seed if seed is None else seed)
    chunk = _positive("chunk_size", chunk_size if chunk_size is not None else opts.chunk_size)
    threads = _positive("threads", threads if threads is not None else opts.threads)
    keep = keep_shipments if keep_shipments is not None else opts.keep_shipments
    lazy = keep is None
    keep = bool(keep)
    blocks_per_task = max(1, math.ceil(chunk / BLOCK_SIZE))
    n_blocks = math.ceil(n_total / BLOCK_SIZE)
    tasks = [(rname, b0, min(n_blocks, b0 + blocks_per_task))
             for rname in plan.routes for b0 in range(0, n_blocks, blocks_per_task)]

    def run_task(task):
        rname, b0, b1 = task
        acc = RouteAccumulator()
        kept = []
        for b in range(b0, b1):
            n = min(BLOCK_SIZE, n_total - b * BLOCK_SIZE)
            cols = simulate_route_block(plan, plan.routes[rname], block_rng(seed, rname, b), n)
            acc.add(cols)
            if keep:
                cols["shipment"] = np.arange(b * BLOCK_SIZE, b * BLOCK_SIZE + n)
                kept.append(cols)
        return rname, acc, kept, sum(min(BLOCK_SIZE, n_total - b * BLOCK_SIZE) for b in range(b0, b1))

    accs = {r: RouteAccumulator() for r in plan.routes}
    kept: dict[str, list] = {r: [] for r in plan.routes}
    total = n_total * len(plan.routes)
    done = 0
    for rname, acc, k, n in _in_order(run_task, tasks, threads):
        accs[rname].merge(acc)
        kept[rname].extend(k)
        done += n
        if progress:
            progress(done, total)
    table = _table(plan, kept) if keep else None
    results = Results.from_accumulators(plan, accs, engine="montecarlo", seed=seed, replications=n_total,
                                        shipments=table)
    if lazy:
        results._rebuild = partial(_rebuilt_table, plan, n_total, seed, chunk, threads)
    return results


def _rebuilt_table(plan: Plan, n_total: int, seed: int, chunk: int, threads: int):
    """The per-shipment table of a run that did not keep it: the same blocks run again, kept
    (the run's warnings were given the first time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoutesimWarning)
        return run_montecarlo(plan, replications=n_total, seed=seed, chunk_size=chunk, threads=threads,
                              keep_shipments=True).shipments


def _in_order(fn, tasks, threads: int):
    """``map(fn, tasks)``, on ``threads`` threads with a bounded window, results in task order."""
    if threads <= 1:
        yield from map(fn, tasks)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        window = threads * 2
        futures = [pool.submit(fn, t) for t in tasks[:window]]
        nxt = window
        while futures:
            out = futures.pop(0).result()
            if nxt < len(tasks):
                futures.append(pool.submit(fn, tasks[nxt]))
                nxt += 1
            yield out


def _table(plan: Plan, kept: dict[str, list]):
    """The per-shipment table (pandas), routes in the Plan's order."""
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
    return table
