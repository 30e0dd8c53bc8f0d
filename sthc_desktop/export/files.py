"""Writing export files so that a file is either complete or not there at all.

Every export is written to a hidden temporary file in the target folder and renamed over
the target only when the last byte is out (``os.replace`` is atomic within a folder). A
read-only folder, a full disk or a cancelled pack raises :class:`ExportError` naming the
file and the problem, and the temporary file is removed. PDFs embed their fonts as
TrueType, so the text stays selectable and searchable; pages stay vector.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sthc_desktop.core.errors import ExportError

FORMATS = ("pdf", "png", "svg")
DEFAULT_DPI = 150
PRINT_DPI = 300
#: TrueType fonts in PDFs keep the text extractable; a fixed SVG salt keeps ids reproducible.
SAVE_RC = {"pdf.fonttype": 42, "svg.hashsalt": "sthc-briefing"}
CREATOR = "St Helens Cares locality planner"

#: progress(pages_done, pages_total, label_of_the_page_just_written)
Progress = Callable[[int, int, str], None]


class ExportCancelled(ExportError):
    """The user cancelled an export; nothing was written."""


def format_for(out: Path, fmt: str | None) -> str:
    """The format asked for, or the one the file name ends in."""
    fmt = (fmt or Path(out).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(out, f"unknown export format '{fmt}'; choose {', '.join(FORMATS)}")
    return fmt


def _problem(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot write here: the folder is read-only or you do not have permission; nothing was written"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; nothing was written"
    return f"cannot be written ({exc.strerror or exc}); nothing was written"


@contextmanager
def atomic_file(out: str | Path):
    """Yield a temporary path beside ``out``; on success it replaces ``out``, on any failure it is removed."""
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(out, f"the folder {out.parent} does not exist")
    try:
        fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise ExportError(out, _problem(exc)) from None
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(out, _problem(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_figure(fig: Figure, out: str | Path, *, fmt: str | None = None, dpi: int = DEFAULT_DPI,
                 title: str = "") -> Path:
    """One page as PDF (vector), SVG (vector) or PNG (``dpi``), the page size exactly (no trimming)."""
    out = Path(out)
    fmt = format_for(out, fmt)
    metadata = {"Title": title, "Creator": CREATOR} if fmt == "pdf" else None
    with atomic_file(out) as tmp, rc_context(SAVE_RC):
        fig.savefig(tmp, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return out


def write_pdf(pages: Sequence[tuple[str, Callable[[], Figure]]], out: str | Path, *, title: str = "",
              progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Path:
    """A multi-page PDF from (label, build_page) pairs, built one page at a time.

    ``cancelled()`` is asked before each page and ``progress`` told after it, so a caller can
    keep its window responsive and stop a long pack part-way, leaving no file behind."""
    out = Path(out)
    total = len(pages)
    with atomic_file(out) as tmp, rc_context(SAVE_RC):
        with PdfPages(tmp, metadata={"Title": title, "Creator": CREATOR}) as pdf:
            for done, (label, build) in enumerate(pages, start=1):
                if cancelled is not None and cancelled():
                    raise ExportCancelled(out, "export cancelled; nothing was written")
                pdf.savefig(build(), facecolor="white")
                if progress is not None:
                    progress(done, total, label)
    return out
