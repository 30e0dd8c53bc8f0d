"""The national briefing map: an England-scale pack's indicator for all England or one district.

The same page furniture as the borough briefing map (:mod:`.briefing_map`: title, legend, scale
bar, north arrow, date and attribution) around a :class:`~.englandmap.NationalMapFigure`,
plus where St Helens and the mapped district rank among all districts.
"""

from __future__ import annotations

from datetime import date

from matplotlib.patches import Rectangle

from sthc_desktop.content.numbers import format_value
from sthc_desktop.core.england import DISTRICT_MEASURES, England, NationalView

from .briefing_map import BriefingMap, map_page_frame
from .englandmap import NationalMapFigure
from .furniture import north_arrow, scale_bar
from .legend import legend_block
from .page import MUTED, Column, Page, fit

DATASETS = ["ons_boundaries", "iod2019"]


def national_briefing_map(england: England, view: NationalView, *, paper: str = "A4",
                          orientation: str = "portrait", produced: date | None = None) -> BriefingMap:
    """The briefing map page of ``view``: map, legend, district ranking, date and attribution."""
    produced = produced or date.today()
    page = Page(paper, orientation)
    k, m = page.k, page.margin
    meta = england.meta(view.indicator_id)
    area = view.district or england.scope_name
    attribution = england.pack.attribution_lines(DATASETS)
    title = meta.name
    subtitle = f"{area} · {meta.period} · {meta.unit} · by LSOA 2011 ({len(england.codes):,} mapped)"
    content_w = page.width - 2 * m
    top, bottom = map_page_frame(page, title, subtitle, [], england.pack, produced, attribution)
    gap = 0.2 * k

    if orientation == "portrait":
        panel_h = (top - bottom) * 0.27
        map_box = (m, bottom + panel_h + gap, content_w, top - bottom - panel_h - gap)
        half = (content_w - gap) / 2
        boxes = [(m, bottom + panel_h, half, bottom), (m + half + gap, bottom + panel_h, half, bottom)]
    else:
        map_w = content_w * 0.62
        map_box = (m, bottom, map_w, top - bottom)
        px = m + map_w + gap
        boxes = [(px, top, page.width - m - px, bottom)]

    ax = page.axes(*map_box)
    figure = NationalMapFigure(ax, england)
    legend = figure.update(view)
    page.fig.add_artist(Rectangle(map_box[:2], *map_box[2:], transform=page.fig.dpi_scale_trans,
                                  facecolor="none", edgecolor="#777777", linewidth=0.8))
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    scale_bar(ax, (x0, y0, x1, y1), k)
    north_arrow(ax, k)

    what = (f"{meta.unit} ({meta.period}); classes and counts (in brackets) cover all {len(england.codes):,} "
            "mapped LSOAs, not only those in view")

    def legend_content(col: Column):
        legend_block(col, legend, what, localities=None)

    # The ranking is the same at every type size the panels are tried in: asked for once.
    rank, n = england.borough_rank()
    ranking = [[r.lad_name, format_value(r.value, "score"), f"{r.rank} of {r.of}"]
               for r in england.ranking("imd_average_score", focus=england.focus_codes(view.district))]

    def ranking_content(col: Column):
        col.text("District deprivation, IoD2019", 9, weight="bold", after=1)
        col.text(f"Rank of {n} districts on average IMD score (1 = most deprived). Population-weighted mean "
                 f"of LSOA scores, as MHCLG summarises districts; computed from IoD2019 files.", 7,
                 colour=MUTED, after=2)
        col.table(["District", "Average score", "Rank"], ranking, [2.2, 1.2, 1.1], 7, align=["left", "right", "right"])
        col.text(f"St Helens: {rank} of {n}. {DISTRICT_MEASURES['imd_average_score']}.", 7, after=1)

    if len(boxes) == 2:
        fit(page, boxes, lambda a, b: (legend_content(a), ranking_content(b)))
    else:
        fit(page, boxes, lambda a: (legend_content(a), a.space(6), ranking_content(a)))
    return BriefingMap(page.fig, legend, title, area, DATASETS, attribution)
