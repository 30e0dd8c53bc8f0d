"""The command-line front door: ``python main.py [COMMAND] …``.

With no command it opens the app. Commands reuse the same core and export code as the
GUI, so a command and a button give the same numbers and the same files. Errors in the
user's input print one line naming the file and the problem and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from sthc_desktop.commands import compare, districts, export, import_check
from sthc_desktop.core.errors import DataError

#: Further commands, each a module with ``register(subparsers, common)`` adding its parsers (with
#: ``parents=[common]`` and ``set_defaults(run=...)``); ``run(args)`` returns the exit status.
COMMANDS = (export, compare, import_check, districts)

PACK_OPTION = dict(type=Path, default=None, help="data pack to open (default: the bundled geodata/st_helens.gpkg; "
                                                 "an England-scale pack from `build-geodata --scope england`)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py",
                                     description="St Helens Cares locality planner. With no command, opens the app.")
    parser.add_argument("--pack", **PACK_OPTION)
    # ``--pack`` also after the command (``main.py export map --pack …``), filling the same setting.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--pack", type=Path, default=argparse.SUPPRESS, help=PACK_OPTION["help"])
    commands = parser.add_subparsers(dest="command")

    build = commands.add_parser("build-geodata", parents=[common],
                                help="build the data pack from the official source files")
    build.add_argument("--source", type=Path, default=Path("../shared/data"),
                       help="folder of official data (default: ../shared/data)")
    build.add_argument("--out", type=Path, default=Path("geodata"), help="output folder (default: geodata)")
    build.add_argument("--scope", choices=("borough", "england"), default="borough",
                       help="borough: geodata/st_helens.gpkg (shipped); england: england.gpkg with every England "
                            "LSOA and district (built on demand, not committed)")
    build.add_argument("--districts", default=None, metavar="NAME[,NAME...]",
                       help="with --scope england: map only these districts (and St Helens), e.g. for "
                            "Cheshire and Merseyside; district rankings still cover all England")
    build.add_argument("--accept-changed-sources", action="store_true",
                       help="build even from source files whose checksum differs from the manifest already in "
                            "--out (a new edition of a file, not a damaged copy)")

    ind = commands.add_parser("indicators", parents=[common], help="list the indicator catalogue")
    ind.add_argument("--json", action="store_true", help="print the catalogue as a JSON list")
    for command in COMMANDS:
        command.register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            from sthc_desktop.ui.app import run
            return run(args.pack)
        if args.command == "build-geodata":
            return _build(args)
        if args.command == "indicators":
            return _indicators(args)
        return args.run(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def console() -> int:
    """The ``sthc-desktop`` command (and ``python main.py``)."""
    if hasattr(signal, "SIGPIPE"):  # POSIX: a listing piped into `head` just stops, with no traceback
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    return main()


def gui() -> int:
    """The ``sthc-desktop-gui`` launcher (no console window on Windows): the app, ``--pack`` accepted."""
    return main(sys.argv[1:])


def _build(args) -> int:
    from sthc_desktop.builder import build_pack
    from sthc_desktop.core.datapack import DataPack

    if args.districts and args.scope != "england":
        print("error: --districts needs --scope england", file=sys.stderr)
        return 2
    districts = [d.strip() for d in args.districts.split(",") if d.strip()] if args.districts else None
    path = build_pack(args.source, args.out, scope=args.scope, districts=districts,
                      accept_changed_sources=args.accept_changed_sources)
    pack = DataPack(path)
    national = (f"{len(pack.layer('england_lsoa11_overview'))} England LSOA 2011, {len(pack.layer('districts'))} "
                f"districts, " if pack.scope == "england" else "")
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): {national}{len(pack.layer('lsoa11'))} LSOA 2011, "
          f"{len(pack.layer('lsoa21'))} LSOA 2021, {len(pack.practices)} practices, "
          f"{len(pack.catalogue)} indicators, {len(pack.values)} values")
    return 0


def _indicators(args) -> int:
    from sthc_desktop.core.datapack import DataPack

    pack = DataPack(args.pack)
    rows = []
    for r in pack.catalogue.to_dict("records"):
        rows.append({"id": r["id"], "name": r["name"], "short_name": r["short_name"], "theme": r["theme"],
                     "unit": r["unit"], "polarity": r["polarity"], "geography": r["geography"],
                     "period": r["period"], "periods": [p for p in r["periods"].split("|") if p],
                     "aggregation": r["aggregation"], "source": r["source"], "dataset": r["dataset"],
                     "caveats": r["caveats"]})
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['id']:<40} {r['theme']:<15} {r['period']:<14} {r['name']}")
    return 0
