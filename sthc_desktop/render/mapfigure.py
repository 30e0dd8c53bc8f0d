"""The St Helens map, drawn with matplotlib for the screen and for briefing exports alike.

:class:`MapFigure` builds every layer once (neighbouring boroughs, LSOAs of both
vintages, wards, Care Community outlines, the borough, practices) and then restyles
them for a :class:`~sthc_desktop.core.view.MapView`, so switching indicator only changes
face colours instead of redrawing geometry. :meth:`MapFigure.update` returns the legend
that the GUI shows as a widget and the exports draw beside the map.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from shapely.affinity import scale
from shapely.geometry import Point
from shapely.ops import polylabel

from sthc_desktop.content.maps import padded
from sthc_desktop.core.classes import SUPPRESSED_CLASS, SUPPRESSED_LABEL
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.rings import ring_arrays
from sthc_desktop.core.view import MapView

from .mapparts import HALO, Legend, LegendEntry, area_paths, fit_extent
from .palettes import NO_DATA_COLOUR, NEUTRAL_FILL, SUPPRESSED_COLOUR, class_colours

CLOSED_COLOUR = "#7f7f7f"
#: The drawing order of the areas' fill and of their no-data hatching: the only layers an indicator
#: switch restyles. The neighbouring boroughs lie below them; boundaries, names and practices above.
FILL_Z, NO_DATA_Z = 2, 3


class Rings:
    """Polygons as flat ring arrays, oriented (outer anticlockwise, holes clockwise) so that
    matplotlib's non-zero fill leaves holes empty even when many polygons share one path: they are
    oriented here unless ``oriented`` says they already are."""

    def __init__(self, geometries, oriented: bool = False):
        self.arrays = ring_arrays(geometries, oriented)

    def paths(self) -> list[MplPath]:
        """One path per polygon."""
        return area_paths(self.arrays)


def shape_path(geom) -> MplPath:
    """A matplotlib path for one (multi)polygon, holes included and oriented (see :class:`Rings`)."""
    return Rings([geom]).paths()[0]


def _collection(geoms, **style) -> PathCollection:
    return PathCollection(Rings(np.asarray(geoms)).paths(), **style)


class MapFigure:
    """All map layers on one Axes, restyled by :meth:`update`."""

    def __init__(self, ax, planner: Planner, *, label_scale: float = 1.0):
        self.ax = ax
        self.planner = planner
        self.label_scale = label_scale
        pack = planner.pack
        ax.set_axis_off()
        ax.set_facecolor("white")

        bx0, by0, bx1, by1 = planner.borough_bounds
        from shapely.geometry import box
        frame = box(bx0 - 6000, by0 - 6000, bx1 + 6000, by1 + 6000)
        neighbours = pack.layer("neighbours")
        clipped = neighbours.geometry.intersection(frame)
        keep = ~clipped.is_empty
        self.neighbours = _collection(clipped[keep], facecolor="#eeeeee", edgecolor="#c8c8c8", linewidth=0.6,
                                      zorder=0)
        ax.add_collection(self.neighbours)
        self.neighbour_labels = []
        for name, shape in zip(neighbours["name"][keep], clipped[keep]):
            p = shape.representative_point()
            self.neighbour_labels.append(ax.text(p.x, p.y, name, ha="center", va="center", color="#8c8c8c",
                                                 fontsize=8 * label_scale, style="italic", zorder=1))

        self.areas = {}
        for vintage in ("lsoa11", "lsoa21"):
            layer = pack.layer(vintage)
            coll = _collection(layer.geometry, facecolor=NEUTRAL_FILL, edgecolor="white", linewidth=0.35,
                               zorder=FILL_Z)
            coll.set_visible(False)
            ax.add_collection(coll)
            self.areas[vintage] = (coll, layer["code"].to_numpy())
        self.no_data = None

        wards = pack.layer("wards")
        self.wards = _collection(wards.geometry, facecolor="none", edgecolor="#404040", linewidth=0.6,
                                 linestyle=(0, (3, 2)), zorder=4)
        ax.add_collection(self.wards)

        outlines = planner.locality_outlines()
        self.focus_mask = None
        # Neighbouring localities share their boundary: each outline is drawn twice as wide and
        # clipped to its own area, so both colours show side by side instead of one hiding the other.
        self.localities = []
        for name, shape in zip(outlines["locality"], outlines.geometry):
            path = shape_path(shape)
            line = PathPatch(path, facecolor="none", edgecolor=NETWORK_COLOURS[name], linewidth=3.6, zorder=5)
            # add_artist, not add_patch: the extent is set explicitly, so measuring every curve is wasted.
            ax.add_artist(line)
            line.set_clip_path(PathPatch(path, transform=ax.transData))
            self.localities.append(line)
        self.locality_labels = []
        self._name_homes: list[tuple[float, float]] = []
        markers = pack.practices.geometry.dropna()
        markers = tuple(zip(markers.x, markers.y))
        for name, shape in zip(outlines["locality"], outlines.geometry):
            p = label_point(shape, name, markers)
            self._name_homes.append((p.x, p.y))
            self.locality_labels.append(ax.text(p.x, p.y, name, ha="center", va="center",
                                                fontsize=10 * label_scale, weight="bold",
                                                color=NETWORK_COLOURS[name], path_effects=HALO, zorder=9))

        borough = pack.layer("borough")
        self.borough = _collection(borough.geometry, facecolor="none", edgecolor="#1a1a1a", linewidth=1.3,
                                   zorder=6)
        ax.add_collection(self.borough)

        practices = pack.practices
        self.practices = practices[practices.geometry.notna()].reset_index(drop=True)
        self.practice_artists: list = []
        self.practice_positions: dict[str, tuple[float, float]] = {}
        self._practice_key = None
        self.legend: Legend | None = None

    # ------------------------------------------------------------------------------
    def update(self, view: MapView) -> Legend:
        """Restyle the layers for ``view`` and lay them out for it; return the legend for it."""
        legend = self.restyle(view)
        self.place(view)
        return legend

    def restyle(self, view: MapView) -> Legend:
        """Colour and show the layers for ``view`` and return its legend; what depends on the axes' size
        (the extent, the practice symbols) waits for :meth:`place`."""
        ax = self.ax
        layer = self.planner.layer_for(view)
        classes = self.planner.classes_for(view)
        colours = class_colours(classes.k, layer.meta.polarity, layer.meta.value_type)
        meta = layer.meta
        legend = Legend(title=meta.name, subtitle=f"{meta.unit} · {layer.period} · {layer.geography_name}")
        legend.counted_in = classes.counted_in

        area_vintage = layer.geography if layer.is_area else "lsoa21"
        fill_on = view.layers.get("lsoa_fill", True)
        for vintage, (coll, codes) in self.areas.items():
            coll.set_visible(vintage == area_vintage and fill_on)
        if self.no_data is not None:
            self.no_data.remove()
            self.no_data = None
        if layer.is_area:
            coll, codes = self.areas[area_vintage]
            faces = np.array([to_rgba(NO_DATA_COLOUR)] * len(codes))
            cls = pd.Series(classes.class_of, index=layer.frame["code"].to_numpy())
            order = cls.reindex(codes).fillna(-1).astype(int).to_numpy()
            for i, colour in enumerate(colours):
                faces[order == i] = to_rgba(colour)
            coll.set_facecolor(faces)
            legend.entries = [LegendEntry(c, lab, n) for c, lab, n in zip(colours, classes.labels, classes.counts)]
            if classes.missing or classes.suppressed:
                missing = layer.frame[classes.class_of < 0]
                self.no_data = _collection(missing.geometry, facecolor="white", edgecolor="#9e9e9e",
                                           hatch="////", linewidth=0.3, zorder=NO_DATA_Z)
                self.no_data.set_visible(fill_on)
                ax.add_collection(self.no_data)
                if classes.missing:
                    legend.entries.append(LegendEntry("white", "No data", classes.missing, hatch="////"))
            if classes.suppressed:
                legend.entries.append(LegendEntry("white", SUPPRESSED_LABEL, classes.suppressed, hatch="////"))
        else:
            coll, _ = self.areas[area_vintage]
            coll.set_facecolor(NEUTRAL_FILL)
            legend.entries = [LegendEntry(c, lab, n, marker="circle")
                              for c, lab, n in zip(colours, classes.labels, classes.counts)]
            if classes.missing:
                legend.entries.append(LegendEntry("white", "No data", classes.missing, marker="hollow"))
            if classes.suppressed:
                legend.entries.append(LegendEntry(SUPPRESSED_COLOUR, SUPPRESSED_LABEL, classes.suppressed,
                                                  marker="circle"))

        self.wards.set_visible(view.layers.get("wards", True))
        self.borough.set_visible(view.layers.get("borough", True))
        show_localities = view.layers.get("localities", True)
        for line in self.localities:
            line.set_visible(show_localities)
        for t in self.locality_labels:
            t.set_visible(show_localities)
        self.neighbours.set_visible(view.layers.get("neighbours", True))
        for t in self.neighbour_labels:
            t.set_visible(view.layers.get("neighbours", True))
        legend.locality_entries = [LegendEntry(NETWORK_COLOURS[n], n) for n in NETWORKS] if show_localities else []

        self._set_focus(view.focus)
        shown = self._practices_shown(view, layer)
        legend.practice_entries = [
            LegendEntry("#555555", "Practice: map key, network colour", marker="circle"),
            LegendEntry(CLOSED_COLOUR, "Closed or dormant since the plan", marker="hollow"),
        ] if shown else []
        if shown and not layer.is_area:
            legend.practice_entries.insert(0, LegendEntry("#bbbbbb", "Symbol size: larger = higher value",
                                                          marker="circle"))
        self.legend = legend
        return legend

    def place(self, view: MapView) -> None:
        """Fit the map to ``view``'s extent at the axes' present size and place the practice symbols."""
        fit_extent(self.ax, view.extent or padded(self.planner.borough_bounds, 0.04))
        layer = self.planner.layer_for(view)
        classes = self.planner.classes_for(view)
        self._draw_practices(view, layer, classes, class_colours(classes.k, layer.meta.polarity,
                                                                 layer.meta.value_type))

    @staticmethod
    def _practices_shown(view: MapView, layer) -> bool:
        return view.layers.get("practices", True) or not layer.is_area  # a practice indicator is its symbols

    def practice_at(self, x: float, y: float, tolerance: float) -> str | None:
        """The ODS code of the practice symbol drawn nearest (x, y), if within ``tolerance``."""
        best, best_d = None, tolerance
        for code, (px, py) in self.practice_positions.items():
            d = float(np.hypot(px - x, py - y))
            if d <= best_d:
                best, best_d = code, d
        return best

    @property
    def extent(self) -> tuple[float, float, float, float]:
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        return (x0, y0, x1, y1)

    def _set_focus(self, focus: str | None):
        if self.focus_mask is not None:
            self.focus_mask.remove()
            self.focus_mask = None
        for t, name in zip(self.locality_labels, NETWORKS):
            t.set_alpha(1.0 if focus in (None, name) else 0.35)
        if focus is None:
            return
        outlines = self.planner.locality_outlines()
        others = outlines[outlines["locality"] != focus]
        self.focus_mask = _collection(others.geometry, facecolor=(1, 1, 1, 0.62), edgecolor="none", zorder=4.5)
        self.ax.add_collection(self.focus_mask)

    def metres_per_point(self) -> float:
        """Map units per typographic point at the current zoom (for zoom-independent offsets)."""
        fig = self.ax.figure
        width_in = self.ax.get_position().width * fig.get_figwidth()
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        height_in = self.ax.get_position().height * fig.get_figheight()
        # With an equal aspect the larger of the two scales is the one matplotlib applies.
        return max((x1 - x0) / (width_in * 72), (y1 - y0) / (height_in * 72))

    def _draw_practices(self, view, layer, classes, colours):
        shown = self._practices_shown(view, layer)
        # Practices look the same for every area indicator: rebuild them only when what they show changes.
        key = (shown, None if layer.is_area else (layer.indicator_id, layer.period, classes.labels),
               tuple(round(v) for v in self.extent), self.ax.bbox.width, self.ax.bbox.height)
        if key == self._practice_key:
            return
        self._practice_key = key
        for artist in self.practice_artists:
            artist.remove()
        self.practice_artists = []
        self.practice_positions = {}
        if not shown:
            self._clear_names_of(np.empty((0, 2)), np.empty(0))
            return
        p = self.practices
        scale = self.label_scale
        ring = 11 if layer.is_area else 15  # graduated symbols are bigger and need more room
        positions = np.array(_displaced(p.geometry.x.to_numpy(), p.geometry.y.to_numpy(),
                                        ring * self.metres_per_point() * scale))
        self.practice_positions = dict(zip(p["ods_code"], map(tuple, positions)))
        moved = np.hypot(positions[:, 0] - p.geometry.x.to_numpy(), positions[:, 1] - p.geometry.y.to_numpy()) > 0
        if moved.any():
            segments = [[(x, y), (px, py)] for (x, y), (px, py), m in
                        zip(zip(p.geometry.x, p.geometry.y), positions, moved) if m]
            leaders = LineCollection(segments, colors="#555555", linewidths=0.6, zorder=9.5)
            self.ax.add_collection(leaders)
            self.practice_artists.append(leaders)
        active = (p["status"] == "active").to_numpy()
        network = p["network"].map(NETWORK_COLOURS).fillna("#333333").to_numpy()
        if layer.is_area:
            sizes = np.full(len(p), 150.0 * scale ** 2)
            faces = np.where(active, network, "white")
            edges = np.where(active, "white", CLOSED_COLOUR)
            text_colours = np.where(active, "white", CLOSED_COLOUR)
        else:
            values = p["ods_code"].map(layer.frame.set_index("code")["value"])
            cls = pd.Series(classes.class_of, index=layer.frame["code"].to_numpy())
            class_idx = p["ods_code"].map(cls).fillna(-1).astype(int).to_numpy()
            finite = values.dropna()
            lo, hi = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
            share = ((values - lo) / (hi - lo)).fillna(-1).to_numpy() if hi > lo else np.full(len(p), 0.5)
            sizes = np.where(share < 0, 60.0, 60.0 + 440.0 * share) * scale ** 2
            # A suppressed practice is drawn mid-sized and grey, so its fill shows round the key number.
            sizes = np.where(class_idx == SUPPRESSED_CLASS, 220.0 * scale ** 2, sizes)
            faces = np.array([colours[i] if i >= 0 else SUPPRESSED_COLOUR if i == SUPPRESSED_CLASS else "white"
                              for i in class_idx], dtype=object)
            edges = np.where(active, network, CLOSED_COLOUR)
            text_colours = np.full(len(p), "#1a1a1a", dtype=object)
        for mask, style in ((active, "-"), (~active, "--")):
            if mask.any():
                sc = self.ax.scatter(positions[mask, 0], positions[mask, 1], s=sizes[mask], c=list(faces[mask]),
                                     edgecolors=list(edges[mask]), linewidths=1.0 if layer.is_area else 1.6,
                                     linestyle=style, zorder=10)
                self.practice_artists.append(sc)
        for i, r in enumerate(p.itertuples()):
            label = "+" if pd.isna(r.map_key) else str(int(r.map_key))
            txt = self.ax.text(positions[i, 0], positions[i, 1], label, ha="center", va="center_baseline",
                               fontsize=7 * scale, weight="bold", color=text_colours[i], zorder=11,
                               path_effects=None if layer.is_area else HALO)
            self.practice_artists.append(txt)
        self._clear_names_of(positions, np.sqrt(sizes) / 2 * self.metres_per_point())

    def _clear_names_of(self, markers: np.ndarray, radii: np.ndarray) -> None:
        """Nudge each Care Community name off the practice markers drawn at this zoom.

        :func:`label_point` places a name away from the practices before the zoom (and so the
        markers' size and spreading) is known; here the smallest shift that uncovers it is taken."""
        mpp = self.metres_per_point()
        for label, home in zip(self.locality_labels, self._name_homes):
            label.set_position(home)
            size = label.get_fontsize()
            half_w = np.ptp(TextPath((0, 0), label.get_text(), size=size,
                                     prop=FontProperties(weight="bold")).vertices[:, 0]) / 2 * mpp
            half_h = size * 0.6 * mpp

            def covered(x: float, y: float) -> bool:
                nx = np.clip(markers[:, 0], x - half_w, x + half_w)
                ny = np.clip(markers[:, 1], y - half_h, y + half_h)
                return bool((np.hypot(markers[:, 0] - nx, markers[:, 1] - ny) < radii).any())

            if not covered(*home):
                continue
            step = half_h / 2
            shifts = sorted(((dx * step, dy * step) for dx in range(-12, 13) for dy in range(-8, 9)),
                            key=lambda d: (np.hypot(*d), d))
            free = next(((home[0] + dx, home[1] + dy) for dx, dy in shifts if not covered(home[0] + dx, home[1] + dy)),
                        home)
            label.set_position(free)


#: A name may cross its Care Community's edge (its halo keeps it readable) but a practice marker
#: hides it, so the name needs only this fraction of the room from the edge it needs from a marker.
EDGE_ROOM = 1 / 3
#: Candidate points per side of the grid laid over a Care Community to place its name.
LABEL_GRID = 60


@lru_cache(maxsize=32)  # every map of a pack places the same names
def label_point(shape, name: str, markers: tuple[tuple[float, float], ...]) -> Point:
    """Where a Care Community's name goes: the point inside its largest part that keeps the name
    clearest of the practice ``markers`` ((x, y) pairs) and, less strictly, of the part's edge.

    Candidates are a grid of points inside the part, its centre and its ``polylabel`` point, in a
    space squashed across by the name's height-to-width ratio so the wide name counts as a square
    (room beside it weighs as much as room above it). The one chosen has the largest
    min(distance to the nearest marker, distance to the edge / :data:`EDGE_ROOM`); the same data
    always gives the same place."""
    part = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
    width, height = np.ptp(TextPath((0, 0), name, size=10, prop=FontProperties(weight="bold")).vertices, axis=0)
    squash = height / width
    origin = part.centroid
    part = scale(part, xfact=squash, origin=origin)
    x0, y0, x1, y1 = part.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, LABEL_GRID), np.linspace(y0, y1, LABEL_GRID))
    inside = shapely.contains_xy(part, xs, ys)
    pole = polylabel(part, tolerance=20)
    centre = [[origin.x, origin.y]] if part.contains(origin) else np.empty((0, 2))
    xy = np.vstack([[pole.x, pole.y], centre, np.column_stack([xs[inside], ys[inside]])])
    # The edge, simplified to 25 m, is close enough to measure room by and many times quicker.
    edge = shapely.distance(part.boundary.simplify(25, preserve_topology=False), shapely.points(xy))
    marks = np.array([((mx - origin.x) * squash + origin.x, my) for mx, my in markers]).reshape(-1, 2)
    near = np.hypot(xy[:, None, 0] - marks[None, :, 0], xy[:, None, 1] - marks[None, :, 1]).min(axis=1,
                                                                                                 initial=np.inf)
    # Scores within 10 m are a tie, won by the candidate nearest the part's centre.
    score = np.round(np.minimum(near, edge / EDGE_ROOM), -1)
    x, y = xy[np.lexsort((np.hypot(xy[:, 0] - origin.x, xy[:, 1] - origin.y), -score))[0]]
    return Point(origin.x + (x - origin.x) / squash, y)


def _displaced(x: np.ndarray, y: np.ndarray, radius: float) -> list[tuple[float, float]]:
    """Spread practices that share a postcode around a small ring so every key stays readable."""
    out = list(zip(x.tolist(), y.tolist()))
    groups: dict[tuple, list[int]] = {}
    for i, (a, b) in enumerate(out):
        groups.setdefault((round(a, -1), round(b, -1)), []).append(i)
    for members in groups.values():
        n = len(members)
        if n == 1:
            continue
        r = radius * (1.0 if n <= 2 else 1.2 if n <= 3 else 1.5)
        for j, i in enumerate(members):
            angle = np.pi / 2 - 2 * np.pi * j / n
            out[i] = (x[i] + r * np.cos(angle), y[i] + r * np.sin(angle))
    return _apart(np.array(out, dtype=float), radius * MARKER_SPACING)


#: Least distance between two practice markers' centres, as a multiple of the ring radius (a marker's
#: diameter and a little): neighbours closer than this are pushed apart, a leader line to each.
MARKER_SPACING = 1.25


def _apart(points: np.ndarray, gap: float, rounds: int = 60) -> list[tuple[float, float]]:
    """Push markers closer than ``gap`` apart, each pair half the shortfall each way, until none hides another."""
    if len(points) < 2 or gap <= 0:
        return list(map(tuple, points))
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        close = dist < gap
        if not close.any():
            break
        # Same spot: a fixed direction per pair, so the layout is the same every time.
        order = np.sign(np.arange(len(points))[:, None] - np.arange(len(points))[None, :])
        same = np.stack([np.zeros_like(dist), order.astype(float)], axis=-1)
        unit = np.where(dist[..., None] > 1e-9, delta / np.maximum(dist, 1e-9)[..., None], same)
        push = np.where(close, (gap - np.minimum(dist, gap)) / 2 * 1.05, 0.0)[..., None] * unit
        points = points + push.sum(axis=1)
    return list(map(tuple, points))
