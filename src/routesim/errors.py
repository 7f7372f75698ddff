"""Exceptions raised by routesim.

Every error a user can cause derives from :class:`RoutesimError`; the command
line prints its message on one line and exits with status 2.
"""

from __future__ import annotations

__all__ = [
    "RoutesimError",
    "DataError",
    "UnknownNameError",
    "NoRouteError",
    "ScenarioError",
]


class RoutesimError(Exception):
    """Base class for errors caused by input (files, names, options)."""


class DataError(RoutesimError):
    """A shipped or user-supplied data file is malformed."""


class UnknownNameError(RoutesimError, LookupError):
    """A port, chokepoint, vessel class or service name that is not known.

    ``suggestions`` holds the closest known names, best first.
    """

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.suggestions = tuple(suggestions)

    def __str__(self) -> str:  # LookupError would quote the message
        return self.args[0]

    def __reduce__(self):  # survive pickling (process pools, dask)
        return (type(self), (self.args[0], self.suggestions))


class NoRouteError(RoutesimError):
    """No sea route joins two ports with the passages that are open.

    ``closed`` names the closed passages (chokepoints) that would have joined them.
    """

    def __init__(self, message: str, closed: tuple[str, ...] = ()):
        super().__init__(message)
        self.closed = tuple(closed)

    def __reduce__(self):
        return (type(self), (self.args[0], self.closed))


class ScenarioError(RoutesimError):
    """A scenario file or object is invalid.

    ``issues`` holds every problem found, each a one-line message of the form
    ``file:line:column: field.path: what is wrong``.
    """

    def __init__(self, issues: list[str] | tuple[str, ...]):
        self.issues = tuple(issues)
        super().__init__("\n".join(self.issues))

    def __reduce__(self):
        return (type(self), (self.issues,))
