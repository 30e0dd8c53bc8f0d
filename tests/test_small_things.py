"""Small things a planner trips over: the pack's "Newton & Haydock" tick box, Tab out of the legend,
Escape to clear a search, a search forgiving of punctuation and case, a theme's name finding its
indicators, and "Zoom to" naming what the map shows (a locality zoomed to, a search hit, a reopened workspace)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog

from sthc_desktop.ui import export_dialog


def test_pack_tick_box_reads_newton_and_haydock(window, qtbot, monkeypatch):
    w = window
    seen = []
    monkeypatch.setattr(export_dialog.ExportDialog, "exec",
                        lambda d: seen.extend(b.text() for b in d.findChildren(QCheckBox)) or QDialog.Rejected)
    qtbot.keyClick(w, Qt.Key_E, Qt.ControlModifier)
    # "&&" is how Qt writes a shown "&"; a lone "&" would underline the next letter instead.
    assert "Newton && Haydock" in seen


def test_tab_leaves_the_legend_table(window, qtbot):
    w = window
    table = w.legend.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentRow() == 0 and table.currentColumn() == 0


def test_escape_clears_the_search_boxes(window, qtbot):
    w = window
    for box in (w.search, w.picker.search):
        box.setFocus()
        qtbot.keyClicks(box, "obesity")
        assert box.text() == "obesity"
        qtbot.keyClick(box, Qt.Key_Escape)
        assert box.text() == ""


@pytest.mark.parametrize("typed", ["St Helens 014D", "st. helens 014d.", "ST HELENS 014D"])
def test_search_forgives_punctuation_and_case(window, qtbot, typed):
    w = window
    w.search.setFocus()
    qtbot.keyClicks(w.search, typed)
    qtbot.keyClick(w.search, Qt.Key_Return)
    assert w.model.selection is not None and w.model.selection["name"] == "St. Helens 014D"


def test_searching_a_theme_shows_its_indicators(window, qtbot):
    w = window
    qtbot.keyClicks(w.picker.search, "admission")
    shown = []

    def walk(node):
        for j in range(node.childCount()):
            child = node.child(j)
            if not child.isHidden():
                if child.data(0, Qt.UserRole):
                    shown.append(child.data(0, Qt.UserRole))
                walk(child)
    walk(w.picker.tree.invisibleRootItem())
    assert "ae_attendances_0_4" in shown  # "A&E age 0-4" sits under Admissions
    assert "qof_obesity" not in shown


def test_reopened_workspace_names_its_zoom(make_window, tmp_path):
    w = make_window()
    w.zoom_to("South")
    assert w.save_to(tmp_path / "south.sthc")
    other = make_window()
    assert other.zoom_box.currentText() == "Whole borough"
    assert other.open_workspace(tmp_path / "south.sthc")
    assert other.zoom_box.currentText() == "South"
    other.model.update(extent=(349000.0, 393000.0, 355000.0, 399000.0))  # panned across localities: no name
    assert other.zoom_box.currentText() == ""


def test_a_search_hit_names_the_locality_the_map_shows_and_a_reopened_workspace_says_the_same(make_window, qtbot,
                                                                                                 tmp_path):
    w = make_window()
    qtbot.keyClicks(w.search, "Billinge Surgery")
    qtbot.keyClick(w.search, Qt.Key_Return)
    practices = w.model.planner.pack.practices
    locality = practices.loc[practices["name"].str.contains("Billinge", na=False), "network"].iloc[0]
    assert w.model.view.extent is not None and w.zoom_box.currentText() == locality == "North"
    assert w.save_to(tmp_path / "billinge.sthc")
    other = make_window()
    assert other.open_workspace(tmp_path / "billinge.sthc")
    assert other.model.view.extent == w.model.view.extent and other.zoom_box.currentText() == "North"
