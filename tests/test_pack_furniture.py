"""What a reader of the locality pack's maps sees: on the cover, the borough overview and a locality
page, a north arrow and a scale bar labelled with the length it draws; on the overview and the
locality page, a legend with its Care Communities block and a "No data" entry when an area has no
value. The tests read the drawn figures' artists, as the map-furniture tests do for the briefing map.
"""

from __future__ import annotations

import shutil
from datetime import date

import pyogrio
from matplotlib.patches import Rectangle
import pytest
from conftest import BUNDLED_PACK
from test_map_furniture import assert_north_arrow, assert_scale_bar_true, is_green, is_red, map_axes

from sthc_desktop.content.pack import DEPRIVATION_MAP
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.export.request import DEFAULT_INDICATORS
from sthc_desktop.render.locality_pack import pack_pages

MAP_PAGES = ("Cover", "Borough overview", "North")
WORDS = ("better", "worse")
LEGEND_PAGES = {"Borough overview": "Care Communities", "North": "Care Communities and practices"}


@pytest.fixture(scope="module")
def one_lsoa_without_a_decile(tmp_path_factory):
    """A copy of the bundled pack without the IMD decile of one North LSOA (synthetic: a row removed
    by this test), so the pack's deprivation maps have one area with no data; and that LSOA."""
    path = tmp_path_factory.mktemp("no_data") / "pack.gpkg"
    shutil.copy(BUNDLED_PACK, path)
    planner = Planner(DataPack(path))
    north = planner.localities["lsoa11"]
    lsoa = sorted(north.index[north == "North"])[0]
    values = pyogrio.read_dataframe(path, layer="indicator_values")
    keep = ~((values["indicator_id"] == DEPRIVATION_MAP) & (values["area_code"] == lsoa))
    assert (~keep).sum() >= 1
    pyogrio.write_dataframe(values[keep], path, layer="indicator_values", driver="GPKG")
    return Planner(DataPack(path))


@pytest.fixture(scope="module")
def map_pages(one_lsoa_without_a_decile):
    """Label → the page's texts and map axes (one locality: the sheet locality pages share is not redrawn)."""
    drawn = {}
    pages = pack_pages(one_lsoa_without_a_decile, ["North"], list(DEFAULT_INDICATORS), produced=date(2026, 1, 5))
    for label, build in pages:
        if label in MAP_PAGES:
            fig = build()
            drawn[label] = dict(texts=[t.get_text() for t in fig.texts], ax=map_axes(fig),
                                words=[(t.get_text(), t.get_position()) for t in fig.texts if t.get_text() in WORDS],
                                cells=[(a.get_x(), a.get_y(), a.get_width(), a.get_height(), a.get_facecolor())
                                       for a in fig.artists if isinstance(a, Rectangle) and a.get_fill()])
    return drawn


@pytest.mark.parametrize("label", MAP_PAGES)
def test_pack_maps_have_a_north_arrow_and_a_true_scale_bar(map_pages, label):
    assert_north_arrow(map_pages[label]["ax"])
    assert_scale_bar_true(map_pages[label]["ax"])


@pytest.mark.parametrize("label", LEGEND_PAGES)
def test_pack_legends_list_the_four_care_communities(map_pages, label):
    texts = map_pages[label]["texts"]
    start = texts.index(LEGEND_PAGES[label])
    # A narrow column wraps a name ("Newton &" / "Haydock"): the names read in order after the heading.
    assert " ".join(texts[start + 1:start + 1 + 2 * len(NETWORKS)]).startswith(" ".join(NETWORKS))


@pytest.mark.parametrize("label", LEGEND_PAGES)
def test_pack_legends_count_the_area_without_a_value_as_no_data(map_pages, label):
    assert "No data (1)" in map_pages[label]["texts"]


def test_the_locality_page_fills_better_green_and_worse_red(map_pages):
    """The key-indicators table's comparison cells: each word sits on a cell filled in its colour."""
    page = map_pages["North"]
    assert {w for w, _ in page["words"]} == set(WORDS)  # North is better than England on some, worse on others
    for word, (x, y) in page["words"]:
        fills = [c for cx, cy, w, h, c in page["cells"] if cx <= x <= cx + w and cy <= y <= cy + h and h > 0]
        assert len(fills) == 1, word
        assert (is_green if word == "better" else is_red)(fills[0]), word
