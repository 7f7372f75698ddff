"""The matching key of a name (routesim._suggest.normalize) skips the accent folding for ASCII text
(a start-up saving: the catalogue's ~1,000 names are keyed on every run) and gives the key the full
rule gives: NFKD, combining marks dropped, separators made one space, case-folded."""

from __future__ import annotations

import random
import string
import unicodedata

from routesim import catalogue
from routesim._suggest import _SEPARATORS, normalize


def _full_rule(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain).strip().casefold()


def test_normalize_is_the_full_rule_on_random_text():
    rng = random.Random(16)
    alphabet = string.printable + "ÁéñüçØßİﬁ–’\u0301\u00a0"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(5000)]
    assert [normalize(t) for t in texts] == [_full_rule(t) for t in texts]
    assert normalize("Lázaro-Cárdenas") == "lazaro cardenas" and normalize("ﬁve") == "five"


def test_normalize_is_the_full_rule_on_every_catalogue_name():
    names = [n for p in catalogue.ports().values() for n in (p.code, p.name, *p.aliases)]
    names += [n for c in catalogue.chokepoints().values() for n in (c.id, c.name)]
    assert len(names) > 400
    assert [normalize(n) for n in names] == [_full_rule(n) for n in names]
