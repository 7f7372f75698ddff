"""The base of every distribution: the :class:`Distribution` interface, :class:`Constant`,
the registry of families and the number helpers their checks and messages share.

Every concrete family (a subclass with a ``name``) registers itself in :data:`KINDS`
under that name, which is the name the grammar (:mod:`routesim.distributions.grammar`)
reads; so the grammar needs no list of its own.

>>> from routesim.distributions.base import KINDS, fmt
>>> list(KINDS)[:3], fmt(3.0), fmt(0.1)
(['constant', 'uniform', 'triangular'], '3', '0.1')
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..errors import DistributionError

__all__ = ["Distribution", "Constant", "KINDS", "fmt", "short_repr", "describe", "shorten", "finite"]

KINDS: dict[str, type["Distribution"]] = {}
"""Family name (``"gamma"``) -> class, in the order the families are defined."""


# ---------------------------------------------------------------------------
# number helpers


def fmt(x: float) -> str:
    """Shortest text that reads back to exactly ``x`` (``3`` for 3.0)."""
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def short_repr(x: Any) -> str:
    """``repr(x)`` cut to 60 characters (for messages)."""
    try:
        return shorten(repr(x))
    except ValueError:  # an int too long to print
        return f"<{type(x).__name__} too large>"


def describe(x: Any) -> str:
    """``string 'abc'``, ``True``, ``list [1]``: a value's type and value, for messages."""
    if isinstance(x, str):
        return f"string {short_repr(x)}"
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    return f"{type(x).__name__} {short_repr(x)}"


def shorten(s: str, n: int = 60) -> str:
    """``s`` cut to ``n`` characters, ending ``...`` when cut."""
    return s if len(s) <= n else s[: n - 3] + "..."


def finite(where: str, name: str, x: Any) -> float:
    """``x`` as a finite float, or a DistributionError naming ``name`` (``where`` says in what)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise DistributionError(f"{where}: {name} must be a number, got {describe(x)}", param=name)
    try:
        f = float(x)
    except OverflowError:
        f = math.inf
    if not math.isfinite(f):
        raise DistributionError(f"{where}: {name} must be a finite number, got {short_repr(x)}", param=name)
    return f


# ---------------------------------------------------------------------------
# distributions


class Distribution(ABC):
    """A probability distribution of one real value.

    Subclasses are frozen dataclasses whose fields are the parameters, in
    the units of the quantity they describe.
    """

    name: ClassVar[str]
    # (parameter, kind, required); kind is "number", "numbers" or "dist"
    _params: ClassVar[tuple[tuple[str, str, bool], ...]]

    def __init_subclass__(cls, **kwargs):
        """Register a family that names itself (``name = "gamma"``) in :data:`KINDS`."""
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if isinstance(name, str):
            if name in KINDS:
                raise TypeError(f"two distribution families named {name!r}")
            KINDS[name] = cls

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...] | None = None,
               out: np.ndarray | None = None) -> np.ndarray:
        """Draw independent values as a float64 array of shape ``size``.

        With ``out`` (a writeable C-contiguous float64 array) the draws are
        written into it and it is returned; ``size``, if also given, must
        match its shape. The same generator state gives the same values with
        or without ``out``. With neither, one draw as a 0-d array.
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng must be a numpy.random.Generator (numpy.random.default_rng(seed)), "
                            f"got {type(rng).__name__}")
        if out is None:
            out = np.empty(() if size is None else size, dtype=np.float64)
        else:
            if not isinstance(out, np.ndarray) or out.dtype != np.float64:
                raise TypeError(f"out must be a float64 numpy array, got {getattr(out, 'dtype', type(out))}")
            if not (out.flags.c_contiguous and out.flags.writeable):
                raise ValueError("out must be a writeable C-contiguous array")
            if size is not None:
                shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
                if shape != out.shape:
                    raise ValueError(f"size {shape} does not match out.shape {out.shape}")
        self._fill(rng, out)
        return out

    @abstractmethod
    def _fill(self, rng: np.random.Generator, out: np.ndarray) -> None:
        """Overwrite every element of ``out`` with a draw."""

    # ``mean`` (exact expected value) is a property, or the parameter itself
    # for normal, lognormal, gamma and exponential; it is not declared here
    # because a base-class property would shadow those dataclass fields.
    mean: float

    @property
    @abstractmethod
    def var(self) -> float:
        """Exact variance."""

    @property
    @abstractmethod
    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take (may be infinite)."""

    @property
    def is_constant(self) -> bool:
        """True when every draw is the same number."""
        low, high = self.support
        return low == high

    def scaled(self, k: float) -> Distribution:
        """The distribution of ``k * X``; ``k == 0`` gives ``Constant(0)``."""
        k = finite(f"{self.name}().scaled()", "k", k)
        if k == 0:
            return Constant(0.0)
        return self._scaled(k)

    @abstractmethod
    def _scaled(self, k: float) -> Distribution: ...

    def _positive_only(self, k: float) -> None:
        if k < 0:
            raise DistributionError(
                f"{self.name}(): cannot scale by a negative factor ({fmt(k)}); the result is not a {self.name}",
                param="k")

    def __str__(self) -> str:
        args = ", ".join(f"{p}={fmt(getattr(self, p))}" for p, _, _ in self._params)
        return f"{self.name}({args})"


@dataclass(frozen=True)
class Constant(Distribution):
    """Always ``value``; draws consume no random numbers. Prints as a plain number."""

    value: float
    name: ClassVar[str] = "constant"
    _params: ClassVar = (("value", "number", True),)

    def __post_init__(self):
        object.__setattr__(self, "value", finite("constant()", "value", self.value))

    def _fill(self, rng, out):
        out.fill(self.value)

    mean = property(lambda self: self.value, doc="Exact expected value.")
    var = property(lambda self: 0.0, doc="Exact variance.")
    support = property(lambda self: (self.value, self.value), doc="(value, value).")

    def _scaled(self, k):
        return Constant(k * self.value)

    def __str__(self) -> str:
        return fmt(self.value)
