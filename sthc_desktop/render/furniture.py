"""A map placed on a printed page and its furniture: the frame, scale bar, north arrow and,
for a map of less than the borough, an inset locator in the corner that hides least; place names
the frame or the inset would cut are hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle

from sthc_desktop.core.networks import NETWORK_COLOURS, NETWORKS

from .mapparts import HALO, Legend
from .page import INK, SCREEN, Face, Page, text_width

if TYPE_CHECKING:  # the St Helens map's own parts (pandas, shapely) load where it is drawn: not for a national map
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.core.view import MapView

    from .mapfigure import MapFigure


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
    from shapely.geometry import Point

    from .mapfigure import MapFigure

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
    bx0, by0, bx1, by1 = planner.borough_bounds
    smaller = (extent[2] - extent[0]) < (bx1 - bx0) or (extent[3] - extent[1]) < (by1 - by0)
    with_inset = inset if inset is not None else (view.focus is not None or (view.extent is not None and smaller))
    side, pad = min(w, h) * 0.26, 0.08 * page.k
    per_inch = (extent[2] - extent[0]) / w
    names = [label_box(t, per_inch, page.face) for t, name in zip(fig_map.locality_labels, NETWORKS)
             if t.get_visible() and view.focus in (None, name)]
    # A marker is hidden when any of it is: its centre within its radius (s = 150 pt²) of the furniture.
    radius = math.sqrt(150) / 2 * page.k / 72 * per_inch
    markers = [Point(m).buffer(radius) for m in fig_map.practice_positions.values()] \
        if view.layers.get("practices", True) else []
    arrow = (ARROW_WIDTH * page.k / w, ARROW_HEIGHT * page.k / h)
    corner, arrow_corner = quiet_corner(planner, view, extent, ((side + pad) / w, (side + pad) / h) if with_inset
                                        else None, arrow, names, markers)
    north_arrow(ax, page.k, arrow_corner)
    extras = [a for a in ax.get_children() if a not in layers]
    if corner is not None:
        ix = x + pad if corner.endswith("left") else x + w - side - pad
        iy = y + h - side - pad if corner.startswith("top") else y + pad
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
        half_w = label_width(label, page.face) / 2
        half_h = label.get_fontsize() / 72 * 0.6
        under_inset = covered is not None and (x + half_w > covered[0] and x - half_w < covered[0] + covered[2]
                                               and y + half_h > covered[1] and y - half_h < covered[1] + covered[3])
        if x - half_w < left or x + half_w > right or y - half_h < bottom or y + half_h > top or under_inset:
            label.set_visible(False)


def label_width(label, face: Face) -> float:
    """Width (inches) of a map label on a page set in ``face``: a label with a halo is drawn as the
    outlines of matplotlib's own glyphs whatever the page's face."""
    return text_width(label.get_text(), label.get_fontsize(), str(label.get_fontweight()),
                      SCREEN if label.get_path_effects() else face)


def label_box(label, per_inch: float, face: Face):
    """The box a map label covers, in map units (``per_inch``: map units per inch of paper)."""
    from shapely.geometry import box

    x, y = label.get_position()
    half_w = label_width(label, face) / 2 * per_inch
    half_h = label.get_fontsize() / 72 * 0.6 * per_inch
    return box(x - half_w, y - half_h, x + half_w, y + half_h)


#: Where the inset and the north arrow may go, preferred first (the scale bar keeps the bottom left).
LAYOUTS = (("top left", "top right"), ("bottom right", "top right"), ("top right", "top left"),
           ("bottom right", "top left"))
#: The box the north arrow and its "N" take in a corner (inches at A4).
ARROW_WIDTH, ARROW_HEIGHT = 0.3, 0.42


def corner_box(extent, corner: str, fw: float, fh: float):
    """The box ``fw`` × ``fh`` (shares of the map's width and height) in a corner of ``extent``."""
    from shapely.geometry import box

    x0, y0, x1, y1 = extent
    dx, dy = (x1 - x0) * fw, (y1 - y0) * fh
    left, top = corner.endswith("left"), corner.startswith("top")
    return box(x0 if left else x1 - dx, y1 - dy if top else y0, x0 + dx if left else x1, y1 if top else y0 + dy)


def quiet_corner(planner: Planner, view: MapView, extent, inset, arrow, names=(), markers=()):
    """The corners of the inset (``inset``: its share of the map's width and height, or None for no
    inset) and of the north arrow (``arrow``: its shares): of :data:`LAYOUTS`, the one hiding fewest
    practice ``markers`` (shapes in map units), then none of the ``names`` (boxes of the Care
    Community names in view), then covering least of the area in view."""
    outlines = planner.locality_outlines()
    shown = outlines[outlines["locality"] == view.focus] if view.focus else outlines
    shape = shown.union_all() if hasattr(shown, "union_all") else shown.unary_union
    layouts = LAYOUTS if inset is not None else [(None, c) for c in dict.fromkeys(a for _, a in LAYOUTS)]

    def cost(layout):
        corner, arrow_corner = layout
        furniture = [corner_box(extent, arrow_corner, *arrow)]
        if corner is not None:
            furniture.append(corner_box(extent, corner, *inset))
        return (sum(any(f.intersects(m) for f in furniture) for m in markers),
                any(furniture[-1].intersects(n) for n in names) if corner is not None else False,
                shape.intersection(furniture[-1]).area if corner is not None else 0.0, layouts.index(layout))
    return min(layouts, key=cost)


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


def north_arrow(ax, k: float, corner: str = "top right") -> None:
    """North arrow, top right or top left (British National Grid north is within a degree of true north here)."""
    at = 0.955 if corner == "top right" else 0.045
    ax.annotate("N", xy=(at, 0.965), xytext=(at, 0.885), xycoords="axes fraction",
                textcoords="axes fraction", ha="center", va="top", fontsize=10 * k, weight="bold", color=INK,
                path_effects=HALO, zorder=22,
                arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.6", color=INK, lw=1.4 * k))


def inset_map(page: Page, planner: Planner, box, extent) -> None:
    """A locator: the borough and its Care Communities, with the map's extent as a red rectangle."""
    from sthc_desktop.content.maps import padded

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
    from .mapfigure import shape_path

    return PathPatch(shape_path(shape), **style)
