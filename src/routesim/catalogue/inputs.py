"""What a scenario may write in place of a catalogue default: the ``input`` key of a figure.

The defaults a scenario can replace (``data/costs.yaml``, ``data/operations.yaml``)
each carry an ``input`` that states the rule once, for the catalogue's own check of
the default, the scenario schema and the plan compiler alike::

    bunker_usd_per_t: {value: 535, input: distribution, source: ...}
    vessel_utilisation: {value: 0.85, input: "number in (0, 1]", source: ...}

``distribution with mean in [low, high]`` is a number or a distribution expression that
cannot go below 0 and whose mean lies in the plausible range; ``number in [low, high]`` a
plain number in that interval (``(`` and ``)`` leave the bound out, ``inf`` is no bound),
in the unit the name states. A value outside the plausible range is refused: it is a
typing slip (a bunker price of 580,000 USD/t), not a what-if.

>>> u = parse_input("vessel_utilisation", "number in (0, 1]", "costs.yaml")
>>> u.bounds(), u.admits(0), u.admits(1), str(u)
({'gt': 0, 'le': 1}, False, True, 'number in (0, 1]')
>>> str(parse_input("bunker_usd_per_t", "distribution with mean in [50, 5000]", "costs.yaml"))
'distribution with mean in [50, 5000]'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..distributions import parse
from ..errors import DataError, DistributionError

__all__ = ["DefaultInput", "parse_input", "inputs_of"]

_INTERVAL = re.compile(r"^(number|distribution with mean) in ([\[(])\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*([\])])$")


@dataclass(frozen=True)
class DefaultInput:
    """How a scenario may set one default.

    Attributes
    ----------
    name : str
        The key in the data file and in the scenario (its unit is in the name).
    distribution : bool
        True: a number or a distribution expression that cannot go below 0, its mean
        within ``low`` and ``high``. False: a plain number within ``low`` and ``high``.
    low, high : float
        Bounds of a plain number or of a distribution's mean, in the unit of the name
        (``inf`` when unbounded).
    low_open, high_open : bool
        True when the bound itself is excluded.
    """

    name: str
    distribution: bool
    low: float = 0
    high: float = math.inf
    low_open: bool = False
    high_open: bool = True

    def __str__(self) -> str:
        """The rule as written in the data file (``distribution``, ``number in (0, 1]``)."""
        ends = ("(" if self.low_open else "[", ")" if self.high_open else "]")
        kind = "distribution with mean" if self.distribution else "number"
        return f"{kind} in {ends[0]}{_text(self.low)}, {_text(self.high)}{ends[1]}"

    def bounds(self) -> dict[str, float]:
        """The finite bounds as keyword constraints: ``gt``/``ge`` for ``low``, ``lt``/``le`` for ``high``."""
        out: dict[str, float] = {}
        if math.isfinite(self.low):
            out["gt" if self.low_open else "ge"] = self.low
        if math.isfinite(self.high):
            out["lt" if self.high_open else "le"] = self.high
        return out

    def admits(self, x: float) -> bool:
        """Whether the number ``x`` lies within the bounds."""
        above = x > self.low if self.low_open else x >= self.low
        below = x < self.high if self.high_open else x <= self.high
        return above and below

    def check(self, fig, where: str):
        """``fig`` (a Figure) when its value obeys the rule, else a DataError naming ``where``."""
        v = fig.value
        if self.distribution:
            try:
                mean = parse(v, nonnegative=True).mean
            except DistributionError as exc:
                raise DataError(f"{where}: {exc}") from None
            if not self.admits(mean):
                raise DataError(f"{where}: mean {mean:g} is outside the input's {self}")
        elif isinstance(v, bool) or not isinstance(v, (int, float)) or not self.admits(v):
            raise DataError(f"{where}: {v!r} is not a {self}")
        return fig


def _text(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:g}"


def _bound(text: str) -> float:
    """``"0"`` -> 0 (an int, as written), ``"0.2"`` -> 0.2, ``"inf"`` -> inf."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_input(name: str, text: Any, where: str) -> DefaultInput:
    """The :class:`DefaultInput` of ``name`` from the text of its ``input:`` key.

    ``where`` names the data file in errors (``"data/costs.yaml"``).
    """
    m = _INTERVAL.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise DataError(f"{where}: {name}.input: expected 'distribution with mean in [low, high]' or "
                        f"'number in [low, high]', got {text!r}")
    try:
        low, high = _bound(m.group(3)), _bound(m.group(4))
    except ValueError:
        raise DataError(f"{where}: {name}.input: the bounds of {text!r} must be numbers or inf") from None
    if math.isnan(low) or math.isnan(high) or not low <= high:
        raise DataError(f"{where}: {name}.input: expected low <= high, got {text!r}")
    return DefaultInput(name, m.group(1) != "number", low, high, m.group(2) == "(", m.group(5) == ")")


def inputs_of(raw: Any, key: str, where: str) -> tuple[DefaultInput, ...]:
    """The rules of the ``key:`` mapping of a data file (its only top-level key), in file order."""
    if not isinstance(raw, dict) or set(raw) != {key} or not isinstance(raw[key], dict):
        raise DataError(f"{where}: expected exactly one top-level '{key}:' mapping")
    out = []
    for name, fig in raw[key].items():
        if not isinstance(fig, dict) or "input" not in fig:
            raise DataError(f"{where}: {name}: needs 'input' (distribution with mean in [low, high], or "
                            "number in [low, high])")
        out.append(parse_input(str(name), fig["input"], where))
    return tuple(out)
