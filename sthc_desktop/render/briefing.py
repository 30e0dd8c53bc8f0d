"""Briefing page layouts: the printed briefing map and the pages of a locality pack.

Each function here returns a Qt-free matplotlib :class:`~matplotlib.figure.Figure` the
size of a sheet of paper (A4 or A3, portrait or landscape), laid out in inches from the
bottom-left corner. Text is wrapped by measuring it with matplotlib's own font metrics,
and a panel that would overflow its box is set again in a smaller type, so nothing
overlaps or runs off the page at any paper size. The export engine saves these figures;
the GUI previews them. Every page carries the locality-assignment method, the date it
was produced and the attribution lines of the data it shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Callable
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Rectangle
from matplotlib.text import Text
from shapely.geometry import Point, box

from sthc_desktop.core import comparison, district_ranks
from sthc_desktop.core.datapack import GEOGRAPHY_NAMES
from sthc_desktop.core.deprivation import EDITIONS, INEQUALITY_METHOD
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView

from . import charts
from .mapfigure import HALO, Legend, LegendEntry, MapFigure, shape_path
from .text import format_value

#: Paper sizes in inches (width × height, portrait), as ISO 216 defines them.
PAPER_SIZES = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
ORIENTATIONS = ("portrait", "landscape")

INK = "#1a1a1a"
MUTED = "#555555"
RULE = "#bdbdbd"
LINE_SPACING = 1.25
TIGHTEST_LEADING = 1.1
#: Smallest type (points at A4) a panel may be set in before it is allowed to stop fitting.
FIT_SCALES = (1.0, 0.93, 0.86, 0.8, 0.74, 0.68)
#: No text on a printed page is set smaller than this (points at A4): smaller is unreadable on paper.
MIN_TYPE = 7.0

MEASURE_DPI = 288  # fine enough that font hinting does not shrink the measure
_MEASURE = RendererAgg(10, 10, MEASURE_DPI)


def page_size(paper: str, orientation: str) -> tuple[float, float]:
    """Width and height of the sheet in inches."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper size {paper!r}; choose {' or '.join(PAPER_SIZES)}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orientation!r}; choose portrait or landscape")
    w, h = PAPER_SIZES[paper]
    return (w, h) if orientation == "portrait" else (h, w)


def produced_line(produced: date) -> str:
    return f"Produced {produced.day} {produced:%B %Y} with the St Helens Cares locality planner"


# -- text measurement and flow -------------------------------------------------------------
@lru_cache(maxsize=50_000)
def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of ``text`` in inches at ``size`` points (matplotlib's own font metrics)."""
    w, _, _ = _MEASURE.get_text_width_height_descent(text, FontProperties(size=size, weight=weight),
                                                     ismath=False)
    return w / MEASURE_DPI * 1.03  # a little slack for each backend's own hinting


def wrap(text: str, size: float, width: float, weight: str = "normal") -> list[str]:
    """Break ``text`` into lines no wider than ``width`` inches (a single over-long word is split).

    A line's width is its words' widths plus its spaces: measuring each word once (cached) instead
    of every candidate line keeps text-heavy pages fast."""
    space = text_width("x x", size, weight) - text_width("xx", size, weight)
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            w = text_width(word, size, weight)
            if line and used + space + w <= width:
                line, used = f"{line} {word}", used + space + w
                continue
            if line:
                lines.append(line)
            while w > width and len(word) > 1:
                cut = max(1, int(len(word) * width / w) - 1)
                lines.append(word[:cut])
                word = word[cut:]
                w = text_width(word, size, weight)
            line, used = word, w
        lines.append(line)
    return lines


class Page:
    """One sheet: a figure plus the type scale for its paper size (A3 is A4 enlarged)."""

    def __init__(self, paper: str = "A4", orientation: str = "portrait"):
        self.paper, self.orientation = paper, orientation
        self.width, self.height = page_size(paper, orientation)
        self.fig = Figure(figsize=(self.width, self.height), facecolor="white")
        self.k = min(self.width, self.height) / PAPER_SIZES["A4"][0]
        self.margin = 0.45 * self.k

    def text(self, x: float, y: float, s: str, size: float, **kw):
        kw.setdefault("color", INK)
        return self.fig.text(x, y, s, fontsize=size, transform=self.fig.dpi_scale_trans, **kw)

    def rule(self, x0: float, x1: float, y: float, colour: str = RULE, width: float = 0.6):
        self.fig.add_artist(Rectangle((x0, y), x1 - x0, 0, transform=self.fig.dpi_scale_trans,
                                      edgecolor=colour, linewidth=width))

    def axes(self, x: float, y: float, w: float, h: float, **kw):
        """Axes placed in inches from the bottom-left corner."""
        return self.fig.add_axes(self.fraction(x, y, w, h), **kw)

    def fraction(self, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        """A box in inches from the bottom-left corner as fractions of the sheet."""
        return (x / self.width, y / self.height, w / self.width, h / self.height)

    def clear(self, keep: "DrawnMap") -> None:
        """Wipe the sheet for its next page but for the map ``keep`` (its layers, not what
        :func:`draw_map` put round them)."""
        fig = self.fig
        for artist in [*fig.texts, *fig.artists, *fig.patches, *fig.lines, *keep.extras,
                       *(ax for ax in fig.axes if ax is not keep.map.ax)]:
            artist.remove()


class Column:
    """Sets text, swatches and table rows top-down in a box; with ``draw=False`` it only measures."""

    def __init__(self, page: Page, x: float, top: float, width: float, bottom: float, *,
                 scale: float = 1.0, draw: bool = True, least: float = MIN_TYPE):
        self.page, self.x, self.top, self.width, self.bottom = page, x, top, width, bottom
        self.y = top
        self.scale = scale * page.k
        # Type held at MIN_TYPE cannot shrink with the scale, so a tight fit closes up the lines instead.
        self.leading = max(TIGHTEST_LEADING, LINE_SPACING - (1 - scale) * 0.5)
        self.draw = draw
        self.least = least

    @property
    def overflow(self) -> bool:
        return self.y < self.bottom - 1e-6

    @property
    def used(self) -> float:
        return self.top - self.y

    def space(self, points: float) -> None:
        self.y -= points * self.scale / 72

    def points(self, size: float) -> float:
        """``size`` at this column's scale, never under the printed minimum (measure and draw agree)."""
        return max(size * self.scale, self.least * self.page.k)

    def text(self, s: str, size: float, *, weight: str = "normal", colour: str = INK, indent: float = 0.0,
             style: str = "normal", after: float = 2.0) -> int:
        """A wrapped paragraph; returns the number of lines it took."""
        pt = self.points(size)
        lines = wrap(s, pt, self.width - indent, weight)
        step = pt * self.leading / 72
        for line in lines:
            if self.draw and line:
                self.page.text(self.x + indent, self.y, line, pt, va="top", ha="left", weight=weight,
                               color=colour, style=style)
            self.y -= step
        self.space(after)
        return len(lines)

    def keyed(self, key: str, s: str, size: float, *, key_colour: str = INK, colour: str = INK,
              after: float = 0.8) -> None:
        """A hanging-indented entry: ``key`` in the margin (a map key number), ``s`` beside it."""
        pt = self.points(size)
        hang = text_width("00", pt, "bold") + 0.06 * self.page.k
        top = self.y
        self.text(s, size, indent=hang, colour=colour, after=after)
        if self.draw:
            self.page.text(self.x + hang - 0.05 * self.page.k, top, key, pt, va="top", ha="right",
                           weight="bold", color=key_colour)

    def swatch(self, entry: LegendEntry, size: float, label: str | None = None) -> None:
        """A legend row: a colour patch (or practice symbol) and its label."""
        pt = self.points(size)
        box_w, box_h = 0.24 * self.scale, pt * 1.05 / 72
        top = self.y
        self.text(label or entry.label, size, indent=box_w + 0.08 * self.scale, after=1.2)
        if not self.draw:
            return
        trans = self.page.fig.dpi_scale_trans
        y = top - pt * self.leading / 72 / 2
        if entry.marker:
            r = box_h / 2
            hollow = entry.marker == "hollow"
            outline = "#777777" if entry.colour.lower() in ("white", "#ffffff") else entry.colour
            patch = Circle((self.x + box_w / 2, y), r, transform=trans, facecolor="white" if hollow else entry.colour,
                           edgecolor=outline if hollow else "white", linewidth=1.0,
                           linestyle="--" if hollow else "-")
        else:
            patch = Rectangle((self.x, y - box_h / 2), box_w, box_h, transform=trans, facecolor=entry.colour,
                              edgecolor="#9e9e9e", linewidth=0.4, hatch=entry.hatch)
        self.page.fig.add_artist(patch)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], size: float, *,
              fills: list[list[str | None]] | None = None, align: list[str] | None = None,
              after: float = 3.0) -> None:
        """A table across the column: ``widths`` are shares of its width, ``fills`` cell colours."""
        pt = self.points(size)
        step = pt * self.leading / 72
        pad = 0.035 * self.scale
        cols = [w * self.width / sum(widths) for w in widths]
        align = align or ["left"] * len(cols)
        trans = self.page.fig.dpi_scale_trans
        for r, cells in enumerate([header, *rows]):
            weight = "bold" if r == 0 else "normal"
            # A pad's worth of slack more: screen previews hint small type wider than the PDF sets it.
            wrapped = [wrap(str(c), pt, w - 3 * pad, weight) for c, w in zip(cells, cols)]
            height = max(len(w) for w in wrapped) * step + 2 * pad
            if self.draw:
                x = self.x
                for c, (lines, w) in enumerate(zip(wrapped, cols)):
                    fill = "#e8e8e8" if r == 0 else (fills[r - 1][c] if fills else None)
                    if fill:
                        self.page.fig.add_artist(Rectangle((x, self.y - height), w, height, transform=trans,
                                                           facecolor=fill, edgecolor="none"))
                    tx = x + pad if align[c] == "left" else x + w - pad
                    ink = "white" if fill and sum(to_rgb(fill)) < 1.2 else INK  # dark cells take white text
                    for i, line in enumerate(lines):
                        self.page.text(tx, self.y - pad - i * step, line, pt, va="top", ha=align[c],
                                       weight=weight, color=ink)
                    x += w
                self.page.rule(self.x, self.x + self.width, self.y - height, width=0.4)
            self.y -= height
        self.space(after)

    def line_swatch(self, colour: str, label: str, size: float) -> None:
        """A legend row for an outline (a Care Community boundary)."""
        pt = self.points(size)
        box_w = 0.24 * self.scale
        top = self.y
        self.text(label, size, indent=box_w + 0.08 * self.scale, after=1.2)
        if self.draw:
            y = top - pt * self.leading / 72 / 2
            self.page.fig.add_artist(Rectangle((self.x, y), box_w, 0, transform=self.page.fig.dpi_scale_trans,
                                               edgecolor=colour, linewidth=2.2 * self.scale))


def fit(page: Page, boxes, content) -> float:
    """The largest type scale at which ``content(column_for_box)`` fits every box; then draw it.

    ``boxes`` are (x, top, width, bottom) and ``content`` receives one :class:`Column` per box.
    """
    chosen = FIT_SCALES[-1]
    for scale in FIT_SCALES:
        cols = [Column(page, *b, scale=scale, draw=False) for b in boxes]
        content(*cols)
        if not any(c.overflow for c in cols):
            chosen = scale
            break
    content(*[Column(page, *b, scale=chosen) for b in boxes])
    return chosen


# -- what a briefing map says ---------------------------------------------------------------
def area_name(planner: Planner, view: MapView) -> str:
    """"St Helens", the locality the view is focused or zoomed on, or "Part of St Helens"."""
    if view.focus:
        return view.focus
    if view.extent is None:
        return "St Helens"
    for name in NETWORKS:
        if np.allclose(view.extent, planner.locality_bounds(name), atol=1.0):
            return name
    return "Part of St Helens"


def padded(bounds, pad: float = 0.05) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def status_text(row) -> str:
    status = row["status"]
    if status == "closed":
        return f"closed {row['closed_date']}" if row.get("closed_date") else "closed"
    if status == "unmatched":
        return "no ODS match (not on the map)"
    return str(status)


def practice_label(row) -> str:
    """Plan name, the current name if a rename is recorded, and the status now."""
    plan, now = row.get("plan_name"), row.get("name")
    name = plan or now or row.get("ods_code") or "?"
    if plan and now and now != plan and row.get("renamed") in (True, 1):
        name += f" (now {now})"
    return f"{name} — {status_text(row)}"


def practice_key_rows(planner: Planner, *, network: str | None = None, extent=None) -> list[dict]:
    """The practices a map shows, by map key, with the network-but-not-plan practice last.

    ``network`` keeps one Care Community's practices (those without a location included, so
    its key is complete); ``extent`` keeps the practices drawn inside it."""
    positions = planner.pack.practices.set_index("ods_code").geometry
    rows = []
    for r in planner.practice_key().to_dict("records"):
        if network is not None and r["network"] != network:
            continue
        if extent is not None:
            geom = positions.get(r["ods_code"]) if r["ods_code"] else None
            if geom is None or not (extent[0] <= geom.x <= extent[2] and extent[1] <= geom.y <= extent[3]):
                continue
        if r["in_plan"]:
            label = practice_label(r)
        else:
            label = (f"{r['name']} ({r['ods_code']}) — {status_text(r)}; in the {r['network']} network today "
                     "but not on the plan's locality map")
        rows.append({**r, "key": "–" if pd.isna(r["map_key"]) else str(int(r["map_key"])), "label": label})
    return rows


def legend_block(col: Column, legend: Legend, layer) -> None:
    """The map legend: classes with their counts (No data included), Care Communities, practices."""
    col.text("Legend", 9, weight="bold", after=1)
    unit_note = "areas" if layer.is_area else "practices"
    col.text(f"{layer.meta['unit']} ({layer.period}); {legend.counted(unit_note)}", 7, colour=MUTED, after=2)
    for e in legend.entries:
        col.swatch(e, 7.5, f"{e.label} ({e.count})" if e.count is not None else e.label)
    if legend.locality_entries:
        col.space(3)
        col.text("Care Communities", 7.5, weight="bold", after=1)
        for e in legend.locality_entries:
            col.line_swatch(e.colour, e.label, 7.5)
    if legend.practice_entries:
        col.space(3)
        for e in legend.practice_entries:
            col.swatch(e, 7)


def bottom_block(page: Page, content, rule_gap: float) -> float:
    """Set ``content(column)`` at the foot of the page, across the margins, with a rule ``rule_gap``
    inches above it (a page footer); returns the block's top (inches)."""
    m, width = page.margin, page.width - 2 * page.margin
    probe = Column(page, m, page.height, width, 0, draw=False)
    content(probe)
    top = m + probe.used
    content(Column(page, m, top, width, m))
    page.rule(m, page.width - m, top + rule_gap * page.k)
    return top


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
                 produced: date | None = None) -> BriefingMap:
    """The briefing map page for ``view``: title, map, legend, scale bar, north arrow, inset,
    practice key, method, date and attribution."""
    produced = produced or date.today()
    page = Page(paper, orientation)
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
    title = meta["name"]
    subtitle = f"{area} · {layer.period} · {meta['unit']} · by {layer.geography_name}"

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

    if orientation == "portrait":
        panel_top = map_box[1] - gap
        lw = content_w * (0.36 if key_rows else 1.0)
        boxes = [(m, panel_top, lw, middle_bottom)]
        if key_rows:
            kx = m + lw + gap
            kw = (page.width - m - kx - gap) / 2
            boxes += [(kx, panel_top, kw, middle_bottom), (kx + kw + gap, panel_top, kw, middle_bottom)]
        fit(page, boxes, lambda lc, *kc: (legend_block(lc, fig_map.legend, layer), key_content(*kc)))
    else:
        px = m + map_box[2] + gap
        pw = page.width - m - px
        # Legend on top, practice key below in two columns; measure the legend to place the key.
        def both(lc, *kc):
            legend_block(lc, fig_map.legend, layer)
            for c in kc:
                c.top = c.y = lc.y - 4 * lc.scale / 72
            key_content(*kc)
        kw = (pw - gap) / 2
        boxes = [(px, middle_top, pw, middle_bottom)]
        if key_rows:
            boxes += [(px, middle_top, kw, middle_bottom), (px + kw + gap, middle_top, kw, middle_bottom)]
        fit(page, boxes, both)
    return BriefingMap(legible(page.fig), fig_map.legend, title, area, datasets, attribution)


@dataclass
class DrawnMap:
    map: MapFigure
    legend: Legend
    extent: tuple[float, float, float, float]
    #: What draw_map added to the map's axes besides its layers (scale bar, north arrow).
    extras: list = field(default_factory=list)


def draw_map(page: Page, planner: Planner, view: MapView, box, *, inset: bool | None = None,
             frame: bool = True, base: MapFigure | None = None) -> DrawnMap:
    """The map for ``view`` in ``box`` (x, y, w, h inches) with scale bar, north arrow and,
    when it shows less than the borough, an inset locator map. ``base``: a map already on this
    sheet (see :meth:`Page.clear`) to move and restyle instead of building its layers again."""
    x, y, w, h = box
    if base is None:
        fig_map = MapFigure(page.axes(x, y, w, h), planner, label_scale=page.k)
    else:
        fig_map = base
        fig_map.ax.set_position(page.fraction(x, y, w, h))
    ax = fig_map.ax
    legend = fig_map.update(view)
    for artist in ax.texts:  # labels of areas outside the view stay inside the frame
        artist.set_clip_on(True)
    extent = fig_map.extent
    if frame:
        page.fig.add_artist(Rectangle((x, y), w, h, transform=page.fig.dpi_scale_trans, facecolor="none",
                                      edgecolor="#777777", linewidth=0.8))
    layers = set(ax.get_children())
    scale_bar(ax, extent, page.k)
    north_arrow(ax, page.k)
    extras = [a for a in ax.get_children() if a not in layers]
    bx0, by0, bx1, by1 = planner.borough_bounds
    smaller = (extent[2] - extent[0]) < (bx1 - bx0) or (extent[3] - extent[1]) < (by1 - by0)
    if inset if inset is not None else (view.focus is not None or (view.extent is not None and smaller)):
        side, pad = min(w, h) * 0.26, 0.08 * page.k
        per_inch = (extent[2] - extent[0]) / w
        names = [label_box(t, per_inch) for t, name in zip(fig_map.locality_labels, NETWORKS)
                 if t.get_visible() and view.focus in (None, name)]
        corner = quiet_corner(planner, view, extent, (side + pad) / w, (side + pad) / h, names,
                              fig_map.practice_positions.values() if view.layers.get("practices", True) else ())
        ix = x + pad if corner == "top left" else x + w - side - pad
        iy = y + h - side - pad if corner == "top left" else y + pad
        inset_map(page, planner, (ix, iy, side, side), extent)
        covered = (ix, iy, side, side)
    else:
        covered = None
    hide_cut_labels(page, ax, [*fig_map.locality_labels, *fig_map.neighbour_labels], covered)
    return DrawnMap(fig_map, legend, extent, extras)


def hide_cut_labels(page: Page, ax, labels, covered=None) -> None:
    """Hide place-name labels the map's frame or the inset (``covered``: x, y, w, h inches) would cut
    ("Centra…"): a name is shown whole or not at all."""
    to_inches = ax.transData + page.fig.dpi_scale_trans.inverted()
    x0, y0, w, h = ax.get_position().bounds
    left, bottom, right, top = x0 * page.width, y0 * page.height, (x0 + w) * page.width, (y0 + h) * page.height
    for label in labels:
        if not label.get_visible() or not label.get_text():
            continue
        x, y = to_inches.transform(label.get_position())
        half_w = text_width(label.get_text(), label.get_fontsize(), str(label.get_fontweight())) / 2
        half_h = label.get_fontsize() / 72 * 0.6
        under_inset = covered is not None and (x + half_w > covered[0] and x - half_w < covered[0] + covered[2]
                                               and y + half_h > covered[1] and y - half_h < covered[1] + covered[3])
        if x - half_w < left or x + half_w > right or y - half_h < bottom or y + half_h > top or under_inset:
            label.set_visible(False)


def label_box(label, per_inch: float):
    """The box a map label covers, in map units (``per_inch``: map units per inch of paper)."""
    x, y = label.get_position()
    half_w = text_width(label.get_text(), label.get_fontsize(), str(label.get_fontweight())) / 2 * per_inch
    half_h = label.get_fontsize() / 72 * 0.6 * per_inch
    return box(x - half_w, y - half_h, x + half_w, y + half_h)


def quiet_corner(planner: Planner, view: MapView, extent, fw: float, fh: float, names=(), markers=()) -> str:
    """"top left" or "bottom right" (the other corners hold the north arrow and scale bar): one that
    hides none of the ``names`` (boxes of the Care Community names in view) if there is one, then the
    one hiding fewer practice ``markers`` (x, y), and of those the one covering less of the area in view."""
    outlines = planner.locality_outlines()
    shown = outlines[outlines["locality"] == view.focus] if view.focus else outlines
    shape = shown.union_all() if hasattr(shown, "union_all") else shown.unary_union
    x0, y0, x1, y1 = extent
    dx, dy = (x1 - x0) * fw, (y1 - y0) * fh
    covered = {"top left": box(x0, y1 - dy, x0 + dx, y1), "bottom right": box(x1 - dx, y0, x1, y0 + dy)}
    return min(covered, key=lambda c: (any(covered[c].intersects(n) for n in names),
                                       sum(covered[c].contains(Point(m)) for m in markers),
                                       shape.intersection(covered[c]).area))


def nice_length(target_m: float) -> float:
    """A round scale-bar length (in metres) no longer than ``target_m``."""
    for km in (200, 100, 50, 20, 10, 5, 4, 3, 2, 1, 0.5, 0.25, 0.2, 0.1):
        if km * 1000 <= target_m:
            return km * 1000
    return 100.0


def scale_bar(ax, extent, k: float) -> None:
    """A two-part scale bar in kilometres, bottom left of the map."""
    x0, y0, x1, y1 = extent
    width, height = x1 - x0, y1 - y0
    length = nice_length(width * 0.25)
    left, base = x0 + width * 0.04, y0 + height * 0.035
    bar_h = height * 0.008
    ax.add_patch(FancyBboxPatch((left - width * 0.015, base - height * 0.012), length + width * 0.07,
                                bar_h + height * 0.05, boxstyle="round,pad=0", facecolor="white",
                                edgecolor="none", alpha=0.85, zorder=20))
    half = length / 2
    for i, colour in enumerate(("#1a1a1a", "white")):
        ax.add_patch(Rectangle((left + i * half, base), half, bar_h, facecolor=colour, edgecolor="#1a1a1a",
                               linewidth=0.6, zorder=21))
    km = length / 1000
    labels = [(0, "0"), (half, f"{km / 2:g}"), (length, f"{km:g} km")]
    for dx, text in labels:
        ax.text(left + dx, base + bar_h + height * 0.006, text, ha="left" if dx == length else "center",
                va="bottom", fontsize=7 * k, color=INK, zorder=22, clip_on=True)


def north_arrow(ax, k: float) -> None:
    """North arrow, top right (British National Grid north is within a degree of true north here)."""
    ax.annotate("N", xy=(0.955, 0.965), xytext=(0.955, 0.885), xycoords="axes fraction",
                textcoords="axes fraction", ha="center", va="top", fontsize=10 * k, weight="bold", color=INK,
                path_effects=HALO, zorder=22,
                arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.6", color=INK, lw=1.4 * k))


def inset_map(page: Page, planner: Planner, box, extent) -> None:
    """A locator: the borough and its Care Communities, with the map's extent as a red rectangle."""
    ax = page.axes(*box)
    ax.set_axis_off()
    page.fig.add_artist(Rectangle(box[:2], box[2], box[3], transform=page.fig.dpi_scale_trans, facecolor="white",
                                  edgecolor="#777777", linewidth=0.6, zorder=0.5))
    ax.set_zorder(30)
    outlines = planner.locality_outlines()
    # add_artist, not add_patch: the limits are set below, and measuring every curve for
    # autoscaling costs more than drawing the inset.
    for name, shape in zip(outlines["locality"], outlines.geometry):
        ax.add_artist(_patch(shape, facecolor=NETWORK_COLOURS[name], alpha=0.35, edgecolor="none"))
    for shape in planner.pack.layer("borough").geometry:
        ax.add_artist(_patch(shape, facecolor="none", edgecolor=INK, linewidth=0.8))
    x0, y0, x1, y1 = padded(planner.borough_bounds, 0.06)
    ex0, ey0, ex1, ey1 = extent
    x0, y0, x1, y1 = min(x0, ex0), min(y0, ey0), max(x1, ex1), max(y1, ey1)
    ax.add_patch(Rectangle((ex0, ey0), ex1 - ex0, ey1 - ey0, facecolor="none", edgecolor="#d7191c",
                           linewidth=1.4))
    # Square metres on a square inset: grow the shorter side of the view around its centre.
    half = max(x1 - x0, y1 - y0) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - half, cx + half)
    ax.set_ylim(cy - half, cy + half)


def _patch(shape, **style) -> PathPatch:
    return PathPatch(shape_path(shape), **style)


# -- the locality pack -------------------------------------------------------------------------
PACK_TITLE = "St Helens Cares locality pack"
PACK_SUBTITLE = "Deprivation, health, obesity and hospital admissions by Care Community"
#: The deprivation map of the overview and the locality pages (national deciles compare across England).
DEPRIVATION_MAP = "iod19_imd_decile"
#: The deprivation profile on the overview: MHCLG's local-authority summaries, IoD2019 (as the map).
PROFILE_EDITION = "19"
PROFILE_INDICATORS = ("profile19_imd_average_score", "profile19_pct_lsoas_most_deprived_10",
                      "profile19_pct_residents_decile_1")
#: How many comparison bar charts a locality page draws beside the obesity trend, and the least
#: height (inches at A4) the charts need below the key-indicators table.
BAR_CHARTS = 2
MIN_CHARTS = 1.75
#: The least height of one bar chart on a locality page (inches at A4): fewer bars when there is less.
BAR_HEIGHT = 1.1
CHART_FONT = 6.5
#: The usual and the least height of a locality page's map (inches at A4): a long practice list
#: makes the map row taller, and the charts below make it give way down to the least.
MAP_HEIGHT = 2.9
MIN_MAP = 2.3
#: The smallest type scale of a locality page's practice list (never under MIN_TYPE).
READABLE = 0.68
#: Columns of the legend strip under a locality page's map.
LEGEND_COLUMNS = 6
SUPPRESSION_NOTE = comparison.SUPPRESSION_NOTE
#: Fingertips' comparison colours (shared with the charts); the words are printed too, so colour
#: is never the only cue.
COMPARISON_FILLS = {c: charts.COMPARISON_COLOURS[c] for c in ("better", "similar", "worse", "higher", "lower")}


def publish(row, unit: str = "") -> str:
    """A value as an exported table prints it: "*" when disclosure control suppressed it."""
    return comparison.SUPPRESSED if row["suppressed"] else format_value(row["value"], unit)


def _ci(row, unit: str) -> str:
    if pd.isna(row.get("lower_ci")) or pd.isna(row.get("upper_ci")):
        return ""
    return f" ({format_value(row['lower_ci'], unit)}–{format_value(row['upper_ci'], unit)})"


def indicator_table(england: pd.DataFrame, borough: pd.DataFrame, locality: str):
    """Header, rows and cell fills of a locality's key-indicators table from two comparison frames
    (one against England, one against the borough), with counts of 1–4 suppressed."""
    header = ["Indicator", "Period", f"{locality} (95% CI)", "vs St Helens", "St Helens", "vs England",
              "England"]
    rows, fills = [], []
    by_area = {a: f.set_index("indicator_id") for a, f in england.groupby("area")}
    vs_borough = borough[borough["area"] == locality].set_index("indicator_id")["comparison"]
    for ind in dict.fromkeys(england["indicator_id"]):
        here = by_area.get(locality)
        if here is None or ind not in here.index:
            continue
        r = here.loc[ind]
        unit = str(r["unit"])
        value = publish(r, unit)
        value += "" if value == "*" or value == "–" else _ci(r, unit)
        cells = [r["indicator_name"], r["period"], value]
        against_borough = vs_borough.get(ind, "not compared")
        against_england = r["comparison"]
        for area in ("St Helens", "England"):
            other = by_area.get(area)
            o = other.loc[ind] if other is not None and ind in other.index else None
            shown = publish(o, unit) if o is not None else "–"
            cells += [against_borough, shown] if area == "St Helens" else [against_england, shown]
        rows.append([str(c) if pd.notna(c) else "–" for c in cells])
        fills.append([None, None, None, COMPARISON_FILLS.get(against_borough), None,
                      COMPARISON_FILLS.get(against_england), None])
    return header, rows, fills


def inequality_rows(frame: pd.DataFrame, locality: str, names: pd.Series) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a locality's inequality table from :func:`comparison.inequality_table` rows
    (made publishable): the most and least deprived fifth of its LSOAs, the gap, St Helens's gap and
    how many LSOAs each end holds, each indicator by its short name (``names``: id to short name, which
    carries the year). Indicators it does not measure are left out."""
    header = ["Indicator", "Most deprived fifth", "Least deprived fifth", "Gap", "St Helens gap",
              "LSOAs per fifth"]
    rows = []
    for ind, part in frame[frame["most_deprived"].notna()].groupby("indicator_id", sort=False):
        areas = part.set_index("area")
        if locality not in areas.index:
            continue
        r, unit = areas.loc[locality], str(part["unit"].iloc[0])
        borough = areas.loc["St Helens", "gap"] if "St Helens" in areas.index else None
        rows.append([names.get(ind, r["indicator_name"]), format_value(r["most_deprived"], unit),
                     format_value(r["least_deprived"], unit), format_value(r["gap"]),
                     format_value(borough), f"{r['lsoas_most_deprived']}, {r['lsoas_least_deprived']}"])
    return header, rows


def inequality_note(frame: pd.DataFrame, catalogue: pd.DataFrame) -> str:
    """How the inequality tables are made, in the core's words (:data:`INEQUALITY_METHOD`), for the
    IMD editions and aggregations of the indicators in ``frame`` (``catalogue`` indexed by id)."""
    meta = catalogue.loc[list(dict.fromkeys(frame.loc[frame["most_deprived"].notna(), "indicator_id"]))]
    years = [e["year"] for e in EDITIONS.values() if e["geography"] in set(meta["geography"])]
    return INEQUALITY_METHOD.format(edition=" or ".join(years),
                                    aggregation=" or ".join(sorted(set(meta["aggregation"])))) + "."


def profile_table(frame: pd.DataFrame, labels: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The deprivation profile as a table: one row per area, one column per profile indicator
    (headed by ``labels``, indicator id to column heading)."""
    ids = list(dict.fromkeys(frame["indicator_id"]))
    header = ["Area", *[labels[i] for i in ids]]
    rows = []
    for area in dict.fromkeys(frame["area"]):
        part = frame[frame["area"] == area].set_index("indicator_id")
        rows.append([area, *[publish(part.loc[i], str(part.loc[i, "unit"])) if i in part.index
                             else "–" for i in ids]])
    return header, rows


def bar_indicators(england: pd.DataFrame, locality: str, n: int = BAR_CHARTS) -> list[str]:
    """The chosen indicators a locality page charts as bars: those with a 95% interval for the
    locality, one per theme (so the charts show different sides of health), obesity last as its
    trend is charted anyway."""
    here = england[(england["area"] == locality) & england["lower_ci"].notna() & england["upper_ci"].notna()]
    ids = sorted(dict.fromkeys(here["indicator_id"]), key=lambda i: i == charts.OBESITY)
    themes = england.drop_duplicates("indicator_id").set_index("indicator_id")["theme"]
    chosen, seen = [], set()
    for ind in ids:
        if themes[ind] not in seen:
            chosen.append(ind)
            seen.add(themes[ind])
    chosen += [i for i in ids if i not in chosen]  # the same theme twice only if there is nothing else
    return chosen[:n]


class PackData:
    """What the pack's pages share, computed once: the comparisons, the profile, the trend."""

    def __init__(self, planner: Planner, indicators: list[str], localities: list[str], produced: date):
        self.planner, self.indicators, self.localities, self.produced = planner, indicators, localities, produced
        self.catalogue = comparison.catalogue(planner.pack).set_index("id")
        self._sheet: tuple[Page, DrawnMap] | None = None

    def locality_sheet(self) -> tuple[Page, MapFigure | None]:
        """The sheet the locality pages are drawn on in turn, wiped for each but for its map (the
        same layers on every locality page, and the slowest part of one to build), and that map
        (None for the first). So each locality page's figure is good until the next is built, as the
        exporter uses them: it saves each page before building the next."""
        if self._sheet is None:
            return Page("A4", "portrait"), None
        page, drawn = self._sheet
        page.clear(keep=drawn)
        return page, drawn.map

    def keep_sheet(self, page: Page, drawn: DrawnMap) -> None:
        self._sheet = (page, drawn)

    def _with_theme(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(theme=frame["indicator_id"].map(self.catalogue["theme"]))

    # Suppressed cells come back empty and flagged (and "not compared"), for tables and charts alike.
    @cached_property
    def england(self) -> pd.DataFrame:
        frame = comparison.compare(self.planner, self.indicators, benchmark="england")
        return self._with_theme(comparison.publishable(frame, mark=None))

    @cached_property
    def borough(self) -> pd.DataFrame:
        return comparison.publishable(comparison.compare(self.planner, self.indicators, benchmark="borough"),
                                      mark=None)

    @cached_property
    def profile(self) -> pd.DataFrame:
        return comparison.publishable(comparison.compare(self.planner, list(PROFILE_INDICATORS), benchmark="england"),
                                      mark=None)

    @cached_property
    def measures(self) -> pd.DataFrame:
        return comparison.plan_measures(self.planner)

    @cached_property
    def inequality(self) -> pd.DataFrame:
        """Inequality within each locality for the chosen LSOA rates, proportions and scores, with
        counts of 1-4 and the values built on them as "*"."""
        return comparison.publishable(comparison.inequality_table(self.planner, self.indicators))

    @cached_property
    def obesity(self) -> pd.DataFrame:
        return charts.obesity_trend_data(self.planner)

    @property
    def datasets(self) -> list[str]:
        keys = [self.catalogue.loc[i, "dataset"] for i in self.indicators]
        return list(dict.fromkeys([*keys, "iod2019", self.catalogue.loc[charts.OBESITY, "dataset"],
                                   "nhs_practices"]))


def pack_pages(planner: Planner, localities: list[str], indicators: list[str], *,
               produced: date | None = None) -> list[tuple[str, Callable[[], Figure]]]:
    """The pack's pages as (label, build) pairs, so the exporter can build them one at a time.

    Build and save each page before building the next: the locality pages share one sheet (see
    :meth:`PackData.locality_sheet`), so a locality page's figure is redrawn by the next one."""
    from .pack_charts import FUNNEL_PAGE, SPINE_PAGE, funnel_page, spine_page  # they draw on this module's pages
    data = PackData(planner, indicators, localities, produced or date.today())
    total = len(localities) + 6
    pages = [("Cover", lambda: cover_page(data, total)), ("Borough overview", lambda: overview_page(data, total))]
    pages += [(name, lambda name=name, n=i: locality_page(data, name, n, total))
              for i, name in enumerate(localities, start=3)]
    pages += [(SPINE_PAGE, lambda: spine_page(data, total - 3, total)),
              (FUNNEL_PAGE, lambda: funnel_page(data, total - 2, total))]
    pages.append((DISTRICT_RANKS_PAGE, lambda: district_ranks_page(data, total)))
    pages.append(("Notes", lambda: notes_page(data, total)))
    return [(label, lambda build=build: legible(build())) for label, build in pages]


def legible(fig: Figure) -> Figure:
    """Raise any text under :data:`MIN_TYPE` (charts' ticks, legends and notes) to it; columns of text
    are set at it or larger already."""
    least = MIN_TYPE * min(fig.get_figwidth(), fig.get_figheight()) / PAPER_SIZES["A4"][0]
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            if ticks and ticks[0].label1.get_fontsize() < least:
                ax.tick_params(axis="x" if axis is ax.xaxis else "y", which="both", labelsize=least)
    for text in fig.findobj(Text):
        if text.get_text().strip() and text.get_fontsize() < least:
            text.set_fontsize(least)
    return fig


def _frame(page: Page, data: PackData, title: str, subtitle: str, number: int, total: int,
           colour: str = INK, datasets: list[str] | None = None) -> tuple[float, float]:
    """Heading, footer (page number, date, method, attribution); returns the content's top and bottom."""
    k, m = page.k, page.margin
    width = page.width - 2 * m
    head = Column(page, m, page.height - m, width, 0)
    top = head.y
    head.text(title, 17, weight="bold", colour=colour, after=1)
    # The subtitle sits at the right of the title when both fit on the line, saving the page a line.
    if text_width(title, 17 * k, "bold") + text_width(subtitle, 9.5 * k) + 0.3 * k < width:
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


def cover_page(data: PackData, total: int) -> Figure:
    page = Page("A4", "portrait")
    k, m = page.k, page.margin
    planner = data.planner
    top, bottom = _frame(page, data, PACK_TITLE, PACK_SUBTITLE, 1, total, datasets=["nhs_practices"])
    width = page.width - 2 * m
    map_h = 4.6 * k
    view = MapView(indicator_id=DEPRIVATION_MAP, layers={**MapView().layers, "lsoa_fill": False, "wards": False})
    draw_map(page, planner, view, (m, top - map_h, width, map_h), inset=False)
    pack = planner.pack
    info = pack.info

    def content(col: Column):
        col.text(f"Produced {data.produced.day} {data.produced:%B %Y}", 11, weight="bold", after=3)
        col.text("Localities included: " + ", ".join(data.localities), 10, after=2)
        names = data.catalogue.loc[data.indicators, "name"]
        col.text("Key indicators: " + "; ".join(names), 8.5, after=6)
        col.text("Where the figures come from", 10, weight="bold", after=2)
        col.text(f"Data pack: {info.get('name', '')} ({pack.path.name}), built from official open data. "
                 f"Every figure in this pack traces to one of these datasets:", 8, after=3)
        rows = [[d.name, d.publisher, d.period] for d in pack.datasets.values()]
        col.table(["Dataset", "Publisher", "Period"], rows, [3.2, 2.2, 2.2], 7, after=4)
        # The method's name, validation error and any what-if; the full statement is on the notes page.
        col.text(f"Care Communities by {planner.assignments['lsoa21'].name} (method and validation: see Notes)",
                 8, after=2)
        if info.get("population_weights"):
            col.text(f"Population weights: {info['population_weights']}", 8, after=2)

    fit(page, [(m, top - map_h - 0.25 * k, width, bottom)], content)
    return page.fig


def compact_legend(legend: Legend, layer, head: Column, *cols: Column) -> None:
    """The map legend set across ``cols`` under a heading in ``head`` (a box as wide as them all).

    In two columns: classes down them, then the Care Communities and practice symbols along them.
    In more (a strip across the page): everything along the rows, reading left to right, and the
    classes' explanations in brackets ("1 (most deprived 10%)") left to the heading's unit line."""
    strip = len(cols) > 2
    head.text("Legend", 8.5, weight="bold", after=0.5)
    what = f"{layer.meta['short_name']}: {layer.meta['unit']}" if strip else layer.meta["short_name"]
    head.text(f"{what} ({layer.period}); {legend.counted('areas' if layer.is_area else 'practices')}",
              6.3, colour=MUTED, after=1.5)

    def level(y: float) -> None:
        for c in cols:
            c.top = c.y = y

    def along(entries, draw) -> None:
        for start in range(0, len(entries), len(cols)):
            level(min(c.y for c in cols))
            for col, e in zip(cols, entries[start:start + len(cols)]):
                draw(col, e)

    def swatch(col: Column, e) -> None:
        label = e.label.split(" (")[0] if strip else e.label
        col.swatch(e, 6.4, f"{label} ({e.count})" if e.count is not None else label)

    def symbol(col: Column, e) -> None:
        if e.marker:
            col.swatch(e, 6.3)
        else:
            col.line_swatch(e.colour, e.label, 6.4)

    level(head.y)
    if strip:
        along(legend.entries, swatch)
        head.y = min(c.y for c in cols) - 2 * head.scale / 72
        head.text("Care Communities and practices", 6.4, weight="bold", after=0.8)
        level(head.y)
        along([*legend.locality_entries, *legend.practice_entries], symbol)
    else:
        per = math.ceil(len(legend.entries) / len(cols))
        for i, col in enumerate(cols):
            for e in legend.entries[i * per:(i + 1) * per]:
                swatch(col, e)
        if legend.locality_entries:
            level(min(c.y for c in cols) - 2 * cols[0].scale / 72)
            cols[0].text("Care Communities", 6.4, weight="bold", after=0.8)
            along(legend.locality_entries, symbol)
        if legend.practice_entries:
            level(min(c.y for c in cols) - 2 * cols[0].scale / 72)
            along(legend.practice_entries, symbol)
    level(min(c.y for c in cols))
    head.y = cols[0].y


def _legend_boxes(x: float, top: float, width: float, bottom: float, gap: float, n: int = 2):
    """A heading box across ``width`` and ``n`` columns under it."""
    w = (width - gap * (n - 1)) / n
    return [(x, top, width, bottom), *[(x + i * (w + gap), top, w, bottom) for i in range(n)]]


def overview_page(data: PackData, total: int) -> Figure:
    page = Page("A4", "portrait")
    k, m = page.k, page.margin
    planner = data.planner
    top, bottom = _frame(page, data, "Borough overview",
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

    fit(page, _legend_boxes(side_x, top, side_w, top - map_h, 0.12 * k), side)

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
                f"{_measure(r.latest_value, r.baseline_unit)} ({r.latest_period}), {r.direction}"
                if pd.notna(r.latest_value) else r.latest_note)
            table_rows.append([r.priority if r.priority != last else "", r.measure,
                               _measure(r.baseline, r.baseline_unit), _measure(r.target_2026_27, r.target_unit),
                               last_column])
            last = r.priority
        col.table(head, table_rows, widths, 6.6, align=["left", "left", "right", "right", "left"], after=1)
        note = "Baselines and targets as printed in the plan (no periods stated; “–”: no figure)."
        if not has_latest:
            note += " No later published value is in the pack, so progress is not shown."
        col.text(note, 6.5, colour=MUTED)

    fit(page, [(m, chart_top - chart_h - 0.15 * k, width, bottom)], content)
    return page.fig


DISTRICT_RANKS_PAGE = "St Helens among England's districts"


def district_ranks_page(data: PackData, total: int) -> Figure:
    """Where St Helens ranks among England's districts on the IMD and each domain, in both editions."""
    page = Page("A4", "portrait")
    m = page.margin
    pack = data.planner.pack
    top, bottom = _frame(page, data, DISTRICT_RANKS_PAGE,
                         "Rank on the IMD and each of its domains, IoD2019 and IoD2025 (1 = most deprived)", total - 1,
                         total,
                         datasets=["iod2019", "iod2025"])
    header, rows = district_ranks.borough_rank_table(pack)

    def content(col: Column):
        col.text(district_ranks.TABLE_TITLE, 11, weight="bold", after=3)
        col.table(header, rows, [2.6, *[1.0] * (len(header) - 1)], 8.5,
                  align=["left", *["right"] * (len(header) - 1)], after=3)
        col.text(district_ranks.RANK_NOTE, 8, colour=MUTED, after=2)
        col.text(district_ranks.extent_note(pack), 8, colour=MUTED, after=2)

    fit(page, [(m, top - 0.1 * page.k, page.width - 2 * m, bottom)], content)
    return page.fig


def _measure(value, unit) -> str:
    """A plan figure as the plan prints it (no added decimals), with its unit."""
    if pd.isna(value):
        return "–"
    number = f"{float(value):,.12g}"
    if not isinstance(unit, str) or unit == "%":
        return number + ("%" if unit == "%" else "")
    # The plan writes "per 100000"; print the multiplier with its thousands separator.
    unit = " ".join(f"{int(w):,}" if w.isdigit() else w for w in unit.split())
    return f"{number} {unit}"


def locality_page(data: PackData, locality: str, number: int, total: int) -> Figure:
    page, base = data.locality_sheet()
    k, m = page.k, page.margin
    planner = data.planner
    colour = NETWORK_COLOURS[locality]
    top, bottom = _frame(page, data, locality, "Care Community locality profile", number, total, colour=colour)
    width = page.width - 2 * m
    gap = 0.2 * k
    map_w = width * 0.38
    side_x, side_w = m + map_w + gap, width - map_w - gap
    practices = practice_key_rows(planner, network=locality)
    dates = [p["list_size_date"] for p in practices if isinstance(p.get("list_size_date"), str)]
    latest = max(dates, default="")
    prow = [[p["key"], p["label"].split(" — ")[0] if p["in_plan"] else f"{p['name']} (not on the plan map)",
             status_text(p), _list_size(p, latest)] for p in practices]
    when = f"; list sizes {_month(latest)}{' unless dated' if len(set(dates)) > 1 else ''}" if latest else ""
    view = MapView(indicator_id=DEPRIVATION_MAP, focus=locality,
                   extent=padded(planner.locality_bounds(locality)), layers={**MapView().layers, "wards": False})
    layer = planner.layer_for(view)

    def practice_table(col: Column):
        col.text("Practices by map key", 8.5, weight="bold", after=0.5)
        col.text(f"The strategic plan's numbering; status and registered list now{when}", 6.3, colour=MUTED,
                 after=1.5)
        col.table(["Key", "Practice", "Status", "List size"], prow, [0.55, 2.9, 1.65, 1.6], 6.3,
                  align=["left", "left", "left", "right"], after=0)

    header, rows, fills = indicator_table(data.england, data.borough, locality)
    unequal = inequality_rows(data.inequality, locality, data.catalogue["short_name"])

    def table(col: Column):
        col.text(f"Key indicators: {locality} against St Helens and England", 10, weight="bold", after=2)
        col.table(header, rows, [3.45, 0.9, 1.8, 1.2, 0.85, 1.2, 0.85], 6.5,
                  fills=fills, align=["left", "left", "right", "left", "right", "left", "right"], after=2)
        col.text("vs: significantly better / similar / worse than the comparator (95% confidence intervals); "
                 "higher / lower where there is no better direction; not compared without an interval.", 6.5,
                 colour=MUTED, after=1)
        if any("*" in c for r in [*rows, *unequal[1]] for c in r):
            col.text(SUPPRESSION_NOTE, 6.5, colour=MUTED)

    def table_and_inequality(col: Column):
        table(col)
        if unequal[1]:
            col.space(3)
            inequality_block(col, locality, *unequal)

    def table_without_inequality(col: Column):
        table(col)
        col.text(f"Inequality within {locality} is left out: no room for it beside {len(rows)} key indicators "
                 "(choose fewer for the pack to see it).", 6.5, colour=MUTED)

    table_col = Column(page, m, top, width, 0, draw=False)
    table(table_col)
    # The legend runs across the page under the map and the practices (measured before the map is
    # drawn, from its classes, the Care Communities and two practice-symbol rows).
    classes = planner.classes_for(view)
    legend_probe = Legend("", "", entries=[LegendEntry("", lab, n) for lab, n in zip(classes.labels, classes.counts)],
                          practice_entries=[LegendEntry("", "Closed or dormant since the plan", marker="circle")] * 2,
                          locality_entries=[LegendEntry("", n) for n in NETWORKS], counted_in=classes.counted_in)
    legend_cols = [Column(page, *b, draw=False) for b in _legend_boxes(m, top, width, 0, 0.15 * k, LEGEND_COLUMNS)]
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
    data.keep_sheet(page, drawn)
    fit(page, [(side_x, top, side_w, top - row_h)], practice_table)
    legend_top = top - row_h - 0.15 * k
    fit(page, _legend_boxes(m, legend_top, width, legend_top - legend_h, 0.15 * k, LEGEND_COLUMNS),
        lambda *cols: compact_legend(drawn.legend, layer, *cols))
    table_top = legend_top - legend_h - 0.15 * k
    if not charts_fit:
        # No room for charts: the inequality table follows the key indicators, if it can be set readably.
        probe = Column(page, m, table_top, width, bottom, scale=READABLE, draw=False)
        table_and_inequality(probe)
        fit(page, [(m, table_top, width, bottom)],
            table_without_inequality if unequal[1] and probe.overflow else table_and_inequality)
        return page.fig
    col = Column(page, m, table_top, width, bottom)
    table(col)
    locality_charts(page, data, locality, (m, bottom, width, col.y - 0.1 * k - bottom), unequal)
    return page.fig


def inequality_block(col: Column, locality: str, header: list[str], rows: list[list[str]]) -> None:
    """The inequality within a locality: heading, how it is measured, and the table."""
    col.text(f"Inequality within {locality}", 10, weight="bold", colour=NETWORK_COLOURS[locality], after=1)
    col.text("Its LSOAs in fifths by IMD score; gap: most minus least deprived fifth (percentage points for "
             "percentages). Method: notes page.", 6.3, colour=MUTED, after=1.5)
    col.table(header, rows, [1.05, 0.64, 0.64, 0.38, 0.5, 0.47], 6.3,
              align=["left", "right", "right", "right", "right", "right"], after=0)


def locality_charts(page: Page, data: PackData, locality: str, box, unequal=None) -> None:
    """The foot of a locality page in ``box`` (x, y, w, h inches): on the left the inequality within
    the locality when the pack has LSOA indicators it measures (``unequal``: header and rows of
    :func:`inequality_rows`), otherwise bars of key indicators against England; on the right the
    obesity trend with the locality highlighted."""
    k = page.k
    x, y, w, h = box
    size = CHART_FONT * k
    if unequal and unequal[1]:
        left_w = w * 0.5
        fit(page, [(x, y + h, left_w, y)], lambda col: inequality_block(col, locality, *unequal))
        tx = x + left_w + 0.3 * k
        ax = page.axes(tx + 0.45 * k, y + 0.62 * k, x + w - tx - 0.45 * k - 1.0 * k, h - 0.62 * k - 0.3 * k)
        charts.obesity_trend(ax, data.planner, highlight=locality, data=data.obesity, size=size)
        return
    bars = bar_indicators(data.england, locality)
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
    ax = page.axes(tx + 0.45 * k, y + 0.62 * k, x + w - tx - 0.45 * k - 1.0 * k, top - y - 0.62 * k - 0.3 * k)
    charts.obesity_trend(ax, data.planner, highlight=locality, data=data.obesity, size=size)


def _month(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%b %Y")


def _list_size(p: dict, usual: str = "") -> str:
    """The list size, dated when its date is not the ``usual`` one the column heading gives."""
    if pd.isna(p.get("list_size")):
        return "–"
    when = p.get("list_size_date")
    dated = isinstance(when, str) and when and when != usual
    return f"{p['list_size']:,.0f}" + (f" ({_month(when)})" if dated else "")


def flow(page: Page, boxes, blocks) -> float:
    """Set ``blocks`` (each a function of a :class:`Column`) top-down through ``boxes`` like newspaper
    columns, a block never split across two; at the largest type scale at which they all fit."""
    def place(scale: float, draw: bool, least: float = MIN_TYPE) -> bool:
        cols = [Column(page, *b, scale=scale, draw=draw, least=least) for b in boxes]
        i = 0
        for block in blocks:
            probe = Column(page, cols[i].x, cols[i].y, cols[i].width, cols[i].bottom, scale=scale, draw=False,
                           least=least)
            block(probe)
            if probe.overflow and i + 1 < len(cols) and cols[i].y < cols[i].top:
                i += 1
            block(cols[i])
        return not any(c.overflow for c in cols)

    chosen = next((s for s in FIT_SCALES if place(s, draw=False)), None)
    if chosen is not None:
        place(chosen, draw=True)
        return chosen
    # Too much for the page at MIN_TYPE (notes for a very long indicator list): smaller type, not lost text.
    chosen = next((s for s in FIT_SCALES if place(s, draw=False, least=0)), FIT_SCALES[-1])
    place(chosen, draw=True, least=0)
    return chosen


def notes_page(data: PackData, total: int) -> Figure:
    page = Page("A4", "portrait")
    k, m = page.k, page.margin
    planner = data.planner
    pack = planner.pack
    top, bottom = _frame(page, data, "Notes", "Definitions, methods, sources and caveats", total, total)
    width = page.width - 2 * m
    gap = 0.25 * k
    half = (width - gap) / 2

    def definition(ind: str, source: str, caveats: str, heading: bool = False):
        def block(col: Column):
            if heading:
                col.text("Definitions", 10, weight="bold", after=2)
            r = data.catalogue.loc[ind]
            col.text(r["name"], 7.5, weight="bold", after=0.5)
            where = GEOGRAPHY_NAMES.get(r["geography"], r["geography"])
            col.text(f"{r['unit']}; {r['polarity']}; by {where}; latest period {r['period']}. "
                     f"Source: {source}.", 7, after=0.5)
            if caveats:
                col.text(f"Caveats: {caveats}", 7, colour=MUTED, after=2)
            else:
                col.space(2)
        return block

    def paragraph(text: str, heading: str | None = None, after: float = 2):
        def block(col: Column):
            if heading:
                col.text(heading, 10, weight="bold", after=2)
            col.text(text, 7, after=after)
        return block

    def dataset(key: str, heading: bool = False):
        def block(col: Column):
            if heading:
                col.text("Sources", 10, weight="bold", after=2)
            d = pack.datasets[key]
            col.text(f"{d.name}. {d.publisher}; {d.period}. {d.licence}.", 7, after=1.5)
        return block

    ids = [*data.indicators, *[i for i in PROFILE_INDICATORS if i not in data.indicators]]
    # A source or caveat sentence shared by several indicators (the IoD2019 ones) is printed once.
    blocks, seen = [], set()
    for i, ind in enumerate(ids):
        r = data.catalogue.loc[ind]
        source = "as above" if r["source"] in seen else r["source"]
        seen.add(r["source"])
        sentences = [c.strip() for c in str(r["caveats"] if isinstance(r["caveats"], str) else "").split(". ")]
        fresh = [c.rstrip(".") for c in sentences if c and c.rstrip(".") not in seen]
        seen.update(fresh)
        caveats = ". ".join(fresh) + ("." if fresh else "")
        if fresh and len(fresh) < len([c for c in sentences if c]):
            caveats += " Others as above."
        elif not fresh and any(sentences):
            caveats = "as above."
        blocks.append(definition(ind, source, caveats, heading=i == 0))
    methods = [*METHOD_NOTES, f"Care Communities (the assignment of small areas to localities): "
                              f"{planner.assignment_statement}"]
    if data.inequality["most_deprived"].notna().any():
        methods.append(inequality_note(data.inequality, data.catalogue))
    if pack.info.get("population_weights"):
        methods.append(f"Population weights: {pack.info['population_weights']}")
    methods += [CHART_NOTES, PLAN_NOTE, SUPPRESSION_NOTE]
    blocks += [paragraph(t, "Methods" if i == 0 else None) for i, t in enumerate(methods)]
    keys = [key for key in (*data.datasets, "strategic_plan") if key in pack.datasets]
    blocks += [dataset(key, heading=i == 0) for i, key in enumerate(dict.fromkeys(keys))]
    flow(page, [(m, top, half, bottom), (m + half + gap, top, half, bottom)], blocks)
    return page.fig


#: How the pack's figures are made (METHODS.md), printed on its notes page.
METHOD_NOTES = (
    "Confidence intervals (95%): Wilson score interval for proportions; Byar's approximation for rates and "
    "standardised ratios built on counts, with exact Poisson limits below 10.",
    "Comparison with a benchmark (England, St Helens): significantly higher or lower when the benchmark lies "
    "outside the area's interval, otherwise similar; with the indicator's polarity this becomes better, "
    "similar or worse. Values without an interval (scores, and values published for the borough only) are "
    "not compared.",
    "Localities from small areas: counts are added; rates and proportions add numerators and denominators "
    "before dividing; scores without a numerator (such as the IMD score) are population-weighted means; "
    "practice values add numerators and denominators, or are weighted by registered list size. Where the "
    "publisher gives the figure for the area itself, it is shown as published and named so: St Helens' "
    "IoD2025 scores and share of LSOAs in the most deprived 10% from MHCLG's File 10, the Care "
    "Communities' A&E attendances from OHID's PCN rows.",
    "Deprivation: IoD2019 on 2011 LSOAs; national deciles compare each LSOA with all of England "
    "(decile 1 = the most deprived 10%). The deprivation profile follows MHCLG's summaries for local "
    "authorities: the population-weighted average score, the share of LSOAs in England's most deprived 10%, "
    "and the share of residents living in each national decile.",
)
CHART_NOTES = ("Charts: the bars show each Care Community's latest value with its 95% confidence interval, "
               "coloured by comparison with England. The adult obesity trend sums each network's practice "
               "registers and lists; 2013-14 is left out (its denominator is the all-age list), 2020-21 is "
               "depressed by reduced BMI recording during COVID-19, and from 2022-23 the register uses a lower "
               "BMI threshold for some ethnic groups (the year of the change is not verified).")
PLAN_NOTE = ("Strategic plan key measures: baselines and 2026/27 targets as printed in the St Helens Cares "
             "strategic plan, for the whole borough; the plan does not state the baselines' periods.")
