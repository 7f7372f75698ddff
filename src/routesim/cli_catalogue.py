"""The ``routesim services``, ``routesim vessels`` and ``routesim commodities`` commands.

Each lists one catalogue table (``data/services.yaml``, ``data/vessels.yaml`` with the tramp
classes of ``data/tramp.yaml``, ``data/commodities.yaml``) as a text table or, with ``--json``, one JSON object;
:mod:`routesim.cli` registers them. Figures are printed as values; ``routesim
sources`` gives their sources.

>>> import io, contextlib
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     _ = main_rows("vessels", as_json=False)
>>> "TEU" in out.getvalue().splitlines()[0]
True
"""

from __future__ import annotations

import json
import sys

__all__ = ["register", "rows", "main_rows", "days_at_sea"]


def _v(fig):
    return None if fig is None else fig.value


def rows(table: str) -> list[dict]:
    """The rows of ``services``, ``vessels`` or ``commodities`` as plain mappings."""
    from . import catalogue

    if table == "services":
        return [{"id": s.id, "name": s.name, "operator": s.operator, "vessel": s.vessel,
                 "rotation": list(s.rotation), "headway_days": _v(s.headway_days), "speed_kn": _v(s.speed_kn)}
                for s in catalogue.services().values()]
    if table == "vessels":  # container classes, then the tramp classes (bulk and car carriers, data/tramp.yaml)
        return [{"id": v.id, "name": v.name, "kind": "container", "teu": _v(v.teu), "service_speed_kn": _v(v.service_speed_kn),
                 "design_speed_kn": _v(v.design_speed_kn), "design_fuel_t_per_day": _v(v.design_fuel_t_per_day),
                 "charter_usd_per_day": _v(v.charter_usd_per_day)}
                for v in catalogue.vessel_classes().values()] + [
                {"id": v.id, "name": v.name, "kind": v.kind, "teu": None, "dwt": _v(v.figures.get("dwt")),
                 "cargo_per_voyage": v.capacity, "cargo_unit": v.unit, "service_speed_kn": _v(v.service_speed_kn),
                 "design_speed_kn": _v(v.design_speed_kn), "design_fuel_t_per_day": _v(v.design_fuel_t_per_day),
                 "charter_usd_per_day": _v(v.charter_usd_per_day)}
                for v in catalogue.tramp_classes().values()]
    if table == "commodities":
        return [{"id": c.id, "name": c.name, "kind": c.kind, "value_usd_per_teu": _v(c.value_usd_per_teu),
                 "shelf_life_days": _v(c.shelf_life_days), "hs_heading": c.hs_heading}
                for c in catalogue.commodities().values()]
    raise ValueError(f"unknown table {table!r}")


_COLUMNS = {
    "services": [("id", 24, "{}"), ("operator", 22, "{}"), ("vessel", 17, "{}"), ("headway_days", 8, "{:g}"),
                 ("speed_kn", 6, "{:g}"), ("rotation", 0, "{}")],
    "vessels": [("id", 18, "{}"), ("kind", 9, "{}"), ("teu", 7, "{:,.0f}"), ("service_speed_kn", 6, "{:g}"),
                ("design_fuel_t_per_day", 8, "{:g}"), ("charter_usd_per_day", 10, "{:,.0f}"), ("name", 0, "{}")],
    "commodities": [("id", 22, "{}"), ("kind", 10, "{}"), ("value_usd_per_teu", 10, "{:,.0f}"),
                    ("shelf_life_days", 6, "{:g}"), ("name", 0, "{}")],
}
_HEADERS = {"headway_days": "every_d", "speed_kn": "kn", "service_speed_kn": "kn", "teu": "TEU",
            "design_fuel_t_per_day": "fuel_t/d", "charter_usd_per_day": "usd/day", "value_usd_per_teu": "usd/TEU",
            "shelf_life_days": "life_d"}


def _cell(value, fmt: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return " -> ".join(value)
    return fmt.format(value) if isinstance(value, (int, float)) else str(value)


def main_rows(table: str, as_json: bool) -> int:
    """Print one table; the body of each command."""
    data = rows(table)
    if as_json:
        json.dump({table: data}, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    cols = _COLUMNS[table]
    print(" ".join(f"{_HEADERS.get(k, k):<{w}}" if w else _HEADERS.get(k, k) for k, w, _ in cols))
    for r in data:
        print(" ".join(f"{_cell(r[k], f):<{w}}" if w else _cell(r[k], f) for k, w, f in cols))
    return 0


def days_at_sea(distance_nm: float, speed_kn: float) -> float:
    """Days to sail ``distance_nm`` at ``speed_kn`` (no port time).

    >>> round(days_at_sea(9350, 17), 1)
    22.9
    """
    if not speed_kn > 0:
        from .errors import RoutesimError

        raise RoutesimError(f"--speed-kn must be a positive speed in knots, got {speed_kn:g}")
    return distance_nm / speed_kn / 24.0


def register(sub) -> None:
    """Add the three listing commands to an argparse sub-parser set."""
    helps = {"services": "the liner services (rotations, headway, speed)",
             "vessels": "the vessel classes (TEU, speed, fuel, charter)",
             "commodities": "the commodities (kind, value, shelf life)"}
    for name, text in helps.items():
        p = sub.add_parser(name, help=f"list {text}", description=f"List {text}; sources: routesim sources.")
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(func=lambda args, _n=name: main_rows(_n, args.json))
