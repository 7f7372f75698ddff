"""Greenhouse-gas quantities of burning marine fuel, and the rules that price or rate them.

Pure, vectorised functions: fuel masses are numbers or numpy arrays (tonnes) and broadcast;
the factors come from the catalogue (:func:`routesim.catalogue.fuels`, ``data/fuels.yaml``;
:func:`routesim.catalogue.carbon_rules`, ``data/carbon_rules.yaml``; :func:`routesim.catalogue.glec_lanes`).
The engines' per-shipment columns use them through :mod:`routesim.plan.fuels` (each vessel
class's fuel) and :func:`routesim.outcomes.shipment_columns`.

Quantities (GLEC Framework v3 / ISO 14083 words; FuelEU Maritime Annex I formulas):

* **TTW** (tank-to-wake), t CO2e = fuel_t x [(1 - s)(Cf_CO2 + Cf_CH4 GWP_CH4 + Cf_N2O GWP_N2O) + s GWP_CH4],
  s = Cslip / 100 (the slipped fuel is methane, FuelEU Annex I's Csf_CH4 = 1).
* **WTT** (well-to-tank), t CO2e = fuel_t x LCV (MJ/g) x WtT (g CO2e/MJ).
* **WTW** = WTT + TTW.

CO2e needs a GWP100 set (:func:`routesim.catalogue.gwp_sets`): ``fueleu`` (CH4 25, N2O 298; the
set FuelEU prescribes), ``ar5`` (28, 265) or ``ar6`` (29.8, 273; the GLEC v3 default tables).
Bio- and e-fuels follow the FuelEU convention: the carbon they took up is credited in WTT
(which may be negative) and their combustion CO2 stays in TTW, so only WTW is comparable
with a GLEC report that counts biogenic TTW CO2 as zero.

For VLSFO (FuelEU's HFO row) the factors give TTW 3.169, WTT 0.547, WTW 3.716 t CO2e per t of
fuel, WTW/TTW = 1.17:

>>> from routesim.catalogue import fuels
>>> v = fuels()["vlsfo"]
>>> round(float(ttw_co2e_t(1.0, v, "fueleu")), 3), round(float(wtt_co2e_t(1.0, v)), 3)
(3.169, 0.547)
>>> round(float(ghg_intensity_g_per_mj(v)), 2)   # FuelEU well-to-wake, g CO2e/MJ
91.74
>>> ets_share(False, False, False, 2026)          # a Latin America - Asia leg
0.0
>>> round(float(nzf_cost_usd(ghg_intensity_g_per_mj(v), energy_mj(1000, v), 2030)))   # a what-if: not adopted
140050
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .catalogue.carbon import CarbonRules, carbon_rules, glec_lanes
from .catalogue.fuel import Fuel, GwpSet, gwp_sets
from .errors import DataError

__all__ = [
    "ttw_factor_t_per_t",
    "ttw_co2e_t",
    "ttw_co2_t",
    "wtt_co2e_t",
    "wtw_co2e_t",
    "energy_mj",
    "ghg_intensity_g_per_mj",
    "fueleu_target_g_per_mj",
    "fueleu_compliance_balance_g",
    "fueleu_penalty_eur",
    "ets_share",
    "ets_covered_t",
    "fueleu_share",
    "stretch_fueleu_share",
    "berth_shares",
    "nzf_targets_g_per_mj",
    "nzf_cost_usd",
    "cii_required",
    "cii_rating",
    "CII_RATINGS",
    "glec_default_g_per_teu_km",
    "abatement_cost_usd_per_t",
    "ETS_YEAR",
    "stretch_ets_share",
]

ETS_YEAR = 2026
"""The emission year the engines apply the EU ETS for (its full phase-in, 100 %, with CH4 and N2O)."""

CII_RATINGS = ("A", "B", "C", "D", "E")
"""IMO CII ratings, best first."""


def _a(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _gwp(gwp: GwpSet | str) -> GwpSet:
    if isinstance(gwp, GwpSet):
        return gwp
    sets = gwp_sets()
    if gwp not in sets:
        raise DataError(f"unknown GWP set {gwp!r}; expected one of {sorted(sets)}")
    return sets[gwp]


def ttw_factor_t_per_t(fuel: Fuel, gwp: GwpSet | str = "fueleu") -> float:
    """Tank-to-wake t CO2e per t of fuel, methane slip included (FuelEU Annex I, equation 2).

    >>> from routesim.catalogue import fuels
    >>> round(ttw_factor_t_per_t(fuels()["lng_otto_ms"]), 4)
    3.4715
    """
    g = _gwp(gwp)
    s = float(fuel.slip_pct.value) / 100.0
    burned = float(fuel.cf_co2_g_per_g.value) + float(fuel.cf_ch4_g_per_g.value) * g.ch4 \
        + float(fuel.cf_n2o_g_per_g.value) * g.n2o
    return (1.0 - s) * burned + s * g.ch4


def ttw_co2e_t(fuel_t, fuel: Fuel, gwp: GwpSet | str = "fueleu"):
    """Tank-to-wake CO2e (t) of burning ``fuel_t`` tonnes of ``fuel`` (CO2, CH4, N2O, slip)."""
    return _a(fuel_t) * ttw_factor_t_per_t(fuel, gwp)


def ttw_co2_t(fuel_t, fuel: Fuel):
    """Tank-to-wake CO2 only (t): the burned share's Cf CO2 (what the EU ETS covers before 2026).

    >>> from routesim.catalogue import fuels
    >>> float(ttw_co2_t(10, fuels()["vlsfo"]))
    31.14
    """
    s = float(fuel.slip_pct.value) / 100.0
    return _a(fuel_t) * (1.0 - s) * float(fuel.cf_co2_g_per_g.value)


def energy_mj(fuel_t, fuel: Fuel):
    """Energy (MJ, lower calorific value) in ``fuel_t`` tonnes of ``fuel``."""
    return _a(fuel_t) * float(fuel.lcv_mj_per_g.value) * 1e6


def wtt_co2e_t(fuel_t, fuel: Fuel):
    """Well-to-tank CO2e (t) of ``fuel_t`` tonnes: energy (MJ) x WtT (g CO2e/MJ) / 1e6.

    Negative for a bio- or e-fuel whose WtT credits the carbon it took up (FuelEU convention).
    """
    return _a(fuel_t) * float(fuel.lcv_mj_per_g.value) * float(fuel.wtt_g_per_mj.value)


def wtw_co2e_t(fuel_t, fuel: Fuel, gwp: GwpSet | str = "fueleu"):
    """Well-to-wake CO2e (t) = WTT + TTW."""
    return wtt_co2e_t(fuel_t, fuel) + ttw_co2e_t(fuel_t, fuel, gwp)


def ghg_intensity_g_per_mj(fuel: Fuel, gwp: GwpSet | str = "fueleu") -> float:
    """FuelEU well-to-wake GHG intensity of one fuel, g CO2e/MJ: WtT + TTW factor / LCV.

    (No wind reward and no RFNBO reward factor RWD: both are ship- and year-specific.)

    >>> from routesim.catalogue import fuels
    >>> round(ghg_intensity_g_per_mj(fuels()["lng_otto_ms"]), 2)
    89.2
    """
    return float(fuel.wtt_g_per_mj.value) + ttw_factor_t_per_t(fuel, gwp) / float(fuel.lcv_mj_per_g.value)


def fueleu_target_g_per_mj(year: int, rules: CarbonRules | None = None) -> float:
    """FuelEU GHG-intensity limit of ``year``: 91.16 x (1 - reduction), g CO2e/MJ.

    >>> round(fueleu_target_g_per_mj(2025), 4), round(fueleu_target_g_per_mj(2050), 3)
    (89.3368, 18.232)
    """
    r = rules or carbon_rules()
    return r.fueleu_reference_g_per_mj * (1.0 - r.fueleu_reduction.at(year))


def fueleu_compliance_balance_g(intensity_g_per_mj, energy_mj_in_scope, year: int,
                                rules: CarbonRules | None = None):
    """FuelEU compliance balance, g CO2e: (target - actual intensity) x energy in scope (Annex IV Part A).

    Positive is a surplus, negative a deficit.
    """
    return (fueleu_target_g_per_mj(year, rules) - _a(intensity_g_per_mj)) * _a(energy_mj_in_scope)


def fueleu_penalty_eur(intensity_g_per_mj, energy_mj_in_scope, year: int, rules: CarbonRules | None = None):
    """FuelEU remedial penalty, EUR (Annex IV Part B): deficit / (actual intensity x 41,000 MJ/t)
    x 2,400 EUR per t VLSFO-equivalent; 0 where the balance is not a deficit.

    >>> from routesim.catalogue import fuels
    >>> v = fuels()["vlsfo"]
    >>> round(float(fueleu_penalty_eur(ghg_intensity_g_per_mj(v), energy_mj(1000, v), 2025)))
    62209
    """
    r = rules or carbon_rules()
    intensity = _a(intensity_g_per_mj)
    deficit = np.maximum(-fueleu_compliance_balance_g(intensity, energy_mj_in_scope, year, r), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_vlsfo_eq = np.where(deficit > 0, deficit / (intensity * r.fueleu_vlsfo_lcv_mj_per_t), 0.0)
    return t_vlsfo_eq * r.fueleu_penalty_eur_per_t_vlsfo_eq


def ets_share(from_in_eu: bool, to_in_eu: bool, at_berth_in_eu: bool, year: int,
              rules: CarbonRules | None = None) -> float:
    """Share of a leg's emissions the EU ETS makes a company surrender allowances for.

    1.0 for time at berth in an EU port and for a voyage between EU ports, 0.5 for a voyage
    into or out of the EU, 0 otherwise (Directive (EU) 2023/959), times the phase-in of the
    emission year (40 % for 2024, 70 % for 2025, 100 % from 2026; 0 before 2024).

    Parameters
    ----------
    from_in_eu, to_in_eu : bool
        The leg's previous and next ports of call are in the EU/EEA.
    at_berth_in_eu : bool
        The leg is a stay at berth in an EU/EEA port (then ``from_in_eu``/``to_in_eu`` are ignored).
    year : int
        Emission year.

    >>> ets_share(True, True, False, 2026), ets_share(True, False, False, 2025), ets_share(False, False, True, 2024)
    (1.0, 0.35, 0.4)
    """
    r = rules or carbon_rules()
    if at_berth_in_eu or (from_in_eu and to_in_eu):
        base = r.ets_intra_eu_share
    elif from_in_eu or to_in_eu:
        base = r.ets_extra_eu_share
    else:
        base = 0.0
    return float(base * r.ets_phase_in.at(year))


def fueleu_share(from_in_eu: bool, to_in_eu: bool, at_berth_in_eu: bool,
                 rules: CarbonRules | None = None) -> float:
    """Share of a leg's energy in the scope of FuelEU Maritime (Regulation (EU) 2023/1805 Article 2):
    all of it at berth in an EU port and between EU ports, half on a voyage into or out of the EU.

    >>> fueleu_share(True, True, False), fueleu_share(False, True, False), fueleu_share(False, False, False)
    (1.0, 0.5, 0.0)
    """
    r = rules or carbon_rules()
    if at_berth_in_eu or (from_in_eu and to_in_eu):
        return float(r.fueleu_intra_eu_share)
    if from_in_eu or to_in_eu:
        return float(r.fueleu_extra_eu_share)
    return 0.0


def stretch_fueleu_share(from_country: str, to_country: str, rules: CarbonRules | None = None) -> float:
    """:func:`fueleu_share` of a voyage between ports in two countries (ISO 3166 codes; the EU ETS list
    of ``data/carbon_rules.yaml`` stands for the EU/EEA ports both rules cover).

    >>> stretch_fueleu_share("ES", "NL"), stretch_fueleu_share("BR", "NL"), stretch_fueleu_share("PE", "CN")
    (1.0, 0.5, 0.0)
    """
    r = rules or carbon_rules()
    return fueleu_share(from_country in r.ets_countries, to_country in r.ets_countries, False, r)


def berth_shares(country: str, year: int = ETS_YEAR, rules: CarbonRules | None = None) -> tuple[float, float]:
    """(EU ETS share, FuelEU share) of the emissions and energy of a stay at berth in a port of ``country``.

    >>> berth_shares("NL", 2025), berth_shares("CN")
    ((0.7, 1.0), (0.0, 0.0))
    """
    r = rules or carbon_rules()
    eu = country in r.ets_countries
    return ets_share(False, False, eu, year, r), fueleu_share(False, False, eu, r)


def stretch_ets_share(from_country: str, to_country: str, year: int = ETS_YEAR,
                      rules: CarbonRules | None = None) -> float:
    """:func:`ets_share` of a voyage from a port in ``from_country`` to one in ``to_country``
    (ISO 3166 codes; the EU ETS countries are ``data/carbon_rules.yaml`` ``ets.countries``).

    >>> stretch_ets_share("NL", "DE"), stretch_ets_share("NL", "CN"), stretch_ets_share("PE", "CN")
    (1.0, 0.5, 0.0)
    """
    r = rules or carbon_rules()
    return ets_share(from_country in r.ets_countries, to_country in r.ets_countries, False, year, r)


def ets_covered_t(fuel_t, fuel: Fuel, share: float, year: int, gwp: GwpSet | str,
                  rules: CarbonRules | None = None):
    """Emissions (t CO2 or CO2e) allowances are due for: ``share`` (:func:`ets_share`) of TTW CO2,
    and from 2026 of TTW CO2e with CH4 and N2O (``gwp``: the ETS's set, an argument because the
    amended MRV Regulation's values were not checked here).

    >>> from routesim.catalogue import fuels
    >>> float(ets_covered_t(10, fuels()["vlsfo"], 0.5, 2025, "ar5"))
    15.57
    """
    r = rules or carbon_rules()
    if year >= r.ets_ch4_n2o_from_year:
        return share * ttw_co2e_t(fuel_t, fuel, gwp)
    return share * ttw_co2_t(fuel_t, fuel)


def nzf_targets_g_per_mj(year: int, rules: CarbonRules | None = None) -> tuple[float, float] | None:
    """(base target, direct compliance target) GHG fuel intensity of the draft IMO Net-Zero Framework
    for ``year``, g CO2e/MJ (93.3 x (1 - reduction)); None before its first year (2028).

    >>> nzf_targets_g_per_mj(2028), nzf_targets_g_per_mj(2027)
    ((89.568, 77.439), None)
    """
    r = rules or carbon_rules()
    if year < r.nzf_base_reduction.years[0]:
        return None
    b = r.nzf_baseline_g_per_mj
    return round(b * (1.0 - r.nzf_base_reduction.at(year)), 6), round(b * (1.0 - r.nzf_direct_reduction.at(year)), 6)


def nzf_cost_usd(intensity_g_per_mj, energy_mj_used, year: int, rules: CarbonRules | None = None):
    """What the draft IMO Net-Zero Framework would charge for ``energy_mj_used`` MJ at a GHG fuel
    intensity of ``intensity_g_per_mj`` (well-to-wake g CO2e/MJ), USD: Tier 2 remedial units (380 USD
    per t CO2e) for the deficit above the base target, Tier 1 (100 USD) for the deficit between the
    base and the direct compliance target; 0 before 2028 and below the direct compliance target (no
    credit for surplus units).

    >>> float(nzf_cost_usd(95.0, 1e9, 2026)), round(float(nzf_cost_usd(80.0, 1e9, 2028)), 1)
    (0.0, 256100.0)
    """
    r = rules or carbon_rules()
    targets = nzf_targets_g_per_mj(year, r)
    gfi, energy = _a(intensity_g_per_mj), _a(energy_mj_used)
    if targets is None:
        return np.zeros(np.broadcast(gfi, energy).shape)
    base, direct = targets
    tier2_t = np.maximum(gfi - base, 0.0) * energy / 1e6
    tier1_t = np.maximum(np.minimum(gfi, base) - direct, 0.0) * energy / 1e6
    return tier1_t * r.nzf_tier1_usd_per_t + tier2_t * r.nzf_tier2_usd_per_t


def cii_required(dwt, year: int, rules: CarbonRules | None = None):
    """Required CII of a container ship, g CO2 per DWT-nm: a x DWT^-c x (1 - Z(year))
    (MEPC.353(78) reference line, a = 1984, c = 0.489; Z from MEPC.338(76) and MEPC.400(83)).

    >>> round(float(cii_required(100_000, 2026)), 3)
    6.338
    """
    r = rules or carbon_rules()
    return r.cii_a * _a(dwt) ** (-r.cii_c) * (1.0 - r.cii_z.at(year))


def cii_rating(attained, required, rules: CarbonRules | None = None):
    """CII rating letters (A-E) of attained/required ratios against the container dd vector
    (MEPC.354(78): A up to d1, B up to d2, C up to d3, D up to d4, E above).

    >>> cii_rating([5.0, 6.5, 7.0, 7.6, 9.0], 7.0).tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    r = rules or carbon_rules()
    ratio = _a(attained) / _a(required)
    idx = np.searchsorted(np.asarray(r.cii_dd), ratio, side="left")
    return np.asarray(CII_RATINGS)[idx]


def glec_default_g_per_teu_km(lane: str, reefer: bool = False) -> float:
    """The GLEC Framework default well-to-wake intensity of a container trade lane, g CO2e/TEU-km.

    Raises :class:`~routesim.errors.DataError` naming the gap where the stored copies do not
    give the lane (see ``data/glec.yaml`` for each lane's edition, GWP set and utilisation).

    >>> glec_default_g_per_teu_km("panama_trade")
    80.4
    """
    lanes = glec_lanes()
    if lane not in lanes:
        raise DataError(f"unknown GLEC lane {lane!r}; expected one of {sorted(lanes)}")
    key = "reefer_g_per_teu_km" if reefer else "dry_g_per_teu_km"
    value = getattr(lanes[lane], key)
    if value is None:
        raise DataError(f"data/glec.yaml: {lane}.{key}: no published value: {lanes[lane].gaps.get(key, '')}")
    return value


def abatement_cost_usd_per_t(cost_usd, co2e_t, base_cost_usd, base_co2e_t):
    """Abatement cost of an option against a baseline, USD per t CO2e avoided:
    (cost - base cost) / (base CO2e - CO2e), per the same unit (e.g. one TEU).

    NaN where the option avoids nothing (CO2e not below the baseline's). A negative cost is a
    saving: the option is cheaper and cleaner.

    >>> round(float(abatement_cost_usd_per_t(900.0, 0.3, 500.0, 0.7)), 6)
    1000.0
    >>> float(abatement_cost_usd_per_t(600.0, 0.8, 500.0, 0.7))
    nan
    """
    avoided = _a(base_co2e_t) - _a(co2e_t)
    extra = _a(cost_usd) - _a(base_cost_usd)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(avoided > 0, extra / avoided, np.nan)
