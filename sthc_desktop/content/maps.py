"""What a map page shows besides its layers: the name of the area in view, and a locality's extent
with a margin round it."""

from __future__ import annotations

import numpy as np

from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView


def area_name(planner: Planner, view: MapView) -> str:
    """"St Helens", the locality the view is focused or zoomed on, or "Part of St Helens"."""
    if view.focus:
        return view.focus
    if view.extent is None:
        return "St Helens"
    for name in NETWORKS:
        if np.allclose(view.extent, planner.locality_bounds(name), atol=1.0):
            return name
    return "Part of St Helens"


def padded(bounds, pad: float = 0.05) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)
