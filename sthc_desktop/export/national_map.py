"""Export the national briefing map (England-scale pack): one page, PDF, SVG or PNG."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sthc_desktop.core.england import England, NationalView
from sthc_desktop.render.national_briefing import national_briefing_map

from .files import DEFAULT_DPI, check_page_target, write_figure


def export_national_map(england: England, view: NationalView, out: str | Path, *, paper: str = "A4",
                        orientation: str = "portrait", dpi: int = DEFAULT_DPI, fmt: str | None = None,
                        produced: date | None = None, overwrite: bool = False) -> Path:
    """Write the national briefing map of ``view`` to ``out``; nothing is left behind on failure."""
    check_page_target(out, fmt, dpi, overwrite=overwrite)  # before the page is built
    page = national_briefing_map(england, view, paper=paper, orientation=orientation, produced=produced)
    return write_figure(page.figure, out, fmt=fmt, dpi=dpi, title=f"{page.title} — {page.area}",
                        overwrite=overwrite)
