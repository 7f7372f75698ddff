"""Schedule arithmetic, written once: sailing and handling days, pro-forma times, rotations.

Both engines and the compiler take these from here:

* :func:`sailing_days`: distance / (speed x 24), times the weather factor;
* :func:`handling_days`: moves / (cranes x moves per hour) plus the fixed hours of a call;
* :func:`scheduled_call_days` and :func:`scheduled_canal_days`: the pro-forma figures a
  liner schedule is built on (the berth wait the schedule allows for, mean weather);
* :func:`calls_on_rotation` and :func:`rotation_index`: walking a service's cyclic rotation;
* :func:`split_at_canals`: a sea passage cut into sailing stretches and canal transits.

>>> float(sailing_days(9350, 17))  # Chancay -> Shanghai at 17 knots
22.916666666666668
>>> round(float(handling_days(2000, 4, 25.0, 8.0)), 4)  # 2,000 moves, 4 cranes at 25 moves/h
1.1667
"""

from __future__ import annotations

from ..errors import UnknownNameError

__all__ = ["HOURS_PER_DAY", "sailing_days", "handling_days", "scheduled_call_days", "scheduled_canal_days",
           "calls_on_rotation", "rotation_index", "split_at_canals", "speed_for"]

HOURS_PER_DAY = 24.0
"""Hours in a day (knots are nautical miles per hour)."""


def sailing_days(distance_nm, speed_kn, weather_factor=1.0):
    """Days to sail ``distance_nm`` nautical miles at ``speed_kn`` knots: d / (24 v) x weather.

    Works on floats and numpy arrays alike (``weather_factor`` may be an array of draws).
    """
    return distance_nm / (speed_kn * HOURS_PER_DAY) * weather_factor


def speed_for(distance_nm, days, weather_factor=1.0):
    """Speed (knots) that sails ``distance_nm`` in ``days`` at a weather factor: the inverse of
    :func:`sailing_days`."""
    return distance_nm * weather_factor / (HOURS_PER_DAY * days)


def handling_days(moves, cranes_per_call, crane_moves_per_hour, call_fixed_hours):
    """Time alongside for ``moves`` container moves (days): crane work plus fixed hours.

    ``moves`` is a number or a numpy array of moves per call.
    """
    return (moves / (cranes_per_call * crane_moves_per_hour) + call_fixed_hours) / HOURS_PER_DAY


def scheduled_call_days(port, moves: float) -> float:
    """Pro-forma time at a call (days): the berth wait schedules allow for plus mean handling."""
    return port.scheduled_wait_days + float(port.handling_days(moves))


def scheduled_canal_days(cp) -> float:
    """Pro-forma time of a canal transit (days): the passage's mean wait plus the locks time."""
    return cp.wait_days.mean + cp.transit_days


def rotation_index(rotation, calls) -> int:
    """Index in the cyclic ``rotation`` where the stretch ``calls`` starts.

    >>> rotation_index(["A", "B", "C", "D"], ["D", "A"])
    3
    """
    m = len(rotation)
    for i in range(m):
        if all(rotation[(i + j) % m] == c for j, c in enumerate(calls)):
            return i
    raise UnknownNameError(f"rotation {', '.join(rotation)} does not run {' -> '.join(calls)}")


def calls_on_rotation(rotation, start: str, end: str) -> list[str]:
    """Calls from ``start`` to ``end`` following the (cyclic) rotation, fewest calls first.

    >>> calls_on_rotation(["A", "B", "C", "D"], "C", "B")
    ['C', 'D', 'A', 'B']
    >>> calls_on_rotation(["A", "B", "C", "B"], "A", "B")
    ['A', 'B']
    """
    n = len(rotation)
    best: list[str] | None = None
    for i, port in enumerate(rotation):
        if port != start:
            continue
        for step in range(1, n + 1):
            nxt = rotation[(i + step) % n]
            if nxt == end:
                calls = [rotation[(i + k) % n] for k in range(step + 1)]
                if best is None or len(calls) < len(best):
                    best = calls
                break
            if nxt == start:
                break
    if best is None:
        raise UnknownNameError(f"rotation {', '.join(rotation)} does not run from {start} to {end}")
    return best


def split_at_canals(passage, chokepoints):
    """Split a sea passage into ``("sail", nm, passed)`` and ``("canal", name)`` pieces in order.

    Lanes through a chokepoint of kind ``canal`` end a sailing stretch and add a canal
    piece; the canal lane's own distance stays in the sailing. ``chokepoints`` maps names
    to records with a ``kind``.
    """
    pieces: list = []
    run = 0.0
    passed: list[str] = []
    for lane in passage.legs:
        dist, choke = _lane(lane)
        run += dist
        if choke and choke not in passed:
            passed.append(choke)
        cp = chokepoints.get(choke) if choke else None
        if cp is not None and cp.kind == "canal":
            pieces.append(("sail", run, tuple(passed)))
            pieces.append(("canal", choke))
            run, passed = 0.0, []
    if run > 0 or not pieces:
        pieces.append(("sail", run, tuple(passed)))
    return [p for p in pieces if p[0] != "sail" or p[1] > 0]


def _lane(lane) -> tuple[float, str | None]:
    """(distance_nm, chokepoint) of a lane record, whatever its shape."""
    if hasattr(lane, "distance_nm"):
        return float(lane.distance_nm), getattr(lane, "chokepoint", None)
    if isinstance(lane, dict):
        return float(lane["distance_nm"]), lane.get("chokepoint")
    return float(lane[2]), lane[3]
