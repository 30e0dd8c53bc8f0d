"""An export running on a worker thread, as a window shows it: a progress bar and a Cancel button,
shared by the Export dialog and the England tab's "Export map…".

It starts an :class:`~sthc_desktop.export.ExportJob` for a request and passes the job's news to the
window's own thread as signals (each page written; then the file, a one-line refusal or a cancel), so
the window stays live while pages are written. An error that is not bad input's is a bug: it is raised
on the window's thread, for the app's error handler.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from sthc_desktop.core.errors import DataError, ExportError
from sthc_desktop.export import ExportCancelled, ExportJob, ExportRequest


class ExportProgress(QWidget):
    """A progress bar and Cancel, shown while :attr:`job` runs (hidden otherwise)."""

    #: pages done, pages in all, the page just written
    progressed = Signal(int, int, str)
    #: the job ended, however (emitted before one of the three below)
    ended = Signal()
    #: the file written (a Path)
    written = Signal(object)
    #: the one-line :class:`~sthc_desktop.core.errors.DataError` that stopped it (a refused request, a
    #: file that cannot be written, a damaged pack)
    failed = Signal(object)
    cancelled = Signal()
    # The job's news, emitted on its worker thread; Qt queues them to this widget's thread.
    _step = Signal(int, int, str)
    _done = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.job: ExportJob | None = None
        self.bar = QProgressBar()
        self.bar.setFormat("%v of %m")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self._step.connect(self._progressed)
        self._done.connect(self._finished)
        self.hide()

    def start(self, request: ExportRequest, source) -> ExportJob:
        """Run ``request`` on ``source`` (a planner, or England for a national map) on a worker thread."""
        self.bar.setRange(0, 0)  # busy until the first page is written
        self.cancel_button.setEnabled(True)
        self.show()
        self.job = ExportJob(request, source, progress=self._step.emit, finished=self._done.emit).start()
        return self.job

    def cancel(self) -> None:
        """Stop at the next page; the job then ends with :class:`~sthc_desktop.export.ExportCancelled`."""
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)

    def stop(self) -> None:
        """Cancel and wait for the worker, so none outlives its window."""
        if self.job is not None:
            self.job.cancel()
            try:
                self.job.wait()
            except ExportError:
                pass  # cancelled: nothing was written
            self.job = None
            self.hide()

    def _progressed(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.progressed.emit(done, total, label)

    def _finished(self, job: ExportJob) -> None:
        self.job = None
        self.hide()
        self.ended.emit()
        if isinstance(job.error, ExportCancelled):
            self.cancelled.emit()
        elif isinstance(job.error, DataError):
            self.failed.emit(job.error)
        elif job.error is not None:
            raise job.error  # a bug: reported by the app's error handler, not dressed up as bad input
        else:
            self.written.emit(job.written)
