"""Resolving what users type (port names, codes, chokepoints...) to catalogue ids.

Matching ignores case, accents and the difference between spaces, hyphens
and underscores; a miss raises :class:`~routesim.errors.UnknownNameError`
with the closest names ("did you mean PECHY Chancay?").

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

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

from .errors import UnknownNameError

__all__ = ["normalize", "resolve_port", "port_label", "resolve_name", "resolve_chokepoint", "resolve_place",
           "suggest", "did_you_mean"]

_CUTOFF = 0.6  # similarity (difflib ratio, 0-1) a name needs to be suggested at all
_MARGIN = 0.15  # ... and at most this far below the best one (so 'Chancai' gets Chancay, not Shanghai too)


def normalize(text: str) -> str:
    """Case-, accent- and separator-insensitive key: ``"Lázaro-Cárdenas"`` -> ``"lazaro cardenas"``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_\-]+", " ", plain).strip().casefold()


@functools.cache
def _port_index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalized alias -> code, normalized alias -> label) over all ports."""
    from .catalogue import ports

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
    """``"PECHY"`` -> ``"PECHY Chancay"``."""
    from .catalogue import ports

    return f"{code} {ports()[code].name}"


def suggest(query: str, labels: Mapping[str, str] | Iterable[str], n: int = 3) -> list[str]:
    """The labels of the names closest to ``query``, best first (at most ``n``).

    ``labels`` maps each searchable alias (code, name...) to the label shown
    to the user; a plain iterable is shown as is. Matching ignores case,
    accents and separators; only names about as close as the best one are
    kept, so a clear best match comes alone.

    >>> suggest("replicatons", ["replications", "operations", "routes"])
    ['replications']
    >>> suggest("servce", ["service", "services", "vessel"])
    ['service', 'services']
    """
    if not isinstance(labels, Mapping):
        labels = {str(x): str(x) for x in labels}
    q = normalize(query)
    scored: dict[str, float] = {}
    for alias, label in labels.items():
        a = normalize(alias)
        r = difflib.SequenceMatcher(None, q, a).ratio()
        if len(q) >= 4 and a.startswith(q):  # 'bunker' for bunker_usd_per_t
            r = max(r, 0.8)
        if r > scored.get(label, -1.0):
            scored[label] = r
    if not scored:
        return []
    best = max(scored.values())
    keep = sorted((lab for lab, r in scored.items() if r >= max(_CUTOFF, best - _MARGIN)),
                  key=lambda lab: (-scored[lab], lab))
    return keep[:n]


def did_you_mean(query: str, labels: Mapping[str, str] | Iterable[str], n: int = 3) -> str:
    """`` (did you mean X?)``, `` (did you mean X or Y?)`` or ``""`` (see :func:`suggest`)."""
    seen = suggest(query, labels, n)
    if not seen:
        return ""
    if len(seen) == 1:
        return f" (did you mean {seen[0]}?)"
    return " (did you mean " + ", ".join(seen[:-1]) + f" or {seen[-1]}?)"


def resolve_port(query: str) -> str:
    """The UN/LOCODE of the port a user named (by code, name or alias)."""
    index, labels = _port_index()
    code = index.get(normalize(query))
    if code is None:
        hint = did_you_mean(query, labels)
        more = hint or " ('routesim ports' lists the known ports)"
        raise UnknownNameError(f"unknown port '{query}'{more}", _suggestions(hint))
    return code


@functools.cache
def _chokepoint_index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalized id, name or alias -> id, alias -> label) over all chokepoints.

    Aliases are those the sea-lane network accepts (``chokepoint_aliases`` in
    ``data/lanes.yaml``: "Cape Horn" -> drake), so scenarios and
    ``routesim route --avoid`` read the same names.
    """
    from .catalogue import chokepoints, load_data_file

    index: dict[str, str] = {}
    labels: dict[str, str] = {}
    cps = chokepoints()
    aliases = (load_data_file("lanes.yaml") or {}).get("chokepoint_aliases") or {}
    pairs = [(cid, cid) for cid in cps] + [(c.name, cid) for cid, c in cps.items()]
    pairs += [(str(a), str(cid)) for a, cid in aliases.items() if cid in cps]
    for alias, cid in pairs:
        index.setdefault(normalize(alias), cid)
        labels.setdefault(alias, cid)
    return index, labels


def resolve_chokepoint(query: str) -> str:
    """The id of the chokepoint a user named, by id (``good_hope``) or name (``Cape of Good Hope``)."""
    index, labels = _chokepoint_index()
    hit = index.get(normalize(query))
    if hit is None:
        hint = did_you_mean(query, labels)
        known = hint or f" (known: {', '.join(sorted(set(index.values())))})"
        raise UnknownNameError(f"unknown chokepoint '{query}'{known}", _suggestions(hint))
    return hit


def resolve_place(query: str) -> str:
    """A chokepoint id or a port code, for things that happen at either (disruptions)."""
    cindex, clabels = _chokepoint_index()
    hit = cindex.get(normalize(query))
    if hit is not None:
        return hit
    pindex, plabels = _port_index()
    hit = pindex.get(normalize(query))
    if hit is not None:
        return hit
    hint = did_you_mean(query, {**plabels, **clabels})
    more = hint or f" (a chokepoint: {', '.join(sorted(set(cindex.values())))}; or a port code or name)"
    raise UnknownNameError(f"unknown chokepoint or port '{query}'{more}", _suggestions(hint))


def resolve_name(kind: str, query: str, names: Iterable[str]) -> str:
    """Resolve ``query`` among ``names`` (chokepoints, vessel classes, services...).

    ``kind`` is used in the error message: ``unknown chokepoint 'panamá canal'``.
    """
    names = list(names)
    by_key = {normalize(n): n for n in names}
    hit = by_key.get(normalize(query))
    if hit is None:
        hint = did_you_mean(query, names)
        known = "" if hint else f" (known: {', '.join(sorted(names))})" if len(names) <= 12 else ""
        raise UnknownNameError(f"unknown {kind} '{query}'{hint}{known}", _suggestions(hint))
    return hit


def _suggestions(hint: str) -> tuple[str, ...]:
    if not hint:
        return ()
    body = hint.removeprefix(" (did you mean ").removesuffix("?)")
    return tuple(s.strip() for s in re.split(r",| or ", body) if s.strip())
