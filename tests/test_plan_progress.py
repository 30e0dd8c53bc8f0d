"""Plan progress as a planner records it: write the template from the Strategic plan tab, fill in two
latest values (SYNTHETIC numbers made up by this test), import it, and see baseline, latest, target and
direction of travel in the tab and on the locality pack's overview page; a bad row is one line."""

from __future__ import annotations

import csv

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
