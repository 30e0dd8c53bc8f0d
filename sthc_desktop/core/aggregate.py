"""Putting small areas and practices together into the four Care Communities and the borough.

:func:`aggregate` gives one indicator's value for each locality, for St Helens and for
England, following METHODS.md and the catalogue's ``aggregation`` column: counts are
added; proportions and rates are built from summed numerators and denominators, with the
Wilson (proportions) or Byar / exact Poisson (rates) interval computed from the sums;
scores are population-weighted means (weights named by the catalogue's ``weight``
column); practice scores are weighted by list size; ranks and deciles are not aggregated.
England always comes from the pack's England rows, never recomputed here, and says how the
builder made it (recomputed from every England LSOA or practice, or as published). Published
before derived: a published borough value (e.g. MHCLG's IoD2025 File 10) is preferred to a computed
one, and a network's published PCN row (OHID) to the sum of its practices, unless a what-if scenario
has moved practices. Every row says how it was made. Qt-free.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import stats
from .datapack import DataPack
from .localities import NETWORKS
from .vocabulary import Aggregation, Geography, Indicator, ValueType

BOROUGH = "St Helens"
ENGLAND = "England"
#: Areas in the order every table and chart shows them.
AREAS: tuple[str, ...] = (*NETWORKS, BOROUGH, ENGLAND)
RESULT_COLUMNS = ("area", "period", "value", "lower_ci", "upper_ci", "numerator", "denominator", "method")

LIST_SIZE = "practice_list_size"
#: A row with nothing to show (its method says why).
NO_VALUE = dict(value=np.nan, lower_ci=np.nan, upper_ci=np.nan, numerator=np.nan, denominator=np.nan)


def latest_period(pack: DataPack, indicator_id: str) -> str:
    periods = pack.periods(indicator_id)
    return periods[-1] if periods else ""


def area_shares(planner, geography: Geography) -> pd.DataFrame:
    """Share of each small area (LSOAs, under the planner's assignment) or practice (its network, 0/1) in
    each locality: rows area codes, columns the networks (METHODS.md fractional membership).

    A practice keeps the network it belonged to, so a closed practice counts for the years it reported."""
    if geography == Geography.PRACTICE:
        return planner.practice_shares
    return planner.assignments[geography].shares


def weights_for(pack: DataPack, indicator_id: str) -> tuple[pd.Series, str]:
    """Population weights per area from a count indicator (its only or latest period), and how to name them."""
    meta = pack.indicator(indicator_id)
    period = latest_period(pack, indicator_id)
    rows = pack.indicator_values(indicator_id, meta.geography, period)
    return (pd.Series(rows["value"].to_numpy(dtype=float), index=rows["area_code"].to_numpy()),
            f"{meta.name} ({period})")


def list_size_weights(pack: DataPack, period: str) -> tuple[pd.Series, str]:
    """Practice list sizes of the list-size period nearest ``period`` (by year; the earlier on a tie)."""
    sizes = pack.periods(LIST_SIZE)
    year = _year(period)
    chosen = sizes[-1] if year is None else min(sizes, key=lambda s: (abs(_year(s) - year), _year(s)))
    rows = pack.indicator_values(LIST_SIZE, Geography.PRACTICE, chosen)
    return (pd.Series(rows["value"].to_numpy(dtype=float), index=rows["area_code"].to_numpy()),
            f"registered list sizes of {chosen} (the list-size date nearest {period})")


def _year(period: str) -> int | None:
    found = re.search(r"(\d{4})", str(period))
    return int(found.group(1)) if found else None


def interval(meta: Indicator, numerator: float, denominator: float) -> tuple[float, float, str]:
    """The 95% interval of a value built from (summed) counts, on the indicator's scale, and its name."""
    mult = meta.multiplier
    if meta.value_type == ValueType.PROPORTION:
        lo, hi = stats.wilson_interval(numerator, denominator)
        return lo * mult, hi * mult, "Wilson score 95% interval from the summed counts"
    if meta.value_type == ValueType.RATE:
        lo, hi = stats.rate_interval(numerator, denominator, mult)
        return lo, hi, "Byar's 95% interval (exact Poisson below 10) from the summed counts"
    return np.nan, np.nan, "no interval for this kind of value"


def _columns(rows: pd.DataFrame) -> list[np.ndarray]:
    """The value, numerator and denominator columns as float arrays (NaN where missing)."""
    return [rows[c].to_numpy(dtype=float, na_value=np.nan) for c in ("value", "numerator", "denominator")]


def _aligned(weights: pd.Series, codes: pd.Series) -> np.ndarray:
    """Each row's weight by its area code (NaN where there is none)."""
    return weights.reindex(codes.to_numpy()).to_numpy(dtype=float, na_value=np.nan)


def combine(value: np.ndarray, numerator: np.ndarray, denominator: np.ndarray, share: np.ndarray,
            weights: np.ndarray | None, meta: Indicator, what: str = "areas") -> dict:
    """One value from a set of areas' columns (one entry per area, NaN where missing).

    Returns value, lower_ci, upper_ci, numerator, denominator and a ``note`` saying how it was made
    (or why it is missing). ``share`` (each area's share in the locality) multiplies counts, numerators,
    denominators and weights (METHODS.md); ``weights`` (one per area, or None) is used by the weighted
    means; ``what`` names the areas in the note ("LSOAs", "practices")."""
    how = meta.aggregation
    n = len(value)
    if n == 0:
        return {**NO_VALUE, "note": f"no values in the pack for these {what} and this period"}
    if (share < 1).any():
        what = f"{what} (counted by their fractional shares in the locality)"
    if how == Aggregation.RATIO_OF_SUMS:
        missing = np.isnan(numerator) | np.isnan(denominator)
        if missing.any():
            return {**NO_VALUE, "note": f"{int(missing.sum())} of {n} {what} have no published numerator "
                                   f"or denominator, so no ratio of sums"}
        num, den = float((numerator * share).sum()), float((denominator * share).sum())
        if den <= 0:
            return {**NO_VALUE, "note": "the summed denominator is 0"}
        lo, hi, ci = interval(meta, num, den)
        return dict(value=num / den * meta.multiplier, lower_ci=lo, upper_ci=hi, numerator=num,
                    denominator=den, note=f"ratio of sums over {n} {what} (numerators and denominators "
                                          f"added, then divided); {ci}")
    if how == Aggregation.SUM:
        if np.isnan(value).any():
            return {**NO_VALUE, "note": f"{int(np.isnan(value).sum())} of {n} {what} have no value, so no sum"}
        total = float((value * share).sum())
        # The total is itself a count: kept as the numerator too, so disclosure control sees it.
        return {**NO_VALUE, "value": total, "numerator": total, "note": f"sum of {n} {what}; no interval"}
    if how in (Aggregation.POPULATION_WEIGHTED, Aggregation.LIST_WEIGHTED):
        w = weights if weights is not None else np.full(n, np.nan)
        gaps = np.isnan(value) | np.isnan(w)
        if gaps.any():
            return {**NO_VALUE, "note": f"{int(gaps.sum())} of {n} {what} have no value or no weight, "
                                   f"so no weighted mean"}
        kind = "population" if how == Aggregation.POPULATION_WEIGHTED else "list-size"
        w = w * share
        return {**NO_VALUE, "value": float(np.average(value, weights=w)), "denominator": float(w.sum()),
                "note": f"{kind}-weighted mean of {n} {what}; no interval (the denominator column holds "
                        f"the total weight)"}
    return {**NO_VALUE, "note": "ranks and deciles are not aggregated (see the deprivation profile)"
            if how == Aggregation.NOT_AGGREGATED else f"unknown aggregation '{how}'"}


def aggregate(planner, indicator_id: str, period: str | None = None) -> pd.DataFrame:
    """One catalogue indicator for the four localities, St Helens and England (where the pack has it).

    Columns: area, period, value, lower_ci, upper_ci, numerator, denominator, method. Values that
    cannot be computed from the pack are NaN, with the method saying why. A planner computes each
    once (a pack compares the same indicators with England, with St Helens and in its spine charts)
    and hands out copies."""
    memo = getattr(planner, "memo", None)
    if memo is None:
        return _aggregate(planner, indicator_id, period)
    return memo(("aggregate", indicator_id, period), lambda: _aggregate(planner, indicator_id, period)).copy()


def _aggregate(planner, indicator_id: str, period: str | None) -> pd.DataFrame:
    pack = planner.pack
    meta = pack.indicator(indicator_id)
    period = period or latest_period(pack, indicator_id)
    geography = meta.geography
    weights, weights_text = None, ""
    if meta.aggregation == Aggregation.POPULATION_WEIGHTED:
        if meta.weight:
            weights, weights_text = weights_for(pack, meta.weight)
            weights_text = f"weights: {weights_text}"
    elif meta.aggregation == Aggregation.LIST_WEIGHTED:
        weights, weights_text = list_size_weights(pack, period)
        weights_text = f"weights: {weights_text}"

    rows = []
    if geography != Geography.BOROUGH:
        values = pack.indicator_values(indicator_id, geography, period)
        codes = values["area_code"]
        columns = _columns(values)
        w = None if weights is None else _aligned(weights, codes)
        # each row's share in each locality (0 outside it)
        shares = area_shares(planner, geography).reindex(codes.to_numpy()).fillna(0.0)
        members = _members_text(planner, geography)
        what = "LSOAs" if geography.is_area else "practices"
        published_pcn = {} if geography.is_area else _published_pcn(pack, indicator_id, period)
        for name in NETWORKS:
            share = shares[name].to_numpy()
            inside = share > 0
            r = combine(*(c[inside] for c in columns), share[inside], None if w is None else w[inside],
                               meta, what)
            # Published before derived: OHID's PCN row, unless a what-if scenario has moved practices.
            if name in published_pcn and getattr(planner, "scenario", None) is None:
                row = published_pcn[name]
                rows.append(_row(name, period, _published(row), _pcn_note(r, row)))
                continue
            rows.append(_row(name, period, r, _method(r["note"], members, weights_text)))
        own = combine(*columns, np.ones(len(codes)), w, meta, what)
        whole = ("all St Helens LSOAs" if geography.is_area
                 else "all practices in the pack (St Helens practices, whose patients may live outside the borough)")
        borough = _row(BOROUGH, period, own, _method(own["note"], whole, weights_text))
    else:
        for name in NETWORKS:
            rows.append(_row(name, period, NO_VALUE, "published for the borough only; no locality values"))
        borough = _row(BOROUGH, period, NO_VALUE, "no borough value in the pack")

    published = pack.indicator_values(indicator_id, "borough", period)
    if not published.empty:
        source = pack.datasets[meta.dataset].publisher if meta.dataset in pack.datasets else meta.source
        note = meta.borough_method or f"Published borough value ({source})"
        if not pd.isna(borough["value"]):
            note += ", preferred to the value computed from the pack's areas"
        borough = _row(BOROUGH, period, _published(published.iloc[0]), note)
    rows.append(borough)

    england = pack.indicator_values(indicator_id, "england", period)
    if not england.empty:
        rows.append(_row(ENGLAND, period, _published(england.iloc[0]), england_method(meta)))
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def england_method(meta: Indicator) -> str:
    """How the pack's England value of an indicator was made, as the builder recorded it; an imported
    indicator's England value is the one its file gave."""
    return meta.england_method or f"England: value as given by the source ({meta.source}); not recomputed by this tool"


def _published(row: pd.Series) -> dict:
    return {k: float(row[k]) if pd.notna(row[k]) else np.nan
            for k in ("value", "lower_ci", "upper_ci", "numerator", "denominator")}


def _row(area: str, period: str, r: dict, method: str) -> dict:
    return {"area": area, "period": period, "value": r["value"], "lower_ci": r["lower_ci"],
            "upper_ci": r["upper_ci"], "numerator": r["numerator"], "denominator": r["denominator"],
            "method": method}


def _method(note: str, members: str, weights_text: str) -> str:
    return "; ".join(t for t in (f"{note[0].upper()}{note[1:]}", members, weights_text) if t)


def _members_text(planner, geography: Geography) -> str:
    if geography == Geography.PRACTICE:
        moved = getattr(planner, "scenario", None)
        return ("practices grouped by their Primary Care Network (closed practices count for the years "
                "they reported)" + (f"; what-if '{moved.name}': {moved.describe(planner.pack)}" if moved is not None else ""))
    return f"LSOAs assigned by {planner.assignments[geography].name}"


def _published_pcn(pack: DataPack, indicator_id: str, period: str) -> dict[str, pd.Series]:
    """Published PCN rows of a practice indicator, by network name."""
    rows = pack.indicator_values(indicator_id, "pcn", period)
    if rows.empty:
        return {}
    code_to_network = dict(zip(pack.networks["pcn_code"], pack.networks["network"]))
    return {code_to_network[r["area_code"]]: r for _, r in rows.iterrows() if r["area_code"] in code_to_network}


def _pcn_note(computed: dict, published: pd.Series) -> str:
    """How a locality row taken from a published PCN row was made, and what the practice rows give."""
    text = (f"As published by OHID for PCN {published['area_code']} (value, interval and counts as published; "
            f"PCN membership as OHID defined it)")
    if pd.isna(computed["value"]):
        return f"{text}; the pack's practice rows give no value ({computed['note']})"
    same = (computed["numerator"] == published["numerator"]
            and computed["denominator"] == published["denominator"])
    if same:
        return f"{text}; the pack's practice rows give the same numerator and denominator"
    return (f"{text}; summing the pack's practice rows would give {computed['value']:.1f} "
            f"({computed['numerator']:.0f} / {computed['denominator']:.0f})")
