"""Presentation mode from its key, as a meeting would use it: full screen with the map only (no side
panels, toolbar, menus or status bar), larger type, Page Down through the localities, Ctrl+Page Down
through the indicators, Escape back to the window as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sthc_desktop.core.view import MapView


def test_present_step_through_and_leave(make_window, planner, qtbot):
    w = make_window(planner, MapView())
    size = QApplication.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key_F11)
    assert w.presentation.active and w.windowState() & Qt.WindowFullScreen
    assert not any(d.isVisible() for d in w.map_docks)
    assert not w.statusBar().isVisible() and not w.menuBar().isVisible() and not w.navigate.isVisible()
    assert QApplication.font().pointSizeF() > size
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.zoom_box.currentText() == "Central" and w.model.view.extent == planner.locality_bounds("Central")
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.zoom_box.currentText() == "Newton & Haydock"
    first = w.model.view.indicator_id
    qtbot.keyClick(w, Qt.Key_PageDown, Qt.ControlModifier)
    assert w.model.view.indicator_id != first
    qtbot.keyClick(w, Qt.Key_Escape)
    assert not w.presentation.active and not w.windowState() & Qt.WindowFullScreen
    assert all(d.isVisible() for d in w.map_docks) and w.statusBar().isVisible()
    assert QApplication.font().pointSizeF() == size
