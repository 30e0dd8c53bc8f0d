"""Importing a user's file: good files become indicators with the right values everywhere;
each kind of bad file gets its own message naming the row and the column.

Every file here is synthetic, built by the test from the pack's own area codes."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from sthc_desktop.core import imports
from sthc_desktop.core.comparison import compare
from sthc_desktop.core.datapack import BOROUGH_CODE, ENGLAND_CODE, DataPack
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.localities import NEAREST_PRACTICE, NETWORKS, pack_assignments
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView

from conftest import BUNDLED_PACK, write_csv


@pytest.fixture(scope="module")
def own_pack():
    """A pack of this module's own: imports change a pack's catalogue, so keep them out of the shared one."""
    return DataPack(BUNDLED_PACK)


@pytest.fixture
def planner(own_pack):
    # Whole LSOAs in one locality each (nearest practice), so locality sums can be checked by hand.
    return Planner(own_pack, pack_assignments(own_pack, NEAREST_PRACTICE))


def codes(pack, layer):
    return sorted(pack.layer(layer)["code"])


def problems_of(table, pack, spec):
    return imports.check(table, pack, spec).problems


# -- good files ---------------------------------------------------------------------------------
def test_lsoa21_counts_import_and_compare_by_locality(tmp_path, own_pack, planner):
    lsoas = codes(own_pack, "lsoa21")
    # Counts of 10 or more: disclosure control suppresses smaller ones.
    rows = [(c, round(100 * (i % 7 + 10) / (50 + i), 6), i % 7 + 10, 50 + i) for i, c in enumerate(lsoas)]
    path = write_csv(tmp_path / "synthetic_lsoa21.csv", ["LSOA21CD", "Percent", "Count", "Denominator"], rows)
    table = imports.read_file(path)
    spec = imports.detect(table, own_pack)
    assert (spec.level, spec.code_column, spec.value_column) == ("lsoa21", "LSOA21CD", "Percent")
    assert (spec.count_column, spec.denominator_column) == ("Count", "Denominator")
    spec = spec.with_(name="Synthetic percent", unit="%", polarity="higher is worse", period="2024/25")
    ind = imports.build(table, own_pack, spec)
    assert ind.meta.aggregation == "ratio of sums" and ind.meta.multiplier == 100
    assert ind.meta.theme == "Imported" and ind.meta.geography == "lsoa21"
    assert ind.dataset.publisher.startswith("Imported by the user from synthetic_lsoa21.csv on ")
    assert ind.dataset.files[0]["sha256"] == table.sha256
    planner.add_indicator(ind.meta, ind.values, ind.dataset)

    layer = planner.layer_for(MapView(indicator_id=ind.meta.id))
    got = layer.frame.set_index("code")["value"]
    for code, value, _, _ in rows:
        assert got[code] == pytest.approx(value)

    table_out = compare(planner, [ind.meta.id])
    by_area = table_out.set_index("area")
    frame = pd.DataFrame(rows, columns=["code", "value", "num", "den"])
    frame["locality"] = frame["code"].map(planner.localities["lsoa21"])
    for name in NETWORKS:
        part = frame[frame["locality"] == name]
        assert by_area.loc[name, "value"] == pytest.approx(part["num"].sum() / part["den"].sum() * 100)
        assert by_area.loc[name, "numerator"] == part["num"].sum()
    assert ind.meta.id in set(planner.pack.catalogue["id"])
    assert any("synthetic_lsoa21.csv" in line for line in planner.pack.attribution_lines([ind.meta.dataset]))


def fingertips_rows(pack):
    """A synthetic Fingertips "download data" file: England, the borough, other areas, males and deciles."""
    rows = []
    for period in ("2021/22", "2022/23"):
        rows.append((ENGLAND_CODE, "England", "England", period, "Persons", "", "50.5", "50.1", "50.9", "505", "1000"))
        rows.append((BOROUGH_CODE, "St Helens", "Districts & UAs", period, "Persons", "", "61.0", "57", "65", "610",
                     "1000"))
        rows.append((BOROUGH_CODE, "St Helens", "Districts & UAs", period, "Persons", "County & UA deprivation deciles",
                     "99", "98", "100", "1", "1"))
        rows.append(("E01000001", "Elsewhere 001A", "LSOA", period, "Persons", "", "7", "6", "8", "7", "100"))
        for i, code in enumerate(codes(pack, "lsoa11")):
            value = f"{10 + i / 10 + (period == '2022/23'):.1f}"
            rows.append((code, "x", "LSOA", period, "Persons", "", value, "1", "90", "", ""))
            rows.append((code, "x", "LSOA", period, "Male", "", "999", "1", "9999", "", ""))
    header = ["Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Time period", "Sex",
              "Category Type", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"]
    return header, [("90000", "Synthetic admissions") + r for r in rows]


def test_fingertips_layout_is_recognised_and_filtered(tmp_path, own_pack, planner):
    header, rows = fingertips_rows(own_pack)
    table = imports.read_file(write_csv(tmp_path / "synthetic_fingertips.csv", header, rows))
    spec = imports.detect(table, own_pack)
    assert spec.level == "lsoa11" and spec.code_column == "Area Code" and spec.value_column == "Value"
    assert (spec.lower_ci_column, spec.upper_ci_column) == ("Lower CI 95.0 limit", "Upper CI 95.0 limit")
    assert spec.period_column == "Time period" and spec.only_known_areas
    assert dict(spec.filters) == {"Indicator Name": "Synthetic admissions", "Sex": "Persons", "Category Type": ""}
    assert spec.name == "Synthetic admissions"
    result = imports.check(table, own_pack, spec)
    assert result.can_import, [str(p) for p in result.problems]
    assert any("2 rows for areas outside St Helens left out" in p.problem for p in result.problems)

    ind = imports.build(table, own_pack, spec.with_(polarity="higher is worse"))
    assert ind.meta.periods == ("2021/22", "2022/23") and ind.meta.period == "2022/23"
    assert "Sex = Persons" in ind.meta.caveats
    planner.add_indicator(ind.meta, ind.values, ind.dataset)
    layer = planner.layer_for(MapView(indicator_id=ind.meta.id, period="2021/22"))
    first = codes(own_pack, "lsoa11")[0]
    assert layer.row(first)["value"] == pytest.approx(10.0)  # the Persons row, not the Male 999
    out = compare(planner, [ind.meta.id], period="2022/23").set_index("area")
    assert out.loc["England", "value"] == pytest.approx(50.5)
    assert out.loc["St Helens", "value"] == pytest.approx(61.0)  # the whole-population row, not the decile row


def test_msoa_values_are_given_to_their_lsoas(tmp_path, own_pack, planner):
    msoas = codes(own_pack, "msoa21")
    rows = [(c, 20 + i) for i, c in enumerate(msoas)]
    table = imports.read_file(write_csv(tmp_path / "synthetic_msoa.csv", ["MSOA code", "Obesity %"], rows))
    spec = imports.detect(table, own_pack)
    assert spec.level == "msoa" and spec.value_column == "Obesity %"
    ind = imports.build(table, own_pack, spec.with_(name="Synthetic MSOA obesity", period="2023/24"))
    assert ind.meta.geography == "lsoa21" and ind.meta.aggregation == "population-weighted mean"
    assert "Published for MSOAs (2021)" in ind.meta.caveats
    lsoa21 = own_pack.layer("lsoa21")
    expected = lsoa21["msoa_code"].map(dict(rows))
    got = ind.values.set_index("area_code")["value"]
    assert (got[lsoa21["code"]].to_numpy() == expected.to_numpy()).all()
    planner.add_indicator(ind.meta, ind.values, ind.dataset)
    out = compare(planner, [ind.meta.id]).set_index("area")
    assert out.loc["Central", "value"] > 0


def test_ward_and_practice_levels(tmp_path, own_pack, planner):
    wards = codes(own_pack, "wards")
    table = imports.read_file(write_csv(tmp_path / "synthetic_ward.csv", ["Ward code", "Score"],
                                        [(c, i + 1) for i, c in enumerate(wards)]))
    spec = imports.detect(table, own_pack)
    assert spec.level == "ward"
    ind = imports.build(table, own_pack, spec.with_(name="Synthetic ward score", period="2024"))
    lsoa21 = own_pack.layer("lsoa21")
    one = lsoa21.iloc[0]
    assert ind.values.set_index("area_code").loc[one["code"], "value"] == wards.index(one["ward_code"]) + 1

    ods = [c for c in own_pack.practices["ods_code"].dropna()]
    table = imports.read_file(write_csv(tmp_path / "synthetic_practice.csv", ["Practice code", "Value"],
                                        [(c, i + 0.5) for i, c in enumerate(ods)]))
    spec = imports.detect(table, own_pack)
    assert spec.level == "practice" and spec.code_column == "Practice code"
    ind = imports.build(table, own_pack, spec.with_(name="Synthetic practice value", period="2024"))
    planner.add_indicator(ind.meta, ind.values, ind.dataset)
    layer = planner.layer_for(MapView(indicator_id=ind.meta.id))
    assert not layer.is_area and layer.row(ods[3])["value"] == pytest.approx(3.5)


def test_xlsx_is_read(tmp_path, own_pack):
    lsoas = codes(own_pack, "lsoa11")
    path = tmp_path / "synthetic.xlsx"
    pd.DataFrame({"lsoa11cd": lsoas, "score": np.arange(len(lsoas)) * 1.5}).to_excel(path, index=False)
    table = imports.read_file(path)
    spec = imports.detect(table, own_pack)
    assert spec.level == "lsoa11" and spec.value_column == "score"
    ind = imports.build(table, own_pack, spec.with_(name="Synthetic xlsx", period="2019"))
    assert ind.values.set_index("area_code").loc[lsoas[2], "value"] == 3.0


def test_postcode_points_are_placed_in_their_lsoa(tmp_path, own_pack):
    lsoa21 = own_pack.layer("lsoa21")
    pts = lsoa21.geometry.representative_point()
    rows = [(f"WA{i % 9 + 1} {i % 10}AB", round(p.x, 1), round(p.y, 1), 2) for i, p in enumerate(pts[:5])]
    rows.append(("WA9 9ZZ", rows[0][1] + 0.5, rows[0][2], 3))  # a second point in the first LSOA
    table = imports.read_file(write_csv(tmp_path / "synthetic_points.csv", ["Postcode", "Easting", "Northing", "Cases"],
                                        rows))
    spec = imports.detect(table, own_pack)
    assert (spec.level, spec.x_column, spec.y_column, spec.value_column) == ("postcode", "Easting", "Northing",
                                                                             "Cases")
    ind = imports.build(table, own_pack, spec.with_(name="Synthetic points", period="2024"))
    got = ind.values.set_index("area_code")["value"]
    assert got[lsoa21["code"].iloc[0]] == 5 and got[lsoa21["code"].iloc[1]] == 2
    assert ind.meta.aggregation == "sum"


# -- bad files: each its message, with row and column -------------------------------------------
def lsoa21_table(tmp_path, pack, edits):
    rows = [[c, str(i + 1)] for i, c in enumerate(codes(pack, "lsoa21"))]
    for index, row in edits.items():
        rows[index] = row
    return imports.read_file(write_csv(tmp_path / "synthetic_bad.csv", ["LSOA code", "Value"], rows))


def only(problems, text):
    hits = [p for p in problems if text in p.problem]
    assert hits, [str(p) for p in problems]
    return hits[0]


@pytest.mark.parametrize("edit, column, text", [
    (["E01999999", "1"], "LSOA code", "unknown area code 'E01999999'"),
    (["E01006802", "12"], "LSOA code", "duplicate: E01006802 already given in row 2"),
    (None, "Value", "not a number: 'abc'"),
    (None, "Value", "negative value -4"),
    (["E02001407", "1"], "LSOA code", "wrong level: E02001407 is an MSOA code, not an LSOA 2021 code"),
])
def test_each_bad_row_is_named(tmp_path, own_pack, edit, column, text):
    lsoas = codes(own_pack, "lsoa21")
    if edit is None:
        edit = [lsoas[5], "abc" if "number" in text else "-4"]
    table = lsoa21_table(tmp_path, own_pack, {5: edit})
    result = imports.check(table, own_pack, imports.detect(table, own_pack, "lsoa21"))
    problem = only(result.problems, text)
    assert (problem.row, problem.column, problem.error) == (7, column, True)  # row 7: header + 5 rows before
    assert not result.can_import
    assert str(problem).startswith("synthetic_bad.csv, row 7, column '")


def test_lsoa2011_code_where_2021_expected_offers_the_ons_lookup(tmp_path, own_pack):
    split_parent = "E01006865"
    children = sorted(own_pack.layer("lsoa21").query("lsoa11_code == @split_parent")["code"])
    lsoas = [c for c in codes(own_pack, "lsoa21") if c not in children]
    rows = [(c, i + 1) for i, c in enumerate(lsoas)] + [(split_parent, 77)]
    table = imports.read_file(write_csv(tmp_path / "synthetic_vintage.csv", ["LSOA code", "Value"], rows))
    spec = imports.detect(table, own_pack, "lsoa21")
    problem = only(imports.check(table, own_pack, spec).problems, "LSOA 2011 code E01006865 where LSOA 2021")
    assert problem.row == len(rows) + 1 and "ONS 2011→2021 lookup splits it into " + ", ".join(children) in \
        problem.problem
    ind = imports.build(table, own_pack, spec.with_(convert_2011=True, name="Synthetic converted", period="2020"))
    got = ind.values.set_index("area_code")["value"]
    assert [got[c] for c in children] == [77, 77]
    assert "split in 2021 give each part the whole 2011 value (E01006865 → " in ind.meta.caveats


def test_lsoa2021_code_where_2011_expected(tmp_path, own_pack):
    rows = [(c, 1) for c in codes(own_pack, "lsoa11")] + [("E01033793", 2)]
    table = imports.read_file(write_csv(tmp_path / "synthetic_v.csv", ["LSOA code", "Value"], rows))
    result = imports.check(table, own_pack, imports.detect(table, own_pack, "lsoa11"))
    problem = only(result.problems, "LSOA 2021 code E01033793 where LSOA 2011 codes are expected")
    assert problem.row == len(rows) + 1 and "split from E01006865" in problem.problem


def test_missing_areas_and_suppressed_values_are_notes_not_errors(tmp_path, own_pack):
    table = lsoa21_table(tmp_path, own_pack, {3: [codes(own_pack, "lsoa21")[3], "*"]})
    result = imports.check(table, own_pack, imports.detect(table, own_pack))
    assert result.can_import
    assert only(result.problems, "(blank or suppressed)").row == 5
    assert only(result.problems, "no value").error is False


def test_a_file_with_no_st_helens_areas_cannot_be_imported(tmp_path, own_pack):
    table = imports.read_file(write_csv(tmp_path / "synthetic_elsewhere.csv", ["Area Code", "Value"],
                                        [("E01000001", "1"), ("E01000002", "2")]))
    result = imports.check(table, own_pack, imports.detect(table, own_pack, "lsoa21"))
    assert not result.can_import
    assert only(result.problems, "unknown area code 'E01000001'").row == 2


def nhs_numbers(n):
    out, base = [], 400000000
    while len(out) < n:
        nine = str(base)
        base += 7
        check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check != 10:
            out.append(nine + str(check))
    return out


def test_nhs_numbers_are_refused(tmp_path, own_pack):
    assert imports.nhs_number_ok("943 476 5919") and not imports.nhs_number_ok("9434765918")
    lsoas = codes(own_pack, "lsoa21")
    path = write_csv(tmp_path / "synthetic_patients.csv", ["Patient", "LSOA code", "Value"],
                     [(n, c, 1) for n, c in zip(nhs_numbers(len(lsoas)), lsoas)])
    with pytest.raises(DataError) as err:
        imports.read_file(path)
    assert err.value.column == "Patient"
    assert "NHS numbers" in err.value.problem and "Modulus 11" in err.value.problem
    assert "aggregated data" in err.value.problem


def test_dates_of_birth_are_refused(tmp_path, own_pack):
    lsoas = codes(own_pack, "lsoa21")
    by_name = write_csv(tmp_path / "synthetic_dob.csv", ["LSOA code", "DOB", "Value"], [(c, "", 1) for c in lsoas[:3]]
                        + [(lsoas[3], "x", 1)])
    with pytest.raises(DataError, match="dates of birth"):
        imports.read_file(by_name)
    dates = [f"{(i * 7) % 28 + 1:02d}/{i % 12 + 1:02d}/{1940 + i % 60}" for i in range(len(lsoas))]
    by_values = write_csv(tmp_path / "synthetic_born.csv", ["LSOA code", "When", "Value"],
                          [(c, d, 1) for c, d in zip(lsoas, dates)])
    with pytest.raises(DataError) as err:
        imports.read_file(by_values)
    assert err.value.column == "When" and "birth years 1940" in err.value.problem


def test_a_period_date_column_is_not_mistaken_for_birth_dates(tmp_path, own_pack):
    lsoas = codes(own_pack, "lsoa21")
    path = write_csv(tmp_path / "synthetic_dated.csv", ["LSOA code", "Date", "Value"],
                     [(c, "2024-03-31", 1) for c in lsoas])
    assert imports.read_file(path).frame.shape == (len(lsoas), 3)


@pytest.mark.parametrize("name, data, text", [
    ("synthetic.xlsx", b"not a zip at all", "not an XLSX workbook"),
    ("synthetic.csv", b"", "not a readable CSV file"),
    ("synthetic.csv", b"only,a,header\n", "no rows of data"),
    ("synthetic.pdf", b"%PDF", "not a CSV or XLSX file"),
])
def test_unreadable_files_give_one_line(name, data, text):
    with pytest.raises(DataError, match=text) as err:
        imports.read_bytes(name, data)
    assert "\n" not in str(err.value) and str(err.value).startswith(name)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot be read"):
        imports.read_file(tmp_path / "nowhere.csv")


def test_build_asks_for_name_and_period(tmp_path, own_pack):
    table = lsoa21_table(tmp_path, own_pack, {})
    spec = imports.detect(table, own_pack)
    with pytest.raises(DataError, match="give the indicator a name"):
        imports.build(table, own_pack, spec.with_(name=" "))
    with pytest.raises(DataError, match="give the period"):
        imports.build(table, own_pack, spec.with_(name="Synthetic"))
    bad = lsoa21_table(tmp_path, own_pack, {0: ["E01999999", "1"]})
    with pytest.raises(DataError, match=r"row 2, column 'LSOA code': unknown area code"):
        imports.build(bad, own_pack, spec.with_(name="Synthetic", period="2024"))


def test_an_official_indicator_cannot_be_replaced(own_pack):
    meta = own_pack.indicator("iod19_imd_score")
    with pytest.raises(ValueError, match="cannot be replaced"):
        own_pack.add_indicator(meta, own_pack.indicator_values("iod19_imd_score"), own_pack.datasets["iod2019"])
