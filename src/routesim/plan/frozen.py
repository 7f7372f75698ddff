"""A read-only mapping for the immutable Plan."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

__all__ = ["FrozenMap"]


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
