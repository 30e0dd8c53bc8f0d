"""The map workspace driven as a planner would: pick an indicator, hover, click, search, zoom, focus."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

from sthc_desktop.core.view import MapView
from sthc_desktop.render.palettes import class_colours


@pytest.fixture
def window(make_window, planner):
    """The main window on the session's pack: these tests import nothing into it."""
    return make_window(planner)


def pick(window, qtbot, indicator_id: str):
    """Choose an indicator in the picker tree with the mouse."""
    item = window.picker.item_for(indicator_id)
    item.parent().setExpanded(True)
    tree = window.picker.tree
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.model.view.indicator_id == indicator_id


def face_of(window, vintage: str, code: str):
    coll, codes = window.canvas.map.areas[vintage]
    return tuple(np.round(coll.get_facecolor()[list(codes).index(code)], 4))


def screen_point(window, x: float, y: float) -> QPoint:
    """Widget pixel position of a map coordinate (matplotlib's origin is bottom-left)."""
    canvas = window.canvas
    px, py = canvas.ax.transData.transform((x, y))
    ratio = canvas.device_pixel_ratio
    return QPoint(int(px / ratio), int(canvas.height() - py / ratio))


def hover(widget, pos: QPoint) -> None:
    """Move the pointer over ``pos`` (a real mouse-move event; QTest's mouseMove moves no pointer offscreen)."""
    event = QMouseEvent(QEvent.MouseMove, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.NoButton,
                        Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def test_choosing_an_indicator_changes_legend_classes_and_area_colours(window, qtbot, pack):
    pick(window, qtbot, "iod19_imd_decile")
    labels = window.legend.labels()
    assert labels[0] == "1 (most deprived 10%)" and labels[9] == "10 (least deprived 10%)"
    deciles = pack.indicator_values("iod19_imd_decile", "lsoa11").set_index("area_code")["value"]
    colours = class_colours(10, "higher is better")
    for code in ("E01006909", "E01006802", deciles.idxmax()):
        expected = tuple(np.round(to_rgba(colours[int(deciles[code]) - 1]), 4))
        assert face_of(window, "lsoa11", code) == expected
    # Decile 1 is the most deprived, drawn darkest: worse is always darker.
    assert sum(to_rgba(colours[0])[:3]) < sum(to_rgba(colours[9])[:3])

    pick(window, qtbot, "iod25_imd_score")
    assert window.canvas.map.areas["lsoa21"][0].get_visible()
    assert not window.canvas.map.areas["lsoa11"][0].get_visible()
    assert "LSOA 2021" in window.legend.title.text()
    assert len(window.legend.labels()) >= 5 and window.legend.labels()[0].count("–") == 1


def test_classification_choice_changes_the_breaks(window, qtbot):
    from sthc_desktop.core.vocabulary import Scheme
    before = window.legend.labels()[:5]
    panel = window.classification
    panel.scheme.setCurrentIndex(panel.scheme.findData(Scheme.EQUAL_INTERVAL.value))
    panel.scheme.activated.emit(panel.scheme.currentIndex())
    panel.classes.setValue(4)
    after = [l for l in window.legend.labels() if "–" in l]
    assert len(after) == 4 and after != before[:4]
    assert window.model.view.scheme == Scheme.EQUAL_INTERVAL and window.model.view.classes == 4


def test_missing_values_get_a_no_data_class(window, qtbot, pack):
    pick(window, qtbot, "qof_obesity")
    labels = window.legend.labels()
    counts = [window.legend.table.item(r, 1).text() for r in range(window.legend.table.rowCount())]
    assert "No data" in labels
    missing = sum(1 for c in window.model.planner.layer_for(window.model.view).frame["value"] if c != c)
    assert counts[labels.index("No data")] == str(missing) and missing > 0


def test_hovering_an_lsoa_shows_its_official_value(window, qtbot, pack):
    code = "E01006802"  # St. Helens 002A, away from any practice symbol
    shape = pack.layer("lsoa11").set_index("code").loc[code, "geometry"]
    p = shape.representative_point()
    assert min(np.hypot(x - p.x, y - p.y) for x, y in window.canvas.map.practice_positions.values()) > 800
    pick(window, qtbot, "iod19_imd_score")
    official = pack.indicator_values("iod19_imd_score", "lsoa11").set_index("area_code").loc[code, "value"]
    hover(window.canvas, screen_point(window, p.x, p.y))
    qtbot.waitUntil(lambda: code in QToolTip.text(), timeout=3000)
    text = QToolTip.text()
    assert f"{official:.1f}" in text and "IoD2019" in text
    assert window.model.planner.localities["lsoa11"][code] in text


def test_clicking_a_practice_fills_the_details_panel(window, qtbot, pack):
    x, y = window.canvas.map.practice_positions["N83041"]
    qtbot.mouseClick(window.canvas, Qt.LeftButton, pos=screen_point(window, x, y))
    assert window.model.selection["code"] == "N83041"
    assert "Rainford Health Centre" in window.details.heading.text()
    rows = {r[0]: r for r in window.details.rows()}
    obesity = rows["Obesity: QOF prevalence, adults 18+"]
    value = pack.indicator_values("qof_obesity", "practice", "2024-25").set_index("area_code").loc["N83041"]
    assert obesity[1].startswith(f"{value['value']:.1f}%")
    england = pack.indicator_values("qof_obesity", "england", "2024-25")["value"].iloc[0]
    assert obesity[3] == f"{england:.1f}%"


def test_search_for_rainford_lands_on_rainford_health_centre(window, qtbot, pack):
    qtbot.keyClicks(window.search, "Rainford")
    qtbot.keyClick(window.search, Qt.Key_Return)
    assert window.model.selection["code"] == "N83041"
    point = pack.practices.set_index("ods_code").loc["N83041", "geometry"]
    x0, y0, x1, y1 = window.canvas.extent
    assert x0 < point.x < x1 and y0 < point.y < y1
    assert (x1 - x0) < 8000  # zoomed in, not the whole borough


def test_zoom_to_locality_north(window, qtbot, planner):
    box = window.zoom_box
    box.setCurrentIndex(box.findText("North"))
    box.activated.emit(box.currentIndex())
    bounds = planner.locality_bounds("North")
    assert window.model.view.extent == bounds
    x0, y0, x1, y1 = window.canvas.extent
    assert x0 <= bounds[0] and y0 <= bounds[1] and x1 >= bounds[2] and y1 >= bounds[3]
    # Shown at North's size, not the borough's.
    assert (x1 - x0) * (y1 - y0) < 0.8 * np.prod(np.subtract(planner.borough_bounds[2:], planner.borough_bounds[:2]))
    box.setCurrentIndex(0)
    box.activated.emit(0)
    assert window.model.view.extent is None


def test_focus_dims_the_other_localities(window, qtbot):
    window.focus_box.setCurrentIndex(window.focus_box.findText("South"))
    window.focus_box.activated.emit(window.focus_box.currentIndex())
    assert window.model.view.focus == "South"
    mask = window.canvas.map.focus_mask
    assert mask is not None and len(mask.get_paths()) == 3


def test_closed_practice_shows_as_closed(window, qtbot, pack):
    p = pack.practices.set_index("map_key")
    code = p.loc[12, "ods_code"]  # Newton Community Hospital Practice, closed 2025-06-30
    x, y = window.canvas.map.practice_positions[code]
    hover(window.canvas, screen_point(window, x, y))
    qtbot.waitUntil(lambda: code in QToolTip.text(), timeout=3000)
    assert "Closed 2025-06-30" in QToolTip.text()
    hollow = [a for a in window.canvas.map.practice_artists
              if hasattr(a, "get_linestyle") and a.__class__.__name__ == "PathCollection"
              and a.get_linestyle()[0][1] is not None]
    assert len(hollow) == 1 and len(hollow[0].get_offsets()) == 5  # 4 closed + 1 dormant
    assert any("Closed or dormant" in label for label in window.legend.labels())


def test_layers_toggle(window, qtbot):
    window.layers.boxes["wards"].click()
    assert not window.model.view.layers["wards"] and not window.canvas.map.wards.get_visible()
    window.layers.boxes["practices"].click()
    assert window.canvas.map.practice_artists == []


def test_the_legend_lists_the_practice_symbols_only_while_they_are_shown(window, qtbot):
    window.layers.boxes["practices"].click()
    pick(window, qtbot, "iod19_imd_score")  # another area indicator: the symbols stay hidden
    assert not [label for label in window.legend.labels() if "Practice" in label]
    window.layers.boxes["practices"].click()
    assert "Practice: map key, network colour" in window.legend.labels()


def test_keyboard_and_wheel_zoom(window, qtbot):
    before = window.canvas.extent
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key_Plus)
    after = window.canvas.extent
    assert (after[2] - after[0]) < (before[2] - before[0])
    qtbot.keyClick(window.canvas, Qt.Key_Left)
    assert window.canvas.extent[0] < after[0]


def test_last_indicator_and_layers_are_remembered(make_window, planner):
    first = make_window(planner, MapView(), restore=True)
    first.model.set_indicator("qof_obesity")
    first.model.set_layer("wards", False)
    first.model.set_modified(False)
    first.close()
    second = make_window(planner, restore=True)
    assert second.model.view.indicator_id == "qof_obesity"
    assert second.model.view.layers["wards"] is False


def test_the_legend_lists_the_care_communities_while_their_outlines_are_shown(window, qtbot):
    from sthc_desktop.core.localities import NETWORKS
    labels = window.legend.labels()
    assert labels[-len(NETWORKS):] == list(NETWORKS)
    window.layers.boxes["localities"].click()
    assert not set(NETWORKS) & set(window.legend.labels())


def drawn(canvas) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def drawn_live(window) -> np.ndarray:
    """The window's map as matplotlib draws it with every layer live: a new canvas of the same size
    without the layer images, so a fault in drawing, pasting or blending them cannot hide here."""
    from sthc_desktop.ui.document import Document
    from sthc_desktop.ui.map_canvas import MapCanvas
    fresh = MapCanvas(Document(window.model.planner, window.model.view))
    for layer in fresh.cached:
        layer.remove()
    fresh.cached = ()
    fresh.figure.set_size_inches(window.canvas.figure.get_size_inches())
    fresh.map.update(window.model.view)
    return drawn(fresh)


def assert_looks_the_same(pasted: np.ndarray, live: np.ndarray) -> None:
    """The same picture but for anti-aliased edges: a pasted layer blends its edge pixels onto the fill a
    few 255ths differently from drawing them onto it (at most 3/255, on 0.5-2.5% of the pixels, the more
    the closer the zoom). A stale, missing or misplaced layer differs by far more than 4/255."""
    assert pasted.shape == live.shape
    difference = np.abs(pasted.astype(int) - live.astype(int)).max(axis=2)
    differing = (difference > 0).mean()
    assert difference.max() <= 4 and differing < 0.05, \
        f"differs by up to {difference.max()}/255 on {differing:.1%} of the pixels"


def test_the_map_drawn_from_its_cached_layers_matches_a_live_drawing_after_each_change(window, qtbot,
                                                                                        monkeypatch):
    from test_scenarios import MOVE, choose_in_dialogs
    canvas = window.canvas
    drawn(canvas)
    renders = [layer.renders for layer in canvas.cached]
    pick(window, qtbot, "iod19_imd_decile")
    before = drawn(canvas)
    # An area indicator after another restyles the fill alone: the layers below and above it are pasted.
    assert [layer.renders for layer in canvas.cached] == renders
    assert_looks_the_same(before, drawn_live(window))

    def check(change) -> None:
        nonlocal before
        change()
        after = drawn(canvas)
        assert not np.array_equal(after, before)  # the change shows
        assert_looks_the_same(after, drawn_live(window))  # and nothing stale is pasted over it
        before = after

    check(lambda: window.layers.boxes["localities"].click())
    check(lambda: window.layers.boxes["localities"].click())
    check(lambda: window.layers.boxes["wards"].click())
    check(lambda: window.layers.boxes["neighbours"].click())
    check(lambda: window.layers.boxes["neighbours"].click())
    check(lambda: pick(window, qtbot, "qof_obesity"))  # practices drawn by value: new symbols
    check(lambda: pick(window, qtbot, "iod19_imd_score"))

    def focus_on_south():
        window.focus_box.setCurrentIndex(window.focus_box.findText("South"))
        window.focus_box.activated.emit(window.focus_box.currentIndex())
    check(focus_on_south)
    canvas.setFocus()
    check(lambda: qtbot.keyClick(canvas, Qt.Key_Plus))
    check(lambda: qtbot.keyClick(canvas, Qt.Key_Left))
    check(lambda: window.layers.boxes["practices"].click())
    check(lambda: window.layers.boxes["localities"].click())
    check(lambda: qtbot.keyClick(canvas, Qt.Key_Up))  # the extent alone changes: every layer moves
    check(lambda: window.layers.boxes["practices"].click())
    choose_in_dialogs(monkeypatch, [f"({MOVE[0]})", MOVE[1]])
    check(window.what_if["practice"].trigger)  # the moved practice takes its new Care Community's colour
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Discard)  # the test closes unsaved
