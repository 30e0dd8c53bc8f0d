"""Export the briefing map of a view: one page, as vector PDF or SVG, or PNG at a chosen dpi; or the
data behind it (XLSX) or its layers for GIS (GeoPackage)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.render.briefing_map import briefing_map
from sthc_desktop.render.page import PRINT, SCREEN

from .files import DEFAULT_DPI, Cancelled, Progress, one_step, write_figure
from .formats import GIS, SPREADSHEET
from .request import ExportRequest, check, map_request


def export_map(planner: Planner, view: MapView, out: str | Path, *, paper: str = "A4",
               orientation: str = "portrait", dpi: int = DEFAULT_DPI, fmt: str | None = None,
               produced: date | None = None, overwrite: bool = False) -> Path:
    """Write the briefing map of ``view`` to ``out`` (format from ``fmt`` or the file's suffix).

    Raises :class:`~sthc_desktop.core.errors.ExportError` for a request :func:`~.request.check`
    refuses (an unknown indicator or period, ``dpi`` out of range, ``out`` existing without
    ``overwrite``) or a file that cannot be written; nothing is left behind then.
    """
    request = map_request(view, out, format=fmt, paper=paper, orientation=orientation, dpi=dpi,
                          produced=produced, overwrite=overwrite)
    return write_map(planner, check(request, planner))


def write_map(planner: Planner, request: ExportRequest, progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> Path:
    """Write a checked map request: the page (one step of progress), the workbook or the GeoPackage."""
    view, out, overwrite = request.view(planner), request.out, request.overwrite
    if request.format == SPREADSHEET:
        from .spreadsheet import export_map_workbook
        return one_step(out, "Workbook", lambda: export_map_workbook(planner, view, out, overwrite=overwrite),
                        progress, cancelled)
    if request.format == GIS:
        from .gis import export_geopackage
        return one_step(out, "GeoPackage", lambda: export_geopackage(planner, [view.indicator_id], out,
                                                                     period=view.period, overwrite=overwrite),
                        progress, cancelled)
    page = briefing_map(planner, view, paper=request.paper, orientation=request.orientation,
                        produced=request.produced, face=PRINT if request.format == "pdf" else SCREEN)
    return write_figure(page.figure, out, fmt=request.format, dpi=request.dpi,
                        title=f"{page.title} — {page.area}", overwrite=overwrite,
                        progress=progress, cancelled=cancelled)
