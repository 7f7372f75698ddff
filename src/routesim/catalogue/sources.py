"""Every sourced figure of the shipped catalogue, as one table.

:func:`figures` walks ``routesim/data/*.yaml`` and returns one row per figure
(file, entry, parameter, value, unit, derived, confidence, source);
:func:`markdown` renders them as the table in ``docs/calibration.md``
(regenerate it with ``routesim sources --markdown > docs/calibration.md``; a
test checks the committed file is current). A figure's unit is its own ``unit:``, else the one
its name states (:func:`unit_of`: routesim names carry units), else the ``unit:`` of the entry
it sits in (a series' points, a disclosure's value), else the one its entry's or section's
name states.
A figure the record does not give (``value: null``) shows its ``gap:`` as its source.

>>> rows = figures()
>>> all(r.source for r in rows)
True
>>> any(r.file == "ports.yaml" and r.entry == "PECHY" and r.parameter == "berths" for r in rows)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .figures import one_line, read

__all__ = ["SourcedFigure", "figures", "markdown", "unit_of", "unit_words", "DATA_FILES"]

DATA_FILES = ("ports.yaml", "vessels.yaml", "services.yaml", "chokepoints.yaml", "costs.yaml",
              "operations.yaml", "commodities.yaml", "trade.yaml", "carrier.yaml", "freight.yaml",
              "disclosures.yaml", "seasons.yaml", "markets.yaml", "reefer.yaml", "fuels.yaml", "glec.yaml",
              "carbon_rules.yaml", "grid.yaml", "tramp.yaml", "responses.yaml")
"""Catalogue files in the order they are listed."""

_UNITS = [
    (r"(^|_)dwt$", "tonnes deadweight"),
    (r"(^|_)cargo_t$", "t of cargo a voyage"),
    (r"(^|_)ceu$", "CEU (car equivalent units)"),
    (r"(^|_)vehicles$", "vehicles a voyage"),
    (r"_usd_per_vehicle$", "USD/vehicle"),
    (r"(^|_)month_shares$", "share of season volume by month (Jan..Dec)"),
    (r"(^|_)month_index$", "price index by month (Jan..Dec)"),
    (r"_mj_per_g$", "MJ/g"),
    (r"_kg_per_teu_handled$", "kg CO2e per TEU handled"),
    (r"_g_per_mj$", "g CO2e/MJ"),
    (r"_g_per_g$", "g/g fuel"),
    (r"_pct$", "%"),
    (r"_g_per_teu_km$", "g CO2e/TEU-km"),
    (r"_gwp100$", "t CO2e per t of gas"),
    (r"_eur_per_t_vlsfo_eq$", "EUR/t VLSFO-eq"),
    (r"_mj_per_t$", "MJ/t"),
    (r"_from_year$", "year"),
    (r"^rate$", "share of value"),
    (r"(^|_)t_per_teu$", "t/TEU"),
    (r"(^|_)kwh_per_teu$", "kWh/TEU"),
    (r"(^|_)units_per_teu$", "units/TEU"),
    (r"_usd_per_kwh$", "USD/kWh"),
    (r"fee_rate", "share of value"),
    (r"_cv$", "coefficient of variation"),
    (r"_temp_c$", "degC"),
    (r"^q10$", "rate factor per 10 degC"),
    (r"_discount$", "share of value"),
    (r"_usd_per_teu_day$", "USD/TEU/day"),
    (r"usd_per_teu_capacity$", "USD per TEU of capacity"),
    (r"crane_moves_per_hour$", "moves per crane-hour"),
    (r"_usd_per_teu$", "USD/TEU"),
    (r"_usd_per_t$", "USD/t"),
    (r"_usd_per_day$", "USD/day"),
    (r"_usd_per_move$", "USD/move"),
    (r"_usd_per_box$", "USD/box"),
    (r"_usd_per_call$", "USD/call"),
    (r"_usd_per_gt$", "USD/GT"),
    (r"_usd_per_m_hour$", "USD per m LOA per hour"),
    (r"_usd_per_feu$", "USD/FEU"),
    (r"teu_per_box$", "TEU/box"),
    (r"_kw_per_box$", "kW/box"),
    (r"_g_per_kwh$", "g/kWh"),
    (r"(^|_)gt$", "GT"),
    (r"^(headhaul|backhaul)$", "share of slots full"),
    (r"(^|_)usd$", "USD"),
    (r"_rate_per_year$", "share/year"),
    (r"(_rate|_share|utilisation)$", "share"),
    (r"_t_per_day$", "t/day"),
    (r"_t_per_t_fuel$", "t CO2/t fuel"),
    (r"_usd_per_kg$", "USD/kg"),
    (r"price_usd_per_t$", "USD/t"),
    (r"_days$", "days"),
    (r"_hours$", "hours"),
    (r"_kn$", "knots"),
    (r"_nm$", "nautical miles"),
    (r"_m$", "m"),
    (r"_ft$", "ft"),
    (r"_kwh$", "kWh"),
    (r"capacity_teu$", "TEU/year"),
    (r"(^|_)teu$", "TEU"),
    (r"annual_teu$", "TEU/year"),
    (r"_per_day$", "per day"),
    (r"_per_hour$", "per hour"),
    (r"(berths|cranes_per_call|reefer_plugs|moves_per_call|_count)$", "count"),
    (r"(^|_)factor$", "multiplier"),
    (r"^fuel$", "fuel id (data/fuels.yaml)"),
    (r"(^|_)countries$", "ISO 3166 country codes"),
    (r"(^|_)share(_of_[a-z_]+)?$", "share"),
    (r"_rank", "rank"),
]


def unit_of(parameter: str) -> str:
    """The unit a figure's name states (routesim names carry units): ``speed_kn`` -> ``knots``."""
    for part in reversed(parameter.split(".")):  # "toll.fixed_fee_usd.regular" -> fixed_fee_usd
        if part == "annual_teu":
            return "TEU/year"
        for pattern, unit in _UNITS:
            if re.search(pattern, part) or re.search(pattern, "x_" + part):  # "x_": a bare "usd_per_feu"
                return unit
    return ""


@dataclass(frozen=True)
class SourcedFigure:
    """One figure of the catalogue with its provenance.

    Attributes
    ----------
    file, entry, parameter : str
        Data file (``ports.yaml``), entry (``PECHY``; empty for file-level figures) and
        dotted parameter name (``toll.fixed_fee_usd.regular``).
    value : Any
        The figure, in ``unit``; None where no public figure was found.
    unit : str
        As the figure states it, or as its name implies (:func:`unit_of`).
    derived : bool
        Computed or chosen by routesim from cited inputs.
    confidence : str
        ``H``, ``M``, ``L`` or empty.
    source : str
        Address and date, or for a derived figure the method and inputs.
    """

    file: str
    entry: str
    parameter: str
    value: Any
    unit: str
    derived: bool
    confidence: str
    source: str


def _is_figure(node: Any) -> bool:
    """A ``{value, source, ...}`` mapping."""
    return isinstance(node, dict) and "value" in node and "source" in node


def unit_words(code: str) -> str:
    """A data file's unit code in words (``usd_per_feu`` -> ``USD/FEU``); unknown codes as given."""
    return unit_of(code) or code


def _walk(node: Any, path: list[str], unit: str, out: list[tuple[list[str], dict, str]]) -> None:
    """Append (path, figure, inherited unit) for every figure under ``node``.

    List items are named by code or id; an entry's ``unit:`` passes down to the figures in it.
    """
    if _is_figure(node):
        out.append((path, node, unit))
    elif isinstance(node, dict):
        here = node.get("unit")
        unit = unit_words(here) if isinstance(here, str) else unit
        for k, v in node.items():
            _walk(v, path + [str(k)], unit, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key = v.get("code") or v.get("id") if isinstance(v, dict) else None
            _walk(v, path + [str(key) if key else f"[{i}]"], unit, out)


def _source(fig: dict) -> str:
    """The figure's source; for a figure the record does not give, its gap and where it was sought."""
    text = one_line(fig["source"])
    if fig["value"] is None and fig.get("gap"):
        gap = "GAP: " + one_line(fig["gap"])
        return gap if text.lower() in ("see gap", "n/a", "") else f"{gap} ({text})"
    return text


def figures() -> list[SourcedFigure]:
    """All ``{value, source}`` figures of the shipped data files, in file order."""
    rows: list[SourcedFigure] = []
    for name in DATA_FILES:
        found: list[tuple[list[str], dict, str]] = []
        _walk(read(name), [], "", found)
        for path, fig, inherited in found:
            # drop the top-level section name (ports, vessel_classes, ...)
            parts = path[1:] if len(path) > 1 else path
            entry = parts[0] if len(parts) > 1 else ""
            parameter = ".".join(parts[1:]) if len(parts) > 1 else parts[0]
            parameter = parameter.replace("extra.", "")
            rows.append(SourcedFigure(
                file=name,
                entry=entry,
                parameter=parameter,
                value=fig["value"],
                unit=(unit_words(str(fig["unit"])) if fig.get("unit") else unit_of(parameter) or inherited
                      or unit_of(".".join(path))),
                derived=bool(fig.get("derived", False)),
                confidence=str(fig.get("confidence", "")),
                source=_source(fig),
            ))
    return rows


def _cell(text: Any) -> str:
    """Text for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """``docs/calibration.md``: every figure with value, unit, source, derived flag and confidence."""
    rows = figures()
    n_derived = sum(r.derived for r in rows)
    lines = [
        "# routesim calibration table",
        "",
        "Every figure routesim ships, with its unit and where it comes from. *Derived* figures were",
        "computed or chosen by routesim from cited inputs; their source states the method. Confidence",
        "follows `calibration.md`: **H** official or several consistent reports, **M** one credible",
        "report or derived from H inputs, **L** press paraphrase, old data or a modelling choice.",
        "",
        f"{len(rows)} figures, {n_derived} derived. Generated by `routesim sources --markdown` from",
        "`src/routesim/data/*.yaml`; do not edit by hand.",
        "",
    ]
    for name in DATA_FILES:
        sub = [r for r in rows if r.file == name]
        if not sub:
            continue
        lines += [f"## {name}", "", "| entry | parameter | value | unit | derived | conf. | source |",
                  "|---|---|---|---|---|---|---|"]
        for r in sub:
            value = "GAP" if r.value is None else r.value
            lines.append("| " + " | ".join(_cell(x) for x in (
                r.entry, r.parameter, value, r.unit, "derived" if r.derived else "", r.confidence, r.source)) + " |")
        lines.append("")
    return "\n".join(lines)
