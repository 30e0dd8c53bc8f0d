"""The England choropleth side by side with QGIS, both as whole processes in the same run.

The map: 32,844 LSOAs 2011 coloured by IMD 2019 score in ten quantile classes, an A4 portrait
PNG at 150 dpi (1240 x 1754 pixels), from an England-scale pack.
- ours: ``python3 main.py export map --area England --indicator iod19_imd_score --dpi 150`` (the
  whole briefing page: title, legend, notes; drawn from the pack's simplified overview shapes);
- QGIS, headless through PyQGIS: start QgsApplication, load the pack's full-detail LSOA layer,
  a graduated renderer on the score (quantiles, 10 classes, no outlines), render the layer's
  extent to a 1240 x 1754 image at 150 dpi, save it as PNG (the map alone, no page furniture).

Each is timed from its start to its exit (Python's start, imports, reading the pack, drawing,
writing), one warm-up run of each, then ``--runs`` rounds taking them in turn; the medians, their
ratio (goal: ours at most 0.5x QGIS) and each one's peak memory (goal: ours no higher) are printed
with the machine's load. Where PyQGIS is not installed (``apt-get install python3-qgis``), it says
so and prints ours only.

Run: ``python3 benchmarks/bench_england_qgis.py [--pack england.gpkg] [--runs 5]``. Without
``--pack`` it builds the national pack into the temporary folder first (about 20 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_england import pack_arguments  # same folder: the England benchmark's options and pack
from bench_map import ROOT
from processes import compare, load

RATIO_GOAL = 0.5

QGIS_MAP = """
import sys
from qgis.core import (QgsApplication, QgsClassificationQuantile, QgsFillSymbol, QgsGradientColorRamp,
                       QgsGraduatedSymbolRenderer, QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

pack, out = sys.argv[1:3]
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorLayer(f"{pack}|layername=england_lsoa11", "LSOAs", "ogr")
if not layer.isValid():
    sys.exit(f"QGIS cannot open {pack}")
renderer = QgsGraduatedSymbolRenderer("iod19_imd_score")
renderer.setSourceSymbol(QgsFillSymbol.createSimple({"outline_style": "no"}))
renderer.setClassificationMethod(QgsClassificationQuantile())
renderer.updateClasses(layer, 10)
renderer.updateColorRamp(QgsGradientColorRamp(QColor("#fde725"), QColor("#440154")))
layer.setRenderer(renderer)
settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(layer.crs())
settings.setExtent(layer.extent())
settings.setOutputSize(QSize(1240, 1754))
settings.setOutputDpi(150)
settings.setBackgroundColor(QColor("white"))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
if not job.renderedImage().save(out, "png") or len(renderer.ranges()) != 10:
    sys.exit("QGIS did not draw ten classes")
"""


def qgis_python() -> str | None:
    """A Python that imports PyQGIS: this one, or the system's (where Debian's python3-qgis installs it)."""
    for python in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        if Path(python).exists() and subprocess.run([python, "-c", "import qgis.core"], capture_output=True,
                                                    env=qgis_env()).returncode == 0:
            return python
    return None


def qgis_env() -> dict:
    # Offscreen Qt, and the system Python's own packages rather than this checkout's environment.
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"QT_QPA_PLATFORM": "offscreen"}


def main() -> int:
    args, pack = pack_arguments(__doc__.splitlines()[0], "--runs", 5)
    python = qgis_python()
    with tempfile.TemporaryDirectory() as tmp:
        ours = [sys.executable, str(ROOT / "main.py"), "export", "map", "--area", "England", "--indicator",
                "iod19_imd_score", "--dpi", "150", "--pack", str(pack), "--out", str(Path(tmp) / "ours.png"),
                "--overwrite"]
        commands = {"ours": ours}
        if python is None:
            print("PyQGIS is not installed here (apt-get install python3-qgis): timing ours only")
        else:
            script = Path(tmp) / "qgis_map.py"
            script.write_text(QGIS_MAP)
            commands["qgis"] = [python, str(script), str(pack), str(Path(tmp) / "qgis.png")]
        before = load()
        results = compare(commands, runs=args.runs, env=qgis_env(), cwd=ROOT)
        after = load()
    o = results["ours"]
    print(f"England A4 portrait PNG, 150 dpi, whole process, median of {args.runs} after a warm-up "
          f"({before} before, {after} after)")
    print(f"  ours  : {o['median']:.2f} s (min {o['min']:.2f}, max {o['max']:.2f}), peak RSS {o['rss_mb']:.0f} MB")
    if "qgis" in results:
        q = results["qgis"]
        ratio = o["median"] / q["median"]
        print(f"  QGIS  : {q['median']:.2f} s (min {q['min']:.2f}, max {q['max']:.2f}), peak RSS {q['rss_mb']:.0f} MB")
        print(f"  ratio : ours / QGIS = {ratio:.2f} (goal <= {RATIO_GOAL}) "
              f"{'PASS' if ratio <= RATIO_GOAL else 'MISS'}; "
              f"memory {'PASS' if o['rss_mb'] <= q['rss_mb'] else 'MISS'} (ours no higher than QGIS's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
