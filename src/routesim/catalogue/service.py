"""Liner services (``data/services.yaml``): a vessel class sailing a rotation on a headway.

>>> s = services()["cosco_chancay_shanghai"]
>>> s.rotation[0] in ports(), s.vessel in vessel_classes()
(True, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, one_line, section
from .port import ports
from .vessel import vessel_classes

__all__ = ["Service", "services", "repeats_a_port"]


def repeats_a_port(rotation) -> bool:
    """Whether a rotation calls at the same port twice in a row (the loop closing included).

    >>> repeats_a_port(["PECHY", "CNSHA"]), repeats_a_port(["PECHY", "CNSHA", "PECHY"])
    (False, True)
    """
    rotation = list(rotation)
    return any(a == b for a, b in zip(rotation, rotation[1:] + rotation[:1]))


@dataclass(frozen=True)
class Service:
    """A liner service: a vessel class sailing a rotation of ports on a fixed headway.

    Attributes
    ----------
    id, name, operator : str
        Short id (``cosco_chancay_shanghai``), display name and carriers.
    vessel : str
        Vessel class id (see :func:`vessel_classes`).
    rotation : tuple[str, ...]
        UN/LOCODEs of one round voyage in order; the loop closes back to the first.
        A port may appear twice (pendulum services).
    rotation_source : str
        Where the rotation comes from (address and date).
    headway_days : Figure
        Days between sailings (7 = weekly).
    speed_kn : Figure
        Average sea speed on passage (knots).
    """

    id: str
    name: str
    operator: str
    vessel: str
    rotation: tuple[str, ...]
    rotation_source: str
    headway_days: Figure
    speed_kn: Figure


@functools.cache
def services() -> dict[str, Service]:
    """All shipped liner services keyed by id (cached; do not mutate)."""
    known_ports = ports()
    known_vessels = vessel_classes()
    out: dict[str, Service] = {}
    for sid, raw in section("services.yaml", "services").items():
        where = f"data/services.yaml: {sid}"
        check_keys(where, raw, {"name", "operator", "vessel", "rotation", "rotation_source",
                                 "headway_days", "speed_kn"})
        if raw["vessel"] not in known_vessels:
            raise DataError(f"{where}.vessel: unknown vessel class {raw['vessel']!r}")
        rotation = raw["rotation"]
        if not isinstance(rotation, list) or len(rotation) < 2:
            raise DataError(f"{where}.rotation: needs at least two port calls")
        for code in rotation:
            if code not in known_ports:
                raise DataError(f"{where}.rotation: unknown port {code!r}")
        if repeats_a_port(rotation):
            raise DataError(f"{where}.rotation: the same port twice in a row")
        out[sid] = Service(
            id=sid,
            name=str(raw["name"]),
            operator=str(raw["operator"]),
            vessel=str(raw["vessel"]),
            rotation=tuple(str(c) for c in rotation),
            rotation_source=one_line(raw["rotation_source"]),
            headway_days=number_figure(raw["headway_days"], f"{where}.headway_days", positive=True),
            speed_kn=number_figure(raw["speed_kn"], f"{where}.speed_kn", positive=True),
        )
    return out
