"""``python main.py districts …``: how St Helens ranks among all England's districts on each deprivation domain.

Works on any pack (borough or England scale): writes, for St Helens and its neighbours or, with
``--all``, every district, MHCLG's local-authority summary measures for the IMD and each of its seven
domains (rank of average score where domain scores exist, rank of average rank, extent for the IMD,
share of LSOAs in England's most deprived 10%), each value with its rank (1 = most deprived) from
:func:`~sthc_desktop.core.district_ranks.district_table`. ``--edition 2019`` (default) is computed
from the IoD2019 LSOA files (317 districts); ``--edition 2025`` is IoD2025 File 10 as published (296).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sthc_desktop.export.files import TABLE_FORMATS

from .options import OVERWRITE_HELP


def register(subparsers, common) -> None:
    p = subparsers.add_parser("districts", parents=[common],
                               help="St Helens ranked among all districts on each deprivation domain")
    p.add_argument("--all", action="store_true", help="every district, not just St Helens and its neighbours")
    p.add_argument("--edition", choices=("2019", "2025"), default="2019",
                   help="2019: summaries computed from the IoD2019 LSOA files (317 districts); "
                        "2025: IoD2025 File 10 as published (296 districts)")
    p.add_argument("--format", choices=TABLE_FORMATS, default=None, help="file format (default: from --out)")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sthc_desktop.core import district_ranks
    from sthc_desktop.core.datapack import BOROUGH_CODE, DataPack
    from sthc_desktop.export.files import write_tables

    pack = DataPack(args.pack)
    edition = f"IoD{args.edition}"
    codes = None if args.all else [BOROUGH_CODE, *pack.read("neighbours", columns=["code"], geometry=False)["code"]]
    table = district_ranks.district_table(pack, edition, codes)
    write_tables([(table, args.out, args.format)], overwrite=args.overwrite)
    print(f"wrote {args.out} ({len(table)} districts of {table['districts'].iloc[0]}, 1 = most deprived); "
          f"St Helens: {district_ranks.borough_statement(pack, edition)}")
    return 0
