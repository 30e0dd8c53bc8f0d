"""Whether a window can open here, asked before Qt is started (Qt aborts the process when it cannot).

On Linux, Qt's X11 platform plugin needs system libraries that the PySide6 wheel does not carry;
without them, or without a display, ``QApplication`` ends the process with a long message naming one
of them. :func:`startup_problem` says in one line everything that is missing and how to fix it.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: What Qt's X11 plugin loads from the system, and the Debian/Ubuntu package holding each.
X11_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"), ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"), ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-randr.so.0", "libxcb-randr0"), ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"), ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libGL.so.1", "libgl1"), ("libEGL.so.1", "libegl1"), ("libfontconfig.so.1", "libfontconfig1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
)
#: Platforms that draw without a display server.
HEADLESS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs")


def missing_packages(load=ctypes.CDLL) -> list[str]:
    """The packages of the X11 libraries that cannot be loaded (``load`` opens one by name)."""
    missing = []
    for library, package in X11_LIBRARIES:
        try:
            load(library)
        except OSError:
            missing.append(package)
    return missing


def startup_problem(environ=os.environ, platform: str = sys.platform, load=ctypes.CDLL) -> str | None:
    """One line saying why the app's window cannot open here and how to fix it, or None."""
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if chosen in HEADLESS:
        return None
    if chosen.startswith("wayland") or (not chosen and environ.get("WAYLAND_DISPLAY")):
        if environ.get("WAYLAND_DISPLAY"):
            return None
        return ("QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set: start the app from the desktop "
                "session, or unset QT_QPA_PLATFORM")
    if not environ.get("DISPLAY"):
        return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start the app "
                "from a desktop session, or use the commands (`--help`); QT_QPA_PLATFORM=offscreen runs it unseen")
    missing = missing_packages(load)
    if missing:
        return (f"Qt cannot open a window: system libraries are missing; install them with "
                f"`sudo apt install {' '.join(missing)}` (Debian/Ubuntu), or ask your IT service")
    return None
