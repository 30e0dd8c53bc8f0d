"""Sheets of paper and the type set on them: a page in inches (its sizes in :mod:`.paper`), the face
its text is set in (:data:`SCREEN` or :data:`PRINT`) and measured with, text wrapped to a width,
columns that set text, swatches and tables top-down, and the fitting that sets a panel again in
smaller type (never under :data:`MIN_TYPE`) until it fits its box. Every printed page (briefing
maps, the locality pack) is laid out here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib import get_data_path
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter

from .mapparts import LegendEntry
from .paper import ORIENTATIONS, PAPER_SIZES, page_size  # noqa: F401 (ORIENTATIONS: for the page's callers)

if TYPE_CHECKING:
    from .furniture import DrawnMap


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

#: What a measure adds to each width: a little slack for each backend's own hinting.
SLACK = 1.03


@dataclass(frozen=True)
class Face:
    """The typeface a page's text is set in, and what a save sets to draw the page in it."""

    name: str
    rc: dict = field(default_factory=dict)


#: matplotlib's own DejaVu Sans: PNG and SVG pages and the screen (PDFs embed its glyphs).
SCREEN = Face("DejaVu Sans")
#: Helvetica, one of the PDF core fonts: a PDF names it and every viewer and printer has it, so nothing
#: is embedded and each text is one string (about half a pack's time went on DejaVu's glyphs). Core
#: fonts encode Windows-1252 only: :func:`printable` says the rest in its characters. The core fonts'
#: Helvetica declares its weight "medium": :func:`set_in_face` asks for that, not matplotlib's "normal"
#: (which warns). The settings are matplotlib's global ones while a page is saved (on the export's
#: thread): so they hold only what the save needs, not the weight the window's own text would take.
PRINT = Face("Helvetica", {"pdf.use14corefonts": True, "axes.unicode_minus": False})

#: Signs a printed page may carry that Windows-1252 lacks, in the nearest it has.
PRINT_SIGNS = str.maketrans({"≥": ">=", "≤": "<=", "≠": "!=", "−": "-", "→": "->", "←": "<-"})


def printable(text: str) -> str:
    """``text`` in characters a core font has (Windows-1252): signs as :data:`PRINT_SIGNS`, letters
    without the accent it lacks ("ł" as "l"), Greek letters by name ("kappa"), anything else "?"."""
    text = text.translate(PRINT_SIGNS)
    return text if _encodes(text) else "".join(c if _encodes(c) else _nearest(c) for c in text)


def _encodes(text: str) -> bool:
    try:
        text.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def _nearest(c: str) -> str:
    bare = "".join(b for b in unicodedata.normalize("NFKD", c) if not unicodedata.combining(b))
    if bare and _encodes(bare):
        return bare
    name = unicodedata.name(c, "")
    if name.startswith(("LATIN", "GREEK")) and " LETTER " in name:
        letter = name.split(" WITH ")[0].split()[-1]
        return letter.lower() if " SMALL " in name else letter.title()
    return "?"


#: Windows-1252 characters the Adobe glyph list in fontTools leaves unnamed.
_GLYPH_NAMES = {"\xa0": "space", "\xad": "hyphen", "¹": "onesuperior", "²": "twosuperior", "³": "threesuperior"}


@cache
def _core_metrics(bold: bool):
    """Helvetica's (or Helvetica-Bold's) font metrics, as matplotlib ships them (italic has the same)."""
    from fontTools.afmLib import AFM

    return AFM(str(Path(get_data_path(), "fonts", "pdfcorefonts", f"Helvetica{'-Bold' if bold else ''}.afm")))


@cache
def _core_widths(bold: bool) -> dict[str, float]:
    """Each Windows-1252 character's width in Helvetica (or Helvetica-Bold), in thousandths of the size."""
    from fontTools.agl import UV2AGL

    afm = _core_metrics(bold)
    widths = {}
    for code in range(32, 256):
        try:
            c = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        name = UV2AGL.get(ord(c)) or _GLYPH_NAMES.get(c)
        if name and afm.has_char(name):
            widths[c] = afm[name][1]
    return widths


def produced_line(produced: date) -> str:
    return f"Produced {produced.day} {produced:%B %Y} with the St Helens Cares locality planner"


def text_width(text: str, size: float, weight: str = "normal", face: Face = SCREEN) -> float:
    """Width of ``text`` in inches at ``size`` points, set in ``face``: DejaVu Sans as matplotlib
    lays it out, Helvetica from its font metrics (a core font's string is set without kerning)."""
    if face is PRINT:
        return _print_width(text, weight == "bold") * size / 1000 / 72 * SLACK
    return _screen_width(text, size, weight)


@lru_cache(maxsize=50_000)
def _print_width(text: str, bold: bool) -> float:
    """Width of ``text`` in Helvetica (or Helvetica-Bold) in thousandths of its size, as printed."""
    widths = _core_widths(bold)
    question = widths["?"]
    return sum(widths.get(c, question) for c in printable(text))


@lru_cache(maxsize=50_000)
def _screen_width(text: str, size: float, weight: str) -> float:
    w, _, _ = _MEASURE.get_text_width_height_descent(text, FontProperties(size=size, weight=weight),
                                                     ismath=False)
    return w / MEASURE_DPI * SLACK


def wrap(text: str, size: float, width: float, weight: str = "normal", face: Face = SCREEN) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` inches set in ``face`` (a single over-long
    word is split).

    A line's width is its words' widths plus its spaces: measuring each word once (cached) instead
    of every candidate line keeps text-heavy pages fast."""
    space = text_width("x x", size, weight, face) - text_width("xx", size, weight, face)
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            w = text_width(word, size, weight, face)
            if line and used + space + w <= width:
                line, used = f"{line} {word}", used + space + w
                continue
            if line:
                lines.append(line)
            while w > width and len(word) > 1:
                cut = max(1, int(len(word) * width / w) - 1)
                lines.append(word[:cut])
                word = word[cut:]
                w = text_width(word, size, weight, face)
            line, used = word, w
        lines.append(line)
    return lines


class Sheet(Figure):
    """A page's figure, which knows the face its text was measured in (so its save draws that face)."""

    def __init__(self, *args, face: Face = SCREEN, **kwargs):
        super().__init__(*args, **kwargs)
        self.face = face


def face_of(fig: Figure) -> Face:
    """The face ``fig``'s text is set in: a :class:`Sheet`'s own, else matplotlib's (the screen's)."""
    return fig.face if isinstance(fig, Sheet) else SCREEN


def set_in_face(fig: Figure) -> None:
    """Make every text on ``fig`` drawable in its face before it is saved: for :data:`PRINT`, in
    characters the core font has (:func:`printable`), the regular weight the font declares."""
    if face_of(fig) is not PRINT:
        return
    for text in page_texts(fig):
        s = text.get_text()
        if s and printable(s) != s:
            text.set_text(printable(s))
        if text.get_fontweight() in ("normal", 400):
            text.set_fontweight("medium")
    for ax in fig.axes:  # tick labels given as text are set again from their formatter as they are drawn
        for axis in (ax.xaxis, ax.yaxis):
            for formatter in (axis.get_major_formatter(), axis.get_minor_formatter()):
                if isinstance(formatter, FixedFormatter):
                    formatter.seq = [printable(str(s)) for s in formatter.seq]


class Page:
    """One sheet: a figure plus the type scale for its paper size (A3 is A4 enlarged), set in ``face``."""

    def __init__(self, paper: str = "A4", orientation: str = "portrait", face: Face = SCREEN):
        self.paper, self.orientation, self.face = paper, orientation, face
        self.width, self.height = page_size(paper, orientation)
        self.fig = Sheet(figsize=(self.width, self.height), facecolor="white", face=face)
        self.k = min(self.width, self.height) / PAPER_SIZES["A4"][0]
        self.margin = 0.45 * self.k

    def text(self, x: float, y: float, s: str, size: float, **kw):
        kw.setdefault("color", INK)
        if self.face is PRINT and kw.get("va") == "top":
            # matplotlib measures a core-font line holding a quote mark, an apostrophe or an asterisk
            # taller than it is, and would hang it lower: hang every line from the font's ascender.
            kw["va"], y = "baseline", y - _core_metrics(False).Ascender * size / 1000 / 72
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
                 scale: float = 1.0, draw: bool = True):
        self.page, self.x, self.top, self.width, self.bottom = page, x, top, width, bottom
        self.y = top
        self.scale = scale * page.k
        # Type held at MIN_TYPE cannot shrink with the scale, so a tight fit closes up the lines instead.
        self.leading = max(TIGHTEST_LEADING, LINE_SPACING - (1 - scale) * 0.5)
        self.draw = draw

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
        return max(size * self.scale, MIN_TYPE * self.page.k)

    def text(self, s: str, size: float, *, weight: str = "normal", colour: str = INK, indent: float = 0.0,
             style: str = "normal", after: float = 2.0) -> int:
        """A wrapped paragraph; returns the number of lines it took."""
        pt = self.points(size)
        lines = wrap(s, pt, self.width - indent, weight, self.page.face)
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
        hang = text_width("00", pt, "bold", self.page.face) + 0.06 * self.page.k
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
            wrapped = [wrap(str(c), pt, w - 3 * pad, weight, self.page.face) for c, w in zip(cells, cols)]
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


def least_type(fig: Figure) -> float:
    """The smallest type (points) :func:`legible` leaves on ``fig``: MIN_TYPE at A4, scaled with the sheet."""
    return MIN_TYPE * min(fig.get_figwidth(), fig.get_figheight()) / PAPER_SIZES["A4"][0]


def legible(fig: Figure) -> Figure:
    """Raise any text under :data:`MIN_TYPE` (charts' ticks, legends and notes) to it; columns of text
    are set at it or larger already."""
    least = least_type(fig)
    for ax in fig.axes:
        if not ax.axison:  # drawn without its axes (a map, a spine chart): no ticks to make and raise
            continue
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            if ticks and ticks[0].label1.get_fontsize() < least:
                ax.tick_params(axis="x" if axis is ax.xaxis else "y", which="both", labelsize=least)
    for text in page_texts(fig):
        if text.get_text().strip() and text.get_fontsize() < least:
            text.set_fontsize(least)
    return fig


def page_texts(fig: Figure):
    """Every text ``fig`` draws. Artist.findobj would also make every tick of the axes drawn without
    their axis (a map, a spine chart), which are never drawn and cost more than the rest of a search."""
    for artist in fig.get_children():
        parts = [c for c in artist.get_children() if not isinstance(c, Axis)] \
            if isinstance(artist, Axes) and not artist.axison else [artist]
        for part in parts:
            yield from part.findobj(Text)


def _flowed(page: Page, boxes, blocks, scale: float, draw: bool) -> bool:
    """Set ``blocks`` through ``boxes`` at ``scale`` (see :func:`flow`); whether they all fit."""
    cols = [Column(page, *b, scale=scale, draw=draw) for b in boxes]
    i = 0
    for block in blocks:
        probe = Column(page, cols[i].x, cols[i].y, cols[i].width, cols[i].bottom, scale=scale, draw=False)
        block(probe)
        if probe.overflow and i + 1 < len(cols) and cols[i].y < cols[i].top:
            i += 1
        block(cols[i])
    return not any(c.overflow for c in cols)


def flow(page: Page, boxes, blocks) -> float:
    """Set ``blocks`` (each a function of a :class:`Column`) top-down through ``boxes`` like newspaper
    columns, a block never split across two; at the largest type scale at which they all fit
    (:func:`sheetfuls` divides more than one sheet holds)."""
    chosen = next((s for s in FIT_SCALES if _flowed(page, boxes, blocks, s, draw=False)), FIT_SCALES[-1])
    _flowed(page, boxes, blocks, chosen, draw=True)
    return chosen


def sheetfuls(page: Page, boxes, blocks) -> list[list]:
    """``blocks`` divided into what :func:`flow` sets through ``boxes`` on one sheet each: as many as
    fit in the smallest type, the rest carried over to the next sheet, so none is set under MIN_TYPE."""
    parts, rest = [], list(blocks)
    while rest:
        fits, n = 1, len(rest)  # the longest run that fits, by bisection (one more block never helps)
        while fits < n:
            mid = (fits + n + 1) // 2
            fits, n = (mid, n) if _flowed(page, boxes, rest[:mid], FIT_SCALES[-1], draw=False) else (fits, mid - 1)
        parts.append(rest[:fits])
        rest = rest[fits:]
    return parts
