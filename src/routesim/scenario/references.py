"""Cross-field checks of a scenario that pydantic cannot make field by field.

New services and vessel classes must be complete, segments must join up, and a
service must call at the ports a route loads and discharges at.
"""

from __future__ import annotations

from .. import catalogue
from .._suggest import did_you_mean
from ..catalogue import port_label
from ..catalogue.service import repeats_a_port

__all__ = ["check_references"]


def check_references(s) -> list[tuple[list, str]]:
    """Cross-field checks pydantic cannot see field by field.

    Parameters
    ----------
    s : Scenario
        A scenario whose fields are each valid.

    Returns
    -------
    list of (path, message)
        Each problem with the path (a list of keys and indices) of the field it is about.
    """
    problems = _service_problems(s) + _vessel_problems(s)
    for rname, route in s.routes.items():
        problems += _route_problems(s, rname, route)
    return problems


def _service_problems(s) -> list[tuple[list, str]]:
    """Services the scenario adds must be complete; no rotation calls at a port twice in a row."""
    problems: list[tuple[list, str]] = []
    for name, spec in s.services.items():
        if name not in catalogue.services():
            missing = [f"'{key}'" for key in ("vessel", "rotation") if getattr(spec, key) is None]
            if missing:
                hint = did_you_mean(name, list(catalogue.services()))
                hint = f"; or did you mean the catalogue's {hint.removeprefix(' (did you mean ')[:-1]}" if hint else ""
                problems.append((["services", name], f"'{name}' is not in the catalogue, so it needs "
                                                     f"{' and '.join(missing)}{hint}"))
        if spec.rotation is not None and repeats_a_port(spec.rotation):
            problems.append((["services", name, "rotation"], "the same port twice in a row"))
    return problems


def _vessel_problems(s) -> list[tuple[list, str]]:
    """A vessel class the scenario adds needs a base class or its main figures."""
    problems: list[tuple[list, str]] = []
    for name, spec in s.vessels.items():
        if name not in catalogue.vessel_classes() and name not in catalogue.tramp_classes() and spec.base is None:
            missing = [f for f in ("teu", "design_speed_kn", "design_fuel_t_per_day") if getattr(spec, f) is None]
            if missing:
                problems.append((["vessels", name], f"a new vessel class needs 'base' or {', '.join(missing)}"))
    return problems


def _route_problems(s, rname: str, route) -> list[tuple[list, str]]:
    """Each stretch of route ``rname`` joins up, says how it sails, and its service calls at its ends."""
    problems: list[tuple[list, str]] = []
    start = route.origin
    for i, seg in enumerate(route.resolved_segments()):
        where = ["routes", rname] + (["segments", i] if route.segments is not None else [])
        if route.segments is not None:
            svc_where = where + ["service"]
        elif route.services is not None:
            svc_where = ["routes", rname, "services", i]
        else:
            svc_where = ["routes", rname, "service"]
        end = seg.to or route.destination
        if end == start:
            problems.append((where, f"a segment starts and ends at {port_label(start)}"))
        if seg.service is None and seg.vessel is None:
            problems.append((where, "say how this stretch sails: 'service' or 'vessel'"))
        if seg.service is not None:
            rotation = _rotation(s, seg.service)
            roles = (("the origin" if start == route.origin else "the transshipment hub where it loads"),
                     ("the destination" if end == route.destination else "the transshipment hub"))
            for port, role in zip((start, end), roles):
                if rotation is not None and port not in rotation:
                    problems.append((svc_where, f"service '{seg.service}' does not call at {port_label(port)} "
                                                f"({role}); its rotation is {', '.join(rotation)}"))
            if seg.via:
                problems.append((where + ["via"], "'via' is for stretches without a service "
                                                  "(a service's calls come from its rotation)"))
        start = end
    return problems


def _rotation(s, service: str) -> list[str] | None:
    """The ports of ``service``'s rotation, the scenario's own or the catalogue's (None if not given)."""
    spec = s.services.get(service)
    if spec is not None and spec.rotation is not None:
        return list(spec.rotation)
    cat = catalogue.services().get(service)
    return list(cat.rotation) if cat is not None else None
