"""Compare localities as a planner uses it: a colour key under the table, no selection fill hiding a
cell's better/worse colour (on open or after a click), and a busy cursor while a theme is compared."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sthc_desktop.render import charts
from sthc_desktop.ui import busy


@pytest.fixture
def window(window, qtbot):
    """The main window on the Compare localities tab, clicked as a user does."""
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(1).center())
    return window


def test_colour_key_and_no_selection_over_a_colour(window, qtbot):
    view = window.comparison
    table = view.table
    assert window.tabs.currentWidget() is view and table.rowCount() >= 1
    assert table.selectedItems() == []
    key = view.colour_key.text()
    assert view.colour_key.isVisible() and "compared with England" in key
    worse = [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c).background().color().name() == charts.COMPARISON_COLOURS["worse"]]
    assert worse and "worse" in key and charts.COMPARISON_COLOURS["worse"] in key
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(worse[0]).center())
    assert table.selectedItems() == []  # the clicked cell keeps its colour
    assert table.currentItem() is worse[0]


def test_comparing_a_theme_shows_the_busy_cursor(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(busy.QApplication, "setOverrideCursor", lambda cursor: shown.append(cursor))
    monkeypatch.setattr(busy.QApplication, "restoreOverrideCursor", lambda: shown.append("restored"))
    combo = window.comparison.selection
    combo.setCurrentIndex(combo.findData("Deprivation"))
    assert shown == [Qt.WaitCursor, "restored"]
    assert window.comparison.table.rowCount() > 10
    assert QApplication.overrideCursor() is None


def test_switching_back_to_a_theme_reuses_its_comparison_until_the_planner_changes(window, monkeypatch):
    from sthc_desktop.ui import comparison_view
    calls = []
    real = comparison_view.compare
    monkeypatch.setattr(comparison_view, "compare", lambda *a, **k: calls.append(1) or real(*a, **k))
    combo = window.comparison.selection
    for theme in ("Deprivation", "Obesity", "Deprivation", "Obesity"):
        combo.setCurrentIndex(combo.findData(theme))
    assert len(calls) == 1  # Deprivation once (Obesity was compared on opening)
    window.model.set_assignment(None)  # the localities chosen again: compared afresh
    assert len(calls) == 2
