"""A busy cursor while the app works on something the user asked for (anything that can take
more than a moment: a comparison of a whole theme, a planner change), and a progress bar for
core work that reports how far it has got (reading and checking a large import)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

#: Work shorter than this shows no progress bar (the busy cursor is enough).
PROGRESS_AFTER_MS = 300


def busy(method):
    """Show the wait cursor while ``method`` runs (restored however it ends)."""
    @wraps(method)
    def run(*args, **kwargs):
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return method(*args, **kwargs)
        finally:
            QApplication.restoreOverrideCursor()
    return run


@contextmanager
def progress_bar(parent: QWidget, title: str) -> Iterator:
    """A ``progress(done, total, what)`` callback for the core, shown as a window-modal progress bar
    over ``parent`` once the work has taken :data:`PROGRESS_AFTER_MS`, with the wait cursor throughout."""
    bar = QProgressDialog(parent)
    bar.setWindowTitle(title)
    bar.setWindowModality(Qt.WindowModal)  # no click on the dialog below while it works
    bar.setCancelButton(None)
    bar.setMinimumDuration(PROGRESS_AFTER_MS)
    bar.setAutoClose(False)

    def progress(done: int, total: int, what: str) -> None:
        bar.setLabelText(f"{what}: {done:,} of {total:,}")
        bar.setMaximum(max(total, 1))
        bar.setValue(done)  # repaints and processes events once the bar is shown
    QApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        yield progress
    finally:
        QApplication.restoreOverrideCursor()
        bar.close()
        bar.deleteLater()
