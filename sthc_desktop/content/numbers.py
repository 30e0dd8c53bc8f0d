"""How numbers are written, the same on screen and on paper: indicator values and plan figures."""

from __future__ import annotations

import math


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value, unit: str = "") -> str:
    """A value with sensible precision; '–' when missing. Percent units get a % sign."""
    if missing(value):
        return "–"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if unit.startswith("rank") or unit.startswith("national decile") or unit in ("people", "patients"):
        text = f"{v:,.0f}"
    elif abs(v) >= 1000:
        text = f"{v:,.0f}"
    elif abs(v) >= 100:
        text = f"{v:.1f}"
    else:
        text = f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"
    return text + ("%" if unit.startswith("%") else "")


def plan_figure(value, unit) -> str:
    """A strategic plan figure as the plan prints it (no added decimals), with its unit:
    "1,117 per 100,000", "7.2%"; '–' when missing."""
    if missing(value):
        return "–"
    number = f"{float(value):,.12g}"
    if not isinstance(unit, str) or unit == "%":
        return number + ("%" if unit == "%" else "")
    # The plan writes "per 100000"; print the multiplier with its thousands separator.
    unit = " ".join(f"{int(w):,}" if w.isdigit() else w for w in unit.split())
    return f"{number} {unit}"
