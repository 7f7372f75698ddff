"""Exceptions raised by routesim.

Every error a user can cause derives from :class:`RoutesimError`; the command
line prints its message on one line and exits with status 2. The hierarchy is
declared here, in one place, and this module imports nothing::

    RoutesimError
    ├── DataError          a shipped or user data file is malformed
    ├── UnknownNameError   a port, chokepoint, vessel class... nobody knows (also a LookupError)
    ├── NoRouteError       no open sea route joins two ports
    ├── ScenarioError      a scenario is invalid (every problem, file:line:col each)
    ├── DistributionError  a distribution expression is invalid (also a ValueError)
    └── YamlError          a YAML text cannot be read
"""

from __future__ import annotations

__all__ = [
    "RoutesimError",
    "DataError",
    "UnknownNameError",
    "NoRouteError",
    "ScenarioError",
    "DistributionError",
    "YamlError",
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


def _rebuild_distribution_error(message, col, text, param):
    """Unpickle a DistributionError (its keyword-only attributes)."""
    return DistributionError(message, col=col, text=text, param=param)


class DistributionError(RoutesimError, ValueError):
    """An invalid distribution expression or parameter (see :mod:`routesim.distributions`).

    Attributes
    ----------
    col : int | None
        0-based character offset of the offending part in the expression
        text (its column when the text is one line), or None when the input
        was not text.
    text : str | None
        The expression text, when the error came from parsing text.
    param : str | None
        The parameter at fault, e.g. ``"sd"`` or ``"weights[2]"``, if any.
    """

    def __init__(self, message: str, *, col: int | None = None, text: str | None = None,
                 param: str | None = None):
        super().__init__(message)
        self.col = col
        self.text = text
        self.param = param

    def __reduce__(self):  # keep col/text/param through pickling (process pools, dask)
        return (_rebuild_distribution_error, (self.args[0], self.col, self.text, self.param))


class YamlError(RoutesimError):
    """A YAML file or text could not be read (see :mod:`routesim.yamlio`).

    Attributes
    ----------
    mark : object | None
        Where the problem is (a :class:`routesim.yamlio.Mark`, printed ``file:line:col``),
        or None when no place in the text applies (a missing file).
    message : str
        What is wrong, without the place.

    The error's text is ``"{mark}: {message}"``, or the message alone without a mark.
    """

    def __init__(self, mark, message: str):
        self.mark = mark
        self.message = message
        super().__init__(f"{mark}: {message}" if mark else message)

    def __reduce__(self):
        return (type(self), (self.mark, self.message))


class RoutesimWarning(UserWarning):
    """A run that goes ahead but leaves something out: e.g. an input only the other engine uses
    (the message names the field). The command line prints it as ``warning: ...``."""
