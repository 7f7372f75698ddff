"""The carbon intensity of each country's electricity grid (``data/grid.yaml``).

What a reefer box on plug at a terminal emits per kWh it draws: g CO2e per kWh generated,
by ISO 3166 country code. A country the file does not give is a gap (``grid_gaps``), never zero.

>>> grid_intensity()["CN"].value
582
>>> "XX" in grid_intensity()
False
"""

from __future__ import annotations

import functools

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, one_line, read

__all__ = ["grid_intensity", "grid_gaps"]


@functools.cache
def _load() -> tuple[dict[str, Figure], dict[str, str]]:
    raw = read("grid.yaml")
    check_keys("data/grid.yaml", raw, {"grid"}, {"gaps"})
    out: dict[str, Figure] = {}
    for code, body in raw["grid"].items():
        where = f"data/grid.yaml: grid.{code}"
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise DataError(f"{where}: keys must be ISO 3166 alpha-2 codes")
        if not isinstance(body, dict) or "year" not in body:
            raise DataError(f"{where}: expected a figure with its data 'year'")
        fig = dict(body)
        fig.pop("year")
        out[code] = number_figure(fig, where, positive=True)
    gaps = {str(k): one_line(v) for k, v in (raw.get("gaps") or {}).items()}
    return out, gaps


def grid_intensity() -> dict[str, Figure]:
    """Grid carbon intensity (g CO2e per kWh) by ISO country code (cached; do not mutate)."""
    return _load()[0]


def grid_gaps() -> dict[str, str]:
    """Countries the file lists as gaps, with the reason."""
    return _load()[1]
