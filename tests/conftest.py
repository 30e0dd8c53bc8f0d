"""Shared fixtures. Tests run headless: Qt draws offscreen."""

from __future__ import annotations

import csv
import io
import os
from contextlib import contextmanager
from unittest.mock import patch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
BUNDLED_PACK = ROOT / "geodata" / "st_helens.gpkg"

needs_shared_data = pytest.mark.skipif(
    not (SHARED_DATA / "README.md").is_file(),
    reason="the official source data (../shared/data) is not beside this checkout",
)


@pytest.fixture(scope="session")
def pack():
    from sthc_desktop.core.datapack import DataPack
    return DataPack(BUNDLED_PACK)


@pytest.fixture(scope="session")
def planner(pack):
    from sthc_desktop.core.planner import Planner
    return Planner(pack)


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """Keep QSettings written by a test out of the user's real settings."""
    from PySide6.QtCore import QSettings
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    return tmp_path / "settings"


@pytest.fixture(autouse=True)
def no_unanswered_dialogs(monkeypatch):
    """A message box no test answers would wait forever offscreen: fail with its text instead.

    Tests that expect a message box replace the function themselves (their monkeypatch wins)."""
    from PySide6.QtWidgets import QMessageBox

    def unanswered(kind):
        def refuse(*args, **kwargs):
            text = next((a for a in args if isinstance(a, str)), "")
            raise AssertionError(f"unanswered {kind} message box: {text!r}")
        return refuse

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, unanswered(kind))


@pytest.fixture
def source_mirror(tmp_path):
    """A mirror of the official folder made of links, so one file can be swapped for a broken copy."""
    mirror = tmp_path / "data"
    for path in SHARED_DATA.rglob("*"):
        if path.is_file():
            target = mirror / path.relative_to(SHARED_DATA)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    return mirror


def swap_source(mirror, relative: str, data: bytes):
    """Replace one linked source of :func:`source_mirror` with ``data`` (a broken copy made by a test)."""
    target = mirror / relative
    target.unlink()
    target.write_bytes(data)
    return target


@pytest.fixture
def make_window(qtbot, isolated_settings):
    """Main windows as a user has them: each on a pack of its own (imports change a pack) unless given a
    planner, shown and active; all closed (without "Save changes?") after the test."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.ui import workspace_actions
    from sthc_desktop.ui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)  # autosave and logs go to a test folder
    made = []

    def make(planner=None, view=None, *, restore: bool = False):
        w = MainWindow(planner or Planner(DataPack(BUNDLED_PACK)), view, restore=restore)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)  # keys go to the active window
        return w
    yield make
    for w in made:
        w.model.set_modified(False)
        w.close()
        w.deleteLater()
    workspace_actions.clean_exit()
    QStandardPaths.setTestModeEnabled(False)


@pytest.fixture
def window(make_window):
    """One main window (see :func:`make_window`)."""
    return make_window()


def menu_action(window, menu_title: str, text: str):
    """The QAction under a menu-bar menu, by its text without the & markers."""
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu_title:
            for a in top.menu().actions():
                if a.text().replace("&", "") == text:
                    return a
    raise AssertionError(f"no {menu_title} ▸ {text}")


def synthetic_lsoa_import(pack, file_name: str, step: float, **spec):
    """An imported-data record made by a test: a value for every 2021 LSOA (``i * step``, synthetic)."""
    from datetime import date

    from sthc_desktop.core import imports, workspace

    rows = [["LSOA code", "Value"], *([code, i * step] for i, code in enumerate(sorted(pack.layer("lsoa21")["code"])))]
    table = imports.read_bytes(file_name, "".join(f"{a},{b}\r\n" for a, b in rows).encode())
    return workspace.ImportRecord.from_table(table, imports.detect(table, pack).with_(**spec), date(2025, 1, 31))


def write_csv(path, header, rows):
    """A CSV file written by a test (synthetic data, named as such by each caller)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@contextmanager
def measured_as_output(fig):
    """A renderer measuring ``fig``'s text as its output draws it (used inside this context): Agg for
    matplotlib's own face; for a page set in the PDF core font, the PDF backend's metrics at 72 dpi,
    the page drawn as its save draws it first. matplotlib reads a core-font glyph's box top as its
    height, so a line with an apostrophe would measure half a line too tall: here it measures as printed."""
    from matplotlib import _afm
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import PdfFile, RendererPdf

    from sthc_desktop.export.files import drawn_in_face
    from sthc_desktop.render.page import face_of

    if not face_of(fig).rc:
        FigureCanvasAgg(fig).draw()
        yield fig.canvas.get_renderer()
        return
    misread = _afm.AFM.get_str_bbox_and_descent

    def as_printed(self, s):
        left, bottom, width, _, descent = misread(self, s)
        boxes = [self._metrics_by_name.get(_afm.uni2type1.get(ord(c), ""), self._metrics_by_name["question"])[2]
                 for c in s if c != "\n"]
        top = max((box[3] for box in boxes), default=0)
        return left, bottom, width, top - bottom, descent

    with drawn_in_face(fig), patch.object(_afm.AFM, "get_str_bbox_and_descent", as_printed):
        fig.savefig(io.BytesIO(), format="pdf")
        fig.set_dpi(72)
        width, height = fig.get_size_inches() * 72
        yield RendererPdf(PdfFile(io.BytesIO()), 72, height, width)


def assert_page_text_fits(fig, at_least: int = 40):
    """Every text on a page figure (``at_least`` lines of it) stays on the sheet and overlaps no other
    text (> 0.5 px), measured as its output draws it."""
    with measured_as_output(fig) as renderer:
        boxes = [t.get_window_extent(renderer) for t in fig.texts if t.get_text().strip()]
    sheet = fig.bbox
    assert len(boxes) > at_least
    for b in boxes:
        assert b.x0 >= sheet.x0 and b.y0 >= sheet.y0 and b.x1 <= sheet.x1 and b.y1 <= sheet.y1
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5), (a, b)


def click_export(qtbot, dialog, timeout: int = 120_000):
    """Click the Export dialog's Export button, as a user does, and wait until its worker has finished."""
    from PySide6.QtCore import Qt
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=timeout)
