"""What a map page shows besides its layers: the name of the area in view, and a locality's extent
with a margin round it."""

from __future__ import annotations

from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView


def area_name(planner: Planner, view: MapView) -> str:
    """"St Helens", the locality the view is focused or zoomed on, or "Part of St Helens"."""
    locality = planner.locality_shown(view)
    if locality is not None:
        return locality
    return "St Helens" if view.extent is None else "Part of St Helens"


def padded(bounds, pad: float = 0.05) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)
