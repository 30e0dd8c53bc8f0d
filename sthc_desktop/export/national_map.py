"""Export the national briefing map (England-scale pack): one page, PDF, SVG or PNG."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sthc_desktop.core.england import ENGLAND, England, NationalView
from sthc_desktop.render.national_briefing import national_briefing_map

from .files import DEFAULT_DPI, Cancelled, Progress, write_figure
from .request import ExportRequest, check, national_map_request


def export_national_map(england: England, view: NationalView, out: str | Path, *, paper: str = "A4",
                        orientation: str = "portrait", dpi: int = DEFAULT_DPI, fmt: str | None = None,
                        produced: date | None = None, overwrite: bool = False) -> Path:
    """Write the national briefing map of ``view`` to ``out``; nothing is left behind on failure."""
    request = national_map_request(view, out, format=fmt, paper=paper, orientation=orientation, dpi=dpi,
                                   produced=produced, overwrite=overwrite)
    return write_national_map(england, check(request, england))


def write_national_map(england: England, request: ExportRequest, progress: Progress | None = None,
                       cancelled: Cancelled | None = None) -> Path:
    """Write a checked national map request."""
    whole = request.area is None or request.area.strip().lower() == ENGLAND.lower()
    view = NationalView(indicator_id=request.indicator, scheme=request.classification, classes=request.classes,
                        district=None if whole else england.district_name(request.area))
    page = national_briefing_map(england, view, paper=request.paper, orientation=request.orientation,
                                 produced=request.produced)
    return write_figure(page.figure, request.out, fmt=request.format, dpi=request.dpi,
                        title=f"{page.title} — {page.area}", overwrite=request.overwrite,
                        progress=progress, cancelled=cancelled)
