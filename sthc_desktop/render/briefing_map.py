"""The printed briefing map page: title, map, legend, scale bar, north arrow, inset, practice
key, locality method, date and attribution, at A4 or A3, portrait or landscape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from sthc_desktop.core.networks import NETWORK_COLOURS, NETWORKS

from .furniture import draw_map
from .legend import legend_block
from .mapparts import Legend
from .page import INK, MUTED, SCREEN, Column, Face, Page, bottom_block, fit, legible, produced_line

if TYPE_CHECKING:  # the St Helens map's (pandas): loaded where it is drawn, not for a national map's frame
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.core.view import MapView


def map_page_frame(page: Page, title: str, subtitle: str, notes: list[str], pack, produced: date,
                   attribution: list[str]) -> tuple[float, float]:
    """A map page's header (title, subtitle) and footer (notes, date, pack, attribution lines);
    returns the top and bottom (inches) of the band left between them for the map and its panels."""
    k, m = page.k, page.margin
    content_w = page.width - 2 * m
    header = Column(page, m, page.height - m, content_w, 0)
    header.text(title, 16, weight="bold", after=1)
    header.text(subtitle, 10, colour=MUTED, after=0)

    def footer_content(col: Column):
        for note in notes:
            col.text(note, 7, after=1.5)
        col.text(f"{produced_line(produced)} from the data pack “{pack.info.get('name', '')}”.", 7,
                 colour=MUTED, after=1.5)
        for line in attribution:
            col.text(line, 6.5, colour=MUTED, after=0.6)

    footer_top = bottom_block(page, footer_content, 0.06)
    return header.y - 0.1 * k, footer_top + 0.16 * k


@dataclass
class BriefingMap:
    """What a briefing map page needs besides the figure: for the GUI's preview and the tests."""

    figure: Figure
    legend: Legend
    title: str
    area: str
    datasets: list[str] = field(default_factory=list)
    attribution: list[str] = field(default_factory=list)


def briefing_map(planner: Planner, view: MapView, *, paper: str = "A4", orientation: str = "portrait",
                 produced: date | None = None, face: Face = SCREEN) -> BriefingMap:
    """The briefing map page for ``view``: title, map, legend, scale bar, north arrow, inset,
    practice key, method, date and attribution, set in ``face``."""
    from sthc_desktop.content.maps import area_name, padded
    from sthc_desktop.content.practices import practice_key_rows

    produced = produced or date.today()
    page = Page(paper, orientation, face)
    k, m = page.k, page.margin
    layer = planner.layer_for(view)
    meta = layer.meta
    area = area_name(planner, view)
    if view.extent is not None and area in NETWORKS:
        view = view.with_(extent=padded(view.extent))
    shows_practices = view.layers.get("practices", True) or not layer.is_area
    datasets = list(planner.sources_for(view.indicator_id))
    if shows_practices:
        datasets.append("nhs_practices")
    attribution = planner.pack.attribution_lines(datasets)
    statement = planner.assignments.get(layer.geography, planner.assignments["lsoa21"]).statement
    title = meta.name
    subtitle = f"{area} · {layer.period} · {meta.unit} · by {layer.geography_name}"

    content_w = page.width - 2 * m
    middle_top, middle_bottom = map_page_frame(page, title, subtitle, [f"Localities: {statement}"],
                                               planner.pack, produced, attribution)
    middle = middle_top - middle_bottom

    gap = 0.2 * k
    key_rows = []
    if shows_practices:
        if area in NETWORKS:
            key_rows = practice_key_rows(planner, network=area)
        else:
            key_rows = practice_key_rows(planner, extent=view.extent)

    def key_content(*cols: Column):
        if not key_rows:
            return
        cols[0].text("Practices by map key (the strategic plan's numbering; status now)", 8, weight="bold",
                     after=2)
        items = len(key_rows) + len({r["network"] for r in key_rows})
        per_column = math.ceil(items / len(cols))
        placed, current = 0, None
        for r in key_rows:
            if r["network"] != current:
                # A network heading never ends a column: move it to the top of the next one.
                if placed % per_column == per_column - 1:
                    placed += 1
                current = r["network"]
                cols[min(placed // per_column, len(cols) - 1)].text(
                    current or "No network", 7.5, weight="bold", colour=NETWORK_COLOURS.get(current, INK), after=0.8)
                placed += 1
            cols[min(placed // per_column, len(cols) - 1)].keyed(
                r["key"], r["label"], 6.8, key_colour=NETWORK_COLOURS.get(r["network"], INK))
            placed += 1

    # The map is placed before the legend so the legend reports what the map drew.
    if orientation == "portrait":
        bx0, by0, bx1, by1 = planner.borough_bounds
        # As tall as the borough needs at full width, leaving the panel at least a third of the space.
        map_h = min(content_w * (by1 - by0) / (bx1 - bx0) * 1.12, middle * (0.64 if key_rows else 0.75) - gap)
        panel_h = middle - map_h - gap
        map_box = (m, middle_bottom + panel_h + gap, content_w, middle - panel_h - gap)
    else:
        map_w = content_w * 0.56
        map_box = (m, middle_bottom, map_w, middle)
    fig_map = draw_map(page, planner, view, map_box)
    what = f"{meta.unit} ({layer.period}); {fig_map.legend.counted('areas' if layer.is_area else 'practices')}"

    if orientation == "portrait":
        panel_top = map_box[1] - gap
        lw = content_w * (0.36 if key_rows else 1.0)
        boxes = [(m, panel_top, lw, middle_bottom)]
        if key_rows:
            kx = m + lw + gap
            kw = (page.width - m - kx - gap) / 2
            boxes += [(kx, panel_top, kw, middle_bottom), (kx + kw + gap, panel_top, kw, middle_bottom)]
        fit(page, boxes, lambda lc, *kc: (legend_block(lc, fig_map.legend, what), key_content(*kc)))
    else:
        px = m + map_box[2] + gap
        pw = page.width - m - px
        # Legend on top, practice key below in two columns; measure the legend to place the key.
        def both(lc, *kc):
            legend_block(lc, fig_map.legend, what)
            for c in kc:
                c.top = c.y = lc.y - 4 * lc.scale / 72
            key_content(*kc)
        kw = (pw - gap) / 2
        boxes = [(px, middle_top, pw, middle_bottom)]
        if key_rows:
            boxes += [(px, middle_top, kw, middle_bottom), (px + kw + gap, middle_top, kw, middle_bottom)]
        fit(page, boxes, both)
    return BriefingMap(legible(page.fig), fig_map.legend, title, area, datasets, attribution)
