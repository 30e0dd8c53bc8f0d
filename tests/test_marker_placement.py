"""Practice markers on a printed map: none hides another (6 and 2 in Central, 17 and 18 in North sit
a few hundred metres apart), measured between the drawn markers' centres on the page."""

from __future__ import annotations

import math

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sthc_desktop.content.maps import padded
from sthc_desktop.core.view import MapView
from sthc_desktop.render.furniture import draw_map
from sthc_desktop.render.page import Page


@pytest.mark.parametrize("focus", [None, "Central", "North"])
def test_no_marker_hides_another(planner, focus):
    view = MapView(focus=focus, extent=padded(planner.locality_bounds(focus)) if focus else None)
    page = Page("A4", "portrait")
    drawn = draw_map(page, planner, view, (0.45, 4.0, 3.2, 3.2))
    FigureCanvasAgg(page.fig).draw()
    ax = drawn.map.ax
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    shown = {k: ax.transData.transform(p) for k, p in drawn.map.practice_positions.items()
             if x0 <= p[0] <= x1 and y0 <= p[1] <= y1}
    diameter = math.sqrt(150) * page.k * page.fig.dpi / 72  # a marker's size in pixels (s = 150 pt²)
    points = list(shown.values())
    assert len(points) >= 6
    closest = min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1:])
    assert closest >= diameter, closest
