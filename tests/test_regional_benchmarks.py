"""North West, Liverpool City Region and Cheshire and Merseyside benchmarks: every figure recomputed
here from the official files (read straight from the source folder, never through the builder) equals
what the pack holds and what `compare` shows; membership follows the ONS and NHS lookups; a measure
with no regional value says "not available", never a blank or a zero; the Compare tab and the
command offer the benchmarks; the plan's "below the North West average" aims are judged against the
North West value a planner imports (SYNTHETIC values made up by this test)."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest
from conftest import SHARED_DATA, needs_shared_data
from test_comparison_view import view  # noqa: F401  (a fixture: the Compare tab on the bundled pack)

from sthc_desktop.cli import main
from sthc_desktop.core.comparison import (CHESHIRE_MERSEYSIDE, LIVERPOOL_CITY_REGION, NORTH_WEST, NOT_AVAILABLE,
                                          compare, plan_measures)
from sthc_desktop.core.plan_progress import read_progress, template_csv, with_progress

pytestmark = needs_shared_data
IND, GEO, PRA = SHARED_DATA / "indicators", SHARED_DATA / "geography", SHARED_DATA / "practices"
LAD = "Local Authority District code (2019)"
LEEDS = "E08000035"  # a Yorkshire district, in neither area


@pytest.fixture(scope="module")
def lsoas():
    """Every England LSOA 2011: its 2019 district and IMD decile (File 1), mid-2015 population (File 6)
    and IMD score, with the ONS region (Dec 2018) and combined authority (Dec 2019) of its district."""
    f1 = pd.read_csv(IND / "iod2019_file1_imd_lsoa11_england.csv.gz", encoding="utf-8-sig")
    f6 = pd.read_csv(IND / "iod2019_file6_population_denominators_lsoa11_england.csv.gz", encoding="utf-8-sig",
                     thousands=",")
    scores = pd.read_csv(IND / "iod2019_scores_imd_income_employment_lsoa11_england.csv.gz")
    regions = pd.read_csv(GEO / "england_lad18_to_region18_ons.csv")
    authorities = pd.read_csv(GEO / "england_lad19_to_combined_authority19_ons.csv")
    frame = f1.merge(f6[["LSOA code (2011)", "Total population: mid 2015 (excluding prisoners)"]],
                     on="LSOA code (2011)").merge(scores, left_on="LSOA code (2011)", right_on="lsoa11_code")
    frame["region"] = frame[LAD].map(regions.set_index("LAD18CD")["RGN18NM"])
    frame["authority"] = frame[LAD].map(authorities.set_index("LAD19CD")["CAUTH19NM"])
    return frame.rename(columns={"Total population: mid 2015 (excluding prisoners)": "pop",
                                 "Index of Multiple Deprivation (IMD) Decile": "decile",
                                 "Index of Multiple Deprivation (IMD) Score": "score"})


def stored(pack, area: str, indicator: str, period: str) -> pd.Series:
    table = pack.benchmarks
    return table[(table["benchmark"] == area) & (table["indicator_id"] == indicator)
                 & (table["period"] == period)].iloc[0]


def test_north_west_average_imd_score_is_the_population_weighted_mean_of_its_lsoas(lsoas, pack, planner):
    nw = lsoas[lsoas["region"] == NORTH_WEST]
    expected = (nw["score"] * nw["pop"]).sum() / nw["pop"].sum()
    held = stored(pack, NORTH_WEST, "iod19_imd_score", "IoD2019")
    assert held["value"] == pytest.approx(expected, rel=1e-12) and held["status"] == "derived"
    assert expected == pytest.approx(28.09, abs=0.005)
    row = compare(planner, ["iod19_imd_score"], benchmark="north_west").set_index("area").loc[NORTH_WEST]
    assert row["value"] == held["value"] and "derived" in row["method"] and "December 2018" in row["method"]
    assert f"{len(nw):,} LSOAs" in row["method"] and nw[LAD].nunique() == 39


def test_city_region_share_of_lsoas_in_the_most_deprived_tenth_counts_its_lsoas(lsoas, pack, planner):
    lcr = lsoas[lsoas["authority"] == LIVERPOOL_CITY_REGION]
    held = stored(pack, LIVERPOOL_CITY_REGION, "profile19_pct_lsoas_most_deprived_10", "IoD2019")
    assert (held["numerator"], held["denominator"]) == ((lcr["decile"] == 1).sum(), len(lcr)) == (335, 989)
    assert held["value"] == pytest.approx(100 * 335 / 989)
    compared = compare(planner, ["profile19_pct_lsoas_most_deprived_10"], benchmark="liverpool_city_region")
    rows = compared.set_index("area")
    assert rows.loc[LIVERPOOL_CITY_REGION, "value"] == held["value"]
    assert rows.loc["St Helens", "benchmark"] == LIVERPOOL_CITY_REGION


def test_membership_follows_the_lookups(pack, lsoas):
    areas = pack.benchmark_areas.set_index("benchmark")
    leeds = lsoas.loc[lsoas[LAD] == LEEDS, "LSOA code (2011)"]
    assert not leeds.empty and (lsoas.loc[lsoas[LAD] == LEEDS, "region"] != NORTH_WEST).all()
    assert "Leeds" not in areas.loc[NORTH_WEST, "members"] and "St. Helens" in areas.loc[NORTH_WEST, "members"]
    assert areas.loc[LIVERPOOL_CITY_REGION, "members"] == ("6 districts: Halton, Knowsley, Liverpool, Sefton, "
                                                           "St. Helens, Wirral")
    assert (areas.loc[NORTH_WEST, "area_code"], areas.loc[LIVERPOOL_CITY_REGION, "area_code"],
            areas.loc[CHESHIRE_MERSEYSIDE, "area_code"]) == ("E12000002", "E47000004", "E54000008")
    # The North West total is its LSOAs' population, nobody else's.
    nw_pop = stored(pack, NORTH_WEST, "iod19_population_2015", "mid-2015")["value"]
    assert nw_pop == lsoas.loc[lsoas["region"] == NORTH_WEST, "pop"].sum()


def test_qof_obesity_for_the_icb_and_the_nhs_region_sums_their_practices(pack, planner):
    qof = pd.read_csv(IND / "qof_obesity_register_by_practice_2013_14_to_2024_25_england.csv.gz")
    ep = pd.read_csv(PRA / "epraccur_2022-12_national.csv.gz", header=None, dtype=str)
    ep = ep[ep[25] == "4"].set_index(0)
    year = qof[(qof["year"] == "2024-25") & qof["register"].notna() & (qof["practice_list_size"] > 0)]
    for area, column, code in ((CHESHIRE_MERSEYSIDE, 3, "QYG"), (NORTH_WEST, 2, "Y62")):
        inside = year[year["practice_code"].map(ep[column]) == code]
        held = stored(pack, area, "qof_obesity", "2024-25")
        expected = (inside["register"].sum(), inside["practice_list_size"].sum())
        assert (held["numerator"], held["denominator"]) == expected
        assert "NHS England North West region" in held["method"] if area == NORTH_WEST else "QYG" in held["method"]
    rows = compare(planner, ["qof_obesity"], benchmark="cheshire_merseyside", period="2024-25").set_index("area")
    assert rows.loc[CHESHIRE_MERSEYSIDE, "value"] == pytest.approx(14.918, abs=0.001)
    assert rows.loc["St Helens", "comparison"] == "worse"  # 16.4% (16.2–16.5%) against 14.9%


def test_north_west_smoking_is_the_published_fingertips_row(pack):
    ft = pd.read_csv(IND / "st_helens_gp_smoking_prevalence_qof_15plus.csv")
    published = ft[(ft["Area Code"] == "E12000002") & (ft["Time period"] == "2021/22")].iloc[0]
    held = stored(pack, NORTH_WEST, "qof_smoking", "2021/22")
    assert (held["value"], held["lower_ci"], held["status"]) == (published["Value"], published["Lower CI 95.0 limit"],
                                                                "published")


def test_a_measure_without_a_regional_value_says_not_available(planner, tmp_path):
    rows = compare(planner, ["iod25_imd_score", "census21_disabled"], benchmark="north_west", regions=True)
    missing = rows[rows["area"].isin([NORTH_WEST, LIVERPOOL_CITY_REGION, CHESHIRE_MERSEYSIDE])]
    assert len(missing) == 6 and missing["value"].isna().all() and (missing["comparison"] == NOT_AVAILABLE).all()
    assert "LSOA (2021) to LAD (2024)" in missing.iloc[0]["method"]
    localities = rows[rows["area"] == "Central"]
    assert (localities["comparison"] == "not compared").all()  # nothing to compare with
    out = tmp_path / "nw.csv"
    assert main(["compare", "--indicators", "iod25_imd_score,qof_obesity", "--benchmark", "north_west",
                 "--regions", "--out", str(out)]) == 0
    written = pd.read_csv(out, keep_default_na=False).set_index(["indicator_id", "area"])
    assert written.loc[("iod25_imd_score", NORTH_WEST), "comparison"] == NOT_AVAILABLE
    assert written.loc[("iod25_imd_score", NORTH_WEST), "value"] == ""  # blank with its reason, not a zero
    assert written.loc[("qof_obesity", LIVERPOOL_CITY_REGION), "comparison"] == NOT_AVAILABLE
    assert float(written.loc[("qof_obesity", NORTH_WEST), "value"]) == pytest.approx(15.413, abs=0.001)


def test_compare_tab_offers_the_regional_benchmarks_in_a_column_of_their_own(view):
    offered = [view.benchmark.itemText(i) for i in range(view.benchmark.count())]
    assert offered[2:] == [NORTH_WEST, LIVERPOOL_CITY_REGION, CHESHIRE_MERSEYSIDE]
    view.selection.setCurrentIndex(view.selection.findData("Obesity"))
    view.benchmark.setCurrentIndex(view.benchmark.findText(LIVERPOOL_CITY_REGION))
    headers = [view.table.headerItem().text(c) for c in range(view.table.columnCount())]
    assert headers[-1] == LIVERPOOL_CITY_REGION
    [group, first] = view.shown_rows()
    assert first[headers.index(LIVERPOOL_CITY_REGION)] == NOT_AVAILABLE
    view.benchmark.setCurrentIndex(view.benchmark.findText(NORTH_WEST))
    headers = [view.table.headerItem().text(c) for c in range(view.table.columnCount())]
    [group, first] = view.shown_rows()
    assert headers[-1] == NORTH_WEST and first[-1].startswith("15.4%")
    assert "North West" in view.colour_key.text()


def test_below_the_north_west_average_is_judged_against_the_imported_north_west_value(planner, tmp_path):
    pack = planner.pack
    path = tmp_path / "progress.csv"
    path.write_text(template_csv(pack.key_measures), encoding="utf-8")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {"aim", "north_west_value", "north_west_period"} <= set(rows[0])
    # SYNTHETIC values: suicide rate 12.0 against a North West 10.5; alcohol admissions 700 against 800.
    rows[1].update(latest_value="12.0", latest_period="2030", north_west_value="10.5", north_west_period="2030")
    rows[3].update(latest_value="700", latest_period="2030", north_west_value="800")
    rows[6].update(latest_value="22")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    progress = read_progress(path, pack.key_measures)
    measures = with_progress(plan_measures(planner), progress).set_index("measure")
    assert measures.loc["Suicide rate", "aim_check"] == "not met: 12 against the North West's 10.5 (2030)"
    assert measures.loc["Alcohol-related hospital admissions", "aim_check"].startswith("met: 700")
    assert measures.loc["Prevalence of obesity - children in Year 6", "aim_check"].startswith("no North West value")
    assert measures.loc["Social care-related quality of life score", "aim_check"].startswith("not judged")
    assert math.isnan(measures.loc["Healthy life expectancy", "north_west_value"])


def test_the_pack_shows_the_north_west_and_the_city_region_beside_the_deprivation_profile(planner, tmp_path):
    from pypdf import PdfReader

    from sthc_desktop.core.pack_tables import pack_tables
    from sthc_desktop.content.pack import PROFILE_INDICATORS
    pack = planner.pack
    nw = [stored(pack, NORTH_WEST, i, "IoD2019")["value"] for i in PROFILE_INDICATORS]
    assert [round(v, 1) for v in nw] == [28.1, 21.5, 21.8]
    out = tmp_path / "pack.pdf"
    assert main(["export", "pack", "--localities", "North", "--out", str(out)]) == 0
    overview = PdfReader(out).pages[1].extract_text()
    assert "North West 28.1 21.5% 21.8%" in overview and "Liverpool City" in overview
    tables = {t.name: t.frame for t in pack_tables(planner, ["North"], ["qof_obesity"], profile=PROFILE_INDICATORS)}
    profile = tables["Deprivation profile"]
    row = profile[(profile["area"] == LIVERPOOL_CITY_REGION)
                  & (profile["indicator_id"] == "profile19_pct_lsoas_most_deprived_10")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (335, 989) and "derived" in row["method"]


def test_a_pack_built_before_the_benchmarks_says_so(pack, tmp_path):
    import shutil
    import sqlite3

    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    older = tmp_path / "older.gpkg"
    shutil.copy(pack.path, older)
    with sqlite3.connect(older) as db:  # as a pack from before the regional benchmarks
        for table in ("benchmarks", "benchmark_areas"):
            db.execute(f"DROP TABLE {table}")
            for meta in ("gpkg_contents", "gpkg_ogr_contents"):
                db.execute(f"DELETE FROM {meta} WHERE table_name = ?", (table,))
    row = compare(Planner(DataPack(older)), ["iod19_imd_score"], benchmark="north_west").iloc[-1]
    assert (row["area"], row["comparison"]) == (NORTH_WEST, NOT_AVAILABLE) and math.isnan(row["value"])
    assert "holds no regional benchmarks" in row["method"]
