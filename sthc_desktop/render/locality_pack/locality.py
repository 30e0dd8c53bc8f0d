"""A locality page of the pack: the Care Community's map, practices, legend strip, key
indicators against St Helens and England, and its inequality or comparison charts with the obesity
trend, drawn from its :class:`~sthc_desktop.content.pack.LocalityContent`.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.content.pack import SUPPRESSION_NOTE, LocalityContent, PackData, Table
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS

from .. import charts
from ..furniture import DrawnMap, draw_map
from ..legend import compact_legend, legend_boxes
from ..mapfigure import Legend, LegendEntry, MapFigure
from ..page import MUTED, SCREEN, Column, Face, Page, fit
from .frame import CHART_FONT, pack_frame

#: The least height (inches at A4) the charts need below the key-indicators table.
MIN_CHARTS = 1.75
#: The least height of one bar chart on a locality page (inches at A4): fewer bars when there is less.
BAR_HEIGHT = 1.1
#: The usual and the least height of a locality page's map (inches at A4): a long practice list
#: makes the map row taller, and the charts below make it give way down to the least.
MAP_HEIGHT = 2.9
MIN_MAP = 2.3
#: The smallest type scale of a locality page's practice list (never under MIN_TYPE).
READABLE = 0.68
#: Room (inches at A4) under the obesity trend for its period labels and its note of caveats.
TREND_FOOT = 0.95
#: Columns of the legend strip under a locality page's map.
LEGEND_COLUMNS = 6


class LocalitySheet:
    """The sheet the locality pages are drawn on in turn, wiped for each but for its map (the same
    layers on every locality page, and the slowest part of one to build). So each locality page's
    figure is good until the next is built, as the exporter uses them: it saves each page before
    building the next."""

    def __init__(self, face: Face = SCREEN):
        self.face = face
        self._sheet: tuple[Page, DrawnMap] | None = None

    def next(self) -> tuple[Page, MapFigure | None]:
        """The wiped sheet and the map it keeps (None for the first page)."""
        if self._sheet is None:
            return Page("A4", "portrait", self.face), None
        page, drawn = self._sheet
        page.clear(keep=drawn)
        return page, drawn.map

    def keep(self, page: Page, drawn: DrawnMap) -> None:
        self._sheet = (page, drawn)

    @property
    def drawn(self) -> DrawnMap | None:
        """The map of the page drawn last."""
        return self._sheet[1] if self._sheet else None


def locality_page(data: PackData, sheet: LocalitySheet, locality: str, number: int, total: int) -> Figure:
    content = data.locality(locality)
    page, base = sheet.next()
    k, m = page.k, page.margin
    planner = data.planner
    colour = NETWORK_COLOURS[locality]
    top, bottom = pack_frame(page, data, locality, "Care Community locality profile", number, total, colour=colour)
    width = page.width - 2 * m
    gap = 0.2 * k
    map_w = width * 0.38
    side_x, side_w = m + map_w + gap, width - map_w - gap
    view = content.view
    layer = planner.layer_for(view)
    indicators, unequal = content.indicators, content.inequality

    def practice_table(col: Column):
        col.text("Practices by map key", 8.5, weight="bold", after=0.5)
        col.text(content.practices.note, 6.3, colour=MUTED, after=1.5)
        col.table(["Key", "Practice", "Status", "List size"], content.practices.rows, [0.55, 2.9, 1.65, 1.6], 6.3,
                  align=["left", "left", "left", "right"], after=0)

    def table(col: Column):
        col.text(f"Key indicators: {locality} against St Helens and England", 10, weight="bold", after=2)
        col.table(indicators.header, indicators.rows, [3.45, 0.9, 1.8, 1.2, 0.85, 1.2, 0.85], 6.5,
                  fills=charts.comparison_fills(indicators.words),
                  align=["left", "left", "right", "left", "right", "left", "right"], after=2)
        col.text("vs: significantly better / similar / worse than the comparator (95% confidence intervals); "
                 "higher / lower where there is no better direction; not compared without an interval.", 6.5,
                 colour=MUTED, after=1)
        if content.suppressed:
            col.text(SUPPRESSION_NOTE, 6.5, colour=MUTED)

    def table_and_inequality(col: Column):
        table(col)
        if unequal.rows:
            col.space(3)
            inequality_block(col, locality, unequal)

    def table_without_inequality(col: Column):
        table(col)
        col.text(f"Inequality within {locality} is left out: no room for it beside {len(indicators.rows)} key "
                 "indicators (choose fewer for the pack to see it).", 6.5, colour=MUTED)

    table_col = Column(page, m, top, width, 0, draw=False)
    table(table_col)
    # The legend runs across the page under the map and the practices (measured before the map is
    # drawn, from its classes, the Care Communities and two practice-symbol rows).
    legend_probe = Legend("", "", entries=[LegendEntry("", r.label, r.count) for r in content.legend],
                          practice_entries=[LegendEntry("", "Closed or dormant since the plan", marker="circle")] * 2,
                          locality_entries=[LegendEntry("", n) for n in NETWORKS], counted_in=content.counted_in)
    legend_cols = [Column(page, *b, draw=False) for b in legend_boxes(m, top, width, 0, 0.15 * k, LEGEND_COLUMNS)]
    compact_legend(legend_probe, layer, *legend_cols)
    legend_h = legend_cols[0].used
    # The practices may be set a little smaller (not below READABLE) before the map row grows for them.
    practices_col = Column(page, side_x, top, side_w, 0, scale=READABLE, draw=False)
    practice_table(practices_col)
    # The page top down: map and practices side by side, the legend, the table, the charts. The
    # map row is as tall as the practice list, but gives way (down to the least map) so the charts
    # keep their room; a table too long for both takes the charts' room instead.
    room = top - bottom - legend_h - table_col.used - 0.4 * k
    wanted = max(practices_col.used, MAP_HEIGHT * k)
    # Charts only where the practice list keeps its room beside the map (its type cannot shrink under 7 pt).
    charts_fit = room - MIN_CHARTS * k >= max(MIN_MAP * k, practices_col.used)
    row_h = min(wanted, room - MIN_CHARTS * k) if charts_fit else max(min(wanted, room), MIN_MAP * k)
    drawn = draw_map(page, planner, view, (m, top - row_h, map_w, row_h), base=base)
    sheet.keep(page, drawn)
    fit(page, [(side_x, top, side_w, top - row_h)], practice_table)
    legend_top = top - row_h - 0.15 * k
    fit(page, legend_boxes(m, legend_top, width, legend_top - legend_h, 0.15 * k, LEGEND_COLUMNS),
        lambda *cols: compact_legend(drawn.legend, layer, *cols))
    table_top = legend_top - legend_h - 0.15 * k
    if not charts_fit:
        # No room for charts: the inequality table follows the key indicators, if it can be set readably.
        probe = Column(page, m, table_top, width, bottom, scale=READABLE, draw=False)
        table_and_inequality(probe)
        fit(page, [(m, table_top, width, bottom)],
            table_without_inequality if unequal.rows and probe.overflow else table_and_inequality)
        return page.fig
    col = Column(page, m, table_top, width, bottom)
    table(col)
    locality_charts(page, data, content, (m, bottom, width, col.y - 0.1 * k - bottom))
    return page.fig


def inequality_block(col: Column, locality: str, unequal: Table) -> None:
    """The inequality within a locality: heading, how it is measured, and the table."""
    col.text(f"Inequality within {locality}", 10, weight="bold", colour=NETWORK_COLOURS[locality], after=1)
    col.text("Its LSOAs in fifths by IMD score; gap: most minus least deprived fifth (percentage points for "
             "percentages). Method: notes page.", 6.3, colour=MUTED, after=1.5)
    col.table(unequal.header, unequal.rows, [1.05, 0.64, 0.64, 0.38, 0.5, 0.47], 6.3,
              align=["left", "right", "right", "right", "right", "right"], after=0)


def locality_charts(page: Page, data: PackData, content: LocalityContent, box) -> None:
    """The foot of a locality page in ``box`` (x, y, w, h inches): on the left the inequality within
    the locality when the pack has LSOA indicators it measures, otherwise bars of key indicators
    against England; on the right the obesity trend with the locality highlighted."""
    k = page.k
    x, y, w, h = box
    size = CHART_FONT * k
    locality = content.locality
    if content.inequality.rows:
        left_w = w * 0.5
        fit(page, [(x, y + h, left_w, y)], lambda col: inequality_block(col, locality, content.inequality))
        tx = x + left_w + 0.3 * k
        ax = page.axes(tx + 0.45 * k, y + TREND_FOOT * k, x + w - tx - 0.45 * k - 1.0 * k, h - (TREND_FOOT + 0.3) * k)
        charts.obesity_trend(ax, data.planner, highlight=locality, data=data.obesity, size=size)
        return
    bars = content.bars
    key = Column(page, x, y + h, w, y)
    key.text(f"Charts: {locality} beside the other Care Communities", 10, weight="bold",
             colour=NETWORK_COLOURS[locality], after=1)
    if bars:
        key.text("Bars: latest value with its 95% confidence interval, filled by comparison with England as in "
                 "the table; the vertical line is England's value.", 6.5, colour=MUTED, after=0)
    top = key.y - 0.12 * k
    bars = bars[:max(1, int((top - y) / (BAR_HEIGHT * k)))]
    left_w = w * 0.47 if bars else 0.0
    slot = (top - y) / max(len(bars), 1)
    for i, ind in enumerate(bars):
        # Room for the area names at the left, the title above and the unit line below.
        ax = page.axes(x + 0.8 * k, top - (i + 1) * slot + 0.4 * k, left_w - 0.85 * k, slot - 0.4 * k - 0.36 * k)
        charts.comparison_bars(ax, data.england[data.england["indicator_id"] == ind], highlight=locality,
                               legend=False, horizontal=True, size=size)
    tx = x + left_w + (0.3 * k if bars else 0.0)
    ax = page.axes(tx + 0.45 * k, y + TREND_FOOT * k, x + w - tx - 0.45 * k - 1.0 * k,
                   top - y - (TREND_FOOT + 0.3) * k)
    charts.obesity_trend(ax, data.planner, highlight=locality, data=data.obesity, size=size)
