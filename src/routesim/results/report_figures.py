"""The report's interactive figures, with plotly: ECDFs, days and cost breakdowns, the route map and,
for a discrete-event run, the animated map of vessel positions and queues.

Every function takes a :class:`~routesim.results.Results` and returns a ``plotly.graph_objects.Figure``.
The maps are plain x/y plots in the map coordinates of :mod:`routesim.results.mapview` (degrees of
a plate carree map centred where the routes sail) with the shipped Natural Earth land drawn as
filled shapes: plotly's own geo maps fetch their land from the web, these need nothing. plotly is
imported only here.
"""

from __future__ import annotations

import numpy as np

from ..costs import COMPONENTS
from ..plan import KINDS
from .mapview import land_in_view, lon_ticks, map_view
from .plots import _KIND_LABELS
from .summary import UNITS

__all__ = ["ecdf_figure", "days_figure", "cost_figure", "route_map_figure", "des_animation_figure",
           "ECDF_METRICS", "LAND", "STATUS_COLOURS"]

ECDF_METRICS = ("transit_days", "door_days", "cost_usd_per_teu")
"""The metrics the report shows as ECDFs (days, days, USD/TEU)."""
LAND = "#e6dfcf"
"""Land fill of the interactive maps (the same sand as the static map)."""
_SEA = "#d6e6f2"
_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf")
_DASHES = ("solid", "dash", "dashdot", "dot")
STATUS_COLOURS = {"sailing": "#08519c", "waiting": "#cb181d", "alongside": "#238b45", "held": "#969696",
                  "canal queue": "#fd8d3c", "in canal": "#6a51a3"}
"""Marker colour of a vessel by its status (:mod:`routesim.results.des_frames`)."""


def _go():
    import plotly.graph_objects as go

    return go


def ecdf_figure(results, points: int = 400):
    """ECDFs of transit days, door days and cost per TEU by route, side by side (at most ``points``
    quantiles a route: the file stays small whatever the number of shipments). Without the
    per-shipment table each route shows its p5, median and p95."""
    from plotly.subplots import make_subplots

    go = _go()
    fig = make_subplots(rows=1, cols=len(ECDF_METRICS), shared_yaxes=True,
                        subplot_titles=[f"{m.replace('_', ' ')} ({UNITS[m]})" for m in ECDF_METRICS])
    table = results.shipments
    p = np.linspace(0.0, 1.0, points)
    for i, name in enumerate(results.routes):
        colour = _COLOURS[i % len(_COLOURS)]
        for j, m in enumerate(ECDF_METRICS):
            if table is not None:
                x = table.loc[table["route"] == name, m].to_numpy(dtype=float)
                x = x[np.isfinite(x)]
                if x.size == 0:
                    continue
                xs, ys, mode = np.quantile(x, p), p, "lines"
            else:
                s = results.routes[name].metrics[m]
                xs, ys, mode = np.array([s.p5, s.median, s.p95]), np.array([0.05, 0.5, 0.95]), "lines+markers"
            fig.add_trace(go.Scatter(x=xs, y=ys, mode=mode, name=name, legendgroup=name, showlegend=j == 0,
                                     line=dict(color=colour, shape="hv" if mode == "lines" else "linear"),
                                     hovertemplate=f"{name}<br>%{{x:,.2f}} {UNITS[m]}<br>share %{{y:.2f}}<extra></extra>"),
                          row=1, col=j + 1)
    fig.update_yaxes(title_text="share of shipments", range=[0, 1], row=1, col=1)
    fig.update_layout(title=f"{results.scenario}: distributions by route", height=420, margin=dict(t=80))
    return fig


def _stacked(results, values: dict, labels: dict, ytitle: str, title: str):
    go = _go()
    names = list(results.routes)
    fig = go.Figure()
    for key, label in labels.items():
        ys = np.nan_to_num(np.array([values[n].get(key, np.nan) for n in names], dtype=float), nan=0.0)
        if not ys.any():
            continue
        fig.add_trace(go.Bar(x=names, y=ys, name=label, hovertemplate=f"{label}: %{{y:,.2f}}<extra>%{{x}}</extra>"))
    fig.update_layout(barmode="stack", title=f"{results.scenario}: {title}", yaxis_title=ytitle, height=420)
    return fig


def days_figure(results):
    """Stacked bars of mean door days by leg kind, one bar per route (days)."""
    return _stacked(results, {n: r.days_by_kind for n, r in results.routes.items()},
                    {k: _KIND_LABELS[k] for k in KINDS}, "mean days", "where the days go")


def cost_figure(results):
    """Stacked bars of mean landed cost by component, one bar per route (USD per TEU, or the run's ``per``)."""
    return _stacked(results, {n: r.cost_by_component for n, r in results.routes.items()}, {c: c for c in COMPONENTS},
                    f"USD per {results.per.upper() if results.per in ('teu', 'feu') else results.per}",
                    "where the dollars go")


def _base_map(view, tolerance_deg: float = 0.1):
    """The map's land, routes, ports and chokepoints as a figure (traces: land first)."""
    go = _go()
    fig = go.Figure()
    xs, ys = [], []
    for poly in land_in_view(view, tolerance_deg):
        x, y = poly.exterior.xy
        if len(x) < 4:
            continue
        xs += [*np.round(x, 3).tolist(), None]
        ys += [*np.round(y, 3).tolist(), None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=LAND, line=dict(color="#8c8475", width=0.5),
                             hoverinfo="skip", name="land (Natural Earth 1:50m)", showlegend=False))
    for i, r in enumerate(view.routes):
        colour, dash = _COLOURS[i % len(_COLOURS)], _DASHES[i % len(_DASHES)]
        for k, (x, y) in enumerate(r.pieces):
            fig.add_trace(go.Scatter(x=np.round(x, 3), y=np.round(y, 3), mode="lines", name=r.label, legendgroup=r.name,
                                     showlegend=k == 0, line=dict(color=colour, dash=dash, width=3 - 0.4 * (i % 4)),
                                     hoverinfo="name"))
        if r.overland is not None:
            fig.add_trace(go.Scatter(x=np.round(r.overland[0], 3), y=np.round(r.overland[1], 3), mode="lines",
                                     name=r.overland_label, legendgroup=r.name,
                                     line=dict(color=colour, dash="dot", width=4), hoverinfo="name"))
    fig.add_trace(go.Scatter(x=[m.x for m in view.ports], y=[m.lat for m in view.ports], mode="markers+text",
                             text=[m.label for m in view.ports], textposition="top right", textfont=dict(size=10),
                             marker=dict(size=8, color="white", line=dict(color="black", width=1.5)),
                             name="port call", hovertext=[f"{m.label} ({m.id})" for m in view.ports], hoverinfo="text"))
    if view.chokepoints:
        fig.add_trace(go.Scatter(x=[m.x for m in view.chokepoints], y=[m.lat for m in view.chokepoints],
                                 mode="markers+text", text=[m.label for m in view.chokepoints], textposition="bottom right",
                                 textfont=dict(size=10, color="#b2182b"), marker=dict(symbol="diamond", size=10, color="#b2182b"),
                                 name="chokepoint passed", hoverinfo="text"))
    tickvals, ticktext = lon_ticks(view)
    x0, x1, y0, y1 = view.extent
    fig.update_xaxes(range=[x0, x1], tickvals=tickvals, ticktext=ticktext, showgrid=True, gridcolor="#c7d4de",
                     zeroline=False, constrain="domain")
    fig.update_yaxes(range=[y0, y1], scaleanchor="x", scaleratio=1, showgrid=True, gridcolor="#c7d4de", zeroline=False,
                     ticksuffix="°", constrain="domain")
    fig.update_layout(plot_bgcolor=_SEA, title=dict(text=view.title, y=0.98, yanchor="top"), height=600,
                      legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"), margin=dict(l=40, r=20, t=120, b=40))
    return fig


def route_map_figure(results):
    """The interactive route map (plotly): the same view as the static map (:func:`routesim.results.maps.plot_route_map`)."""
    return _base_map(map_view(results.plan))


def des_animation_figure(results, frames=None):
    """The route map with the discrete-event run's vessels and queues, one frame per sampled study day,
    a time slider and play/pause buttons; None when the run has no event log.

    ``frames`` is a :class:`~routesim.results.des_frames.Frames` (default: :func:`vessel_frames` of
    replication 0). Vessels are coloured by status (:data:`STATUS_COLOURS`); a port's or canal's red
    circle grows with the scenario's vessels waiting there.
    """
    from .des_frames import vessel_frames

    frames = frames if frames is not None else vessel_frames(results)
    if frames is None:
        return None
    go = _go()
    view = map_view(results.plan, f"{results.scenario}: vessels and queues (discrete-event run, "
                                  f"replication {frames.replication})")
    fig = _base_map(view)
    pos, que = frames.positions, frames.queues

    def traces(t):
        p = pos.loc[pos["time"] == t]
        q = que.loc[(que["time"] == t) & (que["waiting"] > 0)]
        vessels = go.Scatter(x=np.round(view.x(p["lon"].to_numpy()), 3), y=np.round(p["lat"].to_numpy(), 3),
                             mode="markers", name="vessels (colour: status)",
                             marker=dict(size=9, color=[STATUS_COLOURS[s] for s in p["status"]], symbol="triangle-up",
                                         line=dict(color="white", width=0.5)),
                             hovertext=[f"{v}<br>{s}" for v, s in zip(p["vessel"], p["status"])], hoverinfo="text")
        queues = go.Scatter(x=np.round(view.x(q["lon"].to_numpy()), 3), y=np.round(q["lat"].to_numpy(), 3),
                            mode="markers+text", name="vessels waiting (port anchorage, canal queue)",
                            text=[f"{w} waiting" for w in q["waiting"]], textposition="bottom center",
                            textfont=dict(color="#cb181d", size=10),
                            marker=dict(size=(10 + 7 * q["waiting"]).tolist(), color="rgba(203,24,29,0.25)",
                                        line=dict(color="#cb181d", width=1.5)),
                            hovertext=[f"{pl}: {w} waiting" for pl, w in zip(q["place"], q["waiting"])], hoverinfo="text")
        return [vessels, queues]

    first = len(fig.data)
    for tr in traces(frames.times[0]):
        fig.add_trace(tr)
    fig.frames = [go.Frame(data=traces(t), traces=[first, first + 1], name=f"{t:g}") for t in frames.times]
    anim = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
    fig.update_layout(
        title_text=view.title, height=680,
        sliders=[dict(active=0, currentvalue=dict(prefix="study day "), pad=dict(t=50), len=0.9, x=0.1,
                      steps=[dict(method="animate", label=f"{t:g}", args=[[f"{t:g}"], anim]) for t in frames.times])],
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=0, xanchor="left", yanchor="top", pad=dict(t=50),
                          buttons=[dict(label="play", method="animate",
                                        args=[None, dict(mode="immediate", fromcurrent=True,
                                                         frame=dict(duration=150, redraw=False), transition=dict(duration=0))]),
                                   dict(label="pause", method="animate", args=[[None], anim])])])
    return fig
