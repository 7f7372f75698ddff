"""Text and HTML views of a :class:`~routesim.results.Results`: the CLI table and the notebook view."""

from __future__ import annotations

__all__ = ["text_table", "html_summary"]

_ROWS = (("transit_days", "transit days"), ("door_days", "door days"), ("cost_usd_per_teu", "cost USD/TEU"),
         ("logistics_usd_per_teu", "logistics USD/TEU"), ("co2_t_per_teu", "CO2 t/TEU"))
"""The metric rows of the text table and their labels (units in the labels)."""


def text_table(res) -> str:
    """A readable plain-text table: one block per route with mean, median, p5 and p95 of each metric.

    Days and t CO2/TEU have two decimals, USD/TEU none; then the spoiled share (if any),
    mean days by leg kind and mean USD/TEU by component.
    """
    lines = [f"{res.scenario}  (engine {res.engine}, seed {res.seed}, {res.replications:,} replications)", ""]
    head = f"{'':26}{'mean':>10}{'median':>10}{'p5':>10}{'p95':>10}"
    for name, r in res.routes.items():
        lines.append(f"route {name}  ({r.info.get('origin', '?')} -> {r.info.get('destination', '?')}, "
                     f"n={r.n:,})")
        lines.append(head)
        for m, label in _ROWS:
            s = r.metrics[m]
            fmt = "{:>10.2f}" if "days" in m or "co2" in m else "{:>10,.0f}"
            lines.append(f"  {label:24}" + "".join(fmt.format(v) for v in (s.mean, s.median, s.p5, s.p95)))
        if r.spoiled_share:
            lines.append(f"  {'spoiled share':24}{r.spoiled_share:>10.3f}")
        days = ", ".join(f"{k} {v:.1f}" for k, v in r.days_by_kind.items() if v > 0.005)
        lines.append(f"  days by kind: {days}")
        cost = ", ".join(f"{c} {v:,.0f}" for c, v in r.cost_by_component.items() if v > 0.5)
        lines.append(f"  USD/TEU by component: {cost}")
        for what, why in r.info.get("missing", {}).items():
            lines.append(f"  missing: {what} ({why})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def html_summary(res) -> str:
    """The notebook view: a heading, the summary table (means and quantiles) and the breakdown."""
    s = res.summary()
    cols = [c for c in s.columns if c.endswith(("_mean", "_median", "_p5", "_p95"))
            and c.split("_")[0] in ("transit", "door", "cost", "co2")] + ["spoiled_share"]
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
