"""The event log: one row per event, recorded as plain tuples, exported as a table.

Recording an event appends one tuple of small integers and floats to a list;
names (vessels, places, kinds) are interned once into integer codes. Nothing
touches pandas until :meth:`EventLog.to_frame`, called once at the end of a
run, so a log costs about as much as a list append per event.

Columns of the exported table:

============  ==========================================================================
time          study day of the event (negative during the warm-up)
replication   index of the independent run the event belongs to
vessel        vessel name, ``<service>#<n>`` (``""`` for cargo-only events)
place         port UN/LOCODE, canal name, sea lane ``A>B``, or the route's name (``spoil``)
kind          one of :data:`KINDS`
containers    scenario cargo concerned, in TEU (0 for pure vessel movements)
============  ==========================================================================

>>> log = EventLog()
>>> log.record(1.5, "svc#0", "PECHY", "depart", 40.0)
>>> log.to_frame()[["time", "vessel", "place", "kind", "containers"]].values.tolist()
[[1.5, 'svc#0', 'PECHY', 'depart', 40.0]]
"""

from __future__ import annotations

__all__ = ["EventLog", "KINDS"]

KINDS: tuple[str, ...] = (
    "arrive",         # a vessel reaches a port's anchorage (or a canal's approach)
    "berth",          # it is alongside (berth granted)
    "depart",         # it leaves the berth; containers = TEU loaded
    "discharge",      # scenario cargo taken off; containers = TEU
    "roll",           # cargo left behind for lack of space; containers = TEU rolled
    "canal_queue",    # a vessel joins a canal's queue
    "canal_enter",    # it is given a transit slot and enters the locks
    "canal_exit",     # it leaves the canal
    "delay",          # held: its lateness draw, a closure, or waiting for its next sailing's slot
    "spoil",          # a perishable shipment delivered with a share rejected; containers = TEU rejected
)
"""Event kinds, in the order of their integer codes."""

_KIND_CODE = {k: i for i, k in enumerate(KINDS)}


class EventLog:
    """An append-only event table.

    ``record`` is the hot path: intern the names, append a tuple. Codes for
    names are kept in dictionaries shared by every replication of a run.
    """

    __slots__ = ("_rows", "_names", "_codes", "replication")

    def __init__(self):
        self._rows: list[tuple] = []
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        self.replication = 0
        """Replication stamped on the rows recorded from now on."""

    def code(self, name: str) -> int:
        """The integer code of a vessel or place name (interned on first use)."""
        c = self._codes.get(name)
        if c is None:
            c = self._codes[name] = len(self._names)
            self._names.append(name)
        return c

    def record(self, time: float, vessel: str | int, place: str | int, kind: str, containers: float = 0.0) -> None:
        """Append one event. ``vessel`` and ``place`` are names or codes from :meth:`code`."""
        if type(vessel) is str:
            vessel = self.code(vessel)
        if type(place) is str:
            place = self.code(place)
        self._rows.append((time, self.replication, vessel, place, _KIND_CODE[kind], containers))

    def record_coded(self, time: float, vessel: int, place: int, kind: int, containers: float) -> None:
        """Append one event whose names and kind are already integer codes (fastest)."""
        self._rows.append((time, self.replication, vessel, place, kind, containers))

    def extend(self, other: "EventLog") -> None:
        """Append ``other``'s rows (a replication logged elsewhere), its name codes mapped onto these."""
        remap = [self.code(n) for n in other._names]
        rows = self._rows
        for t, rep, vessel, place, kind, cont in other._rows:
            rows.append((t, rep, remap[vessel] if vessel >= 0 else vessel, remap[place] if place >= 0 else place,
                         kind, cont))

    def __len__(self) -> int:
        return len(self._rows)

    def to_frame(self):
        """The log as a pandas DataFrame sorted by (replication, time), names as categoricals."""
        import numpy as np
        import pandas as pd

        names = np.array(self._names + [""], dtype=object)
        if self._rows:
            time, rep, vessel, place, kind, cont = (np.asarray(c) for c in zip(*self._rows))
        else:
            time = cont = np.zeros(0)
            rep = vessel = place = kind = np.zeros(0, dtype=int)
        vessel = np.where(vessel < 0, len(names) - 1, vessel)
        df = pd.DataFrame({
            "time": time.astype(float),
            "replication": rep.astype(np.int32),
            "vessel": pd.Categorical(names[vessel.astype(int)]),
            "place": pd.Categorical(names[place.astype(int)]),
            "kind": pd.Categorical.from_codes(kind.astype(int), categories=list(KINDS)),
            "containers": cont.astype(float),
        })
        return df.sort_values(["replication", "time"], kind="stable", ignore_index=True)
