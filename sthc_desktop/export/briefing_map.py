"""Export the briefing map of a view: one page, as vector PDF or SVG, or PNG at a chosen dpi."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.render.briefing_map import briefing_map

from .files import DEFAULT_DPI, check_page_target, write_figure
from .formats import GIS, MAP_FORMATS, SPREADSHEET, output_format


def export_map(planner: Planner, view: MapView, out: str | Path, *, paper: str = "A4",
               orientation: str = "portrait", dpi: int = DEFAULT_DPI, fmt: str | None = None,
               produced: date | None = None, overwrite: bool = False) -> Path:
    """Write the briefing map of ``view`` to ``out`` (format from ``fmt`` or the file's suffix): a page,
    the data behind the map as a workbook (xlsx) or its layers as a GeoPackage (gpkg).

    Raises :class:`~sthc_desktop.core.errors.ExportError` when ``dpi`` is outside
    :data:`~sthc_desktop.export.files.MIN_DPI`–:data:`~sthc_desktop.export.files.MAX_DPI` or the file
    cannot be written, or when ``out`` exists and ``overwrite`` is not set; nothing is left behind then.
    """
    kind = output_format(out, fmt, MAP_FORMATS, "briefing map")
    if kind == SPREADSHEET:
        from .spreadsheet import export_map_workbook
        return export_map_workbook(planner, view, out, overwrite=overwrite)
    if kind == GIS:
        from .gis import export_geopackage
        return export_geopackage(planner, [view.indicator_id], out, period=view.period, overwrite=overwrite)
    check_page_target(out, fmt, dpi, overwrite=overwrite)  # before the page is built, not after
    page = briefing_map(planner, view, paper=paper, orientation=orientation, produced=produced)
    return write_figure(page.figure, out, fmt=fmt, dpi=dpi, title=f"{page.title} — {page.area}",
                        overwrite=overwrite)
