"""The locality pack's borough overview: the deprivation map and profile, the residents by
national decile, and the strategic plan's key measures.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.content.pack import DEPRIVATION_MAP, PROFILE_EDITION, PackData
from sthc_desktop.core.view import MapView

from .. import charts
from ..furniture import draw_map
from ..legend import compact_legend, legend_boxes
from ..page import MUTED, Column, Face, Page, fit
from .frame import CHART_FONT, pack_frame


def overview_page(data: PackData, total: int, face: Face) -> Figure:
    page = Page("A4", "portrait", face)
    k, m = page.k, page.margin
    planner = data.planner
    top, bottom = pack_frame(page, data, "Borough overview",
                             "Deprivation across St Helens and the strategic plan's key measures", 2, total,
                             datasets=["iod2019", "strategic_plan"])
    width = page.width - 2 * m
    gap = 0.2 * k
    map_w, map_h = width * 0.5, 3.35 * k
    view = MapView(indicator_id=DEPRIVATION_MAP, layers={**MapView().layers, "practices": False, "wards": False})
    drawn = draw_map(page, planner, view, (m, top - map_h, map_w, map_h), inset=False)
    layer = planner.layer_for(view)
    side_x, side_w = m + map_w + gap, width - map_w - gap
    overview = data.overview
    profile = overview.profile

    def side(head: Column, left: Column, right: Column):
        compact_legend(drawn.legend, layer, head, left, right)
        head.space(5)
        head.text(f"Deprivation profile of each Care Community ({overview.edition})", 8.5, weight="bold",
                  after=1.5)
        head.table(profile.header, profile.rows, [1.6, 0.8, 1.45, 1.1], 6.8, align=["left", "right", "right", "right"],
                   after=1)
        head.text("MHCLG's local-authority summaries applied to each Care Community: the population-weighted "
                  "average score, and the shares of LSOAs and of residents in England's most deprived 10%; the "
                  "North West and Liverpool City Region derived likewise from all their LSOAs. “–”: not in the "
                  "pack.", 6, colour=MUTED, after=0)

    fit(page, legend_boxes(side_x, top, side_w, top - map_h, 0.12 * k), side)

    # The residents of each area by national decile: the chart keeps its own decile key at the right.
    chart_top = top - map_h - 0.12 * k
    chart_h = 1.25 * k
    ax = page.axes(m + 0.95 * k, chart_top - chart_h + 0.4 * k, width - 0.95 * k - 2.2 * k, chart_h - 0.65 * k)
    charts.deprivation_deciles(ax, planner, PROFILE_EDITION, share=True, size=CHART_FONT * k)

    def content(col: Column):
        col.text("Strategic plan key measures: baselines and 2026/27 targets (St Helens)", 10, weight="bold",
                 after=2)
        widths = [1.1, 3.5, 1.45, 1.3, 2.2]  # a rate and its unit on one line
        col.table(overview.measures.header, overview.measures.rows, widths, 6.6,
                  align=["left", "left", "right", "right", "left"], after=1)
        col.text(overview.measures_note, 6.5, colour=MUTED)

    fit(page, [(m, chart_top - chart_h - 0.15 * k, width, bottom)], content)
    return page.fig
