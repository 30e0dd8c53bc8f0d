"""The Import data dialog and the workspace File actions, driven as a user would (synthetic files)."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt

from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.ui import workspace_actions
from sthc_desktop.ui.import_dialog import ImportDialog
from sthc_desktop.ui.panels import IndicatorPicker
from sthc_desktop.ui.document import Document

from conftest import BUNDLED_PACK, write_csv


@pytest.fixture
def model():
    return Document(Planner(DataPack(BUNDLED_PACK)), MapView())


def lsoa_file(tmp_path, model, value=lambda i: str(i + 1)):
    codes = sorted(model.planner.pack.layer("lsoa21")["code"])
    return write_csv(tmp_path / "synthetic_dialog.csv", ["Note", "Area code", "Obesity %"],
                     [("synthetic", c, value(i)) for i, c in enumerate(codes)]), codes


def problem_rows(dlg):
    t = dlg.problems
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]


def test_detect_name_import_and_the_picker_shows_it(qtbot, tmp_path, model, isolated_settings):
    picker = IndicatorPicker(model)
    qtbot.addWidget(picker)
    path, codes = lsoa_file(tmp_path, model)
    dlg = ImportDialog(model.planner.pack, path)
    qtbot.addWidget(dlg)
    assert dlg.level.currentText() == "LSOA 2021"
    assert dlg.combos["code_column"].currentText() == "Area code"
    assert dlg.combos["value_column"].currentText() == "Obesity %"
    assert not dlg.import_button.isEnabled()  # no name or period yet
    dlg.name.clear()
    qtbot.keyClicks(dlg.name, "Synthetic dialog obesity")
    qtbot.keyClicks(dlg.unit, "%")
    dlg.polarity.setCurrentText("higher is worse")
    assert not dlg.import_button.isEnabled()
    qtbot.keyClicks(dlg.period, "2023/24")
    assert dlg.import_button.isEnabled()
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)

    new_id = dlg.imported.meta.id
    assert dlg.result() == ImportDialog.Accepted
    assert new_id not in set(model.planner.pack.catalogue["id"])  # the dialog changes nothing itself
    model.add_import(dlg.record, dlg.imported)  # as File ▸ Import does with what the dialog built
    meta = model.planner.pack.indicator(new_id)
    assert (meta.name, meta.unit, meta.polarity, meta.period, meta.theme) == \
        ("Synthetic dialog obesity", "%", "higher is worse", "2023/24", "Imported")
    item = picker.item_for(new_id)
    assert item is not None and item.parent().text(0) == "Imported"
    assert model.view.indicator_id == new_id
    assert model.planner.layer_for(model.view).row(codes[9])["value"] == 10
    assert dlg.record.sha256 == dlg.table.sha256 and dlg.record.spec.name == "Synthetic dialog obesity"

    # the work survives Save and Open into a fresh app session
    saved = workspace_actions.save_workspace(model, tmp_path / "plan")
    assert saved.name == "plan.sthc" and workspace_actions.recent_files() == [str(saved.resolve())]
    fresh = Document(Planner(DataPack(BUNDLED_PACK)), MapView())
    assert workspace_actions.open_workspace(fresh, saved) == []
    assert fresh.view == model.view and len(fresh.imports) == 1
    assert fresh.planner.layer_for(fresh.view).row(codes[9])["value"] == 10


def test_problems_update_live_and_block_import(qtbot, tmp_path, model):
    path, codes = lsoa_file(tmp_path, model, value=lambda i: "lots" if i == 3 else str(i))
    dlg = ImportDialog(model.planner.pack, path)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.name, "x")
    qtbot.keyClicks(dlg.period, "2024")
    assert ("5", "Obesity %", "not a number: 'lots'") in problem_rows(dlg)
    assert not dlg.import_button.isEnabled()
    assert dlg.summary.text().startswith("Cannot be imported: 1 problems")
    dlg.combos["value_column"].setCurrentText("Note")  # a column of text: every row is now a problem
    assert len([r for r in problem_rows(dlg) if r[2] == "not a number: 'synthetic'"]) == len(codes)
    dlg.level.setCurrentIndex(dlg.level.findData("msoa"))
    dlg.level.activated.emit(dlg.level.currentIndex())
    assert any("wrong level" in r[2] and r[1] == "Area code" for r in problem_rows(dlg))


def test_patient_data_is_refused_in_the_dialog(qtbot, tmp_path, model):
    path = write_csv(tmp_path / "synthetic_dob.csv", ["Area code", "Date of birth"], [("E01006802", "01/02/1960")])
    dlg = ImportDialog(model.planner.pack, path)
    qtbot.addWidget(dlg)
    rows = problem_rows(dlg)
    assert rows[0][1] == "Date of birth" and "looks like dates of birth" in rows[0][2]
    assert "aggregated data" in dlg.summary.text()
    assert not dlg.import_button.isEnabled()


def test_cancel_leaves_the_catalogue_alone(qtbot, tmp_path, model):
    before = len(model.planner.pack.catalogue)
    path, _ = lsoa_file(tmp_path, model)
    dlg = ImportDialog(model.planner.pack, path)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.period, "2024")
    dlg.buttons.button(dlg.buttons.StandardButton.Cancel).click()
    assert dlg.result() == ImportDialog.Rejected and len(model.planner.pack.catalogue) == before
