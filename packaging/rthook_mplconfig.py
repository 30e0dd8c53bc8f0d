# Runs in the bundle before the app, in place of PyInstaller's own hook, which points matplotlib at a
# new temporary folder on every run (so each start rebuilt the font cache, seconds each time). Use
# the user's cache folder instead, as matplotlib does outside a bundle.
import os
import sys

_base = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else os.environ.get("XDG_CACHE_HOME")
os.environ["MPLCONFIGDIR"] = os.path.join(_base or os.path.join(os.path.expanduser("~"), ".cache"),
                                          "St Helens Cares", "matplotlib")
