"""The locality pack's spine chart page and practice funnel plot page.

The spine chart page stacks one Fingertips-style spine chart per chosen Care Community
(:mod:`sthc_desktop.render.spine` drawing :func:`sthc_desktop.core.spine.spine_rows`); the funnel
page draws the practices' adult obesity and smoking against their denominators with 95% and 99.8%
control limits (:mod:`sthc_desktop.render.funnel`, :mod:`sthc_desktop.core.funnel`). Both carry the
pack's heading and footer (method, attribution) and say how they were made. The numbers are computed
once per planner, so the slide deck and the workbook show the same ones.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.content.pack import PackData
from sthc_desktop.core import funnel as fn
from sthc_desktop.core.localities import NETWORK_COLOURS
from sthc_desktop.core.spine import METHOD as SPINE_METHOD
from sthc_desktop.core.spine import spine_rows

from ..funnel import funnel_plot
from ..page import MUTED, Column, Face, Page
from ..spine import columns_width, spine_chart
from .frame import pack_frame

SPINE_PAGE = "Spine charts"
FUNNEL_PAGE = "Practice funnel plots"
#: Room (inches) for the indicator names left of a spine.
NAME_WIDTH = 2.1


def pack_spines(data: PackData):
    """The spine chart rows of the pack's localities (computed once per planner and choice)."""
    key = ("spine", tuple(data.localities), tuple(data.indicators))
    return data.planner.memo(key, lambda: spine_rows(data.planner, data.localities, data.indicators))


def draw_spines(page: Page, rows, localities: list[str], box, size: float) -> dict:
    """Spine charts of ``localities`` stacked in ``box`` (x, y, w, h inches); returns the artists by locality."""
    x, y, w, h = box
    k = page.k
    per = [rows[rows["area"] == name] for name in localities]
    heading = 0.5 * k
    row_h = (h - heading * len(localities)) / max(sum(len(p) + 1 for p in per), 1)
    top = y + h
    drawn = {}
    for name, part in zip(localities, per):
        height = (len(part) + 1) * row_h
        page.text(x, top - 0.05 * k, name, 10.5 * k, va="top", weight="bold", color=NETWORK_COLOURS[name])
        ax = page.axes(x + NAME_WIDTH * k, top - heading - height, w - NAME_WIDTH * k - columns_width(size), height)
        drawn[name] = spine_chart(ax, part.reset_index(drop=True), size=size)
        top -= heading + height
    return drawn


def spine_page(data: PackData, number: int, total: int, face: Face) -> Figure:
    page = Page("A4", "portrait", face)
    k, m = page.k, page.margin
    top, bottom = pack_frame(page, data, SPINE_PAGE, "Each Care Community against the St Helens range and England",
                             number, total)
    width = page.width - 2 * m
    note = Column(page, m, top, width, bottom)
    note.text(SPINE_METHOD, 7, colour=MUTED, after=3)
    rows = pack_spines(data)
    draw_spines(page, rows, data.localities, (m, bottom, width, note.y - bottom), 7 * k)  # 7 pt at A4
    return page.fig


def funnel_page(data: PackData, number: int, total: int, face: Face) -> Figure:
    page = Page("A4", "portrait", face)
    k, m = page.k, page.margin
    funnels = fn.pack_funnels(data.planner)
    datasets = list(dict.fromkeys([*data.datasets, *(data.catalogue.loc[f.indicator_id, "dataset"] for f in funnels)]))
    top, bottom = pack_frame(page, data, FUNNEL_PAGE, "Each practice against control limits around the benchmark",
                             number, total, datasets=datasets)
    width = page.width - 2 * m
    slot = (top - bottom) / max(len(funnels), 1)
    for i, f in enumerate(funnels):
        box_top = top - i * slot
        col = Column(page, m, box_top, width, box_top - slot)
        col.text(f.method + " Points are labelled by the plan's map key.", 7, colour=MUTED, after=2)
        ax = page.axes(m + 0.6 * k, box_top - slot + 0.55 * k, width - 0.8 * k, col.y - (box_top - slot) - 0.9 * k)
        polarity = data.catalogue.loc[f.indicator_id, "polarity"]
        funnel_plot(ax, f, polarity, size=8.5 * k)  # labels and legend 7.2 pt at A4
    return page.fig


def spine_grid(rows, localities: list[str], width: float, height: float, size: float = 7) -> Figure:
    """The localities' spine charts two by two on one figure (``width`` × ``height`` inches), for a slide."""
    fig = Figure(figsize=(width, height), facecolor="white")
    columns = 1 if len(localities) == 1 else 2
    lines = -(-len(localities) // columns)
    cell_w, cell_h = width / columns, height / lines
    for i, name in enumerate(localities):
        x, top = (i % columns) * cell_w, height - (i // columns) * cell_h
        left = x + NAME_WIDTH
        fig.add_axes((left / width, (top - cell_h + 0.1) / height,
                      (cell_w - NAME_WIDTH - 0.15 - columns_width(size)) / width, (cell_h - 0.45) / height))
        fig.axes[-1].set_label(name)
        spine_chart(fig.axes[-1], rows[rows["area"] == name].reset_index(drop=True), size=size)
        fig.text(x / width + 0.005, (top - 0.05) / height, name, fontsize=size + 3, weight="bold", va="top",
                 color=NETWORK_COLOURS[name])
    return fig


def funnel_figure(funnels: list[fn.Funnel], polarities: dict[str, str], width: float, height: float,
                  size: float = 7) -> Figure:
    """The funnel plots side by side on one figure, for a slide."""
    fig = Figure(figsize=(width, height), facecolor="white", layout="constrained")
    for ax, f in zip(fig.subplots(1, max(len(funnels), 1), squeeze=False)[0], funnels):
        funnel_plot(ax, f, polarities[f.indicator_id], size=size)
    return fig
