"""The observable current view: wraps the plain :class:`MapView` and the :class:`Planner`
and tells every widget (map, legend, picker, details, status bar) when either changes,
so they cannot disagree. It is also the document's locality method and what-if scenario,
with the scenario's undo list."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from sthc_desktop.core import scenarios
from sthc_desktop.core.england import England, NationalView
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.scenarios import Scenario
from sthc_desktop.core.view import MapView


class ViewModel(QObject):
    viewChanged = Signal(object)        # MapView
    selectionChanged = Signal(object)   # dict describing the selected area/practice, or None
    plannerChanged = Signal(object)     # Planner (new pack or assignment)

    def __init__(self, planner: Planner, view: MapView | None = None, parent=None):
        super().__init__(parent)
        self.planner = planner
        self.view = view or MapView()
        self.selection: dict | None = None
        self.method: str | None = None    # None: the pack's default (best-validated) method
        self.lookup: dict | None = None   # a supplied lookup's assignments, when that is the method
        self.history = scenarios.History()

    def set_view(self, view: MapView) -> None:
        if view != self.view:
            self.view = view
            self.viewChanged.emit(view)

    def update(self, **changes) -> None:
        self.set_view(self.view.with_(**changes))

    def set_indicator(self, indicator_id: str) -> None:
        # A new indicator starts on its latest period and its own default classification.
        self.update(indicator_id=indicator_id, period=None, scheme=None)

    def set_layer(self, name: str, visible: bool) -> None:
        self.set_view(self.view.with_layer(name, visible))

    def zoom_to_locality(self, locality: str | None) -> None:
        if locality is None:
            self.update(extent=None)
        else:
            self.update(extent=self.planner.locality_bounds(locality))

    def select(self, selection: dict | None) -> None:
        self.selection = selection
        self.selectionChanged.emit(selection)

    def set_planner(self, planner: Planner) -> None:
        self.planner = planner
        self.plannerChanged.emit(planner)
        self.viewChanged.emit(self.view)

    # -- the locality method and the what-if scenario on top of it ---------------------------------
    def set_assignment(self, method: str | None = None, lookup: dict | None = None) -> None:
        """Use a pack method (None: the pack's default) or a supplied lookup's assignments; the scenario stays."""
        self.method, self.lookup = method, lookup
        self._replan()

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
        self.set_planner(scenarios.apply(self.planner.pack, self.history.current, self.method, self.lookup))


class NationalViewModel(QObject):
    """The England tab's view (an England-scale pack only): indicator, classes and district."""

    viewChanged = Signal(object)        # NationalView

    def __init__(self, england: England, view: NationalView | None = None, parent=None):
        super().__init__(parent)
        self.england = england
        self.view = view or NationalView()

    def update(self, **changes) -> None:
        view = self.view.with_(**changes)
        if view != self.view:
            self.view = view
            self.viewChanged.emit(view)
