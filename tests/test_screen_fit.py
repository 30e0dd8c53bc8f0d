"""The window and its dialogs fit the screen: at 1366×768 and at 1920×1080 with 150% scaling (1280×720
device-independent pixels) the main window, each panel, the status bar and each dialog opened from
the menus lie inside the screen's available area; the window's size and panel layout come back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QDialog

from sthc_desktop.core.view import MapView
from sthc_desktop.ui import export_dialog, import_dialog, main_window, screen_fit, sources_dialog

SCREENS = {"1366x768": QRect(0, 0, 1366, 768), "1920x1080 at 150%": QRect(0, 0, 1280, 720)}


@pytest.fixture(params=list(SCREENS))
def screen(request, monkeypatch, isolated_settings):
    area = SCREENS[request.param]
    for module in (screen_fit, main_window):
        monkeypatch.setattr(module, "available_geometry", lambda _w=None: area)
    return area


@pytest.fixture
def open_window(make_window, planner, qtbot):
    def make(restore=False):
        w = make_window(planner, MapView(), restore=restore)
        qtbot.wait(20)  # the first-run panel sizes are set once the layout has run
        return w
    return make


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def test_window_panels_and_status_bar_lie_on_the_screen(open_window, screen):
    w = open_window()
    assert screen.contains(w.frameGeometry()), w.frameGeometry()
    docks = [d for d in w.map_docks if d.isVisible()]
    assert len(docks) == 4
    for part in [*docks, w.statusBar(), w.navigate, w.tabs]:
        assert screen.contains(global_rect(part)), (part.objectName(), global_rect(part))
    # The right-hand panels keep a usable width, not a sliver beside a wide map.
    assert min(d.width() for d in docks) >= 250
    w.close()


def test_dialogs_from_the_menus_fit(open_window, screen, monkeypatch):
    w = open_window()
    shown = {}

    def look(dialog):  # the dialog as it opens, then closed unanswered
        dialog.show()
        QApplication.processEvents()
        shown[type(dialog).__name__] = dialog.frameGeometry()
        dialog.reject()
        return QDialog.Rejected
    for cls in (sources_dialog.SourcesDialog, import_dialog.ImportDialog, export_dialog.ExportDialog):
        monkeypatch.setattr(cls, "exec", look)
    for key in ("F1", "Ctrl+I", "Ctrl+E"):
        act = next(a for a in w.findChildren(main_window.QAction) if a.shortcut().toString() == key)
        act.trigger()
    assert set(shown) == {"SourcesDialog", "ImportDialog", "ExportDialog"}
    for name, rect in shown.items():
        assert screen.contains(rect), (name, rect)
    w.close()


def test_size_and_panel_layout_are_remembered(open_window, screen):
    w = open_window(restore=True)
    w.resize(1150, 600)
    legend = next(d for d in w.map_docks if d.objectName() == "Legend")
    legend.hide()
    w.close()
    again = open_window(restore=True)
    # Qt fits a restored geometry to the real screen (the test platform's is small): the height, under
    # that screen's, comes back exactly; the default would have been the whole available height.
    assert again.height() == 600 and again.height() < screen.height() - screen_fit.FRAME_ALLOWANCE[1]
    assert not next(d for d in again.map_docks if d.objectName() == "Legend").isVisible()
    again.close()
