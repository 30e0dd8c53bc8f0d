"""Windows and dialogs that fit the screen they open on: sized to at most the screen's available
area (what is left after task bars, in device-independent pixels, so 150% scaling counts), placed
inside it, and panels that scroll instead of being cut off when the screen is small. Figures need
nothing here: Qt turns a larger screen or font DPI into a device pixel ratio, which the matplotlib
canvases draw at, so the map's labels and markers grow with the window's type."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: Room kept for the window frame and title bar the window manager adds.
FRAME_ALLOWANCE = (16, 40)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable area of the screen ``widget`` is on (the primary screen before it is shown)."""
    screen = widget.screen() if widget is not None else None
    return (screen or QGuiApplication.primaryScreen()).availableGeometry()


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` × ``height`` or the available screen, whichever is smaller, and keep
    it on that screen (a top-level window; a dialog is centred on its parent by Qt when shown)."""
    area = available_geometry(widget)
    w = min(width, area.width() - FRAME_ALLOWANCE[0])
    h = min(height, area.height() - FRAME_ALLOWANCE[1])
    widget.resize(max(w, 200), max(h, 200))
    if widget.parent() is None:
        widget.move(area.x() + max(0, (area.width() - widget.width() - FRAME_ALLOWANCE[0]) // 2),
                    area.y() + max(0, (area.height() - widget.height() - FRAME_ALLOWANCE[1]) // 2))


def keep_on_screen(widget: QWidget) -> None:
    """After a geometry restored from another (larger) screen: shrink and move the window back inside."""
    area = available_geometry(widget)
    frame = widget.frameGeometry()
    if area.contains(frame):
        return
    fit_to_screen(widget, min(widget.width(), area.width()), min(widget.height(), area.height()))
    widget.move(area.x(), area.y())


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: a panel scrolls rather than being cut off on a short screen."""
    area = QScrollArea()
    area.setFrameShape(QFrame.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # panels narrow by their own tables' scrolling
    area.setWidget(widget)
    area.setMinimumWidth(widget.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area
