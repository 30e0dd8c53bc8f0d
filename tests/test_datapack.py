"""Opening the data pack: the bundled one works offline; a damaged one gives a clear message."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing

import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal

from conftest import BUNDLED_PACK, ROOT
from sthc_desktop.core.datapack import SPATIAL_LAYERS, DataPack
from sthc_desktop.core.errors import PackError


def test_bundled_pack_holds_what_the_app_relies_on(pack):
    assert len(pack.layer("lsoa11")) == 119 and len(pack.layer("lsoa21")) == 121
    assert pack.practices["map_key"].notna().sum() == 33
    cat = pack.catalogue
    for column in ("id", "name", "short_name", "theme", "unit", "polarity", "geography", "period", "dataset",
                   "caveats"):
        assert column in cat.columns
    assert cat["id"].is_unique
    assert set(cat["polarity"]) <= {"higher is better", "higher is worse", "no judgement"}
    # Every value's area code exists in its geography.
    v = pack.values
    assert set(v[v["area_type"] == "lsoa11"]["area_code"]) <= set(pack.layer("lsoa11")["code"])
    assert set(v[v["area_type"] == "practice"]["area_code"]) <= set(pack.practices["ods_code"].dropna())
    assert "2022-23" in pack.indicator("qof_obesity").caveats


def test_missing_pack(tmp_path):
    with pytest.raises(PackError, match="data pack not found"):
        DataPack(tmp_path / "nothing.gpkg")


def test_corrupt_pack(tmp_path):
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(BUNDLED_PACK.read_bytes()[:5000])
    with pytest.raises(PackError) as info:
        DataPack(broken)
    assert "broken.gpkg" in str(info.value)


def test_geopackage_that_is_not_a_pack(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point
    other = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=27700).to_file(other, layer="stuff")
    with pytest.raises(PackError, match="not a St Helens data pack"):
        DataPack(other)


def test_cli_lists_the_catalogue_as_json(pack):
    result = subprocess.run([sys.executable, "main.py", "indicators", "--json"], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    rows = json.loads(result.stdout)
    assert len(rows) == len(pack.catalogue)
    for row in rows:
        for key in ("id", "name", "unit", "polarity", "geography", "period", "source"):
            assert row[key] not in (None, ""), (row["id"], key)
    imd = next(r for r in rows if r["id"] == "iod19_imd_score")
    assert imd["geography"] == "lsoa11" and "Indices of Deprivation 2019" in imd["source"]


def test_cli_reports_a_bad_pack_in_one_line(tmp_path):
    broken = tmp_path / "broken.gpkg"
    broken.write_text("nonsense")
    result = subprocess.run([sys.executable, "main.py", "--pack", str(broken), "indicators"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: ") and "broken.gpkg" in result.stderr
    assert "Traceback" not in result.stderr


def _edited_copy(tmp_path, *sql: str):
    """A copy of the bundled pack with ``sql`` run on it (the spatial index's triggers call SpatiaLite
    functions plain SQLite lacks: stand-ins here, as the index is not read back)."""
    path = tmp_path / "edited.gpkg"
    shutil.copyfile(BUNDLED_PACK, path)
    with sqlite3.connect(path) as db:
        for function in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            db.create_function(function, 1, lambda shape: 0)
        for statement in sql:
            db.execute(statement)
    return path


def _as_gdal_gives(path, name: str, geometry: bool):
    frame = pyogrio.read_dataframe(path, layer=name, read_geometry=geometry)
    return frame if geometry else pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


@pytest.mark.parametrize("edits", [(), ('UPDATE "practices" SET "in_plan" = NULL WHERE fid = 1',  # bool, missing
                                        'UPDATE "practices" SET "map_key" = NULL WHERE fid = 2',  # integer
                                        'UPDATE "practices" SET "name" = NULL WHERE fid = 3',  # text
                                        'UPDATE "practices" SET "geom" = NULL WHERE fid = 4',  # no shape
                                        'UPDATE "indicator_values" SET "value" = NULL WHERE fid = 5')])
def test_every_layer_reads_as_gdal_reads_it(tmp_path, edits):
    """The pack reads its tables straight from SQLite: the same frames, types and shapes as GDAL's."""
    path = _edited_copy(tmp_path, *edits)
    pack = DataPack(path)
    with closing(sqlite3.connect(path)) as db:
        names = [name for (name,) in db.execute("SELECT table_name FROM gpkg_contents")]
    for name in names:
        geometry = name in SPATIAL_LAYERS
        ours, gdal = pack.layer(name), _as_gdal_gives(path, name, geometry)
        if geometry:
            assert_geodataframe_equal(ours, gdal, check_less_precise=False)
            assert ours.crs == gdal.crs and list(ours.geom_type) == list(gdal.geom_type)
        else:
            pd.testing.assert_frame_equal(ours, gdal)
    some = pack.read("lsoa21", columns=["lsoa11_code", "code"], geometry=False)
    pd.testing.assert_frame_equal(some, pd.DataFrame(pack.layer("lsoa21")[["lsoa11_code", "code"]]))


@pytest.mark.parametrize("sql, problem", [
    ('UPDATE "lsoa21" SET "geom" = X\'0001\' WHERE fid = 3', "layer 'lsoa21' cannot be read (a shape is not a "
                                                              "GeoPackage geometry)"),
    ('UPDATE "indicator_values" SET "value" = \'abc\' WHERE fid = 3',
     "layer 'indicator_values' cannot be read (could not convert string to float: 'abc')"),
])
def test_a_damaged_value_or_shape_names_its_layer(tmp_path, sql, problem):
    path = _edited_copy(tmp_path, sql)
    with pytest.raises(PackError) as err:
        DataPack(path).layer(problem.split("'")[1])
    assert err.value.message == f"{path}: {problem}"
