"""Name matching and "did you mean" hints: one rule for every name a user types.

Matching ignores case, accents and the difference between spaces, hyphens,
underscores and punctuation (``.,'()/``): :func:`normalize` is that rule, and
:func:`suggest` / :func:`did_you_mean` rank known names against a miss with it.
This module imports nothing from routesim, so every layer (distributions,
catalogue, network, scenario, command line) can use it.

>>> normalize("Lázaro-Cárdenas"), normalize("Drake Passage (Cape Horn)")
('lazaro cardenas', 'drake passage cape horn')
>>> did_you_mean("Chancai", {"PECHY": "PECHY Chancay", "Chancay": "PECHY Chancay", "Shanghai": "CNSHA Shanghai"})
' (did you mean PECHY Chancay?)'
>>> names_in_hint(" (did you mean a, b or c?)")
('a', 'b', 'c')
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["normalize", "suggest", "did_you_mean", "names_in_hint", "plain_port_name", "port_hint"]

_CUTOFF = 0.6  # similarity (difflib ratio, 0-1) a name needs to be suggested at all
_MARGIN = 0.15  # ... and at most this far below the best one (so 'Chancai' gets Chancay, not Shanghai too)
_SEPARATORS = re.compile(r"[\s_\-.,'()/]+")


def normalize(text: str) -> str:
    """The matching key of a name: case-, accent-, separator- and punctuation-insensitive.

    Parameters
    ----------
    text : str
        A name as typed (port, chokepoint, vessel class, scenario key...).

    Returns
    -------
    str
        Accents dropped (NFKD), runs of spaces, ``_``, ``-`` and ``.,'()/``
        made one space, trimmed and case-folded.

    >>> normalize("  Good_Hope "), normalize("St. John's")
    ('good hope', 'st john s')
    """
    plain = str(text)
    if not plain.isascii():  # ASCII text has no accents to drop (NFKD leaves it as it is)
        plain = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain).strip().casefold()


def suggest(query: str, labels: Mapping[str, str] | Iterable[str], n: int = 3) -> list[str]:
    """The labels of the names closest to ``query``, best first (at most ``n``).

    Parameters
    ----------
    query : str
        What the user typed.
    labels : mapping of str to str, or iterable of str
        Each searchable alias (code, name...) mapped to the label shown to the
        user; a plain iterable is shown as is.
    n : int
        Most labels returned.

    Returns
    -------
    list of str
        A name equal to ``query`` under :func:`normalize` comes alone; otherwise
        the names about as close (difflib ratio) as the best one, so a clear
        best match comes alone too.

    >>> suggest("replicatons", ["replications", "operations", "routes"])
    ['replications']
    >>> suggest("servce", ["service", "services", "vessel"])
    ['service', 'services']
    >>> suggest("Service", ["service", "services"])
    ['service']
    """
    if not isinstance(labels, Mapping):
        labels = {str(x): str(x) for x in labels}
    q = normalize(query)
    scored: dict[str, float] = {}
    for alias, label in labels.items():
        a = normalize(alias)
        if a == q:
            scored[label] = 2.0  # the same name, written differently
            continue
        r = difflib.SequenceMatcher(None, q, a).ratio()
        if len(q) >= 4 and a.startswith(q):  # 'bunker' for bunker_usd_per_t
            r = max(r, 0.8)
        if r > scored.get(label, -1.0):
            scored[label] = r
    if not scored:
        return []
    best = max(scored.values())
    if best > 1.0:
        return sorted(lab for lab, r in scored.items() if r > 1.0)[:n]
    keep = sorted((lab for lab, r in scored.items() if r >= max(_CUTOFF, best - _MARGIN)),
                  key=lambda lab: (-scored[lab], lab))
    return keep[:n]


def did_you_mean(query: str, labels: Mapping[str, str] | Iterable[str], n: int = 3) -> str:
    """`` (did you mean X?)``, `` (did you mean X or Y?)`` or ``""`` (see :func:`suggest`).

    >>> did_you_mean("gama", ["gamma", "normal"]), did_you_mean("zzz", ["gamma"])
    (' (did you mean gamma?)', '')
    """
    seen = suggest(query, labels, n)
    if not seen:
        return ""
    if len(seen) == 1:
        return f" (did you mean {seen[0]}?)"
    return " (did you mean " + ", ".join(seen[:-1]) + f" or {seen[-1]}?)"


def names_in_hint(hint: str) -> tuple[str, ...]:
    """The names a :func:`did_you_mean` hint offers (for an error's ``suggestions``).

    >>> names_in_hint(" (did you mean PECHY Chancay?)"), names_in_hint("")
    (('PECHY Chancay',), ())
    """
    if not hint:
        return ()
    body = hint.removeprefix(" (did you mean ").removesuffix("?)")
    return tuple(s.strip() for s in re.split(r",| or ", body) if s.strip())


_GENERIC_PORT_WORDS = frozenset("port puerto porto porto of de do da del la el the terminal terminals harbour harbor".split())


def plain_port_name(name: str) -> str:
    """A port name without the words every port name shares, for suggestions: 'Port Klang' must
    not look like 'Port of Shanghai' ('klang' vs 'shanghai')."""
    return " ".join(w for w in normalize(name).split() if w not in _GENERIC_PORT_WORDS)


def port_hint(query: str, names: dict[str, str], ports: dict) -> str:
    """`` (did you mean ...?)`` for an unknown port: names at least 75 % alike (difflib ratio)
    once the generic words are dropped, or a UN/LOCODE one letter off; else ``""``."""
    q = plain_port_name(query)
    close = difflib.get_close_matches(q, list(names), n=6, cutoff=0.75)
    if not close and len(q) == 5:
        close = [c.lower() for c in difflib.get_close_matches(q.upper(), list(ports), n=3, cutoff=0.8)]
        names = {c.lower(): f"{c} {ports[c].name}" for c in ports}
    labels = list(dict.fromkeys(names[c] for c in close))[:3]
    return did_you_mean(labels[0], labels) if len(labels) == 1 else (
        " (did you mean " + ", ".join(labels[:-1]) + f" or {labels[-1]}?)" if labels else "")
