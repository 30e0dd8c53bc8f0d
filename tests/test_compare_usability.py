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
    assert window.tabs.currentWidget() is view and view.indicator_rows()
    assert table.selectedItems() == []
    key = view.colour_key.text()
    assert view.colour_key.isVisible() and "compared with England" in key
    rows = [table.topLevelItem(0).child(j) for j in range(table.topLevelItem(0).childCount())]
    worse = [(row, c) for row in rows for c in range(table.columnCount())
             if row.background(c).color().name() == charts.COMPARISON_COLOURS["worse"]]
    assert worse and "worse" in key and charts.COMPARISON_COLOURS["worse"] in key
    row, column = worse[0]
    cell = table.visualRect(table.indexFromItem(row, column))
    assert table.viewport().rect().contains(cell)  # on screen, not behind a scroll bar
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=cell.center())
    assert table.selectedItems() == []  # the clicked cell keeps its colour
    assert table.currentItem() is row and row.background(column).color().name() == charts.COMPARISON_COLOURS["worse"]


def test_comparing_a_theme_shows_the_busy_cursor(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(busy.QApplication, "setOverrideCursor", lambda cursor: shown.append(cursor))
    monkeypatch.setattr(busy.QApplication, "restoreOverrideCursor", lambda: shown.append("restored"))
    combo = window.comparison.selection
    combo.setCurrentIndex(combo.findData("Deprivation"))
    assert shown == [Qt.WaitCursor, "restored"]
    assert len(window.comparison.indicator_rows()) > 10
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


def test_deprivation_rows_are_grouped_fold_away_and_england_stays_in_view(window, qtbot):
    window.resize(1366, 768)  # a 1366x768 screen, the window filling it
    view = window.comparison
    view.selection.setCurrentIndex(view.selection.findData("Deprivation"))
    qtbot.wait(20)
    table = view.table
    groups = [table.topLevelItem(i) for i in range(table.topLevelItemCount())]
    assert len(groups) >= 2 and sum(g.childCount() for g in groups) == len(view.indicator_rows()) > 30
    assert [g.text(0) for g in groups][1:] == ["English Indices of Deprivation 2019 (20)",
                                               "English Indices of Deprivation 2025 (31)"]
    assert groups[0].isExpanded() and not groups[-1].isExpanded()  # a long theme opens on its first group
    shown = len(view.shown_rows())
    table.setFocus()
    table.setCurrentItem(groups[-1])
    qtbot.keyClick(table, Qt.Key_Right)  # open the 2025 group
    assert len(view.shown_rows()) == shown + 31
    table.setCurrentItem(groups[0])
    qtbot.keyClick(table, Qt.Key_Left)  # fold the first away
    assert len(view.shown_rows()) == shown + 31 - groups[0].childCount()
    header = table.header()
    last = table.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0  # the England column is not behind a scroll bar
