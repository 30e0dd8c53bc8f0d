"""What each command loads: the command line reads its arguments and prints its help without pandas,
numpy or matplotlib (every command's options come from plain-Python modules); `compare` writes its
tables without matplotlib; `indicators` and `districts` read the pack's tables without geopandas or
shapely; a PNG map loads neither GDAL, nor the import reader, nor the PDF backend.
Each runs in a fresh interpreter, so a module-level import added back anywhere on the way fails here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

HEAVY = ("pandas", "numpy", "matplotlib", "geopandas", "shapely", "pyogrio", "scipy", "PySide6")

#: Runs the command line on argv (argv[1]) in a fresh interpreter and prints its exit status and which
#: of the modules named in argv[2] it loaded.
CHILD = """
import json, sys
from sthc_desktop.cli import main
try:
    status = main(json.loads(sys.argv[1]))
except SystemExit as exc:
    status = exc.code
print(json.dumps([status, sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)]))
"""


def loaded(argv: list[str], modules=HEAVY) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(argv), json.dumps(modules)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    status, found = json.loads(done.stdout.strip().splitlines()[-1])
    return status, found


@pytest.mark.parametrize("argv", [["--help"], ["export", "map", "--help"], ["export", "pack", "--help"],
                                  ["compare", "--help"], ["districts", "--help"], ["import-check", "--help"],
                                  ["export", "map", "--out", "x.png"]])  # refused: --indicator missing
def test_arguments_and_help_load_no_data_or_drawing_libraries(argv):
    assert loaded(argv) == (0 if "--help" in argv else 2, [])


def test_compare_writes_its_tables_without_matplotlib(tmp_path):
    status, found = loaded(["compare", "--indicators", "qof_obesity", "--out", str(tmp_path / "c.csv")],
                           ("matplotlib", "pandas"))
    assert (status, found) == (0, ["pandas"])
    assert (tmp_path / "c.csv").read_text().startswith("indicator_id,")


def test_a_png_map_loads_neither_gdal_nor_the_import_reader_nor_the_pdf_backend(tmp_path):
    """The pack's layers come straight from SQLite (GDAL only for a bounding-box read); the import reader
    only reads a user's file; the PDF backend (and fontTools) only writes PDFs."""
    status, found = loaded(["export", "map", "--indicator", "iod19_imd_score", "--out", str(tmp_path / "m.png")],
                           ("pyogrio", "sthc_desktop.core.imports", "matplotlib.backends.backend_pdf", "matplotlib"))
    assert (status, found) == (0, ["matplotlib"])
    assert (tmp_path / "m.png").stat().st_size > 0


@pytest.mark.parametrize("argv", [["indicators"], ["districts", "--out", "districts.csv"]])
def test_commands_reading_tables_alone_load_no_shapes_or_drawing(tmp_path, argv):
    """The pack gives its tables as plain frames: geopandas and shapely load with the first map layer."""
    argv = [str(tmp_path / a) if a.endswith(".csv") else a for a in argv]
    assert loaded(argv, ("geopandas", "shapely", "pyproj", "matplotlib", "pandas")) == (0, ["pandas"])
