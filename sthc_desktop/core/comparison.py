"""The four Care Communities side by side with St Helens and England, and the plan's key measures.

:func:`compare` is the one table the comparison view, the ``compare`` command and the
locality pack all show: for each indicator (chosen by id, or a whole theme) one row per
area — Central, Newton & Haydock, North, South, St Helens, then England where the pack has
it — with the value, its 95% interval, the counts behind it, and whether the area is
significantly better / similar / worse than the benchmark (England or the borough), or
higher / similar / lower for indicators with no better direction. Deprivation-profile
indicators (:mod:`.deprivation`) take part like catalogue indicators. :func:`plan_measures`
lists the strategic plan's key measures with their baselines and targets.
:func:`inequality_table` gives the gap between the most and least deprived fifth of each
locality's LSOAs for the chosen LSOA indicators. :func:`publishable` makes either table safe
to publish (NHS England disclosure control: counts of 1 to 4, and values built on them, shown
as "*"); every screen, command and export that shows these rows goes through it. Qt-free.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import stats
from .aggregate import AREAS, BOROUGH, ENGLAND, RESULT_COLUMNS, aggregate
from .deprivation import (INEQUALITY_RESULT_COLUMNS, LSOA_SHARE_UNIT, has_inequality, inequality, is_profile,
                          profile_catalogue, profile_indicator, profile_values)
from .errors import DataError
from .localities import NETWORKS
from .plan_progress import with_progress
from .vocabulary import Indicator, ValueType

COLUMNS = ("indicator_id", "indicator_name", "unit", "area", "period", "value", "lower_ci", "upper_ci",
           "numerator", "denominator", "benchmark", "comparison", "method")
#: The regional benchmarks of the strategic plan's targets, as the ONS and NHS lookups name them.
NORTH_WEST = "North West"
LIVERPOOL_CITY_REGION = "Liverpool City Region"
CHESHIRE_MERSEYSIDE = "Cheshire and Merseyside"
REGIONAL_BENCHMARKS = {"north_west": NORTH_WEST, "liverpool_city_region": LIVERPOOL_CITY_REGION,
                       "cheshire_merseyside": CHESHIRE_MERSEYSIDE}
#: The regional areas the deprivation profile is shown against: the plan's "North West average" and
#: "best in the Liverpool City Region" (Cheshire and Merseyside has no LSOA values).
PROFILE_REGIONS = (NORTH_WEST, LIVERPOOL_CITY_REGION)
#: What each area can be compared with: the command's ``--benchmark`` words and the areas they name.
BENCHMARKS = {"england": ENGLAND, "borough": BOROUGH, **REGIONAL_BENCHMARKS}
#: A regional benchmark row without a value: said in words, never a blank that reads as zero.
NOT_AVAILABLE = "not available"
#: Value types that stay on the map: ranks and deciles describe single LSOAs only.
NOT_COMPARED_TYPES = (ValueType.RANK, ValueType.DECILE)
NOT_IN_PACK = "not in the pack"
INEQUALITY_COLUMNS = ("indicator_id", "indicator_name", "unit", *INEQUALITY_RESULT_COLUMNS)
#: Deprivation-profile shares of residents by IMD decile or quintile: population estimates, not suppressed.
RESIDENT_SHARES = ("profile19_pct_residents_", "profile25_pct_residents_")
#: The theme of the pack's population estimates (ONS and Census counts of residents).
POPULATION_THEME = "Population"
#: What a suppressed cell shows, in a table and where a sentence has room (hover, details).
SUPPRESSED = "*"
SUPPRESSED_TEXT = "* suppressed (a count of 1 to 4, or hidden with one)"
#: Each count column, and the columns hidden with it when it is 1 to 4 (primary suppression). A
#: hidden rate's denominator goes too: with the rate's own total it would give the count back.
DISCLOSURE_RULES: dict[str, tuple[str, ...]] = {
    "numerator": ("numerator", "denominator", "value", "lower_ci", "upper_ci"),
    "denominator": ("numerator", "denominator", "value", "lower_ci", "upper_ci"),
    "numerator_most_deprived": ("numerator_most_deprived", "most_deprived", "gap"),
    "numerator_least_deprived": ("numerator_least_deprived", "least_deprived", "gap"),
}
#: Why a row is hidden, as its ``method`` says.
PRIMARY_RULE = "suppressed (primary): the count behind it is between 1 and 4"
COMPLEMENTARY_RULE = ("suppressed (complementary): the next-smallest locality, hidden with {hidden} so the "
                      "hidden count cannot be recovered from the St Helens total minus the other localities")
ENDS_RULE = ("suppressed (complementary): both ends, as its two ends are all the area's LSOAs and the area's "
             "total minus one end would give the other back")
#: The words a locality row's method ends with when :func:`_shares_give_back` holds.
SHARED_NOTE = "an LSOA shared between localities holds a count of 1 to 4"
SHARED_RULE = ("suppressed (complementary): every locality, as each holds a known share of a hidden LSOA and "
               "their totals together would give it back")
#: The words an inequality row's method ends with when the map hides an LSOA the area holds.
FIFTHS_NOTE = "an LSOA here holds a count of 1 to 4"
FIFTHS_RULE = ("suppressed (complementary): both ends, as an LSOA is hidden on the map and a fifth's total "
               "minus the map's other LSOAs in it would give it back")
CELL_RULE = ("suppressed (complementary): the next-smallest in {locality}, hidden with {hidden} so the hidden "
             "count cannot be recovered from {locality}'s total minus the other cells")
TOTAL_RULE = ("suppressed (complementary): the St Helens total, hidden because no other locality could be "
              "hidden to protect {hidden}")
SUPPRESSION_NOTE = ("* suppressed (NHS England disclosure control): a value resting on a count between 1 and 4 is "
                    "not shown, nor its interval, count or denominator (primary); where St Helens' total would "
                    "give it back by subtraction, the next-smallest locality is hidden too, and on maps the "
                    "next-smallest practice or area of the locality, and every locality's total where the map "
                    "hides an LSOA shared between localities (complementary). Each row's method names the rule. "
                    "The deprivation profile's shares of LSOAs and residents count areas and published "
                    "population estimates, not patients, and are shown in full.")


def catalogue(pack) -> pd.DataFrame:
    """The pack's indicator catalogue plus the deprivation-profile indicators."""
    return pd.concat([pack.catalogue, profile_catalogue(pack)], ignore_index=True)


def described(pack, indicator_id: str) -> Indicator:
    """One indicator of the comparison: the pack's (with imports) or a deprivation-profile one."""
    return profile_indicator(pack, indicator_id) if is_profile(indicator_id) else pack.indicator(indicator_id)


def indicator_ids(pack, spec: str | Iterable[str]) -> list[str]:
    """Indicator ids from a theme name, a comma-separated list of ids, or a list of ids.

    A theme brings its indicators except ranks and deciles, which have no locality value.
    Raises :class:`DataError` for an unknown id or theme."""
    cat = catalogue(pack)
    if isinstance(spec, str):
        themes = {t.lower(): t for t in cat["theme"]}
        theme = themes.get(spec.strip().lower())
        if theme is not None:
            rows = cat[(cat["theme"] == theme) & ~cat["value_type"].isin(NOT_COMPARED_TYPES)]
            return rows["id"].tolist()
        ids = [s.strip() for s in spec.split(",") if s.strip()]
    else:
        ids = list(spec)
    known = set(cat["id"])
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise DataError(None, f"unknown indicator or theme '{unknown[0]}' (see `python main.py indicators`)")
    if not ids:
        raise DataError(None, "no indicators chosen")
    return ids


def area_values(planner, indicator_id: str, period: str | None = None) -> pd.DataFrame:
    """One indicator (catalogue or deprivation profile) for the localities, St Helens and England."""
    if is_profile(indicator_id):
        return profile_values(planner, indicator_id)
    return aggregate(planner, indicator_id, period)


def compare(planner, indicator_ids_or_theme: str | Iterable[str], *, benchmark: str = "england",
            period: str | None = None, regions: bool | Iterable[str] = False) -> pd.DataFrame:
    """The comparison table: one row per indicator and area, in :data:`COLUMNS`.

    ``period`` applies to the indicators that have it (the others show their latest period);
    it is an error if none has it. The benchmark's own row, and England when the benchmark is
    the borough, are "not compared"; so is any area without an interval or a benchmark value.
    A regional benchmark (:data:`REGIONAL_BENCHMARKS`) adds its row after England; ``regions``
    adds all three (True) or the areas it names. Where the pack holds no regional value for an indicator and period, the row
    has no value, its comparison says "not available" and its method says why."""
    if benchmark not in BENCHMARKS:
        raise DataError(None, f"unknown benchmark '{benchmark}' (choose {', '.join(BENCHMARKS)})")
    bench_area = BENCHMARKS[benchmark]
    shown = list(compared_areas(benchmark, regions)[len(AREAS):])
    pack = planner.pack
    ids = indicator_ids(pack, indicator_ids_or_theme)
    metas = {i: described(pack, i) for i in ids}
    if period is not None and not any(period in m.periods for m in metas.values()):
        raise DataError(None, f"no chosen indicator has the period '{period}'")
    frames = []
    for ind, meta in metas.items():
        frame = area_values(planner, ind, period if period in meta.periods else None)
        if shown:
            when = str(frame["period"].iloc[0]) if not frame.empty else period or ""
            frame = pd.concat([frame, regional_rows(pack, ind, when, shown)], ignore_index=True)
        frames.append(frame)
    # Every indicator's rows at once: a column set per indicator cost more than the comparisons themselves.
    out = pd.concat(frames, ignore_index=True)
    which = np.repeat(np.arange(len(frames)), [len(f) for f in frames])
    area, value = out["area"].to_numpy(), out["value"].to_numpy(dtype=float, na_value=np.nan)
    bench_values = np.array([float(f.loc[f["area"] == bench_area, "value"].iloc[0])
                             if (f["area"] == bench_area).any() else np.nan for f in frames])
    subject = np.isin(area, [*NETWORKS, BOROUGH]) & (area != bench_area)
    comparison = np.full(len(out), stats.NOT_COMPARED, dtype=object)
    polarity = np.array([m.polarity for m in metas.values()], dtype=object)[which]
    for kind in dict.fromkeys(polarity[subject]):
        rows = subject & (polarity == kind)
        comparison[rows] = stats.compare_with_benchmark(out["lower_ci"].to_numpy()[rows], out["upper_ci"].to_numpy()[rows],
                                                        bench_values[which[rows]], kind)
    comparison[np.isin(area, shown) & np.isnan(value)] = NOT_AVAILABLE
    shared = [i for i, (ind, f) in enumerate(zip(metas, frames)) if _shares_give_back(planner, ind, f)]
    at = np.isin(which, shared) & np.isin(area, NETWORKS)
    if at.any():
        out.loc[at, "method"] = out.loc[at, "method"].astype(str) + "; " + SHARED_NOTE
    out["indicator_id"] = np.array(list(metas), dtype=object)[which]
    out["indicator_name"] = np.array([m.name for m in metas.values()], dtype=object)[which]
    out["unit"] = np.array([m.unit for m in metas.values()], dtype=object)[which]
    out["benchmark"] = bench_area
    out["comparison"] = comparison
    return out[list(COLUMNS)]


def compared_areas(benchmark: str = "england", regions: bool | Iterable[str] = False) -> tuple[str, ...]:
    """The areas :func:`compare` gives rows for, in order: the localities, St Helens, England, then the
    regional benchmark chosen and the regional areas ``regions`` names (all three if True)."""
    named = list(REGIONAL_BENCHMARKS.values()) if regions is True else list(regions or ())
    unknown = [a for a in named if a not in REGIONAL_BENCHMARKS.values()]
    if unknown:
        raise DataError(None, f"unknown regional benchmark '{unknown[0]}'")
    chosen = [BENCHMARKS[benchmark]] if benchmark in REGIONAL_BENCHMARKS else []
    return (*AREAS, *dict.fromkeys(a for a in REGIONAL_BENCHMARKS.values() if a in chosen + named))


def regional_rows(pack, indicator_id: str, period: str, areas: Iterable[str]) -> pd.DataFrame:
    """The pack's regional benchmark rows of one indicator and period (published or derived, as each
    row's method says, naming the file its membership comes from), in the columns of
    :func:`~sthc_desktop.core.aggregate.aggregate`; an area without one has a row with no value whose
    method says why it is not available."""
    table = pack.benchmarks
    described = pack.benchmark_areas.set_index("benchmark")
    rows = []
    for area in areas:
        own = table[(table["benchmark"] == area) & (table["indicator_id"] == indicator_id)]
        hit = own[own["period"] == period]
        row = dict(area=area, period=period, value=np.nan, lower_ci=np.nan, upper_ci=np.nan, numerator=np.nan,
                   denominator=np.nan)
        if not hit.empty:
            r = hit.iloc[0]
            row.update({k: float(r[k]) for k in ("value", "lower_ci", "upper_ci", "numerator", "denominator")})
            row["method"] = r["method"]
        elif not own.empty:
            row["method"] = (f"{area}: {NOT_AVAILABLE} for {period}; the pack holds {area} values of this "
                             f"indicator for {', '.join(sorted(own['period']))}")
        elif area in described.index:
            row["method"] = f"{area}: {NOT_AVAILABLE} for this indicator. {described.loc[area, 'not_available']}"
        else:
            row["method"] = f"{area}: {NOT_AVAILABLE}: this data pack holds no regional benchmarks"
        rows.append(row)
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def _shares_give_back(planner, indicator_id: str, frame: pd.DataFrame) -> bool:
    """Whether an LSOA indicator's locality totals would give a hidden LSOA back: the map hides one
    (a count of 1 to 4) and LSOAs are shared between localities, so each total holds a known share of
    it and the totals together solve for it."""
    if not _map_hides_an_lsoa(planner, indicator_id, frame):
        return False
    shares = planner.assignments[planner.pack.indicator(indicator_id).geography].shares.to_numpy()
    return bool(((shares > 0) & (shares < 1)).any())


def _map_hides_an_lsoa(planner, indicator_id: str, frame: pd.DataFrame) -> list[str]:
    """The areas (localities with a share, and St Helens) holding an LSOA with a count of 1 to 4 of an
    LSOA indicator in the period of ``frame``'s rows; none for other indicators."""
    if is_profile(indicator_id) or frame.empty:
        return []
    meta = planner.pack.indicator(indicator_id)
    if not meta.is_area:
        return []
    values = planner.pack.indicator_values(indicator_id, meta.geography, str(frame["period"].iloc[0]))
    counts = values["numerator"].fillna(values["value"]) if value_is_count(meta) else values["numerator"]
    small = values.loc[np.asarray(stats.is_disclosive(counts.to_numpy(dtype=float)), dtype=bool), "area_code"]
    if small.empty:
        return []
    shares = planner.assignments[meta.geography].shares.reindex(small).fillna(0)
    return [BOROUGH, *(n for n in shares.columns if (shares[n] > 0).any())]


def value_is_count(meta: Indicator) -> bool:
    """Whether disclosure control reads an indicator's value as its count (an imported sum of postcode
    points, say). ONS population estimates, published for every LSOA, are residents, not patients or
    events, and stay shown."""
    return meta.value_type == ValueType.COUNT and meta.theme != POPULATION_THEME


def plan_measures(planner) -> pd.DataFrame:
    """The strategic plan's key measures: baseline, 2026/27 target and the latest borough value.

    The latest value is a borough value in the pack for the measure from a period after the
    plan's baseline; where there is none, ``latest_note`` says "not in the pack"."""
    pack = planner.pack
    rows = []
    for m in pack.key_measures.to_dict("records"):
        later = pack.indicator_values(m["indicator_id"], "borough")
        later = later[later["period"] != "plan baseline"]
        if later.empty:
            latest, latest_period, note = np.nan, "", NOT_IN_PACK
        else:
            last = later.iloc[-1]
            latest, latest_period, note = float(last["value"]), last["period"], "published borough value"
        rows.append({"indicator_id": m["indicator_id"], "priority": m["priority"], "objective": m["objective"],
                     "measure": m["measure"], "baseline": m["baseline"], "baseline_unit": m["baseline_unit"],
                     "target_2026_27": m["target_2026_27"], "target_unit": m["target_unit"], "aim": m["aim"],
                     "latest_value": latest, "latest_period": latest_period, "latest_note": note})
    # Latest values the user imported for this session (plan progress) fill the gaps; with direction of travel.
    return with_progress(pd.DataFrame(rows), pack.plan_progress)


def inequality_table(planner, indicator_ids_or_theme: str | Iterable[str], *,
                     period: str | None = None) -> pd.DataFrame:
    """Inequality within each locality for the chosen indicators it measures (LSOA rates, proportions
    and scores): one row per indicator and area, in :data:`INEQUALITY_COLUMNS`, from
    :func:`~sthc_desktop.core.deprivation.inequality`. The other chosen indicators are left out; the
    table is empty when none qualifies. ``period`` applies as in :func:`compare`."""
    pack = planner.pack
    frames = []
    for ind in indicator_ids(pack, indicator_ids_or_theme):
        if is_profile(ind) or not has_inequality(meta := pack.indicator(ind)):
            continue
        frame = inequality(planner, ind, period if period in meta.periods else None)
        holding = frame["area"].isin(_map_hides_an_lsoa(planner, ind, frame))
        frame.loc[holding, "method"] = frame.loc[holding, "method"].astype(str) + "; " + FIFTHS_NOTE
        frame.insert(0, "unit", meta.unit)
        frame.insert(0, "indicator_name", meta.name)
        frame.insert(0, "indicator_id", ind)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=list(INEQUALITY_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(INEQUALITY_COLUMNS)]


def publishable(frame: pd.DataFrame, mark: str | None = SUPPRESSED) -> pd.DataFrame:
    """Rows of :func:`compare`, :func:`inequality_table` or a map layer made safe to publish.

    This is the one disclosure control every screen, command, chart, map and export applies
    (NHS England practice, METHODS.md "Publishing safely"):

    * primary: where a count column of :data:`DISCLOSURE_RULES` holds 1 to 4
      (:func:`~sthc_desktop.core.stats.is_disclosive`), that count and every value built on it,
      including the rate's denominator, are hidden;
    * complementary (rows with an ``area`` column, :func:`compare`): within one indicator and
      period, if the hidden localities could be recovered from the St Helens row (one hidden, or
      hidden counts adding up to 1 to 4), the next-smallest locality by count is hidden as well,
      or the St Helens total when no locality is left;
    * complementary (map layers: rows with a ``locality`` column, practices or LSOAs): the same
      within each locality, whose total the comparison prints, so the locality total minus its
      shown practices cannot give a hidden one back; where every cell of a locality is hidden and
      they add up to 1 to 4, a cell of the next-smallest locality too (as :func:`compare` hides
      that locality's total);
    * complementary (:func:`inequality_table`): in an area too small for fifths, whose two ends are
      its only LSOAs, a hidden end hides the other;
    * complementary (:func:`compare`, LSOA indicators under a fractional assignment): where the map
      hides an LSOA, every locality's total is hidden, since each holds a known share of it
      (the method ends with :data:`SHARED_NOTE`);
    * complementary (:func:`inequality_table`): where the map hides one of the indicator's LSOAs, both
      ends of each area holding it (St Helens, and each locality with a share of it), as a fifth's
      total minus the map's other LSOAs would give it back (the method ends with :data:`FIFTHS_NOTE`).

    Hidden cells become ``mark`` ("*"; ``None`` leaves them empty, for JSON, charts and maps), the
    row's comparison becomes "not compared", its ``method`` (if any) names the rule, and a new
    boolean column ``suppressed`` flags the row. The deprivation profile's shares (of LSOAs, and of
    residents by IMD decile and quintile) are never suppressed: they count areas and residents of
    published population estimates, not patients or events, and each area's deciles add up to its
    total, so a hidden one would come back by subtraction. The input is not changed."""
    out = frame.copy()
    people = np.ones(len(out), dtype=bool)
    if "unit" in out:
        people &= ~out["unit"].eq(LSOA_SHARE_UNIT).to_numpy()
    if "indicator_id" in out:
        people &= ~out["indicator_id"].astype(str).str.startswith(RESIDENT_SHARES).to_numpy()
    hide: dict[str, np.ndarray] = {}
    for count, built in DISCLOSURE_RULES.items():
        if count not in out:
            continue
        rows = np.asarray(stats.is_disclosive(out[count]), dtype=bool) & people
        for column in (c for c in built if c in out):
            hide[column] = hide.get(column, np.zeros(len(out), dtype=bool)) | rows
    suppressed = np.zeros(len(out), dtype=bool)
    for rows in hide.values():
        suppressed |= rows
    rules = np.where(suppressed, PRIMARY_RULE, "").astype(object)
    if "method" in out and "area" in out:
        for note, rule in ((SHARED_NOTE, SHARED_RULE), (FIFTHS_NOTE, FIFTHS_RULE)):
            flagged = out["method"].astype(str).str.endswith(note).to_numpy() & ~suppressed
            rules[flagged] = rule
            suppressed |= flagged
            for count, built in DISCLOSURE_RULES.items():
                for column in (c for c in built if count in out and c in out):
                    hide[column] = hide.get(column, np.zeros(len(out), dtype=bool)) | flagged
    if {"lsoas_most_deprived", "lsoas_least_deprived"} <= set(out) and suppressed.any():
        _both_ends(out, hide, rules)
    extra = {}
    if "area" in out and "numerator" in out:
        extra = _complementary(out, suppressed)
    elif "locality" in out and "numerator" in out:
        extra = _complementary_within_localities(out, suppressed)
    if extra:
        for position, rule in extra.items():
            suppressed[position] = True
            rules[position] = rule
            for column in (c for c in DISCLOSURE_RULES["numerator"] if c in hide):
                hide[column][position] = True
    for column, rows in hide.items():
        if rows.any():
            if mark is not None:
                out[column] = out[column].astype(object)
            out.loc[rows, column] = mark if mark is not None else np.nan
    if "comparison" in out:
        out.loc[suppressed, "comparison"] = stats.NOT_COMPARED
    if "method" in out and suppressed.any():
        method = out["method"].astype(object).to_numpy()
        out["method"] = [f"{m}; {r}" if r and isinstance(m, str) and m else (r or m)
                         for m, r in zip(method, rules)]
    out["suppressed"] = suppressed
    return out


def _both_ends(frame: pd.DataFrame, hide: dict[str, np.ndarray], rules: np.ndarray) -> None:
    """Inequality rows of one LSOA at each end (an area too small for fifths, its two extremes): one end
    hidden hides the other, whose count with the area's total on the comparison would give it back."""
    whole = (pd.to_numeric(frame["lsoas_most_deprived"], errors="coerce")
             + pd.to_numeric(frame["lsoas_least_deprived"], errors="coerce")).le(2).to_numpy()
    ends = [c for c in ("numerator_most_deprived", "numerator_least_deprived") if c in hide]
    if len(ends) < 2:
        return
    hidden = np.array([hide[c] for c in ends])
    rows = whole & hidden.any(axis=0) & ~hidden.all(axis=0)
    for count in ends:
        for column in (c for c in DISCLOSURE_RULES[count] if c in hide):
            hide[column] |= rows
    rules[rows] = f"{PRIMARY_RULE}; {ENDS_RULE}"


def _complementary(frame: pd.DataFrame, primary: np.ndarray) -> dict[int, str]:
    """Row positions to hide so no hidden locality count follows from the St Helens row, with the rule."""
    extra: dict[int, str] = {}
    keys = [c for c in ("indicator_id", "period") if c in frame]
    groups = frame.groupby(keys, sort=False).indices.values() if keys else [np.arange(len(frame))]
    area = frame["area"].to_numpy()
    counts = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    for positions in groups:
        localities = [i for i in positions if area[i] in NETWORKS]
        total = [i for i in positions if area[i] == BOROUGH and not primary[i] and np.isfinite(value[i])]
        hidden = [i for i in localities if primary[i]]
        if not hidden or not total:
            continue
        names = " and ".join(str(area[i]) for i in hidden)
        for chosen in _hide_until_safe(hidden, localities, counts, area):
            hidden.append(chosen)
            extra[chosen] = COMPLEMENTARY_RULE.format(hidden=names)
        if len(hidden) == 1 or stats.is_disclosive(np.nansum(counts[hidden])):
            extra[total[0]] = TOTAL_RULE.format(hidden=names)
    return extra


def _hide_until_safe(hidden: list[int], cells: list[int], counts: np.ndarray, names: np.ndarray) -> list[int]:
    """Cells to hide besides ``hidden`` (smallest count first) until the hidden ones are two or more and
    add up to 5 or more, or none is left; the others of ``cells`` stay shown."""
    hidden, extra = list(hidden), []
    while (len(hidden) == 1 or stats.is_disclosive(np.nansum(counts[hidden]))) and len(hidden) < len(cells):
        left = [i for i in cells if i not in hidden and np.isfinite(counts[i])]
        if not left:
            break
        chosen = min(left, key=lambda i: (counts[i], str(names[i])))
        hidden.append(chosen)
        extra.append(chosen)
    return extra


def _complementary_within_localities(frame: pd.DataFrame, primary: np.ndarray) -> dict[int, str]:
    """Row positions of a map layer (or of many, by ``indicator_id`` and ``period``) to hide so no hidden
    cell follows from its locality's total (or, where a whole locality is hidden, from St Helens'), with
    the rule."""
    keys = [c for c in ("indicator_id", "period") if c in frame]
    blocks = frame.groupby(keys, sort=False).indices.values() if keys else [np.arange(len(frame))]
    locality = frame["locality"].fillna("").astype(str).to_numpy()
    code = frame["code"].astype(str).to_numpy() if "code" in frame else np.arange(len(frame)).astype(str)
    counts = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    hidden = primary.copy()
    extra: dict[int, str] = {}
    for block in blocks:
        block = np.asarray(block)
        groups = {name: [int(i) for i in block[locality[block] == name]] for name in dict.fromkeys(locality[block])}
        for name, cells in groups.items():
            first = [i for i in cells if hidden[i]]
            if not first:
                continue
            names = " and ".join(code[i] for i in first)
            for i in _hide_until_safe(first, cells, counts, code):
                hidden[i] = True
                extra[i] = CELL_RULE.format(locality=name or "St Helens", hidden=names)
        # A locality hidden whole with a total of 1 to 4 is hidden in the comparison, which then hides the
        # next-smallest locality's total: one cell of that locality goes too, or its cells would give it back.
        closed = [n for n, cells in groups.items() if n and all(hidden[i] for i in cells)
                  and stats.is_disclosive(np.nansum(counts[cells]))]
        if not closed:
            continue
        totals = {n: np.nansum(counts[cells]) for n, cells in groups.items() if n and n not in closed}
        for name in sorted(totals, key=lambda n: (totals[n], n)):
            cells = groups[name]
            if any(hidden[i] for i in cells):
                break
            left = [i for i in cells if np.isfinite(counts[i])]
            if left:
                chosen = min(left, key=lambda i: (counts[i], code[i]))
                hidden[chosen] = True
                extra[chosen] = CELL_RULE.format(locality=name, hidden=" and ".join(closed))
                break
    return extra

