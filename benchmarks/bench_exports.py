"""Export speed on the bundled borough pack.

Prints, for each goal, the median of a few runs, a baseline measured in the same run, and PASS/MISS:
- a single A4 portrait briefing map as PNG at 150 dpi (goal ≤ 1 s), against a bare
  ``GeoDataFrame.plot()`` of the 119 2011 LSOAs saved as PNG at the same size and dpi;
- the 4-locality pack, all ten pages as PDF (goal ≤ 2.5 s), against the same bare plot saved as a
  ten-page PDF.

Whole processes first (the goals): ``python3 main.py export map|pack`` and a bare script doing the
same plot from its own start (imports, reading the pack, writing), in turn, median of ``--runs``
after a warm-up, CPU seconds and peak memory beside; ``compare`` beside a bare script writing the
pack's indicator values as CSV; and the start-up floor, Python with the map's libraries imported. Then the work alone, in this process: the pack opened once (as
the app and the command do), each run with a fresh :class:`Planner`, so nothing computed by one run
is reused by the next. ``--profile`` prints the cProfile hot spots of one run of each.
Run: ``python3 benchmarks/bench_exports.py [--runs N] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import subprocess
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

from processes import compare, load  # noqa: E402  (same folder: whole-process timing)

MAP_GOAL, PACK_GOAL = 1.0, 2.5
PACK_PAGES = 10

#: The baseline as a whole process: read the 119 LSOAs, plot them bare, save a PNG or a PDF of n pages.
BARE_SCRIPT = """
import sys
import geopandas as gpd
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
out, pages = sys.argv[1], int(sys.argv[2])
lsoas = gpd.read_file(sys.argv[3], layer="lsoa11")
def plot():
    fig = Figure(figsize=(8.27, 11.69))
    lsoas.plot(ax=fig.add_subplot())
    return fig
if out.endswith(".png"):
    plot().savefig(out, dpi=150)
else:
    from matplotlib.backends.backend_pdf import PdfPages
    with PdfPages(out) as pdf:
        for _ in range(pages):
            pdf.savefig(plot())
"""


#: The baseline of `compare`: read the pack's indicator values with geopandas and write them as CSV.
BARE_TABLE_SCRIPT = """
import sys
import geopandas as gpd
gpd.read_file(sys.argv[2], layer="indicator_values").to_csv(sys.argv[1], index=False)
"""
#: The floor of any of these commands: Python with the libraries the map draws with imported, nothing done.
LIBRARIES_ONLY = "import geopandas, matplotlib.figure, matplotlib.backends.backend_agg, PIL.PngImagePlugin"


def whole_processes(out: Path, runs: int) -> None:
    """The goals: each export as a command, from its start to its exit, against the bare script; `compare`
    beside a bare table script; and the libraries alone, the start-up floor."""
    main_py, pack = str(ROOT / "main.py"), str(DataPack().path)
    rows = [("A4 PNG briefing map, 150 dpi", MAP_GOAL,
             ["export", "map", "--indicator", "iod19_imd_score", "--dpi", "150", "--out", str(out / "map.png")],
             ["-c", BARE_SCRIPT, str(out / "bare.png"), "1"]),
            (f"4-locality pack, {PACK_PAGES} pages PDF", PACK_GOAL, ["export", "pack", "--out", str(out / "pack.pdf")],
             ["-c", BARE_SCRIPT, str(out / "bare.pdf"), str(PACK_PAGES)]),
            ("compare, Obesity, CSV", None, ["compare", "--indicators", "Obesity", "--out", str(out / "compare.csv")],
             ["-c", BARE_TABLE_SCRIPT, str(out / "bare.csv")])]
    before = load()
    for name, goal, command, bare in rows:
        r = compare({"ours": [sys.executable, main_py, *command, "--overwrite"],
                     "bare": [sys.executable, *bare, pack]}, runs=runs, cwd=ROOT)
        o, b = r["ours"], r["bare"]
        verdict = f" (goal <= {goal} s) {'PASS' if o['median'] <= goal else 'MISS'}" if goal else ""
        print(f"{name:32s} {o['median']:6.2f} s whole process, {o['cpu']:.2f} s CPU{verdict}; bare script "
              f"{b['median']:.2f} s ({b['cpu']:.2f} s CPU), ratio {o['median'] / b['median']:.1f}x; peak RSS "
              f"{o['rss_mb']:.0f} MB (bare {b['rss_mb']:.0f} MB); spread {o['min']:.2f}-{o['max']:.2f} s")
    floor = compare({"python": [sys.executable, "-c", "pass"], "libraries": [sys.executable, "-c", LIBRARIES_ONLY]},
                    runs=runs, cwd=ROOT)
    print(f"{'start-up floor':32s} {floor['libraries']['median']:6.2f} s, {floor['libraries']['cpu']:.2f} s CPU: "
          f"Python with geopandas, matplotlib's Figure and Agg and PIL's PNG imported, nothing done (Python alone "
          f"{floor['python']['median']:.2f} s)")
    print(f"  ({before} before, {load()} after)\n")


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
        export_map(Planner(pack), MapView(), out / "map.png", paper="A4", orientation="portrait", dpi=150,
                   overwrite=True)  # each run writes the file again

    def locality_pack():
        export_pack(Planner(pack), out / "pack.pdf", overwrite=True)

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sthc_desktop")], check=True)
    print(f"median of {args.runs} runs each after a warm-up, on {pack.path.name}")
    (out / "commands").mkdir()
    whole_processes(out / "commands", args.runs)

    briefing_png(), locality_pack()  # warm: imports, font cache, the pack's lazily read tables
    rows = [("A4 PNG briefing map, 150 dpi", timed(briefing_png, args.runs), timed(bare_png, args.runs),
             "bare GeoDataFrame.plot() of 119 LSOAs, A4 PNG 150 dpi"),
            (f"4-locality pack, {PACK_PAGES} pages PDF", timed(locality_pack, args.runs), timed(bare_pdf, args.runs),
             f"bare GeoDataFrame.plot() of 119 LSOAs x {PACK_PAGES} PDF pages")]
    print("the work alone, after start-up (this process, pack open):")
    for name, seconds, baseline, what in rows:
        print(f"{name:32s} {seconds:6.2f} s   baseline {baseline:5.2f} s: {what}; ratio {seconds / baseline:4.1f}x")

    if args.profile:
        for name, fn in (("briefing map", briefing_png), ("locality pack", locality_pack)):
            profile = cProfile.Profile()
            profile.runcall(fn)
            print(f"\n-- {name}: top 15 by cumulative time")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
