"""The data-pack builder: reads the official open data and writes ``geodata/st_helens.gpkg``.

Run it with ``python main.py build-geodata --source ../shared/data --out geodata/``.
The pack is the project's own compilation; the raw official files are never committed.
"""

from .pack import build_pack

__all__ = ["build_pack"]
