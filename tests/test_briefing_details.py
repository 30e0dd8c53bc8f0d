"""Details a briefing shows: where the Care Community names sit on a map, and how a practice's
status is worded (from the data, never hand-typed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from shapely.geometry import Point, box

from sthc_desktop.content.maps import padded
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.view import MapView
from sthc_desktop.render.furniture import draw_map
from sthc_desktop.render.page import Page
from sthc_desktop.render.mapfigure import label_point


# -- locality names keep clear of practice markers ---------------------------------------------
def covered_by_markers(drawn, renderer) -> list[tuple[str, str]]:
    """(locality name, practice position) pairs where a drawn marker overlaps a shown name."""
    ax = drawn.map.ax
    circles = []
    for artist in drawn.map.practice_artists:
        if isinstance(artist, PathCollection):
            centres = ax.transData.transform(artist.get_offsets())
            radii = np.sqrt(artist.get_sizes()) / 2 * ax.figure.dpi / 72
            circles += list(zip(centres, np.broadcast_to(radii, len(centres))))
    clashes = []
    for label in drawn.map.locality_labels:
        if not label.get_visible():
            continue
        b = label.get_window_extent(renderer)
        for (cx, cy), r in circles:
            nearest_x, nearest_y = min(max(cx, b.x0), b.x1), min(max(cy, b.y0), b.y1)
            if np.hypot(cx - nearest_x, cy - nearest_y) < r:
                clashes.append((label.get_text(), f"{cx:.0f},{cy:.0f}"))
    return clashes


@pytest.mark.parametrize("focus", [None, *NETWORKS])
def test_no_practice_marker_covers_a_care_community_name(planner, focus):
    view = MapView(indicator_id="iod19_imd_decile", focus=focus,
                   extent=padded(planner.locality_bounds(focus)) if focus else None)
    page = Page("A4", "portrait")
    drawn = draw_map(page, planner, view, (0.45, 4.0, 7.37, 5.4))
    FigureCanvasAgg(page.fig).draw()
    renderer = page.fig.canvas.get_renderer()
    assert any(t.get_visible() for t in drawn.map.locality_labels)
    assert covered_by_markers(drawn, renderer) == []


def test_a_name_moves_off_a_marker_stays_inside_and_is_placed_the_same_every_time():
    """A SYNTHETIC locality (a 10 km x 3 km box) with a practice at its centre, where the widest
    point of the box would put the name."""
    area = box(0, 0, 10_000, 3_000)
    markers = ((5_000, 1_500),)
    p = label_point(area, "Central", markers)
    assert area.contains(p)
    assert p.distance(Point(5_000, 1_500)) > 2_000  # beside the marker, not on it
    label_point.cache_clear()
    assert label_point(area, "Central", markers) == p
    assert label_point(area, "Central", ()).distance(Point(5_000, 1_500)) < 300  # no markers: the middle


# -- a practice's status, as the data gives it --------------------------------------------------
def test_dormant_practice_says_what_the_list_sizes_show(planner, pack):
    # N83624 (map key 9) is dormant in ODS and has no list in the pack's latest list sizes.
    latest = pack.periods("practice_list_size")[-1]
    held = set(pack.indicator_values("practice_list_size", "practice", latest)["area_code"])
    assert "N83624" not in held
    text = planner.practice_details("N83624")["status_text"]
    assert text == f"Dormant (ODS status); no registered list in the {latest} list sizes"
    assert planner.practice_details("N83017")["status_text"] == "Active"


def test_dormant_practice_with_a_current_list_makes_no_such_claim(planner, pack, monkeypatch):
    """The pack's list sizes with a SYNTHETIC extra row for the dormant practice in the latest period."""
    real = pack.indicator_values

    def with_list(indicator_id, area_type=None, period=None):
        rows = real(indicator_id, area_type, period)
        if indicator_id != "practice_list_size":
            return rows
        extra = rows[rows["period"] == rows["period"].max()].iloc[[0]].assign(area_code="N83624")
        return pd.concat([rows, extra], ignore_index=True)
    monkeypatch.setattr(pack, "indicator_values", with_list)
    assert planner.practice_details("N83624")["status_text"] == "Dormant (ODS status)"
