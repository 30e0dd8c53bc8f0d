"""The packages of the wheel. The bundled data pack and the app's resources stay at ``geodata/`` and
``resources/`` in the source tree and are shipped inside the package as ``sthc_desktop/geodata/`` and
``sthc_desktop/resources/`` (found with importlib.resources, see ``sthc_desktop/core/bundled_pack.py``).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["sthc_desktop*"]) + ["sthc_desktop.geodata", "sthc_desktop.resources"],
    package_dir={"sthc_desktop.geodata": "geodata", "sthc_desktop.resources": "resources"},
    package_data={"sthc_desktop.geodata": ["st_helens.gpkg", "st_helens.manifest.json"],
                  "sthc_desktop.resources": ["app_icon.svg", "sthc-desktop-gui.desktop"]},
)
