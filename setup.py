"""The packages of the wheel. The bundled data pack stays at ``geodata/`` in the source tree and is
shipped inside the package as ``sthc_desktop/geodata/`` (found with importlib.resources, see
``sthc_desktop/core/bundled_pack.py``). Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["sthc_desktop*"]) + ["sthc_desktop.geodata"],
    package_dir={"sthc_desktop.geodata": "geodata"},
    package_data={"sthc_desktop.geodata": ["st_helens.gpkg", "st_helens.manifest.json"]},
)
