"""The Export dialog: a briefing map of the current view, or a locality pack.

It only fills in an :class:`~sthc_desktop.export.request.ExportRequest` from its widgets and the
document (the same request ``python main.py export`` builds from its options) and runs it on a worker
thread through :class:`~sthc_desktop.ui.export_progress.ExportProgress`: a progress bar and Cancel
show while the window stays live. It previews the page the export will write, offers to open the file when done,
and shows an error (a refused request or a file that cannot be written) in a message box while
staying open so the user can choose another folder.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox,
                               QTabWidget, QVBoxLayout, QWidget)

from sthc_desktop.core.errors import DataError, ExportError
from sthc_desktop.core.indicators import THEMES
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.export import DEFAULT_DPI, MAX_DPI, MIN_DPI, PRINT_DPI, ExportJob
from sthc_desktop.export.formats import MAP_FORMATS, PACK_FORMATS, PAGE_FORMATS
from sthc_desktop.export.request import PACK, ExportRequest, choose_indicators, map_request
from sthc_desktop.render.briefing_map import briefing_map
from sthc_desktop.render.locality_pack import pack_pages
from sthc_desktop.render.page import ORIENTATIONS, PAPER_SIZES, SCREEN

from .export_progress import ExportProgress
from .overwrite import confirm_replace
from .document import Document

KEY_INDICATORS = "Key indicators"


def figure_pixmap(fig, size: QSize, ratio: float) -> QPixmap:
    """A page figure drawn to fit ``size`` (logical pixels) at ``ratio`` device pixels to each, the screen's
    density: drawn at 1× and stretched, a preview on a 150% screen would be blurred."""
    width, height = fig.get_size_inches()
    fig.set_dpi(min(size.width() / width, size.height() / height) * ratio)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buffer = canvas.buffer_rgba()
    h, w = buffer.shape[:2]
    pixmap = QPixmap.fromImage(QImage(bytes(buffer), w, h, 4 * w, QImage.Format_RGBA8888))
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class ExportDialog(QDialog):
    """Export the current view's briefing map, or a locality pack."""

    def __init__(self, model: Document, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.model = model
        self.written: Path | None = None
        self.running = ExportProgress()
        self.progress, self.cancel_button = self.running.bar, self.running.cancel_button
        self.cancel_button.clicked.connect(lambda: self.status.setText("Cancelling after the page being written…"))
        self.running.progressed.connect(self._progressed)
        self.running.ended.connect(lambda: self._enable_choices(True))
        self.running.written.connect(self._written)
        self.running.failed.connect(self._failed)
        self.running.cancelled.connect(lambda: self.status.setText("Export cancelled; nothing was written."))

        self.tabs = QTabWidget()
        self.tabs.addTab(self._map_tab(), "Briefing map")
        self.tabs.addTab(self._pack_tab(), "Locality pack")
        self.preview = QLabel(alignment=Qt.AlignCenter)
        self.preview.setMinimumSize(340, 480)
        self.preview.setStyleSheet("background: #9e9e9e;")

        self.out = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(QLabel("Save to:"))
        where.addWidget(self.out, 1)
        where.addWidget(browse)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.open_button = QPushButton("Open the file")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_file)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ActionRole)
        buttons.addButton(QDialogButtonBox.Close)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        self.choices = (self.tabs, self.out, browse, self.export_button)  # fixed while an export runs

        left = QVBoxLayout()
        left.addWidget(self.tabs)
        left.addLayout(where)
        left.addWidget(self.status)
        left.addWidget(self.running)
        left.addStretch(1)
        left.addWidget(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.preview)

        self.tabs.currentChanged.connect(self._changed)
        self._changed()

    # -- the choices -------------------------------------------------------------------------
    def _map_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES))
        self.orientation = QComboBox()
        self.orientation.addItems(list(ORIENTATIONS))
        self.format = QComboBox()
        self.format.addItems([f.upper() for f in MAP_FORMATS])
        self.dpi = QSpinBox(minimum=MIN_DPI, maximum=MAX_DPI, value=DEFAULT_DPI, suffix=" dpi")
        self.dpi.setToolTip(f"PNG resolution, {MIN_DPI}–{MAX_DPI} dpi: {DEFAULT_DPI} for the screen, "
                            f"{PRINT_DPI} for print")
        form.addRow("Paper", self.paper)
        form.addRow("Orientation", self.orientation)
        form.addRow("Format", self.format)
        form.addRow("Resolution", self.dpi)
        form.addRow(QLabel("Exports the map as it is now: indicator, period, classes, layers and zoom.\n"
                           "XLSX: the data behind the map; GPKG: its layers for GIS."))
        for box in (self.paper, self.orientation, self.format):
            box.currentIndexChanged.connect(self._changed)
        return tab

    def _pack_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.locality_boxes = {}
        ticks = QVBoxLayout()
        for name in NETWORKS:
            box = QCheckBox(name.replace("&", "&&"), checked=True)  # "&" alone marks a shortcut key
            box.toggled.connect(self._changed)
            self.locality_boxes[name] = box
            ticks.addWidget(box)
        form.addRow("Localities", ticks)
        self.indicators = QComboBox()
        self.indicators.addItem(KEY_INDICATORS)
        themes = set(self.model.planner.pack.catalogue["theme"])
        for theme in [t for t in THEMES if t in themes] + sorted(themes - set(THEMES)):
            try:
                choose_indicators(self.model.planner, theme)
            except ExportError:
                continue  # too many headline indicators for one page's table
            self.indicators.addItem(theme)
        form.addRow("Indicators", self.indicators)
        self.pack_format = QComboBox()
        self.pack_format.addItems([f.upper() for f in PACK_FORMATS])
        self.pack_format.currentIndexChanged.connect(self._changed)
        form.addRow("Format", self.pack_format)
        form.addRow(QLabel("PDF: cover, borough overview, one page per locality, and notes.\n"
                           "XLSX: every table and the data behind the charts; PPTX: slides to edit."))
        return tab

    @property
    def is_pack(self) -> bool:
        return self.tabs.currentIndex() == 1

    def localities(self) -> list[str]:
        return [n for n, box in self.locality_boxes.items() if box.isChecked()]

    def indicator_ids(self) -> list[str]:
        return choose_indicators(self.model.planner, self._indicator_choice())

    def _indicator_choice(self) -> str | None:
        choice = self.indicators.currentText()
        return None if choice == KEY_INDICATORS else choice

    def request(self, out: Path, *, overwrite: bool = False) -> ExportRequest:
        """What the widgets and the document ask for: the request ``export map|pack`` builds from options."""
        model = self.model
        setup = dict(format=self._suffix(), overwrite=overwrite, method=model.method, lookup=model.lookup,
                     scenario=model.scenario)
        if self.is_pack:
            return ExportRequest(PACK, out, localities=tuple(self.localities()),
                                 indicators=self._indicator_choice(), **setup)
        return map_request(model.view, out, paper=self.paper.currentText(),
                           orientation=self.orientation.currentText(), dpi=self.dpi.value(), **setup)

    def _suffix(self) -> str:
        return (self.pack_format if self.is_pack else self.format).currentText().lower()

    def _changed(self, *_args) -> None:
        self.dpi.setEnabled(not self.is_pack and self._suffix() == "png")
        for box in (self.paper, self.orientation):  # the data and GIS files have no page
            box.setEnabled(self._suffix() in PAGE_FORMATS)
        text = self.out.text().strip()
        if text:
            self.out.setText(str(Path(text).with_suffix("." + self._suffix())))
        else:
            self.out.setText(str(Path.home() / f"st_helens_{'locality_pack' if self.is_pack else 'map'}."
                                 f"{self._suffix()}"))
        self.update_preview()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.out.text(),
                                              f"{self._suffix().upper()} (*.{self._suffix()})",
                                              options=QFileDialog.DontConfirmOverwrite)  # asked on Export
        if name:
            self.out.setText(name)

    # -- preview, export ---------------------------------------------------------------------
    def update_preview(self) -> None:
        """The page as it will be written: the map page, or the pack's cover."""
        planner = self.model.planner
        if self.is_pack:
            if not self.localities():
                self.preview.setText("Choose at least one locality.")
                return
            fig = pack_pages(planner, self.localities(), self.indicator_ids(), face=SCREEN)[0][1]()
        else:
            fig = briefing_map(planner, self.model.view, paper=self.paper.currentText(),
                               orientation=self.orientation.currentText()).figure
        self.preview.setPixmap(figure_pixmap(fig, self.preview.size(), self.preview.devicePixelRatioF()))

    def export(self) -> None:
        """Start writing the file on a worker thread; :attr:`written` is set when it is done."""
        out = Path(self.out.text().strip()).expanduser()
        self.open_button.setEnabled(False)
        self.written = None
        try:
            if not confirm_replace(self, out):
                self.status.setText("Not exported; the existing file is kept.")
                return
        except ExportError as exc:
            self._failed(exc)
            return
        self.status.setText(f"Writing {out.name}…")
        self._enable_choices(False)
        self.running.start(self.request(out, overwrite=True), self.model.planner)

    @property
    def job(self) -> ExportJob | None:
        """The export running now, if any."""
        return self.running.job

    def _progressed(self, done: int, total: int, label: str) -> None:
        self.status.setText(f"Written: {label} ({done} of {total})")

    def _written(self, path: Path) -> None:
        self.written = path
        self.status.setText(f"Saved {path}")
        self.open_button.setEnabled(True)

    def _failed(self, exc: DataError) -> None:
        self.status.setText("Export failed.")
        QMessageBox.critical(self, "Export failed", str(exc))

    def _enable_choices(self, enabled: bool) -> None:
        for widget in self.choices:
            widget.setEnabled(enabled)

    def done(self, result: int) -> None:
        """Closing stops a running export first (at the next page), so no worker outlives the dialog."""
        self.running.stop()
        super().done(result)

    def open_file(self) -> None:
        if self.written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written)))
