"""The ``routesim`` command line.

One argparse parser with a sub-command per job. Every sub-command is a
function ``_cmd_<name>(args) -> int``. Errors a user can cause
(:class:`routesim.errors.RoutesimError`, bad options) print one line on
stderr and exit with status 2; there is never a traceback for bad input.

Running, comparing and sweeping go through :mod:`routesim.api` only (imported by
those commands, so that the others start quickly); the ``ports``, ``route``,
``sources``, ``validate`` and ``schema`` commands read the catalogue, the network
and the scenario schema.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import warnings

from . import cli_catalogue, cli_decide, cli_report, cli_validate
from .choices import ENGINES, EXECUTORS, SEEDS
from ._atomic import check_folder
from ._warmup import sweep_workers
from .errors import RoutesimError, RoutesimWarning

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message}\n")


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def _json_rows(frame) -> list[dict]:
    """The rows of a DataFrame as JSON objects, NaN as null."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _teu(value) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def build_parser() -> argparse.ArgumentParser:
    """The full parser; sub-commands register themselves below."""
    parser = _Parser(prog="routesim", description=__doc__.splitlines()[0].replace("``", ""))
    from . import __version__

    parser.add_argument("--version", action="version", version=f"routesim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for register in _REGISTRY:
        register(sub)
    return parser


_REGISTRY: list = []


# ----------------------------------------------------------------- ports, route
def _register_network(sub) -> None:
    p = sub.add_parser("ports", help="list the ports in the catalogue", description="List the catalogue ports.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_ports)

    r = sub.add_parser(
        "route",
        help="sea route and distance between two ports",
        description="Shortest sea route between two ports (by UN/LOCODE or name), in nautical miles.",
    )
    r.add_argument("origin", help="origin port (UN/LOCODE or name, e.g. PECHY or Chancay)")
    r.add_argument("destination", help="destination port")
    r.add_argument("--via", action="append", default=[], metavar="PORT", help="call at PORT on the way (repeatable)")
    r.add_argument("--avoid", action="append", default=[], metavar="CHOKEPOINT",
                   help="close a chokepoint: panama, magellan, drake, good_hope, suez, malacca, sunda, bering")
    r.add_argument("--allow", action="append", default=[], metavar="CHOKEPOINT",
                   help="open a chokepoint closed by default (bering)")
    r.add_argument("--vessel-teu", type=float, default=None, metavar="TEU",
                   help="ship size: avoid passages that take smaller ships only")
    r.add_argument("--speed-kn", type=float, default=None, metavar="KN", help="also print the days at sea at KN knots")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.set_defaults(func=_cmd_route)


def _cmd_ports(args) -> int:
    from .catalogue import ports

    rows = [
        {
            "code": p.code,
            "name": p.name,
            "country": p.country,
            "lat": p.lat,
            "lon": p.lon,
            "berths": p.berths.value,
            "annual_teu": p.annual_teu.value,
        }
        for p in ports().values()
    ]
    if args.json:
        _print_json({"ports": rows})
        return 0
    print(f"{'code':<6} {'name':<34} {'cc':<3} {'lat':>8} {'lon':>9} {'berths':>6} {'annual TEU':>12}")
    for r in rows:
        print(f"{r['code']:<6} {r['name'][:34]:<34} {r['country']:<3} {r['lat']:>8.3f} {r['lon']:>9.3f} "
              f"{r['berths']:>6} {_teu(r['annual_teu']):>12}")
    return 0


def _cmd_route(args) -> int:
    from .network import PortNetwork

    net = PortNetwork.default()
    route = net.route(args.origin, args.destination, via=args.via, avoid=args.avoid, allow=args.allow,
                      vessel_teu=args.vessel_teu)
    days = None if args.speed_kn is None else cli_catalogue.days_at_sea(route.distance_nm, args.speed_kn)
    if args.json:
        _print_json({**route.to_dict(), **({} if days is None else {"speed_kn": args.speed_kn, "days_at_sea": days})})
        return 0
    names = [f"{c} {net.ports[c].name}" for c in route.calls]
    print(" -> ".join(names))
    print(f"distance: {route.distance_nm:,.0f} nm")
    if days is not None:
        print(f"at sea:   {days:,.1f} days at {args.speed_kn:g} kn")
    if len(route.calls) > 2:
        print("by call:  " + ", ".join(f"{d:,.0f}" for d in route.call_distances_nm) + " nm")
    print("passes:   " + (", ".join(route.chokepoints) if route.chokepoints else "no chokepoint"))
    closed = sorted(net.closed(args.avoid, args.allow, args.vessel_teu))
    print("closed:   " + (", ".join(closed) if closed else "none"))
    return 0


_REGISTRY.append(_register_network)
_REGISTRY.append(cli_catalogue.register)


# ---------------------------------------------------------------- run / validate / schema
def _register_run(sub) -> None:
    p = sub.add_parser("run", help="run a scenario and print the summary per route",
                       description="Run a scenario file with the Monte Carlo or discrete-event engine.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--engine", choices=ENGINES, help="engine (default: the scenario's)")
    p.add_argument("--replications", "-n", type=_positive_int, metavar="N",
                   help="Monte Carlo shipments per route, or discrete-event runs")
    p.add_argument("--seed", type=_nonneg_int, metavar="S", help="random seed (default: the scenario's)")
    p.add_argument("--set", dest="set_options", action="append", default=[], metavar="KEY=VALUE",
                   help="change a scenario field, e.g. --set costs.bunker_usd_per_t=650 (repeatable)")
    cli_validate.add_root_option(p)
    p.add_argument("--threads", type=_positive_int, metavar="T", help="Monte Carlo worker threads")
    p.add_argument("--workers", type=_positive_int, metavar="W",
                   help="discrete-event replications: processes (default: CPUs; 1: serial)")
    p.add_argument("--out", metavar="DIR", help="write summary.csv, summary.json, shipments.parquet and figures here")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--per", choices=("teu", "feu", "tonne", "unit", "parcel"), default=None,
                   help="money per TEU (default; tramp parcels per tonne or vehicle), FEU, tonne, unit (vehicle, kWh), parcel")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=_cmd_run)


def _int_at_least(minimum: int):
    """An argparse type: a whole number >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if v < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {v}")
        return v

    return parse


_positive_int = _int_at_least(1)
_nonneg_int = _int_at_least(0)


def _cmd_run(args) -> int:
    from . import api  # here, not at the top: route, validate and the catalogue commands never need it
    scenario = api.load_scenario(args.scenario, set_options=args.set_options, root=args.root)
    if args.out is not None:
        check_folder(args.out)  # before the run, not after it
    overrides = {}
    if args.threads:
        overrides["montecarlo.threads"] = args.threads
    if args.workers:
        overrides["des.workers"] = args.workers
    if args.out is not None and scenario.montecarlo.keep_shipments is None:
        overrides["montecarlo.keep_shipments"] = True  # shipments.parquet: keep the table as it runs
    if overrides:
        scenario = scenario.with_overrides(overrides)
    progress, close = _progress_bar(enabled=not args.no_progress and not args.json)
    try:
        results = api.run(scenario, engine=args.engine, replications=args.replications, seed=args.seed,
                      progress=progress)
    finally:
        close()
    results = results.in_units(args.per) if args.per else results
    if args.out is not None:
        results.write(args.out)
    if args.json:
        sys.stdout.write(results.to_json() + "\n")
    else:
        sys.stdout.write(results.table())
        if args.out:
            sys.stdout.write(f"\nwrote {args.out}/summary.csv, summary.json and figures\n")
    return 0


def _progress_bar(enabled: bool):
    """A rich progress bar on a terminal (stderr); a no-op otherwise."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from rich.console import Console

    bar = Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                   TimeRemainingColumn(), transient=True, console=Console(stderr=True))
    bar.start()
    task = bar.add_task("run", total=1.0)

    def update(done, total):
        bar.update(task, completed=done / total if total else 1.0)

    return update, bar.stop


_REGISTRY.extend([_register_run, cli_validate.register])


# ---------------------------------------------------------------- sources
def _register_sources(sub) -> None:
    p = sub.add_parser("sources", help="list every catalogue figure with its unit and source",
                       description="Every sourced figure of the shipped catalogue (ports, vessels, services, "
                                   "chokepoints, costs, operations, commodities, trade).")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--markdown", action="store_true", help="print docs/calibration.md")
    fmt.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--derived", action="store_true", help="only figures routesim derived")
    p.set_defaults(func=_cmd_sources)


def _cmd_sources(args) -> int:
    from dataclasses import asdict

    from .catalogue.sources import figures, markdown

    if args.markdown:
        sys.stdout.write(markdown())
        return 0
    rows = [r for r in figures() if r.derived or not args.derived]
    if args.json:
        _print_json({"figures": [asdict(r) for r in rows]})
        return 0
    for r in rows:
        flag = "derived" if r.derived else "sourced"
        print(f"{r.file}:{r.entry}:{r.parameter} = {r.value} {r.unit} [{flag}, {r.confidence or '-'}] {r.source}")
    return 0


_REGISTRY.append(_register_sources)


# ---------------------------------------------------------------- sweep
def _register_sweep(sub) -> None:
    p = sub.add_parser(
        "sweep", help="run a scenario over a grid of parameter values (resumable)",
        description="Run a scenario at every point of a parameter sweep and print one row per point and route. "
                    "Finished points are saved in DIR/points and reused when the same sweep is run again.")
    p.add_argument("scenario", metavar="SCENARIO", nargs="?",
                   help="scenario YAML file (with --sweep-file: replaces the file's scenario)")
    design = p.add_mutually_exclusive_group(required=True)
    design.add_argument("--grid", action="append", metavar="KEY=V1,V2,...",
                        help="a parameter and its values, e.g. costs.bunker_usd_per_t=450,535,650 "
                             "(repeatable: every combination runs)")
    design.add_argument("--sweep-file", metavar="FILE", help="a sweep YAML file (scenario, grid/zip/points/"
                                                             "one_at_a_time, engine, replications, seed)")
    p.add_argument("--set", dest="set_options", action="append", default=[], metavar="KEY=VALUE",
                   help="change the base scenario, as in 'routesim run --set' (repeatable)")
    cli_validate.add_root_option(p)
    p.add_argument("--engine", choices=ENGINES, help="engine (default: the scenario's)")
    p.add_argument("--replications", "-n", type=_positive_int, metavar="N", help="replications per point")
    p.add_argument("--seed", type=_nonneg_int, metavar="S", help="random seed (default: the scenario's)")
    p.add_argument("--seeds", choices=SEEDS,
                   help="common (default): every point uses the seed; independent: one spawned seed per point")
    p.add_argument("--executor", choices=EXECUTORS, default=EXECUTORS[0],
                   help="where points run (same numbers on each; dask needs routesim[dask])")
    p.add_argument("--workers", type=_positive_int, metavar="N", help="worker processes (default: CPUs)")
    p.add_argument("--dask-address", metavar="ADDR", help="scheduler of a running Dask cluster (tcp://host:8786)")
    p.add_argument("--scheduler-file", metavar="FILE", help="scheduler file of a running Dask cluster")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="write points/*.json, sweep.csv, sweep.parquet and sweep.json here")
    p.add_argument("--no-resume", action="store_true", help="run every point again, even those saved in DIR")
    p.add_argument("--plot", action="store_true", help="also write heatmap_ROUTE.png / tornado_ROUTE.png into DIR")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=_cmd_sweep)


def _cmd_sweep(args) -> int:
    sweep_workers(args.executor, args.engine, args.dask_address, args.scheduler_file)  # before the imports
    from . import api
    options = dict(engine=args.engine, replications=args.replications, seed=args.seed, seeds=args.seeds)
    if args.sweep_file:
        spec = api.load_sweep_file(args.sweep_file, scenario=args.scenario, set_options=args.set_options,
                                   root=args.root, **options)
    else:
        if not args.scenario:
            raise RoutesimError("sweep: give a SCENARIO file with --grid")
        grid: dict = {}
        for g in args.grid:
            key, values = api.parse_grid_option(g)
            if key in grid:
                raise RoutesimError(f"--grid {key}: given twice; list all its values in one --grid {key}=V1,V2,...")
            grid[key] = values
        base = api.load_scenario(args.scenario, set_options=args.set_options, root=args.root)
        spec = api.Sweep.grid(base, grid, _where=lambda path: "--grid",
                              **{k: v for k, v in options.items() if v is not None})
    progress, close = _progress_bar(enabled=not args.no_progress and not args.json)
    try:
        result = spec.run(args.executor, workers=args.workers, dask_address=args.dask_address,
                          scheduler_file=args.scheduler_file, out=args.out,
                          resume=not args.no_resume, progress=progress)
    finally:
        close()
    table = result.table
    from .sweeps.plots import write_sweep_figures  # matplotlib is imported only when --plot draws
    figures = [str(f) for f in write_sweep_figures(result, args.out)] if args.plot else []
    if args.json:
        _print_json({"scenario": spec.base.name, "params": list(spec.params), "seeds": spec.seeds,
                     "executor": args.executor, "points": len(spec), "computed": list(result.computed),
                     "resumed": list(result.resumed), "out": args.out, "rows": _json_rows(table), "figures": figures})
        return 0
    shown = {"transit_days_mean": "transit d", "door_days_mean": "door d", "cost_usd_per_teu_mean": "USD/TEU",
             "co2_t_per_teu_mean": "t CO2/TEU", "spoiled_share": "spoiled"}
    view = table[[*spec.params, "route", *shown]].rename(columns=shown)
    print(f"{spec.base.name}: {len(spec)} points x {table['route'].nunique()} route(s) (means; seeds {spec.seeds})")
    print(view.to_string(index=False, float_format=lambda v: f"{v:,.2f}", na_rep="-"))
    print(f"\n{len(result.computed)} point(s) run, {len(result.resumed)} resumed; "
          f"wrote {args.out}/sweep.csv, sweep.parquet and points/" + "".join(f"\nwrote {f}" for f in figures))
    return 0


_REGISTRY.append(_register_sweep)


# ---------------------------------------------------------------- compare
def _register_compare(sub) -> None:
    p = sub.add_parser(
        "compare", help="compare two routes of a scenario, or two scenarios route by route",
        description="routesim compare SCENARIO ROUTE_A ROUTE_B  (route B against route A of one run), or "
                    "routesim compare SCENARIO_A SCENARIO_B  (every route of B against the same route of A).")
    p.add_argument("items", nargs="+", metavar="ITEM", help="a scenario and two route names, or two scenarios")
    p.add_argument("--engine", choices=ENGINES, help="engine (default: each scenario's)")
    p.add_argument("--replications", "-n", type=_positive_int, metavar="N")
    p.add_argument("--seed", type=_nonneg_int, metavar="S")
    p.add_argument("--set", dest="set_options", action="append", default=[], metavar="KEY=VALUE",
                   help="change a field of every scenario compared (repeatable)")
    cli_validate.add_root_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_compare)


def _cmd_compare(args) -> int:
    from . import api
    items = args.items
    options = dict(engine=args.engine, replications=args.replications, seed=args.seed)
    if len(items) == 3:
        scenario, route_a, route_b = items
        base = api.load_scenario(scenario, set_options=args.set_options, root=args.root)
        table = api.compare(base, route_a, route_b, **options)
        title = f"{base.name}: {route_b} against {route_a}"
    elif len(items) == 2:
        scenarios = [api.load_scenario(x, set_options=args.set_options, root=args.root) for x in items]
        table = api.compare(*scenarios, **options)
        title = f"{items[1]} against {items[0]}, route by route"
    else:
        raise RoutesimError("compare takes a scenario and two route names, or two scenarios")
    if args.json:
        _print_json({"title": title, "rows": _json_rows(table.reset_index())})
    else:
        import pandas as pd

        with pd.option_context("display.width", 140, "display.max_rows", 200):
            print(title)
            print(table.to_string(float_format=lambda x: f"{x:,.2f}"))
    return 0


_REGISTRY.extend([_register_compare, cli_decide.register, cli_report.register])


# ---------------------------------------------------------------- entry point
def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print routesim's own warnings as ``routesim: warning: ...``; others as Python does."""
    if issubclass(category, RoutesimWarning):
        print(f"routesim: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``routesim`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():  # SIGTERM unwinds like Ctrl-C: temporary files go
        signal.signal(signal.SIGTERM, _terminated)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", RoutesimWarning)
            warnings.showwarning = _show_warning
            return int(args.func(args) or 0)
    except RoutesimError as exc:
        msg = str(exc)
        print(f"routesim: error: {msg}" if "\n" not in msg else f"routesim: error:\n{msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("routesim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `routesim ports | head`
        return 0
    except OSError as exc:  # a full disk, a read-only folder: not the input's fault, but no traceback
        print(f"routesim: error: cannot write {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
