"""The Export dialog, driven as a user would: choose, click Export, then check the file."""

from __future__ import annotations

import errno
import time

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton
from pypdf import PdfReader

from conftest import click_export
from sthc_desktop.core import files as core_files
from sthc_desktop.export import files
from sthc_desktop.ui.export_dialog import ExportDialog
from sthc_desktop.ui.document import Document
from sthc_desktop.core.view import MapView


@pytest.fixture
def dialog(qtbot, planner):
    model = Document(planner, MapView(indicator_id="qof_obesity"))
    dlg = ExportDialog(model)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def choose(combo, text):
    combo.setCurrentIndex(combo.findText(text))


def test_png_uses_the_chosen_dpi_and_the_preview_shows_the_page(dialog, qtbot, tmp_path):
    assert not dialog.dpi.isEnabled()
    choose(dialog.format, "PNG")
    assert dialog.dpi.isEnabled() and dialog.out.text().endswith(".png")
    assert not dialog.preview.pixmap().isNull()
    choose(dialog.paper, "A4")
    dialog.dpi.setValue(100)
    dialog.out.setText(str(tmp_path / "map.png"))
    click_export(qtbot, dialog)
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
    click_export(qtbot, dialog)
    w, h = Image.open(tmp_path / "low.png").size
    assert abs(w - 8.27 * files.MIN_DPI) <= 2 and abs(h - 11.69 * files.MIN_DPI) <= 2


def test_open_the_file_opens_what_was_written(dialog, qtbot, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.out.setText(str(tmp_path / "map.svg"))
    choose(dialog.format, "SVG")
    click_export(qtbot, dialog)
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    assert opened == [str(tmp_path / "map.svg")]


def test_read_only_folder_shows_the_error_and_the_dialog_stays_open(dialog, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))

    def refuse(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(core_files.os, "open", refuse)  # as a read-only folder refuses a new file
    dialog.out.setText(str(tmp_path / "map.pdf"))
    click_export(qtbot, dialog)
    assert len(shown) == 1 and "map.pdf" in shown[0] and "read-only" in shown[0] and "\n" not in shown[0]
    assert dialog.isVisible() and not dialog.open_button.isEnabled()
    assert list(tmp_path.iterdir()) == []


def test_pack_tab_offers_localities_and_cancel_stops_the_worker_leaving_no_file(dialog, qtbot, tmp_path):
    dialog.tabs.setCurrentIndex(1)
    assert dialog.out.text().endswith(".pdf") and not dialog.dpi.isEnabled()
    dialog.locality_boxes["Central"].setChecked(False)
    assert dialog.localities() == ["Newton & Haydock", "North", "South"]
    assert dialog.indicators.findText("Obesity") >= 0 and dialog.indicators.findText("Deprivation") < 0
    dialog.out.setText(str(tmp_path / "pack.pdf"))
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert dialog.progress.isVisible() and not dialog.export_button.isEnabled() and not dialog.tabs.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=60_000)  # the cover is written
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)
    assert "cancelled" in dialog.status.text() and dialog.written is None
    assert dialog.progress.value() < dialog.progress.maximum()
    assert list(tmp_path.iterdir()) == []  # neither the pack nor its temporary file
    assert dialog.export_button.isEnabled() and not dialog.progress.isVisible()


def test_progress_reaches_the_last_page_while_the_window_stays_live(dialog, qtbot, tmp_path):
    dialog.tabs.setCurrentIndex(1)
    for name in ("Central", "Newton & Haydock", "South"):
        dialog.locality_boxes[name].setChecked(False)
    choose(dialog.indicators, "Obesity")
    steps, ticks = [], []
    dialog.progress.valueChanged.connect(lambda v: steps.append((v, dialog.progress.maximum())))
    timer = QTimer(dialog, interval=20)
    # the GUI thread's event loop: when it ran, and what the bar showed
    timer.timeout.connect(lambda: ticks.append((time.monotonic(), dialog.progress.value())))
    timer.start()
    dialog.out.setText(str(tmp_path / "north.pdf"))
    click_export(qtbot, dialog)
    timer.stop()
    assert dialog.written == tmp_path / "north.pdf" and dialog.status.text().startswith("Saved")
    assert [v for v, _ in steps if v > 0] == list(range(1, 8)) and steps[-1] == (7, 7)  # one step a page
    assert len(PdfReader(dialog.written).pages) == 7
    # The timer kept firing while pages were written on the worker, between pages as well as at the
    # ends: the window never froze (a pack written on the GUI thread leaves gaps of a page or more).
    assert len({value for _, value in ticks} & set(range(1, 7))) >= 3
    gaps = [later - earlier for (earlier, _), (later, _) in zip(ticks, ticks[1:])]
    assert len(ticks) > 10 and max(gaps) < 1.0, max(gaps)


@pytest.mark.parametrize("change, problem", [
    ({"period": "1999"}, "unknown period '1999' of indicator 'qof_obesity'"),
    ({"scheme": "Jenks"}, "unknown scheme 'Jenks'"),
    ({"focus": "Sowth"}, "unknown focus 'Sowth'"),
    ({"indicator_id": "no_such_thing"}, "unknown indicator 'no_such_thing'"),
])
def test_a_view_the_request_check_refuses_is_one_line_and_no_file(dialog, qtbot, tmp_path, monkeypatch,
                                                                    change, problem):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    dialog.model.update(**change)
    dialog.out.setText(str(tmp_path / "map.pdf"))
    click_export(qtbot, dialog)
    assert len(shown) == 1 and problem in shown[0] and "\n" not in shown[0]
    assert dialog.written is None and list(tmp_path.iterdir()) == []


def test_a_pack_of_no_localities_is_refused_in_one_line(dialog, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    dialog.tabs.setCurrentIndex(1)
    for box in dialog.locality_boxes.values():
        box.setChecked(False)
    assert dialog.preview.text() == "Choose at least one locality."
    dialog.out.setText(str(tmp_path / "pack.pdf"))
    click_export(qtbot, dialog)
    assert shown == [f"{tmp_path / 'pack.pdf'}: no localities chosen for the pack"]
    assert list(tmp_path.iterdir()) == []


def test_closing_the_dialog_mid_export_stops_the_worker_and_leaves_no_file(dialog, qtbot, tmp_path):
    dialog.tabs.setCurrentIndex(1)
    dialog.out.setText(str(tmp_path / "pack.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=60_000)
    close = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Close")
    qtbot.mouseClick(close, Qt.LeftButton)
    assert not dialog.isVisible() and dialog.job is None  # the worker stopped at its next page
    assert list(tmp_path.iterdir()) == []
