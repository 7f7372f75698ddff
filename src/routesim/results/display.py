"""Text and HTML views of a :class:`~routesim.results.Results`: the CLI table and the notebook view."""

from __future__ import annotations

from .summary import TRAMP_KINDS, per_factor

__all__ = ["text_table", "html_summary"]

_ROWS = (("transit_days", "transit days"), ("door_days", "door days"), ("cost_usd_per_teu", "landed cost"),
         ("logistics_usd_per_teu", "logistics"), ("freight_usd_per_teu", "freight"),
         ("carrier_cost_usd_per_teu", "carrier cost"), ("co2_t_per_teu", "CO2 t/TEU (TTW)"),
         ("co2e_wtw_t_per_teu", "CO2e t/TEU (WTW)"), ("co2e_wtw_g_per_teu_km", "CO2e g/TEU-km (WTW)"))
"""The metric rows of the text table and their labels (money rows get the unit after them)."""


def text_table(res) -> str:
    """A readable plain-text table: one block per route with mean, median, p5 and p95 of each metric.

    Days and t CO2/TEU have two decimals, USD/TEU none; then, for a perishable, the quality lost,
    the value at arrival and the shares rejected and downgraded; the share before a market holiday,
    mean days by leg kind and mean USD/TEU by component.
    """
    lines = [f"{res.scenario}  (engine {res.engine}, seed {res.seed}, {res.replications:,} replications)", ""]
    head = f"{'':26}{'mean':>10}{'median':>10}{'p5':>10}{'p95':>10}"
    for name, r in res.routes.items():
        cargo = r.info.get("cargo", {})
        money = per_factor(r.per, cargo)[1]
        lines.append(f"route {name}  ({r.info.get('origin', '?')} -> {r.info.get('destination', '?')}, "
                     f"n={r.n:,}; {cargo.get('name') or cargo.get('commodity', 'cargo')}, money in {money})")
        lines.append(head)
        for m, label in _ROWS:
            s = r.metrics[m]
            fmt = "{:>10.2f}" if "days" in m or "co2" in m else "{:>10,.0f}"
            label = label if m in ("transit_days", "door_days") or "co2" in m else f"{label} {money}"
            k = 1.0
            if "co2" in m and cargo.get("kind") in TRAMP_KINDS:
                label, k = _parcel_label(label, money.removeprefix("USD/"))
            lines.append(f"  {label:24}" + "".join(fmt.format(v * k) for v in (s.mean, s.median, s.p5, s.p95)))
        if cargo.get("perishable"):
            for m, label in (("quality_loss_usd_per_teu", "quality loss"), ("arrival_value_usd_per_teu", "value at arrival")):
                q = r.metrics[m]
                lines.append(f"  {label + ' ' + money:24}" + "".join(f"{v:>10,.0f}" for v in (q.mean, q.median, q.p5, q.p95)))
            lines.append(f"  {'rejected share':24}{r.spoiled_share:>10.3f}   downgraded share {r.downgraded_share:.3f}, "
                         f"quality left {r.quality:.2f}")
        if r.share_before_holiday is not None:
            lines.append(f"  {'before the holiday':24}{r.share_before_holiday:>10.3f}   ({r.info.get('market_holiday', '')})")
        days = ", ".join(f"{k} {v:.1f}" for k, v in r.days_by_kind.items() if v > 0.005)
        lines.append(f"  days by kind: {days}")
        cost = ", ".join(f"{c} {v:,.0f}" for c, v in r.cost_by_component.items() if v > 0.5)
        lines.append(f"  landed cost {money} by component: {cost}")
        groups = ", ".join(f"{g} {v:,.0f}" for g, v in r.cost_by_group.items())
        lines.append(f"  landed cost {money} by group: {groups}")
        car = ", ".join(f"{c} {v:,.0f}" for c, v in r.carrier_by_component.items() if v > 0.5)
        lines.append(f"  carrier cost {money} by component: {car}; carrier margin {r.margin:,.0f}")
        if r.info.get("glec_lane"):
            d = r.info.get("glec_default_g_per_teu_km")
            near = r.info.get("glec_nearest") or {}
            shown = (f"{d:.1f} g CO2e/TEU-km" if d is not None else "no published value")
            if d is None and near:
                shown += f"; nearest published {near['lane']} {near['g_per_teu_km']:.1f}"
            lines.append(f"  GLEC default ({r.info['glec_lane']}): {shown} (modelled WTW, IPCC AR6 GWP100)")
        for k in ("tramp", "season", "market", "reefer_plugs"):
            if k in r.info:
                lines.append(f"  {k}: {r.info[k]}")
        if "freight" in r.info:
            lines.append(f"  freight: {r.info['freight']}")
        for what, why in r.info.get("missing", {}).items():
            lines.append(f"  missing: {what} ({why})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _parcel_label(label: str, unit: str) -> tuple[str, float]:
    """An emission row's label and multiplier for a tramp parcel's unit (``t``: kg per tonne).

    >>> _parcel_label("CO2 t/TEU (TTW)", "t"), _parcel_label("CO2e g/TEU-km (WTW)", "vehicle")
    (('CO2 kg/t (TTW)', 1000.0), ('CO2e g/vehicle-km (WTW)', 1.0))
    """
    if unit == "t" and " t/TEU" in label:
        return label.replace(" t/TEU", " kg/t"), 1000.0
    return label.replace("TEU", unit), 1.0


def html_summary(res) -> str:
    """The notebook view: a heading, the summary table (means and quantiles) and the breakdown."""
    s = res.summary()
    cols = [c for c in s.columns if c.endswith(("_mean", "_median", "_p5", "_p95"))
            and c.split("_")[0] in ("transit", "door", "cost", "co2")] + ["spoiled_share", "downgraded_share"]
    head = (f"<p><b>{_esc(res.scenario)}</b> &middot; engine {res.engine} &middot; seed {res.seed} "
            f"&middot; {res.replications:,} replications</p>")
    return head + s[cols].to_html(float_format=lambda x: f"{x:,.2f}") + res.breakdown().to_html(
        float_format=lambda x: f"{x:,.2f}")


def _esc(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped for HTML.

    >>> _esc("a < b & c")
    'a &lt; b &amp; c'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
