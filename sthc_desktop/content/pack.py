"""What the locality pack says, decided before any page is laid out.

:class:`PackData` computes once what the pages share (the comparisons with England and with St
Helens, the deprivation profile, the inequality within each locality, the plan's measures and the
obesity trend, all through disclosure control) and hands each page its finished content: a
locality page's view, practices, tables with their comparison words, legend counts for that
locality and chart choices; the notes page's definitions, methods and sources. Qt-free and
matplotlib-free: the pages in :mod:`sthc_desktop.render.locality_pack` only draw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from sthc_desktop.core import comparison
from sthc_desktop.core.classes import SUPPRESSED_LABEL
from sthc_desktop.core.deprivation import EDITIONS, INEQUALITY_METHOD
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView

from .charts import OBESITY, obesity_trend_data
from .maps import padded
from .numbers import format_value, plan_figure
from .practices import PracticeTable, practice_table

PACK_TITLE = "St Helens Cares locality pack"
PACK_SUBTITLE = "Deprivation, health, obesity and hospital admissions by Care Community"
#: The deprivation map of the overview and the locality pages (national deciles compare across England).
DEPRIVATION_MAP = "iod19_imd_decile"
#: The deprivation profile on the overview: MHCLG's local-authority summaries, IoD2019 (as the map).
PROFILE_EDITION = "19"
PROFILE_INDICATORS = ("profile19_imd_average_score", "profile19_pct_lsoas_most_deprived_10",
                      "profile19_pct_residents_decile_1")
#: How many comparison bar charts a locality page draws beside the obesity trend.
BAR_CHARTS = 2
SUPPRESSION_NOTE = comparison.SUPPRESSION_NOTE

#: How the pack's figures are made (METHODS.md), printed on its notes page.
METHOD_NOTES = (
    "Confidence intervals (95%): Wilson score interval for proportions; Byar's approximation for rates and "
    "standardised ratios built on counts, with exact Poisson limits below 10.",
    "Comparison with a benchmark (England, St Helens): significantly higher or lower when the benchmark lies "
    "outside the area's interval, otherwise similar; with the indicator's polarity this becomes better, "
    "similar or worse. Values without an interval (scores, and values published for the borough only) are "
    "not compared.",
    "Localities from small areas: counts are added; rates and proportions add numerators and denominators "
    "before dividing; scores without a numerator (such as the IMD score) are population-weighted means; "
    "practice values add numerators and denominators, or are weighted by registered list size. Where the "
    "publisher gives the figure for the area itself, it is shown as published and named so: St Helens' "
    "IoD2025 scores and share of LSOAs in the most deprived 10% from MHCLG's File 10, the Care "
    "Communities' A&E attendances from OHID's PCN rows.",
    "Deprivation: IoD2019 on 2011 LSOAs; national deciles compare each LSOA with all of England "
    "(decile 1 = the most deprived 10%). The deprivation profile follows MHCLG's summaries for local "
    "authorities: the population-weighted average score, the share of LSOAs in England's most deprived 10%, "
    "and the share of residents living in each national decile.",
)

CHART_NOTES = ("Charts: the bars show each Care Community's latest value with its 95% confidence interval, "
               "coloured by comparison with England. The adult obesity trend sums each network's practice "
               "registers and lists; 2013-14 is left out (its denominator is the all-age list), 2020-21 is "
               "depressed by reduced BMI recording during COVID-19, and from 2022-23 the register uses a lower "
               "BMI threshold for some ethnic groups (the year of the change is not verified).")

PLAN_NOTE = ("Strategic plan key measures: baselines and 2026/27 targets as printed in the St Helens Cares "
             "strategic plan, for the whole borough; the plan does not state the baselines' periods.")


@dataclass(frozen=True)
class Table:
    """A table as a page prints it: ``words`` gives, cell by cell, the comparison word
    (better / similar / worse, higher / lower, not compared) a cell is coloured by, or None."""

    header: list[str]
    rows: list[list[str]]
    words: list[list[str | None]] | None = None

    @property
    def suppressed(self) -> bool:
        """Whether a cell is hidden by disclosure control ("*")."""
        return any("*" in c for r in self.rows for c in r)


def publish(row, unit: str = "") -> str:
    """A value as an exported table prints it: "*" when disclosure control suppressed it."""
    return comparison.SUPPRESSED if row["suppressed"] else format_value(row["value"], unit)


def _ci(row, unit: str) -> str:
    if pd.isna(row.get("lower_ci")) or pd.isna(row.get("upper_ci")):
        return ""
    return f" ({format_value(row['lower_ci'], unit)}–{format_value(row['upper_ci'], unit)})"


def indicator_table(england: pd.DataFrame, borough: pd.DataFrame, locality: str) -> Table:
    """A locality's key-indicators table from two comparison frames (one against England, one
    against the borough), with counts of 1–4 suppressed; its comparison cells carry their words."""
    header = ["Indicator", "Period", f"{locality} (95% CI)", "vs St Helens", "St Helens", "vs England",
              "England"]
    rows, words = [], []
    shown = england[england["area"].isin([locality, "St Helens", "England"])]  # the areas the table prints
    by_area = {a: f.set_index("indicator_id") for a, f in shown.groupby("area")}
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
        words.append([None, None, None, against_borough, None, against_england, None])
    return Table(header, rows, words)


def inequality_rows(frame: pd.DataFrame, locality: str, names: pd.Series) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a locality's inequality table from :func:`comparison.inequality_table` rows
    (made publishable): the most and least deprived fifth of its LSOAs, the gap, St Helens's gap and
    how many LSOAs each end holds, each indicator by its short name (``names``: id to short name, which
    carries the year). Indicators it does not measure are left out."""
    header = ["Indicator", "Most deprived fifth", "Least deprived fifth", "Gap", "St Helens gap",
              "LSOAs per fifth"]
    rows = []
    measured = frame[frame["most_deprived"].notna() & frame["area"].isin([locality, "St Helens"])]
    for ind, part in measured.groupby("indicator_id", sort=False):
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
    ids = sorted(dict.fromkeys(here["indicator_id"]), key=lambda i: i == OBESITY)
    themes = england.drop_duplicates("indicator_id").set_index("indicator_id")["theme"]
    chosen, seen = [], set()
    for ind in ids:
        if themes[ind] not in seen:
            chosen.append(ind)
            seen.add(themes[ind])
    chosen += [i for i in ids if i not in chosen]  # the same theme twice only if there is nothing else
    return chosen[:n]


class PackData:
    """What the pack's pages say, computed once before any is laid out: the comparisons, the
    profile, the inequality, the plan's measures, the obesity trend, and each page's content."""

    def __init__(self, planner: Planner, indicators: list[str], localities: list[str], produced: date):
        self.planner, self.indicators, self.localities, self.produced = planner, indicators, localities, produced
        self.catalogue = comparison.catalogue(planner.pack).set_index("id")
        self._localities: dict[str, LocalityContent] = {}

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
        return comparison.publishable(comparison.compare(self.planner, list(PROFILE_INDICATORS), benchmark="england",
                                                         regions=comparison.PROFILE_REGIONS), mark=None)

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
        return obesity_trend_data(self.planner)

    @property
    def datasets(self) -> list[str]:
        keys = [self.catalogue.loc[i, "dataset"] for i in self.indicators]
        return list(dict.fromkeys([*keys, "iod2019", self.catalogue.loc[OBESITY, "dataset"],
                                   "nhs_practices"]))

    def locality(self, name: str) -> LocalityContent:
        """What ``name``'s locality page says (computed once)."""
        if name not in self._localities:
            self._localities[name] = locality_content(self, name)
        return self._localities[name]

    @cached_property
    def overview(self) -> Overview:
        return overview_content(self)

    @cached_property
    def notes(self) -> Notes:
        return notes_content(self)


@dataclass(frozen=True)
class LegendRow:
    label: str
    count: int


@dataclass(frozen=True)
class LocalityContent:
    """What a locality page says: its deprivation map's view and legend rows (counting the
    locality's own areas), its practices, its key indicators against St Helens and England, the
    inequality within it and the indicators its bar charts show."""

    locality: str
    view: MapView
    legend: list[LegendRow]
    counted_in: str | None
    practices: PracticeTable
    indicators: Table
    inequality: Table
    bars: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.indicators.suppressed or self.inequality.suppressed


def locality_content(data: PackData, locality: str) -> LocalityContent:
    planner = data.planner
    view = MapView(indicator_id=DEPRIVATION_MAP, focus=locality, extent=padded(planner.locality_bounds(locality)),
                   layers={**MapView().layers, "wards": False})
    classes = planner.classes_for(view)
    legend = [LegendRow(label, n) for label, n in zip(classes.labels, classes.counts)]
    hidden = (("No data", classes.missing), (SUPPRESSED_LABEL, classes.suppressed))
    legend += [LegendRow(label, n) for label, n in hidden if n]
    return LocalityContent(locality, view, legend, classes.counted_in, practice_table(planner, locality),
                           indicator_table(data.england, data.borough, locality),
                           Table(*inequality_rows(data.inequality, locality, data.catalogue["short_name"])),
                           bar_indicators(data.england, locality))


@dataclass(frozen=True)
class Definition:
    name: str
    line: str     # unit, polarity, geography, period and source
    caveats: str  # "" when it has none


@dataclass(frozen=True)
class Notes:
    """The notes page: each indicator's definition (a source or caveat sentence shared by several,
    as the IoD2019 ones are, printed once), the methods paragraphs and the source datasets."""

    definitions: list[Definition]
    methods: list[str]
    sources: list[str]


def notes_content(data: PackData) -> Notes:
    pack = data.planner.pack
    ids = [*data.indicators, *[i for i in PROFILE_INDICATORS if i not in data.indicators]]
    definitions, seen = [], set()
    for ind in ids:
        r = comparison.described(pack, ind)
        source = "as above" if r.source in seen else r.source
        seen.add(r.source)
        sentences = [c.strip() for c in r.caveats.split(". ")]
        fresh = [c.rstrip(".") for c in sentences if c and c.rstrip(".") not in seen]
        seen.update(fresh)
        caveats = ". ".join(fresh) + ("." if fresh else "")
        if fresh and len(fresh) < len([c for c in sentences if c]):
            caveats += " Others as above."
        elif not fresh and any(sentences):
            caveats = "as above."
        definitions.append(Definition(r.name, f"{r.unit}; {r.polarity}; by {r.geography.label}; latest period "
                                              f"{r.period}. Source: {source}.", caveats))
    methods = [*METHOD_NOTES, f"Care Communities (the assignment of small areas to localities): "
                              f"{data.planner.assignment_statement}"]
    if data.inequality["most_deprived"].notna().any():
        methods.append(inequality_note(data.inequality, data.catalogue))
    if pack.info.get("population_weights"):
        methods.append(f"Population weights: {pack.info['population_weights']}")
    methods += [CHART_NOTES, PLAN_NOTE, SUPPRESSION_NOTE]
    keys = [key for key in (*data.datasets, "strategic_plan") if key in pack.datasets]
    sources = [f"{d.name}. {d.publisher}; {d.period}. {d.licence}."
               for d in (pack.datasets[key] for key in dict.fromkeys(keys))]
    return Notes(definitions, methods, sources)


@dataclass(frozen=True)
class Overview:
    """The borough overview's tables: the deprivation profile of each area (IMD 2019) and the
    strategic plan's key measures (with the latest values when the user imported them)."""

    edition: str
    profile: Table
    measures: Table
    measures_note: str


def overview_content(data: PackData) -> Overview:
    # Column headings: the short names without the edition, which the panel's heading gives.
    edition = f"IMD {EDITIONS[PROFILE_EDITION]['year']}"
    profile = Table(*profile_table(data.profile, {i: str(data.catalogue.loc[i, "short_name"]).replace(edition + " ", "")
                                                  for i in PROFILE_INDICATORS}))
    measures = data.measures
    has_latest = measures["latest_value"].notna().any()
    # With imported latest values the plan's aims give way to them (the app's Strategic plan tab has both).
    header = ["Priority", "Measure", "Baseline", "Target 2026/27", "Latest St Helens value" if has_latest else "Aim"]
    rows, last = [], None
    for r in measures.itertuples():
        last_column = r.aim if not has_latest else (
            f"{plan_figure(r.latest_value, r.baseline_unit)} ({r.latest_period}), {r.direction}"
            if pd.notna(r.latest_value) else r.latest_note)
        rows.append([r.priority if r.priority != last else "", r.measure, plan_figure(r.baseline, r.baseline_unit),
                     plan_figure(r.target_2026_27, r.target_unit), last_column])
        last = r.priority
    note = "Baselines and targets as printed in the plan (no periods stated; “–”: no figure)."
    if not has_latest:
        note += " No later published value is in the pack, so progress is not shown."
    return Overview(edition, profile, Table(header, rows), note)
