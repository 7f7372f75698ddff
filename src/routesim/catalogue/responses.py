"""Thresholds of the carriers' responses to trouble in the discrete-event engine (``data/responses.yaml``).

Each figure carries its source, or ``derived: true`` with the reasoning where
it is routesim's choice; :func:`response_thresholds` checks that every one is
there and is a number in its range.

>>> t = response_thresholds()
>>> t["added_ships_min"].value, t["blank_lateness_headways"].derived
(2, True)
"""

from __future__ import annotations

import functools

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, read

__all__ = ["RESPONSE_THRESHOLDS", "response_thresholds"]

RESPONSE_THRESHOLDS: dict[str, tuple[float, float, bool]] = {
    "blank_lateness_headways": (0.1, 10.0, False),
    "demand_blank_share": (0.0, 1.0, False),
    "demand_window_sailings": (1, 52, True),
    "added_ships_share": (0.0, 2.0, False),
    "added_ships_min": (0, 20, True),
    "added_ship_lead_days": (0.0, 365.0, False),
    "added_ship_after_blanks": (1, 52, True),
    "rebase_after_sailings": (1, 52, True),
    "rebase_lateness_days": (0.0, 60.0, False),
    "omit_delay_headways": (0.0, 10.0, False),
    "reroute_margin_days": (0.0, 60.0, False),
    "reroute_readings": (1, 52, True),
}
"""Every threshold of ``data/responses.yaml``: ``name -> (low, high, whole number)``."""


@functools.cache
def response_thresholds() -> dict[str, Figure]:
    """The thresholds keyed by :data:`RESPONSE_THRESHOLDS` (cached; do not mutate)."""
    raw = read("responses.yaml")
    if not isinstance(raw, dict) or set(raw) != {"responses"}:
        raise DataError("data/responses.yaml: expected exactly one top-level 'responses:' mapping")
    body = raw["responses"]
    check_keys("data/responses.yaml: responses", body, set(RESPONSE_THRESHOLDS))
    out = {}
    for name, (low, high, whole) in RESPONSE_THRESHOLDS.items():
        where = f"data/responses.yaml: responses.{name}"
        fig = number_figure(body[name], where)
        if not low <= fig.value <= high or (whole and int(fig.value) != fig.value):
            kind = "a whole number" if whole else "a number"
            raise DataError(f"{where}: value must be {kind} in [{low:g}, {high:g}], got {fig.value!r}")
        out[name] = fig
    return out
