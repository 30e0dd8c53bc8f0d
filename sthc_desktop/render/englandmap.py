"""The national map: 32,844 England LSOAs, for screen and export.

All England is drawn from the pack's simplified overview shapes as one compound path per
class: the coordinates come from the pack as the flat arrays drawn, so there are a dozen paths to
build and draw instead of 32,844. Drawing costs by the vertex (317,341 of them), so each draw
takes only the LSOAs whose bounds meet the view: the paths are regrouped (a sort of the LSOAs in
view by class) when the classes or the view have changed since the last draw, and a zoomed or
panned map fills a fraction of England. Zoomed to a district, the LSOAs in view are drawn again
on top in full detail, one path each, with edges (at national scale edges would be solid ink).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.path import Path as MplPath

from sthc_desktop.core.datapack import BOROUGH_CODE
from sthc_desktop.core.england import England, NationalView

from .mapparts import Legend, LegendEntry, area_paths, fit_extent, path_codes
from .palettes import NO_DATA_COLOUR, class_colours

DISTRICT_COLOUR = "#0072B2"


class NationalMapFigure:
    """England's LSOAs on one Axes, restyled by :meth:`update`."""

    def __init__(self, ax, england: England):
        self.ax = ax
        self.england = england
        ax.set_axis_off()
        ax.set_facecolor("white")
        self.codes = england.codes
        self.rings = england.rings
        self.path_codes = path_codes(self.rings)
        self.bounds = self.rings.area_bounds()
        self.group_of = np.full(len(self.rings), -1)  # each LSOA's path (class, then no data); -1 not drawn
        self.groups = 0
        self.grouped_for = None     # (group_of, view limits) the paths were last grouped for
        self.areas = _AreasInView(self.group_in_view, linewidth=0.0, antialiased=False, zorder=2)
        ax.add_collection(self.areas)
        self.detail = None          # zoomed to a district: the LSOAs in view in full detail,
        self.detail_areas = None    # their codes and shapes (for hover)
        self.detail_rows = None     # and their rows in :attr:`codes`
        self.target = None          # the extent asked for, before widening to the axes' shape
        self.borough = PathCollection(area_paths(england.borough_rings), facecolor="none",
                                      edgecolor="#111111", linewidth=1.0, zorder=5)
        ax.add_collection(self.borough)
        self.district_line = None
        self.view: NationalView | None = None

    def update(self, view: NationalView) -> Legend:
        """Colour the LSOAs for ``view``, zoom to its district or England; return the legend."""
        meta = self.england.meta(view.indicator_id)
        classes = self.england.classes_for(view)
        colours = class_colours(classes.k, meta.polarity, meta.value_type)
        # One RGBA row per class, then no data (class -1).
        rgba = to_rgba_array(colours + [NO_DATA_COLOUR])
        if view.district != (self.view.district if self.view else object()):
            self._zoom(view.district)
        group_of = np.where(classes.class_of < 0, classes.k, classes.class_of)
        if self.detail is not None:
            self.detail.set_facecolor(rgba[group_of[self.detail_rows]])
            # The simplified shapes under the detailed ones would spill past them (coasts): not drawn.
            group_of[self.detail_rows] = -1
        if self.groups != classes.k + 1 or not np.array_equal(group_of, self.group_of):
            # Classes with the same members (an indicator and its ranks' deciles) keep their paths: new colours only.
            self.group_of, self.groups = group_of, classes.k + 1
        self.areas.set_facecolor(rgba)
        self.view = view
        where = view.district or self.england.scope_name
        legend = Legend(title=meta.name, subtitle=f"{meta.unit} · {meta.period} · LSOA 2011 · {where}")
        legend.entries = [LegendEntry(c, lab, n) for c, lab, n in zip(colours, classes.labels, classes.counts)]
        if classes.missing:
            legend.entries.append(LegendEntry(NO_DATA_COLOUR, "No data", classes.missing, hatch="////"))
        legend.locality_entries = [LegendEntry("#111111", "St Helens borough")]
        if view.district and self.england.district_code(view.district) != BOROUGH_CODE:
            legend.locality_entries.append(LegendEntry(DISTRICT_COLOUR, view.district))
        return legend

    def group_in_view(self) -> None:
        """One path per class (then no data) of the LSOAs whose bounds meet the view, if the classes or
        the view changed since the paths were last grouped."""
        (x0, x1), (y0, y1) = sorted(self.ax.get_xlim()), sorted(self.ax.get_ylim())
        # A margin, so that no pixel at the axes' edge misses a shape just beyond the limits.
        mx, my = 0.01 * (x1 - x0), 0.01 * (y1 - y0)
        limits = (x0, x1, y0, y1)
        if self.grouped_for is not None and self.grouped_for[0] is self.group_of and self.grouped_for[1] == limits:
            return
        b = self.bounds
        shown = ((self.group_of >= 0) & (b[:, 0] <= x1 + mx) & (b[:, 2] >= x0 - mx)
                 & (b[:, 1] <= y1 + my) & (b[:, 3] >= y0 - my))
        areas = np.flatnonzero(shown)
        areas = areas[np.argsort(self.group_of[areas], kind="stable")]
        index = self.rings.vertices_of(areas)
        # One gather for all the paths (np.take: several times faster than fancy indexing of rows).
        coords, codes = np.take(self.rings.coords, index, axis=0), np.take(self.path_codes, index)
        ends = np.concatenate([[0], np.cumsum(self.rings.starts[areas + 1] - self.rings.starts[areas])])
        cuts = ends[np.searchsorted(self.group_of[areas], np.arange(self.groups + 1))]
        self.areas.set_paths([MplPath(coords[a:c], codes[a:c]) for a, c in zip(cuts[:-1], cuts[1:])])
        self.grouped_for = (self.group_of, limits)

    def refit(self) -> None:
        """Fit the extent asked for to the axes' shape again (after a resize), keeping metres square."""
        if self.target is not None:
            fit_extent(self.ax, self.target)

    def _zoom(self, district: str | None) -> None:
        for artist in (self.district_line, self.detail):
            if artist is not None:
                artist.remove()
        self.district_line = self.detail = self.detail_rows = self.detail_areas = None
        x0, y0, x1, y1 = self.england.extent(district)
        pad = 0.04 * max(x1 - x0, y1 - y0)
        self.target = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        fit_extent(self.ax, self.target)
        if district is None:
            return
        from .mapfigure import Rings, shape_path  # a district's full-detail shapes (shapely): not for all England

        # Detail for a square around the view, so a window resized wider still shows detail at its sides.
        (vx0, vx1), (vy0, vy1) = self.ax.get_xlim(), self.ax.get_ylim()
        cx, cy, half = (vx0 + vx1) / 2, (vy0 + vy1) / 2, 0.55 * max(vx1 - vx0, vy1 - vy0)
        lsoas = self.england.areas_within((cx - half, cy - half, cx + half, cy + half))
        self.detail_areas = lsoas
        self.detail_rows = np.searchsorted(self.codes, lsoas["code"].to_numpy())
        self.detail = PathCollection(Rings(lsoas.geometry.values).paths(), edgecolor="white", linewidth=0.25,
                                     zorder=3)
        self.ax.add_collection(self.detail)
        code = self.england.district_code(district)
        if code != BOROUGH_CODE:
            own = lsoas[lsoas["lad_code"] == code]
            outline = own.geometry.buffer(0.01).union_all()  # closes the source's hairline cracks
            self.district_line = PathCollection([shape_path(outline)], facecolor="none", edgecolor=DISTRICT_COLOUR,
                                                linewidth=1.6, zorder=6)
            self.ax.add_collection(self.district_line)

    def code_at(self, x: float, y: float) -> str | None:
        """The LSOA code under a map point, if any (from the detailed shapes when zoomed in)."""
        import shapely

        point = shapely.Point(x, y)
        if self.detail_areas is not None:
            hits = self.detail_areas.sindex.query(point, predicate="intersects")
            if len(hits):
                return str(self.detail_areas["code"].iloc[hits[0]])
        hits = self.england.overview.sindex.query(point, predicate="intersects")
        return str(self.codes[hits[0]]) if len(hits) else None


class _AreasInView(PathCollection):
    """The overview's class paths, regrouped to the LSOAs in view (``group``) just before each draw."""

    def __init__(self, group, **style):
        super().__init__([], **style)
        self._group = group

    def draw(self, renderer) -> None:
        self._group()
        super().draw(renderer)
