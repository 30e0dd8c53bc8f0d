"""Editable outputs: the workbook (xlsx), slide deck (pptx) and GeoPackage exports, each read back with
the library that writes it and checked against ``compare`` for the same request; suppressed cells
absent from every format (on the synthetic small-count copy of the pack from test_disclosure)."""

from __future__ import annotations

import csv
import math

import openpyxl
import pandas as pd
import pytest
from test_disclosure import OBESITY, YEAR, small_count_pack

from sthc_desktop.cli import main
from sthc_desktop.core.comparison import SUPPRESSED
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner

INDICATORS = "qof_obesity,iod19_imd_score"


def sheet_rows(path, sheet: str) -> pd.DataFrame:
    """A sheet's table (header in the first row, up to the first empty row) as a frame of cell values."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    end = next((i for i, r in enumerate(rows) if all(v is None for v in r)), len(rows))
    return pd.DataFrame(rows[1:end], columns=rows[0], dtype=object)


def compare_csv(tmp_path, pack_args, indicators, **extra) -> pd.DataFrame:
    out = tmp_path / f"compare_{len(list(tmp_path.glob('compare_*')))}.csv"
    args = [*pack_args, "compare", "--indicators", indicators, "--out", str(out)]
    for k, v in extra.items():
        args += [f"--{k}", v]
    assert main(args) == 0
    with open(out, newline="", encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def same_numbers(sheet: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Every value, interval and count of the sheet equals the compare command's, cell by cell."""
    assert len(sheet) == len(expected)
    for (_, a), (_, b) in zip(sheet.iterrows(), expected.iterrows()):
        assert (a["indicator_id"], a["area"]) == (b["indicator_id"], b["area"])
        for column in ("value", "lower_ci", "upper_ci", "numerator", "denominator"):
            want = b[column]
            if want in ("", None):
                assert a[column] is None, (a["area"], column)
            elif want == SUPPRESSED:
                assert a[column] == SUPPRESSED
            else:
                assert isinstance(a[column], (int, float)), (a["area"], column, a[column])  # numbers, not text
                assert math.isclose(a[column], float(want), rel_tol=1e-12), (a["area"], column)
        assert a["comparison"] == b["comparison"]


@pytest.fixture(scope="module")
def north_pack(tmp_path_factory):
    """The North pack for INDICATORS as a workbook and a deck, written once by the command line."""
    folder = tmp_path_factory.mktemp("north_pack")
    for suffix in ("xlsx", "pptx"):
        assert main(["export", "pack", "--localities", "North", "--indicators", INDICATORS,
                     "--out", str(folder / f"pack.{suffix}")]) == 0
    return folder / "pack.xlsx", folder / "pack.pptx"


def test_pack_workbook_tables_equal_compare_and_carry_provenance(north_pack, tmp_path, capsys):
    out = north_pack[0]
    book = openpyxl.load_workbook(out)
    assert {"vs England", "vs St Helens", "Deprivation profile", "Plan measures", "Practices", "District ranks",
            "Obesity trend", "Spine charts", "Funnel qof_obesity", "Funnel qof_smoking",
            "Provenance"} <= set(book.sheetnames)
    ranks = sheet_rows(out, "District ranks")
    assert set(ranks["lad_name"]) == {"St. Helens"} and all(isinstance(r, int) for r in ranks["rank"])
    same_numbers(sheet_rows(out, "vs England"), compare_csv(tmp_path, [], INDICATORS))
    same_numbers(sheet_rows(out, "vs St Helens"), compare_csv(tmp_path, [], INDICATORS, benchmark="borough"))
    assert book["vs England"]["F2"].number_format == "#,##0.00"
    provenance = sheet_rows(out, "Provenance")
    assert list(provenance.columns) == ["dataset", "publisher", "period", "licence", "attribution"]
    assert provenance["licence"].str.contains("Open Government Licence").any()
    notes = [r[0] for r in book["Provenance"].iter_rows(values_only=True) if r[0]]
    assert any(str(n).startswith("Locality method: ") for n in notes)
    assert any(str(n).startswith("Method: Confidence intervals") for n in notes)


def test_map_workbook_has_one_row_per_practice_with_the_map_values(planner, tmp_path, capsys):
    out = tmp_path / "map.xlsx"
    assert main(["export", "map", "--indicator", OBESITY, "--out", str(out)]) == 0
    rows = sheet_rows(out, "Map data")
    from sthc_desktop.core.view import MapView
    layer = planner.layer_for(MapView(indicator_id=OBESITY)).frame.set_index("code")
    assert set(rows["code"]) == set(layer.index)
    assert rows["value"].notna().sum() >= 25
    for r in rows.itertuples():
        if pd.isna(layer.loc[r.code, "value"]):
            assert r.value is None and r.comparison == "not compared"
            continue
        assert math.isclose(r.value, layer.loc[r.code, "value"]) and r.numerator == layer.loc[r.code, "numerator"]
        assert r.period == YEAR and r.comparison in ("better", "similar", "worse")
    assert "Provenance" in openpyxl.load_workbook(out).sheetnames


@pytest.mark.parametrize("name", ["pack.docx", "pack", "pack.PPT"])
def test_an_unknown_pack_format_is_refused_in_one_line(tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["export", "pack", "--localities", "North", "--out", str(out)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "choose pdf, xlsx, pptx" in err
    assert not out.exists()


def test_an_unknown_map_format_is_refused(tmp_path, capsys):
    out = tmp_path / "map.docx"
    assert main(["export", "map", "--indicator", OBESITY, "--out", str(out)]) != 0
    assert "choose pdf, png, svg, xlsx, gpkg" in capsys.readouterr().err
    assert not out.exists()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path, practice = small_count_pack(tmp_path_factory.mktemp("small_counts"), 3)
    return path, practice


def test_suppressed_cells_are_absent_from_the_workbooks(small, tmp_path, capsys):
    path, practice = small
    pack = tmp_path / "pack.xlsx"
    assert main(["--pack", str(path), "export", "pack", "--localities", "Central", "--indicators", OBESITY,
                 "--out", str(pack)]) == 0
    sheet = sheet_rows(pack, "vs England")
    same_numbers(sheet, compare_csv(tmp_path, ["--pack", str(path)], OBESITY))
    hidden = sheet[sheet["suppressed"]]
    assert "Central" in set(hidden["area"]) and len(hidden) >= 2
    for column in ("value", "lower_ci", "upper_ci", "numerator", "denominator"):
        assert set(hidden[column]) == {SUPPRESSED}
    trend = sheet_rows(pack, "Obesity trend")
    point = trend[(trend["area"] == "Central") & (trend["period"] == YEAR)].iloc[0]
    assert point["value"] is None and point["numerator"] is None
    out = tmp_path / "map.xlsx"
    assert main(["--pack", str(path), "export", "map", "--indicator", OBESITY, "--out", str(out)]) == 0
    rows = sheet_rows(out, "Map data").set_index("code")
    assert rows.loc[practice, "value"] == SUPPRESSED and rows.loc[practice, "numerator"] == SUPPRESSED
    assert rows.loc[practice, "comparison"] == "not compared"


def test_text_a_spreadsheet_would_run_is_escaped(tmp_path):
    from sthc_desktop.core.pack_tables import Table
    from sthc_desktop.export.spreadsheet import write_workbook
    out = write_workbook([Table("T", "=title", pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "-2+3", "ok"],
                                                             "value": [-2.5, 1.0, float("nan")]}))],
                         tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out)["T"]
    assert [c.value for c in ws["A"]][1:4] == ["'=HYPERLINK(\"x\")", "'-2+3", "ok"]
    assert [c.value for c in ws["B"]][1:4] == [-2.5, 1.0, None]
    assert ws["A6"].value == "'=title"


def slide_tables(path):
    """Each slide's text and its tables (lists of rows of cell text), read back with python-pptx."""
    from pptx import Presentation
    slides = []
    for slide in Presentation(path).slides:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        tables = [[[c.text for c in row.cells] for row in s.table.rows] for s in slide.shapes if s.has_table]
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        slides.append((text, tables, pictures))
    return slides


def test_pack_deck_has_an_overview_and_a_slide_per_locality_with_native_tables(north_pack, pack, tmp_path,
                                                                               capsys):
    from sthc_desktop.content.numbers import format_value
    out = north_pack[1]
    slides = slide_tables(out)
    assert len(slides) >= 2
    expected = compare_csv(tmp_path, [], INDICATORS)
    attribution = pack.attribution_lines(["nhs_practices"])
    for text, _, pictures in slides:
        assert all(line in text for line in attribution) and "Localities: " in text
    overview, north = slides[0], slides[1]
    assert "North" in north[0] and north[2] and overview[2]  # each has its map as a picture
    header, *rows = overview[1][0]
    assert header[:2] == ["Indicator", "Period"] and header[2:] == [*NETWORKS, "St Helens", "England"]
    by_name = {r[0]: r for r in rows}
    for r in expected.itertuples():
        shown = by_name[r.indicator_name][header.index(r.area)]
        assert shown == format_value(float(r.value), r.unit)
    header, *rows = north[1][0]
    obesity = next(r for r in rows if r[0].startswith("Obesity"))
    row = expected[(expected["indicator_id"] == OBESITY) & (expected["area"] == "North")].iloc[0]
    assert obesity[2] == (f"{format_value(float(row.value), row.unit)} ({format_value(float(row.lower_ci), row.unit)}"
                          f"–{format_value(float(row.upper_ci), row.unit)})")
    assert obesity[5] == row.comparison


def test_suppressed_cells_are_absent_from_the_deck(small, tmp_path, capsys):
    from sthc_desktop.content.numbers import format_value
    path, _ = small
    out = tmp_path / "pack.pptx"
    assert main(["--pack", str(path), "export", "pack", "--localities", "Central", "--indicators", OBESITY,
                 "--out", str(out)]) == 0
    raw = Planner(DataPack(path))
    from sthc_desktop.core.comparison import compare
    hidden = compare(raw, [OBESITY]).set_index("area").loc["Central"]
    overview, central = slide_tables(out)[:2]
    header, *rows = overview[1][0]
    assert rows[0][header.index("Central")] == SUPPRESSED
    assert central[1][0][1][2] == SUPPRESSED
    everything = " ".join([overview[0], central[0], *(c for s in (overview, central) for t in s[1] for r in t
                                                       for c in r)])
    assert format_value(float(hidden["value"]), "%") not in everything


def test_geopackage_layers_read_back_with_the_map_values_and_shares(planner, tmp_path, capsys):
    import pyogrio
    from sthc_desktop.core.view import MapView
    out = tmp_path / "map.gpkg"
    assert main(["export", "map", "--indicator", "iod19_income_score", "--out", str(out)]) == 0
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert names == ["care_communities", "lsoas", "practices", "provenance"]
    for name in names[:3]:
        assert pyogrio.read_info(out, layer=name)["crs"] == "EPSG:27700"
    outlines = pyogrio.read_dataframe(out, layer="care_communities")
    assert sorted(outlines["locality"]) == sorted(NETWORKS)
    lsoas = pyogrio.read_dataframe(out, layer="lsoas").set_index("code")
    layer = planner.layer_for(MapView(indicator_id="iod19_income_score")).frame.set_index("code")
    assert set(lsoas.index) == set(layer.index) and len(lsoas) == 119
    for code, row in layer.iterrows():
        assert math.isclose(lsoas.loc[code, "iod19_income_score"], row["value"])
    shares = planner.assignments["lsoa11"].shares
    fields = ["share_central", "share_newton_haydock", "share_north", "share_south"]
    assert lsoas[fields].sum(axis=1).round(9).eq(1).all()
    assert math.isclose(lsoas.iloc[0]["share_newton_haydock"], shares.loc[lsoas.index[0], "Newton & Haydock"])
    practices = pyogrio.read_dataframe(out, layer="practices")
    assert set(practices["map_key"].dropna().astype(int)) == set(range(1, 34))
    assert "Open Government Licence v3.0" in set(pyogrio.read_dataframe(out, layer="provenance")["licence"])


def test_suppressed_practice_values_are_absent_from_the_geopackage(small, tmp_path, capsys):
    import pyogrio
    path, practice = small
    out = tmp_path / "map.gpkg"
    assert main(["--pack", str(path), "export", "map", "--indicator", OBESITY, "--out", str(out)]) == 0
    practices = pyogrio.read_dataframe(out, layer="practices").set_index("ods_code")
    shown = practices.loc[practice, ["qof_obesity", "qof_obesity_lower_95", "qof_obesity_upper_95",
                                     "qof_obesity_numerator", "qof_obesity_denominator"]]
    assert shown.isna().all()
    # The others of the map's layer are there (Central's zero registers are hidden with it: complementary).
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.core.view import MapView
    layer = Planner(DataPack(path)).layer_for(MapView(indicator_id=OBESITY)).frame
    assert practices["qof_obesity"].notna().sum() == (layer["value"].notna() & ~layer["suppressed"]).sum() >= 15


def test_pack_workbook_holds_the_spine_and_funnel_numbers(north_pack, planner):
    from sthc_desktop.core.funnel import funnel
    from sthc_desktop.core.spine import spine_rows
    out = north_pack[0]
    f = funnel(planner, "qof_obesity")
    sheet = sheet_rows(out, "Funnel qof_obesity").set_index("code")
    assert len(sheet) == len(f.practices)
    for p in f.practices.itertuples():
        for column in ("value", "numerator", "denominator", "lower_95", "upper_95", "lower_998", "upper_998"):
            assert math.isclose(sheet.loc[p.code, column], getattr(p, column), rel_tol=1e-12)
        assert sheet.loc[p.code, "position"] == p.position
    spine = sheet_rows(out, "Spine charts")
    expected = spine_rows(planner, ["North"], INDICATORS.split(","))
    assert list(spine["indicator_id"]) == list(expected["indicator_id"])
    for column in ("value", "worst", "q25", "q75", "best", "benchmark_value"):
        assert [float(v) for v in spine[column]] == pytest.approx(list(expected[column]))


def test_the_deck_ends_with_the_spine_chart_and_funnel_plot_slides(north_pack):
    from pptx import Presentation
    out = north_pack[1]
    slides = slide_tables(out)
    assert len(slides) == 1 + 1 + 2
    assert slides[2][0].startswith("Spine charts") and slides[2][2]
    assert slides[3][0].startswith("Practice funnel plots") and slides[3][2] and "99.8%" in slides[3][0]
    assert len(Presentation(out).slides) == 4


def test_the_provenance_sheet_names_a_what_if_scenario(tmp_path, capsys):
    import json
    scenario = tmp_path / "synthetic_merger.json"  # SYNTHETIC what-if written by the test
    scenario.write_text(json.dumps({"name": "Hall Street to North", "move_practices": {"N83017": "North"}}))
    out = tmp_path / "pack.xlsx"
    assert main(["export", "pack", "--localities", "North", "--indicators", OBESITY, "--scenario", str(scenario),
                 "--out", str(out)]) == 0
    notes = [r[0] for r in openpyxl.load_workbook(out)["Provenance"].iter_rows(values_only=True) if r[0]]
    assert any("What-if scenario 'Hall Street to North'" in str(n) and "N83017" in str(n) for n in notes)
