"""Statistics of a discrete-event run, pooled over its replications (plain numbers for JSON).

Each :class:`~routesim.engines.des.engine.Replication` reports raw sums and samples
(:meth:`~routesim.engines.des.engine.Replication.stats`); :func:`merge_stats` pools them
into the ``engine_stats`` of the results: berth utilisation and queue waits per port,
booked and unbooked queues and diversions per canal, sailings and lateness per service
(``service_stats``; ``services`` is their count), and cargo counts per route; at the top,
the size of the run and what became of its cargo (:data:`TOTALS`) and the carriers'
responses by kind (:data:`RESPONSES`).
"""

from __future__ import annotations

import numpy as np

from .log import RESPONSE_KINDS
from .responses import count_responses
from .stats import summary

__all__ = ["merge_stats", "TOTALS", "RESPONSES"]

TOTALS = ("services", "vessels", "port_calls", "teu_generated", "teu_delivered", "teu_in_system", "teu_rolled")
"""Top-level ``engine_stats`` counts. ``services`` and ``vessels``: the services and their vessels
in one replication (the same in every replication; with independent sailings, the most vessels
a replication used). Summed over the replications, like ``events`` and ``cargo``: ``port_calls``,
the calls the scenario's vessels made in the study period, and the TEU of the bookings ready in
the study window generated, delivered, still in the system when the run stopped, and rolled
(left behind by a full vessel at least once, each TEU counted once; ``cargo.<route>.rolled_teu``
counts every roll). ``teu_generated = teu_delivered + teu_in_system``.
Probe bookings take no slots and count 0 TEU."""

RESPONSES = RESPONSE_KINDS
"""Kinds of carrier response counted in ``engine_stats.responses`` (:mod:`routesim.engines.des.responses`)."""


def merge_stats(model, raw: list[dict]) -> dict:
    """Pool the statistics of every replication (plain numbers, ready for JSON)."""
    out: dict = {
        "replications": len(raw),
        "horizon_days": model.horizon_days,
        "warmup_days": model.warmup_days,
        "independent_sailings": model.independent_sailings,
        "mean_end_day": float(np.mean([r["end_day"] for r in raw])),
        "events": int(sum(r["events"] for r in raw)),
        "responses": count_responses(raw),
    }
    for key in TOTALS:
        values = [r["totals"][key] for r in raw]
        out[key] = int(max(values)) if key in ("services", "vessels") else (
            float(sum(values)) if key.startswith("teu_") else int(sum(values)))
    out["ports"] = _ports(model, raw)
    out["chokepoints"] = _canals(model, raw)
    out["service_stats"] = _services(model, raw)
    out["cargo"] = _cargo(raw)
    return out


def _ports(model, raw: list[dict]) -> dict:
    ports = {}
    for code in raw[0]["ports"]:
        items = [r["ports"][code] for r in raw]
        span = sum(i["span"] for i in items)
        pp = model.ports[code]
        waits = np.concatenate([i["waits"] for i in items]).astype(float)
        ports[code] = {
            "berths": items[0]["berths"],
            "background_ships_per_day": model.background_per_day.get(code, 0.0),
            "normal_utilisation": pp.utilisation,
            "berth_utilisation": sum(i["alongside_area"] for i in items) / span / items[0]["berths"] if span > 0 else 0.0,
            "arrivals_per_day": sum(i["arrivals"] for i in items) / span if span > 0 else 0.0,
            "queue_wait": summary(waits),
            "scenario_vessel_wait": summary(np.concatenate([i["own"] for i in items]).astype(float)),
            "anchorage_mean_ships": sum(i["anchorage_area"] for i in items) / span if span > 0 else 0.0,
            "anchorage_max_ships": max(i["anchorage_peak"] for i in items),
            "scenario_loaded_teu": float(sum(i["loaded_teu"] for i in items)),
            "scenario_discharged_teu": float(sum(i["discharged_teu"] for i in items)),
            "rolled_teu": float(sum(i["rolled_teu"] for i in items)),
        }
    return ports


def _lock_spec(model, where: str):
    """The spec of one set of a canal's locks (``panama.neopanamax``)."""
    return next(lock for spec in model.canals.values() for w, _teu, lock in spec.locks if w == where)


def _canals(model, raw: list[dict]) -> dict:
    canals = {}
    for name in raw[0]["canals"]:
        items = [r["canals"][name] for r in raw]
        spec = model.canals.get(name) or _lock_spec(model, name)
        own = summary(np.concatenate([i["own"] for i in items]).astype(float))
        if items[0]["slots"] is None:
            canals[name] = {"slots_per_day": None, "scenario_vessel_wait": own}
            continue
        span = sum(i["span"] for i in items)
        entry = {"slots_per_day": items[0]["slots"], "background_ships_per_day": spec.background_per_day,
                 "booked_share": spec.booked_share, "scenario_vessels_booked": spec.booked,
                 "slot_utilisation": sum(i["slot_area"] for i in items) / span / items[0]["slots"] if span > 0 else 0.0,
                 "refused_bookings": int(sum(i["refused"] for i in items)), "scenario_vessel_wait": own}
        for cls, label in ((1, "booked"), (2, "unbooked")):
            cl = [i["classes"][cls] for i in items]
            arrivals = sum(c["arrivals"] for c in cl)
            diverted = sum(c["diverted"] for c in cl)
            entry[label] = {
                "queue_wait": summary(np.concatenate([c["waits"] for c in cl]).astype(float)),
                "queue_mean_ships": sum(c["queue_area"] for c in cl) / span if span > 0 else 0.0,
                "queue_max_ships": max(c["queue_peak"] for c in cl),
                "arrivals_per_day": arrivals / span if span > 0 else 0.0,
                "diverted_per_day": diverted / span if span > 0 else 0.0,
                "diverted_share": diverted / (arrivals + diverted) if arrivals + diverted else 0.0,
            }
        canals[name] = entry
    return canals


def _services(model, raw: list[dict]) -> dict:
    services = {}
    for name in raw[0]["services"]:
        first = dict(raw[0]["services"][name])
        late = np.concatenate([r["lateness"][name] for r in raw]).astype(float)
        first["sailings"] = int(sum(r["services"][name]["sailings"] for r in raw))
        first["recovery_passages"] = int(sum(r["services"][name]["recovery_passages"] for r in raw))
        first["departure_lateness"] = summary(late)
        first.pop("departure_lateness_mean_days", None)
        first.pop("departure_lateness_p95_days", None)
        if model.independent_sailings:
            first["vessels"] = None
        services[name] = first
    return services


def _cargo(raw: list[dict]) -> dict:
    cargo = {}
    for route in raw[0]["cargo"]:
        keys = raw[0]["cargo"][route].keys()
        cargo[route] = {k: (float if k == "rolled_teu" else int)(sum(r["cargo"][route][k] for r in raw)) for k in keys
                        if k != "bookings_per_record"}
        if "bookings_per_record" in keys:  # the same in every replication: the route's demand sets it
            cargo[route]["bookings_per_record"] = max(r["cargo"][route]["bookings_per_record"] for r in raw)
    return cargo
