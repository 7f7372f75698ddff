"""Streaming summary statistics that do not depend on how a run is chunked.

Large Monte Carlo runs cannot keep every shipment, so each metric is
summarised block by block and the blocks are merged:

* :class:`Moments` keeps each block's count, sum and sum of squares and adds
  them with :func:`math.fsum` (exactly rounded), so the mean and variance
  are the same whichever way blocks are grouped into chunks or threads.
* :class:`LogSketch` is a fixed-bin quantile sketch (the DDSketch idea):
  bin edges grow geometrically by ``gamma = (1 + alpha) / (1 - alpha)``, so
  any quantile it returns is within a relative error ``alpha`` of the exact
  sample quantile. Counts are integers, so merging is exact and order free.

>>> import numpy as np
>>> x = np.random.default_rng(1).gamma(4.0, 5.0, 100_000)
>>> s = LogSketch(); s.add(x[:30_000]); s.add(x[30_000:])
>>> exact = float(np.quantile(x, 0.95))
>>> abs(s.quantile(0.95) - exact) / exact <= s.alpha
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Moments", "LogSketch", "SignedSketch", "block_sums"]


def _exact_add(partials: list[float], x: float) -> None:
    """Add ``x`` to the exact sum held as non-overlapping ``partials`` (Shewchuk's algorithm).

    ``math.fsum(partials)`` is then the correctly rounded sum of everything added, in any
    order, and ``partials`` stays a few floats long however many values are added.
    Non-finite values are kept aside as themselves (fsum gives them its usual meaning).
    """
    if not math.isfinite(x):
        partials.append(x)
        return
    if all(map(math.isfinite, partials)):  # the usual case, checked without building lists
        specials, acc = None, partials
    else:
        specials = [y for y in partials if not math.isfinite(y)]
        acc = [y for y in partials if math.isfinite(y)]
    i = 0
    for y in acc:
        if abs(x) < abs(y):
            x, y = y, x
        hi = x + y
        lo = y - (hi - x)
        if lo:
            acc[i] = lo
            i += 1
        x = hi
    acc[i:] = [x]
    if specials:
        partials[:] = acc + specials


def block_sums(x: np.ndarray, scratch: np.ndarray | None = None) -> tuple[float, float]:
    """(sum, sum of squares) of one block of values, as :meth:`Moments.add` sums them.

    numpy's pairwise sums (``np.sum(x)``, ``np.sum(np.square(x))``), not ``np.dot``: BLAS dot
    spins up threads (~1 ms per call on a 16k block on 2 cores) and is not the same sum.
    ``scratch``, a float64 array of ``x``'s shape, takes the squares (saves an allocation).

    >>> block_sums(np.array([1.0, 2.0, 3.0]))
    (6.0, 14.0)
    """
    x = np.asarray(x, dtype=float)
    if _all_plus_zero(x):  # numpy sums +0.0s to +0.0 (a column no shipment adds to)
        return 0.0, 0.0
    sq = np.square(x, out=scratch) if scratch is not None and scratch.shape == x.shape else np.square(x)
    return float(np.add.reduce(x, axis=None)), float(np.add.reduce(sq, axis=None))


def _all_plus_zero(x: np.ndarray) -> bool:
    """True when every value of the float64 vector ``x`` is +0.0 (all its bits zero); one cheap look
    at the first value settles most vectors."""
    return x.ndim == 1 and x.size > 0 and x[0] == 0 and not np.count_nonzero(x.view(np.int64))


class Moments:
    """Count, mean and variance from block sums merged exactly, in constant memory."""

    __slots__ = ("_n", "_s", "_ss")

    def __init__(self):
        self._n = 0
        self._s: list[float] = []  # exact running sums (partials), see _exact_add
        self._ss: list[float] = []

    def add(self, x: np.ndarray) -> None:
        """Add one block of values (the block is summed with numpy, deterministically)."""
        x = np.asarray(x, dtype=float)
        self.add_sums(x.size, *block_sums(x))

    def add_sums(self, n: int, s: float, ss: float) -> None:
        """Add one block of ``n`` values given its :func:`block_sums` (``s``, ``ss``)."""
        self._n += n
        _exact_add(self._s, s)
        _exact_add(self._ss, ss)

    def merge(self, other: "Moments") -> None:
        self._n += other._n
        for v in other._s:
            _exact_add(self._s, v)
        for v in other._ss:
            _exact_add(self._ss, v)

    @property
    def n(self) -> int:
        return self._n

    @property
    def mean(self) -> float:
        return math.fsum(self._s) / self._n if self._n else math.nan

    @property
    def var(self) -> float:
        """Sample variance (ddof = 1)."""
        if self._n < 2:
            return math.nan
        s = math.fsum(self._s)
        ss = math.fsum(self._ss)
        return max(0.0, (ss - s * s / self._n) / (self._n - 1))

    @property
    def sem(self) -> float:
        """Standard error of the mean."""
        return math.sqrt(self.var / self._n) if self._n > 1 else math.nan


class LogSketch:
    """Quantile sketch with relative accuracy ``alpha`` for values >= 0.

    Values below ``min_value`` (including zeros) are counted in one zero bin
    and reported as 0. Negative values are an error (no metric here is negative).
    """

    __slots__ = ("alpha", "min_value", "_lg", "_counts", "_lo", "_zeros", "_n", "_max_index")

    def __init__(self, alpha: float = 0.001, min_value: float = 1e-9, max_value: float = 1e12):
        if not 0 < alpha < 0.5:
            raise ValueError("alpha must be in (0, 0.5)")
        self.alpha = alpha
        self.min_value = min_value
        gamma = (1 + alpha) / (1 - alpha)
        self._lg = math.log(gamma)
        self._max_index = int(math.ceil(math.log(max_value / min_value) / self._lg)) + 1
        self._counts = np.zeros(0, dtype=np.int64)
        """Counts of bins ``_lo`` to ``_lo + len - 1``: only the range seen is stored (a metric's
        values span a few hundred of the ~24,000 bins), so a sketch costs kilobytes, not 190 KB."""
        self._lo = 0
        self._zeros = 0
        self._n = 0

    def add(self, x: np.ndarray) -> None:
        x = np.asarray(x, dtype=float).ravel()
        if x.size == 0:
            return
        if _all_plus_zero(x):  # nothing but zeros (an unused cost or emission column)
            self._n += x.size
            self._zeros += x.size
            return
        lo, hi = np.minimum.reduce(x), np.maximum.reduce(x)  # a NaN makes both NaN and fails the test
        if not (lo >= 0 and math.isfinite(hi)):
            raise ValueError("LogSketch takes finite values >= 0")
        self._n += x.size
        if lo < self.min_value:
            small = x < self.min_value
            self._zeros += int(small.sum())
            x = x[~small]
            if x.size == 0:
                return
        # ceil(log(x / min_value) / log(gamma)) in one buffer (the same operations, in place)
        idx = x / self.min_value
        np.log(idx, out=idx)
        idx /= self._lg
        np.ceil(idx, out=idx)
        bins = idx.astype(np.int64)
        a, b = int(np.minimum.reduce(bins)), int(np.maximum.reduce(bins))
        if a < 0 or b > self._max_index:  # outside the bins (x / min_value overflowed): clipped to them
            np.clip(bins, 0, self._max_index, out=bins)
            a, b = int(bins.min()), int(bins.max())
        self._cover(a, b)
        bins -= self._lo
        self._counts += np.bincount(bins, minlength=self._counts.size)

    def _cover(self, a: int, b: int) -> None:
        """Grow the stored range of bins to take in bins ``a`` to ``b``."""
        size = self._counts.size
        if size == 0:
            self._lo, self._counts = a, np.zeros(b - a + 1, dtype=np.int64)
            return
        lo, hi = min(self._lo, a), max(self._lo + size - 1, b)
        if lo != self._lo or hi != self._lo + size - 1:
            counts = np.zeros(hi - lo + 1, dtype=np.int64)
            counts[self._lo - lo:self._lo - lo + size] = self._counts
            self._lo, self._counts = lo, counts

    def merge(self, other: "LogSketch") -> None:
        if (other.alpha, other.min_value, other._max_index) != (self.alpha, self.min_value, self._max_index):
            raise ValueError("cannot merge sketches with different parameters")
        if other._counts.size:
            self._cover(other._lo, other._lo + other._counts.size - 1)
            at = other._lo - self._lo
            self._counts[at:at + other._counts.size] += other._counts
        self._zeros += other._zeros
        self._n += other._n

    @property
    def n(self) -> int:
        return self._n

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (lower sample quantile, within relative error ``alpha``)."""
        if self._n == 0:
            return math.nan
        if not 0 <= q <= 1:
            raise ValueError("q must be in [0, 1]")
        return self.value_at_rank(int(math.floor(q * (self._n - 1))))

    def value_at_rank(self, k: int) -> float:
        """The ``k``-th smallest value (0-based), within relative error ``alpha``."""
        if k < self._zeros:
            return 0.0
        cum = np.cumsum(self._counts)
        i = self._lo + int(np.searchsorted(cum, k - self._zeros + 1))
        # representative value of bin i: the point with equal relative distance to both edges
        return self.min_value * math.exp(self._lg * i) * 2.0 / (1.0 + math.exp(self._lg))


class SignedSketch:
    """:class:`LogSketch` for values of either sign (a well-to-tank credit can be negative): one
    sketch of the values >= 0 and one of the magnitudes of the negative ones.

    >>> s = SignedSketch()
    >>> s.add(np.array([-2.0, -1.0, 0.0, 1.0, 3.0]))
    >>> round(s.quantile(0.0), 2), s.quantile(0.5), round(s.quantile(1.0), 2)
    (-2.0, 0.0, 3.0)
    """

    __slots__ = ("pos", "neg")

    def __init__(self, alpha: float = 0.001):
        self.pos, self.neg = LogSketch(alpha), LogSketch(alpha)

    def add(self, x: np.ndarray) -> None:
        x = np.asarray(x, dtype=float).ravel()
        if not np.all(np.isfinite(x)):
            raise ValueError("SignedSketch takes finite values")
        if x.size and np.minimum.reduce(x) >= 0:  # no negative value: all of them are the positive part
            self.pos.add(x)
            return
        self.pos.add(x[x >= 0])
        self.neg.add(-x[x < 0])

    def merge(self, other: "SignedSketch") -> None:
        self.pos.merge(other.pos)
        self.neg.merge(other.neg)

    @property
    def n(self) -> int:
        return self.pos.n + self.neg.n

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (lower sample quantile, within relative error ``alpha``)."""
        n = self.n
        if n == 0:
            return math.nan
        if not 0 <= q <= 1:
            raise ValueError("q must be in [0, 1]")
        k, nn = int(math.floor(q * (n - 1))), self.neg.n
        if k < nn:
            return -self.neg.value_at_rank(nn - 1 - k)
        return self.pos.value_at_rank(k - nn)
