"""``python main.py export map|pack …``: the briefing map of a view, or a locality pack.

The command fills in the same :class:`~sthc_desktop.export.request.ExportRequest` the Export dialog
fills in, and runs it through the same check and export on a worker thread, printing its progress on
stderr ("page 3 of 10: North"); Ctrl+C cancels and leaves no file. So a command and the dialog give
the same file for the same choices. ``--locality`` is the map's "Zoom to" and ``--focus`` its
"Focus on". ``--scenario FILE`` applies a what-if (:mod:`~sthc_desktop.core.scenarios`) and ``--method``
picks the locality method; ``--lookup FILE`` assigns LSOAs to Care Communities from a supplied CSV
through :func:`~sthc_desktop.core.localities.lookup_assignments`, as the comparison tab and
``compare --lookup`` do, so a pack made under a lookup in the app can be made again here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sthc_desktop.core.errors import ExportError
from sthc_desktop.core.networks import NETWORKS, PACK_METHODS
from sthc_desktop.core.view import LAYERS
from sthc_desktop.export.files import DEFAULT_DPI, FORMATS as PAGE_FORMATS, MAX_DPI, MIN_DPI, PRINT_DPI
from sthc_desktop.export.formats import MAP_FORMATS, PACK_FORMATS, SLIDES
from sthc_desktop.render.paper import ORIENTATIONS, PAPER_SIZES

from .options import METHOD_HELP, OVERWRITE_HELP, SCENARIO_HELP

LOOKUP_HELP = ("CSV of LSOA code -> locality to use instead of the pack's locality method (as the "
               "comparison tab's lookup); the pages name it as the method in use")


def register(subparsers, common) -> None:
    from sthc_desktop.core.vocabulary import Scheme

    export = subparsers.add_parser("export", help="export a briefing map or a locality pack")
    kinds = export.add_subparsers(dest="export_kind", required=True)

    # No argparse ``choices``: every value is checked by the request check the dialog uses, one line.
    m = kinds.add_parser("map", parents=[common],
                         help="the briefing map of one indicator (PDF, SVG or PNG), the data behind it "
                              "(XLSX) or its layers for GIS (GeoPackage)")
    m.add_argument("--indicator", required=True, help="indicator id (see `python main.py indicators`)")
    m.add_argument("--period", default=None, help="period (default: the latest)")
    m.add_argument("--scheme", default=None, help=f"classification: {', '.join(Scheme)} (default: the "
                                                  "indicator's own, national deciles where it has them)")
    m.add_argument("--classes", type=int, default=None, help="number of classes, 2-9 (default 5)")
    m.add_argument("--hide", action="append", default=[], metavar="LAYER",
                   help=f"a layer to leave off (repeatable): {', '.join(LAYERS)}")
    m.add_argument("--locality", default=None, metavar="NAME",
                   help=f"zoom to one Care Community, as the map's \"Zoom to\": {', '.join(NETWORKS)}")
    m.add_argument("--focus", default=None, metavar="NAME",
                   help="highlight one Care Community and dim the others, as the map's \"Focus on\"")
    m.add_argument("--area", default=None, metavar="NAME",
                   help="England-scale pack only: map 'England' or any local authority district by name "
                        "(e.g. Knowsley) instead of the St Helens Care Communities")
    m.add_argument("--paper", default="A4", help=f"{' or '.join(PAPER_SIZES)} (default A4)")
    m.add_argument("--orientation", default="portrait", help=f"{' or '.join(ORIENTATIONS)} (default portrait)")
    m.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                   help=f"PNG resolution, {MIN_DPI}-{MAX_DPI} ({DEFAULT_DPI} default, {PRINT_DPI} for print)")
    m.add_argument("--format", default=None, help=f"{', '.join(MAP_FORMATS)} (default: from --out's suffix)")
    m.add_argument("--out", type=Path, required=True, help="file to write")
    m.set_defaults(run=run_map)

    p = kinds.add_parser("pack", parents=[common],
                         help="the locality pack: a multi-page PDF for board papers, its tables as a "
                              "workbook (XLSX) or a slide deck (PPTX)")
    p.add_argument("--localities", nargs="+", default=list(NETWORKS), metavar="NAME",
                   help=f"Care Communities to include (default: all): {', '.join(NETWORKS)}")
    p.add_argument("--indicators", default=None,
                   help="comma-separated indicator ids, or a theme name (default: the pack's key indicators)")
    p.add_argument("--format", default=None, help=f"{', '.join(PACK_FORMATS)} (default: from --out's suffix)")
    p.add_argument("--out", type=Path, required=True, help="file to write (.pdf, .xlsx or .pptx)")
    p.set_defaults(run=run_pack)

    for parser in (m, p):
        parser.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
        parser.add_argument("--lookup", type=Path, default=None, help=LOOKUP_HELP)
        parser.add_argument("--method", default=None, help=f"{METHOD_HELP}: {', '.join(PACK_METHODS)}")
        parser.add_argument("--scenario", type=Path, default=None, metavar="FILE", help=SCENARIO_HELP)


def run_map(args: argparse.Namespace) -> int:
    if args.area is not None:
        return run_national_map(args)
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.view import MapView
    from sthc_desktop.export.request import MAP, ExportRequest, planner_for

    pack = DataPack(args.pack)
    request = ExportRequest(MAP, args.out, format=args.format, indicator=args.indicator, period=args.period,
                            scheme=args.scheme, classes=args.classes or MapView.classes,
                            layers={name: False for name in args.hide} or None, zoom=args.locality,
                            focus=args.focus, **_page(args), **_setup(args, pack))
    return run(request, planner_for(request, pack))


def run_national_map(args: argparse.Namespace) -> int:
    """``export map --area``: the national map of an England-scale pack, whole or zoomed to a district."""
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.england import England, NationalView
    from sthc_desktop.export.request import NATIONAL_MAP, ExportRequest

    for option in ("lookup", "method", "scenario"):
        if getattr(args, option) is not None:
            raise ExportError(args.out, f"--area and --{option} cannot be combined (Care Communities are "
                                        "St Helens-only)")
    pack = DataPack(args.pack)
    if pack.scope != "england":
        raise ExportError(args.out, f"--area needs an England-scale pack; {pack.path.name} is the borough pack "
                                    f"(build one with `python main.py build-geodata --scope england --out DIR`)")
    request = ExportRequest(NATIONAL_MAP, args.out, format=args.format, indicator=args.indicator,
                            period=args.period, scheme=args.scheme, classes=args.classes or NationalView.classes,
                            zoom=args.locality, focus=args.focus, area=args.area, **_page(args))
    return run(request, England(pack))


def run_pack(args: argparse.Namespace) -> int:
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.export.request import PACK, ExportRequest, planner_for

    pack = DataPack(args.pack)
    request = ExportRequest(PACK, args.out, format=args.format, localities=tuple(args.localities),
                            indicators=args.indicators, overwrite=args.overwrite, **_setup(args, pack))
    return run(request, planner_for(request, pack))


def _page(args) -> dict:
    return dict(paper=args.paper, orientation=args.orientation, dpi=args.dpi, overwrite=args.overwrite)


def _setup(args, pack) -> dict:
    """The locality setup: ``--method``, or ``--lookup``'s assignments, with ``--scenario``'s changes (a bad
    file stops here with one line naming it, its row and the problem)."""
    from sthc_desktop.core import scenarios
    from sthc_desktop.core.localities import lookup_assignments
    return dict(method=args.method, lookup=lookup_assignments(pack, args.lookup) if args.lookup else None,
                scenario=scenarios.read_file(args.scenario, pack) if args.scenario else None)


def run(request, source) -> int:
    """Run ``request`` on a worker thread, its progress on stderr; Ctrl+C cancels (no file is left)."""
    from sthc_desktop.export import ExportJob

    job = ExportJob(request, source, progress=progress_line(request)).start()
    try:
        out = job.wait()
    except KeyboardInterrupt:
        job.cancel()
        out = job.wait()  # raises ExportCancelled once the worker stops, between pages
    print(f"wrote {out}")
    return 0


def progress_line(request):
    """progress(done, total, label) printing "page 3 of 10: North" on stderr: one line rewritten in
    place on a terminal, a line a step otherwise (a log)."""
    suffix = (request.format or request.out.suffix.lstrip(".")).lower()
    step = "page" if suffix in PAGE_FORMATS else "slide" if suffix == SLIDES else "step"

    def show(done: int, total: int, label: str) -> None:
        stream = sys.stderr
        live = stream.isatty()
        start, end = ("\r\033[K" if live else ""), ("" if live and done < total else "\n")
        stream.write(f"{start}{step} {done} of {total}: {label}{end}")
        stream.flush()
    return show
