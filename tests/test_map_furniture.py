"""What a reader of a briefing map sees: the legend's blocks, the "No data" entry, the north arrow,
a scale bar whose label matches what it draws, and comparison colours that mean what they say.

Each test reads the drawn figure's artists (texts, patches, annotations), not the code's
intentions, so a map drawn without one of these fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from sthc_desktop.core.comparison import compare, publishable
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS
from sthc_desktop.core.view import MapView
from sthc_desktop.render import charts
from sthc_desktop.render.briefing_map import briefing_map

A_AND_E = "ae_attendances_0_4"  # practice rows: two of the plan's practices have none for 2021/22


def _page_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def map_axes(fig):
    """The briefing map's own axes: the one carrying the scale bar's "km" label."""
    found = [ax for ax in fig.axes if any(t.get_text().endswith(" km") for t in ax.texts)]
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def borough_map(planner):
    return briefing_map(planner, MapView(indicator_id="iod19_imd_decile"))


def test_legend_lists_the_four_care_communities_in_their_colours(borough_map):
    texts = _page_texts(borough_map.figure)
    start = texts.index("Care Communities")
    assert texts[start + 1:start + 5] == list(NETWORKS)
    # Each name has its outline swatch: a flat rectangle edged in the network's colour.
    swatches = [a.get_edgecolor()[:3] for a in borough_map.figure.artists
                if isinstance(a, Rectangle) and a.get_height() == 0]
    for name in NETWORKS:
        assert any(np.allclose(to_rgb(NETWORK_COLOURS[name]), c) for c in swatches), name


def test_legend_counts_practices_without_a_value_as_no_data(planner, pack):
    period = pack.periods(A_AND_E)[-1]
    valued = set(pack.indicator_values(A_AND_E, "practice", period)["area_code"])
    drawn = pack.practices[pack.practices["ods_code"].notna() & ~pack.practices.geometry.is_empty]
    missing = int((~drawn["ods_code"].isin(valued)).sum())
    assert missing > 0  # the case this test is about
    bm = briefing_map(planner, MapView(indicator_id=A_AND_E))
    assert f"No data ({missing})" in _page_texts(bm.figure)
    assert bm.legend.entries[-1].label == "No data" and bm.legend.entries[-1].count == missing


def test_north_arrow_points_up_inside_the_map(borough_map):
    assert_north_arrow(map_axes(borough_map.figure))


def assert_north_arrow(ax) -> None:
    """One "N" with an arrow pointing straight up, inside the map ``ax``."""
    arrows = [a for a in ax.get_children() if isinstance(a, Annotation) and a.get_text() == "N"]
    assert len(arrows) == 1
    arrow = arrows[0]
    assert arrow.arrow_patch is not None and arrow.get_visible()
    (x_tip, y_tip), (x_tail, y_tail) = arrow.xy, arrow.xyann
    assert x_tip == pytest.approx(x_tail) and y_tip > y_tail
    assert all(0 <= v <= 1 for v in (x_tip, y_tip, x_tail, y_tail))


@pytest.mark.parametrize("focus", [None, "North"])
def test_scale_bar_label_states_the_length_it_draws(planner, focus):
    view = MapView(indicator_id="iod19_imd_decile")
    if focus:  # "Zoom to North": a smaller extent, so a shorter bar
        view = view.with_(extent=planner.locality_bounds(focus))
    assert_scale_bar_true(map_axes(briefing_map(planner, view).figure))


def assert_scale_bar_true(ax) -> None:
    """The scale bar of the map ``ax`` is labelled with the length it draws, halfway mark included."""
    label = next(t for t in ax.texts if t.get_text().endswith(" km"))
    km = float(label.get_text().removesuffix(" km"))
    halves = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_zorder() == 21]
    assert len(halves) == 2
    drawn_m = sum(p.get_width() for p in halves)
    assert drawn_m == pytest.approx(km * 1000)
    middle = [t.get_text() for t in ax.texts if t.get_position()[0] == pytest.approx(halves[1].get_x())]
    assert f"{km / 2:g}" in middle
    # Metres are metres both ways on the page: equal aspect, so the bar is true to the map.
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1000, 1000)])
    assert x1 - x0 == pytest.approx(y1 - y0, rel=1e-6)


def is_green(colour) -> bool:
    r, g, b = to_rgb(colour)
    return g > r and g > b


def is_red(colour) -> bool:
    r, g, b = to_rgb(colour)
    return r > g and r > b


def test_better_is_drawn_green_and_worse_red(planner):
    rows = publishable(compare(planner, ["iod19_income_score"], benchmark="borough"), mark=None)
    bars = rows[~rows["area"].isin([rows.iloc[0]["benchmark"], "England"])].reset_index(drop=True)
    assert {"better", "worse"} <= set(bars["comparison"])  # against St Helens: North better, Central worse
    ax = Figure(figsize=(8, 4)).add_subplot()
    charts.comparison_bars(ax, rows)
    drawn = [p for p in ax.patches if isinstance(p, Rectangle)][:len(bars)]
    for patch, word in zip(drawn, bars["comparison"]):
        if word == "better":
            assert is_green(patch.get_facecolor()), word
        elif word == "worse":
            assert is_red(patch.get_facecolor()), word
