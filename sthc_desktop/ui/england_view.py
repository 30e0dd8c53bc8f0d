"""The England tab (England-scale pack only): the national LSOA map for all England or any
district, its legend, and where St Helens and its neighbours rank among all districts.

Widgets here only wire choices to :class:`~sthc_desktop.ui.view_model.NationalViewModel`
and show what :class:`~sthc_desktop.core.england.England` returns. "Export map…" builds the same
request as ``python main.py export map --area`` and runs it on a worker thread, with the Export
dialog's progress bar and Cancel.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QCompleter, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QToolTip,
                               QVBoxLayout, QWidget)

from sthc_desktop.content.numbers import format_value
from sthc_desktop.core.datapack import BOROUGH_CODE
from sthc_desktop.core.england import ENGLAND, NATIONAL_SCHEMES, England
from sthc_desktop.render.page import ORIENTATIONS, PAPER_SIZES
from sthc_desktop.render.englandmap import NationalMapFigure

from .export_progress import ExportProgress
from .panels import LegendPanel
from .view_model import NationalViewModel


class NationalCanvas(FigureCanvasQTAgg):
    """The national map; built when first shown (reading 32,844 shapes takes about a second)."""

    def __init__(self, model: NationalViewModel, parent=None):
        self.figure = Figure(figsize=(7, 8), facecolor="white")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setMinimumSize(420, 420)
        self.setMouseTracking(True)
        self.model = model
        self.ax = self.figure.add_axes([0, 0, 1, 1])
        self.map = NationalMapFigure(self.ax, model.england)
        self.legend = self.map.update(model.view)
        model.viewChanged.connect(self._redraw)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.mpl_connect("resize_event", lambda _e: (self.map.refit(), self.draw_idle()))

    def _redraw(self, view) -> None:
        self.legend = self.map.update(view)
        self.draw_idle()

    def _on_motion(self, event) -> None:
        if event.inaxes is not self.ax or event.xdata is None:
            return
        code = self.map.code_at(event.xdata, event.ydata)
        if code is None:
            QToolTip.hideText()
            return
        row = self.model.england.area(code)
        meta = self.model.england.meta(self.model.view.indicator_id)
        QToolTip.showText(self.mapToGlobal(event.guiEvent.position().toPoint()),
                          f"<b>{row['name']}</b> ({code})<br>{row['lad_name']}<br>{meta.short_name}: "
                          f"{format_value(row[self.model.view.indicator_id], meta.unit)}", self)


class EnglandView(QWidget):
    def __init__(self, england: England, parent=None):
        super().__init__(parent)
        self.model = NationalViewModel(england)
        self.england = england
        self.canvas: NationalCanvas | None = None

        self.indicator = QComboBox()
        for r in england.indicators().sort_values("name").itertuples():
            self.indicator.addItem(r.short_name, r.id)
            self.indicator.setItemData(self.indicator.count() - 1, f"{r.name} ({r.period})", Qt.ToolTipRole)
        self.indicator.setCurrentIndex(self.indicator.findData(self.model.view.indicator_id))
        self.scheme = QComboBox()
        self.scheme.addItem("Indicator's default", None)
        for s in NATIONAL_SCHEMES:
            self.scheme.addItem(s.label, s.value)
        self.classes = QSpinBox(minimum=3, maximum=10, value=self.model.view.classes)
        self.area = QComboBox(editable=True, insertPolicy=QComboBox.NoInsert)
        self.area.addItems([ENGLAND, *england.district_names()])
        self.area.completer().setFilterMode(Qt.MatchContains)
        self.area.completer().setCompletionMode(QCompleter.PopupCompletion)
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES))
        self.orientation = QComboBox()
        self.orientation.addItems(list(ORIENTATIONS))
        self.export_button = QPushButton("Export map…")
        self.export_button.setToolTip("PDF or SVG (vector) or PNG at 150 dpi; the same page as "
                                      "`python main.py export map --area …`")
        self.exporting = ExportProgress()
        self.exporting.ended.connect(lambda: self.export_button.setEnabled(True))
        self.exporting.written.connect(lambda out: QMessageBox.information(self, "Exported", f"Wrote {out}"))
        self.exporting.failed.connect(lambda exc: QMessageBox.warning(self, "Export failed", str(exc)))

        form = QFormLayout()
        form.addRow("Indicator", self.indicator)
        form.addRow("Classes", _row(self.scheme, self.classes))
        form.addRow("Area", self.area)
        self.statement = QLabel(england.ranking_statement(), wordWrap=True)
        self.ranking = QTableWidget(0, 3)
        self.ranking.setHorizontalHeaderLabels(["District", "Avg IMD score", "Rank"])
        self.ranking.verticalHeader().hide()
        self.ranking.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2):
            self.ranking.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.ranking.setEditTriggers(QTableWidget.NoEditTriggers)
        self.side = QVBoxLayout()
        self.side.addLayout(form)
        self.side.addWidget(_row(QLabel("Page"), self.paper, self.orientation, self.export_button))
        self.side.addWidget(self.exporting)
        self.side.addWidget(QLabel("<b>Districts, IoD2019</b>"))
        self.side.addWidget(self.statement)
        self.side.addWidget(self.ranking, 1)
        panel = QWidget()
        panel.setLayout(self.side)
        panel.setFixedWidth(380)
        self.layout_ = QHBoxLayout(self)
        self.layout_.addWidget(panel)

        self.indicator.currentIndexChanged.connect(
            lambda _i: self.model.update(indicator_id=self.indicator.currentData(), scheme=None))
        self.scheme.currentIndexChanged.connect(lambda _i: self.model.update(scheme=self.scheme.currentData()))
        self.classes.valueChanged.connect(lambda k: self.model.update(classes=k))
        self.area.activated.connect(lambda _i: self.choose_area(self.area.currentText()))
        self.area.lineEdit().returnPressed.connect(lambda: self.choose_area(self.area.currentText()))
        self.export_button.clicked.connect(self.export)
        self.ranked_for = None  # the district the ranking table was filled for
        self.model.viewChanged.connect(lambda _v: self._show_ranking())
        self._show_ranking()

    def showEvent(self, event) -> None:
        self.ensure_map()
        super().showEvent(event)

    def ensure_map(self) -> None:
        if self.canvas is None:
            self.canvas = NationalCanvas(self.model, self)
            self.legend = LegendPanel(self.canvas)
            self.side.insertWidget(2, self.legend, 1)
            self.layout_.insertWidget(0, self.canvas, 1)

    def choose_area(self, text: str) -> None:
        if text.strip().lower() in ("", ENGLAND.lower()):
            self.area.setEditText(ENGLAND)
            self.model.update(district=None)
            return
        try:
            code = self.england.district_code(text)
        except KeyError as exc:
            QMessageBox.information(self, "Area not found", exc.args[0])
            return
        name = self.england.district_name(code)
        if name not in self.england.district_names():
            QMessageBox.information(self, "Area not mapped", f"{name} is not mapped in this pack (it was built "
                                                             f"for {', '.join(self.england.district_names())}).")
            return
        self.area.setEditText(name)
        self.model.update(district=name)

    def _show_ranking(self) -> None:
        """Fill the ranking table for the view's district (it depends on nothing else)."""
        district = self.model.view.district
        if self.ranked_for == (district,):
            return
        self.ranked_for = (district,)
        rows = self.england.ranking("imd_average_score", focus=self.england.focus_codes(district))
        self.ranking.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate((r.lad_name, format_value(r.value, "score"), f"{r.rank} of {r.of}")):
                item = QTableWidgetItem(text)
                if r.lad_code == BOROUGH_CODE:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.ranking.setItem(i, j, item)

    def export(self) -> None:
        """Ask where, then write the map on a worker thread (the bar and Cancel show meanwhile)."""
        from sthc_desktop.export.request import national_map_request

        area = (self.model.view.district or "england").lower().replace(" ", "-").replace(".", "")
        suggested = Path.home() / f"{area}-{self.model.view.indicator_id}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, "Export national map", str(suggested),
                                              "PDF (*.pdf);;PNG image (*.png);;SVG (*.svg)")
        if not name:
            return
        request = national_map_request(self.model.view, name, paper=self.paper.currentText(),
                                       orientation=self.orientation.currentText(),
                                       overwrite=True)  # the file dialog asked before replacing
        self.export_button.setEnabled(False)
        self.exporting.start(request, self.england)


def _row(*widgets) -> QWidget:
    w = QWidget()
    box = QHBoxLayout(w)
    box.setContentsMargins(0, 0, 0, 0)
    for x in widgets:
        box.addWidget(x)
    return w
