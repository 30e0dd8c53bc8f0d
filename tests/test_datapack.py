"""Opening the data pack: the bundled one works offline; a damaged one gives a clear message."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BUNDLED_PACK, ROOT
from sthc_desktop.core.datapack import DataPack
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
