"""Closest-name suggestions for error messages ("did you mean PECHY Chancay?")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

__all__ = ["closest", "did_you_mean"]


def closest(query: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.5) -> list[str]:
    """Return up to ``n`` candidates closest to ``query``, best first (case-insensitive)."""
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(str(c).casefold(), str(c))
    hits = difflib.get_close_matches(str(query).casefold(), list(by_key), n=n, cutoff=cutoff)
    return [by_key[h] for h in hits]


def did_you_mean(query: str, labels: Mapping[str, str] | Iterable[str], n: int = 3) -> str:
    """A suffix such as `` (did you mean PECHY Chancay?)`` or ``""`` when nothing is close.

    ``labels`` maps each searchable alias (code, name...) to the label shown to
    the user; a plain iterable is shown as is.
    """
    if not isinstance(labels, Mapping):
        labels = {str(x): str(x) for x in labels}
    seen: list[str] = []
    for alias in closest(query, labels.keys(), n=n * 3):
        label = labels[alias]
        if label not in seen:
            seen.append(label)
        if len(seen) == n:
            break
    if not seen:
        return ""
    if len(seen) == 1:
        return f" (did you mean {seen[0]}?)"
    return " (did you mean " + ", ".join(seen[:-1]) + f" or {seen[-1]}?)"
