"""Cargo types (``data/commodities.yaml``): value per TEU, reefer or dry, shelf life.

>>> c = commodities()["blueberries"]
>>> c.kind, c.value_usd_per_teu.value > 0
('reefer', True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..distributions import parse
from ..errors import DataError, DistributionError
from .figures import Figure, check_keys, number_figure, one_line, parse_figure, section

__all__ = ["Commodity", "commodities"]


@dataclass(frozen=True)
class Commodity:
    """A cargo type (``data/commodities.yaml``).

    Attributes
    ----------
    id, name : str
    kind : str
        ``dry`` or ``reefer``.
    value_usd_per_teu : Figure
        Cargo value of one loaded TEU (USD).
    shelf_life_days : Figure | None
        Remaining shelf life at loading as a distribution expression string
        (``"gamma(mean=35, cv=0.2)"``, days); perishables only.
    hs_heading : str
    extra : dict[str, Figure]
        The inputs of the value (``price_usd_per_t``, ``t_per_teu``, ...).
    note : str
    """

    id: str
    name: str
    kind: str
    value_usd_per_teu: Figure
    shelf_life_days: Figure | None = None
    hs_heading: str = ""
    extra: dict[str, Figure] = field(default_factory=dict)
    note: str = ""


_COMMODITY_EXTRA = ("price_usd_per_t", "t_per_teu", "unit_value_usd", "units_per_teu", "price_usd_per_kwh", "kwh_per_teu")


@functools.cache
def commodities() -> dict[str, Commodity]:
    """All commodities keyed by id (cached; do not mutate)."""
    out: dict[str, Commodity] = {}
    for cid, raw in section("commodities.yaml", "commodities").items():
        where = f"data/commodities.yaml: {cid}"
        check_keys(where, raw, {"name", "kind", "value_usd_per_teu"}, {"shelf_life_days", "hs_heading", "note", *_COMMODITY_EXTRA})
        kind = raw["kind"]
        if kind not in ("dry", "reefer"):
            raise DataError(f"{where}.kind: must be dry or reefer, got {kind!r}")
        shelf = None
        if "shelf_life_days" in raw:
            shelf = parse_figure(raw["shelf_life_days"], f"{where}.shelf_life_days")
            try:
                parse(shelf.value, nonnegative=True)
            except DistributionError as exc:
                raise DataError(f"{where}.shelf_life_days: {exc}") from None
        out[cid] = Commodity(
            id=cid,
            name=str(raw["name"]),
            kind=kind,
            value_usd_per_teu=number_figure(raw["value_usd_per_teu"], f"{where}.value_usd_per_teu", positive=True),
            shelf_life_days=shelf,
            hs_heading=str(raw.get("hs_heading", "")),
            extra={k: number_figure(raw[k], f"{where}.{k}", positive=True) for k in _COMMODITY_EXTRA if k in raw},
            note=one_line(raw.get("note", "")),
        )
    return out
