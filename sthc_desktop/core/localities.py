"""The four Care Communities (localities) and the ways small areas are assigned to them.

Care Communities are defined by their practices (each is a Primary Care Network), so an
LSOA has no single official locality. This module owns the network names and colours
and the assignment methods of METHODS.md: nearest practice (the default) and a supplied
LSOA -> locality lookup. Every assignment carries a method statement to print on outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import DataError

#: Network names as the strategic plan writes them, in map-key order.
NETWORKS: tuple[str, ...] = ("Central", "Newton & Haydock", "North", "South")

#: One colour per network, used on every map, chart and table (Okabe-Ito, colour-blind safe).
NETWORK_COLOURS: dict[str, str] = {
    "Central": "#0072B2",
    "Newton & Haydock": "#E69F00",
    "North": "#009E73",
    "South": "#CC79A7",
}

#: ODS PCN names of the four networks (ePCN), mapped to the plan's names.
PCN_NAME_TO_NETWORK: dict[str, str] = {
    "ST HELENS CENTRAL PCN": "Central",
    "NEWTON AND HAYDOCK PCN": "Newton & Haydock",
    "ST HELENS NORTH PCN": "North",
    "ST HELENS SOUTH PCN": "South",
}

NEAREST_PRACTICE = "nearest practice"
SUPPLIED_LOOKUP = "supplied lookup"


@dataclass(frozen=True)
class Assignment:
    """Which locality each small area belongs to, and how that was decided."""

    method: str
    statement: str
    localities: pd.Series  # index: area code, values: network name

    def __post_init__(self):
        unknown = set(self.localities.dropna()) - set(NETWORKS)
        if unknown:
            raise ValueError(f"unknown locality {sorted(unknown)[0]!r}")


def nearest_practice(areas: gpd.GeoDataFrame, code_column: str,
                     practices: gpd.GeoDataFrame) -> Assignment:
    """Assign each area to the network of the active practice nearest a point inside it.

    Distances are straight lines in British National Grid metres from the area's
    representative point (always inside the polygon) to the practice's postcode centroid.
    Ties (practices sharing a postcode) go to the lowest ODS code, so the result is stable.
    """
    active = practices[(practices["status"] == "active") & practices.geometry.notna()]
    active = active.sort_values("ods_code")
    if active.empty:
        raise DataError(None, "no active practice with a location: cannot assign localities")
    px = active.geometry.x.to_numpy()
    py = active.geometry.y.to_numpy()
    points = areas.geometry.representative_point()
    dx = points.x.to_numpy()[:, None] - px[None, :]
    dy = points.y.to_numpy()[:, None] - py[None, :]
    nearest = np.argmin(np.hypot(dx, dy), axis=1)  # argmin keeps the first (lowest code) on ties
    localities = pd.Series(active["network"].to_numpy()[nearest],
                           index=pd.Index(areas[code_column].to_numpy(), name=code_column),
                           name="locality")
    statement = ("Nearest practice: each LSOA is assigned to the Care Community of the active "
                 "practice nearest a point inside it (straight-line distance to the practice's "
                 "postcode centroid).")
    return Assignment(NEAREST_PRACTICE, statement, localities)


def locality_outlines(areas: gpd.GeoDataFrame, localities: pd.Series, code_column: str) -> gpd.GeoDataFrame:
    """Dissolve small areas into one outline per locality.

    The 2011 LSOA boundaries have sub-centimetre cracks between neighbours, so each
    polygon is grown by 5 cm before the union and shrunk back after it.
    """
    joined = areas[[code_column, "geometry"]].copy()
    joined["locality"] = joined[code_column].map(localities)
    joined = joined.dropna(subset=["locality"])
    rows = []
    for name in NETWORKS:
        part = joined[joined["locality"] == name]
        if part.empty:
            continue
        shape = part.geometry.buffer(0.05).union_all().buffer(-0.05)
        rows.append({"locality": name, "colour": NETWORK_COLOURS[name], "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=areas.crs)
