"""Write the locality pack as a slide deck (``.pptx``) commissioners can edit.

An overview slide (the borough's deprivation map and the key indicators for every Care Community,
St Helens and England), one slide per chosen locality (its briefing map and its key indicators
against St Helens and England), then the spine chart and practice funnel plot slides. Maps and
charts are pictures drawn by the same render code as the PDF pack; tables are native, editable
PowerPoint tables holding the pack's publishable figures ("*" where suppressed), with the
comparison colours as cell fills. Every slide carries the method in use and the attribution lines.
Written atomically; a cancel between slides leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from sthc_desktop.content.maps import padded
from sthc_desktop.content.pack import DEPRIVATION_MAP, PACK_SUBTITLE, PACK_TITLE, PackData, publish
from sthc_desktop.core.aggregate import BOROUGH, ENGLAND
from sthc_desktop.core.comparison import SUPPRESSION_NOTE
from sthc_desktop.core.files import atomic_path, check_target
from sthc_desktop.core.funnel import pack_funnels
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS
from sthc_desktop.core.spine import METHOD as SPINE_METHOD
from sthc_desktop.core.view import MapView
from sthc_desktop.render.briefing_map import briefing_map
from sthc_desktop.render.charts import COMPARISON_FILLS, comparison_fills
from sthc_desktop.render.locality_pack.spine_funnel import FUNNEL_PAGE, SPINE_PAGE, funnel_figure, pack_spines, spine_grid
from sthc_desktop.render.page import produced_line

from .files import Cancelled, Progress, stop_if_cancelled

#: A 16:9 slide, in inches.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.35
#: Where the footer (method, date, attribution) starts, and the height left above it for a picture.
FOOTER_TOP = 6.45
PICTURE_H = 5.25
IMAGE_DPI = 200
MUTED = RGBColor(0x59, 0x59, 0x59)


def png_bytes(fig: Figure, dpi: int = IMAGE_DPI) -> BytesIO:
    """A figure drawn as PNG in memory, for a slide's picture."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    buffer.seek(0)
    return buffer


def _rgb(colour: str) -> RGBColor:
    return RGBColor(*(round(255 * c) for c in to_rgb(colour)))


def _text(slide, x: float, y: float, w: float, h: float, text: str, size: float, *, bold: bool = False,
          colour: RGBColor | None = None):
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour is not None:
                run.font.color.rgb = colour
    return box


def add_table(slide, header: list[str], rows: list[list[str]], box, *, fills=None, size: float = 9,
              widths: list[float] | None = None):
    """A native table: bold header row, ``rows`` of text, optional cell fills (colour or None)."""
    x, y, w, h = box
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(x), Inches(y), Inches(w),
                                   Inches(min(h, 0.3 * (len(rows) + 1))))
    table = shape.table
    if widths:
        total = sum(widths)
        for i, share in enumerate(widths):
            table.columns[i].width = Inches(w * share / total)
    for r, cells in enumerate([header, *rows]):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = str(text)
            cell.margin_left = cell.margin_right = Inches(0.04)
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            for run in cell.text_frame.paragraphs[0].runs:
                run.font.size = Pt(size)
                run.font.bold = r == 0
            fill = fills[r - 1][c] if fills and r > 0 else None
            if fill:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(fill)
                if sum(to_rgb(fill)) < 1.5:  # dark fills (worse, lower) take white text
                    for run in cell.text_frame.paragraphs[0].runs:
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return table


def overview_table(england) -> tuple[list[str], list[list[str]], list[list[str | None]]]:
    """Header, rows and fills of the overview: one row per indicator, a column per Care Community,
    St Helens and England, each value as the pack prints it, filled by its comparison with England."""
    areas = [a for a in (*NETWORKS, BOROUGH, ENGLAND) if a in set(england["area"])]
    header = ["Indicator", "Period", *areas]
    rows, fills = [], []
    for _, part in england.groupby("indicator_id", sort=False):
        by_area = part.set_index("area")
        first = part.iloc[0]
        unit = str(first["unit"])
        rows.append([first["indicator_name"], first["period"],
                     *[publish(by_area.loc[a], unit) if a in by_area.index else "–" for a in areas]])
        fills.append([None, None, *[COMPARISON_FILLS.get(by_area.loc[a, "comparison"]) if a in by_area.index
                                    else None for a in areas]])
    return header, rows, fills


class Deck:
    """The slides being built, each with the pack's footer (method, date, attribution)."""

    def __init__(self, data: PackData):
        self.data = data
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.attribution = " · ".join(data.planner.pack.attribution_lines(data.datasets))

    def slide(self, title: str, subtitle: str, colour: str | None = None):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        _text(slide, MARGIN, 0.2, SLIDE_W - 2 * MARGIN, 0.5, title, 24, bold=True,
              colour=_rgb(colour) if colour else None)
        _text(slide, MARGIN, 0.72, SLIDE_W - 2 * MARGIN, 0.3, subtitle, 12, colour=MUTED)
        footer = (f"{PACK_TITLE} · {produced_line(self.data.produced)}. Localities: "
                  f"{self.data.planner.assignment_statement}\n{self.attribution}")
        _text(slide, MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN, SLIDE_H - FOOTER_TOP, footer, 6, colour=MUTED)
        return slide

    def picture(self, slide, fig: Figure, x: float, y: float, *, height: float):
        slide.shapes.add_picture(png_bytes(fig), Inches(x), Inches(y), height=Inches(height))


def overview_slide(deck: Deck) -> None:
    data = deck.data
    slide = deck.slide(PACK_TITLE, PACK_SUBTITLE)
    page = briefing_map(data.planner, MapView(indicator_id=DEPRIVATION_MAP), produced=data.produced)
    deck.picture(slide, page.figure, MARGIN, 1.1, height=PICTURE_H)
    left = MARGIN + 4.1
    _text(slide, left, 1.1, SLIDE_W - left - MARGIN, 0.3,
          "Key indicators, coloured by comparison with England (95% intervals)", 11, bold=True)
    header, rows, fills = overview_table(data.england)
    add_table(slide, header, rows, (left, 1.5, SLIDE_W - left - MARGIN, 5.0), fills=fills, size=8,
              widths=[3.2, 1.0, *[1.0] * (len(header) - 2)])


def locality_slide(deck: Deck, locality: str) -> None:
    data = deck.data
    planner = data.planner
    slide = deck.slide(locality, f"Care Community · {', '.join(data.localities)} in this pack",
                       NETWORK_COLOURS[locality])
    view = MapView(indicator_id=DEPRIVATION_MAP, focus=locality, extent=padded(planner.locality_bounds(locality)))
    page = briefing_map(planner, view, produced=data.produced)
    deck.picture(slide, page.figure, MARGIN, 1.1, height=PICTURE_H)
    left = MARGIN + 4.1
    _text(slide, left, 1.1, SLIDE_W - left - MARGIN, 0.3,
          f"Key indicators: {locality} against St Helens and England", 11, bold=True)
    table = data.locality(locality).indicators
    add_table(slide, table.header, table.rows, (left, 1.5, SLIDE_W - left - MARGIN, 5.0),
              fills=comparison_fills(table.words), size=8, widths=[3.5, 0.95, 1.9, 1.05, 0.9, 1.05, 0.9])
    if table.suppressed:
        _text(slide, left, FOOTER_TOP - 0.5, SLIDE_W - left - MARGIN, 0.4, SUPPRESSION_NOTE, 7, colour=MUTED)


def spine_slide(deck: Deck) -> None:
    data = deck.data
    slide = deck.slide(SPINE_PAGE, "Each Care Community against the St Helens range and England")
    rows = pack_spines(data)
    fig = spine_grid(rows, data.localities, SLIDE_W - 2 * MARGIN, PICTURE_H - 0.35)
    deck.picture(slide, fig, MARGIN, 1.1, height=PICTURE_H - 0.35)
    _text(slide, MARGIN, FOOTER_TOP - 0.35, SLIDE_W - 2 * MARGIN, 0.35, SPINE_METHOD, 7.5, colour=MUTED)


def funnel_slide(deck: Deck) -> None:
    data = deck.data
    slide = deck.slide(FUNNEL_PAGE, "Each practice against control limits around the benchmark")
    funnels = pack_funnels(data.planner)
    polarities = {f.indicator_id: data.catalogue.loc[f.indicator_id, "polarity"] for f in funnels}
    fig = funnel_figure(funnels, polarities, SLIDE_W - 2 * MARGIN, PICTURE_H - 0.45)
    deck.picture(slide, fig, MARGIN, 1.1, height=PICTURE_H - 0.45)
    note = " ".join(f.method for f in funnels) + " Points are labelled by the plan's map key."
    _text(slide, MARGIN, FOOTER_TOP - 0.5, SLIDE_W - 2 * MARGIN, 0.45, note, 7, colour=MUTED)


def export_pack_slides(planner, out: str | Path, localities: list[str], indicators: list[str], *,
                       produced: date, progress: Progress | None = None,
                       cancelled: Cancelled | None = None, overwrite: bool = False) -> Path:
    """Write the deck: overview, one slide per locality, spine chart and funnel plot slides."""
    out = check_target(out, overwrite=overwrite)
    data = PackData(planner, indicators, localities, produced)
    deck = Deck(data)
    steps = [("Overview", lambda: overview_slide(deck)),
             *[(name, lambda name=name: locality_slide(deck, name)) for name in localities],
             (SPINE_PAGE, lambda: spine_slide(deck)), (FUNNEL_PAGE, lambda: funnel_slide(deck))]
    for done, (label, build) in enumerate(steps, start=1):
        stop_if_cancelled(out, cancelled)
        build()
        if progress is not None:
            progress(done, len(steps), label)
    with atomic_path(out, overwrite=overwrite) as tmp:
        deck.prs.save(str(tmp))
    return out
