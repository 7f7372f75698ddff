"""Read-only containers for the immutable Plan: a mapping, and a sea track joined when first read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["FrozenMap", "Track"]


class FrozenMap(Mapping):
    """A read-only mapping (picklable, unlike :class:`types.MappingProxyType`).

    >>> m = FrozenMap({"a": 1})
    >>> m["a"], len(m), dict(m)
    (1, 1, {'a': 1})
    >>> m["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping | None = None):
        object.__setattr__(self, "_data", dict(data or {}))

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self):
        return (FrozenMap, (self._data,))


class Track(Sequence):
    """The (lon, lat) points, degrees, of a route's sea path: the ``coords`` of its passages
    (:class:`routesim.network.Route`) one after another, joined when first read.

    Only maps read a track, so compiling a plan (``routesim validate``, a run) does not
    densify the passages. A track equals the tuple of its points and pickles as that tuple.

    >>> class Passage:
    ...     coords = ((0.0, 0.0), (1.0, 0.5))
    >>> t = Track([Passage(), Passage()])
    >>> len(t), t[-1], t == ((0.0, 0.0), (1.0, 0.5)) * 2
    (4, (1.0, 0.5), True)
    >>> import pickle; type(pickle.loads(pickle.dumps(t)))
    <class 'tuple'>
    """

    __slots__ = ("_passages", "_points")

    def __init__(self, passages: Iterable = ()):
        self._passages = tuple(passages)
        self._points: tuple | None = None

    @property
    def points(self) -> tuple[tuple[float, float], ...]:
        """The points as a tuple (joined on the first read)."""
        if self._points is None:
            points: list = []
            for passage in self._passages:
                points.extend(passage.coords)
            self._points, self._passages = tuple(points), ()
        return self._points

    def __getitem__(self, i):
        return self.points[i]

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator:
        return iter(self.points)

    def __eq__(self, other) -> bool:
        if isinstance(other, Track):
            return self.points == other.points
        return self.points == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.points)

    def __repr__(self) -> str:
        return f"Track({self.points!r})"

    def __reduce__(self):
        return (tuple, (self.points,))
