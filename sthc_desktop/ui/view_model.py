"""The observable current view: wraps the plain :class:`MapView` and the :class:`Planner`
and tells every widget (map, legend, picker, details, status bar) when either changes,
so they cannot disagree."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from sthc_desktop.core.england import England, NationalView
from sthc_desktop.core.planner import Planner
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
