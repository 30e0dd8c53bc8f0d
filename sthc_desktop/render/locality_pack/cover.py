"""The locality pack's cover: the borough map, what the pack holds and where its figures come from.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from sthc_desktop.content.pack import DEPRIVATION_MAP, PACK_SUBTITLE, PACK_TITLE, PackData
from sthc_desktop.core.view import MapView

from ..furniture import draw_map
from ..page import Column, Face, Page, fit
from .frame import pack_frame


def cover_page(data: PackData, total: int, face: Face) -> Figure:
    page = Page("A4", "portrait", face)
    k, m = page.k, page.margin
    planner = data.planner
    top, bottom = pack_frame(page, data, PACK_TITLE, PACK_SUBTITLE, 1, total, datasets=["nhs_practices"])
    width = page.width - 2 * m
    map_h = 4.6 * k
    view = MapView(indicator_id=DEPRIVATION_MAP, layers={**MapView().layers, "lsoa_fill": False, "wards": False})
    draw_map(page, planner, view, (m, top - map_h, width, map_h), inset=False)
    pack = planner.pack
    info = pack.info

    def content(col: Column):
        col.text(f"Produced {data.produced.day} {data.produced:%B %Y}", 11, weight="bold", after=3)
        col.text("Localities included: " + ", ".join(data.localities), 10, after=2)
        names = data.catalogue.loc[data.indicators, "name"]
        col.text("Key indicators: " + "; ".join(names), 8.5, after=6)
        col.text("Where the figures come from", 10, weight="bold", after=2)
        # The publishers only: the notes page lists every dataset with its period and licence, and the
        # full table no longer fits under the map.
        publishers = sorted({d.publisher for d in pack.datasets.values()})
        col.text(f"Data pack: {info.get('name', '')} ({pack.path.name}), built from official open data. "
                 f"Every figure in this pack traces to one of its {len(pack.datasets)} datasets, each listed "
                 f"with its period and licence on the Notes page. Publishers: " + "; ".join(publishers) + ".",
                 8, after=4)
        # The method's name, validation error and any what-if; the full statement is on the notes page.
        col.text(f"Care Communities by {planner.assignments['lsoa21'].name} (method and validation: see Notes)",
                 8, after=2)
        if info.get("population_weights"):
            col.text(f"Population weights: {info['population_weights']}", 8, after=2)

    fit(page, [(m, top - map_h - 0.25 * k, width, bottom)], content)
    return page.fig
