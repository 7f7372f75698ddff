"""Cargo as lots: what a terminal yard holds and what a vessel carries, one object per port call.

The discrete-event engine never makes an object per booking. A route's bookings live in numpy
arrays (:class:`~routesim.engines.des.cargo.RouteDesk`), in the order they become ready to
load; everything else refers to them by position:

* a :class:`Batch` is a run of bookings of one route and segment waiting in one yard, in
  the order they can be loaded (their ready-to-load times sorted); a loading takes a prefix
  of it;
* a :class:`Lot` is what one sailing loaded of one batch at one call: one object per
  (origin, destination, sailing, cargo kind), whatever its TEU. Its sea, call and canal
  days are one figure for every booking in it, kept once.

Why a prefix: in a batch both the time a box can be loaded and the first sailing it may take
never decrease along the batch, and every box of a batch takes the same slots, so of the boxes
eligible at a departure the vessel takes the oldest that fit and the rest, if any, are rolled
(they stay at the front of the batch). :func:`allocate` shares a departure's free slots between
the batches of one yard oldest first, as a box-by-box loop would.

>>> import numpy as np
>>> allocate([np.array([1.0, 3.0]), np.array([2.0])], [2.0, 2.0], free=4.0).tolist()
[1, 1]
"""

from __future__ import annotations

import numpy as np

__all__ = ["Batch", "Lot", "Yard", "allocate", "RECORDS_PER_WEEK", "RECORD_SHARE_OF_SLOTS", "bookings_per_record"]

_EPS = 1e-9

RECORDS_PER_WEEK = 128
"""Most booking records a route makes in an average week: above it, a record stands for several
bookings (:func:`bookings_per_record`), so that a run's memory and time stop growing with its TEU.
Each record is then at most 1/128 of a route's weekly cargo, and a year's 6,600 records per route
give its door-day quantiles to within a few hundredths of their spread (routesim's choice, not a
figure of the trade)."""

RECORD_SHARE_OF_SLOTS = 0.01
"""Largest share of a vessel's cargo slots one record may take: a vessel is filled to within 1 %,
and a small ship's loading is not changed by records (routesim's choice)."""


def bookings_per_record(bookings_per_week: float, booking_teu: float, slots_teu: float,
                        records_per_week: int = RECORDS_PER_WEEK) -> int:
    """Bookings one record stands for on a route booking ``bookings_per_week`` in an average week,
    ``booking_teu`` TEU each, on vessels of at least ``slots_teu`` TEU of cargo slots.

    All of a record's bookings travel together (one ready time, one sailing, one set of days): one
    shipper's booking of several boxes. Below ``records_per_week`` every booking is a record; a
    record never takes more than :data:`RECORD_SHARE_OF_SLOTS` of the slots.

    >>> bookings_per_record(100.0, 1.0, 8000.0), bookings_per_record(2000.0, 1.0, 8000.0)
    (1, 16)
    >>> bookings_per_record(2000.0, 1.0, 500.0)   # a small ship: records of at most 5 TEU
    5
    """
    cap = int(RECORD_SHARE_OF_SLOTS * slots_teu / booking_teu) if booking_teu > 0 else 1
    return max(1, min(cap, int(np.ceil(bookings_per_week / records_per_week - 1e-9))))


class Batch:
    """Bookings of one route and segment waiting in one yard (positions into the route's arrays).

    ``avail`` and ``mins`` are arrays (non-decreasing) or, for a batch that arrived together by
    transshipment, one figure for all: when each box can be loaded (study day) and the first
    sailing index it may take.
    """

    __slots__ = ("route", "seg", "idx", "avail", "mins", "planned", "pos", "rolled_to", "inbound")

    def __init__(self, route, seg: int, idx: np.ndarray, avail, mins, planned: int = 0, inbound=None):
        self.route = route
        self.seg = seg
        self.idx = idx
        self.avail = avail
        self.mins = mins
        self.planned = planned
        """The sailing the boxes were planned onto (transshipment batches; for missed connections)."""
        self.pos = 0
        """Boxes before ``pos`` have left on a vessel."""
        self.rolled_to = 0
        """Boxes in ``[pos, rolled_to)`` were left behind by a full vessel here and wait on."""
        self.inbound = inbound
        """The lot that brought a transshipment batch (None at the origin)."""

    def end(self, now: float, sailing: int) -> int:
        """End of the run of boxes that may board ``sailing`` leaving at ``now``."""
        if type(self.avail) is float:
            return self.idx.size if self.avail <= now and self.mins <= sailing else self.pos
        j = int(np.searchsorted(self.avail, now, side="right"))
        k = int(np.searchsorted(self.mins, sailing, side="right"))
        return max(self.pos, min(j, k))

    def avail_of(self, a: int, b: int) -> np.ndarray:
        """Ready-to-load times of boxes ``a`` to ``b``."""
        if type(self.avail) is float:
            return np.full(b - a, self.avail)
        return self.avail[a:b]

    def __len__(self) -> int:
        return self.idx.size - self.pos


class Lot:
    """The boxes one sailing loaded from one batch: they travel, and come off, together.

    Times are study days; ``sail``, ``port`` and ``canal`` are the days the lot spent at sea,
    at intermediate calls and in canals on this segment (one figure for every box).
    """

    __slots__ = ("id", "route", "seg", "idx", "slots", "sailing", "loaded", "snap", "t_arr", "sail", "port",
                 "canal", "handled", "feeder")

    def __init__(self, id: int, route, seg: int, idx: np.ndarray, teu: float, sailing: int, loaded: float,
                 snap: tuple):
        self.id = id
        self.route = route
        self.seg = seg
        self.idx = idx
        self.slots = teu
        """TEU of the lot (vessel slots it takes; 0 for probe bookings)."""
        self.sailing = sailing
        self.loaded = loaded
        self.snap = snap
        self.t_arr = self.sail = self.port = self.canal = self.handled = np.nan
        self.feeder = 0.0
        """Days back by sea to the lot's own call when its vessel omitted it (0: it did not)."""


class Yard:
    """The batches waiting at one call of one service."""

    __slots__ = ("batches",)

    def __init__(self):
        self.batches: list[Batch] = []

    def add(self, batch: Batch) -> None:
        self.batches.append(batch)

    def __len__(self) -> int:
        return sum(len(b) for b in self.batches)


def allocate(avails: list[np.ndarray], sizes: list[float], free: float) -> np.ndarray:
    """How many boxes of each run board a vessel with ``free`` slots, oldest first.

    ``avails[i]`` are the ready-to-load times of run ``i``'s eligible boxes (non-decreasing),
    each taking ``sizes[i]`` slots. Boxes are taken in order of those times (ties: in run
    order); a box that does not fit is rolled and the next is tried, as a box-by-box loop does.
    Returns the count taken from each run (always a prefix of the run).

    >>> allocate([np.array([0.0, 1.0, 2.0])], [2.0], free=5.0).tolist()
    [2]
    >>> allocate([np.array([0.0, 1.0]), np.array([0.5])], [2.0, 0.0], free=1.0).tolist()
    [0, 1]
    """
    av = np.concatenate(avails)
    counts = np.array([a.size for a in avails])
    run = np.repeat(np.arange(len(avails)), counts)
    order = np.argsort(av, kind="stable")
    run_o = run[order]
    size_o = np.asarray(sizes, dtype=float)[run_o]
    take = np.zeros(av.size, dtype=bool)
    rem = np.arange(av.size)
    f = float(free)
    while rem.size:
        cs = np.cumsum(size_o[rem])
        k = int(np.searchsorted(cs, f + _EPS, side="right"))
        take[rem[:k]] = True
        if k:
            f -= float(cs[k - 1])
        if k == rem.size:
            break
        rest = rem[k + 1:]
        rem = rest[size_o[rest] <= f + _EPS]  # a size that did not fit never fits again: free only shrinks
    return np.bincount(run_o[take], minlength=len(avails))
