"""Indicators on the map: one indicator's values joined to the areas (or practices) they
describe, with each area's name and locality.

:func:`indicator_layer` is what the map, the hover tooltip and the details panel read.
Area indicators stay on the boundaries of their own vintage (IoD2019 on LSOA 2011,
IoD2025 and Census 2021 on LSOA 2021); practice indicators sit on the practice points.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from .comparison import publishable, value_is_count
from .datapack import DataPack
from .vocabulary import Geography, Indicator

AREA_GEOGRAPHIES = (Geography.LSOA11, Geography.LSOA21)

#: Order of themes in the picker (imported data is appended after these).
THEMES = ("Deprivation", "Obesity", "Admissions", "Health", "Population", "Practices", "Strategic plan")


@dataclass(frozen=True)
class IndicatorLayer:
    """One indicator for one period, joined to its geography."""

    meta: Indicator
    period: str
    geography: Geography    # LSOA 2011, LSOA 2021 or practice
    frame: gpd.GeoDataFrame  # code, name, locality, value, lower_ci, upper_ci, numerator, denominator, suppressed, geometry

    @property
    def indicator_id(self) -> str:
        return self.meta.id

    @property
    def is_area(self) -> bool:
        return self.geography.is_area

    @property
    def geography_name(self) -> str:
        return self.geography.label

    def row(self, code: str) -> dict | None:
        hit = self.frame[self.frame["code"] == code]
        return None if hit.empty else hit.iloc[0].to_dict()


def mappable(pack: DataPack) -> pd.DataFrame:
    """Catalogue rows that can be drawn on the map (area and practice indicators)."""
    cat = pack.catalogue
    return cat[cat["geography"].isin(AREA_GEOGRAPHIES + (Geography.PRACTICE,))]


def themed(catalogue: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Catalogue rows grouped by theme, in picker order; the headline IMD first within a theme."""
    order = list(THEMES) + sorted(set(catalogue["theme"]) - set(THEMES))
    out = []
    for theme in order:
        rows = catalogue[catalogue["theme"] == theme]
        if rows.empty:
            continue
        headline = ~rows["id"].str.contains("_imd_")
        out.append((theme, rows.assign(_h=headline).sort_values(["_h", "name"]).drop(columns="_h")))
    return out


def edition_groups(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A long theme split by source edition and boundaries, e.g. 'IoD2019 · LSOA 2011'."""
    label = rows["dataset"].map(DATASET_GROUPS).fillna(rows["dataset"])
    label = label + " · " + rows["geography"].map(lambda g: Geography(g).label)
    return [(g, rows[label == g]) for g in dict.fromkeys(label)]


DATASET_GROUPS = {"iod2019": "IoD2019", "iod2025": "IoD2025", "census2021": "Census 2021"}


#: The value columns a layer takes from the pack, after the areas' own.
LAYER_VALUES = ("value", "lower_ci", "upper_ci", "numerator", "denominator")


def layer_areas(pack: DataPack, localities: dict[str, pd.Series], geography: Geography) -> gpd.GeoDataFrame:
    """The areas (or practices) a layer of ``geography`` joins its values to, each with its locality: the
    same for every indicator of that geography under one assignment, so a planner makes them once."""
    if geography.is_area:
        areas = pack.layer(geography)[["code", "name", "ward_name", "msoa_name", "geometry"]].copy()
        areas["locality"] = areas["code"].map(localities[geography])
    else:
        p = pack.practices
        areas = p[p["ods_code"].notna()][["ods_code", "map_key", "name", "network", "status", "geometry"]]
        areas = areas.rename(columns={"ods_code": "code", "network": "locality"}).copy()
    return areas.reset_index(drop=True)


def indicator_layer(pack: DataPack, localities: dict[str, pd.Series], indicator_id: str,
                    period: str | None = None, practice_networks: pd.Series | None = None,
                    areas: dict | None = None) -> IndicatorLayer:
    """The values of ``indicator_id`` for ``period`` (latest if None) joined to their areas.

    ``localities`` maps a geography ("lsoa11", "lsoa21") to the locality of each area
    under the assignment in use; practices carry their own network. ``practice_networks``
    (ODS code -> network, as a what-if moved them) groups practices for disclosure control as
    the comparison groups them. ``areas`` (geography -> :func:`layer_areas`), kept by the caller,
    holds each geography's areas once made.
    """
    meta = pack.indicator(indicator_id)
    periods = pack.periods(indicator_id)
    if period is None or period not in periods:
        period = periods[-1] if periods else ""
    geography = meta.geography
    if not geography.is_area and geography != Geography.PRACTICE:
        raise ValueError(f"indicator '{indicator_id}' ({geography}) cannot be drawn on the map")
    areas = areas if areas is not None else {}
    if geography not in areas:
        areas[geography] = layer_areas(pack, localities, geography)
    shapes = areas[geography]
    vals = pack.indicator_values(indicator_id, geography, period)
    # Each area's row of values (a left join on the code, as a merge gives it: an area with no row, at -1,
    # takes the NaN appended, so a period with no rows here maps as no data), without the shapes until
    # the end: disclosure control on a GeoDataFrame copies them at every step.
    at = pd.Index(vals["area_code"]).get_indexer(shapes["code"])
    frame = pd.DataFrame(shapes.drop(columns="geometry"))
    for column in LAYER_VALUES:
        frame[column] = np.append(vals[column].to_numpy(dtype=float), np.nan)[at]
    # A value resting on a count of 1 to 4 is not drawn, classed or shown (column ``suppressed``).
    if value_is_count(meta):
        frame["numerator"] = frame["numerator"].fillna(frame["value"])
    shown_locality = frame["locality"].to_numpy()
    if geography == Geography.PRACTICE and practice_networks is not None:
        frame["locality"] = frame["code"].map(practice_networks).fillna(frame["locality"])
    frame = publishable(frame.assign(unit=meta.unit), mark=None).drop(columns="unit")
    frame["locality"] = shown_locality
    frame.insert(shapes.columns.get_loc("geometry"), "geometry", shapes.geometry.array.copy())
    return IndicatorLayer(meta, period, geography, gpd.GeoDataFrame(frame, geometry="geometry", crs=shapes.crs))
