"""routesim's carrier cost against what carriers publish.

:func:`service_unit_costs` prices the round voyage of every shipped service
(``data/services.yaml``) at a given bunker price, with every other cost input at its
catalogue mean: the whole voyage (fuel, ship-days, port calls, canal tolls), the moves of
the boxes it lifts, their equipment days, the empties' lifts and the overheads, divided
by the full TEU it lifts. :func:`reconciliation` sets the network average (weighted by TEU
lifted a year) beside each disclosed unit cost of ``data/disclosures.yaml`` at that
disclosure's bunker price. The scopes differ (Maersk's figure is at EBIT level, Hapag-
Lloyd's transport expenses leave out overheads and depreciation): both scopes are shown.

>>> df = service_unit_costs(200.0)
>>> bool((df["usd_per_teu"] > 0).all())
True
"""

from __future__ import annotations

from . import carrier as cc
from . import catalogue
from .catalogue import carrier as cat_carrier

__all__ = ["service_unit_costs", "network_unit_cost", "reconciliation", "DOOR_DAYS_PER_LIFT"]

DOOR_DAYS_PER_LIFT = 10.0
"""Days a lifted box spends off the ship (export and import dwell, first-sailing wait) in the
equipment charge of the reconciliation: the catalogue's Callao and Shanghai dwell means (about
3-4 days each, data/ports.yaml) plus a 3-day wait for a weekly sailing; a stated approximation."""


def _services_scenario():
    from .scenario import Scenario

    routes = {}
    for sid, svc in catalogue.services().items():
        rot = list(svc.rotation)
        routes[sid] = {"origin": rot[0], "destination": rot[1], "service": sid}
    return Scenario.from_dict({"name": "shipped services", "routes": routes}, source="<services>")


def service_unit_costs(bunker_usd_per_t: float):
    """Carrier cost per full TEU lifted (USD) of each shipped service's round voyage at ``bunker_usd_per_t``.

    Returns
    -------
    pandas.DataFrame
        Indexed by service: ``trade``, ``round_days``, ``lifted_teu`` (per round voyage),
        ``lifted_teu_per_year``, one USD-per-TEU column per component and ``usd_per_teu``
        (all components) and ``usd_per_teu_before_overheads``.
    """
    import pandas as pd

    from .plan import compile_plan

    plan = compile_plan(_services_scenario())
    c = plan.costs
    per_box = float(c.teu_per_box)
    rows = {}
    for sid, route in plan.routes.items():
        seg = route.segments[0]
        v, voy = seg.vessel, seg.voyage
        lifted = voy.lifted_teu
        port = float(cc.port_calls_usd(voy.gt, voy.loa_m, voy.calls, voy.hours_alongside, c.port_dues_usd_per_gt.mean,
                                       c.pilotage_usd_per_gt.mean, c.towage_usd_per_call.mean,
                                       c.berth_usd_per_m_hour.mean))
        full_days = sum(d * f for d, f in zip(voy.days, voy.full_teu)) / lifted
        empty_boxes = max(voy.empty_teu) / per_box if voy.empty_teu else 0.0
        parts = {
            "fuel": voy.fuel_t * bunker_usd_per_t,
            "vessel": v.charter_usd_per_day.mean * voy.round_days,
            "port": port,
            "canal": voy.canal_usd + sum(d.mean for d in voy.canal_draws),
            "stevedoring": lifted / per_box * 2 * c.stevedoring_usd_per_move.mean,
            "equipment": lifted * (full_days + DOOR_DAYS_PER_LIFT) * c.dry_box_usd_per_teu_day.mean,
            "repositioning": empty_boxes * 2 * (c.empty_move_usd.mean + c.empty_depot_usd_per_box.mean / 2),
            "overheads": lifted * c.overheads_usd_per_teu.mean,
        }
        row = {"trade": voy.trade, "round_days": voy.round_days, "lifted_teu": lifted,
               "lifted_teu_per_year": lifted * 365.0 / seg.headway_days}
        row.update({k: val / lifted for k, val in parts.items()})
        row["usd_per_teu"] = sum(parts.values()) / lifted
        row["usd_per_teu_before_overheads"] = row["usd_per_teu"] - row["overheads"]
        rows[sid] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def network_unit_cost(bunker_usd_per_t: float, before_overheads: bool = False) -> float:
    """The shipped services' average carrier cost per TEU lifted (USD), weighted by TEU lifted a year."""
    df = service_unit_costs(bunker_usd_per_t)
    col = "usd_per_teu_before_overheads" if before_overheads else "usd_per_teu"
    w = df["lifted_teu_per_year"]
    return float((df[col] * w).sum() / w.sum())


def reconciliation():
    """Each disclosed unit cost beside routesim's network average at the same bunker price.

    Returns
    -------
    pandas.DataFrame
        Indexed by disclosure id: ``carrier``, ``period``, ``metric``, ``disclosed_usd_per_teu``,
        ``bunker_usd_per_t``, ``routesim_usd_per_teu`` (all components),
        ``routesim_before_overheads`` and the ``ratio`` of routesim (all components) to the
        disclosure.
    """
    import pandas as pd

    rows = {}
    for key, d in cat_carrier.disclosures().items():
        full = network_unit_cost(d.bunker_usd_per_t)
        rows[key] = {"carrier": d.carrier, "period": d.period, "metric": d.metric,
                     "disclosed_usd_per_teu": d.usd_per_teu, "bunker_usd_per_t": d.bunker_usd_per_t,
                     "routesim_usd_per_teu": full,
                     "routesim_before_overheads": network_unit_cost(d.bunker_usd_per_t, before_overheads=True),
                     "ratio": full / d.usd_per_teu}
    return pd.DataFrame.from_dict(rows, orient="index")
