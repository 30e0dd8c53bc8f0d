"""The locality pack's notes page: definitions, methods, sources and caveats, set in two columns
from :class:`~sthc_desktop.content.pack.Notes`.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.content.pack import Definition, PackData

from ..page import MUTED, Column, Page, flow
from .frame import pack_frame


def notes_page(data: PackData, total: int) -> Figure:
    page = Page("A4", "portrait")
    k, m = page.k, page.margin
    notes = data.notes
    top, bottom = pack_frame(page, data, "Notes", "Definitions, methods, sources and caveats", total, total)
    width = page.width - 2 * m
    gap = 0.25 * k
    half = (width - gap) / 2

    def headed(heading: str | None, block):
        def set_block(col: Column):
            if heading:
                col.text(heading, 10, weight="bold", after=2)
            block(col)
        return set_block

    def definition(d: Definition):
        def block(col: Column):
            col.text(d.name, 7.5, weight="bold", after=0.5)
            col.text(d.line, 7, after=0.5)
            if d.caveats:
                col.text(f"Caveats: {d.caveats}", 7, colour=MUTED, after=2)
            else:
                col.space(2)
        return block

    def paragraph(text: str, after: float):
        return lambda col: col.text(text, 7, after=after)

    blocks = [headed("Definitions" if i == 0 else None, definition(d)) for i, d in enumerate(notes.definitions)]
    blocks += [headed("Methods" if i == 0 else None, paragraph(t, 2)) for i, t in enumerate(notes.methods)]
    blocks += [headed("Sources" if i == 0 else None, paragraph(t, 1.5)) for i, t in enumerate(notes.sources)]
    flow(page, [(m, top, half, bottom), (m + half + gap, top, half, bottom)], blocks)
    return page.fig
