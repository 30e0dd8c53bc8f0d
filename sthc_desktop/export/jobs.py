"""Running an export: :func:`export`, the one call both doors make, and :class:`ExportJob`, which runs
it on a worker thread with progress and cancel.

The dialog shows the job's progress in a bar with a Cancel button while its window stays live; the
command line prints it on stderr and cancels on Ctrl+C. The export code draws with matplotlib's
object-oriented API only (figures and Agg/PDF canvases, never pyplot) and touches no widget, so it
is safe off the GUI thread. A cancel is seen between pages; the atomic writer then leaves neither the
file nor a temporary file. Qt-free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from .files import Cancelled, Progress
from .request import MAP, NATIONAL_MAP, PACK, ExportRequest, check

#: Each kind's writer, imported when first used (a map does not load the pack's page modules).
_WRITERS = {MAP: (".briefing_map", "write_map"), PACK: (".locality_pack", "write_pack"),
            NATIONAL_MAP: (".national_map", "write_national_map")}


def export(request: ExportRequest, source, *, progress: Progress | None = None,
           cancelled: Cancelled | None = None) -> Path:
    """Check ``request`` against ``source`` (a planner, or England for a national map), then write it."""
    checked = check(request, source)
    module, name = _WRITERS[checked.kind]
    return getattr(import_module(module, __package__), name)(source, checked, progress, cancelled)


class ExportJob:
    """One export on a worker thread.

    ``progress(done, total, label)`` and ``finished(job)`` are called on the worker thread (a GUI
    passes them on to its own thread); :meth:`cancel` may be called from any thread."""

    def __init__(self, request: ExportRequest, source, *, progress: Progress | None = None,
                 finished: Callable[["ExportJob"], None] | None = None):
        self.request = request
        self.written: Path | None = None
        self.error: BaseException | None = None
        self._source, self._progress, self._finished = source, progress, finished
        self._stop, self._ended = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="export", daemon=True)

    def start(self) -> "ExportJob":
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._ended.is_set()

    def wait(self, poll: float = 0.2) -> Path:
        """The file written, once the job ends; its error raised here instead if it failed."""
        # Short waits on an event, so Ctrl+C reaches the caller (an interrupted Thread.join can leave the
        # thread looking finished while it still runs).
        while not self._ended.wait(poll):
            pass
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.written

    def _run(self) -> None:
        try:
            self.written = export(self.request, self._source, progress=self._progress, cancelled=self._stop.is_set)
        except BaseException as exc:  # handed to whoever waits: a one-line ExportError, or a bug to report
            self.error = exc
        finally:
            self._ended.set()
            if self._finished is not None:
                self._finished(self)
