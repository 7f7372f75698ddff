"""Resolving what users type (port names, codes, chokepoints...) to catalogue ids.

Matching follows :func:`routesim._suggest.normalize` (case, accents, separators
and punctuation do not count); a miss raises :class:`~routesim.errors.UnknownNameError`
with the closest names ("did you mean PECHY Chancay?") in its message and in
its ``suggestions``.

>>> resolve_port("chancay"), resolve_port("Lázaro Cárdenas")
('PECHY', 'MXLZC')
>>> resolve_name("chokepoint", "Good Hope", ["panama", "good_hope"])
'good_hope'
>>> resolve_chokepoint("Panama Canal"), resolve_place("Callao")
('panama', 'PECLL')
>>> resolve_port("Chancai")
Traceback (most recent call last):
...
routesim.errors.UnknownNameError: unknown port 'Chancai' (did you mean PECHY Chancay?)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .._suggest import did_you_mean, names_in_hint, normalize
from ..errors import UnknownNameError
from .chokepoint import chokepoints
from .lane import lanes
from .port import ports

__all__ = ["resolve_port", "port_label", "resolve_name", "resolve_chokepoint", "resolve_place"]


@functools.cache
def _port_index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalized alias -> code, normalized alias -> label) over all ports."""
    index: dict[str, str] = {}
    labels: dict[str, str] = {}
    for code, p in ports().items():
        label = f"{code} {p.name}"
        for alias in (code, p.name, *p.aliases):
            key = normalize(alias)
            index.setdefault(key, code)
            labels.setdefault(key, label)
    return index, labels


def port_label(code: str) -> str:
    """``"PECHY"`` -> ``"PECHY Chancay"``: a port code with its name, for messages (the code alone
    for a port the catalogue does not have, such as a scenario's own).

    >>> port_label("PECHY"), port_label("PEILQ")
    ('PECHY Chancay', 'PEILQ')
    """
    p = ports().get(code)
    return f"{code} {p.name}" if p is not None else code


def resolve_port(query: str) -> str:
    """The UN/LOCODE of the port a user named, by code, name or alias.

    Raises
    ------
    UnknownNameError
        No port goes by that name; the message names the closest ones.
    """
    index, labels = _port_index()
    code = index.get(normalize(query))
    if code is None:
        hint = did_you_mean(query, labels)
        more = hint or " ('routesim ports' lists the known ports)"
        raise UnknownNameError(f"unknown port '{query}'{more}", names_in_hint(hint))
    return code


@functools.cache
def _chokepoint_index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalized id, name or alias -> id, alias -> label) over all chokepoints.

    Aliases are those the sea-lane network accepts (``chokepoint_aliases`` in
    ``data/lanes.yaml``: "Cape Horn" -> drake), so scenarios and
    ``routesim route --avoid`` read the same names.
    """
    index: dict[str, str] = {}
    labels: dict[str, str] = {}
    cps = chokepoints()
    pairs = [(cid, cid) for cid in cps] + [(c.name, cid) for cid, c in cps.items()]
    pairs += list(lanes().chokepoint_aliases.items())
    for alias, cid in pairs:
        index.setdefault(normalize(alias), cid)
        labels.setdefault(alias, cid)
    return index, labels


def resolve_chokepoint(query: str) -> str:
    """The id of the chokepoint a user named, by id (``good_hope``), name (``Cape of Good Hope``)
    or alias (``Cape Horn``); raises UnknownNameError naming the closest ones."""
    index, labels = _chokepoint_index()
    hit = index.get(normalize(query))
    if hit is None:
        hint = did_you_mean(query, labels)
        known = hint or f" (known: {', '.join(sorted(set(index.values())))})"
        raise UnknownNameError(f"unknown chokepoint '{query}'{known}", names_in_hint(hint))
    return hit


def resolve_place(query: str) -> str:
    """A chokepoint id or a port code, for things that happen at either (disruptions)."""
    cindex, clabels = _chokepoint_index()
    hit = cindex.get(normalize(query))
    if hit is not None:
        return hit
    locks = {f"{cid}.{lk.id}": f"{cid}.{lk.id}" for cid, c in chokepoints().items() for lk in c.locks}
    hit = {normalize(k): v for k, v in locks.items()}.get(normalize(query))
    if hit is not None:
        return hit  # one set of a canal's locks (panama.neopanamax)
    clabels = {**clabels, **locks}
    pindex, plabels = _port_index()
    hit = pindex.get(normalize(query))
    if hit is not None:
        return hit
    hint = did_you_mean(query, {**plabels, **clabels})
    more = hint or f" (a chokepoint: {', '.join(sorted(set(cindex.values())))}; or a port code or name)"
    raise UnknownNameError(f"unknown chokepoint or port '{query}'{more}", names_in_hint(hint))


def resolve_name(kind: str, query: str, names: Iterable[str]) -> str:
    """Resolve ``query`` among ``names`` (chokepoints, vessel classes, services...).

    Parameters
    ----------
    kind : str
        What the names are, for the error message: ``unknown chokepoint 'panamá canal'``.
    query : str
        What the user typed.
    names : iterable of str
        The known names.

    Returns
    -------
    str
        The known name ``query`` matches.
    """
    names = list(names)
    by_key = {normalize(n): n for n in names}
    hit = by_key.get(normalize(query))
    if hit is None:
        hint = did_you_mean(query, names)
        known = "" if hint else f" (known: {', '.join(sorted(names))})" if len(names) <= 12 else ""
        raise UnknownNameError(f"unknown {kind} '{query}'{hint}{known}", names_in_hint(hint))
    return hit
