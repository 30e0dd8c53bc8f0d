"""Where the files shipped with the app are: the St Helens data pack and the app's resources.

The source tree keeps them at ``geodata/`` and ``resources/``. A wheel and the self-contained
bundle carry them inside the package as ``sthc_desktop/geodata/`` and ``sthc_desktop/resources/``
(``setup.py`` maps the folders there), found with :mod:`importlib.resources`; a source checkout
that is not installed uses the folders beside the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACK_FILE = "st_helens.gpkg"
#: The source checkout (two levels above this file).
SOURCE_ROOT = Path(__file__).resolve().parents[2]


def shipped_folder(name: str, marker: str) -> Path:
    """The folder ``name`` shipped with the app, the one holding the file ``marker``."""
    inside = files("sthc_desktop") / name
    # A GeoPackage is SQLite and needs a real file, so only a package installed as plain files counts.
    if isinstance(inside, Path) and (inside / marker).is_file():
        return inside
    return SOURCE_ROOT / name


def bundled_folder() -> Path:
    """The folder holding the shipped pack and its manifest."""
    return shipped_folder("geodata", PACK_FILE)


def bundled_pack() -> Path:
    return bundled_folder() / PACK_FILE


def resource(name: str) -> Path:
    """A file of ``resources/`` (the app icon, the desktop launcher entry)."""
    return shipped_folder("resources", name) / name
