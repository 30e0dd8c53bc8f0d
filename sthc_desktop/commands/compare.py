"""``python main.py compare …``: the localities, St Helens and England side by side, as CSV or JSON,
with the North West, Liverpool City Region or Cheshire and Merseyside as benchmark or extra rows.

The command builds the same :class:`~sthc_desktop.core.planner.Planner` (the pack's best-validated
locality method, or ``--method``; a supplied LSOA -> locality lookup with ``--lookup``; a what-if
with ``--scenario FILE``) and calls the same
:func:`~sthc_desktop.core.comparison.compare` (and, with ``--inequality FILE``,
:func:`~sthc_desktop.core.comparison.inequality_table`) as the comparison view, so both show
the same numbers. Rows pass through :func:`~sthc_desktop.core.comparison.publishable`:
counts of 1 to 4 and values built on them (with their denominators, and the next-smallest
locality where St Helens' total would give a hidden count back) are "*" in CSV and null in JSON,
flagged in a ``suppressed`` column, the rule named in ``method``. Files are written atomically, after every table has been computed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sthc_desktop.core.networks import PACK_METHODS
from sthc_desktop.export.files import TABLE_FORMATS as FORMATS

from .options import METHOD_HELP, OVERWRITE_HELP, SCENARIO_HELP


def register(subparsers, common) -> None:
    p = subparsers.add_parser("compare", parents=[common],
                               help="compare the four localities with St Helens and England")
    p.add_argument("--indicators", required=True,
                   help="comma-separated indicator ids, or a theme name (e.g. Obesity, Deprivation)")
    p.add_argument("--benchmark", default="england",
                   choices=("england", "borough", "north_west", "liverpool_city_region", "cheshire_merseyside"),
                   help="what each area is compared with (default: england); a regional benchmark adds its row, "
                        "'not available' where the pack holds no value for it")
    p.add_argument("--regions", action="store_true",
                   help="also write the North West, Liverpool City Region and Cheshire and Merseyside rows "
                        "(each published or derived, as its method says; 'not available' where there is none)")
    p.add_argument("--period", default=None, help="period (default: each indicator's latest)")
    p.add_argument("--lookup", type=Path, default=None,
                   help="CSV of LSOA code -> locality to use instead of the pack's locality method")
    p.add_argument("--method", choices=PACK_METHODS, default=None, help=METHOD_HELP)
    p.add_argument("--scenario", type=Path, default=None, metavar="FILE", help=SCENARIO_HELP)
    p.add_argument("--format", choices=FORMATS, default=None, help="file format (default: from --out's suffix)")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    p.add_argument("--inequality", type=Path, default=None, metavar="FILE",
                   help="also write the inequality within each locality to FILE (same format): for each chosen "
                        "LSOA rate, proportion or score, the value in the most and least deprived fifth of the "
                        "locality's LSOAs (ranked by IMD score), the gap and the LSOA count behind each")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sthc_desktop.core.comparison import compare, inequality_table, publishable
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.errors import DataError
    from sthc_desktop.core.scenarios import command_planner
    from sthc_desktop.core.files import check_target
    from sthc_desktop.export.files import table_format, write_tables

    outputs = [(args.out, table_format(args.out, args.format))]
    if args.inequality is not None:
        outputs.append((args.inequality, table_format(args.inequality, args.format)))
    for path, _ in outputs:  # before the tables are computed
        check_target(path, overwrite=args.overwrite)
    pack = DataPack(args.pack)
    planner = command_planner(pack, args.lookup, args.scenario, args.method)
    frames = [compare(planner, args.indicators, benchmark=args.benchmark, period=args.period, regions=args.regions)]
    if args.inequality is not None:
        frames.append(inequality_table(planner, args.indicators, period=args.period))
        if frames[-1].empty:
            raise DataError(None, "--inequality: none of the chosen indicators is an LSOA rate, proportion or "
                                  "score, so there is no inequality within localities to write")
    write_tables([(publishable(frame, mark="*" if fmt == "csv" else None), path, fmt)
                  for (path, fmt), frame in zip(outputs, frames)], overwrite=args.overwrite)
    for (path, _), frame in zip(outputs, frames):
        print(f"wrote {path} ({len(frame)} rows; {planner.assignment_statement})")
    return 0

