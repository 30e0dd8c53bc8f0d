"""Ring arrays read from GeoPackage blobs: an empty shape has no bounds and is never in the England map's
view; a shape that is missing or cut short is one line naming the pack and layer. The blobs and the
damaged pack (a copy of the bundled one) are synthetic, made by these tests."""

from __future__ import annotations

import shutil
import sqlite3
import struct

import numpy as np
import pytest

from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import PackError
from sthc_desktop.core.rings import from_geopackage

from conftest import BUNDLED_PACK


def _blob(*rings: list[tuple[float, float]]) -> bytes:
    """A synthetic GeoPackage polygon blob (no envelope) with ``rings``; none makes an empty polygon."""
    wkb = struct.pack("<BII", 1, 3, len(rings))
    for ring in rings:
        wkb += struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", *p) for p in ring)
    return b"GP\x00\x00" + struct.pack("<i", 27700) + wkb


def _square(x: float, y: float) -> list[tuple[float, float]]:
    return [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1), (x, y)]


@pytest.mark.parametrize("empty", [[1], [2], [0, 2], [1, 2]])
def test_an_empty_area_has_nan_bounds_and_the_others_their_own(empty):
    squares = [_square(10 * i, 5 * i) for i in range(3)]
    rings = from_geopackage([_blob() if i in empty else _blob(s) for i, s in enumerate(squares)])
    bounds = rings.area_bounds()
    for i, s in enumerate(squares):
        expected = [np.nan] * 4 if i in empty else [s[0][0], s[0][1], s[2][0], s[2][1]]
        assert np.array_equal(bounds[i], expected, equal_nan=True), i


def test_an_empty_lsoa_is_never_in_the_england_maps_view():
    import matplotlib.pyplot as plt

    from sthc_desktop.render.englandmap import NationalMapFigure

    class SyntheticEngland:  # three LSOAs, the last empty, and a borough outline
        rings = from_geopackage([_blob(_square(0, 0)), _blob(_square(10, 0)), _blob()])
        codes = np.array(["E01000001", "E01000002", "E01000003"])
        borough_rings = from_geopackage([_blob(_square(0, 0))])

    fig, ax = plt.subplots()
    try:
        figure = NationalMapFigure(ax, SyntheticEngland())
        figure.group_of, figure.groups = np.array([0, 1, 0]), 2
        for limits, drawn in (((-1, 20), [5, 5]), ((-1, 2), [5, 0]), ((-100, 100), [5, 5])):
            ax.set_xlim(*limits)
            ax.set_ylim(-1, 2)
            figure.group_in_view()
            assert [len(p.vertices) for p in figure.areas.get_paths()] == drawn, limits
    finally:
        plt.close(fig)


@pytest.mark.parametrize("geom, problem", [
    ("NULL", "a shape is missing"),
    ("substr(geom, 1, 8)", "a shape is cut short"),         # the header only, no WKB after it
    ("substr(geom, 1, 8 + 32 + 9)", "a shape is cut short"),  # the polygon's head, no ring after it
])
def test_a_missing_or_short_borough_shape_is_one_line_naming_the_pack_and_layer(tmp_path, geom, problem):
    path = tmp_path / "damaged.gpkg"  # a copy of the bundled pack with its borough shape damaged (synthetic)
    shutil.copy(BUNDLED_PACK, path)
    with sqlite3.connect(path) as con:
        for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):  # the spatial index's triggers
            con.create_function(name, 1, lambda _shape: 0)
        con.execute(f"UPDATE borough SET geom = {geom}")
    with pytest.raises(PackError) as err:
        DataPack(path).outlines("borough")
    assert err.value.message == f"{path}: layer 'borough' cannot be read ({problem})"
