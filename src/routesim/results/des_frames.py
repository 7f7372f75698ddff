"""Where the discrete-event run's vessels were, and who was queueing, day by day, from its event log.

The event log (:mod:`routesim.engines.des.log`; ``results.extra["events"]``) records, for each
vessel of the scenario's services, when it arrives at a port's anchorage, berths, departs, joins
a canal's queue, enters and leaves the locks. Between a departure and the next arrival the
vessel is on the sea passage between the two calls (routed over the plan's network with the
service's closed passages, as the engine sails it) and is placed along it in proportion to the
time elapsed; a canal splits the passage where its lane lies. :func:`vessel_frames` samples
that at evenly spaced study days of one replication; it reads the log and the plan, never an
engine.

Status of a vessel: ``held`` (before its first sailing, or held at a port), ``waiting``
(arrived, no berth yet), ``alongside`` (berthed), ``sailing``, ``canal queue``, ``in canal``.
A queue length is the number of the scenario's vessels ``waiting`` at a port or in a canal's
queue (the background traffic of a port is not in the log: its level is in the engine stats).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import geo

__all__ = ["Frames", "vessel_frames", "service_of"]


@dataclass(frozen=True)
class Frames:
    """Sampled positions and queues of one replication (days, degrees, vessel counts)."""

    times: np.ndarray
    """Study days sampled (days)."""
    positions: object
    """pandas DataFrame: ``time``, ``vessel``, ``service``, ``lon``, ``lat``, ``status``."""
    queues: object
    """pandas DataFrame: ``time``, ``place``, ``lon``, ``lat``, ``waiting`` (vessels)."""
    replication: int = 0


def service_of(vessel: str, services) -> str | None:
    """The plan's service a logged vessel name (``<service>#<n>``, a variant ``<service>#2#<n>``) belongs to.

    >>> service_of("cosco_chancay_shanghai#3", {"cosco_chancay_shanghai": 1})
    'cosco_chancay_shanghai'
    >>> service_of("hmm_fil#2#0", {"hmm_fil": 1}), service_of("other#1", {"hmm_fil": 1})
    ('hmm_fil', None)
    """
    name = vessel
    for _ in range(2):
        name = name.rsplit("#", 1)[0]
        if name in services:
            return name
    return None


class _Tracks:
    """Sea paths between calls and canal positions, from the plan's network (cached)."""

    def __init__(self, plan):
        net = plan.network
        if net is None:
            from ..network import PortNetwork

            net = PortNetwork.default()
        self.net, self.plan, self._paths, self._canals = net, plan, {}, {}
        segments = [s for rp in plan.routes.values() for s in rp.segments]
        self._teu = {s.service: s.vessel.teu for s in segments}
        self._avoid = {s.service: list(s.avoid) for s in segments}  # the passages the engine's voyages avoid

    def port(self, code: str):
        p = self.net.ports.get(code)
        return None if p is None else (float(p.lon), float(p.lat))

    def canal(self, name: str):
        if name not in self._canals:
            lanes = self.net.chokepoint_lanes(name)
            if not lanes:
                self._canals[name] = None
            else:
                lo, la = geo.densify([p[0] for p in lanes[0]], [p[1] for p in lanes[0]], 10.0)
                self._canals[name] = (float(lo[lo.size // 2]), float(la[la.size // 2]))
        return self._canals[name]

    def path(self, a: str, b: str, service: str):
        """(lon, lat, cumulative nm) of the passage a -> b, or None when it cannot be routed."""
        key = (a, b, service)
        if key not in self._paths:
            svc = self.plan.services.get(service)
            avoid = self._avoid.get(service, list(svc.avoid) if svc else [])
            try:
                route = self.net.route(a, b, avoid=avoid, vessel_teu=self._teu.get(service))
                lon = np.array([p[0] for p in route.coords])
                lat = np.array([p[1] for p in route.coords])
                d = np.concatenate([[0.0], np.cumsum(geo.haversine_nm(lon[:-1], lat[:-1], lon[1:], lat[1:]))])
                self._paths[key] = (lon, lat, d)
            except Exception:  # a port outside the network, a closed passage: the vessel is not drawn at sea
                self._paths[key] = None
        return self._paths[key]


def _along(path, f0: float, f1: float, t0: float, t1: float, t: float):
    """Point at time ``t`` of a stretch sailed from fraction ``f0`` to ``f1`` of ``path`` in [t0, t1]."""
    lon, lat, d = path
    f = f0 + (f1 - f0) * (0.0 if t1 <= t0 else min(1.0, max(0.0, (t - t0) / (t1 - t0))))
    target = f * d[-1]
    i = int(np.clip(np.searchsorted(d, target), 1, d.size - 1))
    w = 0.0 if d[i] == d[i - 1] else (target - d[i - 1]) / (d[i] - d[i - 1])
    lo = float(lon[i - 1] + w * float(geo.wrap_lon(lon[i] - lon[i - 1])))
    return float(geo.wrap_lon(lo)), float(lat[i - 1] + w * (lat[i] - lat[i - 1]))


def _canal_fraction(path, where) -> float:
    lon, lat, d = path
    i = int(np.argmin(geo.haversine_nm(lon, lat, where[0], where[1])))
    return float(d[i] / d[-1]) if d[-1] > 0 else 0.0


def _vessel_states(ev, service: str, tracks: _Tracks):
    """Intervals (t0, t1, kind, payload) of one vessel: ``("at", (lon, lat), status)`` at a place,
    ``("sea", (path, f0, f1))`` on a passage."""
    out, last_port, sea_start, canal = [], None, None, None
    rows = list(zip(ev["time"].tolist(), ev["place"].astype(str).tolist(), ev["kind"].astype(str).tolist()))
    for j, (t, place, kind) in enumerate(rows):
        t_next = rows[j + 1][0] if j + 1 < len(rows) else t
        if kind in ("arrive", "berth") or (kind == "delay" and tracks.port(place) is not None and sea_start is None):
            if sea_start is not None and last_port is not None and kind == "arrive":
                path = tracks.path(last_port, place, service)
                if path is not None:
                    out.append((sea_start, t, "sea", (path, canal or 0.0, 1.0)))
            sea_start, canal = None, None
            pos = tracks.port(place)
            if pos is not None:
                status = {"arrive": "waiting", "berth": "alongside"}.get(kind, "held")
                out.append((t, t_next, "at", (pos, status)))
                last_port = place
        elif kind == "depart":
            sea_start, canal = t, None
        elif kind in ("canal_queue", "canal_enter", "canal_exit") and last_port is not None:
            where = tracks.canal(place)
            nxt = next((p for tt, p, k in rows[j + 1:] if k == "arrive"), None)
            path = tracks.path(last_port, nxt, service) if nxt else None
            if where is None or path is None:
                continue
            f = _canal_fraction(path, where)
            if kind == "canal_queue" and sea_start is not None:
                out.append((sea_start, t, "sea", (path, canal or 0.0, f)))
            if kind == "canal_exit":
                sea_start, canal = t, f
            else:
                out.append((t, t_next, "at", (where, "canal queue" if kind == "canal_queue" else "in canal")))
                sea_start = None
    return out


def vessel_frames(results, replication: int = 0, max_frames: int = 120) -> Frames | None:
    """Positions and queues of ``replication`` at up to ``max_frames`` evenly spaced study days from day 0
    to the horizon (``results.plan.options.horizon_days``); None for a run without an event log."""
    import pandas as pd

    events = results.extra.get("events") if results.extra else None
    plan = results.plan
    if events is None or plan is None or not len(events):
        return None
    ev = events.loc[(events["replication"] == replication) & (events["vessel"].astype(str) != "")]
    end = float(plan.options.horizon_days)
    step = max(0.5, np.ceil(end / max_frames * 2.0) / 2.0)
    times = np.arange(0.0, end + 1e-9, step)
    tracks = _Tracks(plan)
    pos_rows, queue = [], {}
    for vessel, sub in ev.groupby(ev["vessel"].astype(str), sort=False, observed=True):
        service = service_of(vessel, plan.services)
        if service is None:
            continue
        states = _vessel_states(sub.sort_values("time", kind="stable"), service, tracks)
        if not states:
            continue
        starts = np.array([s[0] for s in states])
        for t in times:
            k = int(np.searchsorted(starts, t, side="right")) - 1
            if k < 0:
                continue
            t0, t1, kind, payload = states[k]
            if t > t1:  # past the vessel's last logged event, or on a passage the log does not close
                continue
            if kind == "sea":
                path, f0, f1 = payload
                lon, lat = _along(path, f0, f1, t0, t1, t)
                status = "sailing"
            else:
                (lon, lat), status = payload
                if status in ("waiting", "canal queue"):
                    queue[(t, lon, lat)] = queue.get((t, lon, lat), 0) + 1
            pos_rows.append((t, vessel, service, lon, lat, status))
    positions = pd.DataFrame(pos_rows, columns=["time", "vessel", "service", "lon", "lat", "status"])
    kinds = ev["kind"].astype(str)
    called = ev.loc[kinds == "arrive", "place"].astype(str).unique()
    canals = ev.loc[kinds == "canal_queue", "place"].astype(str).unique()
    places = {tracks.port(c): c for c in called if tracks.port(c) is not None}
    places.update({tracks.canal(c): c for c in canals if tracks.canal(c) is not None})
    qrows = [(t, places.get((lon, lat), f"{lat:.2f},{lon:.2f}"), lon, lat, queue.get((t, lon, lat), 0))
             for t in times for (lon, lat) in places]
    queues = pd.DataFrame(qrows, columns=["time", "place", "lon", "lat", "waiting"])
    return Frames(times, positions, queues, replication)
