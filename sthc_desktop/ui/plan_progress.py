"""The Strategic plan tab's plan-progress buttons: write the template of the key measures for the
user to fill in with the latest published values, and import it back into the document (the table
and the locality pack then show latest values and direction of travel; the workspace keeps them).
Reading and checking is core.plan_progress."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from sthc_desktop.core import plan_progress
from sthc_desktop.core.errors import DataError, ExportError
from sthc_desktop.core.files import write_bytes

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def plan_panel(view, table) -> QWidget:
    """``table`` (the plan's measures) under the two buttons; ``view`` refills it after an import."""
    panel = QWidget()
    box = QVBoxLayout(panel)
    box.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    view.template_button = QPushButton("Write a progress template…")
    view.progress_button = QPushButton("Import latest values…")
    view.template_button.clicked.connect(lambda: write_template(view))
    view.progress_button.clicked.connect(lambda: import_progress(view))
    row.addWidget(view.template_button)
    row.addWidget(view.progress_button)
    row.addWidget(QLabel("Fill in the template's latest_value and latest_period from the published source.",
                         wordWrap=True), 1)  # wrapped: a long line would widen the whole window
    box.addLayout(row)
    box.addWidget(table, 1)
    return panel


def write_template(view) -> None:
    path, _ = QFileDialog.getSaveFileName(view, "Write a progress template", "plan_progress.csv", CSV_FILTER)
    if not path:
        return
    try:  # the file dialog has asked before replacing a file
        write_bytes(path, plan_progress.template_csv(view.model.planner.pack.key_measures), overwrite=True)
    except ExportError as exc:
        QMessageBox.warning(view, "Template not written", str(exc))


def import_progress(view) -> None:
    path, _ = QFileDialog.getOpenFileName(view, "Import latest values", "", CSV_FILTER)
    if not path:
        return
    try:
        view.model.import_plan_progress(path)  # the table refills when the document announces it
    except DataError as exc:
        QMessageBox.warning(view, "Latest values not imported", str(exc))
