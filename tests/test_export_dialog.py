"""The Export dialog, driven as a user would: choose, click Export, then check the file."""

from __future__ import annotations

import errno
import importlib.util

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog
from pypdf import PdfReader

from sthc_desktop.cli import main
from sthc_desktop.core import files as core_files
from sthc_desktop.export import files
from sthc_desktop.ui.export_dialog import ExportDialog
from sthc_desktop.ui.document import Document
from sthc_desktop.core.view import MapView

needs_comparison = pytest.mark.skipif(importlib.util.find_spec("sthc_desktop.core.comparison") is None,
                                      reason="the comparison engine (sthc_desktop.core.comparison) is not there yet")


def pdf_pages(path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


@pytest.fixture
def dialog(qtbot, planner):
    model = Document(planner, MapView(indicator_id="qof_obesity"))
    dlg = ExportDialog(model)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def choose(combo, text):
    combo.setCurrentIndex(combo.findText(text))


def test_map_export_writes_the_same_page_as_the_command_line(dialog, qtbot, planner, tmp_path):
    dialog.model.update(focus="South", extent=planner.locality_bounds("South"))
    choose(dialog.orientation, "landscape")
    choose(dialog.format, "PDF")
    dialog.out.setText(str(tmp_path / "gui.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert dialog.written == tmp_path / "gui.pdf" and dialog.open_button.isEnabled()
    cli = tmp_path / "cli.pdf"
    assert main(["export", "map", "--indicator", "qof_obesity", "--locality", "South", "--orientation",
                 "landscape", "--format", "pdf", "--out", str(cli)]) == 0
    assert pdf_pages(dialog.written) == pdf_pages(cli)
    assert "South · 2024-25" in pdf_pages(cli)[0]


def test_png_uses_the_chosen_dpi_and_the_preview_shows_the_page(dialog, qtbot, tmp_path):
    assert not dialog.dpi.isEnabled()
    choose(dialog.format, "PNG")
    assert dialog.dpi.isEnabled() and dialog.out.text().endswith(".png")
    assert not dialog.preview.pixmap().isNull()
    choose(dialog.paper, "A4")
    dialog.dpi.setValue(100)
    dialog.out.setText(str(tmp_path / "map.png"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    w, h = Image.open(tmp_path / "map.png").size
    assert abs(w - 827) <= 2 and abs(h - 1169) <= 2
    # The preview has the page's shape: portrait A4.
    pix = dialog.preview.pixmap()
    assert pix.height() / pix.width() == pytest.approx(11.69 / 8.27, rel=0.03)


def test_resolution_box_offers_the_engine_range_and_exports_at_its_edge(dialog, qtbot, tmp_path):
    choose(dialog.format, "PNG")
    dialog.dpi.selectAll()
    qtbot.keyClicks(dialog.dpi, str(files.MAX_DPI + 1))  # typed past the top: the box will not take it
    assert dialog.dpi.value() <= files.MAX_DPI
    dialog.dpi.setValue(files.MAX_DPI + 50)
    assert dialog.dpi.value() == files.MAX_DPI
    dialog.dpi.setValue(files.MIN_DPI - 20)
    assert dialog.dpi.value() == files.MIN_DPI  # the same range the command line accepts
    dialog.out.setText(str(tmp_path / "low.png"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    w, h = Image.open(tmp_path / "low.png").size
    assert abs(w - 8.27 * files.MIN_DPI) <= 2 and abs(h - 11.69 * files.MIN_DPI) <= 2


def test_open_the_file_opens_what_was_written(dialog, qtbot, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.out.setText(str(tmp_path / "map.svg"))
    choose(dialog.format, "SVG")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    assert opened == [str(tmp_path / "map.svg")]


def test_read_only_folder_shows_the_error_and_the_dialog_stays_open(dialog, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))

    def refuse(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(core_files.os, "open", refuse)  # as a read-only folder refuses a new file
    dialog.out.setText(str(tmp_path / "map.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert len(shown) == 1 and "map.pdf" in shown[0] and "read-only" in shown[0]
    assert dialog.isVisible() and not dialog.open_button.isEnabled()
    assert list(tmp_path.iterdir()) == []


def test_pack_tab_offers_localities_and_cancelling_writes_nothing(dialog, qtbot, tmp_path, monkeypatch):
    dialog.tabs.setCurrentIndex(1)
    assert dialog.out.text().endswith(".pdf") and not dialog.dpi.isEnabled()
    dialog.locality_boxes["Central"].setChecked(False)
    assert dialog.localities() == ["Newton & Haydock", "North", "South"]
    assert dialog.indicators.findText("Obesity") >= 0 and dialog.indicators.findText("Deprivation") < 0
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    dialog.out.setText(str(tmp_path / "pack.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "cancelled" in dialog.status.text() and dialog.written is None
    assert list(tmp_path.iterdir()) == []


@needs_comparison
def test_pack_export_writes_the_same_pages_as_the_command_line(dialog, qtbot, tmp_path):
    dialog.tabs.setCurrentIndex(1)
    for name in ("Central", "South"):
        dialog.locality_boxes[name].setChecked(False)
    choose(dialog.indicators, "Obesity")
    dialog.out.setText(str(tmp_path / "gui.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    cli = tmp_path / "cli.pdf"
    assert main(["export", "pack", "--localities", "Newton & Haydock", "North", "--indicators", "Obesity",
                 "--out", str(cli)]) == 0
    gui_pages, cli_pages = pdf_pages(tmp_path / "gui.pdf"), pdf_pages(cli)
    assert len(gui_pages) == len(cli_pages) == 8
    assert gui_pages == cli_pages
