"""Draw a practice funnel plot from :class:`sthc_desktop.core.funnel.Funnel`.

Practices are circles at their value against their denominator, labelled by the plan's map key (or
their ODS code) and coloured by where they fall (outside the 99.8% limits in the comparison colours,
between 95% and 99.8% hollow, within grey); the 95% limits dashed, the 99.8% limits solid, the
benchmark a line. The numbers come from the core; this module only draws. Qt-free.
"""

from __future__ import annotations

import pandas as pd

from sthc_desktop.core import funnel as fn
from sthc_desktop.core.vocabulary import Polarity

from .charts import COMPARISON_COLOURS, FONT

WITHIN_COLOUR = "#9e9e9e"


def point_colour(position: str, polarity: Polarity) -> str:
    high = position in (fn.ABOVE_998, fn.ABOVE_95)
    if position == fn.WITHIN:
        return WITHIN_COLOUR
    good = high == (polarity == Polarity.HIGHER_IS_BETTER)
    return COMPARISON_COLOURS["better" if good else "worse"]


def funnel_plot(ax, funnel: fn.Funnel, polarity: Polarity, *, size: float = FONT) -> dict:
    """Draw ``funnel`` on ``ax``; returns the limit lines by name (``upper_95`` …), the benchmark line and
    the practice points by code, for checking what was drawn."""
    curve = funnel.curve
    limits = {}
    for name, style in (("95", "--"), ("998", "-")):
        for side in ("lower", "upper"):
            key = f"{side}_{name}"
            (limits[key],) = ax.plot(curve["denominator"], curve[key], style, color="#404040", lw=0.9,
                                     label=f"{'95' if name == '95' else '99.8'}% limits" if side == "upper" else None)
    (bench,) = ax.plot([curve["denominator"].min(), curve["denominator"].max()], [funnel.benchmark_value] * 2,
                       color="black", lw=1.2, label=f"{funnel.benchmark} {funnel.benchmark_value:.1f}")
    points = {}
    for p in funnel.practices.itertuples(index=False):
        colour = point_colour(p.position, polarity)
        hollow = p.position in (fn.ABOVE_95, fn.BELOW_95)
        (points[p.code],) = ax.plot([p.denominator], [p.value], "o", ms=size * 0.8, zorder=4,
                                    markerfacecolor="white" if hollow else colour, markeredgecolor=colour
                                    if hollow else "black", markeredgewidth=0.9 if hollow else 0.4)
        label = p.code if pd.isna(p.map_key) else str(int(p.map_key))  # not on the plan: its ODS code
        ax.annotate(label, (p.denominator, p.value), xytext=(3, 3), textcoords="offset points", fontsize=size * 0.85)
    ax.set_xlabel("Denominator (registered patients in the indicator's age group)", fontsize=size)
    ax.set_ylabel(funnel.unit, fontsize=size)
    ax.set_title(f"{funnel.title}, {funnel.period}", fontsize=size + 1, loc="left")
    ax.tick_params(labelsize=size)
    ax.legend(fontsize=size * 0.85, frameon=False, loc="upper right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return {"limits": limits, "benchmark": bench, "points": points}
