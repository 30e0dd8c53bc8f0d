"""What the locality pack's pages share, computed once (:class:`PackData`: comparisons,
profile, inequality, plan measures, obesity trend), and the tables made from it.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

import pandas as pd

from sthc_desktop.content.numbers import format_value
from sthc_desktop.core import comparison
from sthc_desktop.core.deprivation import EDITIONS, INEQUALITY_METHOD
from sthc_desktop.core.planner import Planner

from .. import charts
from ..furniture import DrawnMap
from ..mapfigure import MapFigure
from ..page import Page

PACK_TITLE = "St Helens Cares locality pack"

PACK_SUBTITLE = "Deprivation, health, obesity and hospital admissions by Care Community"

#: The deprivation map of the overview and the locality pages (national deciles compare across England).
DEPRIVATION_MAP = "iod19_imd_decile"

#: The deprivation profile on the overview: MHCLG's local-authority summaries, IoD2019 (as the map).
PROFILE_EDITION = "19"

PROFILE_INDICATORS = ("profile19_imd_average_score", "profile19_pct_lsoas_most_deprived_10",
                      "profile19_pct_residents_decile_1")

#: How many comparison bar charts a locality page draws beside the obesity trend, and the least
#: height (inches at A4) the charts need below the key-indicators table.
BAR_CHARTS = 2

SUPPRESSION_NOTE = comparison.SUPPRESSION_NOTE

#: Fingertips' comparison colours (shared with the charts); the words are printed too, so colour
#: is never the only cue.
COMPARISON_FILLS = {c: charts.COMPARISON_COLOURS[c] for c in ("better", "similar", "worse", "higher", "lower")}


def publish(row, unit: str = "") -> str:
    """A value as an exported table prints it: "*" when disclosure control suppressed it."""
    return comparison.SUPPRESSED if row["suppressed"] else format_value(row["value"], unit)


def _ci(row, unit: str) -> str:
    if pd.isna(row.get("lower_ci")) or pd.isna(row.get("upper_ci")):
        return ""
    return f" ({format_value(row['lower_ci'], unit)}–{format_value(row['upper_ci'], unit)})"


def indicator_table(england: pd.DataFrame, borough: pd.DataFrame, locality: str):
    """Header, rows and cell fills of a locality's key-indicators table from two comparison frames
    (one against England, one against the borough), with counts of 1–4 suppressed."""
    header = ["Indicator", "Period", f"{locality} (95% CI)", "vs St Helens", "St Helens", "vs England",
              "England"]
    rows, fills = [], []
    by_area = {a: f.set_index("indicator_id") for a, f in england.groupby("area")}
    vs_borough = borough[borough["area"] == locality].set_index("indicator_id")["comparison"]
    for ind in dict.fromkeys(england["indicator_id"]):
        here = by_area.get(locality)
        if here is None or ind not in here.index:
            continue
        r = here.loc[ind]
        unit = str(r["unit"])
        value = publish(r, unit)
        value += "" if value == "*" or value == "–" else _ci(r, unit)
        cells = [r["indicator_name"], r["period"], value]
        against_borough = vs_borough.get(ind, "not compared")
        against_england = r["comparison"]
        for area in ("St Helens", "England"):
            other = by_area.get(area)
            o = other.loc[ind] if other is not None and ind in other.index else None
            shown = publish(o, unit) if o is not None else "–"
            cells += [against_borough, shown] if area == "St Helens" else [against_england, shown]
        rows.append([str(c) if pd.notna(c) else "–" for c in cells])
        fills.append([None, None, None, COMPARISON_FILLS.get(against_borough), None,
                      COMPARISON_FILLS.get(against_england), None])
    return header, rows, fills


def inequality_rows(frame: pd.DataFrame, locality: str, names: pd.Series) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a locality's inequality table from :func:`comparison.inequality_table` rows
    (made publishable): the most and least deprived fifth of its LSOAs, the gap, St Helens's gap and
    how many LSOAs each end holds, each indicator by its short name (``names``: id to short name, which
    carries the year). Indicators it does not measure are left out."""
    header = ["Indicator", "Most deprived fifth", "Least deprived fifth", "Gap", "St Helens gap",
              "LSOAs per fifth"]
    rows = []
    for ind, part in frame[frame["most_deprived"].notna()].groupby("indicator_id", sort=False):
        areas = part.set_index("area")
        if locality not in areas.index:
            continue
        r, unit = areas.loc[locality], str(part["unit"].iloc[0])
        borough = areas.loc["St Helens", "gap"] if "St Helens" in areas.index else None
        rows.append([names.get(ind, r["indicator_name"]), format_value(r["most_deprived"], unit),
                     format_value(r["least_deprived"], unit), format_value(r["gap"]),
                     format_value(borough), f"{r['lsoas_most_deprived']}, {r['lsoas_least_deprived']}"])
    return header, rows


def inequality_note(frame: pd.DataFrame, catalogue: pd.DataFrame) -> str:
    """How the inequality tables are made, in the core's words (:data:`INEQUALITY_METHOD`), for the
    IMD editions and aggregations of the indicators in ``frame`` (``catalogue`` indexed by id)."""
    meta = catalogue.loc[list(dict.fromkeys(frame.loc[frame["most_deprived"].notna(), "indicator_id"]))]
    years = [e["year"] for e in EDITIONS.values() if e["geography"] in set(meta["geography"])]
    return INEQUALITY_METHOD.format(edition=" or ".join(years),
                                    aggregation=" or ".join(sorted(set(meta["aggregation"])))) + "."


def profile_table(frame: pd.DataFrame, labels: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The deprivation profile as a table: one row per area, one column per profile indicator
    (headed by ``labels``, indicator id to column heading)."""
    ids = list(dict.fromkeys(frame["indicator_id"]))
    header = ["Area", *[labels[i] for i in ids]]
    rows = []
    for area in dict.fromkeys(frame["area"]):
        part = frame[frame["area"] == area].set_index("indicator_id")
        rows.append([area, *[publish(part.loc[i], str(part.loc[i, "unit"])) if i in part.index
                             else "–" for i in ids]])
    return header, rows


def bar_indicators(england: pd.DataFrame, locality: str, n: int = BAR_CHARTS) -> list[str]:
    """The chosen indicators a locality page charts as bars: those with a 95% interval for the
    locality, one per theme (so the charts show different sides of health), obesity last as its
    trend is charted anyway."""
    here = england[(england["area"] == locality) & england["lower_ci"].notna() & england["upper_ci"].notna()]
    ids = sorted(dict.fromkeys(here["indicator_id"]), key=lambda i: i == charts.OBESITY)
    themes = england.drop_duplicates("indicator_id").set_index("indicator_id")["theme"]
    chosen, seen = [], set()
    for ind in ids:
        if themes[ind] not in seen:
            chosen.append(ind)
            seen.add(themes[ind])
    chosen += [i for i in ids if i not in chosen]  # the same theme twice only if there is nothing else
    return chosen[:n]


class PackData:
    """What the pack's pages share, computed once: the comparisons, the profile, the trend."""

    def __init__(self, planner: Planner, indicators: list[str], localities: list[str], produced: date):
        self.planner, self.indicators, self.localities, self.produced = planner, indicators, localities, produced
        self.catalogue = comparison.catalogue(planner.pack).set_index("id")
        self._sheet: tuple[Page, DrawnMap] | None = None

    def locality_sheet(self) -> tuple[Page, MapFigure | None]:
        """The sheet the locality pages are drawn on in turn, wiped for each but for its map (the
        same layers on every locality page, and the slowest part of one to build), and that map
        (None for the first). So each locality page's figure is good until the next is built, as the
        exporter uses them: it saves each page before building the next."""
        if self._sheet is None:
            return Page("A4", "portrait"), None
        page, drawn = self._sheet
        page.clear(keep=drawn)
        return page, drawn.map

    def keep_sheet(self, page: Page, drawn: DrawnMap) -> None:
        self._sheet = (page, drawn)

    def _with_theme(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(theme=frame["indicator_id"].map(self.catalogue["theme"]))

    # Suppressed cells come back empty and flagged (and "not compared"), for tables and charts alike.
    @cached_property
    def england(self) -> pd.DataFrame:
        frame = comparison.compare(self.planner, self.indicators, benchmark="england")
        return self._with_theme(comparison.publishable(frame, mark=None))

    @cached_property
    def borough(self) -> pd.DataFrame:
        return comparison.publishable(comparison.compare(self.planner, self.indicators, benchmark="borough"),
                                      mark=None)

    @cached_property
    def profile(self) -> pd.DataFrame:
        return comparison.publishable(comparison.compare(self.planner, list(PROFILE_INDICATORS), benchmark="england"),
                                      mark=None)

    @cached_property
    def measures(self) -> pd.DataFrame:
        return comparison.plan_measures(self.planner)

    @cached_property
    def inequality(self) -> pd.DataFrame:
        """Inequality within each locality for the chosen LSOA rates, proportions and scores, with
        counts of 1-4 and the values built on them as "*"."""
        return comparison.publishable(comparison.inequality_table(self.planner, self.indicators))

    @cached_property
    def obesity(self) -> pd.DataFrame:
        return charts.obesity_trend_data(self.planner)

    @property
    def datasets(self) -> list[str]:
        keys = [self.catalogue.loc[i, "dataset"] for i in self.indicators]
        return list(dict.fromkeys([*keys, "iod2019", self.catalogue.loc[charts.OBESITY, "dataset"],
                                   "nhs_practices"]))
