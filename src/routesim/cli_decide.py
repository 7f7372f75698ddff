"""The ``routesim best`` and ``routesim optimise-speed`` commands (thin: :mod:`routesim.decide` does the work).

:mod:`routesim.cli` registers them; errors are :class:`~routesim.errors.RoutesimError` (exit 2).

>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> register(sub)
>>> sorted(sub.choices)
['best', 'optimise-speed']
"""

from __future__ import annotations

import argparse
import json
import sys

from .choices import BEST_OBJECTIVES, DETOUR, MAX_CANDIDATES, NEAR_KM
from .cli_validate import add_root_option

__all__ = ["register"]


def _positive(kind):
    def parse(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {'whole ' if kind is int else ''}number, got '{text}'") from None
        if not v > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return v

    return parse


def _nonneg_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {v}")
    return v


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def register(sub) -> None:
    """Add ``best`` and ``optimise-speed`` to an argparse sub-parser set."""
    b = sub.add_parser("best", help="find and rank the routings between two ports for a cargo",
                       description="Enumerate the routings the catalogue can sail from ORIGIN to DESTINATION "
                                   "(direct services, one or two relays at hubs, what-if direct vessels), simulate "
                                   "them in one Monte Carlo run and print the ranking and the Pareto front of "
                                   "cost, door days and CO2e.")
    b.add_argument("origin", metavar="ORIGIN", help="origin port (UN/LOCODE or name)")
    b.add_argument("destination", metavar="DESTINATION", help="destination port")
    b.add_argument("--cargo", required=True, metavar="COMMODITY", help="a commodity (routesim commodities)")
    b.add_argument("--objective", choices=BEST_OBJECTIVES, default="cost",
                   help="what ranks first: landed cost, door days, WTW CO2e (lowest) or value at arrival (highest)")
    b.add_argument("--max-p95-door-days", type=_positive(float), metavar="N",
                   help="rank routings whose p95 door days exceed N after the others")
    b.add_argument("--date", metavar="YYYY-MM-DD", help="cargo ready and booked in the week from this date")
    b.add_argument("--replications", "-n", type=_positive(int), default=2000, metavar="N",
                   help="Monte Carlo shipments per routing (default 2000)")
    b.add_argument("--seed", type=_nonneg_int, default=42, metavar="S", help="random seed (default 42)")
    b.add_argument("--teu", type=_positive(float), metavar="TEU", help="TEU per shipment (default 1)")
    b.add_argument("--near-km", type=float, default=NEAR_KM, metavar="KM",
                   help=f"ports this close count as the same place (default {NEAR_KM:g})")
    b.add_argument("--max-relays", type=int, choices=(0, 1, 2), default=2, help="transshipment hubs (default 2)")
    b.add_argument("--detour", type=_positive(float), default=DETOUR, metavar="X",
                   help=f"drop routings longer than X times the shortest sea distance (default {DETOUR:g})")
    b.add_argument("--max-candidates", type=_positive(int), default=MAX_CANDIDATES, metavar="N",
                   help=f"simulate at most N routings (default {MAX_CANDIDATES})")
    b.add_argument("--no-what-if", action="store_true", help="leave out the what-if vessels")
    b.add_argument("--json", action="store_true", help="print one JSON object")
    b.set_defaults(func=_cmd_best)

    o = sub.add_parser("optimise-speed", help="the speed minimising the expected total per TEU on a route",
                       description="Find the speed that minimises the expected fuel + vessel time + inventory + "
                                   "quality loss + carbon per TEU on a route of a scenario, within the vessel's "
                                   "speed range, with the ships a weekly service needs at that speed.")
    o.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    o.add_argument("route", metavar="ROUTE", help="a route of the scenario")
    o.add_argument("--bunker-usd-per-t", type=_positive(float), metavar="X", help="fuel price, USD per tonne")
    o.add_argument("--segment", type=_nonneg_int, metavar="I", help="the stretch to optimise (default: longest)")
    o.add_argument("--replications", "-n", type=_positive(int), default=2000, metavar="N",
                   help="Monte Carlo shipments for a perishable's quality loss (default 2000)")
    o.add_argument("--seed", type=_nonneg_int, metavar="S", help="random seed (default: the scenario's)")
    add_root_option(o)
    o.add_argument("--json", action="store_true", help="print one JSON object")
    o.set_defaults(func=_cmd_optimise)


def _cmd_best(args) -> int:
    from .decide import best

    found = best(args.origin, args.destination, args.cargo, objective=args.objective,
                 max_p95_door_days=args.max_p95_door_days, date=args.date, replications=args.replications,
                 seed=args.seed, teu=args.teu, near_km=args.near_km, max_relays=args.max_relays,
                 detour=args.detour, max_candidates=args.max_candidates, what_if=not args.no_what_if)
    if args.json:
        _print_json(found.to_dict())
    else:
        print(found)
    return 0


def _cmd_optimise(args) -> int:
    from .decide import optimise_speed

    plan = optimise_speed(args.scenario, args.route, bunker_usd_per_t=args.bunker_usd_per_t, segment=args.segment,
                          replications=args.replications, seed=args.seed, root=args.root)
    if args.json:
        _print_json(plan.to_dict())
    else:
        print(plan)
    return 0
