"""The national map: 32,844 England LSOAs in one matplotlib collection, for screen and export.

Speed comes from building the geometry once: every LSOA becomes one matplotlib path,
cut straight from shapely's ragged coordinate arrays (no per-polygon patch objects), and
an indicator switch only sets face colours. All England is drawn from the pack's
simplified overview shapes; zoomed to a district, that district's LSOAs are drawn again
on top in full detail, with edges (at national scale edges would be solid ink).
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.path import Path as MplPath

from sthc_desktop.core.datapack import BOROUGH_CODE
from sthc_desktop.core.england import England, NationalView

from .mapfigure import Legend, LegendEntry, fit_extent, shape_path
from .palettes import NO_DATA_COLOUR, class_colours

DISTRICT_COLOUR = "#0072B2"


def lsoa_paths(geometries) -> list[MplPath]:
    """One path per (multi)polygon, holes included, from shapely's ragged arrays."""
    kind, coords, offsets = shapely.to_ragged_array(np.asarray(geometries))
    if kind == shapely.GeometryType.POLYGON:
        ring_offsets, polygon_offsets = offsets
        first_ring = polygon_offsets
    else:
        ring_offsets, polygon_offsets, multi_offsets = offsets
        first_ring = polygon_offsets[multi_offsets]
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    codes[ring_offsets[:-1]] = MplPath.MOVETO
    codes[ring_offsets[1:] - 1] = MplPath.CLOSEPOLY
    starts, ends = ring_offsets[first_ring[:-1]], ring_offsets[first_ring[1:]]
    # The arrays are already valid (float64 n x 2, matching codes), so skip Path's per-path
    # checks: matplotlib's own fast constructor, used throughout matplotlib, halves the time.
    make = MplPath._fast_from_codes_and_verts
    return [make(coords[a:b], codes[a:b]) for a, b in zip(starts, ends)]


class NationalMapFigure:
    """England's LSOAs on one Axes, restyled by :meth:`update`."""

    def __init__(self, ax, england: England):
        self.ax = ax
        self.england = england
        ax.set_axis_off()
        ax.set_facecolor("white")
        self.codes = england.areas["code"].to_numpy()
        self.areas = PathCollection(lsoa_paths(england.overview.geometry.values), facecolor="#dddddd",
                                    linewidth=0.0, antialiased=False, zorder=2)
        ax.add_collection(self.areas)
        self.detail = None          # the zoomed district's LSOAs in full detail
        self.detail_rows = None     # their rows in :attr:`codes`
        borough = england.pack.layer("borough")
        self.borough = PathCollection([shape_path(g) for g in borough.geometry], facecolor="none",
                                      edgecolor="#111111", linewidth=1.0, zorder=5)
        ax.add_collection(self.borough)
        self.district_line = None
        self.district_label = None
        self.view: NationalView | None = None

    def update(self, view: NationalView) -> Legend:
        """Colour the LSOAs for ``view``, zoom to its district or England; return the legend."""
        meta = self.england.meta(view.indicator_id)
        classes = self.england.classes_for(view)
        colours = class_colours(classes.k, meta["polarity"], meta["value_type"])
        # RGBA rows indexed by class: converting 32,844 colour names one by one would cost most of a second.
        rgba = to_rgba_array(colours + [NO_DATA_COLOUR])
        faces = rgba[classes.class_of]   # class -1 (no data) takes the last row
        self.areas.set_facecolor(faces)
        if view.district != (self.view.district if self.view else object()):
            self._zoom(view.district)
        if self.detail is not None:
            self.detail.set_facecolor(faces[self.detail_rows])
        self.view = view
        where = view.district or "England"
        legend = Legend(title=meta["name"], subtitle=f"{meta['unit']} · {meta['period']} · LSOA 2011 · {where}")
        legend.entries = [LegendEntry(c, lab, n) for c, lab, n in zip(colours, classes.labels, classes.counts)]
        if classes.missing:
            legend.entries.append(LegendEntry(NO_DATA_COLOUR, "No data", classes.missing, hatch="////"))
        legend.locality_entries = [LegendEntry("#111111", "St Helens borough")]
        if view.district and self.england.district_code(view.district) != BOROUGH_CODE:
            legend.locality_entries.append(LegendEntry(DISTRICT_COLOUR, view.district))
        return legend

    def _zoom(self, district: str | None) -> None:
        for artist in (self.district_line, self.detail):
            if artist is not None:
                artist.remove()
        self.district_line = self.detail = self.detail_rows = None
        x0, y0, x1, y1 = self.england.extent(district)
        pad = 0.04 * max(x1 - x0, y1 - y0)
        fit_extent(self.ax, (x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        if district is None:
            return
        (vx0, vx1), (vy0, vy1) = self.ax.get_xlim(), self.ax.get_ylim()
        lsoas = self.england.areas_within((vx0, vy0, vx1, vy1))
        self.detail_rows = np.searchsorted(self.codes, lsoas["code"].to_numpy())
        self.detail = PathCollection(lsoa_paths(lsoas.geometry.values), edgecolor="white", linewidth=0.25,
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
        """The LSOA code under a map point, if any."""
        hits = self.england.overview.sindex.query(shapely.Point(x, y), predicate="intersects")
        return str(self.codes[hits[0]]) if len(hits) else None
