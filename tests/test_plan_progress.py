"""Plan progress as a planner records it: write the template from the Strategic plan tab, fill in two
latest values (SYNTHETIC numbers made up by this test), import it, and see baseline, latest, target and
direction of travel in the tab and on the locality pack's overview page; a bad row is one line."""

from __future__ import annotations

import csv
import json

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sthc_desktop.export import export_pack


@pytest.fixture
def window(window):
    """The main window on the Compare tab's Strategic plan panel."""
    w = window
    w.tabs.setCurrentWidget(w.comparison)
    w.comparison.tabs.setCurrentIndex([w.comparison.tabs.tabText(i) for i in range(w.comparison.tabs.count())]
                                      .index("Strategic plan"))
    return w


def test_template_filled_in_and_imported_shows_progress(window, qtbot, monkeypatch, tmp_path):
    view = window.comparison
    path = tmp_path / "progress.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    qtbot.mouseClick(view.template_button, Qt.LeftButton)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == len(window.model.planner.pack.key_measures) and rows[1]["measure"] == "Suicide rate"
    # SYNTHETIC latest values: the suicide rate down from its 13.9 baseline, alcohol admissions up.
    rows[1].update(latest_value="12.0", latest_period="2030 (synthetic)")
    rows[3].update(latest_value="1,200", latest_period="2030 (synthetic)")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    qtbot.mouseClick(view.progress_button, Qt.LeftButton)
    table = view.plan
    cells = {table.item(r, 1).text(): [table.item(r, c).text() for c in range(table.columnCount())]
             for r in range(table.rowCount())}
    assert cells["Suicide rate"][5].startswith("12 per 100,000 (2030 (synthetic)")  # written as the pack writes it
    assert cells["Suicide rate"][6] == "towards the target"
    assert cells["Alcohol-related hospital admissions"][6] == "away from the target"

    out = export_pack(window.model.planner, tmp_path / "pack.pdf", localities=["North"])
    overview = " ".join(PdfReader(out).pages[1].extract_text().split())
    assert "Latest St Helens value" in overview and "towards the target" in overview
    assert "12 per 100,000 (2030 (synthetic))" in overview


def test_a_bad_latest_value_is_one_line(window, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("indicator_id,latest_value,latest_period\nplan_suicide_rate,twelve,2030\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    qtbot.mouseClick(window.comparison.progress_button, Qt.LeftButton)
    assert len(shown) == 1 and "bad.csv" in shown[0] and "row 2" in shown[0] and "twelve" in shown[0]
    assert window.model.planner.pack.plan_progress == {}


def test_imported_progress_is_saved_in_the_workspace_and_comes_back(window, make_window, qtbot, monkeypatch, tmp_path):
    from conftest import menu_action

    progress = tmp_path / "progress.csv"
    progress.write_text("indicator_id,latest_value,latest_period\nplan_suicide_rate,12.0,2030 (synthetic)\n",
                        encoding="utf-8")  # a SYNTHETIC latest value
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(progress), "")))
    qtbot.mouseClick(window.comparison.progress_button, Qt.LeftButton)
    assert window.windowTitle().startswith("Untitled *")
    saved = tmp_path / "plan.sthc"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), "")))
    menu_action(window, "File", "Save workspace as…").trigger()
    assert json.loads(saved.read_text(encoding="utf-8"))["plan_progress"] == {
        "plan_suicide_rate": {"value": 12.0, "period": "2030 (synthetic)", "source": "progress.csv"}}
    assert window.windowTitle().startswith("plan.sthc —")

    other = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(saved), "")))
    menu_action(other, "File", "Open workspace…").trigger()
    other.tabs.setCurrentWidget(other.comparison)
    cells = {r[1]: r for r in other.comparison.plan_rows()}
    assert cells["Suicide rate"][5].startswith("12 per 100,000 (2030 (synthetic)")
    assert other.windowTitle().startswith("plan.sthc —")
