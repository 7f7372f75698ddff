"""Export seasons of the perishables (``data/seasons.yaml``): share of a season's volume by month.

>>> s = seasons()[("blueberries", "PE")]
>>> len(s.month_shares), round(sum(s.month_shares), 6)
(12, 1.0)
>>> int(month_shares_array(s).argmax()) + 1  # peak month, 1 = January
11
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ..errors import DataError
from .figures import Figure, check_keys, one_line, parse_figure, section

__all__ = ["Season", "seasons", "month_shares_array"]

_SUM_TOLERANCE = 0.005
"""How far the 12 shares of a row may sum from 1 before the loader refuses them."""


@dataclass(frozen=True)
class Season:
    """One commodity's export season from one origin country.

    Attributes
    ----------
    commodity : str
        Commodity id (``data/commodities.yaml``).
    country : str
        Origin country, ISO 3166 alpha-2 (``"PE"``).
    month_shares : tuple[float, ...]
        Share of the season's export volume shipped in each calendar month, January first
        (12 numbers, dimensionless, normalised to sum to 1).
    season_label : str
        The season the shares come from (``"2024-25"``).
    source : str
        Where the shares come from, or how they were derived.
    note : str
    figure : Figure
        The ``month_shares`` figure as read (derived flag, confidence).
    """

    commodity: str
    country: str
    month_shares: tuple[float, ...]
    season_label: str
    source: str
    note: str = ""
    figure: Figure | None = None


def month_shares_array(season: Season) -> np.ndarray:
    """The season's month shares as a float array of shape (12,), January first.

    Parameters
    ----------
    season : Season

    Returns
    -------
    numpy.ndarray
        Shares (dimensionless) summing to 1; index ``m - 1`` is calendar month ``m``.
    """
    return np.asarray(season.month_shares, dtype=float)


def _shares(raw, where: str) -> tuple[float, ...]:
    """Twelve non-negative numbers summing to 1 within :data:`_SUM_TOLERANCE`, normalised."""
    if not isinstance(raw, list) or len(raw) != 12:
        raise DataError(f"{where}: expected 12 numbers (January..December), got {raw!r}")
    for v in raw:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise DataError(f"{where}: every share must be a finite number >= 0, got {v!r}")
    total = float(sum(raw))
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise DataError(f"{where}: the 12 shares must sum to 1 (within {_SUM_TOLERANCE}), got {total:.4f}")
    return tuple(float(v) / total for v in raw)


@functools.cache
def seasons() -> dict[tuple[str, str], Season]:
    """All export seasons keyed by (commodity id, origin ISO alpha-2) (cached; do not mutate).

    Raises
    ------
    DataError
        A row with unknown or missing keys, shares that are not 12 non-negative numbers summing
        to 1, or two rows for the same (commodity, country); the message names file and entry.
    """
    out: dict[tuple[str, str], Season] = {}
    for sid, raw in section("seasons.yaml", "seasons").items():
        where = f"data/seasons.yaml: {sid}"
        check_keys(where, raw, {"commodity", "country", "season_label", "month_shares"}, {"note"})
        country = str(raw["country"])
        if len(country) != 2 or not country.isalpha() or not country.isupper():
            raise DataError(f"{where}.country: expected an ISO alpha-2 code such as 'PE', got {country!r}")
        fig = parse_figure(raw["month_shares"], f"{where}.month_shares")
        key = (str(raw["commodity"]), country)
        if key in out:
            raise DataError(f"{where}: a second season for {key}")
        out[key] = Season(
            commodity=key[0],
            country=country,
            month_shares=_shares(fig.value, f"{where}.month_shares"),
            season_label=str(raw["season_label"]),
            source=one_line(fig.source),
            note=one_line(fig.note or raw.get("note", "")),
            figure=fig,
        )
    return out
