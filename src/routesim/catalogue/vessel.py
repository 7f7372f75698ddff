"""Container-ship classes (``data/vessels.yaml``).

>>> v = vessel_classes()["neopanamax_14000"]
>>> v.teu.value, v.service_speed_kn.value <= v.design_speed_kn.value, v.fuel.value
(14000, True, 'vlsfo')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, parse_figure, section
from .fuel import fuels

__all__ = ["VesselClass", "vessel_classes"]


@dataclass(frozen=True)
class VesselClass:
    """A container-ship class (``data/vessels.yaml``).

    Attributes
    ----------
    id, name : str
        Short id (``neopanamax_14000``) and display name.
    teu : Figure
        Nominal capacity (TEU).
    design_speed_kn, service_speed_kn : Figure
        Design speed and typical slow-steaming service speed (knots).
    design_fuel_t_per_day : Figure
        Main-engine fuel at design speed (tonnes per day).
    aux_fuel_t_per_day, port_fuel_t_per_day : Figure
        Auxiliaries and boiler at sea; all consumers at berth or anchor (tonnes per day).
    charter_usd_per_day : Figure
        Time-charter hire, which covers the owner's operating costs (USD per day).
    moves_per_call : Figure
        Container moves exchanged at one deep-sea call.
    extra : dict[str, Figure]
        Optional figures: ``loa_m``, ``max_draft_m``, ``reefer_plugs``, ``dwt`` (tonnes deadweight).
    fuel : Figure
        The fuel the class burns: an id of ``data/fuels.yaml`` (VLSFO unless the class says otherwise).
    """

    id: str
    name: str
    teu: Figure
    design_speed_kn: Figure
    service_speed_kn: Figure
    design_fuel_t_per_day: Figure
    aux_fuel_t_per_day: Figure
    port_fuel_t_per_day: Figure
    charter_usd_per_day: Figure
    moves_per_call: Figure
    extra: dict[str, Figure] = field(default_factory=dict)
    fuel: Figure = Figure("vlsfo", "default")


_VESSEL_FIGS = (
    "teu",
    "design_speed_kn",
    "service_speed_kn",
    "design_fuel_t_per_day",
    "aux_fuel_t_per_day",
    "port_fuel_t_per_day",
    "charter_usd_per_day",
    "moves_per_call",
)
_VESSEL_EXTRA = ("loa_m", "max_draft_m", "reefer_plugs", "dwt")


@functools.cache
def vessel_classes() -> dict[str, VesselClass]:
    """All vessel classes keyed by id (cached; do not mutate)."""
    out: dict[str, VesselClass] = {}
    for vid, raw in section("vessels.yaml", "vessel_classes").items():
        where = f"data/vessels.yaml: {vid}"
        check_keys(where, raw, {"name", *_VESSEL_FIGS}, {"fuel", *_VESSEL_EXTRA})
        positive = {"teu", "design_speed_kn", "service_speed_kn", "design_fuel_t_per_day", "moves_per_call"}
        figs = {k: number_figure(raw[k], f"{where}.{k}", positive=k in positive) for k in _VESSEL_FIGS}
        if figs["service_speed_kn"].value > figs["design_speed_kn"].value:
            raise DataError(f"{where}: service_speed_kn exceeds design_speed_kn")
        extra = {k: number_figure(raw[k], f"{where}.{k}", positive=True) for k in _VESSEL_EXTRA if k in raw}
        fuel = parse_figure(raw["fuel"], f"{where}.fuel") if "fuel" in raw else VesselClass.fuel
        if fuel.value not in fuels():
            raise DataError(f"{where}.fuel: unknown fuel {fuel.value!r}; expected one of {sorted(fuels())}")
        out[vid] = VesselClass(id=vid, name=str(raw["name"]), extra=extra, fuel=fuel, **figs)
    return out
