"""The route map, drawn with cartopy on the shipped Natural Earth land (nothing is downloaded).

:func:`plot_route_map` draws a :class:`~routesim.results.mapview.MapView` (which decides the
central meridian, the extent and what is shown) on a cartopy ``GeoAxes`` in the plate carree
projection centred on the view's meridian: the land from ``data/land_50m.npz`` added with
``add_geometries`` (never ``coastlines()`` or ``stock_img()``, which download), every route in
its own colour, dash style and width, shifted by a point or two so that routes sharing a lane
stay visible, each port once with its name, the chokepoints passed, overland legs dotted, a
legend and a title. cartopy and matplotlib are imported only here, only when a map is drawn.
"""

from __future__ import annotations

import io
import textwrap

from .mapview import land_in_view, lat_ticks, lon_ticks, map_view

__all__ = ["plot_route_map", "map_png", "LAND", "SEA"]

LAND = "#e6dfcf"
"""Land fill colour (a light sand; the tests look for it)."""
SEA = "#d6e6f2"
"""Sea colour (a light blue)."""
_COAST = "#8c8475"
_STYLES = ("-", (0, (6, 2)), (0, (3, 1.5, 1, 1.5)), (0, (1.5, 1.2)))
_WIDTHS = (3.0, 2.4, 2.0, 1.7)


def _geo_axes(ax, proj, figsize):
    """A GeoAxes in ``proj``: ``ax`` if it is one, else one in ``ax``'s place (or on a new figure)."""
    from cartopy.mpl.geoaxes import GeoAxes

    from .plots import new_axes

    if isinstance(ax, GeoAxes) and ax.projection == proj:
        return ax
    ax = new_axes(ax, figsize)
    fig, spec = ax.figure, ax.get_subplotspec()
    ax.remove()
    return fig.add_subplot(spec, projection=proj) if spec is not None else fig.add_subplot(projection=proj)


def _place_labels(ax, marks, fontsize: float, taken: list) -> list[tuple]:
    """Label offsets (points) and alignments for ``marks`` (x, y, text), avoiding labels already placed
    in ``taken`` (display boxes, appended to) and the axes' edges: the first of ten places round the
    point that overlaps nothing, else the one that overlaps least."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure, font = TextToPath(), FontProperties(size=fontsize)
    scale = ax.figure.dpi / 72.0
    frame = ax.bbox.extents
    out = []
    for x, y, text in marks:
        px, py = ax.transData.transform((x, y))
        w = (measure.get_text_width_height_descent(text, font, ismath=False)[0] + 4.0) * scale  # + the bbox pad
        h = 1.4 * fontsize * scale
        best = None
        for dx, dy, ha, va in ((4, 3, "left", "bottom"), (4, -3, "left", "top"), (-4, 3, "right", "bottom"),
                               (-4, -3, "right", "top"), (0, 7, "center", "bottom"), (0, -7, "center", "top"),
                               (4, -13, "left", "top"), (4, 13, "left", "bottom"), (-4, -13, "right", "top"),
                               (-4, 13, "right", "bottom")):
            bx = px + dx * scale - (w if ha == "right" else w / 2 if ha == "center" else 0.0)
            by = py + dy * scale - (h if va == "top" else 0.0)
            box = (bx, by, bx + w, by + h)
            inside = (max(0.0, min(box[2], frame[2]) - max(box[0], frame[0]))
                      * max(0.0, min(box[3], frame[3]) - max(box[1], frame[1])))
            hit = w * h - inside + sum(max(0.0, min(box[2], b[2]) - max(box[0], b[0]))
                                       * max(0.0, min(box[3], b[3]) - max(box[1], b[1])) for b in taken)
            if best is None or hit < best[0]:
                best = (hit, dx, dy, ha, va, box)
            if hit == 0:
                break
        taken.append(best[5])
        out.append(best[1:5])
    return out


def plot_route_map(results_or_plan, ax=None, *, title: str | None = None, figsize=(11.0, 6.2)):
    """Map of the routes' sea paths on Natural Earth land (cartopy, plate carree); returns the GeoAxes.

    Parameters
    ----------
    results_or_plan : Results or Plan
        A run (its plan is drawn) or a compiled :class:`~routesim.plan.Plan`.
    ax : matplotlib Axes, optional
        Where to draw: a cartopy GeoAxes in the map's projection is used as it is; any other
        Axes is replaced by one in the same place. Default: a new figure ``figsize`` inches.
    title : str, optional
        Default: the scenario's name.

    Notes
    -----
    The map is centred on the middle of the routes' longitudes (Pacific-centred for Peru-China,
    see :mod:`routesim.results.mapview`); latitudes run from the routes' southernmost to their
    northernmost point with a margin, within 70S-78N. Distances in the legend in nautical miles.
    """
    import cartopy.crs as ccrs
    from matplotlib import colormaps
    from matplotlib.lines import Line2D
    from matplotlib.transforms import offset_copy

    plan = getattr(results_or_plan, "plan", None) or results_or_plan
    if not hasattr(plan, "routes") or not hasattr(plan, "network"):
        raise TypeError(f"plot_route_map takes a Results or a Plan, not a {type(results_or_plan).__name__}")
    view = map_view(plan, title)
    proj = ccrs.PlateCarree(central_longitude=view.central_lon)
    ax = _geo_axes(ax, proj, figsize)
    fig = ax.figure
    ax.set_extent(view.extent, crs=proj)
    ax.set_facecolor(SEA)
    ax.add_geometries(land_in_view(view), crs=proj, facecolor=LAND, edgecolor=_COAST, linewidth=0.3, zorder=1)
    xs, xlabels = lon_ticks(view)
    ys, ylabels = lat_ticks(view)
    ax.set_xticks(xs, crs=proj)
    ax.set_xticklabels(xlabels, fontsize=7)
    ax.set_yticks(ys, crs=proj)
    ax.set_yticklabels(ylabels, fontsize=7)
    ax.grid(linewidth=0.3, color="grey", alpha=0.5)  # plate carree: meridians and parallels are straight lines
    colours = colormaps["tab10"].colors
    n = len(view.routes)
    for i, r in enumerate(view.routes):
        shift = 1.3 * (i - (n - 1) / 2.0)
        moved = offset_copy(ax.transData, fig=fig, x=shift, y=shift, units="points")
        style = dict(color=colours[i % len(colours)], linestyle=_STYLES[i % len(_STYLES)],
                     linewidth=_WIDTHS[i % len(_WIDTHS)], transform=moved, solid_capstyle="round")
        for k, (x, y) in enumerate(r.pieces):
            ax.plot(x, y, zorder=4 + 0.1 * (n - i), label=r.label if k == 0 else "_nolegend_", **style)
        if r.overland is not None:
            x, y = r.overland
            ax.plot(x, y, zorder=4, label=r.overland_label, **{**style, "linestyle": (0, (0.8, 1.6)), "linewidth": 3.2})
            ax.plot(x[:1], y[:1], marker="s", ms=6, color=style["color"], transform=moved, zorder=6)
    ax.plot([m.x for m in view.ports], [m.lat for m in view.ports], "o", ms=4.5, color="black",
            markerfacecolor="white", markeredgewidth=1.2, transform=ax.transData, zorder=7)
    if view.chokepoints:
        ax.plot([m.x for m in view.chokepoints], [m.lat for m in view.chokepoints], "D", ms=6, color="#b2182b",
                markeredgecolor="white", transform=ax.transData, zorder=7)
    fig.draw_without_rendering()  # the axes box as drawn (cartopy fixes it at draw), so labels are placed where they land
    taken: list = []
    marks = [(m.x, m.lat, f"{m.label} ({m.id})") for m in view.ports]
    for (x, y, text), (dx, dy, ha, va) in zip(marks, _place_labels(ax, marks, 7, taken)):
        ax.annotate(text, (x, y), xycoords=ax.transData, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    fontsize=7, zorder=8, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.75))
    marks = [(m.x, m.lat, m.label) for m in view.chokepoints]
    for (x, y, text), (dx, dy, ha, va) in zip(marks, _place_labels(ax, marks, 7, taken)):
        ax.annotate(text, (x, y), xycoords=ax.transData, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    fontsize=7, style="italic", color="#b2182b", zorder=8)
    handles, labels = ax.get_legend_handles_labels()
    handles += [Line2D([], [], marker="o", ls="", color="black", markerfacecolor="white", label="port call"),
                Line2D([], [], marker="D", ls="", color="#b2182b", label="chokepoint passed")][:2 if view.chokepoints else 1]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=2, fontsize=7, frameon=False)
    ax.set_title("\n".join(textwrap.wrap(view.title, 90)), fontsize=10)
    if view.notes:
        ax.text(0.0, 1.01, "\n".join(view.notes), transform=ax.transAxes, fontsize=7, va="bottom", color="#7f3b08")
    return ax


def map_png(results_or_plan, dpi: int = 110, figsize=(11.0, 6.2)) -> bytes:
    """:func:`plot_route_map` on a figure of its own (no pyplot), as PNG bytes at ``dpi`` dots per inch."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    plot_route_map(results_or_plan, ax=fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()
