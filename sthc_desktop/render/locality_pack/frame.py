"""The locality pack's page heading and footer (page number, date, method, attribution).
"""

from __future__ import annotations

from sthc_desktop.content.pack import PACK_TITLE, PackData

from ..page import INK, MUTED, Column, Page, bottom_block, produced_line, text_width

CHART_FONT = 6.5


def pack_frame(page: Page, data: PackData, title: str, subtitle: str, number: int, total: int,
           colour: str = INK, datasets: list[str] | None = None) -> tuple[float, float]:
    """Heading, footer (page number, date, method, attribution); returns the content's top and bottom."""
    k, m = page.k, page.margin
    width = page.width - 2 * m
    head = Column(page, m, page.height - m, width, 0)
    top = head.y
    head.text(title, 17, weight="bold", colour=colour, after=1)
    # The subtitle sits at the right of the title when both fit on the line, saving the page a line.
    if text_width(title, 17 * k, "bold", page.face) + text_width(subtitle, 9.5 * k, face=page.face) + 0.3 * k < width:
        page.text(page.width - m, top - 17 * k * 0.95 / 72, subtitle, 9.5 * k, ha="right", va="baseline",
                  color=MUTED)
    else:
        head.text(subtitle, 9.5, colour=MUTED, after=0)
    page.rule(m, page.width - m, head.y - 0.05 * k, colour=colour, width=1.2)

    def footer(col: Column):
        col.text(f"{PACK_TITLE} · page {number} of {total} · {produced_line(data.produced)}. "
                 f"Localities: {data.planner.assignments['lsoa21'].name}", 6.5, colour=MUTED, after=1)
        # One paragraph: the attribution lines run on, so short ones leave no half-empty lines.
        lines = data.planner.pack.attribution_lines(datasets if datasets is not None else data.datasets)
        col.text(" · ".join(lines), 6, colour=MUTED, after=0)

    top = bottom_block(page, footer, 0.05)
    return head.y - 0.2 * k, top + 0.15 * k
