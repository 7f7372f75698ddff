"""Random streams: one seed sequence per replication, one generator per component.

Replication ``r`` of a run with seed ``s`` owns ``SeedSequence(s).spawn(R)[r]``,
i.e. ``SeedSequence(s, spawn_key=(r,))``. Each component of that replication
(a port's traffic, a service's vessels, a route's cargo, ...) draws from its
own child ``SeedSequence(s, spawn_key=(r, crc32(name)))``, handed to it
explicitly; there is no global random state. Because a component's stream
depends only on the seed, the replication and the component's name, two runs
that differ in one place (one berth fewer, a canal capacity cut) draw the
same numbers everywhere else: common random numbers for comparisons.

>>> a = Streams(7, 0).rng("port", "PECHY").random()
>>> b = Streams(7, 0).rng("port", "PECHY").random()
>>> a == b, a == Streams(7, 1).rng("port", "PECHY").random()
(True, False)
"""

from __future__ import annotations

import zlib

import numpy as np

from ...distributions import Distribution

__all__ = ["Streams", "Draws"]


class Streams:
    """The random streams of one replication."""

    __slots__ = ("seed", "replication")

    def __init__(self, seed: int, replication: int):
        self.seed = int(seed)
        self.replication = int(replication)

    @property
    def sequence(self) -> np.random.SeedSequence:
        """This replication's seed sequence: ``SeedSequence(seed).spawn(R)[replication]``."""
        return np.random.SeedSequence(self.seed, spawn_key=(self.replication,))

    def rng(self, *name: str) -> np.random.Generator:
        """The generator of the component called ``name`` (e.g. ``("port", "PECHY")``)."""
        key = zlib.crc32("/".join(name).encode("utf-8"))
        ss = np.random.SeedSequence(self.seed, spawn_key=(self.replication, key))
        return np.random.Generator(np.random.PCG64(ss))


class Draws:
    """Scalar draws of one distribution, taken from its generator in blocks (fast in Python loops).

    >>> from routesim.distributions import parse
    >>> d = Draws(parse("uniform(low=1, high=2)"), np.random.default_rng(0))
    >>> 1 <= d() <= 2
    True
    """

    __slots__ = ("dist", "rng", "block", "_buf")

    def __init__(self, dist: Distribution, rng: np.random.Generator, block: int = 256):
        self.dist = dist
        self.rng = rng
        self.block = block
        self._buf: list[float] = []

    def __call__(self) -> float:
        buf = self._buf
        if not buf:
            buf.extend(self.dist.sample(self.rng, self.block).tolist()[::-1])
        return buf.pop()
