"""``python -m routesim``: the command line, as the ``routesim`` console script."""

import sys

from .cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
