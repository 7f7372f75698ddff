"""Marine fuels and GWP100 sets (``data/fuels.yaml``): the factors the emission rules read.

Each :class:`Fuel` carries the FuelEU Maritime (Regulation (EU) 2023/1805, Annex II)
quantities: lower calorific value, well-to-tank factor, tank-to-wake CO2/CH4/N2O factors
and methane slip, each a sourced :class:`~routesim.catalogue.figures.Figure`, and a price
as a distribution expression (or a gap). :func:`gwp_sets` holds the GWP100 values the
CO2e sums use: ``fueleu`` (CH4 25, N2O 298, the set FuelEU prescribes), ``ar5`` and
``ar6`` (GLEC Framework v3 / ISO 14083 default tables are in AR6 values).

>>> f = fuels()["vlsfo"]
>>> f.lcv_mj_per_g.value, f.cf_co2_g_per_g.value, f.slip_pct.value
(0.0405, 3.114, 0)
>>> gwp_sets()["fueleu"].ch4, gwp_sets()["ar5"].n2o
(25.0, 265.0)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..distributions import parse
from ..errors import DataError, DistributionError
from .figures import Figure, check_keys, number_figure, one_line, parse_figure, read

__all__ = ["Fuel", "GwpSet", "fuels", "gwp_sets", "FUEL_FACTORS", "GLEC_GWP"]

FUEL_FACTORS = ("lcv_mj_per_g", "wtt_g_per_mj", "cf_co2_g_per_g", "cf_ch4_g_per_g", "cf_n2o_g_per_g", "slip_pct")
"""The emission factors every fuel states (units in the names; ``wtt_g_per_mj`` may be negative)."""

_EXTRA = ("bio_mass_share", "scrubber_extra_fuel_share")

GLEC_GWP = "ar6"
"""The GWP set of the GLEC Framework v3 / ISO 14083 default tables (``data/glec.yaml``)."""


@dataclass(frozen=True)
class GwpSet:
    """GWP100 values, t CO2e per t of gas (CO2 is 1).

    Attributes
    ----------
    id, name : str
    ch4, n2o : float
    sources : dict[str, Figure]
        ``ch4_gwp100`` and ``n2o_gwp100`` with their sources.
    """

    id: str
    name: str
    ch4: float
    n2o: float
    sources: dict[str, Figure] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Fuel:
    """A marine fuel (``data/fuels.yaml``), with the FuelEU Annex II factors.

    Attributes
    ----------
    id, name : str
    lcv_mj_per_g : Figure
        Lower calorific value, MJ per g of fuel.
    wtt_g_per_mj : Figure
        Well-to-tank factor, g CO2e per MJ (FuelEU convention: E - Cf/LCV for bio- and e-fuels,
        so it can be negative).
    cf_co2_g_per_g, cf_ch4_g_per_g, cf_n2o_g_per_g : Figure
        Tank-to-wake factors, g of gas per g of fuel burned.
    slip_pct : Figure
        Cslip, % of the fuel mass that leaves unburnt (methane, for LNG).
    price_usd_per_t : Figure
        Distribution expression (USD per t of this fuel) or ``None`` with a gap.
    extra : dict[str, Figure]
        ``bio_mass_share`` of a blend, ``scrubber_extra_fuel_share``, ...
    gaps : dict[str, str]
        Why a figure has no value, by field name.
    """

    id: str
    name: str
    lcv_mj_per_g: Figure
    wtt_g_per_mj: Figure
    cf_co2_g_per_g: Figure
    cf_ch4_g_per_g: Figure
    cf_n2o_g_per_g: Figure
    slip_pct: Figure
    price_usd_per_t: Figure
    extra: dict[str, Figure] = field(default_factory=dict, compare=False)
    gaps: dict[str, str] = field(default_factory=dict, compare=False)


def _maybe_gap(raw: object, where: str, gaps: dict[str, str], key: str) -> Figure:
    """Parse a figure that may be ``value: null`` with a ``gap:`` (kept in ``gaps``)."""
    if isinstance(raw, dict) and "gap" in raw:
        raw = dict(raw)
        gaps[key] = one_line(raw.pop("gap"))
        if raw.get("value") is not None:
            raise DataError(f"{where}: a figure with a 'gap' must have value: null")
    return parse_figure(raw, where)


def _fuel(fid: str, raw: dict) -> Fuel:
    where = f"data/fuels.yaml: {fid}"
    check_keys(where, raw, {"name", *FUEL_FACTORS, "price_usd_per_t"}, set(_EXTRA))
    gaps: dict[str, str] = {}
    facts = {k: number_figure(raw[k], f"{where}.{k}", nonnegative=k != "wtt_g_per_mj") for k in FUEL_FACTORS}
    if not facts["lcv_mj_per_g"].value > 0:
        raise DataError(f"{where}.lcv_mj_per_g: must be > 0")
    if not 0 <= facts["slip_pct"].value < 100:
        raise DataError(f"{where}.slip_pct: must be in [0, 100)")
    price = _maybe_gap(raw["price_usd_per_t"], f"{where}.price_usd_per_t", gaps, "price_usd_per_t")
    if price.value is not None:
        try:
            parse(price.value, nonnegative=True)
        except DistributionError as exc:
            raise DataError(f"{where}.price_usd_per_t: {exc}") from None
    extra = {k: _maybe_gap(raw[k], f"{where}.{k}", gaps, k) for k in _EXTRA if k in raw}
    return Fuel(id=fid, name=str(raw["name"]), price_usd_per_t=price, extra=extra, gaps=gaps, **facts)


@functools.cache
def fuels() -> dict[str, Fuel]:
    """All fuels keyed by id (cached; do not mutate)."""
    raw = read("fuels.yaml")
    check_keys("data/fuels.yaml", raw, {"gwp_sets", "fuels"})
    if not isinstance(raw["fuels"], dict) or not raw["fuels"]:
        raise DataError("data/fuels.yaml: 'fuels' must be a non-empty mapping")
    return {fid: _fuel(fid, body) for fid, body in raw["fuels"].items()}


@functools.cache
def gwp_sets() -> dict[str, GwpSet]:
    """The GWP100 sets keyed by id (``fueleu``, ``ar5``, ``ar6``; cached)."""
    out: dict[str, GwpSet] = {}
    for gid, body in read("fuels.yaml")["gwp_sets"].items():
        where = f"data/fuels.yaml: gwp_sets.{gid}"
        check_keys(where, body, {"name", "ch4_gwp100", "n2o_gwp100"})
        figs = {k: number_figure(body[k], f"{where}.{k}", positive=True) for k in ("ch4_gwp100", "n2o_gwp100")}
        out[gid] = GwpSet(id=gid, name=str(body["name"]), ch4=float(figs["ch4_gwp100"].value),
                          n2o=float(figs["n2o_gwp100"].value), sources=figs)
    return out
