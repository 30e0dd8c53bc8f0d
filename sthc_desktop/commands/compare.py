"""``python main.py compare …``: the localities, St Helens and England side by side, as CSV or JSON.

The command builds the same :class:`~sthc_desktop.core.planner.Planner` (with a supplied
LSOA -> locality lookup when ``--lookup`` is given) and calls the same
:func:`~sthc_desktop.core.comparison.compare` as the comparison view, so both show the
same numbers. The file is written atomically.
"""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("csv", "json")


def register(subparsers) -> None:
    p = subparsers.add_parser("compare", help="compare the four localities with St Helens and England")
    p.add_argument("--indicators", required=True,
                   help="comma-separated indicator ids, or a theme name (e.g. Obesity, Deprivation)")
    p.add_argument("--benchmark", choices=("england", "borough"), default="england",
                   help="what each area is compared with (default: england)")
    p.add_argument("--period", default=None, help="period (default: each indicator's latest)")
    p.add_argument("--lookup", type=Path, default=None,
                   help="CSV of LSOA code -> locality to use instead of the nearest-practice assignment")
    p.add_argument("--format", choices=FORMATS, default=None, help="file format (default: from --out's suffix)")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sthc_desktop.core.comparison import compare
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.errors import ExportError
    from sthc_desktop.core.localities import lookup_assignments
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.export.files import atomic_file

    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ExportError(args.out, f"unknown format '{fmt}'; choose {' or '.join(FORMATS)}")
    pack = DataPack(args.pack)
    planner = Planner(pack, lookup_assignments(pack, args.lookup) if args.lookup else None)
    frame = compare(planner, args.indicators, benchmark=args.benchmark, period=args.period)
    with atomic_file(args.out) as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", indent=2, force_ascii=False)
    print(f"wrote {args.out} ({len(frame)} rows; {planner.assignment_statement})")
    return 0
