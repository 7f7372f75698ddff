"""Where every booking of a replication is, found by looking (not by counting): the check behind
the discrete-event engine's conservation of cargo.

:func:`audit` walks a :class:`~routesim.engines.des.cargo.CargoDesk`'s lots, yards and vessels
and places each booking exactly once; the desk's counters
(:meth:`~routesim.engines.des.cargo.CargoDesk.counts`) must agree with what it finds.
"""

from __future__ import annotations

import numpy as np

__all__ = ["WHERE", "audit"]

WHERE = ("finished", "yard", "rolled", "aboard", "discharging", "not_ready")
"""Where :func:`audit` finds a booking."""


def audit(desk, now: float) -> dict[str, dict[str, int]]:
    """Where every booking is at ``now``, found by looking (not by counting): by route, the
    bookings (and ``<where>_teu``) finished, waiting in a yard, waiting after a full vessel left
    them behind (``rolled``), aboard a vessel, being discharged, or not ready yet.

    Raises AssertionError if a booking is found in two places or nowhere.
    """
    seen = {rd.name: np.full(rd.n, -1, dtype=np.int8) for rd in desk.routes}

    def mark(rd, idx, where):
        s = seen[rd.name]
        clash = s[idx] >= 0
        assert not clash.any(), (f"booking {rd.name}#{int(rd.index[idx[clash][0]])} both "
                                 f"{WHERE[s[idx[clash][0]]]} and {where}")
        s[idx] = WHERE.index(where)

    for rd in desk.routes:
        for lot in rd.lots:
            if not np.isnan(lot.handled):
                mark(rd, lot.idx, "finished")
    for yard in desk.yards.values():
        for b in yard.batches:
            mark(b.route, b.idx[b.pos:b.rolled_to], "rolled")
            rest = b.idx[max(b.pos, b.rolled_to):]
            if b.seg == 0:
                later = b.route.ready[rest] > now
                mark(b.route, rest[later], "not_ready")
                rest = rest[~later]
            mark(b.route, rest, "yard")
    for fleet in desk.fleets.values():
        for v in fleet.fleet:
            for lots in v.aboard.values():
                for lot in lots:
                    mark(lot.route, lot.idx, "aboard")
            for lot in v.discharging or ():
                mark(lot.route, lot.idx, "discharging")
    for lot in desk.feeding:  # back by sea to the call their vessel omitted
        mark(lot.route, lot.idx, "aboard")
    out = {}
    for rd in desk.routes:
        s = seen[rd.name]
        assert (s >= 0).all(), f"booking {rd.name}#{int(rd.index[np.flatnonzero(s < 0)[0]])} is nowhere"
        m = rd.per_record  # bookings a record stands for
        counts = {"generated": rd.n * m, "generated_teu": rd.n * rd.teu}
        for i, where in enumerate(WHERE):
            k = int((s == i).sum())
            counts[where] = k * m
            counts[f"{where}_teu"] = k * rd.teu
        out[rd.name] = counts
    return out
