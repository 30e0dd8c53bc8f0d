"""Write the map's layers as a GeoPackage (``.gpkg``) an analyst can open in QGIS.

Layers, all in British National Grid (EPSG:27700):

* ``care_communities``: the Care Community boundaries (LSOAs dissolved by their main locality);
* ``lsoas``: the LSOAs of the chosen indicators' geography (2021 when the indicators are practice
  figures) with code, name, main locality, the share of the LSOA in each Care Community under the
  locality method in use (``share_central`` …), and per area indicator its value, 95% interval,
  numerator and denominator, fields named ``<indicator id>``, ``<indicator id>_lower_95`` …;
* ``practices``: the practices by the plan's map key with network, status, list size and the
  practice indicators in the same form;
* ``provenance``: a table of the datasets (publisher, period, licence, attribution) and the method.

Values come from the same publishable layer the map draws (suppressed cells are empty). The file is
written atomically (:func:`sthc_desktop.core.files.atomic_path`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from sthc_desktop.core.files import atomic_path, check_target
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.pack_tables import datasets_for, provenance
from sthc_desktop.core.view import MapView

CRS = "EPSG:27700"
#: The value columns carried per indicator, and the suffix of each field name.
VALUE_FIELDS = {"value": "", "lower_ci": "_lower_95", "upper_ci": "_upper_95", "numerator": "_numerator",
                "denominator": "_denominator"}
PRACTICE_FIELDS = ("map_key", "ods_code", "name", "network", "status", "list_size", "list_size_date", "postcode")


def share_field(locality: str) -> str:
    """``share_newton_haydock`` for "Newton & Haydock": a field name without spaces or symbols."""
    return "share_" + re.sub(r"[^a-z0-9]+", "_", locality.lower()).strip("_")


def indicator_fields(layer, prefix: str) -> pd.DataFrame:
    """One indicator's published values keyed by area code, its fields named from ``prefix``."""
    frame = pd.DataFrame(layer.frame.drop(columns="geometry")).set_index("code")
    out = frame[list(VALUE_FIELDS)].rename(columns={c: prefix + s for c, s in VALUE_FIELDS.items()})
    return out.astype(float)


def gis_layers(planner, indicator_ids: list[str], period: str | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The GeoPackage's spatial layers, by name, for ``indicator_ids`` (``period`` where it applies)."""
    layers = {i: planner.layer_for(MapView(indicator_id=i, period=period if period in planner.pack.periods(i)
                                           else None)) for i in indicator_ids}
    areas = [ly for ly in layers.values() if ly.is_area]
    vintage = areas[0].geography if areas else "lsoa21"
    lsoas = planner.pack.layer(vintage)[["code", "name", "geometry"]].copy()
    lsoas["locality"] = lsoas["code"].map(planner.localities[vintage])
    shares = planner.assignments[vintage].shares
    for locality in NETWORKS:
        lsoas[share_field(locality)] = lsoas["code"].map(shares[locality]).astype(float)
    practices = planner.pack.practices
    practices = practices[[c for c in PRACTICE_FIELDS if c in practices] + ["geometry"]].copy()
    for ind, layer in layers.items():
        if layer.is_area and layer.geography == vintage:
            lsoas = lsoas.join(indicator_fields(layer, ind), on="code")
        elif not layer.is_area:
            practices = practices.join(indicator_fields(layer, ind), on="ods_code")
    outlines = planner.locality_outlines(vintage)[["locality", "geometry"]]
    return {"care_communities": outlines, "lsoas": lsoas, "practices": practices}


def export_geopackage(planner, indicator_ids: list[str], out: str | Path, *, period: str | None = None,
                      overwrite: bool = False) -> Path:
    """Write :func:`gis_layers` and the provenance table to ``out``."""
    out = check_target(out, overwrite=overwrite)
    layers = gis_layers(planner, indicator_ids, period)
    about = provenance(planner, datasets_for(planner, indicator_ids))
    notes = pd.DataFrame({"dataset": about.notes})
    table = pd.concat([about.frame, notes], ignore_index=True)
    # GDAL warns that the hidden temporary name does not end in .gpkg; the file it renames to does.
    with atomic_path(out, overwrite=overwrite) as tmp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(extension|conformant).*", category=RuntimeWarning)
        for name, frame in layers.items():
            frame = gpd.GeoDataFrame(frame, geometry="geometry").to_crs(CRS)
            pyogrio.write_dataframe(frame.reset_index(drop=True), tmp, layer=name, driver="GPKG")
        pyogrio.write_dataframe(table, tmp, layer="provenance", driver="GPKG")
    return out
