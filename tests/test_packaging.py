"""In users' hands: the wheel carries the data pack and a non-editable install opens it from anywhere;
the installed app writes its settings, autosave and log only to the per-user folders, never beside
the program, even when the program's folder is read-only.

Packaging test: builds a wheel from a copy of the source (about 10 s; needs setuptools from the
package index, as ``pip install .`` does) and installs it with ``pip install --target``.
The self-contained bundle is not built here: ``packaging/build_bundle.py`` and
``packaging/smoke_test.py`` do that (minutes of CPU).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ("pyproject.toml", "setup.py", "README.md", "sthc_desktop", "geodata", "resources")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from a copy of the source tree, installed into a folder of its own."""
    base = tmp_path_factory.mktemp("packaging")
    src = base / "src"
    src.mkdir()
    for name in SOURCE:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                         if (ROOT / name).is_dir() else {}))
    wheels = base / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("sthc_desktop-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert {"sthc_desktop/geodata/st_helens.gpkg", "sthc_desktop/geodata/st_helens.manifest.json",
            "sthc_desktop/resources/app_icon.svg", "sthc_desktop/resources/sthc-desktop-gui.desktop"} <= names
    assert "[console_scripts]\nsthc-desktop = sthc_desktop.cli:console" in entry_points
    assert "[gui_scripts]\nsthc-desktop-gui = sthc_desktop.cli:gui" in entry_points
    target = base / "program"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def run_installed(program: Path, args: list[str], cwd: Path, env: dict | None = None):
    """A command of the installed copy, from a folder outside the source tree (``-P``: not the cwd first)."""
    env = {**(env or os.environ), "PYTHONPATH": str(program), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-P", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_installed_package_opens_its_own_pack(installed, tmp_path):
    where = run_installed(installed, ["-c", "import sthc_desktop.core.datapack as d; print(d.BUNDLED_PACK)"],
                          tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()) == installed / "sthc_desktop" / "geodata" / "st_helens.gpkg"
    listing = run_installed(installed, ["-m", "sthc_desktop", "indicators", "--json"], tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "qof_obesity" in {row["id"] for row in json.loads(listing.stdout)}
    script = installed / "bin" / "sthc-desktop"  # the console entry point pip wrote
    out = tmp_path / "obesity.csv"
    done = run_installed(installed, [str(script), "compare", "--indicators", "qof_obesity", "--out", str(out)],
                         tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("indicator_id,")


APP_SESSION = """
import json, sys
from sthc_desktop.ui.app import application, log_path
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.planner import Planner
from sthc_desktop.ui import workspace_actions
from sthc_desktop.ui.main_window import MainWindow
from sthc_desktop.ui.settings import settings

app = application()
window = MainWindow(Planner(DataPack()))
window.show()
window.model.set_indicator("qof_obesity")   # a change worth keeping: the autosave timer's job
window.autosave()
autosave = workspace_actions.data_folder() / "autosave.sthc"
found = {"autosave": str(autosave), "autosaved": autosave.is_file(), "log": str(log_path()),
         "settings": settings().fileName(), "icon": not app.windowIcon().pixmap(32).isNull()}
window.close()                              # a clean close: settings written, autosave cleared
print(json.dumps(found))
"""


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_read_only_program_and_a_fresh_home_keep_settings_and_autosave_per_user(installed, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"))
    before = snapshot(installed)
    modes = {p: p.stat().st_mode for p in [installed, *installed.rglob("*")]}
    for p in modes:  # read-only for everyone (root still may write, so the snapshot below checks too)
        p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
    try:
        done = run_installed(installed, ["-c", APP_SESSION], tmp_path, env)
    finally:
        for p, mode in modes.items():
            p.chmod(stat.S_IMODE(mode))
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    data = home / ".local/share" / "St Helens Cares" / "Locality Planner"
    assert found["autosaved"] and Path(found["autosave"]) == data / "autosave.sthc"
    assert Path(found["log"]).parent == data
    assert found["icon"], "the installed app found no window icon in its resources"
    settings = Path(found["settings"])
    assert settings == home / ".config" / "St Helens Cares" / "Locality Planner.ini"
    assert "qof_obesity" in settings.read_text()
    assert snapshot(installed) == before  # nothing written beside the program
