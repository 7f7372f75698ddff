"""The ``routesim`` command line.

One argparse parser with a sub-command per job. Every sub-command is a
function ``_cmd_<name>(args) -> int``. Errors a user can cause
(:class:`routesim.errors.RoutesimError`, bad options) print one line on
stderr and exit with status 2; there is never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import RoutesimError

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message}\n")


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser; sub-commands register themselves below."""
    parser = _Parser(prog="routesim", description=__doc__.splitlines()[0])
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
              f"{r['berths']:>6} {r['annual_teu']:>12,.0f}")
    return 0


def _cmd_route(args) -> int:
    from .network import PortNetwork

    net = PortNetwork.default()
    route = net.route(args.origin, args.destination, via=args.via, avoid=args.avoid, allow=args.allow,
                      vessel_teu=args.vessel_teu)
    if args.json:
        _print_json(route.to_dict())
        return 0
    names = [f"{c} {net.ports[c].name}" for c in route.calls]
    print(" -> ".join(names))
    print(f"distance: {route.distance_nm:,.0f} nm")
    if len(route.calls) > 2:
        print("by call:  " + ", ".join(f"{d:,.0f}" for d in route.call_distances_nm) + " nm")
    print("passes:   " + (", ".join(route.chokepoints) if route.chokepoints else "no chokepoint"))
    closed = sorted(net.closed(args.avoid, args.allow, args.vessel_teu))
    print("closed:   " + (", ".join(closed) if closed else "none"))
    return 0


_REGISTRY.append(_register_network)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``routesim`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
