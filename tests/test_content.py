"""The content layer says what each pack page says before anything is drawn: checked here on the
content objects themselves, with no figure, in a process that never loads matplotlib or Qt."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from test_disclosure import OBESITY, small_count_pack

from sthc_desktop.content.numbers import format_value
from sthc_desktop.content.pack import DEPRIVATION_MAP, PackData
from sthc_desktop.core.comparison import SUPPRESSED, compare, publishable
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.stats import NOT_COMPARED

INDICATORS = ["qof_obesity", "iod19_imd_score", "census21_disabled"]
PRODUCED = date(2026, 1, 5)


@pytest.fixture(scope="module")
def north(planner):
    return PackData(planner, INDICATORS, ["North"], PRODUCED).locality("North")


def test_the_content_layer_loads_neither_matplotlib_nor_qt():
    code = ("import sys, sthc_desktop.content.pack, sthc_desktop.content.numbers, sthc_desktop.content.practices; "
            "print(sorted(m for m in ('matplotlib', 'PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_north_page_legend_counts_north_lsoas(planner, north):
    assert north.view.indicator_id == DEPRIVATION_MAP and north.view.focus == "North"
    assert north.counted_in == "North"
    lsoas = int((planner.localities["lsoa11"] == "North").sum())
    assert sum(r.count for r in north.legend) == lsoas < 119
    assert [r.label.split(" ")[0] for r in north.legend] == [str(d) for d in range(1, 11)]


def test_north_page_table_rows_carry_the_comparison_words(planner, north):
    table = north.indicators
    assert table.header[2:] == ["North (95% CI)", "vs St Helens", "St Helens", "vs England", "England"]
    england = publishable(compare(planner, INDICATORS, benchmark="england"), mark=None)
    borough = publishable(compare(planner, INDICATORS, benchmark="borough"), mark=None)
    vs = {name: frame.set_index(["indicator_name", "area"])["comparison"]
          for name, frame in (("england", england), ("borough", borough))}
    assert len(table.rows) == len(INDICATORS)
    for row, cells in zip(table.rows, table.words):
        vs_england, vs_borough = vs["england"][(row[0], "North")], vs["borough"][(row[0], "North")]
        assert (row[3], row[5]) == (vs_borough, vs_england)
        assert cells == [None, None, None, vs_borough, None, vs_england, None]  # the words the fills follow
    assert {w for cells in table.words for w in cells if w} <= {"better", "similar", "worse", "higher", "lower",
                                                                NOT_COMPARED}
    assert not north.suppressed


def test_a_small_count_is_suppressed_in_the_page_content(tmp_path):
    path, _ = small_count_pack(tmp_path, 3)
    data = PackData(Planner(DataPack(path)), [OBESITY], ["Central"], PRODUCED)
    central = data.locality("Central")
    row = central.indicators.rows[0]
    assert row[2] == SUPPRESSED and row[3] == row[5] == NOT_COMPARED  # "better" would tell what "*" hides
    assert central.indicators.words[0][3] == central.indicators.words[0][5] == NOT_COMPARED
    assert central.suppressed
    hidden = compare(Planner(DataPack(path)), [OBESITY]).set_index("area").loc["Central", "value"]
    assert format_value(float(hidden), "%") not in " ".join(row)
