"""Resolving what users type (port names, codes, chokepoints...) to catalogue ids.

Matching ignores case, accents and the difference between spaces, hyphens
and underscores; a miss raises :class:`~routesim.errors.UnknownNameError`
with the closest names ("did you mean PECHY Chancay?").

>>> resolve_port("chancay"), resolve_port("Lázaro Cárdenas")
('PECHY', 'MXLZC')
>>> resolve_name("chokepoint", "Good Hope", ["panama", "good_hope"])
'good_hope'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from ._suggest import did_you_mean
from .errors import UnknownNameError

__all__ = ["normalize", "resolve_port", "port_label", "resolve_name"]


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


def resolve_port(query: str) -> str:
    """The UN/LOCODE of the port a user named (by code, name or alias)."""
    index, labels = _port_index()
    code = index.get(normalize(query))
    if code is None:
        hint = did_you_mean(normalize(query), labels)
        raise UnknownNameError(f"unknown port '{query}'{hint}", _suggestions(hint))
    return code


def resolve_name(kind: str, query: str, names: Iterable[str]) -> str:
    """Resolve ``query`` among ``names`` (chokepoints, vessel classes, services...).

    ``kind`` is used in the error message: ``unknown chokepoint 'panamá canal'``.
    """
    names = list(names)
    by_key = {normalize(n): n for n in names}
    hit = by_key.get(normalize(query))
    if hit is None:
        hint = did_you_mean(normalize(query), {normalize(n): n for n in names})
        known = "" if hint else f" (known: {', '.join(sorted(names))})" if len(names) <= 12 else ""
        raise UnknownNameError(f"unknown {kind} '{query}'{hint}{known}", _suggestions(hint))
    return hit


def _suggestions(hint: str) -> tuple[str, ...]:
    if not hint:
        return ()
    body = hint.removeprefix(" (did you mean ").removesuffix("?)")
    return tuple(s.strip() for s in re.split(r",| or ", body) if s.strip())
