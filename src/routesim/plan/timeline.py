"""A documented regime's capacity cut as it happened, lock by lock, as disruption windows.

``data/chokepoints.yaml`` records the 2023-24 Panama drought as dated steps of slots a day
per lock (:class:`routesim.catalogue.chokepoint.TimelineStep`). :func:`timeline_windows`
puts them on a study clock: one capacity window per lock and step, whose factor is the
step's slots over the lock's normal slots. Scenarios write the windows they get
(``where: panama.neopanamax``) in their ``disruptions``; the test suite checks
``scenarios/panama_drought.yaml`` against this function, so the scenario and the record
cannot drift apart.

>>> import datetime
>>> from routesim import catalogue
>>> panama = catalogue.chokepoints()["panama"]
>>> wins = timeline_windows(panama, "drought_2023", datetime.date(2023, 12, 1), 365.0)
>>> [(w.where, w.start, w.end, round(w.factor, 3)) for w in wins[:2]]
[('panama.panamax', 0.0, 46.0, 0.615), ('panama.neopanamax', 0.0, 46.0, 0.6)]
"""

from __future__ import annotations

import datetime

from ..errors import DataError
from .locks import lock_place
from .records import Window

__all__ = ["timeline_windows"]


def timeline_windows(chokepoint, regime: str, study_start: datetime.date, horizon_days: float) -> tuple[Window, ...]:
    """Capacity windows of ``regime``'s timeline on a study clock starting on ``study_start`` (days).

    Parameters
    ----------
    chokepoint : routesim.catalogue.Chokepoint
        A canal with ``locks`` and the regime's ``timeline``.
    regime : str
        Regime name (``drought_2023``).
    study_start : datetime.date
        Calendar date of study day 0; a step that began before it starts at day 0.
    horizon_days : float
        Steps starting at or after this day are left out; the last kept step ends at the
        next step's date (the timeline's last step, back to normal, ends the cut).

    Returns
    -------
    tuple of Window
        ``kind="capacity"``, ``where="<canal>.<lock>"``, one per lock and step whose slots
        are below the lock's normal slots.
    """
    steps = chokepoint.timelines.get(regime)
    if steps is None:
        raise DataError(f"data/chokepoints.yaml: {chokepoint.id}.regimes.{regime}: no timeline")
    normal = {lk.id: int(lk.slots_per_day.value) for lk in chokepoint.locks}
    out = []
    for step, nxt in zip(steps, steps[1:]):
        start = max(0.0, float((step.start - study_start).days))
        end = float((nxt.start - study_start).days)
        if end <= 0.0 or start >= horizon_days:
            continue
        for lock, slots in step.slots.items():
            if slots < normal[lock]:
                out.append(Window("capacity", lock_place(chokepoint.id, lock), start, end,
                                  factor=slots / normal[lock]))
    return tuple(out)
