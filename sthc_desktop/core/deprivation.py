"""The deprivation profile of each Care Community and the borough, and inequality within them.

MHCLG summarises a local authority's deprivation by its population-weighted average IMD
score, the share of its LSOAs in England's most deprived 10%, and the share of its
residents living in each national IMD decile and quintile. This module gives the same
summaries for the four localities and St Helens, for IoD2019 (2011 LSOAs, weighted by the
mid-2015 population IoD2019 used) and IoD2025 (2021 LSOAs, weighted by Census 2021 usual
residents, the nearest population on those boundaries in the pack), each on its own
boundaries. They are derived indicators with stable ids (``profile19_…``, ``profile25_…``)
and catalogue-like metadata, so the comparison, the command line and exports use them like
any other indicator. :func:`inequality` measures the gap in an LSOA indicator between the
most and least deprived fifth of a locality's LSOAs. Qt-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .aggregate import (BOROUGH, RESULT_COLUMNS, _aligned, _columns, aggregate, combine, latest_period,
                        weights_for)
from .datapack import BOROUGH_CODE
from .district_ranks import domain_ranks
from .errors import PackError
from .localities import NETWORKS
from .vocabulary import Aggregation, Geography, Indicator, Polarity, ValueType

#: The two editions of the Indices of Deprivation, each on its own LSOA boundaries.
EDITIONS: dict[str, dict[str, str]] = {
    "19": dict(label="IoD2019", year="2019", geography="lsoa11", score="iod19_imd_score",
               decile="iod19_imd_decile", weight="iod19_population_2015", dataset="iod2019"),
    "25": dict(label="IoD2025", year="2025", geography="lsoa21", score="iod25_imd_score",
               decile="iod25_imd_decile", weight="census21_residents", dataset="iod2025"),
}
#: The unit of a share of LSOAs: its counts are of areas, not people, so disclosure control passes them.
LSOA_SHARE_UNIT = "% of LSOAs"
INEQUALITY_RESULT_COLUMNS = ("area", "period", "most_deprived", "least_deprived", "gap", "lsoas_most_deprived",
                             "lsoas_least_deprived", "numerator_most_deprived", "numerator_least_deprived",
                             "method")
INEQUALITY_METHOD = ("Inequality within the area: its LSOAs are ranked by IMD {edition} score and split into "
                     "fifths of LSOAs within the area (not national quintiles, so every area has both ends); "
                     "the gap is the most deprived fifth's value minus the least deprived fifth's, each "
                     "aggregated as the indicator is ({aggregation})")


def _profile_rows(pack) -> list[Indicator]:
    rows = []
    for ed, e in EDITIONS.items():
        if e["score"] not in set(pack.catalogue["id"]):
            continue
        weights = pack.indicator(e["weight"]).name
        base = dict(theme="Deprivation", geography=Geography(e["geography"]), dataset=e["dataset"], multiplier=100.0,
                    periods=(e["label"],), period=e["label"], weight=e["weight"],
                    aggregation=Aggregation.DEPRIVATION_PROFILE, source=pack.indicator(e["score"]).source)
        boundaries = ("IoD2019 on 2011 LSOAs" if ed == "19" else "IoD2025 on 2021 LSOAs")
        note = (f"MHCLG's local-authority summary applied to the area; {boundaries}; residents weighted by "
                f"{weights}. MHCLG advises against comparing scores between editions.")
        y = e["year"]
        rows.append(Indicator(**{**base, "multiplier": 1.0}, id=f"profile{ed}_imd_average_score",
                              name=f"IMD {y}: population-weighted average score",
                              short_name=f"IMD {y} average score", unit="score", polarity=Polarity.HIGHER_IS_WORSE,
                              value_type=ValueType.SCORE, caveats=note))
        rows.append(Indicator(**base, id=f"profile{ed}_pct_lsoas_most_deprived_10",
                              name=f"IMD {y}: % of LSOAs in England's most deprived 10%",
                              short_name=f"IMD {y} % LSOAs most deprived 10%", unit=LSOA_SHARE_UNIT,
                              polarity=Polarity.HIGHER_IS_WORSE, value_type=ValueType.PROPORTION, caveats=note))
        for kind, count in (("decile", 10), ("quintile", 5)):
            for n in range(1, count + 1):
                rows.append(Indicator(**base, id=f"profile{ed}_pct_residents_{kind}_{n}",
                                      name=f"IMD {y}: % of residents in national {kind} {n} (1 = most deprived)",
                                      short_name=f"IMD {y} % residents {kind} {n}", unit="% of residents",
                                      polarity=Polarity.HIGHER_IS_WORSE if n == 1 else Polarity.NO_JUDGEMENT,
                                      value_type=ValueType.PROPORTION, caveats=note))
    return rows


def profile_catalogue(pack) -> pd.DataFrame:
    """The deprivation-profile indicators, with the catalogue's columns."""
    return pd.DataFrame([r.to_row() for r in _profile_rows(pack)], columns=list(pack.catalogue.columns))


def profile_indicator(pack, indicator_id: str) -> Indicator:
    """One deprivation-profile indicator (KeyError for an id that is not one)."""
    return {r.id: r for r in _profile_rows(pack)}[indicator_id]


def is_profile(indicator_id: str) -> bool:
    return indicator_id.startswith(("profile19_", "profile25_"))


def _edition(indicator_id: str) -> dict[str, str]:
    return EDITIONS[indicator_id[len("profile"):len("profile") + 2]]


def lsoa_deciles(planner, edition: str = "19") -> pd.DataFrame:
    """Each LSOA of an edition's boundaries in each locality it has a share in: code, national IMD decile
    and quintile, locality, share and weight (its residents times its share, METHODS.md)."""
    return planner.memo(("lsoa_deciles", edition), lambda: _lsoa_deciles(planner, edition)).copy()


def _lsoa_deciles(planner, edition: str) -> pd.DataFrame:
    e = EDITIONS[edition]
    pack = planner.pack
    deciles = pack.indicator_values(e["decile"], e["geography"], latest_period(pack, e["decile"]))
    weights, _ = weights_for(pack, e["weight"])
    frame = pd.DataFrame({"code": deciles["area_code"].to_numpy(),
                          "decile": deciles["value"].astype(int).to_numpy()})
    frame["quintile"] = (frame["decile"] + 1) // 2
    shares = planner.assignments[e["geography"]].shares.rename_axis("code").reset_index()
    long = shares.melt(id_vars="code", var_name="locality", value_name="share")
    frame = frame.merge(long[long["share"] > 0], on="code", how="inner").sort_values(["code", "locality"])
    frame["weight"] = frame["code"].map(weights) * frame["share"]
    return frame.reset_index(drop=True)


def decile_populations(planner, edition: str = "19") -> pd.DataFrame:
    """Residents (the edition's weights) by national IMD decile: rows the four localities and St Helens,
    columns deciles 1–10."""
    frame = lsoa_deciles(planner, edition)
    table = frame.pivot_table(index="locality", columns="decile", values="weight", aggfunc="sum", fill_value=0)
    table = table.reindex(index=list(NETWORKS), columns=range(1, 11), fill_value=0)
    table.loc[BOROUGH] = frame.groupby("decile")["weight"].sum().reindex(range(1, 11), fill_value=0)
    return table.astype(float)


def decile_shares(planner, edition: str = "19") -> pd.DataFrame:
    """:func:`decile_populations` as % of each area's residents: the ``profile…_pct_residents_decile_N``
    values, one row per area."""
    table = decile_populations(planner, edition)
    return table.div(table.sum(axis=1), axis=0) * 100.0


def profile_values(planner, indicator_id: str) -> pd.DataFrame:
    """A deprivation-profile indicator for the four localities, St Helens and England (where published),
    in :func:`~sthc_desktop.core.aggregate.aggregate`'s columns."""
    e = _edition(indicator_id)
    pack = planner.pack
    period = e["label"]
    suffix = indicator_id.split("_", 1)[1]
    weights_name = f"{pack.indicator(e['weight']).name} ({latest_period(pack, e['weight'])})"
    assignment = f"LSOAs assigned by {planner.assignments[e['geography']].name}"
    if suffix == "imd_average_score":
        frame = aggregate(planner, e["score"]).copy()
        frame["method"] = "MHCLG average score: " + frame["method"]
        return frame

    lsoas = lsoa_deciles(planner, indicator_id[7:9])
    if suffix == "pct_lsoas_most_deprived_10":
        counts = lsoas.assign(count=lsoas["share"], hit=(lsoas["decile"] == 1) * lsoas["share"])
        num_col, den_col = "hit", "count"
        how = "LSOAs in national IMD decile 1 as a % of the area's LSOAs"
    else:
        kind, level = suffix.removeprefix("pct_residents_").split("_")
        column = "decile" if kind == "decile" else "quintile"
        counts = lsoas.assign(hit=np.where(lsoas[column] == int(level), lsoas["weight"], 0.0))
        num_col, den_col = "hit", "weight"
        how = f"residents of LSOAs in national IMD {column} {level} as a % of the area's residents"
        how += f"; weights: {weights_name}"
    rows = []
    for name in (*NETWORKS, BOROUGH):
        part = counts if name == BOROUGH else counts[counts["locality"] == name]
        num, den = float(part[num_col].sum()), float(part[den_col].sum())
        value = 100.0 * num / den if den > 0 else np.nan
        where = "all St Helens LSOAs" if name == BOROUGH else assignment
        rows.append(dict(area=name, period=period, value=value, lower_ci=np.nan, upper_ci=np.nan,
                         numerator=num, denominator=den,
                         method=f"Deprivation profile (MHCLG summary): {how}; {where}; counts every LSOA and "
                                f"resident, not a sample, so no interval"))
    if suffix == "pct_lsoas_most_deprived_10":
        _prefer_published_share(pack, e["label"], rows[-1])
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def _prefer_published_share(pack, edition: str, borough: dict) -> None:
    """Published before derived: St Helens' share of LSOAs in the most deprived 10% as MHCLG publishes it
    (IoD2025 File 10, in the pack's district summaries) replaces the share counted from the pack's LSOAs,
    which the method still gives; the LSOA counts stay. Packs without a published row keep the count."""
    try:
        table = domain_ranks(pack)
    except PackError:
        return
    hit = table[(table["edition"] == edition) & (table["lad_code"] == BOROUGH_CODE) & (table["domain"] == "imd")
                & (table["measure"] == "proportion_most_deprived_10")
                & table["source"].str.startswith("as published")]
    if hit.empty:
        return
    counted = borough["value"]
    borough["value"] = 100.0 * float(hit["value"].iloc[0])
    borough["method"] = (f"St Helens: share of LSOAs in England's most deprived 10% {hit['source'].iloc[0]}; not "
                         f"recomputed, preferred to the share counted from the pack's LSOAs ({counted:.2f}%: "
                         f"{borough['numerator']:.0f} of {borough['denominator']:.0f})")


def has_inequality(meta: Indicator) -> bool:
    """Whether :func:`inequality` measures an indicator: LSOA rates, proportions and scores. Not counts
    (a total depends on how many LSOAs each end holds), ranks, deciles or the deprivation profile."""
    return meta.is_area and meta.aggregation in (Aggregation.RATIO_OF_SUMS, Aggregation.POPULATION_WEIGHTED)


def inequality(planner, indicator_id: str, period: str | None = None) -> pd.DataFrame:
    """The gap in an LSOA indicator between the most and least deprived fifth of each area's LSOAs.

    Columns :data:`INEQUALITY_RESULT_COLUMNS`: area, period, most_deprived, least_deprived, gap (most
    minus least deprived), lsoas_most_deprived, lsoas_least_deprived, the summed numerators behind each
    end (NaN for weighted means; kept so disclosure control sees them) and method. Rows: the four
    localities and St Helens. NaN (with the reason in ``method``) where :func:`has_inequality` is false."""
    pack = planner.pack
    meta = pack.indicator(indicator_id)
    period = period or latest_period(pack, indicator_id)
    geography = meta.geography
    ed = {Geography.LSOA11: "19", Geography.LSOA21: "25"}.get(geography)
    reason = None
    if ed is None:
        reason = "inequality within an area is measured for LSOA indicators only"
    elif not has_inequality(meta):
        reason = f"not measured for {meta.aggregation} indicators (only for rates, proportions and scores)"
    rows = []
    if reason is not None:
        for name in (*NETWORKS, BOROUGH):
            rows.append(dict(area=name, period=period, most_deprived=np.nan, least_deprived=np.nan, gap=np.nan,
                             lsoas_most_deprived=0, lsoas_least_deprived=0, numerator_most_deprived=np.nan,
                             numerator_least_deprived=np.nan, method=reason))
        return pd.DataFrame(rows, columns=list(INEQUALITY_RESULT_COLUMNS))
    e = EDITIONS[ed]
    scores = pack.indicator_values(e["score"], geography, latest_period(pack, e["score"]))
    scores = pd.Series(scores["value"].to_numpy(), index=scores["area_code"].to_numpy())
    values = pack.indicator_values(indicator_id, geography, period)
    # The LSOAs ranked once, most deprived first (ties by code); each area takes its own in that order,
    # as arrays: a sorted DataFrame per area cost more than its sums.
    ranked = values.assign(imd=values["area_code"].map(scores)).reset_index(drop=True)
    order = ranked.sort_values(["imd", "area_code"], ascending=[False, True]).index.to_numpy()
    columns = [c[order] for c in _columns(values)]
    weights, weights_text = weights_for(pack, meta.weight) if meta.weight else (None, "")
    w = None if weights is None else _aligned(weights, values["area_code"])[order]
    shares = planner.assignments[geography].shares.reindex(values["area_code"].to_numpy()).fillna(0.0)
    method = INEQUALITY_METHOD.format(edition=e["year"], aggregation=meta.aggregation)
    if weights is not None:
        method += f"; weights: {weights_text}"
    assignment = f"LSOAs assigned by {planner.assignments[geography].name}"
    for name in (*NETWORKS, BOROUGH):
        share = np.ones(len(order)) if name == BOROUGH else shares[name].to_numpy()[order]
        inside = np.flatnonzero(share > 0)
        share = share[inside]
        # Fifths of the locality's LSOAs, each counted by its share: where its share starts in the ranking.
        before = share.cumsum() - share
        fifth = np.floor(5 * before / max(share.sum(), 1e-12)).astype(int) + 1
        most, least = np.flatnonzero(fifth == 1), np.flatnonzero(fifth == 5)
        if len(inside) < 5:  # too few LSOAs for fifths (a small locality under a lookup): the two extremes
            ends = np.arange(len(inside))
            most, least = ends[:1], ends[-1:] if len(inside) > 1 else ends[:0]
        hi, lo = (combine(*(c[inside[end]] for c in columns), share[end],
                          None if w is None else w[inside[end]], meta, "LSOAs") for end in (most, least))
        rows.append(dict(area=name, period=period, most_deprived=hi["value"], least_deprived=lo["value"],
                         gap=hi["value"] - lo["value"], lsoas_most_deprived=len(most),
                         lsoas_least_deprived=len(least), numerator_most_deprived=hi["numerator"],
                         numerator_least_deprived=lo["numerator"],
                         method=f"{method}; {'all St Helens LSOAs' if name == BOROUGH else assignment}"))
    return pd.DataFrame(rows, columns=list(INEQUALITY_RESULT_COLUMNS))

