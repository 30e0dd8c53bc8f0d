"""The locality pack's page of where St Helens ranks among England's districts.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.content.pack import PackData
from sthc_desktop.core import district_ranks

from ..page import MUTED, Column, Face, Page, fit
from .frame import pack_frame

DISTRICT_RANKS_PAGE = "St Helens among England's districts"


def district_ranks_page(data: PackData, number: int, total: int, face: Face) -> Figure:
    """Where St Helens ranks among England's districts on the IMD and each domain, in both editions."""
    page = Page("A4", "portrait", face)
    m = page.margin
    pack = data.planner.pack
    top, bottom = pack_frame(page, data, DISTRICT_RANKS_PAGE,
                             "Rank on the IMD and each of its domains, IoD2019 and IoD2025 (1 = most deprived)",
                             number, total, datasets=["iod2019", "iod2025"])
    header, rows = district_ranks.borough_rank_table(pack)

    def content(col: Column):
        col.text(district_ranks.TABLE_TITLE, 11, weight="bold", after=3)
        col.table(header, rows, [2.6, *[1.0] * (len(header) - 1)], 8.5,
                  align=["left", *["right"] * (len(header) - 1)], after=3)
        col.text(district_ranks.RANK_NOTE, 8, colour=MUTED, after=2)
        col.text(district_ranks.extent_note(pack), 8, colour=MUTED, after=2)

    fit(page, [(m, top - 0.1 * page.k, page.width - 2 * m, bottom)], content)
    return page.fig
