"""Published before derived, district ranks on every domain, and catalogue truth, checked against the
official files read here straight from the source folder (never through the builder)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SHARED_DATA, needs_shared_data

from sthc_desktop.cli import main
from sthc_desktop.core import district_ranks
from sthc_desktop.core.comparison import compare
from sthc_desktop.core.datapack import BOROUGH_CODE
from sthc_desktop.content.practices import practice_label

pytestmark = needs_shared_data
IND = SHARED_DATA / "indicators"
FILE10 = IND / "iod2025_file10_lad_summaries_england.csv"
DOMAINS_2019 = {"imd": "Index of Multiple Deprivation (IMD)", "income": "Income", "employment": "Employment",
                "education": "Education, Skills and Training", "health": "Health Deprivation and Disability",
                "crime": "Crime", "barriers": "Barriers to Housing and Services", "environment": "Living Environment"}


@pytest.fixture(scope="module")
def file10():
    return pd.read_csv(FILE10).set_index("ltla24_code")


@pytest.fixture(scope="module")
def lsoas_2019():
    """IoD2019 File 2 ranks and deciles, File 6 populations and the three published scores, per LSOA."""
    f2 = pd.read_csv(IND / "iod2019_file2_domain_ranks_deciles_lsoa11_england.csv.gz", encoding="utf-8-sig")
    f6 = pd.read_csv(IND / "iod2019_file6_population_denominators_lsoa11_england.csv.gz", encoding="utf-8-sig",
                     thousands=",")
    sc = pd.read_csv(IND / "iod2019_scores_imd_income_employment_lsoa11_england.csv.gz")
    f6 = f6.rename(columns={"Total population: mid 2015 (excluding prisoners)": "pop",
                            "Working age population 18-59/64: for use with Employment Deprivation Domain "
                            "(excluding prisoners)": "work"})
    frame = f2.merge(f6[["LSOA code (2011)", "pop", "work"]], on="LSOA code (2011)")
    return frame.merge(sc.rename(columns={"lsoa11_code": "LSOA code (2011)"}), on="LSOA code (2011)")


def test_borough_imd_2025_average_is_file_10_in_compare_and_districts(planner, pack, file10):
    published = file10.loc[BOROUGH_CODE, "imd_average_score"]
    row = compare(planner, ["iod25_imd_score"]).set_index("area").loc["St Helens"]
    assert row["value"] == published and "File 10" in row["method"] and "published" in row["method"]
    table = district_ranks.district_table(pack, "IoD2025", [BOROUGH_CODE])
    assert table["imd_average_score"].iloc[0] == published


def test_employment_2025_for_st_helens_matches_file_10_to_its_precision(planner, file10):
    published = file10.loc[BOROUGH_CODE, "employment_average_score"]  # 3 decimals of a fraction
    got = compare(planner, ["iod25_employment_score"]).set_index("area")
    assert round(got.loc["St Helens", "value"] / 100, 3) == published
    # The localities are rates over working-age denominators: numerators over their implied denominators.
    for area in ("Central", "Newton & Haydock", "North", "South"):
        r = got.loc[area]
        assert r["value"] == pytest.approx(100 * r["numerator"] / r["denominator"])
    assert "working-age" in planner.pack.indicator("iod25_employment_score").unit


def test_st_helens_2025_share_of_lsoas_in_the_most_deprived_10_percent_is_file_10(planner, file10):
    published = file10.loc[BOROUGH_CODE, "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"]
    rows = compare(planner, ["profile25_pct_lsoas_most_deprived_10", "profile19_pct_lsoas_most_deprived_10"])
    row = rows[rows["indicator_id"].str.startswith("profile25")].set_index("area").loc["St Helens"]
    assert row["value"] == 100 * published
    assert "as published by MHCLG, IoD2025 File 10" in row["method"] and "not recomputed" in row["method"]
    # IoD2019 has no File 10 among the sources: the share is counted from the LSOAs and says so.
    row = rows[rows["indicator_id"].str.startswith("profile19")].set_index("area").loc["St Helens"]
    assert row["value"] == 100 * row["numerator"] / row["denominator"] and "published" not in row["method"]


def test_st_helens_domain_ranks_2019_match_the_raw_lsoa_files(pack, lsoas_2019):
    nat, n = lsoas_2019, len(lsoas_2019)
    lad = nat["Local Authority District code (2019)"]
    got = district_ranks.domain_ranks(pack)
    got = got[(got["edition"] == "IoD2019") & (got["lad_code"] == BOROUGH_CODE)].set_index(["domain", "measure"])
    scores = {"imd": "Index of Multiple Deprivation (IMD) Score", "income": "Income Score (rate)",
              "employment": "Employment Score (rate)"}
    for stem, label in DOMAINS_2019.items():
        pop = nat["work" if stem == "employment" else "pop"]
        rank = nat[f"{label} Rank (where 1 is most deprived)"]
        average_rank = ((n + 1 - rank) * pop).groupby(lad).sum() / pop.groupby(lad).sum()
        share = (nat[f"{label} Decile (where 1 is most deprived 10% of LSOAs)"] == 1).groupby(lad).mean()
        expected = {"average_rank": average_rank, "proportion_most_deprived_10": share}
        if stem in scores:
            expected["average_score"] = (nat[scores[stem]] * pop).groupby(lad).sum() / pop.groupby(lad).sum()
        for measure, values in expected.items():
            ours = got.loc[(stem, measure)]
            assert ours["value"] == pytest.approx(values[BOROUGH_CODE]), (stem, measure)
            assert ours["rank"] == int((values > values[BOROUGH_CODE]).sum()) + 1, (stem, measure)
        assert ((stem, "average_score") in got.index) == (stem in scores)  # no domain scores, no such rank
    # The plan's "9th on Employment": IoD2019 rank of average employment score.
    assert got.loc[("employment", "average_score"), "rank"] == 9


def test_st_helens_domain_ranks_2025_are_file_10_as_published(pack, file10):
    got = district_ranks.domain_ranks(pack)
    got = got[(got["edition"] == "IoD2025") & (got["lad_code"] == BOROUGH_CODE)].set_index(["domain", "measure"])
    published = file10.loc[BOROUGH_CODE]
    assert got.loc[("health", "average_score"), "rank"] == published["health_deprivation_and_disability_rank_of_average_score"]
    assert got.loc[("employment", "average_rank"), "rank"] == published["employment_rank_of_average_rank"]
    assert got.loc[("imd", "extent"), "value"] == published["imd25_extent"]
    # Rank 1 is the most deprived in both editions: the highest average rank and score rank first.
    for edition in district_ranks.EDITIONS:
        imd = district_ranks.domain_ranks(pack)
        imd = imd[(imd["edition"] == edition) & (imd["domain"] == "imd") & (imd["measure"] == "average_rank")]
        top = imd.sort_values("rank").iloc[0]
        assert top["value"] == imd["value"].max()
    assert all("as published by MHCLG, IoD2025 File 10" in s for s in got["source"])


def test_districts_command_works_on_the_bundled_pack(tmp_path, capsys):
    out = tmp_path / "d.csv"
    assert main(["districts", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert BOROUGH_CODE in set(table["lad_code"]) and len(table) == 6
    assert table["imd_rank_of_average_score"].is_monotonic_increasing
    # The file says which way its ranks run, and both editions run the same way (1 = most deprived).
    assert (table["ranks"] == district_ranks.RANK_DIRECTION).all() and "1 = most deprived" in table["ranks"][0]
    later = tmp_path / "d25.csv"
    assert main(["districts", "--edition", "2025", "--out", str(later)]) == 0
    for frame in (table, pd.read_csv(later)):
        frame = frame.sort_values("imd_average_rank", ascending=False)
        assert frame["imd_rank_of_average_rank"].is_monotonic_increasing
        by_score = frame.sort_values("imd_average_score", ascending=False)
        assert by_score["imd_rank_of_average_score"].is_monotonic_increasing
    for domain in district_ranks.DOMAINS:
        assert f"{domain}_rank_of_average_rank" in table and f"{domain}_rank_of_proportion_most_deprived_10" in table
    assert "Employment 9" in capsys.readouterr().out


def test_ae_0_4_networks_are_ohid_pcn_values_as_published(planner):
    raw = pd.read_csv(IND / "st_helens_gp_ae_attendances_age0_4_fingertips_93930.csv")
    pcn = raw[raw["Area Type"].str.startswith("PCN") & (raw["Sex"] == "Persons")].set_index("Area Code")
    networks = planner.pack.networks.set_index("network")["pcn_code"]
    period = pcn["Time period"].iloc[0]
    got = compare(planner, ["ae_attendances_0_4"], period=period).set_index("area")
    for network, code in networks.items():
        assert got.loc[network, "value"] == pytest.approx(pcn.loc[code, "Value"])
        assert got.loc[network, "numerator"] == pcn.loc[code, "Count"]
        assert "As published by OHID" in got.loc[network, "method"]
    assert "As published" not in got.loc["St Helens", "method"]


def test_qof_smoking_carries_every_practice_period_the_source_has(pack):
    raw = pd.read_csv(IND / "st_helens_gp_smoking_prevalence_qof_15plus.csv")
    gps = raw[raw["Area Type"] == "GPs"]
    values = pack.indicator_values("qof_smoking", "practice")
    for period, rows in gps.groupby("Time period"):
        held = values[values["period"] == period]
        assert set(held["area_code"]) == set(rows["Area Code"]), period
        assert held["lower_ci"].notna().all() and (held["lower_ci"] <= held["value"]).all()
    assert "2023/24" in pack.indicator("qof_smoking").periods


def test_now_names_only_for_recorded_renames(pack):
    changes = pd.read_csv(SHARED_DATA / "practices" / "sthelens_practice_changes.csv")
    renamed = set(changes.loc[changes["event"].str.contains("renamed", na=False), "ods_code"])
    practices = pack.practices
    labelled = {r["ods_code"] for r in practices.to_dict("records") if "(now " in practice_label(r)}
    assert labelled and labelled <= renamed
    differs = practices[practices["plan_name"].notna() & practices["name"].notna()
                        & (practices["plan_name"] != practices["name"])]
    assert len(set(differs["ods_code"]) - renamed) > 0  # informal plan names exist, and get no "(now …)"


def test_obesity_caveat_says_the_year_of_the_definition_change_is_not_verified(pack):
    assert "not verified" in pack.indicator("qof_obesity").caveats


def test_the_deprivation_view_shows_where_st_helens_ranks_on_each_domain(qtbot, planner, file10):
    from sthc_desktop.ui.comparison_view import DISTRICT_RANKS_TAB, ComparisonView
    from sthc_desktop.ui.document import Document
    view = ComparisonView(Document(planner))
    qtbot.addWidget(view)
    view.selection.setCurrentIndex(view.selection.findData("Deprivation"))  # as the user picks the theme
    assert view.tabs.tabText(view.tabs.currentIndex()) == DISTRICT_RANKS_TAB
    table = view.district_ranks
    headers = [table.horizontalHeaderItem(j).text() for j in range(table.columnCount())]
    rows = {table.item(i, 0).text(): [table.item(i, j).text() for j in range(table.columnCount())]
            for i in range(table.rowCount())}
    employment = rows["Employment"]
    assert employment[headers.index("2019: average score (of 317)")] == "9"
    health = rows["Health Deprivation and Disability"]
    assert health[headers.index("2019: average score (of 317)")] == district_ranks.NOT_COMPUTABLE
    published = file10.loc[BOROUGH_CODE, "health_deprivation_and_disability_rank_of_average_score"]
    assert health[headers.index("2025: average score (of 296)")] == str(int(published))
    assert "File 10" in view.district_ranks_note.text()


def test_the_locality_pack_prints_the_domain_ranks_with_the_measures_named(planner, tmp_path):
    from pypdf import PdfReader

    from sthc_desktop.export import export_pack
    out = export_pack(planner, tmp_path / "pack.pdf", localities=["North"], indicators=["qof_obesity"])
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Where St Helens ranks among England's districts" in text
    # The note under the table names each measure and where it comes from.
    for words in ("average score (population-weighted", "average rank", "most deprived 10%", "File 10"):
        assert words in text, words


def test_the_extent_formula_reproduces_file_10_for_st_helens_2025(pack, file10, lsoas_2019):
    """The IoD2019 extent is computed with the rule checked here against MHCLG's published 2025 value:
    residents of LSOAs in the most deprived 10% count in full, then a share falling linearly to 0 at 30%
    (Census 2021 residents stand in for MHCLG's mid-2022 populations, so agreement is to 3 decimals)."""
    ranks = pd.read_csv(IND / "iod2025_imd_domains_lsoa21_england.csv.gz", usecols=["lsoa21_code", "IMD_rank"])
    residents = pd.read_csv(IND / "st_helens_census2021_disability_lsoa21.csv").drop_duplicates("lsoa21_code")
    mine = ranks.merge(residents[["lsoa21_code", "total_residents"]], on="lsoa21_code")
    weight = ((0.3 - mine["IMD_rank"] / len(ranks)) / 0.2).clip(0, 1)
    extent = (weight * mine["total_residents"]).sum() / mine["total_residents"].sum()
    assert extent == pytest.approx(file10.loc[BOROUGH_CODE, "imd25_extent"], abs=5e-4)
    # The same rule on IoD2019 File 2 ranks and File 6 populations is what the pack holds.
    nat = lsoas_2019
    st = nat[nat["Local Authority District code (2019)"] == BOROUGH_CODE]
    share = ((0.3 - st["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"] / len(nat)) / 0.2)
    expected = (share.clip(0, 1) * st["pop"]).sum() / st["pop"].sum()
    got = district_ranks.domain_ranks(pack)
    got = got[(got["edition"] == "IoD2019") & (got["lad_code"] == BOROUGH_CODE) & (got["measure"] == "extent")]
    assert got["value"].iloc[0] == pytest.approx(expected)
