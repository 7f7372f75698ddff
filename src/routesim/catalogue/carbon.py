"""Carbon rules and GLEC defaults (``data/carbon_rules.yaml``, ``data/glec.yaml``) as typed records.

:func:`carbon_rules` gives the sourced constants of FuelEU Maritime, the EU ETS for shipping
and the IMO CII for container ships; a year-indexed rule is a :class:`YearSteps` (the value of
the latest key at or before a year), and the draft IMO Net-Zero Framework (approved at MEPC 83,
not adopted: a what-if). :func:`glec_lanes` gives the GLEC Framework default
container trade-lane intensities, each with its edition, GWP set, distance basis and
utilisation convention; a lane the stored copies do not give is ``None`` with its gap.

>>> r = carbon_rules()
>>> r.fueleu_reduction.at(2031), r.ets_phase_in.at(2025), r.cii_z.at(2024), r.nzf_base_reduction.at(2030)
(0.06, 0.7, 0.07, 0.08)
>>> glec_lanes()["panama_trade"].dry_g_per_teu_km
80.4
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, one_line, parse_figure, read

__all__ = ["YearSteps", "CarbonRules", "GlecLane", "carbon_rules", "glec_lanes"]


@dataclass(frozen=True)
class YearSteps:
    """A value that steps at given years: ``at(year)`` is the value of the latest key <= year.

    Attributes
    ----------
    years : tuple[int, ...]
        Ascending first years.
    values : tuple[float, ...]
    before : float
        The value before the first year (0: the rule does not apply yet).
    """

    years: tuple[int, ...]
    values: tuple[float, ...]
    before: float = 0.0

    def at(self, year: int) -> float:
        """The value in force in ``year``."""
        out = self.before
        for y, v in zip(self.years, self.values):
            if year >= y:
                out = v
        return out


@dataclass(frozen=True)
class CarbonRules:
    """The constants of ``data/carbon_rules.yaml`` (each field's figure is in ``figures``).

    Attributes
    ----------
    fueleu_reference_g_per_mj, fueleu_penalty_eur_per_t_vlsfo_eq, fueleu_vlsfo_lcv_mj_per_t : float
    fueleu_reduction : YearSteps
        Share below the reference by year.
    fueleu_intra_eu_share, fueleu_extra_eu_share : float
    ets_intra_eu_share, ets_extra_eu_share : float
    ets_phase_in : YearSteps
        Share of verified emissions surrendered by emission year.
    ets_ch4_n2o_from_year : int
    ets_countries : tuple[str, ...]
        ISO 3166 codes of the countries whose ports the EU ETS covers (EU and EEA).
    cii_a, cii_c : float
        Container reference line ``a * DWT ** -c`` (g CO2 per DWT-nm).
    cii_dd : tuple[float, float, float, float]
        Rating boundaries d1..d4 (attained/required).
    cii_z : YearSteps
        Reduction factor Z by year.
    nzf_baseline_g_per_mj : float
        IMO Net-Zero Framework 2008 GHG fuel intensity baseline (g CO2e/MJ, well-to-wake).
    nzf_base_reduction, nzf_direct_reduction : YearSteps
        Base and direct-compliance target reductions by year (0 before 2028: not in force).
    nzf_tier1_usd_per_t, nzf_tier2_usd_per_t : float
        Remedial-unit prices (USD per t CO2e) below and above the base target.
    figures : dict[str, Figure]
        Every figure by dotted name, with its source.
    """

    fueleu_reference_g_per_mj: float
    fueleu_reduction: YearSteps
    fueleu_penalty_eur_per_t_vlsfo_eq: float
    fueleu_vlsfo_lcv_mj_per_t: float
    fueleu_intra_eu_share: float
    fueleu_extra_eu_share: float
    ets_intra_eu_share: float
    ets_extra_eu_share: float
    ets_phase_in: YearSteps
    ets_ch4_n2o_from_year: int
    cii_a: float
    cii_c: float
    cii_dd: tuple[float, float, float, float]
    cii_z: YearSteps
    nzf_baseline_g_per_mj: float
    nzf_base_reduction: YearSteps
    nzf_direct_reduction: YearSteps
    nzf_tier1_usd_per_t: float
    nzf_tier2_usd_per_t: float
    figures: dict[str, Figure] = field(default_factory=dict, compare=False)
    ets_countries: tuple[str, ...] = ()


def _steps(raw: dict, where: str, figs: dict[str, Figure]) -> YearSteps:
    if not isinstance(raw, dict) or not raw:
        raise DataError(f"{where}: expected a mapping of years")
    pairs = []
    for y, body in raw.items():
        if not str(y).isdigit():
            raise DataError(f"{where}: year keys must be years, got {y!r}")
        fig = figs[f"{where.split(': ')[-1]}.{y}"] = number_figure(body, f"{where}.{y}")
        pairs.append((int(y), float(fig.value)))
    pairs.sort()
    return YearSteps(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))


@functools.cache
def carbon_rules() -> CarbonRules:
    """The carbon rules of ``data/carbon_rules.yaml`` (cached)."""
    top = read("carbon_rules.yaml")
    check_keys("data/carbon_rules.yaml", top, {"rules"})
    raw = top["rules"]
    check_keys("data/carbon_rules.yaml: rules", raw, {"fueleu", "ets", "cii_container", "imo_nzf"})
    fe, ets, cii, nzf = raw["fueleu"], raw["ets"], raw["cii_container"], raw["imo_nzf"]
    check_keys("data/carbon_rules.yaml: fueleu", fe, {"reference_g_per_mj", "reduction_share",
               "penalty_eur_per_t_vlsfo_eq", "vlsfo_lcv_mj_per_t", "intra_eu_share", "extra_eu_share"})
    check_keys("data/carbon_rules.yaml: ets", ets, {"intra_eu_share", "extra_eu_share", "phase_in_share",
                                                    "ch4_n2o_from_year"}, {"countries"})
    check_keys("data/carbon_rules.yaml: cii_container", cii, {"a", "c", "dd", "z_share"})
    check_keys("data/carbon_rules.yaml: imo_nzf", nzf, {"baseline_g_per_mj", "base_reduction_share",
               "direct_reduction_share", "tier1_usd_per_t", "tier2_usd_per_t"})
    figs: dict[str, Figure] = {}

    def num(section: str, body: dict, key: str) -> float:
        fig = figs[f"{section}.{key}"] = number_figure(body[key], f"data/carbon_rules.yaml: {section}.{key}")
        return float(fig.value)

    dd = tuple(num("cii_container.dd", cii["dd"], k) for k in ("d1", "d2", "d3", "d4"))
    if list(dd) != sorted(dd):
        raise DataError("data/carbon_rules.yaml: cii_container.dd must be ascending")
    return CarbonRules(
        fueleu_reference_g_per_mj=num("fueleu", fe, "reference_g_per_mj"),
        fueleu_reduction=_steps(fe["reduction_share"], "data/carbon_rules.yaml: fueleu.reduction_share", figs),
        fueleu_penalty_eur_per_t_vlsfo_eq=num("fueleu", fe, "penalty_eur_per_t_vlsfo_eq"),
        fueleu_vlsfo_lcv_mj_per_t=num("fueleu", fe, "vlsfo_lcv_mj_per_t"),
        fueleu_intra_eu_share=num("fueleu", fe, "intra_eu_share"),
        fueleu_extra_eu_share=num("fueleu", fe, "extra_eu_share"),
        ets_intra_eu_share=num("ets", ets, "intra_eu_share"),
        ets_extra_eu_share=num("ets", ets, "extra_eu_share"),
        ets_phase_in=_steps(ets["phase_in_share"], "data/carbon_rules.yaml: ets.phase_in_share", figs),
        ets_ch4_n2o_from_year=int(num("ets", ets, "ch4_n2o_from_year")),
        cii_a=num("cii_container", cii, "a"),
        cii_c=num("cii_container", cii, "c"),
        cii_dd=dd,  # type: ignore[arg-type]
        cii_z=_steps(cii["z_share"], "data/carbon_rules.yaml: cii_container.z_share", figs),
        nzf_baseline_g_per_mj=num("imo_nzf", nzf, "baseline_g_per_mj"),
        nzf_base_reduction=_steps(nzf["base_reduction_share"], "data/carbon_rules.yaml: imo_nzf.base_reduction_share", figs),
        nzf_direct_reduction=_steps(nzf["direct_reduction_share"], "data/carbon_rules.yaml: imo_nzf.direct_reduction_share",
                                    figs),
        nzf_tier1_usd_per_t=num("imo_nzf", nzf, "tier1_usd_per_t"),
        nzf_tier2_usd_per_t=num("imo_nzf", nzf, "tier2_usd_per_t"),
        figures=figs,
        ets_countries=_countries(ets, figs),
    )


def _countries(ets: dict, figs: dict[str, Figure]) -> tuple[str, ...]:
    """``ets.countries``: the ISO 3166 codes of the countries the EU ETS covers."""
    if "countries" not in ets:
        return ()
    fig = figs["ets.countries"] = parse_figure(ets["countries"], "data/carbon_rules.yaml: ets.countries")
    if not isinstance(fig.value, list) or not all(isinstance(c, str) and len(c) == 2 for c in fig.value):
        raise DataError("data/carbon_rules.yaml: ets.countries: expected a list of ISO 3166 alpha-2 codes")
    return tuple(fig.value)


@dataclass(frozen=True)
class GlecLane:
    """A GLEC default container trade lane (``data/glec.yaml``).

    Attributes
    ----------
    id, name, edition : str
    gwp : str
        GWP set of the published CO2e (``ar6``, ``ar4``).
    distance_basis : str
        ``sfd`` (shortest feasible distance) or ``planned``.
    dry_g_per_teu_km, reefer_g_per_teu_km : float | None
        Well-to-wake g CO2e per TEU-km; None where the stored copies do not give it.
    utilisation : float
        The utilisation convention of the default (share of slots full).
    gaps : dict[str, str]
        Why a value is None.
    """

    id: str
    name: str
    edition: str
    gwp: str
    distance_basis: str
    dry_g_per_teu_km: float | None
    reefer_g_per_teu_km: float | None
    utilisation: float
    gaps: dict[str, str] = field(default_factory=dict, compare=False)


@functools.cache
def glec_lanes() -> dict[str, GlecLane]:
    """The GLEC default lanes keyed by id (cached)."""
    raw = read("glec.yaml")
    check_keys("data/glec.yaml", raw, {"lanes"})
    out: dict[str, GlecLane] = {}
    for lid, body in raw["lanes"].items():
        where = f"data/glec.yaml: {lid}"
        check_keys(where, body, {"name", "edition", "gwp", "distance_basis", "dry_g_per_teu_km",
                                 "reefer_g_per_teu_km", "utilisation"})
        if body["distance_basis"] not in ("sfd", "planned"):
            raise DataError(f"{where}.distance_basis: must be sfd or planned")
        vals: dict[str, float | None] = {}
        gaps: dict[str, str] = {}
        for k in ("dry_g_per_teu_km", "reefer_g_per_teu_km"):
            fig = dict(body[k])
            if "gap" in fig:
                gaps[k] = one_line(fig.pop("gap"))
            vals[k] = None if fig.get("value") is None else float(number_figure(fig, f"{where}.{k}", positive=True).value)
            if vals[k] is None and k not in gaps:
                raise DataError(f"{where}.{k}: value: null needs a 'gap:'")
        util = float(number_figure(body["utilisation"], f"{where}.utilisation", positive=True).value)
        out[lid] = GlecLane(id=lid, name=str(body["name"]), edition=str(body["edition"]), gwp=str(body["gwp"]),
                            distance_basis=body["distance_basis"], utilisation=util, gaps=gaps, **vals)
    return out
