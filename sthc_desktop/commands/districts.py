"""``python main.py districts …``: how St Helens ranks among all England's districts on deprivation.

Needs an England-scale pack (``--pack``). Writes the IoD2019 district summaries the England tab
and the national briefing map show (average IMD score, average LSOA rank, share of LSOAs in
England's most deprived 10%, each with its rank of 317), for St Helens and its neighbours or,
with ``--all``, every district; ``--edition 2025`` gives IoD2025 File 10 as published.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sthc_desktop.export.files import TABLE_FORMATS


def register(subparsers) -> None:
    p = subparsers.add_parser("districts", help="St Helens ranked among all districts (England-scale pack)")
    p.add_argument("--all", action="store_true", help="every district, not just St Helens and its neighbours")
    p.add_argument("--edition", choices=("2019", "2025"), default="2019",
                   help="2019: summaries computed from the IoD2019 LSOA files (317 districts); "
                        "2025: IoD2025 File 10 as published (296 districts)")
    p.add_argument("--format", choices=TABLE_FORMATS, default=None, help="file format (default: from --out)")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sthc_desktop.core.datapack import BOROUGH_CODE, DataPack
    from sthc_desktop.core.england import England
    from sthc_desktop.core.errors import ExportError
    from sthc_desktop.export.files import write_tables

    pack = DataPack(args.pack)
    if pack.scope != "england":
        raise ExportError(args.out, f"district rankings need an England-scale pack; {pack.path.name} is the "
                                    f"borough pack (build one with `python main.py build-geodata --scope england`)")
    england = England(pack)
    table = england.districts if args.edition == "2019" else england.districts_2025
    if not args.all:
        table = table[table["lad_code"].isin(england.focus_codes())]
    table = table.drop(columns=[c for c in ("xmin", "ymin", "xmax", "ymax") if c in table.columns])
    table = table.sort_values("rank_of_average_score")
    write_tables([(table, args.out, args.format)])
    rank = table.loc[table["lad_code"] == BOROUGH_CODE, "rank_of_average_score"].iloc[0]
    print(f"wrote {args.out} ({len(table)} districts; St Helens ranks {rank} of "
          f"{len(england.districts if args.edition == '2019' else england.districts_2025)} on average IMD "
          f"{args.edition} score)")
    return 0
