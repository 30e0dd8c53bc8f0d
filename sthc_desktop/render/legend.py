"""Printed map legends: the classes with their counts (No data included), the Care Communities
and the practice symbols, as a panel beside a map or compact across columns and strips.
"""

from __future__ import annotations

import math

from .mapparts import Legend
from .page import MUTED, Column


def legend_block(col: Column, legend: Legend, what: str, localities: str | None = "Care Communities") -> None:
    """The map legend beside a map (every briefing map, borough or England): heading, ``what`` the
    classes and counts are, the classes with their counts (No data included), the outlines under a
    ``localities`` heading, and the practice symbols."""
    col.text("Legend", 9, weight="bold", after=1)
    col.text(what, 7, colour=MUTED, after=2)
    for e in legend.entries:
        col.swatch(e, 7.5, f"{e.label} ({e.count:,})" if e.count is not None else e.label)
    if legend.locality_entries:
        col.space(3)
        if localities:
            col.text(localities, 7.5, weight="bold", after=1)
        for e in legend.locality_entries:
            col.line_swatch(e.colour, e.label, 7.5)
    if legend.practice_entries:
        col.space(3)
        for e in legend.practice_entries:
            col.swatch(e, 7)


def compact_legend(legend: Legend, layer, head: Column, *cols: Column) -> None:
    """The map legend set across ``cols`` under a heading in ``head`` (a box as wide as them all).

    In two columns: classes down them, then the Care Communities and practice symbols along them.
    In more (a strip across the page): everything along the rows, reading left to right, and the
    classes' explanations in brackets ("1 (most deprived 10%)") left to the heading's unit line."""
    strip = len(cols) > 2
    head.text("Legend", 8.5, weight="bold", after=0.5)
    what = f"{layer.meta.short_name}: {layer.meta.unit}" if strip else layer.meta.short_name
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


def legend_boxes(x: float, top: float, width: float, bottom: float, gap: float, n: int = 2):
    """A heading box across ``width`` and ``n`` columns under it."""
    w = (width - gap * (n - 1)) / n
    return [(x, top, width, bottom), *[(x + i * (w + gap), top, w, bottom) for i in range(n)]]
