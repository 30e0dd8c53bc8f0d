"""The locality pack's notes page: definitions, methods, sources and caveats.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.core.datapack import GEOGRAPHY_NAMES

from ..page import MUTED, Column, Page, flow
from .data import PROFILE_INDICATORS, SUPPRESSION_NOTE, PackData, inequality_note
from .frame import pack_frame


def notes_page(data: PackData, total: int) -> Figure:
    page = Page("A4", "portrait")
    k, m = page.k, page.margin
    planner = data.planner
    pack = planner.pack
    top, bottom = pack_frame(page, data, "Notes", "Definitions, methods, sources and caveats", total, total)
    width = page.width - 2 * m
    gap = 0.25 * k
    half = (width - gap) / 2

    def definition(ind: str, source: str, caveats: str, heading: bool = False):
        def block(col: Column):
            if heading:
                col.text("Definitions", 10, weight="bold", after=2)
            r = data.catalogue.loc[ind]
            col.text(r["name"], 7.5, weight="bold", after=0.5)
            where = GEOGRAPHY_NAMES.get(r["geography"], r["geography"])
            col.text(f"{r['unit']}; {r['polarity']}; by {where}; latest period {r['period']}. "
                     f"Source: {source}.", 7, after=0.5)
            if caveats:
                col.text(f"Caveats: {caveats}", 7, colour=MUTED, after=2)
            else:
                col.space(2)
        return block

    def paragraph(text: str, heading: str | None = None, after: float = 2):
        def block(col: Column):
            if heading:
                col.text(heading, 10, weight="bold", after=2)
            col.text(text, 7, after=after)
        return block

    def dataset(key: str, heading: bool = False):
        def block(col: Column):
            if heading:
                col.text("Sources", 10, weight="bold", after=2)
            d = pack.datasets[key]
            col.text(f"{d.name}. {d.publisher}; {d.period}. {d.licence}.", 7, after=1.5)
        return block

    ids = [*data.indicators, *[i for i in PROFILE_INDICATORS if i not in data.indicators]]
    # A source or caveat sentence shared by several indicators (the IoD2019 ones) is printed once.
    blocks, seen = [], set()
    for i, ind in enumerate(ids):
        r = data.catalogue.loc[ind]
        source = "as above" if r["source"] in seen else r["source"]
        seen.add(r["source"])
        sentences = [c.strip() for c in str(r["caveats"] if isinstance(r["caveats"], str) else "").split(". ")]
        fresh = [c.rstrip(".") for c in sentences if c and c.rstrip(".") not in seen]
        seen.update(fresh)
        caveats = ". ".join(fresh) + ("." if fresh else "")
        if fresh and len(fresh) < len([c for c in sentences if c]):
            caveats += " Others as above."
        elif not fresh and any(sentences):
            caveats = "as above."
        blocks.append(definition(ind, source, caveats, heading=i == 0))
    methods = [*METHOD_NOTES, f"Care Communities (the assignment of small areas to localities): "
                              f"{planner.assignment_statement}"]
    if data.inequality["most_deprived"].notna().any():
        methods.append(inequality_note(data.inequality, data.catalogue))
    if pack.info.get("population_weights"):
        methods.append(f"Population weights: {pack.info['population_weights']}")
    methods += [CHART_NOTES, PLAN_NOTE, SUPPRESSION_NOTE]
    blocks += [paragraph(t, "Methods" if i == 0 else None) for i, t in enumerate(methods)]
    keys = [key for key in (*data.datasets, "strategic_plan") if key in pack.datasets]
    blocks += [dataset(key, heading=i == 0) for i, key in enumerate(dict.fromkeys(keys))]
    flow(page, [(m, top, half, bottom), (m + half + gap, top, half, bottom)], blocks)
    return page.fig


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
