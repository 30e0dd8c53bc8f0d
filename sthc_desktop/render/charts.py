"""Charts of the locality comparison, drawn with matplotlib on an Axes the caller owns.

The comparison view and the exports share these: bars per area with 95% interval whiskers
and the benchmark as a line, coloured by the better / similar / worse comparison; the adult
obesity (QOF) trend per Care Community against England with the caveats of the series
marked; and each locality's residents stacked by national IMD decile. Localities keep their
network colours everywhere. Sizes suit an A4 page as well as the screen. Qt-free.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from sthc_desktop.content.charts import (OBESITY_COVID, OBESITY_DEFINITION_CHANGE, OBESITY_NOT_COMPARABLE,
                                         obesity_trend_data)
from sthc_desktop.core.aggregate import ENGLAND
from sthc_desktop.core.deprivation import EDITIONS, decile_populations, decile_shares
from sthc_desktop.core.localities import NETWORK_COLOURS, NETWORKS
from sthc_desktop.core.stats import HIGHER_IS_BETTER, NOT_COMPARED

from .page import face_of, least_type, wrap
from .palettes import class_colours

#: Fingertips' comparison colours, and grey where nothing was compared.
COMPARISON_COLOURS = {"better": "#92d050", "similar": "#ffc000", "worse": "#c00000", "higher": "#bed2ff",
                      "lower": "#5555e6", NOT_COMPARED: "#d9d9d9"}
#: The fills of a table's comparison cells: Fingertips' colours; the words are printed too, so colour
#: is never the only cue ("not compared" cells stay white).
COMPARISON_FILLS = {c: COMPARISON_COLOURS[c] for c in ("better", "similar", "worse", "higher", "lower")}
BOROUGH_COLOUR = "#404040"
FONT = 8


def area_colour(area: str) -> str:
    return NETWORK_COLOURS.get(area, BOROUGH_COLOUR)


def comparison_fills(words: list[list[str | None]] | None) -> list[list[str | None]] | None:
    """Cell fills for a table's comparison words (:attr:`sthc_desktop.content.pack.Table.words`)."""
    return None if words is None else [[COMPARISON_FILLS.get(w) if w else None for w in row] for row in words]


def chart_title(name: str, period: str) -> str:
    """The indicator's name and period, without repeating a period the name already gives
    ("…, 2021" for 2021; "… 2019: score" for IoD2019)."""
    name, period = str(name), str(period)
    year = re.fullmatch(r"[A-Za-z-]*(\d{4})", period)
    if not period or period in name or (year and year.group(1) in name):
        return name
    return f"{name}, {period}"


#: How far right (a share of the figure's width) text beside or under a chart may run: a page's margin.
EDGE = 0.945


def fill(ax, text: str, size: float, share: float = 1.0) -> str:
    """``text`` wrapped to ``share`` of the axes' width at ``size`` points (or the least a printed page
    raises it to), kept on the figure."""
    box = ax.get_position()
    return "\n".join(wrap(text, max(size, least_type(ax.figure)), min(box.width * share, EDGE - box.x0)
                           * ax.figure.get_figwidth(), face=face_of(ax.figure)))


def set_title(ax, title: str, size: float = FONT + 1) -> None:
    """A left-aligned title wrapped to the axes' width, so a long name never runs past the chart."""
    ax.set_title(fill(ax, title, size), fontsize=size, loc="left")


def _emphasise(ticks, areas, highlight: str | None) -> None:
    for tick, area in zip(ticks, areas):
        tick.set_color(area_colour(area))
        if area == highlight:
            tick.set_fontweight("bold")


def comparison_bars(ax, frame: pd.DataFrame, *, highlight: str | None = None, legend: bool = True,
                    horizontal: bool = False, size: float = FONT) -> None:
    """One indicator's compare() rows as bars with 95% interval whiskers and the benchmark as a line.

    Bars are filled by the comparison and outlined in the locality's colour; England, when it
    is not the benchmark, is a dotted reference line. ``highlight`` names a locality to set in
    bold (a locality page's own); ``legend=False`` leaves the key to the page and names the
    reference lines' values on the chart instead; ``horizontal`` lays the bars along the x axis
    with the area names beside them (for a narrow panel); ``size`` is the type size. Pass rows
    through ``publishable(frame, mark=None)`` first, so suppressed values are not drawn."""
    frame = frame.reset_index(drop=True)
    first = frame.iloc[0]
    bench_area = first["benchmark"]
    bars = frame[~frame["area"].isin([bench_area, ENGLAND])]
    pos = np.arange(len(bars))[::-1] if horizontal else np.arange(len(bars))  # first area on top / left
    values = bars["value"].to_numpy(dtype=float)
    (ax.barh if horizontal else ax.bar)(
        pos, np.nan_to_num(values), 0.65,
        color=[COMPARISON_COLOURS.get(c, COMPARISON_COLOURS[NOT_COMPARED]) for c in bars["comparison"]],
        edgecolor=[area_colour(a) for a in bars["area"]],
        linewidth=[3.0 if a == highlight else 2.0 for a in bars["area"]])
    lo, hi = bars["lower_ci"].to_numpy(dtype=float), bars["upper_ci"].to_numpy(dtype=float)
    has_ci = ~(np.isnan(lo) | np.isnan(hi))
    if has_ci.any():
        err = [values[has_ci] - lo[has_ci], hi[has_ci] - values[has_ci]]
        xy = (values[has_ci], pos[has_ci]) if horizontal else (pos[has_ci], values[has_ci])
        ax.errorbar(*xy, **{"xerr" if horizontal else "yerr": err}, fmt="none", ecolor="#202020", elinewidth=1.0,
                    capsize=4 if not horizontal else 2.5)
    # Rows from publishable(frame, mark=None) carry a suppressed flag: say why the bar is missing.
    hidden = bars["suppressed"].to_numpy(dtype=bool) if "suppressed" in bars else np.zeros(len(bars), dtype=bool)
    for p, v, s in zip(pos, values, hidden):
        if np.isnan(v):
            ax.text(*((0, p) if horizontal else (p, 0)), " * suppressed" if s else " no value",
                    ha="left" if horizontal else "center", va="center" if horizontal else "bottom",
                    fontsize=size - 1, color="#606060")
    refs = [(bench_area, dict(color="black", linestyle="-", linewidth=1.4))]
    if bench_area != ENGLAND:
        refs.append((ENGLAND, dict(color="#606060", linestyle=":", linewidth=1.4)))
    lines = []
    for area, style in refs:
        row = frame[frame["area"] == area]
        if not row.empty and not np.isnan(row["value"].iloc[0]):
            label = f"{area}{' (benchmark)' if area == bench_area else ''}: {row['value'].iloc[0]:.3g}"
            lines.append((ax.axvline if horizontal else ax.axhline)(row["value"].iloc[0], label=label, **style))
    if horizontal:
        ax.set_yticks(pos, bars["area"], fontsize=size)
        _emphasise(ax.get_yticklabels(), bars["area"], highlight)
        ax.set_xlabel(first["unit"], fontsize=size)
    else:
        ax.set_xticks(pos, bars["area"], fontsize=size)
        _emphasise(ax.get_xticklabels(), bars["area"], highlight)
        ax.set_ylabel(first["unit"], fontsize=size)
    ax.tick_params(axis="x" if horizontal else "y", labelsize=size)
    set_title(ax, chart_title(first["indicator_name"], first["period"]), size + 1)
    ax.spines[["top", "right"]].set_visible(False)
    if not legend:  # the reference lines name themselves: under the bars, or at their right-hand end
        if horizontal:
            ax.set_xlabel("; ".join([first["unit"], *[f"line: {line.get_label()}" for line in lines]]),
                          fontsize=size)
        for line in [] if horizontal else lines:
            ax.annotate(line.get_label(), (1.0, line.get_ydata()[0]), xycoords=("axes fraction", "data"),
                        xytext=(2, 0), textcoords="offset points", ha="left", va="center",
                        fontsize=size - 1, color=line.get_color())
        return
    shown = list(dict.fromkeys(bars["comparison"]))
    handles = lines + [Patch(facecolor=COMPARISON_COLOURS.get(c, COMPARISON_COLOURS[NOT_COMPARED]),
                             label=comparison_label(c, bench_area)) for c in shown]
    ax.legend(handles=handles, fontsize=size - 1, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def comparison_label(comparison: str, benchmark: str) -> str:
    if comparison == NOT_COMPARED:
        return "not compared (no interval or no benchmark value)"
    if comparison == "similar":
        return f"similar to {benchmark}"
    return f"{comparison} than {benchmark}"


def obesity_trend(ax, planner, *, highlight: str | None = None, data: pd.DataFrame | None = None,
                  size: float = FONT) -> pd.DataFrame:
    """Adult obesity (QOF) per network, 2014-15 onwards, against England, with the COVID-19 year
    and the 2022-23 definition change marked; returns the plotted values.

    ``highlight`` names a Care Community to draw in front and in full, the others thin and pale
    behind it; ``data`` is :func:`obesity_trend_data`'s table when the caller already has it;
    ``size`` is the type size."""
    data = obesity_trend_data(planner) if data is None else data
    periods = list(dict.fromkeys(data["period"]))
    x = {p: i for i, p in enumerate(periods)}
    for area in (*NETWORKS, ENGLAND):
        part = data[data["area"] == area]
        if area == ENGLAND:
            style = dict(color="black", linestyle="--", linewidth=1.6, zorder=3)
        elif highlight is None or area == highlight:
            style = dict(color=NETWORK_COLOURS[area], linewidth=2.6 if highlight else 2.0, marker="o",
                         markersize=3.5 if highlight else 3, zorder=4)
        else:
            style = dict(color=NETWORK_COLOURS[area], linewidth=1.0, alpha=0.55, zorder=2)
        ax.plot([x[p] for p in part["period"]], part["value"], label=area, **style)
        for period in part.loc[part["suppressed"], "period"]:  # a gap in the line, marked "*"
            ax.annotate("*", (x[period], 0.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontsize=size + 2,
                        fontweight="bold", color=style["color"])
    # Prevalence from zero, with headroom above the lines for the COVID-19 note.
    ax.set_ylim(0, float(np.nanmax(data["value"])) * 1.45)
    note = size - 1.5
    if OBESITY_COVID in x:
        ax.axvspan(x[OBESITY_COVID] - 0.4, x[OBESITY_COVID] + 0.4, color="#cccccc", alpha=0.5, lw=0)
        ax.annotate("COVID-19:\nreduced BMI\nrecording", (x[OBESITY_COVID], 1.0), xycoords=("data", "axes fraction"),
                    ha="center", va="top", fontsize=note, color="#404040")
    if OBESITY_DEFINITION_CHANGE in x:
        at = x[OBESITY_DEFINITION_CHANGE] - 0.5
        # Named in the legend and explained under the chart: a label beside the last years ran into the legend.
        ax.axvline(at, color="#404040", linestyle=":", linewidth=1.2, label="definition\nchange")
    # Period labels lie flat when the chart is wide enough for them, else they slant.
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    label_in = max(len(p) for p in periods) * size * 0.6 / 72
    slant = width_in / max(len(periods), 1) < label_in * 1.15
    ax.set_xticks(range(len(periods)), periods, rotation=45 if slant else 0, ha="right" if slant else "center",
                  fontsize=size)
    ax.tick_params(axis="y", labelsize=size)
    ax.set_ylabel("% of registered adults (18+)", fontsize=size)
    set_title(ax, f"Adult obesity (QOF register): {highlight} highlighted" if highlight
              else "Adult obesity (QOF register), Care Communities and England", size + 1)
    legend = ax.legend(fontsize=size - 1, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    for text in legend.get_texts():
        if text.get_text() == highlight:
            text.set_fontweight("bold")
    below = size * 1.4 + 4 + (label_in * 72 * 0.71 if slant else 0)  # points under the period labels
    hidden = (" * (in the network's colour): a suppressed value, left out (disclosure control: a count of "
              "1 to 4, or hidden with one)." if data["suppressed"].any() else "")
    changed = (f" Dotted line: from {OBESITY_DEFINITION_CHANGE} a BMI ≥ 27.5 threshold for some ethnic groups "
               "(year not verified)." if OBESITY_DEFINITION_CHANGE in x else "")
    ax.annotate(fill(ax, f"{OBESITY_NOT_COMPARABLE} is left out: its denominator is the all-age list, not "
                         "comparable. Networks from summed practice registers and lists." + changed + hidden,
                     note, 2),
                (0, 0), xycoords="axes fraction",
                xytext=(0, -below), textcoords="offset points", fontsize=note, color="#404040", va="top")
    ax.spines[["top", "right"]].set_visible(False)
    return data


def decile_colours() -> list[str]:
    """Ten colours, decile 1 (most deprived) darkest, as the deprivation maps colour them."""
    return class_colours(10, HIGHER_IS_BETTER)  # deciles: higher is better, so decile 1 darkest


def deprivation_deciles(ax, planner, edition: str = "19", *, share: bool = False,
                        size: float = FONT) -> pd.DataFrame:
    """Each locality's (and St Helens') residents stacked by national IMD decile; returns the table.

    ``share=True`` draws each area's residents as percentages of its own total (the core's
    :func:`~sthc_desktop.core.deprivation.decile_shares`), so areas of different sizes compare at a
    glance (the returned table stays in residents); ``size`` is the type size."""
    table = decile_populations(planner, edition)
    e = EDITIONS[edition]
    weights = planner.pack.indicator(e["weight"]).name
    shown = decile_shares(planner, edition) if share else table
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for d, colour in zip(range(1, 11), decile_colours()):
        ax.barh(y, shown[d].to_numpy(), left=left, color=colour, edgecolor="white", linewidth=0.4,
                label=f"{d}{' (most deprived)' if d == 1 else ' (least deprived)' if d == 10 else ''}")
        if share:  # the colours of neighbouring deciles are close: print the shares that have room
            for yi, x0, v in zip(y, left, shown[d].to_numpy()):
                if v >= 6:
                    ax.text(x0 + v / 2, yi, f"{v:.0f}", ha="center", va="center", fontsize=size - 1.5,
                            color="white" if d <= 4 else "#1a1a1a")
        left += shown[d].to_numpy()
    ax.set_yticks(y, table.index, fontsize=size)
    for tick, area in zip(ax.get_yticklabels(), table.index):
        tick.set_color(area_colour(area))
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.tick_params(axis="x", labelsize=size)
    if share:
        ax.set_xlim(0, 100)
    ax.set_xlabel(f"{'% of ' if share else ''}residents ({weights})", fontsize=size)
    set_title(ax, f"Residents by national IMD {e['year']} decile ({e['label']} on "
                  f"{'2011' if e['geography'] == 'lsoa11' else '2021'} LSOAs)", size + 1)
    ax.legend(title="decile", title_fontsize=size - 1, fontsize=size - 1, loc="upper left",
              bbox_to_anchor=(1.04, 1.0), frameon=False, ncols=2, columnspacing=0.8)  # ten rows outgrow a short chart
    ax.spines[["top", "right"]].set_visible(False)
    return table

