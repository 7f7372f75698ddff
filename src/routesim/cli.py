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
