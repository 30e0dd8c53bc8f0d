"""``python main.py import-check FILE --level …``: check a CSV or XLSX file before importing it.

Prints each problem on its own line (file, row, column, what is wrong; the first few dozen, then
a count of the rest), the same list the import dialog shows, and exits 1 if the file cannot be imported, 0 (with a one-line summary)
if it can. Rows are spreadsheet rows: the header is row 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sthc_desktop.core.errors import DataError

CHECK_LEVELS = ("lsoa11", "lsoa21", "msoa", "ward", "practice", "postcode")


def register(subparsers, common) -> None:
    p = subparsers.add_parser("import-check", parents=[common],
                               help="check a CSV/XLSX file for import; exit 1 if it cannot be imported")
    p.add_argument("file", type=Path, help="the CSV or XLSX file")
    p.add_argument("--level", choices=CHECK_LEVELS, default=None,
                   help="the areas the file describes (default: detected from its codes)")
    p.add_argument("--value-column", default=None, help="the column of values (default: detected)")
    p.add_argument("--convert-2011", action="store_true",
                   help="with --level lsoa21: move LSOA 2011 codes to 2021 through the ONS lookup")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sthc_desktop.core import imports
    from sthc_desktop.core.datapack import DataPack

    pack = DataPack(args.pack)  # a pack problem is the tool's, not the file's: cli.main exits 2
    try:
        table = imports.read_file(args.file)
    except DataError as exc:
        print(exc.message)
        return 1
    spec = imports.detect(table, pack, args.level, args.value_column)
    if args.value_column is not None:
        spec = spec.with_(value_column=args.value_column)
    spec = spec.with_(convert_2011=args.convert_2011)
    result = imports.check(table, pack, spec)
    for line in result.shown():
        print(line)
    if not result.can_import:
        print(f"{table.name}: cannot be imported ({result.error_count:,} problems)")
        return 1
    periods = sorted(set(result.values["period"]) - {""})
    print(f"{table.name}: can be imported as {imports.LEVELS[spec.level]}: {result.areas_with_values} "
          f"{imports.LEVELS[result.geography]} areas with values from column '{spec.value_column}' "
          f"(area codes in '{spec.code_column}'{', periods ' + ', '.join(periods) if periods else ''})")
    return 0
