"""Writing export files: pages as PDF, PNG or SVG, and tables as CSV or JSON.

Every file goes through the one atomic writer, :func:`sthc_desktop.core.files.atomic_path`: a
complete file or none, flushed to disk, the user's usual permissions, and an existing file replaced
only with ``overwrite=True``. A read-only folder, a full disk, a target that may not be replaced or
a cancelled pack raises :class:`~sthc_desktop.core.errors.ExportError` naming the file and the
problem. A page set in the PDF core font Helvetica (:data:`~sthc_desktop.render.page.PRINT`) names
the font and embeds nothing; other PDFs embed the glyphs they use as Type 3 fonts with a Unicode
map. Either way the text stays selectable and searchable, and pages stay vector.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from sthc_desktop.core.errors import ExportError
from sthc_desktop.core.files import atomic_path, check_target

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib and pandas are imported by the writers that use them: the command line reads the
# formats and resolutions here, and `compare` writes its tables, without loading either.

FORMATS = ("pdf", "png", "svg")
DEFAULT_DPI = 150
PRINT_DPI = 300
#: The resolutions the dialog and the command line both accept: 72 dpi (a screen) to 600 dpi (an A3
#: sheet at 600 dpi is already about 70 million pixels, near what a desktop holds in memory at once).
MIN_DPI, MAX_DPI = 72, 600
#: Type 3 fonts for text not set in the core font (matplotlib's own subsets, with a Unicode map, so
#: text stays extractable): faster to write than TrueType (Type 42), whose subsetting with fontTools
#: when the file closes took a tenth of a pack's time; poppler renders both the same. PDF streams at
#: zlib level 1 instead of 6: a pack is written in a fifth less time and its file is a fifth larger
#: (1.1 to 1.35 MB); the pages are the same. A fixed SVG salt keeps ids reproducible.
SAVE_RC = {"pdf.fonttype": 3, "pdf.compression": 1, "svg.hashsalt": "sthc-briefing"}
CREATOR = "St Helens Cares locality planner"
#: zlib level 3 instead of PIL's default 6: an A4 page at 150 dpi encodes in two thirds of the time and
#: its file is about 1% larger; PNG is lossless, so the pixels are the same.
PNG_OPTIONS = {"compress_level": 3}

#: matplotlib's settings are one set for the whole process, and a save changes them while it draws
#: (:data:`SAVE_RC`, a page's face): two exports at once (the England tab's and the Export dialog's)
#: take turns to save, so neither draws in the other's settings nor, restoring its own copy when it
#: ends, leaves them behind for every later file.
_SAVING = threading.Lock()

#: progress(pages_done, pages_total, label_of_the_page_just_written)
Progress = Callable[[int, int, str], None]
#: cancelled() -> True once the user has asked to stop; asked between steps
Cancelled = Callable[[], bool]


class ExportCancelled(ExportError):
    """The user cancelled an export; nothing was written."""


def write_figure(fig: Figure, out: str | Path, *, fmt: str, dpi: int = DEFAULT_DPI, title: str = "",
                 overwrite: bool = False, progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> Path:
    """One page as PDF (vector), SVG (vector) or PNG (``dpi``), the page size exactly (no trimming), for a
    request :func:`~sthc_desktop.export.request.check` has passed."""
    from matplotlib import rc_context

    out = Path(out)
    metadata = pdf_metadata(title) if fmt == "pdf" else None

    def save():
        with _SAVING, atomic_path(out, overwrite=overwrite) as tmp, rc_context(SAVE_RC), drawn_in_face(fig):
            fig.savefig(tmp, format=fmt, dpi=dpi, facecolor="white", metadata=metadata,
                        **({"pil_kwargs": PNG_OPTIONS} if fmt == "png" else {}))
    one_step(out, title, save, progress, cancelled)
    return out


def one_step(out: Path, label: str, write: Callable[[], object], progress: Progress | None = None,
             cancelled: Cancelled | None = None):
    """Run ``write``, a file written in one go, as one step of progress: refused if already cancelled."""
    stop_if_cancelled(out, cancelled)
    written = write()
    if progress is not None:
        progress(1, 1, label)
    return written


def stop_if_cancelled(out: Path, cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled(out, "export cancelled; nothing was written")


def drawn_in_face(fig: Figure):
    """The settings that draw ``fig`` in the face its text was measured in, its text made drawable in it."""
    from matplotlib import rc_context

    from sthc_desktop.render.page import face_of, set_in_face

    set_in_face(fig)
    return rc_context(face_of(fig).rc)


def pdf_metadata(title: str) -> dict:
    """The PDF's information: no creation date, so the same request always gives the same bytes (the
    page prints the date it was produced)."""
    return {"Title": title, "Creator": CREATOR, "CreationDate": None}


def write_pdf(pages: Sequence[tuple[str, Callable[[], Figure]]], out: str | Path, *, title: str = "",
              progress: Progress | None = None, cancelled: Cancelled | None = None,
              overwrite: bool = False) -> Path:
    """A multi-page PDF from (label, build_page) pairs, built one page at a time.

    ``cancelled()`` is asked before each page and ``progress`` told after it, so a caller can
    keep its window responsive and stop a long pack part-way, leaving no file behind."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfPages  # imported for PDFs only: it loads fontTools

    out = Path(out)
    total = len(pages)
    with _SAVING, atomic_path(out, overwrite=overwrite) as tmp, rc_context(SAVE_RC):
        with PdfPages(tmp, metadata=pdf_metadata(title)) as pdf:
            for done, (label, build) in enumerate(pages, start=1):
                stop_if_cancelled(out, cancelled)
                fig = build()
                with drawn_in_face(fig):
                    pdf.savefig(fig, facecolor="white")
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


def write_tables(tables, *, overwrite: bool = False) -> list[Path]:
    """Tables given as (frame, out, fmt) written as CSV or JSON records, all or none: every target is
    checked first, each goes to a temporary file, and the files are renamed into place only once
    every one is written."""
    from sthc_desktop.core.cells import safe_frame

    tables = [(frame, Path(out), table_format(out, fmt)) for frame, out, fmt in tables]
    for _, out, _ in tables:
        check_target(out, overwrite=overwrite)
    with ExitStack() as stack:
        written = []
        for frame, out, fmt in tables:
            tmp = stack.enter_context(atomic_path(out, overwrite=overwrite))
            if fmt == "csv":  # text cells that a spreadsheet would run as formulas are escaped
                safe_frame(frame).to_csv(tmp, index=False)
            else:
                frame.to_json(tmp, orient="records", indent=2, force_ascii=False)
            written.append(out)
    return written
