"""The document: everything a planner's session holds, in one observable object.

A :class:`Document` holds the map view (and the selected area), the imported data, the locality
method (a pack method or a supplied lookup with its CSV text), the what-if scenario with its undo
list, the plan progress the user imported, and the workspace file with its modified flag. Each
change goes through a method here and is announced by a signal, so the map, panels, comparison,
menus and title observe one source and cannot disagree. The planner for the chosen method and
scenario is built by :func:`sthc_desktop.core.scenarios.apply`; no widget builds one.

It is also what a workspace saves and opens (:meth:`Document.workspace`, :meth:`Document.open`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from sthc_desktop.core import plan_progress, scenarios
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.imports import ImportedIndicator, read_table
from sthc_desktop.core.localities import PACK_METHODS, SUPPLIED_LOOKUP, lookup_assignments
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.scenarios import Scenario
from sthc_desktop.core.view import MapView
from sthc_desktop.core.workspace import ImportRecord, Workspace


class Document(QObject):
    viewChanged = Signal(object)          # MapView
    selectionChanged = Signal(object)     # dict describing the selected area/practice, or None
    plannerChanged = Signal(object)       # Planner (new data, locality method or scenario)
    planProgressChanged = Signal(object)  # indicator id -> latest value, period and source
    fileChanged = Signal(object, bool)    # the workspace path (None: untitled) and the modified flag

    def __init__(self, planner: Planner, view: MapView | None = None, parent=None):
        super().__init__(parent)
        self.planner = planner
        self.view = view or MapView()
        self.selection: dict | None = None
        self.method: str | None = None      # None: the pack's default (best-validated) method
        self.lookup: dict | None = None     # a supplied lookup's assignments, when that is the method
        self.lookup_csv: str | None = None  # that lookup as read, which a workspace keeps
        self.history = scenarios.History()
        self.imports: list[ImportRecord] = []
        self.path: Path | None = None
        self.modified = False

    # -- the map view and the selection ----------------------------------------------------------
    def set_view(self, view: MapView) -> None:
        if view != self.view:
            self.view = view
            self.viewChanged.emit(view)
            self.set_modified(True)

    def update(self, **changes) -> None:
        self.set_view(self.view.with_(**changes))

    def set_indicator(self, indicator_id: str) -> None:
        # A new indicator starts on its latest period and its own default classification.
        self.update(indicator_id=indicator_id, period=None, scheme=None)

    def set_layer(self, name: str, visible: bool) -> None:
        self.set_view(self.view.with_layer(name, visible))

    def zoom_to_locality(self, locality: str | None) -> None:
        self.update(extent=None if locality is None else self.planner.locality_bounds(locality))

    def select(self, selection: dict | None) -> None:
        self.selection = selection
        self.selectionChanged.emit(selection)

    # -- the data: the planner and the indicators added to it ------------------------------------
    def _set_planner(self, planner: Planner) -> None:
        self.planner = planner
        self.plannerChanged.emit(planner)
        self.viewChanged.emit(self.view)  # the same view draws differently on new data or localities
        self.set_modified(True)

    def add_indicator(self, meta: dict, values, dataset) -> None:
        """Add an indicator to the data (an import, a practice's catchment) so every widget lists it."""
        self.planner.add_indicator(meta, values, dataset)
        self._set_planner(self.planner)

    def add_import(self, record: ImportRecord, indicator: ImportedIndicator) -> None:
        """Apply what the import dialog built: the indicator added and shown, its file kept for the workspace
        (a file imported again under the same name replaces the earlier one)."""
        self.add_indicator(indicator.meta, indicator.values, indicator.dataset)
        self.imports = [r for r in self.imports if r.spec.name != record.spec.name] + [record]
        self.set_indicator(indicator.meta.id)

    # -- the locality method and the what-if scenario on top of it -------------------------------
    @property
    def method_in_use(self) -> str:
        return self.planner.assignments["lsoa21"].method

    def set_assignment(self, method: str | None = None) -> None:
        """Use one of the pack's methods (None: its default); the scenario stays."""
        self.method, self.lookup, self.lookup_csv = method, None, None
        self._replan()

    def use_lookup(self, path) -> None:
        """Use a supplied LSOA → locality lookup (CSV or workbook); DataError naming the file, row and
        problem if it cannot be, and then the method in use stays."""
        assignments = lookup_assignments(self.planner.pack, path)
        self.method, self.lookup = SUPPLIED_LOOKUP, assignments
        self.lookup_csv = read_table(path).to_csv(index=False)  # as read: any encoding or a workbook
        self._replan()

    def _use_lookup_text(self, text: str, name: str) -> None:
        """Apply a lookup a workspace carried (its text), under its original file name."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / (Path(name).stem + "_lookup.csv")
            path.write_text(text, encoding="utf-8")
            self.use_lookup(path)

    def set_scenario(self, scenario: Scenario | None) -> None:
        """Apply a what-if (None: none), keeping the previous one to undo back to."""
        self.history.push(scenario)
        self._replan()

    def undo_scenario(self) -> None:
        if self.history.can_undo:
            self.history.undo()
            self._replan()

    @property
    def scenario(self) -> Scenario | None:
        return self.history.current

    def _replan(self) -> None:
        self._set_planner(scenarios.apply(self.planner.pack, self.history.current, self.method, self.lookup))

    # -- plan progress ---------------------------------------------------------------------------
    @property
    def plan_progress(self) -> dict[str, dict]:
        return self.planner.pack.plan_progress

    def set_plan_progress(self, progress: dict[str, dict]) -> None:
        """The latest key-measure values the user imported (the table and the locality pack show them)."""
        self.planner.pack.plan_progress = progress
        self.planProgressChanged.emit(progress)
        self.set_modified(True)

    def import_plan_progress(self, path) -> None:
        """Read a filled-in progress template; DataError (one line) if it cannot be, keeping what was shown."""
        self.set_plan_progress(plan_progress.read_progress(path, self.planner.pack.key_measures))

    # -- the workspace file ----------------------------------------------------------------------
    def set_modified(self, modified: bool) -> None:
        if modified != self.modified:
            self.modified = modified
            self.fileChanged.emit(self.path, modified)

    def saved_as(self, path: Path) -> None:
        """The document was written to ``path``: that is its file now, unmodified."""
        self._set_file(path, False)

    def _set_file(self, path: Path | None, modified: bool) -> None:
        self.path, self.modified = path, modified
        self.fileChanged.emit(path, modified)

    def workspace(self) -> Workspace:
        """The document as a workspace saves it."""
        scenario = self.scenario.to_dict() if self.scenario is not None else None
        return Workspace(self.view, tuple(self.imports), self.method_in_use,
                         self.lookup_csv if self.method_in_use == SUPPLIED_LOOKUP else None,
                         scenario=scenario, plan_progress=dict(self.plan_progress) or None)

    def open(self, loaded: Workspace, path, *, recovered: bool = False) -> list[str]:
        """Open a workspace read from ``path``: its imports added to the data, its locality method,
        scenario, plan progress and view applied. Returns a one-line note for each part dropped as bad;
        DataError (nothing changed) if its lookup cannot be used. A recovered autosave stays untitled
        and modified."""
        opened, notes = loaded.opened_on(self.planner, path)
        if opened.lookup_csv:
            self._use_lookup_text(opened.lookup_csv, Path(path).name)
        elif opened.assignment_method in PACK_METHODS:
            self.set_assignment(opened.assignment_method)
        else:
            self._set_planner(self.planner)  # the imports were added: the picker lists them
        if opened.scenario is not None:
            try:
                self.set_scenario(scenarios.from_dict(opened.scenario, path,
                                                      *scenarios.known_codes(self.planner.pack)))
            except DataError as exc:
                notes.append(f"{exc} (so the what-if scenario is not opened)")
        if opened.plan_progress is not None:
            try:
                self.set_plan_progress(plan_progress.from_saved(opened.plan_progress,
                                                                self.planner.pack.key_measures, path))
            except DataError as exc:
                notes.append(f"{exc} (so the plan progress is not opened)")
        self.set_view(opened.view)
        self.imports = list(opened.imports)
        self._set_file(None if recovered else Path(path), recovered)
        return notes
