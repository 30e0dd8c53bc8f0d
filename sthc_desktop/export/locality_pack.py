"""Export the locality pack: cover, borough overview, one page per Care Community and notes,
as one multi-page PDF written page by page (with progress and a cancel check between pages);
or its tables as a workbook, or a slide deck."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sthc_desktop.content.pack import PACK_TITLE
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.render.locality_pack import pack_pages

from .files import Cancelled, Progress, one_step, write_pdf
from .formats import SLIDES, SPREADSHEET
from .request import PACK, ExportRequest, check


def export_pack(planner: Planner, out: str | Path, *, localities: Iterable[str] = NETWORKS,
                indicators: Iterable[str] | None = None, progress: Progress | None = None,
                cancelled: Cancelled | None = None, produced: date | None = None,
                overwrite: bool = False, fmt: str | None = None) -> Path:
    """Write the locality pack PDF: cover + overview + one page per locality + notes; or, by ``fmt`` or
    ``out``'s suffix, its tables as a workbook (xlsx) or a slide deck (pptx).

    ``progress(done, total, label)`` is called after each page and ``cancelled()`` asked before
    each; a cancel raises :class:`~sthc_desktop.export.files.ExportCancelled` and writes nothing.
    The request is checked (:func:`~.request.check`) before any page is built, ``out`` too: an
    existing file is replaced only with ``overwrite``.
    """
    request = ExportRequest(PACK, Path(out), format=fmt, localities=tuple(localities),
                            indicators=tuple(indicators) if indicators is not None else None,
                            produced=produced, overwrite=overwrite)
    return write_pack(planner, check(request, planner), progress, cancelled)


def write_pack(planner: Planner, request: ExportRequest, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> Path:
    """Write a checked pack request in its format."""
    out, localities, ids = request.out, list(request.localities), list(request.indicators)
    produced, overwrite = request.produced or date.today(), request.overwrite
    if request.format == SPREADSHEET:
        from .spreadsheet import export_pack_workbook
        return one_step(out, "Workbook", lambda: export_pack_workbook(planner, out, localities, ids,
                                                                      overwrite=overwrite), progress, cancelled)
    if request.format == SLIDES:
        from .slides import export_pack_slides
        return export_pack_slides(planner, out, localities, ids, produced=produced, progress=progress,
                                  cancelled=cancelled, overwrite=overwrite)
    pages = pack_pages(planner, localities, ids, produced=produced)
    return write_pdf(pages, out, title=PACK_TITLE, progress=progress, cancelled=cancelled, overwrite=overwrite)
