"""``python main.py export map|pack …``: the briefing map of a view, or a locality pack.

The command builds the same :class:`~sthc_desktop.core.view.MapView` and arguments the
Export dialog builds and calls the same export functions, so both give the same file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sthc_desktop.core.errors import ExportError
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.export.files import DEFAULT_DPI, FORMATS
from sthc_desktop.render.briefing import ORIENTATIONS, PAPER_SIZES


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help="export a briefing map or a locality pack")
    kinds = export.add_subparsers(dest="export_kind", required=True)

    m = kinds.add_parser("map", help="the briefing map of one indicator (PDF, SVG or PNG)")
    m.add_argument("--indicator", required=True, help="indicator id (see `python main.py indicators`)")
    m.add_argument("--period", default=None, help="period (default: the latest)")
    m.add_argument("--locality", choices=NETWORKS, default=None, help="zoom to and focus on one Care Community")
    m.add_argument("--paper", choices=tuple(PAPER_SIZES), default="A4")
    m.add_argument("--orientation", choices=ORIENTATIONS, default="portrait")
    m.add_argument("--dpi", type=int, default=DEFAULT_DPI, help="PNG resolution (150 default, 300 for print)")
    m.add_argument("--format", choices=FORMATS, default=None, help="file format (default: from --out's suffix)")
    m.add_argument("--out", type=Path, required=True, help="file to write")
    m.set_defaults(run=run_map)

    p = kinds.add_parser("pack", help="the locality pack: a multi-page PDF for board papers")
    p.add_argument("--localities", nargs="+", choices=NETWORKS, default=list(NETWORKS), metavar="NAME",
                   help=f"Care Communities to include (default: all): {', '.join(NETWORKS)}")
    p.add_argument("--indicators", default=None,
                   help="comma-separated indicator ids, or a theme name (default: the pack's key indicators)")
    p.add_argument("--out", type=Path, required=True, help="PDF file to write")
    p.set_defaults(run=run_pack)


def _planner(args):
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    return Planner(DataPack(args.pack))


def run_map(args: argparse.Namespace) -> int:
    from sthc_desktop.core.indicators import mappable
    from sthc_desktop.export import export_map

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
    if args.dpi < 36 or args.dpi > 1200:
        raise ExportError(args.out, f"--dpi {args.dpi} is outside 36–1200")
    view = map_view(planner, args.indicator, args.period, args.locality)
    out = export_map(planner, view, args.out, paper=args.paper, orientation=args.orientation, dpi=args.dpi,
                     fmt=args.format)
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
                      progress=lambda done, total, label: print(f"  page {done}/{total}: {label}"))
    print(f"wrote {out}")
    return 0
