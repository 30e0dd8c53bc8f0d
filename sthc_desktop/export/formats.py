"""Which file formats each export writes, taken from ``--format`` (or the dialog) or the file's suffix.

A briefing map is a page (PDF, PNG, SVG), the data behind it (XLSX) or a GIS layer set (GeoPackage);
a locality pack is a PDF, a workbook of its tables (XLSX) or a slide deck (PPTX). Anything else is
refused with one line before any work is done, so ``pack.pptx`` is never a PDF under another name.
"""

from __future__ import annotations

from pathlib import Path

from sthc_desktop.core.errors import ExportError

from .files import FORMATS as PAGE_FORMATS

SPREADSHEET = "xlsx"
SLIDES = "pptx"
GIS = "gpkg"
MAP_FORMATS = (*PAGE_FORMATS, SPREADSHEET, GIS)
PACK_FORMATS = ("pdf", SPREADSHEET, SLIDES)


def output_format(out: str | Path, fmt: str | None, allowed: tuple[str, ...], what: str) -> str:
    """The format asked for, or the one ``out``'s name ends in; :class:`ExportError` if ``what`` has none such."""
    chosen = (fmt or Path(out).suffix.lstrip(".")).lower()
    if chosen not in allowed:
        shown = f"format '{chosen}'" if chosen else "format (the file name has no suffix)"
        raise ExportError(out, f"unknown {shown} for a {what}; choose {', '.join(allowed)}")
    return chosen
