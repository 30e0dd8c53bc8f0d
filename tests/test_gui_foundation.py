"""The app opens on the committed pack: St Helens' 119 LSOAs drawn, practices numbered by map key."""

from __future__ import annotations




def test_window_opens_on_the_lsoa_map(window):
    coll, codes = window.canvas.map.areas["lsoa11"]
    assert coll.get_visible() and len(coll.get_paths()) == 119 and len(set(codes)) == 119
    assert not window.canvas.map.areas["lsoa21"][0].get_visible()
    # The headline map is the IMD 2019 national decile: one colour per decile present, none left unfilled.
    assert window.model.view.indicator_id == "iod19_imd_decile"
    faces = {tuple(round(c, 3) for c in f) for f in coll.get_facecolor()}
    present = window.model.planner.pack.indicator_values("iod19_imd_decile", "lsoa11")["value"].nunique()
    assert len(faces) == present >= 8


def test_practices_are_numbered_by_map_key(window):
    texts = [a.get_text() for a in window.canvas.map.practice_artists if hasattr(a, "get_text")]
    keys = sorted(int(t) for t in texts if t.isdigit())
    # All 33 map keys except 31, which has no ODS match and so no location.
    assert keys == [k for k in range(1, 34) if k != 31]
    assert "+" in texts  # N83008, in South PCN today but not on the plan's map


def test_status_bar_names_source_and_method(window):
    assert "Ministry of Housing, Communities and Local Government" in window.source_label.text()
    assert "IoD2019" in window.source_label.text() and "LSOA 2011" in window.source_label.text()
    assert "Indices of Deprivation 2019" in window.source_label.toolTip()
    assert "estimated registrations (best validated, IMD error 0.7 points)" in window.method_label.text()


def test_the_comparison_tab_is_made_when_first_clicked(window, qtbot):
    from PySide6.QtCore import Qt
    from sthc_desktop.ui.comparison_view import ComparisonView
    assert window.findChildren(ComparisonView) == []  # the window opened without it
    bar = window.tabs.tabBar()
    assert bar.tabText(1) == "Compare localities"
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(1).center())
    view = window.tabs.currentWidget()
    assert isinstance(view, ComparisonView) and window.findChildren(ComparisonView) == [view]
    assert window.tabs.currentIndex() == 1 and view.table.topLevelItemCount() > 0
    assert not any(dock.isVisible() for dock in window.map_docks)  # the comparison has the room
    assert not view.table.tabKeyNavigation() and not view.inequality.tabKeyNavigation()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(0).center())
    assert window.tabs.currentWidget() is window.canvas and all(dock.isVisible() for dock in window.map_docks)
    assert window.tabs.widget(1) is view


def test_qt_binding_keeps_its_references_to_none(qtbot):
    """PySide6 6.12.0 dropped a reference to None on every call returning nothing; on Python 3.11 a
    long session then aborts ("deallocating None"). The installed binding must not do that."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("St Helens")
        label.update()
    assert sys.getrefcount(None) >= before - 50  # other objects may release None meanwhile; not 1,000
