"""The England tab's observable view (an England-scale pack only); the St Helens session's
state is :class:`~sthc_desktop.ui.document.Document`."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from sthc_desktop.core.england import England, NationalView


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
