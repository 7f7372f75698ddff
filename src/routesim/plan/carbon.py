"""The rules that price carbon, resolved for a scenario: which apply, for which year, on which stretch.

:func:`carbon_params` reads the scenario's ``carbon_rules`` (the emission year defaults to the
year of ``start_date``, else :data:`routesim.emissions.ETS_YEAR`); :func:`stretch_shares` gives a
stretch of a route the shares of its emissions (EU ETS) and energy (FuelEU Maritime) that the EU
rules cover, at sea between its load and discharge ports and at berth in its discharge port, by
the ports' countries (:mod:`routesim.emissions`). The engines price them through
:func:`routesim.outcomes.shipment_columns`.

>>> stretch_shares("NL", "BR", 2025)
StretchShares(ets_sea=0.35, ets_berth=0.0, fueleu_sea=0.5, fueleu_berth=0.0)
>>> stretch_shares("BR", "NL", 2026).ets_berth, stretch_shares("PE", "CN", 2026) == StretchShares()
(1.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import emissions as em
from ..catalogue.grid import grid_gaps, grid_intensity

__all__ = ["CarbonParams", "StretchShares", "PlugGrid", "carbon_params", "stretch_shares", "plug_grid"]


@dataclass(frozen=True)
class CarbonParams:
    """Which carbon rules a run prices, and for which emission year.

    Attributes
    ----------
    year : int
        Emission year (EU ETS phase-in, FuelEU target, CII reduction factor, Net-Zero Framework targets).
    eu_ets, fueleu, imo_nzf : bool
        Price the EU ETS for shipping, FuelEU Maritime's penalty, the draft IMO Net-Zero Framework.
    """

    year: int = em.ETS_YEAR
    eu_ets: bool = True
    fueleu: bool = True
    imo_nzf: bool = False


@dataclass(frozen=True)
class StretchShares:
    """Shares of one stretch the EU rules cover (0 to 1; the ETS shares include the year's phase-in).

    Attributes
    ----------
    ets_sea, fueleu_sea : float
        Of the emissions / energy at sea and at intermediate calls, from the load to the discharge port.
    ets_berth, fueleu_berth : float
        Of the emissions / energy at berth in the discharge port (1 in an EU/EEA port, else 0).
    """

    ets_sea: float = 0.0
    ets_berth: float = 0.0
    fueleu_sea: float = 0.0
    fueleu_berth: float = 0.0


def carbon_params(scenario) -> CarbonParams:
    """The :class:`CarbonParams` of a :class:`~routesim.scenario.Scenario`."""
    spec = scenario.carbon_rules
    year = spec.year if spec.year is not None else (
        scenario.start_date.year if scenario.start_date is not None else em.ETS_YEAR)
    return CarbonParams(int(year), bool(spec.eu_ets), bool(spec.fueleu), bool(spec.imo_nzf))


def stretch_shares(load_country: str, discharge_country: str, year: int = em.ETS_YEAR) -> StretchShares:
    """The :class:`StretchShares` of a stretch from a port in ``load_country`` to one in
    ``discharge_country`` (ISO 3166 codes) in emission year ``year``."""
    ets_berth, fueleu_berth = em.berth_shares(discharge_country, year)
    return StretchShares(em.stretch_ets_share(load_country, discharge_country, year), ets_berth,
                         em.stretch_fueleu_share(load_country, discharge_country), fueleu_berth)


@dataclass(frozen=True)
class PlugGrid:
    """Grid carbon intensity where a reefer box is on plug (g CO2e per kWh; ``data/grid.yaml``).

    Attributes
    ----------
    origin, destination : float
        At the origin terminal (export cut-off and the wait for the first sailing) and at the
        destination (discharge and import dwell); NaN where the country is a gap.
    hub : float
        Mean over the transshipment hubs (NaN if one is a gap; 0 without a hub).
    gaps : tuple[str, ...]
        Countries without a figure, with the reason (their on-plug emissions are missing).
    """

    origin: float
    hub: float
    destination: float
    gaps: tuple[str, ...] = ()


def plug_grid(origin_country: str, hub_countries, destination_country: str) -> PlugGrid:
    """The :class:`PlugGrid` of a route calling its origin, hubs and destination in these countries.

    >>> plug_grid("PE", ["MX"], "CN").destination
    582.0
    """
    table, gaps = grid_intensity(), grid_gaps()
    missing: list[str] = []

    def g(country: str) -> float:
        if country in table:
            return float(table[country].value)
        missing.append(f"{country}: {gaps.get(country, 'no grid carbon intensity in data/grid.yaml')}")
        return float("nan")

    o, d = g(origin_country), g(destination_country)
    hubs = [g(c) for c in hub_countries]
    return PlugGrid(o, sum(hubs) / len(hubs) if hubs else 0.0, d, tuple(dict.fromkeys(missing)))
