"""Disclosure control on a small denominator: a rate over 1 to 4 people is hidden even when its count
is 0 ("none of the 4"), in the compare command's CSV and the map workbook's cells.

The pack copy (synthetic values written by this test, never shipped) gives one Central practice an
obesity register of 0 on a list of 4 adults in one QOF year, and the other Central practices 0 on 0,
so Central's summed list is 4.
"""

from __future__ import annotations

import csv

import numpy as np
import pyogrio
import pytest
from test_disclosure import OBESITY, YEAR, central_obesity_rows
from test_editable_exports import sheet_rows

from sthc_desktop.cli import main
from sthc_desktop.core.comparison import SUPPRESSED
from sthc_desktop.core.localities import NETWORKS

HIDDEN = ("value", "lower_ci", "upper_ci", "numerator", "denominator")


@pytest.fixture(scope="module")
def small_list(tmp_path_factory):
    """The pack copy described above and the practice with the list of 4."""
    path = tmp_path_factory.mktemp("small_list") / "small.gpkg"
    values, rows, first = central_obesity_rows(path)
    values.loc[rows, ["numerator", "denominator"]] = 0.0
    values.loc[rows, ["value", "lower_ci", "upper_ci"]] = np.nan
    values.loc[first, ["denominator", "value", "lower_ci", "upper_ci"]] = [4.0, 0.0, 0.0, 49.0]
    pyogrio.write_dataframe(values, path, layer="indicator_values", driver="GPKG")
    return path, values.loc[first, "area_code"]


def test_compare_csv_hides_a_locality_whose_rate_rests_on_4_people(small_list, tmp_path):
    path, _ = small_list
    out = tmp_path / "c.csv"
    assert main(["--pack", str(path), "compare", "--indicators", OBESITY, "--period", YEAR, "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = {r["area"]: r for r in csv.DictReader(f)}
    central = rows["Central"]
    assert central["suppressed"] == "True" and central["comparison"] == "not compared"
    assert {central[c] for c in HIDDEN} == {SUPPRESSED}
    # St Helens' list minus the shown localities' lists must not give Central's 4 back.
    shown = [r for a, r in rows.items() if a in NETWORKS and r["suppressed"] != "True"]
    assert len(shown) <= len(NETWORKS) - 2


def test_map_workbook_hides_the_practice_with_a_list_of_4(small_list, tmp_path):
    path, practice = small_list
    out = tmp_path / "map.xlsx"
    assert main(["--pack", str(path), "export", "map", "--indicator", OBESITY, "--period", YEAR,
                 "--out", str(out)]) == 0
    row = sheet_rows(out, "Map data").set_index("code").loc[practice]
    assert row["value"] == SUPPRESSED and row["comparison"] == "not compared"
    assert 4 not in set(row) and "4" not in set(row)
