"""Every File-menu item, Help item and toolbar shortcut as a user fires it: through the QAction
(a menu click) and through its shortcut key on the main window. Dialogs are answered by
standing in for the file chooser and the message boxes; each check looks at what came out."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from conftest import click_export, menu_action as action, write_csv
from sthc_desktop.ui import export_dialog, import_dialog, sources_dialog

HOW = ("menu", "key")






def fire(qtbot, window, act, how: str) -> None:
    """Click the menu item, or press its shortcut on the main window."""
    if how == "menu":
        act.trigger()
        return
    combo = act.shortcut()[0]
    assert not act.shortcut().isEmpty(), act.text()
    qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())


def answer_open(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def answer_save(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


def synthetic_file(tmp_path, pack):
    codes = sorted(pack.layer("lsoa21")["code"])
    return write_csv(tmp_path / "synthetic_values.csv", ["Area code", "Synthetic value"],
                     [(c, str(i + 1)) for i, c in enumerate(codes)])


@pytest.mark.parametrize("how", HOW)
def test_import_indicator_data(window, qtbot, monkeypatch, tmp_path, how):
    path = synthetic_file(tmp_path, window.model.planner.pack)
    answer_open(monkeypatch, path)

    def use_the_dialog(dialog):  # Choose file… (the chooser answers), name it, click Import
        browse = next(b for b in dialog.findChildren(import_dialog.QPushButton) if b.text() == "Choose file…")
        qtbot.mouseClick(browse, Qt.LeftButton)
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "Synthetic menu test")
        qtbot.keyClicks(dialog.period, "2024")
        qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
        return dialog.result()
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", use_the_dialog)
    fire(qtbot, window, action(window, "File", "Import indicator data…"), how)
    assert [r.spec.name for r in window.model.imports] == ["Synthetic menu test"]
    meta = window.model.planner.pack.indicator(window.model.view.indicator_id)
    assert meta.name == "Synthetic menu test" and meta.theme == "Imported"


@pytest.mark.parametrize("how", HOW)
def test_save_save_as_and_open_workspace(window, qtbot, monkeypatch, tmp_path, how):
    window.model.set_indicator("qof_obesity")
    answer_save(monkeypatch, tmp_path / "plan")
    fire(qtbot, window, action(window, "File", "Save workspace"), how)  # untitled: Save asks where
    saved = tmp_path / "plan.sthc"
    assert json.loads(saved.read_text())["view"]["indicator_id"] == "qof_obesity"

    window.model.set_indicator("census21_disabled")
    fire(qtbot, window, action(window, "File", "Save workspace"), how)  # now Save writes in place
    assert json.loads(saved.read_text())["view"]["indicator_id"] == "census21_disabled"

    answer_save(monkeypatch, tmp_path / "copy.sthc")
    fire(qtbot, window, action(window, "File", "Save workspace as…"), how)
    assert json.loads((tmp_path / "copy.sthc").read_text())["view"]["indicator_id"] == "census21_disabled"

    window.model.set_indicator("qof_obesity")
    answer_open(monkeypatch, saved)
    fire(qtbot, window, action(window, "File", "Open workspace…"), how)
    assert window.model.view.indicator_id == "census21_disabled"
    assert window.windowTitle().startswith("plan.sthc")


def test_open_recent_reopens_a_saved_workspace(window, qtbot, tmp_path):
    window.model.set_indicator("census21_disabled")
    assert window.save_to(tmp_path / "recent.sthc")
    window.model.set_indicator("qof_obesity")
    menu = action(window, "File", "Open recent").menu()
    menu.aboutToShow.emit()
    entry = next(a for a in menu.actions() if a.text().endswith("recent.sthc"))
    entry.trigger()
    assert window.model.view.indicator_id == "census21_disabled"


@pytest.mark.parametrize("how", HOW)
def test_use_a_locality_lookup(window, qtbot, tmp_path, monkeypatch, how):
    lsoa = window.model.planner.pack.layer("lsoa21")
    rows = [(c, "North" if loc == "North" else "South") for c, loc in zip(lsoa["code"], lsoa["locality"])]
    answer_open(monkeypatch, write_csv(tmp_path / "synthetic_lookup.csv", ["lsoa21cd", "locality"], rows))
    fire(qtbot, window, action(window, "File", "Use a locality lookup (LSOA → locality)…"), how)
    assert set(window.model.planner.localities["lsoa21"]) == {"North", "South"}
    assert "lookup" in window.method_label.text()


@pytest.mark.parametrize("how", HOW)
def test_export_briefing_map(window, qtbot, monkeypatch, tmp_path, how):
    out = tmp_path / "north.pdf"
    answer_save(monkeypatch, out)
    window.zoom_to("North")

    def use_the_dialog(dialog):  # Browse… (the chooser answers), Export
        browse = next(b for b in dialog.findChildren(export_dialog.QPushButton) if b.text() == "Browse…")
        dialog.format.setCurrentText("PDF")
        qtbot.mouseClick(browse, Qt.LeftButton)
        click_export(qtbot, dialog)
        assert dialog.status.text().startswith("Saved"), dialog.status.text()
        return 1
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", use_the_dialog)
    fire(qtbot, window, action(window, "File", "Export briefing map or locality pack…"), how)
    text = PdfReader(tmp_path / "north.pdf").pages[0].extract_text()
    assert "Index of Multiple Deprivation" in text


@pytest.mark.parametrize("how", HOW)
def test_data_sources_lists_every_dataset(window, qtbot, monkeypatch, how):
    shown = []
    monkeypatch.setattr(sources_dialog.SourcesDialog, "exec", lambda box: shown.append(box.text.toPlainText()) or 0)
    fire(qtbot, window, action(window, "Help", "Data sources and licences"), how)
    assert len(shown) == 1
    for dataset in window.model.planner.pack.datasets.values():
        assert dataset.name in shown[0]


@pytest.mark.parametrize("how", HOW)
def test_whole_borough_toolbar_button(window, qtbot, how):
    window.zoom_to("South")
    zoomed = window.model.view.extent
    home = next(a for a in window.navigate.actions() if a.text() == "Whole borough")
    fire(qtbot, window, home, how)
    assert window.zoom_box.currentText() == "Whole borough" and window.model.view.extent != zoomed


@pytest.mark.parametrize("how", HOW)
def test_quit_asks_to_save_and_closes(window, qtbot, monkeypatch, tmp_path, how):
    window.model.set_indicator("qof_obesity")
    assert window.save_to(tmp_path / "quit.sthc")
    window.model.set_indicator("census21_disabled")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Save)
    fire(qtbot, window, action(window, "File", "Quit"), how)
    assert asked and not window.isVisible()
    assert json.loads((tmp_path / "quit.sthc").read_text())["view"]["indicator_id"] == "census21_disabled"


def test_every_file_menu_item_has_a_shortcut_and_a_test_above(window):
    """A new File-menu item needs a shortcut and a test here; this list is what the tests above fire."""
    covered = {"Open workspace…", "Open recent", "Save workspace", "Save workspace as…", "Import indicator data…",
               "Use a locality lookup (LSOA → locality)…", "Export briefing map or locality pack…", "Quit"}
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    items = [a for a in file_menu.actions() if not a.isSeparator()]
    assert {a.text().replace("&", "") for a in items} == covered
    assert all(not a.shortcut().isEmpty() for a in items if a.menu() is None)
