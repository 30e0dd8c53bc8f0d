"""Write tables as an Excel workbook (``.xlsx``): one sheet per table, numbers as numbers.

The locality pack's workbook holds every table of the pack and the data behind its charts
(:mod:`sthc_desktop.core.pack_tables`, the adult obesity trend, the spine chart and the practice
funnel plot), and a provenance sheet; the map's workbook holds the data behind one map. Each sheet
has its header in the first row (frozen, with a filter) and its title and notes under the rows.
Numbers are written as numbers with a number format, suppressed cells as "*", and text that a
spreadsheet would run as a formula is escaped (:func:`sthc_desktop.core.cells.safe_cell`). The file
is written atomically (:func:`sthc_desktop.core.files.atomic_path`).
"""

from __future__ import annotations

import math
import numbers
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from sthc_desktop.content.charts import OBESITY, obesity_trend_data
from sthc_desktop.content.pack import METHOD_NOTES, PACK_TITLE, PROFILE_EDITION, PROFILE_INDICATORS
from sthc_desktop.core.cells import safe_cell
from sthc_desktop.core.comparison import SUPPRESSION_NOTE
from sthc_desktop.core.deprivation import decile_populations
from sthc_desktop.core.files import atomic_path, check_target
from sthc_desktop.core.funnel import FUNNEL_INDICATORS, pack_funnels
from sthc_desktop.core.pack_tables import (NUMBER_FORMATS, Table, datasets_for, map_table, pack_tables,
                                           provenance)
from sthc_desktop.core.spine import METHOD as SPINE_METHOD
from sthc_desktop.core.spine import spine_rows

#: Characters a sheet name may not hold, and its longest length (Excel's rules).
_BAD_SHEET = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_NAME_MAX = 31


def cell_value(value):
    """A table cell as openpyxl writes it: missing as empty, numpy numbers as Python numbers, text escaped."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    return safe_cell(str(value))


def add_sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.name.translate(_BAD_SHEET)[:SHEET_NAME_MAX])
    frame = table.frame
    columns = [str(c) for c in frame.columns]
    sheet.append([safe_cell(c) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False, name=None):
        sheet.append([cell_value(v) for v in row])
    for i, column in enumerate(columns, start=1):
        fmt = NUMBER_FORMATS.get(column)
        letter = sheet.cell(row=1, column=i).column_letter
        width = max([len(column), *(len(str(v)) for v in frame.iloc[:200, i - 1] if v is not None)], default=8)
        sheet.column_dimensions[letter].width = min(max(width, 8) + 2, 60)
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=i, max_col=i):
            if isinstance(cell.value, numbers.Number) and not isinstance(cell.value, bool):
                cell.number_format = fmt
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
    sheet.append([])
    sheet.append([safe_cell(table.title)])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for note in table.notes:
        sheet.append([safe_cell(note)])


def write_workbook(tables: list[Table], out: str | Path, *, title: str = "", overwrite: bool = False) -> Path:
    """``tables`` as one workbook at ``out``, a sheet each in order, written atomically."""
    out = Path(out)
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        add_sheet(book, table)
    book.properties.title = title
    book.properties.creator = "St Helens Cares locality planner"
    with atomic_path(out, overwrite=overwrite) as tmp:
        book.save(tmp)
    return out


def export_pack_workbook(planner, out: str | Path, localities: list[str], indicators: list[str], *,
                         overwrite: bool = False) -> Path:
    """The locality pack's tables and the data behind its charts, with a provenance sheet."""
    tables = [*pack_tables(planner, localities, indicators, profile=PROFILE_INDICATORS),
              *chart_tables(planner, localities, indicators),
              provenance(planner, datasets_for(planner, [*indicators, OBESITY, *FUNNEL_INDICATORS]),
                         method=" ".join(METHOD_NOTES))]
    return write_workbook(tables, out, title=PACK_TITLE, overwrite=overwrite)


def chart_tables(planner, localities: list[str], indicators: list[str]) -> list[Table]:
    """The data behind the pack's charts that its tables do not already hold: the adult obesity trend,
    residents by IMD decile, the spine charts and the practice funnel plots (each practice with its control limits)."""
    trend = obesity_trend_data(planner).drop(columns=["unit"], errors="ignore")
    spines = spine_rows(planner, localities, indicators)
    residents = decile_populations(planner, PROFILE_EDITION)
    deciles = residents.stack().rename("residents").rename_axis(["area", "decile"]).reset_index()
    deciles["share_pct"] = deciles["residents"] / deciles.groupby("area")["residents"].transform("sum") * 100
    tables = [Table("Obesity trend", "Adult obesity (QOF) by Care Community and England, by year", trend,
                    [SUPPRESSION_NOTE]),
              Table("Residents by IMD decile", "Residents by national IMD decile (1 = most deprived 10%), "
                    f"IoD20{PROFILE_EDITION}, population weights", deciles),
              Table("Spine charts", "Spine charts: each locality against the St Helens range",
                    spines.drop(columns=[c for c in spines if c.startswith("pos_")]), [SPINE_METHOD])]
    for f in pack_funnels(planner):
        tables.append(Table(f"Funnel {f.indicator_id}", f"Funnel plot: {f.title}, {f.period}",
                            f.practices.assign(period=f.period, benchmark=f.benchmark,
                                               benchmark_value=f.benchmark_value), [f.method]))
    return tables


def export_map_workbook(planner, view, out: str | Path, *, overwrite: bool = False) -> Path:
    """The data behind one map (one row per area) and its provenance."""
    check_target(out, overwrite=overwrite)
    table = map_table(planner, view)
    meta = planner.pack.indicator(view.indicator_id)
    method = f"{meta.name}: {meta.unit}; {meta.polarity}; source {meta.source}"
    return write_workbook([table, provenance(planner, planner.sources_for(view.indicator_id), method=method)], out,
                          title=table.title, overwrite=overwrite)
