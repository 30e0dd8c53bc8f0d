"""The parts every map shares, light to import (no pandas, no shapely): what a legend lists
(:class:`Legend`, :class:`LegendEntry`), the white halo behind map labels, the extent fitted to the
axes with metres square, and matplotlib's path codes for ring arrays. The St Helens map
(:mod:`.mapfigure`) and the national map (:mod:`.englandmap`) both build on them; a national map
export imports nothing else of the St Helens map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib import patheffects
from matplotlib.path import Path as MplPath

from sthc_desktop.core.rings import RingArrays

HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


@dataclass
class LegendEntry:
    colour: str
    label: str
    count: int | None = None
    hatch: str | None = None
    marker: str | None = None     # "circle", "hollow" for practice symbols
    size: float | None = None


@dataclass
class Legend:
    title: str
    subtitle: str
    entries: list[LegendEntry] = field(default_factory=list)
    practice_entries: list[LegendEntry] = field(default_factory=list)
    locality_entries: list[LegendEntry] = field(default_factory=list)
    counted_in: str | None = None  # the locality whose areas the counts count (None: the whole map)

    def counted(self, what: str) -> str:
        """What the bracketed counts are, e.g. "number of areas in North in brackets"."""
        return f"number of {what}{f' in {self.counted_in}' if self.counted_in else ''} in brackets"


def path_codes(arrays: RingArrays) -> np.ndarray:
    """matplotlib's path code of each vertex of ``arrays``: each ring moved to, drawn and closed."""
    codes = np.full(len(arrays.coords), MplPath.LINETO, dtype=MplPath.code_type)
    codes[arrays.ring_starts[:-1]] = MplPath.MOVETO
    codes[arrays.ring_starts[1:] - 1] = MplPath.CLOSEPOLY
    return codes


def area_paths(arrays: RingArrays) -> list[MplPath]:
    """One path per area (polygon or multipolygon) of ``arrays``."""
    codes = path_codes(arrays)
    return [MplPath(arrays.coords[a:b], codes[a:b]) for a, b in zip(arrays.starts[:-1], arrays.starts[1:])]


def fit_extent(ax, extent) -> None:
    """Show at least ``extent`` on ``ax``, widened to the axes' shape so metres stay square."""
    x0, y0, x1, y1 = extent
    bbox = ax.get_position()
    fig = ax.figure
    box_ratio = (bbox.height * fig.get_figheight()) / max(bbox.width * fig.get_figwidth(), 1e-9)
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    if h / w < box_ratio:
        grow = (w * box_ratio - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    else:
        grow = (h / box_ratio - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
