"""Build the self-contained app folder ``dist/sthc-desktop/`` with PyInstaller.

``python3 packaging/build_bundle.py`` (from anywhere) installs nothing: it needs PyInstaller and the
app's own dependencies in the running Python (``python3 -m pip install -e . pyinstaller``). The folder
holds ``sthc-desktop`` (the commands, with a console), ``sthc-desktop-gui`` (the app) and everything
they need, the data pack and matplotlib's fonts included; copy it anywhere and run it, no Python
needed. It then runs ``packaging/smoke_test.py`` on it (``--no-test`` skips that).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from smoke_test import folder_size
from smoke_test import main as smoke_test

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "sthc_desktop.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "sthc-desktop"


def main() -> int:
    started = time.perf_counter()
    status = subprocess.call([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                              "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
                              str(SPEC)], cwd=ROOT)
    if status:
        print(f"error: PyInstaller failed (exit {status})", file=sys.stderr)
        return status
    print(f"built {BUNDLE} ({folder_size(BUNDLE) / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    return 0 if "--no-test" in sys.argv[1:] else smoke_test([str(BUNDLE)])


if __name__ == "__main__":
    sys.exit(main())
