"""Spine charts (OHID Fingertips style): a locality's indicators against the St Helens range.

One row per indicator (METHODS.md "Spine charts"): the locality's value as a marker on a bar that
spans the worst to the best value of the comparator set — the indicator's own St Helens areas
(its LSOAs, or its practices for practice figures) — with the 25th–75th percentile band darker and
the benchmark (England, or St Helens where England has no value) as a line at the centre. The marker
takes the locality's comparison with the benchmark (better / similar / worse, or higher / similar /
lower) from :func:`~sthc_desktop.core.comparison.compare`, after disclosure control (a suppressed
value has no marker).

As in Fingertips each row is scaled on its own: the benchmark sits at 0.5 and the farthest of the
worst, the best and the locality's value from it at 0 or 1, worst to the left (for indicators with no
better direction, lowest to the left). ``pos_*`` columns hold these positions for the drawing; the
percentiles are numpy's linear ones over the comparator set's published values. Qt-free and
matplotlib-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import comparison
from .aggregate import BOROUGH, ENGLAND
from .view import MapView
from .vocabulary import Geography, Indicator, Polarity

COLUMNS = ("indicator_id", "indicator_name", "short_name", "unit", "period", "area", "value", "comparison",
           "benchmark", "benchmark_value", "worst", "q25", "q75", "best", "comparator", "pos_value",
           "pos_worst", "pos_q25", "pos_q75", "pos_best")
METHOD = ("Spine chart: each row shows the locality's value (marker, coloured by its comparison with the "
          "benchmark, 95% intervals) on a bar from the worst to the best value among the indicator's St Helens "
          "areas (LSOAs or practices), the 25th to 75th percentile darker, the benchmark (England, or St Helens "
          "where England has no value) as the centre line. Each row has its own scale.")


def _positions(values: dict[str, float], bench: float, polarity: Polarity) -> dict[str, float]:
    sign = -1.0 if polarity == Polarity.HIGHER_IS_WORSE else 1.0
    reach = max((abs(v - bench) for v in values.values() if np.isfinite(v)), default=0.0) or 1.0
    return {f"pos_{k}": 0.5 + sign * (v - bench) / (2 * reach) if np.isfinite(v) else np.nan
            for k, v in values.items()}


def spine_rows(planner, localities: list[str], indicators: list[str]) -> pd.DataFrame:
    """The spine charts of ``localities``: for each, one row per chosen indicator mapped on LSOAs or
    practices and with a locality value, in :data:`COLUMNS`."""
    known = set(comparison.catalogue(planner.pack)["id"])
    mapped = [meta for meta in (comparison.described(planner.pack, i) for i in indicators if i in known)
              if meta.geography != Geography.BOROUGH and meta.value_type not in comparison.NOT_COMPARED_TYPES]
    if not mapped:
        return pd.DataFrame(columns=list(COLUMNS))
    against = {b: comparison.publishable(comparison.compare(planner, [m.id for m in mapped], benchmark=b),
                                         mark=None)
               for b in ("england", "borough")}
    # Each indicator's areas and its comparator set's range, once for all localities.
    by_indicator = {ind: part.set_index("area") for ind, part in against["england"].groupby("indicator_id", sort=False)}
    borough = against["borough"]
    vs_borough = dict(zip(zip(borough["indicator_id"].to_numpy()[::-1], borough["area"].to_numpy()[::-1]),
                          borough["comparison"].to_numpy()[::-1]))  # the first row of each wins
    ranges: dict[tuple, tuple] = {}
    rows = []
    for locality in localities:
        for meta in mapped:
            part = by_indicator.get(meta.id)
            if part is None or locality not in part.index:
                continue
            rows.append(_row(planner, meta, locality, part, vs_borough, ranges))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _comparator(planner, indicator_id: str, period: str) -> tuple:
    """The comparator set of an indicator: its St Helens areas' values (as the map has them), the 0th,
    25th, 75th and 100th percentiles and how many there are, and what they are."""
    layer = planner.layer_for(MapView(indicator_id=indicator_id, period=period))
    values = layer.frame["value"].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    percentiles = np.percentile(values, [0, 25, 75, 100]) if len(values) else [np.nan] * 4
    return (*percentiles, f"St Helens {layer.geography_name} ({len(values)})")


def _row(planner, meta: Indicator, locality: str, part: pd.DataFrame, vs_borough: dict, ranges: dict) -> dict:
    ind = meta.id
    here = part.loc[locality]
    bench_area = ENGLAND if ENGLAND in part.index and pd.notna(part.loc[ENGLAND, "value"]) else BOROUGH
    bench = float(part.loc[bench_area, "value"])
    comparison_word = here["comparison"]
    if bench_area == BOROUGH:  # compared with St Helens instead
        comparison_word = vs_borough[(ind, locality)]
    key = (ind, here["period"])
    if key not in ranges:
        ranges[key] = _comparator(planner, ind, here["period"])
    low, q25, q75, high, comparator = ranges[key]
    worse_high = meta.polarity == Polarity.HIGHER_IS_WORSE
    worst, best = (high, low) if worse_high else (low, high)
    value = float(here["value"]) if pd.notna(here["value"]) else np.nan
    row = {"indicator_id": ind, "indicator_name": meta.name, "short_name": meta.short_name,
           "unit": meta.unit, "period": here["period"], "area": locality, "value": value,
           "comparison": comparison_word, "benchmark": bench_area, "benchmark_value": bench,
           "worst": worst, "q25": q25, "q75": q75, "best": best, "comparator": comparator}
    row.update(_positions({"value": value, "worst": worst, "q25": q25, "q75": q75, "best": best}, bench,
                          meta.polarity))
    return row
