"""The window and its dialogs fit the screen: at 1366×768 and at 1920×1080 with 150% scaling (1280×720
device-independent pixels) the main window, each panel, the status bar and each dialog opened from
the menus lie inside the screen's available area; the window's size and panel layout come back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QDialog

from sthc_desktop.core.view import MapView
from sthc_desktop.ui import export_dialog, import_dialog, main_window, screen_fit, sources_dialog

#: Room a desktop's task bar or panel may take from the screen's height.
TASK_BAR = 48
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


# -- on screens of those sizes, as Qt reports them to the app (a virtual screen per run) ----------------
_LOOK = r"""
import json, sys
from PySide6.QtCore import QRect, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from sthc_desktop.ui.app import application
QStandardPaths.setTestModeEnabled(True)
app = application()
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.ui.main_window import MainWindow

def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]

def on_screen(widget):
    return rect(QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size()))

w = MainWindow(Planner(DataPack()), MapView(), restore=False)
w.show()
for _ in range(20):
    app.processEvents()
screen = app.primaryScreen()
seen = {"screen": rect(screen.availableGeometry()), "window": rect(w.frameGeometry()),
        "figure_dpi": {name: canvas.figure._original_dpi * canvas.devicePixelRatioF() for name, canvas in (
            ("map", w.canvas), ("comparison", w.comparison.bars_canvas), ("spine chart", w.comparison.spine.canvas))},
        "ratio": w.canvas.devicePixelRatioF(),
        "parts": {d.objectName(): on_screen(d) for d in w.map_docks},
        "widths": {d.objectName(): d.width() for d in w.map_docks}, "dialogs": {}, "shortest": {}}
seen["parts"].update({"status bar": on_screen(w.statusBar()), "search bar": on_screen(w.navigate),
                      "tabs": on_screen(w.tabs)})

def dialog(name, open_it):
    def look():
        d = QApplication.activeModalWidget()
        if d is None:
            QTimer.singleShot(50, look)
            return
        for _ in range(5):
            app.processEvents()
        seen["dialogs"][name] = rect(d.frameGeometry())
        seen["shortest"][name] = d.minimumSizeHint().height()
        if name == "Export":
            page = d.preview.pixmap()
            seen["preview"] = {"pixels": [page.width(), page.height()], "ratio": page.devicePixelRatio(),
                               "label": [d.preview.width(), d.preview.height()]}
        d.reject()
    QTimer.singleShot(50, look)
    open_it()

def by_key(key):
    return next(a for a in w.findChildren(type(w.what_if["practice"])) if a.shortcut().toString() == key).trigger

for name, key in (("Import data", "Ctrl+I"), ("Export", "Ctrl+E"), ("Data sources", "F1"),
                  ("Use a locality lookup", "Ctrl+L")):
    dialog(name, by_key(key))
dialog("What-if: move a practice", w.what_if["practice"].trigger)
dialog("What-if: a practice's catchment", w.what_if["catchment"].trigger)
w.tabs.setCurrentWidget(w.comparison)
for text in ("Write a progress template…", "Import latest values…"):
    button = next(b for b in w.comparison.findChildren(QPushButton) if b.text() == text)
    dialog("Plan progress: " + text, button.click)
print(json.dumps(seen))
w.model.set_modified(False)
"""


def look_on_screen(tmp_path, width, height, scale=1.0, dpi=96, **env) -> dict:
    """What the app shows on a virtual screen of ``width`` × ``height`` pixels at ``scale`` and ``dpi``."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT

    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "test", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": dpi, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": str(scale),
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), **env}
    result = subprocess.run([sys.executable, "-c", _LOOK], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("width, height, scale", [(1366, 768, 1.0), (1920, 1080, 1.5)],
                         ids=["1366x768", "1920x1080 at 150%"])
def test_on_real_screens_the_window_its_panels_and_every_dialog_lie_within_the_screen(tmp_path, width, height,
                                                                                      scale):
    seen = look_on_screen(tmp_path, width, height, scale)
    screen = QRect(*seen["screen"])
    assert screen.size().width() == round(width / scale) and screen.size().height() == round(height / scale)
    assert screen.contains(QRect(*seen["window"])), seen["window"]
    for name, r in seen["parts"].items():
        assert screen.contains(QRect(*r)), (name, r)
    assert min(seen["widths"].values()) >= 250, seen["widths"]  # side panels usable, not slivers
    assert set(seen["dialogs"]) == {"Import data", "Export", "Data sources", "Use a locality lookup",
                                    "What-if: move a practice", "What-if: a practice's catchment",
                                    "Plan progress: Write a progress template…",
                                    "Plan progress: Import latest values…"}
    for name, r in seen["dialogs"].items():
        assert screen.contains(QRect(*r)), (name, r)
        # and it can shrink to fit beside a task bar and under its title bar, scrolling what it holds
        assert seen["shortest"][name] <= screen.height() - TASK_BAR - screen_fit.FRAME_ALLOWANCE[1], name
    assert seen["ratio"] == scale  # the map is drawn at the screen's density, so its type stays sharp
    # So is the export preview: a page drawn at 1× and stretched to 150% would be blurred.
    preview = seen["preview"]
    assert preview["ratio"] == scale
    assert max(p / size for p, size in zip(preview["pixels"], preview["label"])) == pytest.approx(scale, abs=0.01)


@pytest.mark.parametrize("larger", [{"dpi": 144}, {"QT_FONT_DPI": "144"}], ids=["screen DPI", "font DPI"])
def test_map_and_chart_labels_and_markers_follow_the_screens_logical_dpi(tmp_path, larger):
    normal = look_on_screen(tmp_path, 1366, 768)["figure_dpi"]
    large = look_on_screen(tmp_path, 1366, 768, **larger)["figure_dpi"]
    # Labels and markers are sized in points, so each figure's dots per inch (times the screen's pixel
    # density, which Qt raises for a high-DPI screen) scales them all, as Qt scales the window's type.
    assert set(large) == {"map", "comparison", "spine chart"}
    for figure, dpi in large.items():
        assert dpi == pytest.approx(normal[figure] * 1.5), figure
