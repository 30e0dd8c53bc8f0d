"""The tables behind a locality pack or one map, as numbers an analyst can reuse.

The workbook export takes its tables from here (the GeoPackage its provenance), each the same
numbers as ``compare`` and the pack: the comparison with England and with St Helens
(:func:`~sthc_desktop.core.comparison.compare`), the inequality within each locality, the
deprivation profile, the strategic plan's measures, the practices by map key, St Helens' ranks
among England's districts, the data behind one map (one row per area) and the provenance of every
figure. Every table of rows about people passes through
:func:`~sthc_desktop.core.comparison.publishable`, so a suppressed cell is "*" (or empty where
``mark=None``) in every format. Qt-free and matplotlib-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import comparison, district_ranks, stats
from .aggregate import ENGLAND
from .errors import PackError
from .view import MapView

#: Columns of the data behind one map: one row per area (LSOA or practice).
MAP_COLUMNS = ("code", "name", "map_key", "locality", "period", "value", "lower_ci", "upper_ci", "numerator",
               "denominator", "benchmark", "comparison", "suppressed")
#: Number columns and their spreadsheet number formats (counts whole, values to two places).
NUMBER_FORMATS = {"value": "#,##0.00", "lower_ci": "#,##0.00", "upper_ci": "#,##0.00",
                  "numerator": "#,##0", "denominator": "#,##0", "baseline": "#,##0.0#",
                  "target_2026_27": "#,##0.0#", "latest_value": "#,##0.0#", "most_deprived": "#,##0.00",
                  "least_deprived": "#,##0.00", "gap": "#,##0.00", "list_size": "#,##0", "map_key": "0",
                  "lower_95": "#,##0.00", "upper_95": "#,##0.00", "lower_998": "#,##0.00",
                  "upper_998": "#,##0.00", "worst": "#,##0.00", "q25": "#,##0.00", "benchmark_value": "#,##0.00",
                  "q75": "#,##0.00", "best": "#,##0.00", "residents": "#,##0", "share_pct": "0.0"}
PROVENANCE_COLUMNS = ("dataset", "publisher", "period", "licence", "attribution")


@dataclass
class Table:
    """One table as it is exported: a short name (a sheet or layer name), a title, its rows, notes."""

    name: str
    title: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def comparison_tables(planner, indicators: list[str], *, mark: str | None = comparison.SUPPRESSED) -> list[Table]:
    """The comparison with England and with St Helens, and the inequality within each locality."""
    tables = []
    for benchmark, label in (("england", "England"), ("borough", "St Helens")):
        frame = comparison.publishable(comparison.compare(planner, indicators, benchmark=benchmark), mark=mark)
        tables.append(Table(f"vs {label}", f"The Care Communities against {label} (95% intervals)",
                            frame, [comparison.SUPPRESSION_NOTE]))
    unequal = comparison.inequality_table(planner, indicators)
    if not unequal.empty:
        tables.append(Table("Inequality", "Inequality within each locality: most and least deprived fifth",
                            comparison.publishable(unequal, mark=mark), [comparison.SUPPRESSION_NOTE]))
    return tables


def practice_table(planner, localities: list[str] | None = None) -> Table:
    """The practices by the plan's map key: ODS code, name, network, status and list size."""
    p = planner.practice_key()
    if localities is not None:
        p = p[p["network"].isin(localities)]
    keep = [c for c in ("map_key", "ods_code", "name", "network", "status", "list_size", "list_size_date",
                        "postcode") if c in p]
    return Table("Practices", "Practices by the strategic plan's map key", p[keep].reset_index(drop=True))


def district_rank_table(planner) -> list[Table]:
    """St Helens' rank among England's districts on the IMD and each domain, both editions (none for a
    pack built without district summaries)."""
    try:
        long = district_ranks.domain_ranks(planner.pack)
    except PackError:
        return []
    mine = long[long["lad_code"] == district_ranks.BOROUGH_CODE].reset_index(drop=True)
    return [Table("District ranks", district_ranks.TABLE_TITLE, mine, [district_ranks.RANK_NOTE])]


def pack_tables(planner, localities: list[str], indicators: list[str], *, profile: list[str] = (),
                mark: str | None = comparison.SUPPRESSED) -> list[Table]:
    """Every table of the locality pack, in the pack's order (``profile``: the deprivation-profile
    indicators of its overview)."""
    tables = comparison_tables(planner, indicators, mark=mark)
    if profile:
        rows = comparison.publishable(comparison.compare(planner, list(profile), regions=comparison.PROFILE_REGIONS),
                                      mark=mark)
        tables.append(Table("Deprivation profile", "The deprivation profile of each Care Community (MHCLG's "
                            "local-authority summaries)", rows))
    return [*tables,
            Table("Plan measures", "The strategic plan's key measures (borough)", comparison.plan_measures(planner)),
            practice_table(planner, localities), *district_rank_table(planner)]


def map_table(planner, view: MapView, *, mark: str | None = comparison.SUPPRESSED) -> Table:
    """The data behind one map: one row per LSOA or practice with value, 95% interval, counts, period
    and comparison with England (where England has a value and the area an interval)."""
    layer = planner.layer_for(view)
    frame = pd.DataFrame(layer.frame.drop(columns="geometry"))
    frame["period"] = layer.period
    england = comparison.area_values(planner, layer.indicator_id, layer.period)
    england = england.loc[england["area"] == ENGLAND, "value"]
    bench = float(england.iloc[0]) if not england.empty else np.nan
    frame["benchmark"] = ENGLAND if np.isfinite(bench) else ""
    frame["comparison"] = stats.compare_with_benchmark(frame["lower_ci"], frame["upper_ci"], bench,
                                                       layer.meta.polarity)
    # The layer is already publishable (hidden cells empty, flagged "suppressed"): mark them so.
    hidden = frame["suppressed"].to_numpy(dtype=bool)
    frame.loc[hidden, "comparison"] = stats.NOT_COMPARED
    if mark is not None and hidden.any():
        for column in comparison.DISCLOSURE_RULES["numerator"]:
            frame[column] = frame[column].astype(object)
            frame.loc[hidden, column] = mark
    columns = [c for c in MAP_COLUMNS if c in frame]
    title = f"{layer.meta.name} ({layer.meta.unit}), {layer.period}, by {layer.geography_name}"
    return Table("Map data", title, frame[columns].reset_index(drop=True), [comparison.SUPPRESSION_NOTE])


def provenance(planner, dataset_keys: list[str], *, method: str = "") -> Table:
    """Where the figures come from: each dataset's publisher, period, licence and attribution line,
    then how they were made (``method``) and how small areas were assigned to localities."""
    pack = planner.pack
    keys = ["ons_boundaries", *[k for k in dataset_keys if k != "ons_boundaries"]]
    rows = [{"dataset": d.name, "publisher": d.publisher, "period": d.period, "licence": d.licence,
             "attribution": d.attribution} for d in (pack.datasets[k] for k in dict.fromkeys(keys)
                                                     if k in pack.datasets)]
    notes = [f"Data pack: {pack.info.get('name', '')} ({pack.path.name})"]
    if method:
        notes.append(f"Method: {method}")
    notes.append(f"Locality method: {planner.assignment_statement}")
    if planner.scenario is not None:
        notes.append(planner.scenario.statement(pack))
    return Table("Provenance", "Where the figures come from", pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS)),
                 notes)


def datasets_for(planner, indicators: list[str]) -> list[str]:
    """The dataset keys behind ``indicators`` (profile indicators come from IoD2019) and the practices."""
    cat = comparison.catalogue(planner.pack).set_index("id")
    return list(dict.fromkeys([*(cat.loc[i, "dataset"] for i in indicators if i in cat.index), "nhs_practices"]))
