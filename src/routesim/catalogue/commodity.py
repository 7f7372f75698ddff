"""Cargo types (``data/commodities.yaml``): value per TEU, reefer or dry, keeping quality.

>>> c = commodities()["blueberries"]
>>> c.kind, c.value_usd_per_teu.value > 0
('reefer', True)
>>> c.quality.q10.value > 1
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..distributions import parse
from ..errors import DataError, DistributionError
from .figures import Figure, check_keys, number_figure, one_line, parse_figure, section

__all__ = ["Commodity", "Quality", "commodities", "QUALITY_FIGURES", "KINDS"]

KINDS = ("dry", "reefer", "bulk", "roro")
"""Cargo kinds: in containers (``dry``, ``reefer``) or on a tramp ship (``bulk`` in tonnes, ``roro`` vehicles)."""


QUALITY_FIGURES = ("keeping_days", "air_keeping_days", "carry_temp_c", "q10", "within_cv", "reject_factor",
                   "precool_hours", "field_temp_c", "downgrade_discount")
"""Figures of a perishable's keeping-quality model (:mod:`routesim.quality`), all required."""

_QUALITY_DISTRIBUTIONS = ("keeping_days", "air_keeping_days", "precool_hours")


@dataclass(frozen=True)
class Quality:
    """A perishable's keeping-quality model (``quality:`` in ``data/commodities.yaml``).

    Attributes
    ----------
    keeping_days, air_keeping_days : Figure
        Keeping quality of a lot at the carry temperature (days) under the trade's usual
        controlled or modified atmosphere, and in regular air: distribution expressions.
    carry_temp_c : Figure
        Reefer set point (degC).
    q10 : Figure
        Rise of the rate of quality loss per 10 degC.
    within_cv : Figure
        Coefficient of variation of keeping quality between the pallets of one box.
    reject_factor : Figure
        Multiple of its keeping quality past which a pallet is rejected (past 1: downgraded).
    precool_hours : Figure
        Hours at ``field_temp_c`` (degC) between harvest and cooling: a distribution expression.
    field_temp_c : Figure
    downgrade_discount : Figure
        Share of its value a downgraded pallet loses (0 to 1).
    """

    keeping_days: Figure
    air_keeping_days: Figure
    carry_temp_c: Figure
    q10: Figure
    within_cv: Figure
    reject_factor: Figure
    precool_hours: Figure
    field_temp_c: Figure
    downgrade_discount: Figure


@dataclass(frozen=True)
class Commodity:
    """A cargo type (``data/commodities.yaml``).

    Attributes
    ----------
    id, name : str
    kind : str
        The commodity's usual kind (:data:`KINDS`); a scenario may ship it otherwise.
    value_usd_per_teu : Figure
        Cargo value of one loaded TEU (USD).
    quality : Quality | None
        The keeping-quality model; perishables only.
    hs_heading : str
    extra : dict[str, Figure]
        The inputs of the value (``price_usd_per_t``, ``t_per_teu``, ...).
    note : str
    """

    id: str
    name: str
    kind: str
    value_usd_per_teu: Figure
    quality: Quality | None = None
    hs_heading: str = ""
    extra: dict[str, Figure] = field(default_factory=dict)
    note: str = ""

    @property
    def shelf_life_days(self) -> Figure | None:
        """Keeping quality at the carry temperature (days), the figure a scenario's
        ``cargo.shelf_life_days`` replaces; None for a cargo that does not perish."""
        return self.quality.keeping_days if self.quality is not None else None


_COMMODITY_EXTRA = ("price_usd_per_t", "t_per_teu", "unit_value_usd", "units_per_teu", "price_usd_per_kwh", "kwh_per_teu")


@functools.cache
def commodities() -> dict[str, Commodity]:
    """All commodities keyed by id (cached; do not mutate)."""
    out: dict[str, Commodity] = {}
    for cid, raw in section("commodities.yaml", "commodities").items():
        where = f"data/commodities.yaml: {cid}"
        check_keys(where, raw, {"name", "kind", "value_usd_per_teu"}, {"quality", "hs_heading", "note", *_COMMODITY_EXTRA})
        kind = raw["kind"]
        if kind not in KINDS:
            raise DataError(f"{where}.kind: must be one of {', '.join(KINDS)}, got {kind!r}")
        quality = _quality(raw["quality"], f"{where}.quality") if "quality" in raw else None
        if quality is not None and kind != "reefer":
            raise DataError(f"{where}.quality: only a reefer cargo perishes")
        out[cid] = Commodity(
            id=cid,
            name=str(raw["name"]),
            kind=kind,
            value_usd_per_teu=number_figure(raw["value_usd_per_teu"], f"{where}.value_usd_per_teu", positive=True),
            quality=quality,
            hs_heading=str(raw.get("hs_heading", "")),
            extra={k: number_figure(raw[k], f"{where}.{k}", positive=True) for k in _COMMODITY_EXTRA if k in raw},
            note=one_line(raw.get("note", "")),
        )
    return out


_BOUNDS = {"q10": (1.0, 10.0), "within_cv": (0.0, 1.0), "reject_factor": (1.0, 5.0), "downgrade_discount": (0.0, 1.0),
           "carry_temp_c": (-30.0, 20.0), "field_temp_c": (-10.0, 45.0)}


def _quality(raw, where: str) -> Quality:
    """One ``quality:`` mapping, every figure checked (distributions parse; numbers in range)."""
    if not isinstance(raw, dict):
        raise DataError(f"{where}: must be a mapping of the figures {', '.join(QUALITY_FIGURES)}")
    check_keys(where, raw, set(QUALITY_FIGURES), set())
    figs = {}
    for k in QUALITY_FIGURES:
        fig = parse_figure(raw[k], f"{where}.{k}")
        if k in _QUALITY_DISTRIBUTIONS:
            try:
                d = parse(fig.value, nonnegative=True)
            except DistributionError as exc:
                raise DataError(f"{where}.{k}: {exc}") from None
            if k != "precool_hours" and not d.mean > 0:
                raise DataError(f"{where}.{k}: a keeping quality must have a positive mean")
        else:
            fig = number_figure(raw[k], f"{where}.{k}", nonnegative=False)
            low, high = _BOUNDS[k]
            if not low <= float(fig.value) <= high:
                raise DataError(f"{where}.{k}: must be between {low:g} and {high:g}, got {fig.value}")
        figs[k] = fig
    return Quality(**figs)
