"""Ctrl+C on a table puts the whole table, header first, on the clipboard as tab-separated text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from sthc_desktop.core.aggregate import AREAS
from sthc_desktop.core.clipboard import tab_separated
from sthc_desktop.core.comparison import compare, publishable
from sthc_desktop.ui.comparison_view import cell_label


def test_cells_with_tabs_breaks_and_formulas_are_made_safe_and_numbers_stay_numbers():
    text = tab_separated(["Area", "Value"], [["=cmd|' /C calc'!A0", "-3.2"], ["a\tb\nc", "1,278"], ["x", "15.9%"]])
    assert text.splitlines() == ["Area\tValue", "'=cmd|' /C calc'!A0\t-3.2", "a b c\t1,278", "x\t15.9%"]
    assert tab_separated(["-lead"], [["+1 (0.5–2)"]]).splitlines() == ["'-lead", "'+1 (0.5–2)"]


def test_ctrl_c_on_the_comparison_table_copies_it_with_its_header(window, qtbot):
    window.tabs.setCurrentWidget(window.comparison)
    view = window.comparison
    view.refresh()
    table = view.table
    table.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key_C, Qt.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == ["Indicator", *AREAS]
    groups = table.topLevelItemCount()
    assert len(lines) == 1 + groups + len(view.indicator_rows()) and groups >= 1
    assert lines[1].split("\t")[0] == table.topLevelItem(0).text(0)  # a group, then its rows
    rows = publishable(compare(view.model.planner, view.indicator_spec(), benchmark=view.benchmark.currentData()),
                       mark=None)
    first = rows[rows["indicator_id"] == view.indicator_rows()[0]].set_index("area")
    cells = lines[2].split("\t")
    assert cells[0].startswith(first["indicator_name"].iloc[0])
    for area in AREAS:
        if area in first.index and not first.loc[area, "suppressed"]:
            r = first.loc[area]
            assert cells[1 + AREAS.index(area)] == cell_label(r["value"], r["lower_ci"], r["upper_ci"], r["unit"])


def test_ctrl_c_on_the_strategic_plan_table_copies_it(window, qtbot):
    window.tabs.setCurrentWidget(window.comparison)
    window.comparison.refresh()
    plan = window.comparison.plan
    window.comparison.tabs.setCurrentWidget(plan.parentWidget())  # the tab: the table under its buttons
    plan.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(plan, Qt.Key_C, Qt.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].startswith("Priority\tMeasure\tBaseline") and len(lines) == plan.rowCount() + 1
