"""Where the St Helens data pack shipped with the app is.

The pack is kept at ``geodata/`` in the source tree. A wheel and the self-contained bundle carry
it inside the package as ``sthc_desktop/geodata/`` (``setup.py`` maps the folder there), found
with :mod:`importlib.resources`; a source checkout that is not installed uses ``geodata/`` beside
the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACK_FILE = "st_helens.gpkg"
#: ``geodata/`` of a source checkout (two levels above this file).
SOURCE_FOLDER = Path(__file__).resolve().parents[2] / "geodata"


def bundled_folder() -> Path:
    """The folder holding the shipped pack and its manifest."""
    inside = files("sthc_desktop") / "geodata"
    # A GeoPackage is SQLite and needs a real file, so only a package installed as plain files counts.
    if isinstance(inside, Path) and (inside / PACK_FILE).is_file():
        return inside
    return SOURCE_FOLDER


def bundled_pack() -> Path:
    return bundled_folder() / PACK_FILE
