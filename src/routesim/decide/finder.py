"""The route finder: every candidate routing simulated in one Monte Carlo run, ranked, with its Pareto front.

:func:`best` enumerates the candidates (:func:`~routesim.decide.candidates.candidate_routings`), writes
them as the routes of one scenario (catalogue defaults, the cargo given), runs the Monte Carlo engine
once (one seed: common random numbers across the candidates) and ranks them by an objective:

* ``cost``: mean landed cost per TEU (``cost_usd_per_teu``, USD), lowest first;
* ``door_days``: mean door days, fewest first;
* ``co2e``: mean WTW CO2e per TEU (``co2e_wtw_t_per_teu``, t), lowest first;
* ``value``: mean value at arrival (``arrival_value_usd_per_teu``, USD), highest first (perishables).

A candidate whose figure is missing (a lane without a published freight has no landed cost) ranks
after the others, with the reason. ``max_p95_door_days`` ranks candidates whose 95th-percentile door
days exceed it after those that keep it. The Pareto front is the set of candidates no other beats on
all of cost, door days and CO2e at once (on the two that are known when the cost is missing for all).

>>> from routesim.decide import best
>>> found = best("PECHY", "CNSHA", cargo="blueberries", replications=300, seed=1)
>>> found.table.index[0]
'cosco_chancay_shanghai'
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from .. import api, catalogue
from ..errors import RoutesimError, ScenarioError
from .candidates import DETOUR, MAX_CANDIDATES, NEAR_KM, candidate_routings

__all__ = ["OBJECTIVES", "BestRoutes", "best", "pareto_front"]

OBJECTIVES: dict[str, tuple[str, bool]] = {
    "cost": ("cost_usd_per_teu_mean", False),
    "door_days": ("door_days_mean", False),
    "co2e": ("co2e_wtw_t_per_teu_mean", False),
    "value": ("arrival_value_usd_per_teu_mean", True),
}
"""Objective -> (summary column, higher is better); the keys are :data:`routesim.choices.BEST_OBJECTIVES`."""
PARETO_METRICS = ("cost_usd_per_teu_mean", "door_days_mean", "co2e_wtw_t_per_teu_mean")
_COLUMNS = ("door_days_mean", "door_days_p95", "transit_days_mean", "cost_usd_per_teu_mean",
            "logistics_usd_per_teu_mean", "co2e_wtw_t_per_teu_mean", "arrival_value_usd_per_teu_mean",
            "quality_loss_usd_per_teu_mean")


def pareto_front(values: np.ndarray) -> np.ndarray:
    """Mask of the rows of ``values`` (rows: candidates, columns: figures to minimise) that no other
    row dominates (as good on every figure and better on one). Rows with a NaN are not on the front.

    >>> pareto_front(np.array([[1.0, 5.0], [2.0, 2.0], [3.0, 3.0], [np.nan, 1.0]])).tolist()
    [True, True, False, False]
    """
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v).all(axis=1)
    front = ok.copy()
    for i in np.flatnonzero(ok):
        others = v[ok]
        dominated = np.any(np.all(others <= v[i], axis=1) & np.any(others < v[i], axis=1))
        front[i] = not dominated
    return front


class BestRoutes:
    """What :func:`best` found: the ranked table, the Pareto front and the run behind them.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per candidate, best first (index: route name): ``rank``, ``kind``, ``origin``,
        ``destination``, ``label``, ``sea_distance_nm``, ``chokepoints``, the summary means (days,
        USD/TEU, t CO2e/TEU), ``door_days_p95``, ``within_p95`` and ``pareto``.
    results : Results
        The Monte Carlo run of every candidate.
    notes : list of str
        What was left out and why.
    """

    def __init__(self, origin, destination, cargo, objective, table, results, notes, max_p95):
        self.origin, self.destination, self.cargo, self.objective = origin, destination, cargo, objective
        self.table, self.results, self.notes, self.max_p95_door_days = table, results, notes, max_p95

    @property
    def pareto(self) -> pd.DataFrame:
        """The rows on the Pareto front of cost, door days and CO2e."""
        return self.table[self.table["pareto"]]

    @property
    def winner(self) -> str:
        """The first-ranked candidate's route name."""
        return str(self.table.index[0])

    def to_dict(self) -> dict:
        rows = []
        for name, row in self.table.iterrows():
            r = {"route": name}
            for k, v in row.items():
                if isinstance(v, (float, np.floating)):
                    v = None if not np.isfinite(v) else float(v)
                elif isinstance(v, (np.bool_, bool)):
                    v = bool(v)
                elif isinstance(v, (np.integer,)):
                    v = int(v)
                elif isinstance(v, tuple):
                    v = list(v)
                r[k] = v
            rows.append(r)
        return {"origin": self.origin, "destination": self.destination, "cargo": self.cargo,
                "objective": self.objective, "max_p95_door_days": self.max_p95_door_days,
                "seed": self.results.seed, "replications": self.results.replications,
                "candidates": rows, "pareto": list(self.pareto.index), "notes": list(self.notes)}

    def __str__(self) -> str:
        t = self.table
        head = (f"{catalogue.port_label(self.origin)} -> {catalogue.port_label(self.destination)}, "
                f"{self.cargo}: {len(t)} candidates ranked by {self.objective} "
                f"(Monte Carlo, seed {self.results.seed}, {self.results.replications:,} shipments each)")
        lines = [head, "",
                 f"{'#':>3} {'route':<44} {'kind':<8} {'door d':>7} {'p95':>6} {'transit':>7} "
                 f"{'USD/TEU':>9} {'CO2e t':>7} {'value USD':>10}  P"]
        for name, r in t.iterrows():
            lines.append(
                f"{r['rank']:>3} {name[:44]:<44} {r['kind']:<8} {_f(r['door_days_mean'], '.1f'):>7} "
                f"{_f(r['door_days_p95'], '.1f'):>6} {_f(r['transit_days_mean'], '.1f'):>7} "
                f"{_f(r['cost_usd_per_teu_mean'], ',.0f'):>9} {_f(r['co2e_wtw_t_per_teu_mean'], '.2f'):>7} "
                f"{_f(r['arrival_value_usd_per_teu_mean'], ',.0f'):>10}  {'*' if r['pareto'] else ''}"
                + ("" if r["within_p95"] else f"  (p95 door days over {self.max_p95_door_days:g})"))
        lines += ["", "Pareto front (cost, door days, CO2e; * above): " + ", ".join(self.pareto.index)]
        lines += ["", "routes:"] + [f"  {name}: {r['label']} ({r['origin']} -> {r['destination']}, "
                                    f"{r['sea_distance_nm']:,.0f} nm{_via(r['chokepoints'])})"
                                    for name, r in t.iterrows()]
        if self.notes:
            lines += ["", "notes:"] + [f"  {n}" for n in self.notes]
        return "\n".join(lines)

    def plot_pareto(self, ax=None):
        """Cost against door days (means), marker size by CO2e, the Pareto front joined (matplotlib)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        t = self.table
        y = "cost_usd_per_teu_mean" if np.isfinite(t["cost_usd_per_teu_mean"]).any() else "co2e_wtw_t_per_teu_mean"
        co2 = t["co2e_wtw_t_per_teu_mean"].to_numpy(float)
        size = 30 + 150 * co2 / np.nanmax(co2)
        for kind, marker in (("direct", "o"), ("relay", "s"), ("what-if", "^")):
            m = (t["kind"] == kind).to_numpy()
            if m.any():
                ax.scatter(t["door_days_mean"][m], t[y][m], s=size[m], marker=marker, alpha=0.6, label=kind)
        front = self.pareto.sort_values("door_days_mean")
        ax.plot(front["door_days_mean"], front[y], "k--", lw=1, label="Pareto front")
        for name, r in front.iterrows():
            ax.annotate(name[:28], (r["door_days_mean"], r[y]), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
        ax.set_xlabel("door days (mean)")
        ax.set_ylabel("landed cost USD/TEU (mean)" if y.startswith("cost") else "CO2e WTW t/TEU (mean)")
        ax.set_title(f"{self.origin} -> {self.destination}, {self.cargo} (marker size: CO2e)")
        ax.legend(fontsize=8)
        return ax


def _f(x, fmt: str) -> str:
    return "n/a" if x is None or not np.isfinite(x) else format(x, fmt)


def _via(chokes) -> str:
    return f", via {', '.join(chokes)}" if chokes else ""


def best(origin: str, destination: str, cargo: str = "general_cargo", *, objective: str = "cost",
         max_p95_door_days: float | None = None, date: str | datetime.date | None = None,
         replications: int = 2000, seed: int = 42, teu: float | None = None, near_km: float = NEAR_KM,
         max_relays: int = 2, detour: float = DETOUR, max_candidates: int = MAX_CANDIDATES,
         what_if: bool = True, network=None) -> BestRoutes:
    """Find, simulate and rank the routings from ``origin`` to ``destination`` for a cargo.

    Parameters
    ----------
    origin, destination : str
        Ports by UN/LOCODE, name or alias.
    cargo : str
        A commodity of ``data/commodities.yaml`` (``blueberries``, ``evs``, ...).
    objective : str
        ``cost``, ``door_days``, ``co2e`` or ``value`` (see the module).
    max_p95_door_days : float, optional
        Candidates whose 95th-percentile door days exceed this rank after those within it.
    date : str or date, optional
        The cargo is ready in the week from this date and booked on it (the freight on that day,
        the duty at that day's rate); default: the catalogue's booking window over a year and the
        trade data's as-of date.
    replications, seed : int
        Monte Carlo shipments per candidate, and the seed (the same for all: common random numbers).
    teu : float, optional
        TEU per shipment (default: the catalogue's, 1).
    near_km, max_relays, detour, max_candidates, what_if
        Bounds of the enumeration (:func:`~routesim.decide.candidates.candidate_routings`).

    Raises
    ------
    UnknownNameError
        An unknown port or commodity (with suggestions).
    NoRouteError
        No routing found.
    RoutesimError
        A bad objective (``value`` for a cargo that does not perish), or a bad option.
    """
    if objective not in OBJECTIVES:
        raise RoutesimError(f"unknown objective '{objective}' (known: {', '.join(OBJECTIVES)})")
    commodity = catalogue.resolve_name("commodity", cargo, catalogue.commodities())
    if objective == "value" and catalogue.commodities()[commodity].quality is None:
        raise RoutesimError(f"objective 'value' ranks perishables by their value at arrival; {commodity} does not "
                            "perish (use cost, door_days or co2e)")
    if max_p95_door_days is not None and not max_p95_door_days > 0:
        raise RoutesimError(f"max_p95_door_days must be a positive number of days, got {max_p95_door_days}")
    cands, notes = candidate_routings(origin, destination, network=network, near_km=near_km, max_relays=max_relays,
                                      detour=detour, max_candidates=max_candidates, what_if=what_if)
    o, d = catalogue.resolve_port(origin), catalogue.resolve_port(destination)
    scenario = _scenario(o, d, commodity, cands, date, replications, seed, teu)
    try:
        results = api.run(scenario, engine="montecarlo", network=network)
    except ScenarioError as exc:
        raise _collapsed(exc) from None
    table = _rank(results.summary(), cands, objective, max_p95_door_days)
    nearby = sorted({p for c in cands for p in (c.origin, c.destination) if p not in (o, d)})
    if nearby:
        moved = sum(1 for c in cands if (c.origin, c.destination) != (o, d))
        notes.append(f"{moved} routing(s) start or end at {', '.join(nearby)}, within {near_km:g} km of "
                     f"{o} or {d}: no drayage cost between them")
    missing = table.index[~np.isfinite(table[OBJECTIVES[objective][0]])]
    if len(missing):
        which = "all candidates" if len(missing) == len(table) else ", ".join(missing)
        notes.append(f"no {objective} figure for {which}: ranked last, by door days")
    gaps = sorted({gap for c in cands for gap in _gaps(results, c.name)})
    if gaps:
        notes.append("missing from the landed cost (of some or all candidates): " + " | ".join(gaps))
    return BestRoutes(o, d, commodity, objective, table, results, notes, max_p95_door_days)


def _collapsed(exc: ScenarioError) -> RoutesimError:
    """One line per distinct problem of the candidates' scenario (most are the same for every route, e.g. a
    booking date outside the freight series), naming the routes it concerns."""
    by_problem: dict[str, list[str]] = {}
    for issue in exc.issues:
        m = re.match(r"^routesim best:\d+:\d+: routes\.([^:]+): (.*)$", issue)
        route, text = (m.group(1), m.group(2)) if m else ("", issue)
        text = re.sub(r" \(the scenario's, routesim best:\d+:\d+\)", "", text)
        by_problem.setdefault(text, []).append(route)
    lines = [f"{text} ({len(r)} candidate{'s' if len(r) > 1 else ''}: {', '.join(r[:3])}{' ...' if len(r) > 3 else ''})"
             if any(r) else text for text, r in by_problem.items()]
    return RoutesimError("the candidate routings cannot run: " + "; ".join(lines))


def _gaps(results, route: str) -> list[str]:
    """The first sentence of each reason the route's results give for a missing figure."""
    info = results[route].info
    miss = info.get("missing") if isinstance(info, dict) else None
    if isinstance(miss, dict):
        return [f"{k}: {str(v).split('. ')[0]}" for k, v in miss.items()]
    return [str(miss).split(". ")[0]] if miss else []


def _scenario(o, d, commodity, cands, date, replications, seed, teu):
    data = {"name": f"best routing {o} -> {d} for {commodity}",
            "description": "Candidate routings enumerated by routesim best from the catalogue's services",
            "seed": int(seed), "replications": int(replications),
            "cargo": {"commodity": commodity, **({"teu": float(teu)} if teu is not None else {})},
            "routes": {c.name: {**c.route, "description": c.route.get("description", c.label)} for c in cands}}
    if date is not None:
        day = date if isinstance(date, datetime.date) else _date(date)
        data.update({"start_date": day.isoformat(), "horizon_days": 7.0, "freight": {"date": day.isoformat()},
                     "costs": {"tariff_date": day.isoformat()}})
    from ..scenario import Scenario

    return Scenario.from_dict(data, source="routesim best")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        raise RoutesimError(f"--date must be a date as YYYY-MM-DD, got '{text}'") from None


def _rank(summary: pd.DataFrame, cands, objective: str, max_p95) -> pd.DataFrame:
    t = summary.loc[[c.name for c in cands], list(_COLUMNS)].copy()
    for col in ("kind", "origin", "destination", "label", "sea_distance_nm", "chokepoints"):
        t.insert(len(t.columns) if col != "kind" else 0, col, [getattr(c, col) for c in cands])
    known = [m for m in PARETO_METRICS if np.isfinite(t[m]).any()]
    t["pareto"] = pareto_front(t[known].to_numpy(float))
    t["within_p95"] = True if max_p95 is None else (t["door_days_p95"] <= max_p95)
    col, higher = OBJECTIVES[objective]
    key = t[col].to_numpy(float)
    key = -key if higher else key
    order = np.lexsort((t["door_days_mean"].to_numpy(float), np.where(np.isfinite(key), key, np.inf),
                        ~np.isfinite(key), ~t["within_p95"].to_numpy(bool)))
    t = t.iloc[order]
    t.insert(0, "rank", np.arange(1, len(t) + 1))
    t.index.name = "route"
    return t
