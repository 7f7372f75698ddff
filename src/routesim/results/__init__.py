"""Results of a run: summaries, comparisons, files and figures, for every engine.

One-way layers, lowest first:

* :mod:`~routesim.results.summary`: :class:`MetricSummary`, :class:`RouteSummary`, the metrics
  (:data:`METRICS`, :data:`UNITS`) and the comparison of two routes' summaries;
* :mod:`~routesim.results.core`: :class:`Results` and :func:`compare` (runs nothing;
  :func:`routesim.compare` runs scenarios first);
* :mod:`~routesim.results.display`: the text table and the notebook view;
* :mod:`~routesim.results.export`: files (through :mod:`routesim._atomic`, the one file writer);
* :mod:`~routesim.results.plots`: figures (matplotlib, no backend switch);
* :mod:`~routesim.results.mapview` and :mod:`~routesim.results.maps`: the route map (what it shows; cartopy);
* :mod:`~routesim.results.des_frames`, :mod:`~routesim.results.report_figures` and
  :mod:`~routesim.results.report`: the HTML report (plotly, one offline file).

>>> from routesim.results import METRICS, UNITS
>>> [UNITS[m] for m in METRICS]
['days', 'days', 'USD/TEU', 'USD/TEU', 'USD/TEU', 'USD/TEU', 't CO2/TEU', 't CO2e/TEU', 'g CO2e/TEU-km', 'USD/TEU', 'USD/TEU']
"""

from .core import Results, compare
from .export import write_results
from .maps import plot_route_map
from .plots import plot_cost_breakdown, plot_days_by_kind, plot_ecdf
from .summary import METRICS, UNITS, MetricSummary, RouteSummary

__all__ = ["Results", "RouteSummary", "MetricSummary", "compare", "METRICS", "UNITS", "write_results",
           "plot_ecdf", "plot_days_by_kind", "plot_cost_breakdown", "plot_route_map"]
