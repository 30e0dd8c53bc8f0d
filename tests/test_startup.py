"""Clear start-up failures: where Qt cannot open a window (no display, missing system libraries),
`python main.py` says in one line what is missing and how to fix it, instead of Qt aborting."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT
from sthc_desktop.ui.display_check import startup_problem


def test_no_display_is_one_line_naming_display_not_an_abort(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr  # Qt's own failure is exit 134 (abort)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISPLAY" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]


def test_missing_x11_libraries_are_named_with_their_packages():
    absent = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"}  # a fresh Debian machine

    def load(name):
        if name in absent:
            raise OSError(f"{name}: cannot open shared object file")
    line = startup_problem({"DISPLAY": ":0"}, "linux", load)
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 (" in line.replace("`", "")
    assert startup_problem({"DISPLAY": ":0"}, "linux", lambda name: None) is None
    assert startup_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", load) is None
    assert startup_problem({}, "win32", load) is None
    assert "WAYLAND_DISPLAY" in startup_problem({"QT_QPA_PLATFORM": "wayland"}, "linux", load)
