"""Map workspace speed and memory on the bundled borough pack.

Prints, for each goal, the figure, a baseline measured in the same run, and PASS/MISS:
- cold start to a drawn borough map (goal ≤ 1.2 s) against a bare Qt window with matplotlib
  imported (the floor any PySide6 + matplotlib app pays);
- switching indicator, redraw included (goal ≤ 30 ms) against a plain
  ``GeoDataFrame.plot(column=…)`` + draw of the same 119 LSOAs at the same size;
- peak memory (RSS) of the cold start (goal ≤ 300 MB) against the bare window.

Wall seconds are the goals'; CPU seconds are printed beside them, steadier on a shared machine.

Run: ``python3 benchmarks/bench_map.py`` (headless: Qt draws offscreen).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ["iod19_imd_score", "iod25_imd_score", "iod19_imd_decile", "qof_obesity", "iod19_income_score",
              "census21_disabled", "iod25_health_decile", "iod19_acute_morbidity"]

COLD_START = """
import time, resource, json, os
t0, c0 = time.perf_counter(), time.process_time()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.planner import Planner
from sthc_desktop.ui.main_window import MainWindow
w = MainWindow(Planner(DataPack()), restore=False)
w.show(); app.processEvents(); w.canvas.draw()
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE_WINDOW = """
import time, resource, json
t0, c0 = time.perf_counter(), time.process_time()
from PySide6.QtWidgets import QApplication, QMainWindow
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
app = QApplication([])
w = QMainWindow(); c = FigureCanvasQTAgg(Figure()); w.setCentralWidget(c)
w.show(); app.processEvents(); c.draw()
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def compile_app() -> None:
    """Compile the app's bytecode first, as an installed app has it after its first start: this
    machine sets PYTHONDONTWRITEBYTECODE, which would otherwise charge every cold start for
    compiling the app's own modules (about 0.5 s)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sthc_desktop")], check=True)


def run_child(code: str, *args) -> dict:
    """Run ``code`` in a fresh interpreter (with ``args`` as sys.argv[1:]); its last line is JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(code: str, runs: int = 3) -> dict:
    results = [run_child(code) for _ in range(runs)]
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def switch_times() -> tuple[dict, dict]:
    """Wall and CPU seconds of one indicator switch and of one baseline redraw (medians)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    import matplotlib.pyplot as plt
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.ui.main_window import MainWindow

    planner = Planner(DataPack())
    window = MainWindow(planner, restore=False)
    window.show()
    app.processEvents()
    canvas = window.canvas
    for ind in INDICATORS:  # first visit of each indicator reads and classifies it once
        window.model.set_indicator(ind)
        canvas.draw()
    ours, ours_cpu = [], []
    for _ in range(3):
        for ind in INDICATORS:
            t, c = time.perf_counter(), time.process_time()
            window.model.set_indicator(ind)
            canvas.draw()
            ours.append(time.perf_counter() - t)
            ours_cpu.append(time.process_time() - c)

    # Baseline: what a plain geopandas choropleth costs per redraw at the same canvas size.
    lsoas = planner.pack.layer("lsoa11").merge(
        planner.pack.indicator_values("iod19_imd_score", "lsoa11")[["area_code", "value"]],
        left_on="code", right_on="area_code")
    width, height = canvas.figure.get_size_inches()
    fig, ax = plt.subplots(figsize=(width, height), dpi=canvas.figure.dpi)
    base, base_cpu = [], []
    for _ in range(len(ours)):
        t, c = time.perf_counter(), time.process_time()
        ax.clear()
        lsoas.plot(column="value", ax=ax, scheme="Quantiles", k=5, cmap="YlOrRd")
        fig.canvas.draw()
        base.append(time.perf_counter() - t)
        base_cpu.append(time.process_time() - c)
    return {"seconds": statistics.median(ours), "cpu": statistics.median(ours_cpu)}, \
        {"seconds": statistics.median(base), "cpu": statistics.median(base_cpu)}


def verdict(value: float, goal: float) -> str:
    return "PASS" if value <= goal else "MISS"


def main() -> None:
    compile_app()
    cold = median_of(COLD_START)
    bare = median_of(BARE_WINDOW)
    switch, baseline = switch_times()
    print(f"Map workspace on the St Helens pack (median of runs; wall, CPU in brackets; load average "
          f"{os.getloadavg()[0]:.1f})")
    print(f"  cold start to drawn map : {cold['seconds']:.2f} s ({cold['cpu']:.2f})   (bare Qt+matplotlib window "
          f"{bare['seconds']:.2f} s ({bare['cpu']:.2f}))   goal ≤ 1.2 s   {verdict(cold['seconds'], 1.2)}")
    print(f"  indicator switch+redraw : {switch['seconds'] * 1000:.0f} ms ({switch['cpu'] * 1000:.0f})  (plain geopandas "
          f"plot+draw {baseline['seconds'] * 1000:.0f} ms ({baseline['cpu'] * 1000:.0f}))   goal ≤ 30 ms   "
          f"{verdict(switch['seconds'], 0.030)}")
    print(f"  peak RSS, cold start    : {cold['rss_mb']:.0f} MB  (bare window {bare['rss_mb']:.0f} MB)"
          f"   goal ≤ 300 MB   {verdict(cold['rss_mb'], 300)}")


if __name__ == "__main__":
    main()
