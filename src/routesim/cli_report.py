"""The ``routesim report`` command: run a scenario and write its HTML report.

``routesim report SCENARIO -o report.html [--engine des] [-n N] [--seed S] [--set KEY=VALUE]``
runs the scenario like ``routesim run`` (the Monte Carlo run keeps its per-shipment table
for the ECDFs) and writes one self-contained HTML file (:meth:`routesim.results.Results.to_html`:
plotly.js embedded, nothing loaded from the web), atomically. :mod:`routesim.cli` registers it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import RoutesimError

__all__ = ["register"]


_RUN_OPTIONS = ("engine", "replications", "seed", "set_options", "root", "workers", "per")
"""The options ``report`` shares with ``routesim run`` (taken from its parser: one definition of each)."""


def register(sub) -> None:
    """Add the ``report`` subcommand to the argparse ``sub`` parsers, after ``run`` (whose options it shares)."""
    run = sub.choices.get("run")
    if run is None:
        raise RuntimeError("routesim report: register it after the run command, whose options it takes")
    p = sub.add_parser("report", help="run a scenario and write a self-contained HTML report",
                       description="Run a scenario and write one HTML file that opens offline: the scenario, "
                                   "summary tables with confidence intervals, ECDFs, days and cost breakdowns, "
                                   "maps (animated vessels and queues for a discrete-event run), engine "
                                   "statistics and the sources of the figures used.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write, e.g. report.html")
    for action in run._actions:  # as argparse's parents= does: the same Action objects, so the same options
        if action.dest in _RUN_OPTIONS:
            p._add_action(action)
    p.set_defaults(func=_cmd_report)


def _cmd_report(args) -> int:
    from . import api

    out = Path(args.output)
    if out.is_dir():
        raise RoutesimError(f"-o {args.output}: is a folder; give the HTML file to write, e.g. {out / 'report.html'}")
    if out.parent.exists() and not out.parent.is_dir():
        raise RoutesimError(f"-o {args.output}: {out.parent} is a file, not a folder")
    scenario = api.load_scenario(args.scenario, set_options=args.set_options, root=args.root)
    if scenario.montecarlo.keep_shipments is None:
        scenario = scenario.with_overrides({"montecarlo.keep_shipments": True})  # the ECDFs need the table
    results = api.run(scenario, engine=args.engine, replications=args.replications, seed=args.seed,
                      workers=args.workers)
    results = results.in_units(args.per) if args.per else results
    results.to_html(out, scenario=scenario)
    sys.stdout.write(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB; {results.scenario}, engine {results.engine}, "
                     f"{len(results.routes)} route(s))\n")
    return 0
