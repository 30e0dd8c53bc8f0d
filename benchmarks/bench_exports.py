"""Export speed on the bundled borough pack.

Prints, for each goal, the median of a few runs, a baseline measured in the same run, and PASS/MISS:
- a single A4 portrait briefing map as PNG at 150 dpi (goal ≤ 1 s), against a bare
  ``GeoDataFrame.plot()`` of the 119 2011 LSOAs saved as PNG at the same size and dpi;
- a 4-locality pack, cover + overview + four locality pages + notes (goal ≤ 5 s), against the
  same bare plot saved as a seven-page PDF.

The data pack is opened once (as the app and the command do) and each run starts with a fresh
:class:`Planner`, so nothing computed by one run is reused by the next. ``--profile`` prints the
cProfile hot spots of one run of each. Run: ``python3 benchmarks/bench_exports.py [--runs N] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sthc_desktop.core.datapack import DataPack  # noqa: E402
from sthc_desktop.core.planner import Planner  # noqa: E402
from sthc_desktop.core.view import MapView  # noqa: E402
from sthc_desktop.export import export_map, export_pack  # noqa: E402
from sthc_desktop.render.page import page_size  # noqa: E402

MAP_GOAL, PACK_GOAL = 1.0, 5.0
PACK_PAGES = 7


def timed(fn, runs: int) -> float:
    """Median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print cProfile hot spots of one run of each")
    args = parser.parse_args()

    pack = DataPack()
    lsoas = pack.layer("lsoa11")
    size = page_size("A4", "portrait")
    out = Path(tempfile.mkdtemp(prefix="bench_exports_"))

    def bare_plot() -> Figure:
        fig = Figure(figsize=size)
        lsoas.plot(ax=fig.add_subplot())
        return fig

    def bare_png():
        bare_plot().savefig(out / "bare.png", dpi=150)

    def bare_pdf():
        with PdfPages(out / "bare.pdf") as pdf:
            for _ in range(PACK_PAGES):
                pdf.savefig(bare_plot())

    def briefing_png():
        export_map(Planner(pack), MapView(), out / "map.png", paper="A4", orientation="portrait", dpi=150)

    def locality_pack():
        export_pack(Planner(pack), out / "pack.pdf")

    briefing_png(), locality_pack()  # warm: imports, font cache, the pack's lazily read tables
    rows = [("A4 PNG briefing map, 150 dpi", timed(briefing_png, args.runs), timed(bare_png, args.runs),
             MAP_GOAL, "bare GeoDataFrame.plot() of 119 LSOAs, A4 PNG 150 dpi"),
            ("4-locality pack, 7 pages PDF", timed(locality_pack, args.runs), timed(bare_pdf, args.runs),
             PACK_GOAL, "bare GeoDataFrame.plot() of 119 LSOAs x 7 PDF pages")]
    print(f"median of {args.runs} runs each, on {pack.path.name}")
    for name, seconds, baseline, goal, what in rows:
        verdict = "PASS" if seconds <= goal else "MISS"
        print(f"{name:32s} {seconds:6.2f} s  (goal <= {goal:.0f} s) {verdict}   "
              f"baseline {baseline:5.2f} s: {what}; ratio {seconds / baseline:4.1f}x")

    if args.profile:
        for name, fn in (("briefing map", briefing_png), ("locality pack", locality_pack)):
            profile = cProfile.Profile()
            profile.runcall(fn)
            print(f"\n-- {name}: top 15 by cumulative time")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
