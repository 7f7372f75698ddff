"""The fuel a vessel class burns, resolved for the engines: price and emission factors.

A vessel's fuel days (``data/vessels.yaml``) are tonnes of VLSFO; a ship on another fuel
burns the same energy, so its mass is ``t_per_t_vlsfo`` (VLSFO's lower calorific value over
the fuel's) times as much. :class:`FuelParams` holds the factors per tonne of the fuel
itself: tank-to-wake CO2 and CO2e, well-to-tank CO2e, the CO2e in the GLEC Framework v3 /
ISO 14083 GWP set (IPCC AR6 GWP100, :data:`routesim.catalogue.GLEC_GWP`).

>>> f = fuel_params("vlsfo")
>>> f.price_usd_per_t is None, round(f.ttw_co2e_t_per_t, 3), round(f.wtt_co2e_t_per_t, 3), f.t_per_t_vlsfo
(True, 3.165, 0.547, 1.0)
>>> round(fuel_params("methanol_bio").t_per_t_vlsfo, 3)
2.035
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import emissions as em
from ..catalogue.fuel import GLEC_GWP, fuels
from ..distributions import Distribution, parse
from ..errors import ScenarioError

__all__ = ["VLSFO", "FuelParams", "fuel_params"]

VLSFO = "vlsfo"
"""The fuel whose price and CO2 factor are ``costs.bunker_usd_per_t`` and ``costs.co2_t_per_t_fuel``."""


@dataclass(frozen=True)
class FuelParams:
    """A fuel's figures, per tonne of the fuel itself (units in the names).

    Attributes
    ----------
    id, name : str
    price_usd_per_t : Distribution or None
        USD per tonne of the fuel (``data/fuels.yaml``); None for VLSFO, priced by
        ``costs.bunker_usd_per_t``.
    t_per_t_vlsfo : float
        Tonnes of this fuel that hold the energy of one tonne of VLSFO (LCV ratio).
    co2_t_per_t : float
        Tank-to-wake CO2 only (t CO2 per t of fuel; VLSFO: replaced by ``costs.co2_t_per_t_fuel``).
    ttw_co2e_t_per_t, wtt_co2e_t_per_t : float
        Tank-to-wake (CO2, CH4, N2O, methane slip) and well-to-tank CO2e, t per t of fuel, AR6 GWP100.
    lcv_mj_per_t : float
        Lower calorific value (MJ per t of fuel).
    ghg_intensity_g_per_mj : float
        Well-to-wake GHG intensity with FuelEU Maritime's factors and GWP set (g CO2e/MJ): what
        FuelEU and the IMO Net-Zero Framework compare with their targets.
    """

    id: str
    name: str
    price_usd_per_t: Distribution | None
    t_per_t_vlsfo: float
    co2_t_per_t: float
    ttw_co2e_t_per_t: float
    wtt_co2e_t_per_t: float
    lcv_mj_per_t: float = 0.0
    ghg_intensity_g_per_mj: float = 0.0


def fuel_params(fuel_id: str, where: str = "") -> FuelParams:
    """The :class:`FuelParams` of fuel ``fuel_id`` of ``data/fuels.yaml``.

    A fuel other than VLSFO needs a price in the catalogue: a gap is an error naming it
    (``where`` is the scenario field that chose the fuel), never a silent VLSFO price.
    """
    cat = fuels()
    f = cat[fuel_id]
    price = None
    if fuel_id != VLSFO:
        if f.price_usd_per_t.value is None:
            raise ScenarioError([f"{where or 'fuel'}: {fuel_id} has no price in data/fuels.yaml "
                                 f"({f.gaps.get('price_usd_per_t', 'gap')}); choose a priced fuel"])
        price = parse(f.price_usd_per_t.value, nonnegative=True)
    return FuelParams(
        id=fuel_id, name=f.name, price_usd_per_t=price,
        t_per_t_vlsfo=float(cat[VLSFO].lcv_mj_per_g.value) / float(f.lcv_mj_per_g.value),
        co2_t_per_t=float(em.ttw_co2_t(1.0, f)),
        ttw_co2e_t_per_t=float(em.ttw_co2e_t(1.0, f, GLEC_GWP)),
        wtt_co2e_t_per_t=float(em.wtt_co2e_t(1.0, f)),
        lcv_mj_per_t=float(em.energy_mj(1.0, f)),
        ghg_intensity_g_per_mj=em.ghg_intensity_g_per_mj(f),
    )
