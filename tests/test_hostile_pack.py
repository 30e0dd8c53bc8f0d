"""Damaged data packs are refused on opening in one line naming the pack and the layer or column:
an empty LSOA or practices layer, a damaged datasets table, a required column missing, a pack
that is a named pipe or a folder. The damaged packs are copies of the bundled one, broken here."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from sthc_desktop.core.datapack import REQUIRED_COLUMNS, DataPack
from sthc_desktop.core.errors import PackError

from conftest import BUNDLED_PACK, ROOT


@pytest.fixture(scope="module")
def copy_pack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    counter = iter(range(10_000))

    def make(*sql: str):
        path = folder / f"damaged_{next(counter)}.gpkg"
        shutil.copyfile(BUNDLED_PACK, path)
        with sqlite3.connect(path) as db:
            for statement in sql:
                db.execute(statement)
        return path
    return make


@pytest.mark.parametrize("sql, problem", [
    (['DELETE FROM "lsoa21"'], "layer 'lsoa21' is empty"),
    (['DELETE FROM "practices"'], "layer 'practices' is empty"),
    (['ALTER TABLE "indicators" DROP COLUMN "periods"'], "layer 'indicators' has no column 'periods'"),
    (['ALTER TABLE "practices" DROP COLUMN "ods_code"'], "layer 'practices' has no column 'ods_code'"),
    (['ALTER TABLE "indicator_values" DROP COLUMN "value"', 'ALTER TABLE "indicator_values" ADD COLUMN "value" TEXT',
      'UPDATE "indicator_values" SET "value" = \'abc\''],
     "column 'value' of layer 'indicator_values' holds text values, not numbers"),
    (['UPDATE "datasets" SET "files" = \'[[[\''], "row 1 of the 'datasets' table is not a dataset"),
    (['UPDATE "datasets" SET "files" = \'{"a": 1}\''], "row 1 of the 'datasets' table is not a dataset"),
])
def test_a_damaged_pack_is_refused_naming_the_layer(copy_pack, sql, problem):
    path = copy_pack(*sql)
    with pytest.raises(PackError) as err:
        DataPack(path)
    assert err.value.message.startswith(f"{path}: damaged data pack: {problem}")


def test_the_cli_says_so_in_one_line_with_no_traceback(copy_pack):
    path = copy_pack('DELETE FROM "lsoa21"')
    result = subprocess.run([sys.executable, "main.py", "--pack", str(path), "export", "map", "--indicator", "iod19_imd_decile", "--out",
                             str(path.with_suffix(".pdf"))], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: {path}: damaged data pack: layer 'lsoa21' is empty"
    assert not path.with_suffix(".pdf").exists()


def test_a_named_pipe_or_folder_given_as_the_pack_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.gpkg"
    os.mkfifo(fifo)
    with pytest.raises(PackError, match="it is a named pipe, not a file"):
        DataPack(fifo)
    (tmp_path / "folder.gpkg").mkdir()
    with pytest.raises(PackError, match="it is a folder, not a file"):
        DataPack(tmp_path / "folder.gpkg")


@settings(max_examples=15, deadline=None)
@given(layer=st.sampled_from(sorted(REQUIRED_COLUMNS)), data=st.data())
def test_any_required_column_or_rows_missing_is_named(copy_pack, layer, data):
    column = data.draw(st.sampled_from(REQUIRED_COLUMNS[layer] + ("(rows)",)))
    sql = f'DELETE FROM "{layer}"' if column == "(rows)" else f'ALTER TABLE "{layer}" DROP COLUMN "{column}"'
    path = copy_pack(sql)
    try:
        with pytest.raises(PackError) as err:
            DataPack(path)
        expected = "is empty" if column == "(rows)" else f"has no column '{column}'"
        assert err.value.message == f"{path}: damaged data pack: layer '{layer}' {expected}"
    finally:
        path.unlink()


def test_an_indicator_whose_period_has_no_rows_at_its_geography_maps_as_no_data(copy_pack):
    from sthc_desktop.core.indicators import LAYER_VALUES, indicator_layer
    from sthc_desktop.core.planner import Planner

    # A copy whose IoD2019 acute morbidity values keep their England row but lose every LSOA's (synthetic).
    path = copy_pack("DELETE FROM \"indicator_values\" WHERE \"indicator_id\" = 'iod19_acute_morbidity' "
                     "AND \"area_type\" = 'lsoa11'")
    pack = DataPack(path)
    layer = indicator_layer(pack, Planner(pack).localities, "iod19_acute_morbidity")
    assert layer.period == "IoD2019" and len(layer.frame) == len(pack.layer("lsoa11"))
    assert layer.frame[list(LAYER_VALUES)].isna().all().all()
