"""The locality pack's borough overview: the deprivation map and profile, the residents by
national decile, and the strategic plan's key measures.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sthc_desktop.content.numbers import plan_figure
from sthc_desktop.core.deprivation import EDITIONS
from sthc_desktop.core.view import MapView

from .. import charts
from ..furniture import draw_map
from ..legend import compact_legend, legend_boxes
from ..page import MUTED, Column, Page, fit
from .data import DEPRIVATION_MAP, PROFILE_EDITION, PROFILE_INDICATORS, PackData, profile_table
from .frame import CHART_FONT, pack_frame


def overview_page(data: PackData, total: int) -> Figure:
    page = Page("A4", "portrait")
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
    # Column headings: the short names without the edition, which the panel's heading gives.
    edition = f"IMD {EDITIONS[PROFILE_EDITION]['year']} "
    header, rows = profile_table(data.profile, {i: str(data.catalogue.loc[i, "short_name"]).replace(edition, "")
                                                for i in PROFILE_INDICATORS})

    def side(head: Column, left: Column, right: Column):
        compact_legend(drawn.legend, layer, head, left, right)
        head.space(5)
        head.text(f"Deprivation profile of each Care Community ({edition.strip()})", 8.5, weight="bold",
                  after=1.5)
        head.table(header, rows, [1.3, 0.95, 1.4, 1.3], 6.8, align=["left", "right", "right", "right"], after=1)
        head.text("MHCLG's local-authority summaries applied to each Care Community: the population-weighted "
                  "average score, and the shares of LSOAs and of residents in England's most deprived 10%. "
                  "“–”: not in the pack.", 6, colour=MUTED, after=0)

    fit(page, legend_boxes(side_x, top, side_w, top - map_h, 0.12 * k), side)

    # The residents of each area by national decile: the chart keeps its own decile key at the right.
    chart_top = top - map_h - 0.12 * k
    chart_h = 1.25 * k
    ax = page.axes(m + 0.95 * k, chart_top - chart_h + 0.4 * k, width - 0.95 * k - 2.2 * k, chart_h - 0.65 * k)
    charts.deprivation_deciles(ax, planner, PROFILE_EDITION, share=True, size=CHART_FONT * k)

    measures = data.measures
    has_latest = measures["latest_value"].notna().any()

    def content(col: Column):
        col.text("Strategic plan key measures: baselines and 2026/27 targets (St Helens)", 10, weight="bold",
                 after=2)
        # With imported latest values the plan's aims give way to them (the app's Strategic plan tab has both).
        head = ["Priority", "Measure", "Baseline", "Target 2026/27", "Latest St Helens value" if has_latest else "Aim"]
        widths = [1.1, 3.5, 1.45, 1.3, 2.2]  # a rate and its unit on one line
        table_rows, last = [], None
        for r in measures.itertuples():
            last_column = r.aim if not has_latest else (
                f"{plan_figure(r.latest_value, r.baseline_unit)} ({r.latest_period}), {r.direction}"
                if pd.notna(r.latest_value) else r.latest_note)
            table_rows.append([r.priority if r.priority != last else "", r.measure,
                               plan_figure(r.baseline, r.baseline_unit), plan_figure(r.target_2026_27, r.target_unit),
                               last_column])
            last = r.priority
        col.table(head, table_rows, widths, 6.6, align=["left", "left", "right", "right", "left"], after=1)
        note = "Baselines and targets as printed in the plan (no periods stated; “–”: no figure)."
        if not has_latest:
            note += " No later published value is in the pack, so progress is not shown."
        col.text(note, 6.5, colour=MUTED)

    fit(page, [(m, chart_top - chart_h - 0.15 * k, width, bottom)], content)
    return page.fig

