"""The comparison view's spine chart and practice funnel plot tabs: wiring only.

Each tab holds a chooser (the Care Community, or the practice indicator) and a chart canvas. The
numbers come from :func:`sthc_desktop.core.spine.spine_rows` and :func:`sthc_desktop.core.funnel.funnel`,
the drawing from :mod:`sthc_desktop.render.spine` and :mod:`sthc_desktop.render.funnel`, as in the pack.
A tab draws when it is shown, so choosing indicators elsewhere stays quick.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from sthc_desktop.core import funnel as fn
from sthc_desktop.core.comparison import indicator_ids
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.spine import METHOD as SPINE_METHOD
from sthc_desktop.core.spine import spine_rows
from sthc_desktop.render.funnel import funnel_plot
from sthc_desktop.render.spine import spine_chart

SPINE_TAB = "Spine chart"
FUNNEL_TAB = "Practice funnel plot"


class ChartTab(QWidget):
    """A chooser above a chart canvas and a note; redrawn when shown after its request changed."""

    def __init__(self, label: str, choices: list[tuple[str, str]], parent=None, layout: str | None = "constrained"):
        super().__init__(parent)
        self.chooser = QComboBox()
        for text, key in choices:
            self.chooser.addItem(text, key)
        self.figure = Figure(figsize=(8, 4.5), layout=layout)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.note = QLabel(wordWrap=True)
        top = QHBoxLayout()
        top.addWidget(QLabel(label))
        top.addWidget(self.chooser)
        top.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.canvas, 1)
        box.addWidget(self.note)
        self.planner, self.spec, self.drawn, self._stale = None, None, {}, True
        self.chooser.currentIndexChanged.connect(lambda _i: self._redraw())

    def set_request(self, planner, spec) -> None:
        self.planner, self.spec, self._stale = planner, spec, True
        if self.isVisible():
            self._redraw()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._redraw()

    def _redraw(self) -> None:
        self.figure.clear()
        self._stale = False
        if self.planner is not None:
            self.drawn = self.draw(self.figure)
        self.canvas.draw_idle()

    def draw(self, figure: Figure) -> dict:
        raise NotImplementedError


class SpineTab(ChartTab):
    def __init__(self, parent=None):
        super().__init__("Care Community:", [(n, n) for n in NETWORKS], parent, layout=None)  # axes placed by hand
        self.note.setText(SPINE_METHOD)

    def draw(self, figure: Figure) -> dict:
        try:
            ids = indicator_ids(self.planner.pack, self.spec) if self.spec else []
        except DataError:
            ids = []
        rows = spine_rows(self.planner, [self.chooser.currentData()], ids)
        if rows.empty:
            figure.text(0.5, 0.5, "No chosen indicator is published for LSOAs or practices.", ha="center")
            return {}
        ax = figure.add_axes((0.3, 0.05, 0.38, 0.85))
        return spine_chart(ax, rows, size=8, title=self.chooser.currentData())


class FunnelTab(ChartTab):
    def __init__(self, planner, parent=None):
        cat = planner.pack.catalogue.set_index("id")
        super().__init__("Indicator:", [(cat.loc[i, "name"], i) for i in fn.FUNNEL_INDICATORS if i in cat.index],
                         parent)

    def draw(self, figure: Figure) -> dict:
        ind = self.chooser.currentData()
        f = self.planner.memo(("funnel", ind), lambda: fn.funnel(self.planner, ind))
        self.note.setText(f.method + " Points are labelled by the plan's map key.")
        polarity = self.planner.pack.indicator(ind).polarity
        return funnel_plot(figure.add_subplot(), f, polarity, size=8)
