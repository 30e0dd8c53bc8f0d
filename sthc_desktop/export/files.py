"""Writing export files so that a file is either complete or not there at all.

Every export is written to a hidden temporary file in the target folder and renamed over
the target only when the last byte is out (``os.replace`` is atomic within a folder). A
read-only folder, a full disk or a cancelled pack raises :class:`ExportError` naming the
file and the problem, and the temporary file is removed. PDFs embed the glyphs they use
as Type 3 fonts with a Unicode map, so the text stays selectable and searchable; pages
stay vector.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sthc_desktop.core.errors import ExportError

FORMATS = ("pdf", "png", "svg")
DEFAULT_DPI = 150
PRINT_DPI = 300
#: The resolutions the dialog and the command line both accept: 72 dpi (a screen) to 600 dpi (an A3
#: sheet at 600 dpi is already about 70 million pixels, near what a desktop holds in memory at once).
MIN_DPI, MAX_DPI = 72, 600
#: Type 3 fonts (matplotlib's own subsets, with a Unicode map, so text stays extractable): a pack
#: writes 0.5-0.7 s faster than with TrueType (Type 42), whose subsetting with fontTools when the
#: file closes is a tenth of the pack's time; poppler renders both the same. A fixed SVG salt
#: keeps ids reproducible.
SAVE_RC = {"pdf.fonttype": 3, "svg.hashsalt": "sthc-briefing"}
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


def check_dpi(dpi: int, out: str | Path) -> None:
    """Refuse a resolution outside :data:`MIN_DPI`–:data:`MAX_DPI` before any work is done."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ExportError(out, f"resolution {dpi} dpi is outside {MIN_DPI}–{MAX_DPI} dpi")


def write_figure(fig: Figure, out: str | Path, *, fmt: str | None = None, dpi: int = DEFAULT_DPI,
                 title: str = "") -> Path:
    """One page as PDF (vector), SVG (vector) or PNG (``dpi``), the page size exactly (no trimming)."""
    out = Path(out)
    fmt = format_for(out, fmt)
    check_dpi(dpi, out)
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


TABLE_FORMATS = ("csv", "json")


def table_format(out: str | Path, fmt: str | None = None) -> str:
    """The table format asked for, or the one the file name ends in."""
    fmt = (fmt or Path(out).suffix.lstrip(".")).lower()
    if fmt not in TABLE_FORMATS:
        raise ExportError(out, f"unknown format '{fmt}'; choose {' or '.join(TABLE_FORMATS)}")
    return fmt


def write_tables(tables) -> list[Path]:
    """Tables given as (frame, out, fmt) written as CSV or JSON records, all or none: each goes to a
    temporary file, and the files are renamed into place only once every one is written."""
    with ExitStack() as stack:
        written = []
        for frame, out, fmt in tables:
            out = Path(out)
            fmt = table_format(out, fmt)
            tmp = stack.enter_context(atomic_file(out))
            if fmt == "csv":
                frame.to_csv(tmp, index=False)
            else:
                frame.to_json(tmp, orient="records", indent=2, force_ascii=False)
            written.append(out)
    return written
