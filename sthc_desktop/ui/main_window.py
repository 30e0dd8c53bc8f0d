"""The main window: the map and the locality comparison as tabs in the middle, indicator and
layer panels on the left, legend and details on the right, search and locality navigation in
the toolbar, and the File menu (workspaces, imports, exports). It wires actions to the
:class:`~sthc_desktop.ui.document.Document` (the session's view, data, localities, scenario and
file, which every widget observes) and to the dialogs; it computes nothing itself."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QStringListModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QCompleter, QDockWidget, QFileDialog, QLabel, QLineEdit,
                               QMainWindow, QMessageBox, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from sthc_desktop.core.errors import DataError
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.saved_view import restored_view
from sthc_desktop.core.search import search as find
from sthc_desktop.core.view import MapView

from . import scenario_actions, workspace_actions
from .comparison_view import LOOKUP_FILES, ComparisonView, use_lookup
from .document import Document
from .map_canvas import MapCanvas
from .overwrite import confirm_replace
from .presentation import Presentation
from .screen_fit import available_geometry, fit_to_screen, keep_on_screen, scrolling
from .settings import settings
from .panels import ClassificationPanel, DetailsPanel, IndicatorPicker, LayersPanel, LegendPanel, clear_on_escape
from .table_copy import install_copy

WHOLE_BOROUGH = "Whole borough"
COMPARE_TAB = "Compare localities"
AUTOSAVE_MS = 60_000


class MainWindow(QMainWindow):
    def __init__(self, planner: Planner, view: MapView | None = None, *, restore: bool = True):
        super().__init__()
        self.setWindowTitle("St Helens Cares — Locality Planner")
        self.restore = restore
        saved = self._saved_view(planner) if restore and view is None else None
        self.model = Document(planner, view or saved or MapView())  # what every widget here observes
        self.canvas = MapCanvas(self.model, self)
        self._comparison: ComparisonView | None = None  # made when first looked at: see `comparison`
        self._comparison_tab = QWidget()  # holds its place until then
        self.tabs = QTabWidget()
        self.tabs.addTab(self.canvas, "Map")
        self.tabs.addTab(self._comparison_tab, COMPARE_TAB)
        self.england = None
        if planner.pack.scope == "england":
            from sthc_desktop.core.england import England
            from .england_view import EnglandView
            self.england = EnglandView(England(planner.pack))
            self.tabs.addTab(self.england, "England")
        # The map's minimum, not the widest tab's: the Compare tab's controls would otherwise squeeze the
        # map's side panels on a small screen, and that tab hides the panels, so it has the whole width.
        self.tabs.setMinimumWidth(self.canvas.minimumWidth())
        self.setCentralWidget(self.tabs)

        self.picker = IndicatorPicker(self.model)
        self.classification = ClassificationPanel(self.model)
        left = QWidget()
        left.setMinimumWidth(280)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.picker, 1)
        box.addWidget(self.classification)
        self.layers = LayersPanel(self.model)
        self.legend = LegendPanel(self.canvas)
        self.details = DetailsPanel(self.model)
        # The map's panels; the comparison tab has its own controls and gets the room instead.
        self.map_docks = [self._dock("Indicators", left, Qt.LeftDockWidgetArea),
                          self._dock("Layers", self.layers, Qt.LeftDockWidgetArea),
                          self._dock("Legend", self.legend, Qt.RightDockWidgetArea),
                          self._dock("Details", self.details, Qt.RightDockWidgetArea)]
        self._toolbar()
        self.tabs.currentChanged.connect(self._show_map_tools)
        self._menus()
        _tables_as_a_user_expects(self)
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS, timeout=self.autosave)
        self.autosave_timer.start()
        self.model.fileChanged.connect(self._show_file)
        self.model.set_modified(False)  # whatever the widgets set up while they were made
        self._show_file(None, False)

        self._shown_geography = None
        self.source_label = QLabel()
        self.method_label = QLabel()
        self.statusBar().addWidget(self.source_label, 1)
        self.statusBar().addPermanentWidget(self.method_label)
        self.model.viewChanged.connect(self._status)
        self.model.viewChanged.connect(self._show_zoom_name)
        self._status(self.model.view)
        fit_to_screen(self, 1400, 880)
        self._restored_state = False
        if restore:
            geometry, state = settings().value("window/geometry"), settings().value("window/state")
            if isinstance(geometry, QByteArray):
                self.restoreGeometry(geometry)
                keep_on_screen(self)  # saved on a larger screen, or one no longer attached
            if isinstance(state, QByteArray):
                self._restored_state = self.restoreState(state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._restored_state:  # first run: side panels a quarter of the screen at most
            side = max(280, min(400, available_geometry(self).width() // 4))
            # After the layout has run: sizes given before it are overruled by the docks' hints.
            QTimer.singleShot(0, lambda: self.resizeDocks(self.map_docks, [side] * 4, Qt.Horizontal))
            self._restored_state = True

    @property
    def comparison(self) -> ComparisonView:
        """The Compare localities tab, made the first time it is shown or asked for, so the window and
        its map open without waiting for the comparison's lists and charts."""
        if self._comparison is None:
            self._comparison = view = ComparisonView(self.model, defer=True)
            _tables_as_a_user_expects(view)
            at, current = self.tabs.indexOf(self._comparison_tab), self.tabs.currentIndex()
            self.tabs.blockSignals(True)  # the same tab stays current: nothing to announce
            self.tabs.removeTab(at)
            self.tabs.insertTab(at, view, COMPARE_TAB)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            self._comparison_tab.deleteLater()
            self._comparison_tab = view
        return self._comparison

    def _show_map_tools(self, _index: int) -> None:
        """The borough map's panels, search bar and status text belong to the Map tab only."""
        if self.tabs.currentWidget() is self._comparison_tab:
            self.comparison  # made on the first look at the tab
        on_map = self.tabs.currentWidget() is self.canvas
        for widget in [*self.map_docks, self.navigate, self.source_label]:
            widget.setVisible(on_map)

    # -- construction ----------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(scrolling(widget))
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _toolbar(self) -> None:
        self.navigate = bar = QToolBar("Navigate", self)
        bar.setObjectName("navigate")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.search = QLineEdit(placeholderText="Find an LSOA, practice (name, map key, ODS code) or ward…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.returnPressed.connect(lambda: self.go_to(self.search.text()))
        self._completer_hits = {}
        self.completer_model = QStringListModel(self)
        self.completer = QCompleter(self.completer_model, self)
        self.completer.setCaseSensitivity(Qt.CaseInsensitive)
        # The planner's search already chose the suggestions (forgiving of punctuation): show them all.
        self.completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer.activated.connect(self._completed)
        self.search.setCompleter(self.completer)
        clear_on_escape(self.search)
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

    def _menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self._action(file, "&Open workspace…", self.open_workspace_dialog, QKeySequence.Open)
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file, "&Save workspace", self.save, QKeySequence.Save)
        # Named keys: QKeySequence.SaveAs and .Quit are empty on Windows.
        self._action(file, "Save workspace &as…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        file.addSeparator()
        self._action(file, "&Import indicator data…", self.import_indicator, QKeySequence("Ctrl+I"))
        self._action(file, "Use a &locality lookup (LSOA → locality)…", self.load_lookup_dialog,
                     QKeySequence("Ctrl+L"))
        file.addSeparator()
        self._action(file, "&Export briefing map or locality pack…", self.export, QKeySequence("Ctrl+E"))
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence("Ctrl+Q"))
        self.what_if = scenario_actions.add_menu(self)
        panels = self.menuBar().addMenu("&Panels")  # hide a panel for room; tick it to bring it back
        for dock in self.map_docks:
            panels.addAction(dock.toggleViewAction())
        panels.addSeparator()
        self.presentation = Presentation(self, panels)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "Data &sources and licences", self.show_sources, QKeySequence("F1"))

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        # triggered(bool) would land in a slot's first optional argument (import_indicator's path).
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # -- workspaces ------------------------------------------------------------------------
    def _show_file(self, path: Path | None, modified: bool) -> None:
        name = path.name if path else "Untitled"
        self.setWindowTitle(f"{name}{' *' if modified else ''} — St Helens Cares Locality Planner")

    def save(self) -> bool:
        if self.model.path is None:
            return self.save_as()
        return self.save_to(self.model.path, confirmed=True)  # Save replaces the workspace open

    def save_as(self) -> bool:
        # Asked in save_to instead, about the file really written (".sthc" may be added to the name).
        path, _ = QFileDialog.getSaveFileName(self, "Save workspace", str(self.model.path or ""),
                                              workspace_actions.FILE_FILTER, options=QFileDialog.DontConfirmOverwrite)
        return bool(path) and self.save_to(path)

    def save_to(self, path, *, confirmed: bool = False) -> bool:
        """Save the workspace to ``path``, asking first if that replaces a file (unless ``confirmed``)."""
        path = workspace_actions.workspace_file(path)
        try:
            if not (confirmed or confirm_replace(self, path)):
                return False
            saved = workspace_actions.save_workspace(self.model, path, overwrite=True)
        except DataError as exc:
            QMessageBox.warning(self, "Workspace not saved", str(exc))
            return False
        self.statusBar().showMessage(f"Saved {saved}", 5000)
        return True

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open workspace", "", workspace_actions.FILE_FILTER)
        if path:
            self.open_workspace(path)

    def open_workspace(self, path, *, recovered: bool = False) -> bool:
        try:
            notes = workspace_actions.open_workspace(self.model, path, recovered=recovered)
        except DataError as exc:
            QMessageBox.warning(self, "Workspace not opened", str(exc))
            return False
        if notes:
            QMessageBox.warning(self, "Workspace opened without some of its parts", "\n".join(notes))
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = workspace_actions.recent_files()
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(path).triggered.connect(lambda _=False, p=path: self.open_workspace(p))

    def autosave(self) -> None:
        """Keep a copy the app can offer back after a crash; failures are logged, never shown."""
        if not self.model.modified:
            return
        try:
            workspace_actions.autosave(self.model)
        except (DataError, OSError) as exc:
            logging.warning("autosave failed: %s", exc)

    # -- data in and out -------------------------------------------------------------------
    def import_indicator(self, path=None) -> None:
        from .import_dialog import ImportDialog  # dialogs load on first use: they cost start-up memory

        dialog = ImportDialog(self.model.planner.pack, path, self)
        if dialog.exec() and dialog.record is not None:
            self.model.add_import(dialog.record, dialog.imported)
            self.tabs.setCurrentWidget(self.canvas)

    def load_lookup_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Use a locality lookup", "", LOOKUP_FILES)
        if path:
            use_lookup(self, self.model, path)

    def export(self) -> None:
        from .export_dialog import ExportDialog

        ExportDialog(self.model, self).exec()

    def show_sources(self) -> None:
        from .sources_dialog import SourcesDialog

        SourcesDialog(self.model.planner.pack, self).exec()

    # -- actions ---------------------------------------------------------------------------
    def zoom_to(self, name: str) -> None:
        self.model.zoom_to_locality(None if name == WHOLE_BOROUGH else name)
        self.zoom_box.setCurrentText(name)

    def _show_zoom_name(self, view) -> None:
        """"Zoom to" names what the map shows, from its extent alone (so a reopened workspace says the same):
        the whole borough, the locality it is zoomed to, or the locality a closer view (a search hit, a
        pan) lies in; blank when the map spans localities or leaves the borough."""
        if view.extent is None:
            self.zoom_box.setCurrentText(WHOLE_BOROUGH)
            return
        planner = self.model.planner
        shown = [n for n in NETWORKS if n in set(planner.localities["lsoa21"])]
        zoomed = [n for n in shown if all(abs(a - b) < 0.01 for a, b in zip(planner.locality_bounds(n), view.extent))]
        if not zoomed:
            x0, y0, x1, y1 = view.extent
            centre = planner.area_at(view, (x0 + x1) / 2, (y0 + y1) / 2)
            zoomed = [n for n in shown if centre is not None and centre["locality"] == n
                      and _within(view.extent, planner.locality_bounds(n))]
        self.zoom_box.setCurrentIndex(self.zoom_box.findText(zoomed[0]) if zoomed else -1)

    def _suggest(self, text: str) -> None:
        hits = find(self.model.planner, text, limit=15) if len(text.strip()) >= 2 else []
        self._completer_hits = {h.label: h for h in hits}
        self.completer_model.setStringList(list(self._completer_hits))

    def _completed(self, label: str) -> None:
        hit = self._completer_hits.get(label)
        if hit is not None:
            self._go(hit)

    def go_to(self, text: str):
        """Search and go to the first hit; returns it (None when nothing matched)."""
        hits = find(self.model.planner, text, limit=1)
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
        drawn = f"drawn on {layer.geography_name} boundaries" if layer.is_area else "drawn at the practices"
        dataset = self.model.planner.pack.datasets.get(meta.dataset)
        source = dataset.publisher.split(" (")[0] if dataset else meta.source
        self.source_label.setText(f"{meta.short_name} · {layer.period} · {drawn} · Source: {source}")
        self.source_label.setToolTip(meta.source)
        if self._shown_geography not in (None, layer.geography) and layer.is_area:
            self.statusBar().showMessage(f"Switched to {layer.geography_name} boundaries: {meta.name} is "
                                         f"published on them.", 6000)
        self._shown_geography = layer.geography
        self.method_label.setText(f"Localities: {self.model.planner.assignments['lsoa21'].name}")
        self.method_label.setToolTip(self.model.planner.assignment_statement)

    # -- persistence -----------------------------------------------------------------------
    @staticmethod
    def _saved_view(planner: Planner) -> MapView | None:
        """The last session's indicator and layers, if this pack still has that indicator."""
        raw = settings().value("view/state")
        if not raw:
            return None
        view, notes = restored_view(raw, planner, settings().fileName())
        for line in notes:  # a bad saved view is dropped, never re-raised: the app must start
            logging.warning("%s", line)
        return view

    def closeEvent(self, event) -> None:
        if self.model.modified and (self.model.imports or self.model.path):
            answer = QMessageBox.question(
                self, "Save changes?", "Save your workspace before closing?",
                QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
            if answer == QMessageBox.Cancel or (answer == QMessageBox.Save and not self.save()):
                event.ignore()
                return
        workspace_actions.clean_exit()
        if self.restore:
            s = settings()
            s.setValue("window/geometry", self.saveGeometry())
            s.setValue("window/state", self.saveState())
            s.setValue("view/state", json.dumps(self.model.view.with_(extent=None).to_dict()))
        super().closeEvent(event)



def _tables_as_a_user_expects(root: QWidget) -> None:
    """Ctrl+C copies any table under ``root``, header and all; Tab moves on to the next control, not the
    next cell."""
    install_copy(root)
    for table in root.findChildren(QAbstractItemView):
        table.setTabKeyNavigation(False)


def _within(extent, bounds) -> bool:
    """Whether the map ``extent`` lies inside ``bounds`` (both x0, y0, x1, y1)."""
    return bounds[0] <= extent[0] and bounds[1] <= extent[1] and extent[2] <= bounds[2] and extent[3] <= bounds[3]
