"""Presentation mode for meetings: full screen, the map and the comparison only (no side panels,
toolbar or status bar), larger type, and keys to step through the localities (Page Down / Page Up)
and the indicators (Ctrl+Page Down / Ctrl+Page Up); F11 or Escape returns to the normal window."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from sthc_desktop.core.localities import NETWORKS

from .panels import ID_ROLE

#: How much larger the window's type is while presenting.
FONT_SCALE = 1.35


class Presentation:
    def __init__(self, window, menu):
        self.window = window
        self.active = False
        self._before: dict = {}
        self.toggle_action = self._action(menu, "&Presentation mode", self.toggle, "F11", always=True)
        self.steps = [self._action(None, "Next locality", lambda: self.step_locality(1), "PgDown"),
                      self._action(None, "Previous locality", lambda: self.step_locality(-1), "PgUp"),
                      self._action(None, "Next indicator", lambda: self.step_indicator(1), "Ctrl+PgDown"),
                      self._action(None, "Previous indicator", lambda: self.step_indicator(-1), "Ctrl+PgUp"),
                      self._action(None, "Leave presentation", self.toggle, "Esc")]

    def _action(self, menu, text, slot, key, always=False) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False: slot())
        action.setEnabled(always)
        (menu.addAction(action) if menu is not None else self.window.addAction(action))
        return action

    def toggle(self) -> None:
        (self.leave if self.active else self.enter)()

    def enter(self) -> None:
        w = self.window
        self._before = {"docks": [d for d in w.map_docks if d.isVisible()], "font": QApplication.font(),
                        "maximised": w.isMaximized()}
        for widget in [*w.map_docks, w.navigate, w.statusBar(), w.menuBar()]:
            widget.hide()
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * FONT_SCALE)
        QApplication.setFont(font)
        self.active = True
        for action in self.steps:
            action.setEnabled(True)
        w.showFullScreen()

    def leave(self) -> None:
        w = self.window
        QApplication.setFont(self._before["font"])
        for widget in [*self._before["docks"], w.statusBar(), w.menuBar()]:
            widget.show()
        w.navigate.setVisible(w.tabs.currentWidget() is w.canvas)
        self.active = False
        for action in self.steps:
            action.setEnabled(False)
        w.showMaximized() if self._before["maximised"] else w.showNormal()

    def step_locality(self, by: int) -> None:
        """Zoom to the next (or previous) Care Community, then the whole borough, round again."""
        names = [self.window.zoom_box.itemText(i) for i in range(self.window.zoom_box.count())]
        names = [n for n in names if n in NETWORKS or n == names[0]]
        current = self.window.zoom_box.currentText()
        at = names.index(current) if current in names else 0
        self.window.zoom_to(names[(at + by) % len(names)])

    def step_indicator(self, by: int) -> None:
        """The next (or previous) indicator in the picker's order, on the map and in the comparison."""
        ids = [item.data(0, ID_ROLE) for item in self.window.picker.items()]
        current = self.window.model.view.indicator_id
        at = ids.index(current) if current in ids else -1
        self.window.model.set_indicator(ids[(at + by) % len(ids)])
