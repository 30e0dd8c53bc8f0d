"""Draw spine charts (Fingertips style) from :func:`sthc_desktop.core.spine.spine_rows`.

Each indicator is a row: a light bar from the worst to the best of the comparator set, the 25th–75th
percentile darker, the benchmark a red line at the centre and the locality's value a circle in its
comparison colour; the value, benchmark, worst and best printed at the right. Positions come from the
core; this module only draws. Qt-free.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from sthc_desktop.content.numbers import format_value
from sthc_desktop.core.stats import NOT_COMPARED

from .charts import COMPARISON_COLOURS, FONT

RANGE, QUARTILES, BENCHMARK = "#d9d9d9", "#8c8c8c", "#e41a1c"
MIN_ROWS = 6
#: Where the printed columns start right of the spine, in multiples of the type size; the last ends by
#: COLUMNS_EM (so a caller leaves ``columns_width(size)`` inches for them).
COLUMNS = (("Value", 0.8), ("Benchmark", 5.0), ("Worst", 12.3), ("Best", 16.2))
COLUMNS_EM = 20.3


def columns_width(size: float) -> float:
    """Inches the printed columns take right of the spine at type ``size``."""
    return COLUMNS_EM * size / 72


def spine_chart(ax, rows: pd.DataFrame, *, size: float = FONT, title: str | None = None) -> dict:
    """Draw the rows of one locality's spine chart on ``ax``; returns the markers by indicator id (the
    circles, absent for a suppressed value) and the benchmark lines, for checking what was drawn."""
    ax.set_xlim(0, 1)
    # Rows keep at most the height they would have among MIN_ROWS, set from the top.
    ax.set_ylim(len(rows) - max(len(rows), MIN_ROWS) - 0.6, len(rows) - 0.4)
    ax.axis("off")
    markers, lines = {}, {}
    at = {label: offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=em * size, units="points")
          for label, em in COLUMNS}
    for i, r in enumerate(rows.itertuples(index=False)):
        y = len(rows) - 1 - i
        lo, hi = sorted((r.pos_worst, r.pos_best))
        ax.add_patch(Rectangle((lo, y - 0.3), hi - lo, 0.6, color=RANGE, lw=0))
        qlo, qhi = sorted((r.pos_q25, r.pos_q75))
        ax.add_patch(Rectangle((qlo, y - 0.3), qhi - qlo, 0.6, color=QUARTILES, lw=0))
        (lines[r.indicator_id],) = ax.plot([0.5, 0.5], [y - 0.4, y + 0.4], color=BENCHMARK, lw=1.2)
        if pd.notna(r.pos_value):
            colour = COMPARISON_COLOURS.get(r.comparison, COMPARISON_COLOURS[NOT_COMPARED])
            (markers[r.indicator_id],) = ax.plot([r.pos_value], [y], "o", ms=size * 0.9, color=colour,
                                                 markeredgecolor="black", markeredgewidth=0.6, zorder=4)
        ax.text(-0.02, y, f"{r.short_name} ({r.period})", ha="right", va="center", fontsize=size)
        for (label, _), v in zip(COLUMNS, (r.value, r.benchmark_value, r.worst, r.best)):
            ax.text(1, y, format_value(v, r.unit), ha="left", va="center", fontsize=size, transform=at[label])
    for label, _ in COLUMNS:
        ax.text(1, len(rows) - 0.45, label, ha="left", va="bottom", fontsize=size, weight="bold",
                transform=at[label])
    ax.text(0.0, len(rows) - 0.45, "Worst", ha="left", va="bottom", fontsize=size, color="#595959")
    ax.text(1.0, len(rows) - 0.45, "Best", ha="right", va="bottom", fontsize=size, color="#595959")
    if title:
        ax.set_title(title, fontsize=size + 1.5, loc="left", pad=size * 1.6, weight="bold")
    return {"markers": markers, "benchmarks": lines}
