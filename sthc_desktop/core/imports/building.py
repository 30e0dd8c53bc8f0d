"""Building the indicator from a clean file: its catalogue row (how it aggregates to localities,
from its counts and denominators), its values and its provenance (file name, date, SHA-256)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from ..cells import is_formula
from ..datapack import VALUE_COLUMNS, DataPack, Dataset
from ..errors import DataError
from ..vocabulary import Aggregation, Geography, Indicator, Polarity, ValueType
from .checking import check
from .model import THEME, POLARITIES, CheckResult, ImportedIndicator, ImportSpec, TableFile

_POPULATION_WEIGHT = {"lsoa11": "iod19_population_2015", "lsoa21": "census21_residents"}


def build(table: TableFile, pack: DataPack, spec: ImportSpec, imported_on: date | None = None) -> ImportedIndicator:
    """The catalogue row, values and provenance of an importable file; DataError if it cannot be imported."""
    if not spec.name.strip():
        raise DataError(table.name, "give the indicator a name")
    for what, text in (("name", spec.name), ("unit", spec.unit)):
        if is_formula(text.strip()):
            raise DataError(table.name, f"the indicator's {what} cannot start with '{text.strip()[0]!s}' (a "
                                        "spreadsheet would run it as a formula)")
    if spec.polarity not in POLARITIES:
        raise DataError(table.name, f"polarity must be one of: {', '.join(POLARITIES)}")
    if not spec.period_column and not spec.period.strip():
        raise DataError(table.name, "give the period the values describe (e.g. 2023/24)")
    result = check(table, pack, spec)
    if not result.can_import:
        first = result.errors[0]
        more = result.error_count - 1
        raise DataError(table.name, first.problem + (f" (and {more} more problems)" if more else ""),
                        row=first.row, column=first.column)
    imported_on = imported_on or date.today()
    indicator_id = _indicator_id(spec.name, table.sha256, pack)
    values = result.values.assign(indicator_id=indicator_id)[list(VALUE_COLUMNS)]
    periods = sorted(set(values["period"]))
    aggregation, weight, multiplier, value_type = _aggregation(spec, result, values)
    where = f"{table.name} on {imported_on.isoformat()}"
    provenance = f"Imported by the user from {where}"
    caveats = " ".join([f"{provenance} (SHA-256 {table.sha256}); not part of the official data pack."]
                       + result.caveats)
    meta = Indicator(id=indicator_id, name=spec.name.strip(), short_name=spec.name.strip()[:40], theme=THEME,
                     unit=spec.unit.strip(), polarity=Polarity(spec.polarity), geography=Geography(result.geography),
                     dataset=indicator_id, value_type=value_type, aggregation=aggregation, caveats=caveats,
                     weight=weight, multiplier=multiplier, periods=tuple(periods), period=periods[-1],
                     source=provenance)
    dataset = Dataset(indicator_id, spec.name.strip(), provenance, ", ".join(periods),
                      "As supplied by the user", f"Source: {provenance}.",
                      ({"path": table.name, "sha256": table.sha256},))
    return ImportedIndicator(meta, values.reset_index(drop=True), dataset)


def _aggregation(spec: ImportSpec, result: CheckResult,
                 values: pd.DataFrame) -> tuple[Aggregation, str, float, ValueType]:
    if spec.level == "postcode":
        return Aggregation.SUM, "", 1.0, ValueType.COUNT
    m = _multiplier(values) if spec.level in ("practice", "lsoa11", "lsoa21") else None
    if m is not None:
        return Aggregation.RATIO_OF_SUMS, "", m, ValueType.PROPORTION if m == 100 else ValueType.RATE
    if spec.level == "practice":
        return Aggregation.LIST_WEIGHTED, "", 1.0, ValueType.SCORE
    return Aggregation.POPULATION_WEIGHTED, _POPULATION_WEIGHT[result.geography], 1.0, ValueType.SCORE


def _multiplier(values: pd.DataFrame) -> float | None:
    """The power of ten relating value to count/denominator, if every row with all three agrees on one."""
    v = values.dropna(subset=["value", "numerator", "denominator"])
    v = v[(v["numerator"] > 0) & (v["denominator"] > 0)]
    if v.empty or len(v) != len(values.dropna(subset=["value"])):
        return None
    ratio = v["value"] / (v["numerator"] / v["denominator"])
    for m in (1.0, 100.0, 1000.0, 10000.0, 100000.0):
        if ((ratio / m - 1).abs() < 0.01).all():
            return m
    return None


def _indicator_id(name: str, sha256: str, pack: DataPack) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "indicator"
    candidate = f"imported_{slug}"
    official = set(pack.layer("indicators")["id"])
    return candidate if candidate not in official else f"{candidate}_{sha256[:8]}"


