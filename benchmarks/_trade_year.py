"""A generated trade year for the discrete-event benchmarks: N weekly Asia-Latin America services.

Not a scenario of the record (``scenarios/trade_2025.yaml`` is being written from the public
record on another branch): a synthetic network of the trade's shape, for measuring how the
engine's cost grows. Service ``i`` is a weekly loop calling three Asian ports and three Latin
American ones (west coast of South America and Mexico, or east coast of South America round
the Cape), on 8,500-TEU ships; two routes ride each service (its first Asian port to its first
Latin American one, its second to its second), each booked with half the service's TEU a week.
Other ships at every port come from the catalogue's traffic figures, as in every scenario.
"""

from __future__ import annotations

__all__ = ["trade_year", "ASIA", "LATAM"]

ASIA = ["CNSHA", "CNNGB", "CNSZX", "CNTAO", "CNXMN", "HKHKG", "KRPUS", "TWKHH", "SGSIN", "JPYOK"]
LATAM = [["PECHY", "PECLL", "CLSAI"], ["MXZLO", "MXLZC", "COBUN"], ["ECGYE", "PECLL", "CLVAP"],
         ["BRSSZ", "BRPNG", "UYMVD"], ["CLSAI", "CLVAP", "PECHY"], ["MXLZC", "MXZLO", "ECGYE"]]


def trade_year(services: int, teu_per_week: float, *, teu_per_booking: float = 2.0, horizon_days: float = 365.0,
               warmup_days: float = 28.0, seed: int = 1):
    """A :class:`routesim.scenario.Scenario` of ``services`` weekly services, each booked with
    ``teu_per_week`` TEU a week (split over its two routes) for ``horizon_days``."""
    from routesim.scenario import Scenario

    svc, routes = {}, {}
    for i in range(services):
        asia = [ASIA[(i + k) % len(ASIA)] for k in (0, 3, 7)]
        latam = LATAM[i % len(LATAM)]
        name = f"svc{i:02d}"
        svc[name] = {"vessel": "post_panamax_8500", "headway_days": 7, "rotation": asia + latam}
        for k in (0, 1):
            routes[f"{name}_{k}"] = {"origin": asia[k], "destination": latam[k], "service": name,
                                     "demand_teu_per_week": teu_per_week / 2.0}
    return Scenario.from_dict({
        "name": f"generated trade year: {services} services x {teu_per_week:g} TEU/week",
        "seed": seed, "replications": 1, "horizon_days": horizon_days,
        "cargo": {"commodity": "general_cargo", "teu": teu_per_booking},
        "services": svc, "routes": routes, "des": {"warmup_days": warmup_days},
    })
