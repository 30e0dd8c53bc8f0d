"""How numbers are written on screen and on paper."""

from __future__ import annotations

import math


def format_value(value, unit: str = "") -> str:
    """A value with sensible precision; '–' when missing. Percent units get a % sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
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
