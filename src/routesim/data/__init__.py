"""The shipped catalogue data files (``*.yaml``), read by :mod:`routesim.catalogue`; no code."""

__all__: list[str] = []
