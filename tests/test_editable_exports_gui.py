"""The File menu's Export item writes the workbook, slide deck and GeoPackage, with the same numbers as
the command line for the same request (the dialog driven through its widgets)."""

from __future__ import annotations

import openpyxl
import pyogrio
import pytest
from test_editable_exports import slide_tables
from conftest import click_export, menu_action as action

from sthc_desktop.cli import main
from sthc_desktop.ui import export_dialog


def export_through_the_menu(qtbot, window, monkeypatch, out, *, pack: bool, fmt: str):
    def use_the_dialog(dialog):
        dialog.tabs.setCurrentIndex(1 if pack else 0)
        if pack:
            for name, box in dialog.locality_boxes.items():
                box.setChecked(name == "North")
            dialog.pack_format.setCurrentText(fmt)
        else:
            dialog.format.setCurrentText(fmt)
            assert not dialog.paper.isEnabled() and not dialog.dpi.isEnabled()  # no page in a data file
        assert dialog.out.text().endswith("." + fmt.lower())
        dialog.out.setText(str(out))
        click_export(qtbot, dialog)
        return 1
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", use_the_dialog)
    action(window, "File", "Export briefing map or locality pack…").trigger()
    assert out.is_file()


def workbook_values(path):
    return {ws.title: [r for r in ws.iter_rows(values_only=True)] for ws in openpyxl.load_workbook(path)}


def assert_same_numbers(gui, cli, fmt: str) -> None:
    if fmt == "XLSX":
        assert workbook_values(gui) == workbook_values(cli)
    elif fmt == "PPTX":
        assert [s[1] for s in slide_tables(gui)] == [s[1] for s in slide_tables(cli)]
    else:
        for layer in ("lsoas", "practices"):
            a = pyogrio.read_dataframe(gui, layer=layer)
            b = pyogrio.read_dataframe(cli, layer=layer)
            assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
        assert "qof_obesity" in pyogrio.read_dataframe(gui, layer="practices")


@pytest.mark.parametrize("kind, fmt", [("pack", "XLSX"), ("pack", "PPTX"), ("map", "XLSX"), ("map", "GPKG")])
def test_the_menu_writes_what_the_command_line_writes(window, qtbot, monkeypatch, tmp_path, kind, fmt,
                                                      capsys):
    if kind == "map":
        window.model.update(indicator_id="qof_obesity")
    gui, cli = tmp_path / f"gui.{fmt.lower()}", tmp_path / f"cli.{fmt.lower()}"
    export_through_the_menu(qtbot, window, monkeypatch, gui, pack=kind == "pack", fmt=fmt)
    request = ["--localities", "North"] if kind == "pack" else ["--indicator", "qof_obesity"]
    assert main(["export", kind, *request, "--out", str(cli)]) == 0
    assert_same_numbers(gui, cli, fmt)
