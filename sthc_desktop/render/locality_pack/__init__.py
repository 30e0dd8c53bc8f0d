"""The locality pack's pages, in order, built one at a time by the exporter.

Each page module draws one kind of page on an A4 :class:`~sthc_desktop.render.page.Page`:
cover, overview, locality, spine charts and funnel plots, district ranks, notes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from matplotlib.figure import Figure

from sthc_desktop.content.pack import PackData
from sthc_desktop.core.planner import Planner

from ..page import PRINT, Face, legible
from .cover import cover_page
from .district_ranks import DISTRICT_RANKS_PAGE, district_ranks_page
from .locality import LocalitySheet, locality_page
from .notes import NOTES_PAGE, notes_page, notes_sheets
from .overview import overview_page
from .spine_funnel import FUNNEL_PAGE, SPINE_PAGE, funnel_page, spine_page


def pack_pages(planner: Planner, localities: list[str], indicators: list[str], *,
               produced: date | None = None, face: Face = PRINT) -> list[tuple[str, Callable[[], Figure]]]:
    """The pack's pages as (label, build) pairs, so the exporter can build them one at a time; set in
    ``face``: the PDF's Helvetica, or matplotlib's own for a preview on screen.

    Each page draws what :class:`~sthc_desktop.content.pack.PackData` says for it. Build and save
    each page before building the next: the locality pages share one sheet (see
    :class:`~.locality.LocalitySheet`), so a locality page's figure is redrawn by the next one."""
    data = PackData(planner, indicators, localities, produced or date.today())
    sheet = LocalitySheet(face)
    notes = notes_sheets(data, face)  # one page or more: every page's footer counts them
    spine = len(localities) + 3
    total = spine + 2 + len(notes)
    pages = [("Cover", lambda: cover_page(data, total, face)),
             ("Borough overview", lambda: overview_page(data, total, face))]
    pages += [(name, lambda name=name, n=i: locality_page(data, sheet, name, n, total))
              for i, name in enumerate(localities, start=3)]
    pages += [(SPINE_PAGE, lambda: spine_page(data, spine, total, face)),
              (FUNNEL_PAGE, lambda: funnel_page(data, spine + 1, total, face)),
              (DISTRICT_RANKS_PAGE, lambda: district_ranks_page(data, spine + 2, total, face))]
    pages += [(f"{NOTES_PAGE} (continued)" if i else NOTES_PAGE,
               lambda part=part, n=spine + 3 + i, i=i: notes_page(data, part, n, total, i > 0, face))
              for i, part in enumerate(notes)]
    return [(label, lambda build=build: legible(build())) for label, build in pages]
