"""The locality pack's notes pages: definitions, methods, sources and caveats, set in two columns
from :class:`~sthc_desktop.content.pack.Notes`, continued on a second sheet when one does not
hold them at the smallest printed type.
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from sthc_desktop.content.pack import Definition, PackData

from ..page import MUTED, Column, Face, Page, flow, sheetfuls
from .frame import pack_frame

NOTES_PAGE = "Notes"
Block = Callable[[Column], None]


def notes_blocks(data: PackData) -> list[Block]:
    """The notes as blocks for :func:`~sthc_desktop.render.page.flow`, each section headed once."""
    notes = data.notes

    def headed(heading: str | None, block: Block) -> Block:
        def set_block(col: Column):
            if heading:
                col.text(heading, 10, weight="bold", after=2)
            block(col)
        return set_block

    def definition(d: Definition) -> Block:
        def block(col: Column):
            col.text(d.name, 7.5, weight="bold", after=0.5)
            col.text(d.line, 7, after=0.5)
            if d.caveats:
                col.text(f"Caveats: {d.caveats}", 7, colour=MUTED, after=2)
            else:
                col.space(2)
        return block

    def paragraph(text: str, after: float) -> Block:
        return lambda col: col.text(text, 7, after=after)

    blocks = [headed("Definitions" if i == 0 else None, definition(d)) for i, d in enumerate(notes.definitions)]
    blocks += [headed("Methods" if i == 0 else None, paragraph(t, 2)) for i, t in enumerate(notes.methods)]
    blocks += [headed("Sources" if i == 0 else None, paragraph(t, 1.5)) for i, t in enumerate(notes.sources)]
    return blocks


def _sheet(data: PackData, number: int, total: int, continued: bool, face: Face) -> tuple[Page, list]:
    """A notes sheet with its heading and footer, and the two columns' boxes."""
    page = Page("A4", "portrait", face)
    k, m = page.k, page.margin
    title = f"{NOTES_PAGE} (continued)" if continued else NOTES_PAGE
    # The sources are listed on the page itself, so its footer carries only the boundaries' line.
    top, bottom = pack_frame(page, data, title, "Definitions, methods, sources and caveats", number, total,
                             datasets=[])
    gap = 0.25 * k
    half = (page.width - 2 * m - gap) / 2
    return page, [(m, top, half, bottom), (m + half + gap, top, half, bottom)]


def notes_sheets(data: PackData, face: Face) -> list[list[Block]]:
    """The notes blocks of each notes page (measured on a sheet like theirs)."""
    page, boxes = _sheet(data, 1, 1, True, face)
    return sheetfuls(page, boxes, notes_blocks(data))


def notes_page(data: PackData, blocks: list[Block], number: int, total: int, continued: bool, face: Face) -> Figure:
    page, boxes = _sheet(data, number, total, continued, face)
    flow(page, boxes, blocks)
    return page.fig
