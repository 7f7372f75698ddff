"""The per-shipment results of a discrete-event run: summaries streamed, the table built on demand.

A replication's delivered bookings come out of the lots as a few arrays per route
(:meth:`~routesim.engines.des.cargo.RouteDesk.measured`: ready day, days by kind, sea and stop
days by segment, keeping quality; about 14 numbers a shipment). Their costs, CO2e and spoilage
(:func:`routesim.outcomes.shipment_columns`, 55 columns) are computed in chunks of
:data:`CHUNK` shipments from the route's own ``costs`` stream and folded into a
:class:`~routesim.outcomes.RouteAccumulator` straight away, so a run never holds the whole
table. :func:`build_table` makes the table when it is asked for, from the same arrays and the
same streams chunk by chunk: the rows are those the summaries saw, bit for bit.

>>> CHUNK
65536
"""

from __future__ import annotations

import numpy as np

from ...outcomes import SHIPMENT_COLUMNS, RouteAccumulator, shipment_columns
from ...plan import KINDS
from .draws import Streams

__all__ = ["CHUNK", "COLUMNS", "column_chunks", "accumulate", "build_table"]

CHUNK = 1 << 16
"""Shipments per call of :func:`~routesim.outcomes.shipment_columns` (bounds the memory of a run)."""

COLUMNS = ["route", "replication", "shipment", *SHIPMENT_COLUMNS]
"""Columns of the per-shipment table, in order."""


def column_chunks(plan, seed: int, replication: int, name: str, measured):
    """The per-shipment columns of one route's measured shipments in one replication, chunk by chunk.

    ``measured`` is ``(index, ready, days, sea, stop, shelf)`` from
    :meth:`~routesim.engines.des.cargo.RouteDesk.measured`. Every chunk draws from the route's
    ``costs`` stream of that replication, in order, so the chunks are the same however often
    they are made. Yields dicts of arrays (``route`` is the name).
    """
    index, ready, days, sea, stop, shelf = measured
    route = plan.routes[name]
    rng = Streams(seed, replication).rng("costs", name)
    for a in range(0, index.size, CHUNK):
        b = min(index.size, a + CHUNK)
        part = slice(a, b)
        cols = shipment_columns(plan, route, rng, ready[part],
                                {k: days[k][part] if k in days else np.zeros(b - a) for k in KINDS},
                                [s[part] for s in sea], [s[part] for s in stop],
                                shelf[part] if shelf is not None else None)
        cols["shipment"] = index[part]
        cols["replication"] = np.full(b - a, replication, dtype=np.int32)
        cols["route"] = name
        yield cols


def accumulate(plan, seed: int, replication: int, measured: dict, log=None) -> dict[str, RouteAccumulator]:
    """Fold one replication's shipments into one accumulator per route; with ``log``, record a
    ``spoil`` event for every delivery with a share rejected (TEU rejected)."""
    accs = {}
    for name, m in measured.items():
        acc = accs[name] = RouteAccumulator()
        teu = plan.routes[name].cargo.teu
        for cols in column_chunks(plan, seed, replication, name, m):
            acc.add({c: np.asarray(cols[c], dtype=float) for c in SHIPMENT_COLUMNS})
            if m[5] is not None and log is not None:
                bad = np.flatnonzero(cols["spoiled"] > 0.0)
                ready = cols["ready_day"][bad] + cols["door_days"][bad]
                for t, share in zip(ready.tolist(), cols["spoiled"][bad].tolist()):
                    log.record(t, -1, name, "spoil", teu * share)
    return accs


def build_table(plan, seed: int, measured_by_replication: list[dict]):
    """The per-shipment table of a run (pandas), replication by replication and route by route.

    The columns are allocated once and filled chunk by chunk, so building the table needs about
    the table's own memory.
    """
    import pandas as pd

    categories = list(plan.routes)
    code = {n: i for i, n in enumerate(categories)}
    n = sum(m[0].size for measured in measured_by_replication for m in measured.values())
    routes = np.empty(n, dtype=np.int32)
    data: dict[str, np.ndarray] = {}
    at = 0
    for r, measured in enumerate(measured_by_replication):
        for name, m in measured.items():
            for cols in column_chunks(plan, seed, r, name, m):
                k = cols["shipment"].size
                routes[at:at + k] = code[name]
                for c in COLUMNS[1:]:
                    v = np.asarray(cols[c])
                    col = data.get(c)
                    if col is None:
                        col = data[c] = np.empty(n, dtype=v.dtype)
                    elif not np.can_cast(v.dtype, col.dtype, "safe"):
                        col = data[c] = col.astype(np.result_type(col.dtype, v.dtype))
                    col[at:at + k] = v
                at += k
    if not data:
        table = pd.DataFrame({c: [] for c in COLUMNS})
        table["route"] = pd.Categorical(table["route"], categories=categories)
        return table
    return pd.DataFrame({"route": pd.Categorical.from_codes(routes, categories=categories), **data}, copy=False)
