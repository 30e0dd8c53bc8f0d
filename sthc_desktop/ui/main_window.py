"""The main window: the map in the middle, indicator and layer panels on the left,
legend and details on the right, search and locality navigation in the toolbar."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings, QStringListModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QCompleter, QDockWidget, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QToolBar, QVBoxLayout, QWidget)

from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView

from .map_canvas import MapCanvas
from .panels import ClassificationPanel, DetailsPanel, IndicatorPicker, LayersPanel, LegendPanel
from .view_model import ViewModel

ORGANISATION = "St Helens Cares"
APPLICATION = "Locality Planner"
WHOLE_BOROUGH = "Whole borough"


def settings() -> QSettings:
    # INI format everywhere, so tests can point it at a temporary folder.
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANISATION, APPLICATION)


class MainWindow(QMainWindow):
    def __init__(self, planner: Planner, view: MapView | None = None, *, restore: bool = True):
        super().__init__()
        self.setWindowTitle("St Helens Cares — Locality Planner")
        self.restore = restore
        saved = self._saved_view(planner) if restore and view is None else None
        self.model = ViewModel(planner, view or saved or MapView())
        self.canvas = MapCanvas(self.model, self)
        self.setCentralWidget(self.canvas)

        self.picker = IndicatorPicker(self.model)
        self.classification = ClassificationPanel(self.model)
        left = QWidget()
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.picker, 1)
        box.addWidget(self.classification)
        self.layers = LayersPanel(self.model)
        self.legend = LegendPanel(self.canvas)
        self.details = DetailsPanel(self.model)
        self._dock("Indicators", left, Qt.LeftDockWidgetArea)
        self._dock("Layers", self.layers, Qt.LeftDockWidgetArea)
        self._dock("Legend", self.legend, Qt.RightDockWidgetArea)
        self._dock("Details", self.details, Qt.RightDockWidgetArea)
        self._toolbar()

        self.source_label = QLabel()
        self.method_label = QLabel()
        self.statusBar().addWidget(self.source_label, 1)
        self.statusBar().addPermanentWidget(self.method_label)
        self.model.viewChanged.connect(self._status)
        self._status(self.model.view)
        self.resize(1400, 880)
        if restore:
            geometry = settings().value("window/geometry")
            if isinstance(geometry, QByteArray):
                self.restoreGeometry(geometry)

    # -- construction ----------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _toolbar(self) -> None:
        bar = QToolBar("Navigate", self)
        bar.setObjectName("navigate")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.search = QLineEdit(placeholderText="Find an LSOA, practice (name, map key, ODS code) or ward…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)
        self.search.returnPressed.connect(lambda: self.go_to(self.search.text()))
        self._completer_hits = {}
        self.completer_model = QStringListModel(self)
        self.completer = QCompleter(self.completer_model, self)
        self.completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchContains)
        self.completer.activated.connect(self._completed)
        self.search.setCompleter(self.completer)
        self.search.textEdited.connect(self._suggest)
        bar.addWidget(self.search)
        bar.addSeparator()
        bar.addWidget(QLabel(" Zoom to: "))
        self.zoom_box = QComboBox()
        self.zoom_box.addItems([WHOLE_BOROUGH, *NETWORKS])
        self.zoom_box.activated.connect(lambda _i: self.zoom_to(self.zoom_box.currentText()))
        bar.addWidget(self.zoom_box)
        bar.addWidget(QLabel("  Focus on: "))
        self.focus_box = QComboBox()
        self.focus_box.addItems(["All localities", *NETWORKS])
        self.focus_box.activated.connect(
            lambda i: self.model.update(focus=None if i == 0 else self.focus_box.currentText()))
        bar.addWidget(self.focus_box)
        home = QAction("Whole borough", self)
        home.setShortcut(QKeySequence("Ctrl+0"))
        home.triggered.connect(lambda: self.zoom_to(WHOLE_BOROUGH))
        bar.addAction(home)

    # -- actions ---------------------------------------------------------------------------
    def zoom_to(self, name: str) -> None:
        self.model.zoom_to_locality(None if name == WHOLE_BOROUGH else name)
        self.zoom_box.setCurrentText(name)

    def _suggest(self, text: str) -> None:
        hits = self.model.planner.search(text, limit=15) if len(text.strip()) >= 2 else []
        self._completer_hits = {h.label: h for h in hits}
        self.completer_model.setStringList(list(self._completer_hits))

    def _completed(self, label: str) -> None:
        hit = self._completer_hits.get(label)
        if hit is not None:
            self._go(hit)

    def go_to(self, text: str):
        """Search and go to the first hit; returns it (None when nothing matched)."""
        hits = self.model.planner.search(text, limit=1)
        if not hits:
            self.statusBar().showMessage(f"Nothing found for “{text}”.", 5000)
            return None
        self._go(hits[0])
        return hits[0]

    def _go(self, hit) -> None:
        x0, y0, x1, y1 = hit.bounds
        pad = max(x1 - x0, y1 - y0) * 0.25 + 200
        self.model.update(extent=(x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        planner, view = self.model.planner, self.model.view
        if hit.kind == "Practice" and hit.code:
            self.model.select(planner.practice_details(hit.code, view))
        elif hit.kind.startswith("LSOA"):
            self.model.select(planner.area("lsoa21" if hit.kind.endswith("2021") else "lsoa11", hit.code, view))
        else:
            self.model.select(None)
        self.statusBar().showMessage(hit.label, 5000)

    def _status(self, view) -> None:
        layer = self.model.planner.layer_for(view)
        meta = layer.meta
        note = ""
        if layer.is_area:
            note = f" · drawn on {layer.geography_name} boundaries"
        self.source_label.setText(f"{meta['name']} · {layer.period} · Source: {meta['source']}{note}")
        self.method_label.setText(f"Localities: {self.model.planner.assignments['lsoa21'].method}")
        self.method_label.setToolTip(self.model.planner.assignment_statement)

    # -- persistence -----------------------------------------------------------------------
    @staticmethod
    def _saved_view(planner: Planner) -> MapView | None:
        """The last session's indicator and layers, if this pack still has that indicator."""
        raw = settings().value("view/state")
        if not raw:
            return None
        try:
            view = MapView.from_dict(json.loads(raw))
        except (ValueError, TypeError, KeyError):
            return None
        return view if view.indicator_id in set(planner.pack.catalogue["id"]) else None

    def closeEvent(self, event) -> None:
        if self.restore:
            s = settings()
            s.setValue("window/geometry", self.saveGeometry())
            s.setValue("view/state", json.dumps(self.model.view.with_(extent=None).to_dict()))
        super().closeEvent(event)


def show_error(parent, title: str, message: str) -> None:
    QMessageBox.critical(parent, title, message)
