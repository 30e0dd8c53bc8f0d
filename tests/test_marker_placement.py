"""Practice markers on a printed map: none hides another (6 and 2 in Central, 17 and 18 in North sit
a few hundred metres apart), measured between the drawn markers' centres on the page."""

from __future__ import annotations

import math
from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from sthc_desktop.content.maps import padded
from sthc_desktop.content.pack import PackData
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.view import MapView
from sthc_desktop.render.furniture import draw_map
from sthc_desktop.render.locality_pack.locality import LocalitySheet, locality_page
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


def assert_furniture_covers_no_marker(fig, drawn, k, inset: bool):
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ax = drawn.map.ax
    arrow = next(a for a in ax.texts if isinstance(a, Annotation) and a.get_text() == "N")
    furniture = [Bbox.union([arrow.get_window_extent(renderer), arrow.arrow_patch.get_window_extent(renderer)])]
    furniture += [a.get_window_extent(renderer) for a in fig.axes if a.get_zorder() == 30]  # the inset
    assert len(furniture) == (2 if inset else 1)
    radius = math.sqrt(150) * k * fig.dpi / 72 / 2
    frame = ax.get_window_extent(renderer)
    for code, position in drawn.map.practice_positions.items():
        x, y = ax.transData.transform(position)
        if frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1:
            for f in furniture:
                assert not (f.x0 - radius < x < f.x1 + radius and f.y0 - radius < y < f.y1 + radius), code


def test_north_arrow_and_inset_cover_no_marker_on_the_pack_pages(planner):
    """The furniture goes where it hides no practice (South's inset once covered one): each drawn
    marker, whole, lies clear of the north arrow and of the inset on every locality page."""
    data = PackData(planner, ["qof_obesity"], list(NETWORKS), date(2026, 1, 5))
    sheet = LocalitySheet()
    for number, name in enumerate(NETWORKS, start=3):
        fig = locality_page(data, sheet, name, number, 9)
        assert_furniture_covers_no_marker(fig, sheet.drawn, 1.0, inset=True)


def test_north_arrow_covers_no_marker_on_the_borough_map(planner):
    page = Page("A4", "portrait")
    drawn = draw_map(page, planner, MapView(), (0.45, 3.0, 7.37, 6.5))
    assert_furniture_covers_no_marker(page.fig, drawn, page.k, inset=False)
