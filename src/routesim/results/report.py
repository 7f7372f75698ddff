"""The HTML report of a run: one self-contained file that opens offline in any browser.

:func:`report_html` assembles the scenario (its routes and, when given, its settings), the
summary tables with 95 % confidence intervals, the emissions, the ECDFs, where the days and the
dollars go, the route map (the cartopy PNG, embedded, and an interactive plotly map), for a
discrete-event run the animated map of vessel positions and queues and the engine's statistics,
and the sources of the catalogue figures the scenario uses. plotly.js is embedded once, inline
(nothing is loaded from a CDN); the page has no other script. :meth:`routesim.results.Results.to_html`
writes it atomically.

>>> _link("see https://example.org/a?b=1&c=2, 2024")
'see <a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>, 2024'
"""

from __future__ import annotations

import base64
import html
import math
import re

from .display import _ROWS
from .summary import METRICS, UNITS

__all__ = ["report_html", "used_sources", "flatten"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1250px;padding:0 18px;
color:#222;line-height:1.4}
h1{font-size:1.5em;margin-top:1em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0 1em}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f3f3f3}td.l,th.l{text-align:left}
.meta{color:#555}.note{color:#7f3b08;font-size:0.9em}pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:0.8em}
img.map{max-width:100%;border:1px solid #ddd}details{margin:0.5em 0}summary{cursor:pointer}
div.wide{overflow-x:auto;max-width:100%}td.src{text-align:left;min-width:24em;overflow-wrap:anywhere}
"""
_LABELS = {**dict(_ROWS), "quality_loss_usd_per_teu": "quality loss", "arrival_value_usd_per_teu": "value at arrival"}
_NOTES = ("allocation", "gwp", "glec_vs_modelled")
"""Emissions-table columns of text, shown as notes under the table."""
_URL = re.compile(r"https?://[^\s)\]>,;]+(?:,[^\s)\]>,;]+)*")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _link(text: str) -> str:
    """``text`` escaped, with its http(s) addresses as links."""
    out, last = [], 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".")
        out += [_e(text[last:m.start()]), f'<a href="{_e(url)}">{_e(url)}</a>']
        last = m.start() + len(url)
    return "".join(out) + _e(text[last:])


def _num(v, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "&ndash;"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.{digits}f}"
    if isinstance(v, (list, tuple)):
        return _e(", ".join(str(x) for x in v))
    return _e(v)


def _table(head: list[str], rows: list[list], left: int = 1, last: str = "") -> str:
    """An HTML table in a scrolling box; the first ``left`` columns aligned left, the last column of
    class ``last`` if given; cells already HTML."""
    def cls(i, n):
        return last if last and i == n - 1 else "l" if i < left else ""

    th = "".join(f'<th class="{cls(i, len(head))}">{_e(h)}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f'<td class="{cls(i, len(r))}">{c}</td>' for i, c in enumerate(r))
                   + "</tr>" for r in rows)
    return f"<div class='wide'><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"


def flatten(d: dict, prefix: str = "") -> dict:
    """Nested mappings as one level, keys joined with dots.

    >>> flatten({"a": 1, "b": {"c": 2, "d": {"e": 3}}})
    {'a': 1, 'b.c': 2, 'b.d.e': 3}
    """
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def used_sources(plan) -> list:
    """The catalogue's sourced figures (:func:`routesim.catalogue.sources.figures`) that ``plan`` draws on:
    the file-wide figures and those of the ports, passages, services, vessel classes, commodities, freight
    lanes and carriers' trades its routes use."""
    from ..catalogue.sources import figures

    names = set(plan.ports) | set(plan.chokepoints) | set(plan.services)
    for rp in plan.routes.values():
        names |= {rp.cargo.commodity, rp.name}
        names |= {s.vessel.id for s in rp.segments} | {s.service for s in rp.segments}
        if rp.freight is not None:
            names.add(rp.freight.lane)
        for v in (s.voyage for s in rp.segments):
            if v is not None and getattr(v, "trade", None):
                names.add(v.trade)
    return [r for r in figures() if r.entry == "" or r.entry in names]


def _summary_tables(results) -> str:
    s = results.summary()
    out = []
    for name, r in results.routes.items():
        rows = []
        for m in METRICS:
            unit = UNITS[m].replace("TEU", results.per.upper()) if results.per in ("teu", "feu") else UNITS[m]
            row = s.loc[name]
            rows.append([_e(_LABELS.get(m, m.replace("_", " "))), _e(unit), _num(row[f"{m}_mean"]),
                         f"{_num(row[f'{m}_ci_low'])} &ndash; {_num(row[f'{m}_ci_high'])}", _num(row[f"{m}_median"]),
                         _num(row[f"{m}_p5"]), _num(row[f"{m}_p95"])])
        for label, v in (("rejected share", r.spoiled_share), ("downgraded share", r.downgraded_share),
                         ("quality left", r.quality), ("share before the holiday", r.share_before_holiday)):
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                rows.append([_e(label), "0-1", _num(float(v), 3), "", "", "", ""])
        info = r.info
        out.append(f"<h3>{_e(name)} <span class='meta'>({_e(info.get('origin', '?'))} &rarr; "
                   f"{_e(info.get('destination', '?'))}, n = {r.n:,})</span></h3>")
        out.append(_table(["metric", "unit", "mean", "95 % CI of the mean", "median", "p5", "p95"], rows, left=2))
        for what, why in info.get("missing", {}).items():
            out.append(f"<p class='note'>missing: {_e(what)} ({_e(why)})</p>")
    return "\n".join(out)


def _routes_table(plan) -> str:
    rows = []
    for name, rp in plan.routes.items():
        segs = "; ".join(f"{s.service} ({s.vessel.id}, {s.speed_kn:g} kn, every {s.headway_days:g} d): "
                         f"{' > '.join(s.calls)}" for s in rp.segments)
        rows.append([_e(name), _e(f"{rp.origin} > {rp.destination}"), _e(rp.description), _e(segs),
                     _e(", ".join(rp.chokepoints) or "none"), _num(rp.sea_distance_nm),
                     _e(rp.overland_assumption) if rp.overland_assumption else ""])
    return _table(["route", "from > to", "description", "stretches (service, ship, speed, headway: calls)",
                   "passages", "sea nm", "overland assumption"], rows, left=5)


def _stats_tables(stats: dict) -> str:
    """The discrete-event engine's statistics: the run's figures, then one table per group (ports,
    chokepoints, services, cargo), a row per statistic and a column per entry."""
    plain = {k: v for k, v in stats.items() if not isinstance(v, dict)}
    out = [_table(["run", "value"], [[_e(k), _num(v)] for k, v in plain.items()])]
    for group, entries in stats.items():
        if not isinstance(entries, dict) or not entries:
            continue
        flat = {e: flatten(v) if isinstance(v, dict) else {"value": v} for e, v in entries.items()}
        keys = list(dict.fromkeys(k for f in flat.values() for k in f))
        rows = [[_e(k), *(_num(flat[e].get(k)) for e in flat)] for k in keys]
        out.append(f"<h3>{_e(group)}</h3>" + _table(["statistic", *flat], rows))
    return "\n".join(out)


def _sources_table(plan) -> str:
    rows = [[_e(r.file), _e(r.entry or "(file)"), _e(r.parameter), _num(r.value), _e(r.unit),
             "derived" if r.derived else "sourced", _e(r.confidence or "-"), _link(r.source)] for r in used_sources(plan)]
    return (f"<details><summary>{len(rows)} figures of the shipped catalogue this scenario's routes draw on, each "
            "with its source (the full list: <code>routesim sources</code>; values the scenario sets itself are "
            "in its settings above)</summary>"
            + _table(["file", "entry", "parameter", "value", "unit", "kind", "confidence", "source"], rows, left=3,
                     last="src") + "</details>")


def _emissions(results) -> str:
    e = results.emissions()
    cols = [c for c in e.columns if c not in _NOTES]
    rows = [[_e(name), *(_num(v, 3) if not isinstance(v, str) else _e(v) for v in e.loc[name, cols])] for name in e.index]
    notes = "".join(f"<p class='meta'>{_e(name)}: {_e(e.loc[name, 'glec_vs_modelled'])}</p>" for name in e.index
                    if "glec_vs_modelled" in e.columns and isinstance(e.loc[name, "glec_vs_modelled"], str))
    first = e.index[0] if len(e.index) else None
    if first is not None and "allocation" in e.columns:
        notes += (f"<p class='meta'>allocation: {_e(e.loc[first, 'allocation'])}; GWP: "
                  f"{_e(e.loc[first, 'gwp'] if 'gwp' in e.columns else '')}</p>")
    return _table(["route", *cols], rows) + notes


def _figure_div(fig, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, auto_play=False,
                       config={"displaylogo": False, "responsive": True})


def report_html(results, scenario=None) -> str:
    """The report of ``results`` as one HTML page (text); ``scenario`` adds its settings as YAML.

    Raises
    ------
    RoutesimError
        When the results carry no plan (the map and the sources need it).
    """
    from plotly.offline import get_plotlyjs

    from .. import __version__
    from ..errors import RoutesimError
    from . import report_figures as rf
    from .maps import map_png

    plan = results.plan
    if plan is None:
        raise RoutesimError(f"{results.scenario}: these results carry no plan: run the scenario with routesim.run "
                            "to make a report")
    title = f"{results.scenario} &middot; routesim report"
    parts = [f"<h1>{_e(results.scenario)}</h1>",
             f"<p class='meta'>engine {_e(results.engine)} &middot; seed {results.seed} &middot; "
             f"{results.replications:,} {'shipments per route' if results.engine != 'des' else 'run' if results.replications == 1 else 'runs'} &middot; "
             f"money per {_e(results.per.upper())} &middot; routesim {__version__}</p>",
             "<h2 id='scenario'>Scenario</h2>", _routes_table(plan)]
    if scenario is not None:
        parts.append(f"<details><summary>settings (YAML)</summary><pre>{_e(scenario.to_yaml())}</pre></details>")
    parts += ["<h2 id='summary'>Summary by route</h2>",
              "<p class='meta'>Transit days: origin berth to destination port; door days add the export cut-off, "
              "the wait for the first sailing and the destination dwell; landed cost per TEU as in the "
              "architecture's definitions. The 95 % confidence interval is that of the mean.</p>",
              _summary_tables(results), "<h3>Emissions (CO2e, TTW / WTT / WTW; t per TEU, g per TEU-km and per tonne-km)</h3>",
              _emissions(results),
              "<h2 id='distributions'>Distributions</h2>", _figure_div(rf.ecdf_figure(results), "fig-ecdf"),
              "<h2 id='breakdown'>Where the days and the dollars go</h2>",
              _figure_div(rf.days_figure(results), "fig-days"), _figure_div(rf.cost_figure(results), "fig-cost"),
              "<div class='wide'>" + results.breakdown().to_html(float_format=lambda x: f"{x:,.2f}", na_rep="-", border=0)
              + "</div>",
              "<h2 id='map'>Map</h2>",
              f"<img class='map' id='map-png' alt='route map' src='data:image/png;base64,"
              f"{base64.b64encode(map_png(results)).decode('ascii')}'>",
              _figure_div(rf.route_map_figure(results), "fig-map")]
    if results.engine == "des":
        anim = rf.des_animation_figure(results)
        parts.append("<h2 id='des'>Discrete-event run</h2>")
        if anim is not None:
            parts += ["<p class='meta'>Vessels of the scenario's services, placed along their passages between the "
                      "logged departures and arrivals; circles: the scenario's vessels waiting at a port's "
                      "anchorage or in a canal's queue (background traffic is in the statistics below).</p>",
                      _figure_div(anim, "fig-des")]
        else:
            parts.append("<p class='note'>This run kept no event log: no animated map.</p>")
        parts += ["<h3>Engine statistics</h3>", _stats_tables(results.extra.get("stats", {}))]
    parts += ["<h2 id='sources'>Sources of the figures used</h2>", _sources_table(plan)]
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{_CSS}</style>"
            f"<script type='text/javascript'>{get_plotlyjs()}</script></head>\n<body>\n{body}\n</body></html>\n")
