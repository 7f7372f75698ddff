"""The carriers' responses to trouble as the Plan carries them: switches and thresholds.

The scenario's ``des.responses`` switches (:class:`routesim.scenario.DesResponses`)
and the thresholds of ``data/responses.yaml``
(:func:`routesim.catalogue.responses.response_thresholds`), resolved once; the
discrete-event engine reads them from ``plan.options.responses``
(:mod:`routesim.engines.des.responses` applies them).

>>> r = response_params(None)
>>> r.blank_sailings, r.added_ships_min, r.blank_lateness_headways
(True, 2, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue.responses import response_thresholds

__all__ = ["ResponseParams", "response_params", "reroute_pays", "SWITCHES"]

SWITCHES = ("blank_sailings", "added_ships", "rebase", "reroute", "omit_calls")
"""The scenario's ``des.responses`` switches."""


@dataclass(frozen=True)
class ResponseParams:
    """Which responses the discrete-event engine models and their thresholds (days, shares; the
    thresholds' values and sources are in ``data/responses.yaml``)."""

    blank_lateness_headways: float
    """A sailing is blanked when its vessel would reach the start port later than this many headways after schedule."""
    demand_blank_share: float
    """Blank the next sailing when the recent mean load falls below this share of the normal load."""
    demand_window_sailings: int
    added_ships_share: float
    """Most ships a service adds, as a share of its pro-forma fleet (rounded up)."""
    added_ships_min: int
    """... and at least this many."""
    added_ship_lead_days: float
    added_ship_after_blanks: int
    """Vessels in a row too late for their next sailing before a ship is added."""
    """Days from the decision to add a ship to its first sailing."""
    rebase_after_sailings: int
    rebase_lateness_days: float
    omit_delay_headways: float
    """Omit a call when the delay to expect there before a berth exceeds this many headways."""
    reroute_margin_days: float
    reroute_readings: int
    """Readings of a canal's queue a service averages before it decides to go round."""
    blank_sailings: bool = True
    added_ships: bool = True
    rebase: bool = True
    reroute: bool = True
    omit_calls: bool = True

    @property
    def any_fleet(self) -> bool:
        """True when a response changes which vessel makes which sailing (blanks or added ships)."""
        return self.blank_sailings or self.added_ships

    def added_ships_limit(self, vessels: int) -> int:
        """Most ships a service of ``vessels`` pro-forma vessels may add.

        >>> r = response_params(None)
        >>> r.added_ships_limit(8), r.added_ships_limit(12)
        (3, 4)
        """
        if not self.added_ships:
            return 0
        share = -(-self.added_ships_share * vessels // 1)  # ceil
        return int(max(self.added_ships_min, share))


def response_params(spec) -> ResponseParams:
    """The responses of a scenario's ``des.responses`` section (None: all on), with the shipped thresholds."""
    t = {k: f.value for k, f in response_thresholds().items()}
    for k in ("demand_window_sailings", "added_ships_min", "added_ship_after_blanks", "rebase_after_sailings",
              "reroute_readings"):
        t[k] = int(t[k])
    switches = {k: bool(getattr(spec, k)) for k in SWITCHES} if spec is not None else {}
    return ResponseParams(**switches, **t)


def reroute_pays(expected_wait, allowed_wait: float, detour_days: float, margin_days: float):
    """True when waiting ``expected_wait`` days at a canal whose pro-forma allows ``allowed_wait``
    costs more than going the way round, ``detour_days`` longer than the pro-forma passage
    (a way round that is shorter counts as 0: the scenario chose the canal) plus ``margin_days``.

    The rule of both engines: the discrete-event engine asks it for a vessel leaving a call,
    the Monte Carlo engine for an array of shipments (``expected_wait`` an array: an array
    of bools back).

    >>> reroute_pays(2.0, 1.0, -1.5, 1.0)     # a day more than planned is within the margin
    False
    >>> reroute_pays(10.0, 1.0, 3.7, 1.0)
    True
    """
    excess = expected_wait - allowed_wait
    return (excess > 0) & (excess > max(detour_days, 0.0) + margin_days)
