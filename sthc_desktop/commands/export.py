"""``python main.py export map|pack …``: the briefing map of a view, or a locality pack.

The command builds the same :class:`~sthc_desktop.core.view.MapView` and arguments the
Export dialog builds and calls the same export functions, so both give the same file.
``--scenario FILE`` applies a what-if (:mod:`~sthc_desktop.core.scenarios`) and ``--method`` picks
the locality method; ``--lookup FILE`` assigns LSOAs to Care Communities from a supplied CSV through
:func:`~sthc_desktop.core.localities.lookup_assignments`, as the comparison tab and
``compare --lookup`` do, so a pack made under a lookup in the app can be made again here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sthc_desktop.core.errors import ExportError
from sthc_desktop.core.localities import NETWORKS, PACK_METHODS
from sthc_desktop.core.scenarios import METHOD_HELP, SCENARIO_HELP
from sthc_desktop.export.files import DEFAULT_DPI, MAX_DPI, MIN_DPI, OVERWRITE_HELP, PRINT_DPI
from sthc_desktop.export.formats import MAP_FORMATS, PACK_FORMATS
from sthc_desktop.render.page import ORIENTATIONS, PAPER_SIZES


def register(subparsers, common) -> None:
    export = subparsers.add_parser("export", help="export a briefing map or a locality pack")
    kinds = export.add_subparsers(dest="export_kind", required=True)

    m = kinds.add_parser("map", parents=[common],
                         help="the briefing map of one indicator (PDF, SVG or PNG), the data behind it "
                              "(XLSX) or its layers for GIS (GeoPackage)")
    m.add_argument("--indicator", required=True, help="indicator id (see `python main.py indicators`)")
    m.add_argument("--period", default=None, help="period (default: the latest)")
    m.add_argument("--locality", choices=NETWORKS, default=None, help="zoom to and focus on one Care Community")
    m.add_argument("--area", default=None, metavar="NAME",
                   help="England-scale pack only: map 'England' or any local authority district by name "
                        "(e.g. Knowsley) instead of the St Helens Care Communities")
    m.add_argument("--paper", choices=tuple(PAPER_SIZES), default="A4")
    m.add_argument("--orientation", choices=ORIENTATIONS, default="portrait")
    m.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                   help=f"PNG resolution, {MIN_DPI}-{MAX_DPI} ({DEFAULT_DPI} default, {PRINT_DPI} for print)")
    m.add_argument("--format", choices=MAP_FORMATS, default=None, help="file format (default: from --out's suffix)")
    m.add_argument("--out", type=Path, required=True, help="file to write")
    m.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    m.add_argument("--lookup", type=Path, default=None, help=LOOKUP_HELP)
    m.add_argument("--method", choices=PACK_METHODS, default=None, help=METHOD_HELP)
    m.add_argument("--scenario", type=Path, default=None, metavar="FILE", help=SCENARIO_HELP)
    m.set_defaults(run=run_map)

    p = kinds.add_parser("pack", parents=[common],
                         help="the locality pack: a multi-page PDF for board papers, its tables as a "
                              "workbook (XLSX) or a slide deck (PPTX)")
    p.add_argument("--localities", nargs="+", choices=NETWORKS, default=list(NETWORKS), metavar="NAME",
                   help=f"Care Communities to include (default: all): {', '.join(NETWORKS)}")
    p.add_argument("--indicators", default=None,
                   help="comma-separated indicator ids, or a theme name (default: the pack's key indicators)")
    p.add_argument("--format", choices=PACK_FORMATS, default=None, help="file format (default: from --out's suffix)")
    p.add_argument("--out", type=Path, required=True, help="file to write (.pdf, .xlsx or .pptx)")
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    p.add_argument("--lookup", type=Path, default=None, help=LOOKUP_HELP)
    p.add_argument("--method", choices=PACK_METHODS, default=None, help=METHOD_HELP)
    p.add_argument("--scenario", type=Path, default=None, metavar="FILE", help=SCENARIO_HELP)
    p.set_defaults(run=run_pack)


LOOKUP_HELP = ("CSV of LSOA code -> locality to use instead of the pack's locality method (as the "
               "comparison tab's lookup); the pages name it as the method in use")


def _planner(args):
    """The pack, with the supplied lookup's localities when ``--lookup`` is given and a what-if's changes
    with ``--scenario`` (a bad file stops here with one line naming it, its row and the problem)."""
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.scenarios import command_planner
    return command_planner(DataPack(args.pack), args.lookup, args.scenario, args.method)


def run_map(args: argparse.Namespace) -> int:
    from sthc_desktop.core.indicators import mappable
    from sthc_desktop.export import export_map

    if args.area is not None:
        if args.lookup is not None:
            raise ExportError(args.out, "--area and --lookup cannot be combined (the lookup is of St Helens LSOAs)")
        return run_national_map(args)

    planner = _planner(args)
    try:
        planner.pack.indicator(args.indicator)
    except KeyError:
        raise ExportError(args.out, f"unknown indicator '{args.indicator}' (see `python main.py indicators`)") \
            from None
    if args.indicator not in set(mappable(planner.pack)["id"]):
        raise ExportError(args.out, f"indicator '{args.indicator}' is a borough figure and cannot be mapped "
                                    f"(use `python main.py compare` or a locality pack)")
    if args.period is not None and args.period not in planner.pack.periods(args.indicator):
        raise ExportError(args.out, f"indicator '{args.indicator}' has no period '{args.period}' "
                                    f"(it has {', '.join(planner.pack.periods(args.indicator))})")
    if args.locality and args.locality not in set(planner.localities["lsoa21"]):
        raise ExportError(args.out, f"{args.locality} has no LSOAs under the locality assignment in use "
                                    f"({planner.assignments['lsoa21'].method})")
    view = map_view(planner, args.indicator, args.period, args.locality)
    out = export_map(planner, view, args.out, paper=args.paper, orientation=args.orientation, dpi=args.dpi,
                     fmt=args.format, overwrite=args.overwrite)
    print(f"wrote {out}")
    return 0


def run_national_map(args: argparse.Namespace) -> int:
    """``export map --area``: the national map of an England-scale pack, whole or zoomed to a district."""
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.england import ENGLAND, England, NationalView
    from sthc_desktop.export.national_map import export_national_map

    if args.locality is not None or args.period is not None:
        raise ExportError(args.out, f"--area cannot be combined with --{'locality' if args.locality else 'period'} "
                                    f"(Care Communities are St Helens-only; national maps show IoD2019)")
    pack = DataPack(args.pack)
    if pack.scope != "england":
        raise ExportError(args.out, f"--area needs an England-scale pack; {pack.path.name} is the borough pack "
                                    f"(build one with `python main.py build-geodata --scope england --out DIR`)")
    england = England(pack)
    try:
        england.meta(args.indicator)
        district = None if args.area.strip().lower() == ENGLAND.lower() else england.district_name(args.area)
        england.extent(district)
    except KeyError as exc:
        raise ExportError(args.out, exc.args[0]) from None
    view = NationalView(indicator_id=args.indicator, district=district)
    out = export_national_map(england, view, args.out, paper=args.paper, orientation=args.orientation,
                              dpi=args.dpi, fmt=args.format, overwrite=args.overwrite)
    print(f"wrote {out}")
    return 0


def map_view(planner, indicator_id: str, period: str | None, locality: str | None):
    """The view the dialog would export for the same choices: zoomed to and focused on a locality."""
    from sthc_desktop.core.view import MapView
    view = MapView(indicator_id=indicator_id, period=period)
    if locality:
        view = view.with_(focus=locality, extent=planner.locality_bounds(locality))
    return view


def run_pack(args: argparse.Namespace) -> int:
    from sthc_desktop.export import export_pack
    from sthc_desktop.export.locality_pack import choose_indicators

    planner = _planner(args)
    indicators = choose_indicators(planner, args.indicators, out=args.out)
    out = export_pack(planner, args.out, localities=args.localities, indicators=indicators,
                      overwrite=args.overwrite, fmt=args.format,
                      progress=lambda done, total, label: print(f"  page {done}/{total}: {label}"))
    print(f"wrote {out}")
    return 0
