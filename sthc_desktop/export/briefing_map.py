"""Export the briefing map of a view: one page, as vector PDF or SVG, or PNG at a chosen dpi."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.render.briefing import briefing_map

from .files import DEFAULT_DPI, check_dpi, write_figure


def export_map(planner: Planner, view: MapView, out: str | Path, *, paper: str = "A4",
               orientation: str = "portrait", dpi: int = DEFAULT_DPI, fmt: str | None = None,
               produced: date | None = None) -> Path:
    """Write the briefing map of ``view`` to ``out`` (format from ``fmt`` or the file's suffix).

    Raises :class:`~sthc_desktop.core.errors.ExportError` when ``dpi`` is outside
    :data:`~sthc_desktop.export.files.MIN_DPI`–:data:`~sthc_desktop.export.files.MAX_DPI` or the file
    cannot be written; nothing is left behind then.
    """
    check_dpi(dpi, out)  # before the page is built, not after
    page = briefing_map(planner, view, paper=paper, orientation=orientation, produced=produced)
    return write_figure(page.figure, out, fmt=fmt, dpi=dpi, title=f"{page.title} — {page.area}")
