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
service       the service of the vessel (its name before ``#``; ``""`` for cargo-only events)
reason        why a carrier responded (:data:`RESPONSE_KINDS` rows; ``""`` for the others)
============  ==========================================================================

A carrier's response (:mod:`routesim.engines.des.responses`) is a row of one of
:data:`RESPONSE_KINDS` with its reason, recorded by :meth:`EventLog.respond`.

>>> log = EventLog()
>>> log.record(1.5, "svc#0", "PECHY", "depart", 40.0)
>>> log.to_frame()[["time", "vessel", "place", "kind", "containers"]].values.tolist()
[[1.5, 'svc#0', 'PECHY', 'depart', 40.0]]
"""

from __future__ import annotations

__all__ = ["EventLog", "KINDS", "RESPONSE_KINDS"]

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
    "blank_sailing",  # a carrier voids a sailing (its vessel is too late, or demand dropped)
    "added_ship",     # a ship joins a service to restore its schedule (vessel = the new ship)
    "reroute",        # a vessel goes round another passage instead of a canal (place = the canal)
    "omitted_call",   # a vessel omits a closed or congested call; containers = TEU for it, off at the next call
    "rebase",         # a service's pro-forma is re-based after a run of late departures
)
"""Event kinds, in the order of their integer codes."""

RESPONSE_KINDS: tuple[str, ...] = ("blank_sailing", "added_ship", "reroute", "omitted_call", "rebase")
"""The kinds that are carriers' responses to trouble (counted in ``engine_stats.responses``)."""

_KIND_CODE = {k: i for i, k in enumerate(KINDS)}


class EventLog:
    """An append-only event table.

    ``record`` is the hot path: intern the names, append a tuple. Codes for
    names are kept in dictionaries shared by every replication of a run.
    """

    __slots__ = ("_rows", "_names", "_codes", "replication", "_reasons")

    def __init__(self):
        self._rows: list[tuple] = []
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        self.replication = 0
        """Replication stamped on the rows recorded from now on."""
        self._reasons: dict[int, int] = {}
        """Row index -> code of the reason of a response row."""

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

    def respond(self, time: float, vessel: str | int, place: str | int, kind: str, reason: str,
                containers: float = 0.0) -> None:
        """Append a carrier's response (``kind`` one of :data:`RESPONSE_KINDS`) with its reason."""
        if kind not in RESPONSE_KINDS:
            raise ValueError(f"{kind!r} is not a response kind ({', '.join(RESPONSE_KINDS)})")
        self._reasons[len(self._rows)] = self.code(reason)
        self.record(time, vessel, place, kind, containers)

    def extend(self, other: "EventLog") -> None:
        """Append ``other``'s rows (a replication logged elsewhere), its name codes mapped onto these."""
        remap = [self.code(n) for n in other._names]
        rows = self._rows
        for i, code in other._reasons.items():
            self._reasons[len(rows) + i] = remap[code]
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
        services = np.array([n.rsplit("#", 1)[0] if "#" in n else "" for n in names], dtype=object)
        reason = np.full(len(time), len(names) - 1, dtype=np.int64)
        for i, code in self._reasons.items():
            reason[i] = code
        df = pd.DataFrame({
            "time": time.astype(float),
            "replication": rep.astype(np.int32),
            "vessel": pd.Categorical(names[vessel.astype(int)]),
            "place": pd.Categorical(names[place.astype(int)]),
            "kind": pd.Categorical.from_codes(kind.astype(int), categories=list(KINDS)),
            "containers": cont.astype(float),
            "service": pd.Categorical(services[vessel.astype(int)]),
            "reason": pd.Categorical(names[reason]),
        })
        return df.sort_values(["replication", "time"], kind="stable", ignore_index=True)
