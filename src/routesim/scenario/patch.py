"""A scenario file as a JSON Merge Patch (RFC 7386) over the files it extends.

Mappings merge key by key, lists and values replace, and ``null`` removes a key
(its default then applies). The marks (where each value was written) follow the
values they belong to.

>>> from routesim.yamlio import Marks
>>> base = {"costs": {"bunker_usd_per_t": 600, "carbon_usd_per_t": 80}, "via": [1, 2]}
>>> deep_merge(base, {"costs": {"carbon_usd_per_t": None}, "via": [3]}, Marks(), Marks(), ())
>>> base
{'costs': {'bunker_usd_per_t': 600}, 'via': [3]}
"""

from __future__ import annotations

import copy

from ..yamlio import Marks

__all__ = ["deep_merge", "strip_nulls"]


def deep_merge(base: dict, top: dict, base_marks: Marks, top_marks: Marks, path: tuple) -> None:
    """Merge ``top`` into ``base`` in place, as JSON Merge Patch (RFC 7386).

    Mappings merge key by key, lists and values replace, and a ``null``
    value removes the key (e.g. ``routes: {chancay_direct: null}`` drops a
    route the base defines).
    """
    for key, value in top.items():
        p = path + (key,)
        if value is None:
            base.pop(key, None)
            base_marks.drop(p)
            continue
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base_marks.values[p] = top_marks.values.get(p, base_marks.values.get(p))
            if p in top_marks.keys:
                base_marks.keys[p] = top_marks.keys[p]
            deep_merge(base[key], value, base_marks, top_marks, p)
        else:
            base_marks.drop(p)
            base[key] = copy.deepcopy(strip_nulls(value))
            n = len(p)
            for q, m in top_marks.values.items():
                if q[:n] == p:
                    base_marks.values[q] = m
            for q, m in top_marks.keys.items():
                if q[:n] == p:
                    base_marks.keys[q] = m



def strip_nulls(value):
    """Nulls inside a new mapping mean 'not set' (RFC 7386); lists are kept as written."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    return value

