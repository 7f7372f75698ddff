"""Reefer capacity and charges (``data/reefer.yaml``): plugs at ports, peak-season surcharges.

>>> plugs = reefer_plugs()
>>> plugs["PECHY"].value
960
>>> s = [x for x in peak_season_surcharges() if x.id == "maersk_pss_cl_fea_2020"][0]
>>> s.usd_per_feu.value, s.months
(750, (2,))
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from ..errors import DataError
from .figures import Figure, check_keys, number_figure, read

__all__ = ["Surcharge", "reefer_plugs", "reefer_plug_gaps", "peak_season_surcharges"]

_FILE = "data/reefer.yaml"


@dataclass(frozen=True)
class Surcharge:
    """A carrier's reefer surcharge as notified.

    Attributes
    ----------
    id, carrier, kind : str
        ``kind`` is ``"peak season surcharge"`` or ``"reefer congestion surcharge"``.
    origin, destination, equipment : str
    effective_from : datetime.date | None
    effective_to : datetime.date | None
        None: until further notice (or not in the record).
    months : tuple[int, ...]
        Calendar months (1 = January) the notice is known to apply in.
    usd_per_feu : Figure
        USD per 40' container (value None where the record gives none: see ``gap``).
    gap : str
        Why ``usd_per_feu`` is missing; empty otherwise.
    """

    id: str
    carrier: str
    kind: str
    origin: str
    destination: str
    equipment: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    months: tuple[int, ...]
    usd_per_feu: Figure
    gap: str = ""


def _body(key: str):
    raw = read("reefer.yaml")
    if not isinstance(raw, dict) or key not in raw:
        raise DataError(f"{_FILE}: expected a top-level '{key}:' section")
    return raw[key]


def _is_gap(raw) -> bool:
    return isinstance(raw, dict) and raw.get("value") is None and "gap" in raw


@functools.cache
def _plugs() -> tuple[dict[str, Figure], dict[str, str]]:
    from .port import ports  # the catalogue's ports: every plug entry must name one

    known = ports()
    body = _body("plugs")
    if not isinstance(body, dict) or not body:
        raise DataError(f"{_FILE}: 'plugs' must be a non-empty mapping")
    figs: dict[str, Figure] = {}
    gaps: dict[str, str] = {}
    for code, raw in body.items():
        where = f"{_FILE}: plugs.{code}"
        if code not in known:
            raise DataError(f"{where}: unknown port {code!r} (not in data/ports.yaml)")
        check_keys(where, raw, {"reefer_plugs"})
        if _is_gap(raw["reefer_plugs"]):
            gaps[code] = " ".join(str(raw["reefer_plugs"]["gap"]).split())
            continue
        fig = number_figure(raw["reefer_plugs"], f"{where}.reefer_plugs", positive=True)
        if not isinstance(fig.value, int):
            raise DataError(f"{where}.reefer_plugs: a plug count must be a whole number, got {fig.value!r}")
        figs[code] = fig
    return figs, gaps


def reefer_plugs() -> dict[str, Figure]:
    """Reefer plugs (count) at each catalogue port the record gives, keyed by UN/LOCODE (cached).

    Raises
    ------
    DataError
        An entry for a port not in ``data/ports.yaml``, unknown keys, or a count that is not a
        positive whole number; the message names file and entry.
    """
    return _plugs()[0]


def reefer_plug_gaps() -> dict[str, str]:
    """Ports listed with no sourced plug count, with what was searched."""
    return _plugs()[1]


def _date(v, where: str) -> dt.date | None:
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise DataError(f"{where}: expected an ISO date or null, got {v!r}") from None


@functools.cache
def peak_season_surcharges() -> list[Surcharge]:
    """Carrier reefer surcharges on the trade, in file order (cached; do not mutate).

    Raises
    ------
    DataError
        A row with unknown or missing keys, a month outside 1-12, a bad date or amount;
        the message names file and entry.
    """
    body = _body("surcharges")
    if not isinstance(body, list) or not body:
        raise DataError(f"{_FILE}: 'surcharges' must be a non-empty list")
    out: list[Surcharge] = []
    for i, raw in enumerate(body):
        sid = raw.get("id", f"[{i}]") if isinstance(raw, dict) else f"[{i}]"
        where = f"{_FILE}: surcharges.{sid}"
        check_keys(where, raw, {"id", "carrier", "kind", "origin", "destination", "equipment", "effective_from",
                                "effective_to", "months", "usd_per_feu"})
        months = raw["months"]
        if not isinstance(months, list) or any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12
                                               for m in months):
            raise DataError(f"{where}.months: expected a list of months 1-12, got {months!r}")
        gap = ""
        if _is_gap(raw["usd_per_feu"]):
            gap = " ".join(str(raw["usd_per_feu"]["gap"]).split())
            fig = Figure(value=None, source="GAP: " + gap)
        else:
            fig = number_figure(raw["usd_per_feu"], f"{where}.usd_per_feu", positive=True)
        out.append(Surcharge(
            id=str(raw["id"]), carrier=str(raw["carrier"]), kind=str(raw["kind"]), origin=str(raw["origin"]),
            destination=str(raw["destination"]), equipment=str(raw["equipment"]),
            effective_from=_date(raw["effective_from"], f"{where}.effective_from"),
            effective_to=_date(raw["effective_to"], f"{where}.effective_to"),
            months=tuple(months), usd_per_feu=fig, gap=gap,
        ))
    return out
