"""A map placed on a printed page and its furniture: the frame, scale bar, north arrow and,
for a map of less than the borough, an inset locator in the corner that hides least; place names
the frame or the inset would cut are hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle
from shapely.geometry import Point, box

from sthc_desktop.content.maps import padded
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView

from .mapfigure import HALO, Legend, MapFigure, shape_path
from .page import INK, Page, text_width


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
