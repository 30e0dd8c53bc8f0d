"""Locality, borough and England values equal sums computed here, independently, from the pack's rows;
the deprivation profile and inequality follow MHCLG's local-authority summaries; a supplied lookup
CSV is checked row by row."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from sthc_desktop.core.aggregate import aggregate
from sthc_desktop.core.deprivation import decile_populations, inequality, profile_values
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.localities import NETWORKS, SUPPLIED_LOOKUP, lookup_assignments
from sthc_desktop.core.planner import Planner

Z = 1.959964


@pytest.fixture(scope="module")
def planner(pack):
    """Whole-LSOA sums are checked here under nearest practice; fractional shares in test_catchments.py."""
    from sthc_desktop.core.localities import NEAREST_PRACTICE, pack_assignments
    return Planner(pack, pack_assignments(pack, NEAREST_PRACTICE))


def rows(pack, indicator_id, area_type, period=None):
    v = pack.values
    mask = (v["indicator_id"] == indicator_id) & (v["area_type"] == area_type)
    if period is not None:
        mask &= v["period"] == period
    return v[mask]


def row(frame, area):
    hit = frame[frame["area"] == area]
    assert len(hit) == 1, f"{area}: {len(hit)} rows"
    return hit.iloc[0]


def by_ward_lookup(pack, path):
    """A lookup CSV (built by this test) putting every 2021 LSOA in the locality holding most of its ward."""
    lsoas = pack.layer("lsoa21")[["code", "ward_code", "locality"]]
    ward_locality = lsoas.groupby("ward_code")["locality"].agg(lambda s: s.value_counts().sort_index().idxmax())
    table = pd.DataFrame({"LSOA21CD": lsoas["code"], "Care Community": lsoas["ward_code"].map(ward_locality)})
    table.to_csv(path, index=False)
    return table.set_index("LSOA21CD")["Care Community"]


# -- ratio of sums ------------------------------------------------------------------------------
def test_north_adult_obesity_is_the_ratio_of_north_practices_sums(planner, pack):
    practices = pack.practices
    north = set(practices.loc[practices["network"] == "North", "ods_code"].dropna())
    mine = rows(pack, "qof_obesity", "practice", "2024-25")
    mine = mine[mine["area_code"].isin(north)]
    assert len(mine) == 6
    num, den = mine["numerator"].sum(), mine["denominator"].sum()
    got = row(aggregate(planner, "qof_obesity", "2024-25"), "North")
    assert got["numerator"] == num and got["denominator"] == den
    assert got["value"] == pytest.approx(100 * num / den)
    # The interval comes from the summed counts (Wilson), not from the practices' own intervals.
    ci = binomtest(int(num), int(den)).proportion_ci(0.95, method="wilson")
    assert got["lower_ci"] == pytest.approx(100 * ci.low, abs=1e-6)
    assert got["upper_ci"] == pytest.approx(100 * ci.high, abs=1e-6)
    assert got["lower_ci"] > mine["lower_ci"].min() and got["upper_ci"] < mine["upper_ci"].max()
    assert "Wilson" in got["method"] and "summed counts" in got["method"]


def test_closed_practices_count_for_the_years_they_reported(planner, pack):
    closed = pack.practices[pack.practices["status"] == "closed"]
    holly = closed[closed["ods_code"] == "N83060"].iloc[0]  # Holly Bank, South, closed 2023-12-31
    reported = rows(pack, "qof_obesity", "practice", "2019-20")
    assert "N83060" in set(reported["area_code"])
    south = set(pack.practices.loc[pack.practices["network"] == holly["network"], "ods_code"].dropna())
    expected = reported[reported["area_code"].isin(south)]
    got = row(aggregate(planner, "qof_obesity", "2019-20"), holly["network"])
    assert got["numerator"] == expected["numerator"].sum()


def test_a_rate_interval_is_byar_from_the_summed_count(planner, pack):
    # St Helens is summed from the practice rows (OHID publishes no borough row; the networks are its PCN rows).
    mine = rows(pack, "ae_attendances_0_4", "practice", "2021/22")
    o, d = mine["numerator"].sum(), mine["denominator"].sum()
    got = row(aggregate(planner, "ae_attendances_0_4", "2021/22"), "St Helens")
    assert got["value"] == pytest.approx(1000 * o / d)
    lower = o * (1 - 1 / (9 * o) - Z / (3 * math.sqrt(o))) ** 3 / d * 1000
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z / (3 * math.sqrt(o + 1))) ** 3 / d * 1000
    assert got["lower_ci"] == pytest.approx(lower) and got["upper_ci"] == pytest.approx(upper)
    assert "Byar" in got["method"]


def test_lsoa_proportion_uses_the_assignment_in_use(planner, pack):
    assigned = planner.localities["lsoa11"]
    mine = rows(pack, "iod19_income_score", "lsoa11")
    south = mine[mine["area_code"].map(assigned) == "South"]
    got = row(aggregate(planner, "iod19_income_score"), "South")
    assert got["value"] == pytest.approx(100 * south["numerator"].sum() / south["denominator"].sum())
    assert "nearest practice" in got["method"]


# -- weighted means and sums --------------------------------------------------------------------
def test_borough_average_imd_2019_is_population_weighted_over_119_lsoas(planner, pack):
    score = rows(pack, "iod19_imd_score", "lsoa11").set_index("area_code")["value"]
    pop = rows(pack, "iod19_population_2015", "lsoa11").set_index("area_code")["value"]
    assert len(score) == 119
    expected = (score * pop.reindex(score.index)).sum() / pop.reindex(score.index).sum()
    frame = aggregate(planner, "iod19_imd_score")
    borough = row(frame, "St Helens")
    assert borough["value"] == pytest.approx(expected)
    assert "mid-2015" in borough["method"]
    england = rows(pack, "iod19_imd_score", "england").iloc[0]
    assert row(frame, "England")["value"] == england["value"]  # the pack's England row, not recomputed here


# -- how each England value was made ----------------------------------------------------------------
@pytest.mark.parametrize("indicator_id, words", [
    ("iod19_imd_score", ["population-weighted mean of all 32,844 England LSOAs", "computed by the builder"]),
    ("iod19_income_score", ["numerators of all 32,844 England LSOAs", "summed", "computed by the builder"]),
    ("qof_obesity", ["all England practices", "computed by the builder"]),
    ("pop20_total", ["all England LSOAs", "computed by the builder"]),
    ("qof_smoking", ["as published by OHID Fingertips", "not recomputed"]),
    ("ae_attendances_0_4", ["as published by OHID Fingertips"]),
])
def test_england_rows_say_how_they_were_made(planner, indicator_id, words):
    # QOF smoking's latest year (2023/24) has practice rows only: its England rows end at 2022/23.
    england = row(aggregate(planner, indicator_id, "2022/23" if indicator_id == "qof_smoking" else None), "England")
    for w in words:
        assert w in england["method"], (indicator_id, england["method"])
    assert ("computed by the builder" in england["method"]) != ("published" in england["method"])


def test_standardised_ratios_compare_with_the_like_for_like_england_mean_not_100(planner, pack):
    for indicator_id in ("iod19_acute_morbidity", "iod19_cidr"):
        assert "England = 100" in pack.indicator(indicator_id).unit
        england = row(aggregate(planner, indicator_id), "England")
        assert england["value"] > 110  # a mean of LSOA ratios, like the localities' values; not 100
        assert "not 100" in england["method"] and "population-weighted mean" in england["method"]


def test_iod2025_rates_name_their_own_population(pack):
    assert pack.indicator("iod25_employment_score").unit == "% of working-age population"
    assert pack.indicator("iod25_income_score").unit == "% of total population"
    assert pack.indicator("iod19_employment_score").unit == "% of working-age population"


def test_iod2025_scores_are_weighted_by_census_2021_residents_and_have_no_england_row(planner, pack):
    frame = aggregate(planner, "iod25_imd_score")
    assert "England" not in set(frame["area"])
    score = rows(pack, "iod25_imd_score", "lsoa21").set_index("area_code")["value"]
    res = rows(pack, "census21_residents", "lsoa21").set_index("area_code")["value"].reindex(score.index)
    north = score.index.map(planner.localities["lsoa21"]) == "North"
    assert row(frame, "North")["value"] == pytest.approx((score[north] * res[north]).sum() / res[north].sum())
    assert "Census 2021" in row(frame, "North")["method"]
    # St Helens is MHCLG's published File 10 value, not the residents-weighted mean of its LSOAs.
    assert row(frame, "St Helens")["value"] == rows(pack, "iod25_imd_score", "borough")["value"].iloc[0]
    assert "File 10" in row(frame, "St Helens")["method"]


def test_counts_are_summed_and_localities_add_up_to_the_borough(planner, pack):
    frame = aggregate(planner, "pop20_total")
    total = rows(pack, "pop20_total", "lsoa11")["value"].sum()
    assert row(frame, "St Helens")["value"] == total
    assert sum(row(frame, n)["value"] for n in NETWORKS) == total


def test_practice_scores_are_list_weighted_by_the_nearest_list_size(planner, pack):
    frame = aggregate(planner, "practice_imd_score", "IMD2019")
    sizes = rows(pack, "practice_list_size", "practice", "2021-01-01").set_index("area_code")["value"]
    scores = rows(pack, "practice_imd_score", "practice", "IMD2019").set_index("area_code")["value"]
    central = pack.practices.loc[pack.practices["network"] == "Central", "ods_code"]
    s, w = scores.reindex(central), sizes.reindex(central)
    assert row(frame, "Central")["value"] == pytest.approx((s * w).sum() / w.sum())
    assert "2021-01-01" in row(frame, "Central")["method"]


def test_published_borough_value_is_preferred_and_said_so(planner, pack):
    frame = aggregate(planner, "qof_smoking", "2022/23")
    published = rows(pack, "qof_smoking", "borough", "2022/23").iloc[0]
    assert row(frame, "St Helens")["value"] == published["value"]
    assert "Published borough value" in row(frame, "St Helens")["method"]


def test_ranks_are_not_aggregated_and_say_why(planner):
    frame = aggregate(planner, "iod19_imd_rank")
    assert frame.loc[frame["area"].isin(NETWORKS), "value"].isna().all()
    assert "not aggregated" in row(frame, "North")["method"]


def test_no_practice_values_for_a_period_give_nan_not_a_guess(planner):
    frame = aggregate(planner, "ae_attendances_0_4", "2022/23")
    assert frame.loc[frame["area"].isin(NETWORKS), "value"].isna().all()
    assert "no values in the pack" in row(frame, "North")["method"].lower()
    assert not math.isnan(row(frame, "England")["value"])


# -- deprivation profile --------------------------------------------------------------------------
def test_share_of_lsoas_in_the_most_deprived_decile(planner, pack):
    deciles = rows(pack, "iod19_imd_decile", "lsoa11").set_index("area_code")["value"]
    got = profile_values(planner, "profile19_pct_lsoas_most_deprived_10")
    assert row(got, "St Helens")["value"] == pytest.approx(100 * (deciles == 1).sum() / 119)
    north = deciles[deciles.index.map(planner.localities["lsoa11"]) == "North"]
    assert row(got, "North")["numerator"] == (north == 1).sum()
    assert row(got, "North")["denominator"] == len(north)


def test_resident_shares_by_decile_and_quintile(planner, pack):
    shares = {d: profile_values(planner, f"profile19_pct_residents_decile_{d}") for d in range(1, 11)}
    for area in (*NETWORKS, "St Helens"):
        assert sum(row(shares[d], area)["value"] for d in shares) == pytest.approx(100)
    q1 = row(profile_values(planner, "profile19_pct_residents_quintile_1"), "South")["value"]
    assert q1 == pytest.approx(row(shares[1], "South")["value"] + row(shares[2], "South")["value"])
    deciles = rows(pack, "iod19_imd_decile", "lsoa11").set_index("area_code")["value"]
    pop = rows(pack, "iod19_population_2015", "lsoa11").set_index("area_code")["value"]
    table = decile_populations(planner, "19")
    assert table.loc["St Helens", 1] == pop[deciles[deciles == 1].index].sum()
    assert table.loc[list(NETWORKS)].sum().sum() == pytest.approx(pop.sum())


def test_profile_2025_is_on_2021_lsoas_with_census_weights(planner):
    got = profile_values(planner, "profile25_imd_average_score")
    assert row(got, "St Helens")["value"] == pytest.approx(row(aggregate(planner, "iod25_imd_score"),
                                                                  "St Helens")["value"])
    share = profile_values(planner, "profile25_pct_residents_decile_1")
    assert "Census 2021" in row(share, "North")["method"]


def test_inequality_gap_between_most_and_least_deprived_fifths(planner, pack):
    imd = rows(pack, "iod19_imd_score", "lsoa11").set_index("area_code")["value"]
    income = rows(pack, "iod19_income_score", "lsoa11").set_index("area_code")
    north = imd[imd.index.map(planner.localities["lsoa11"]) == "North"].sort_values(ascending=False)
    assert len(north) == 30
    top, bottom = income.loc[north.index[:6]], income.loc[north.index[-6:]]
    expected = (100 * top["numerator"].sum() / top["denominator"].sum()
                - 100 * bottom["numerator"].sum() / bottom["denominator"].sum())
    got = row(inequality(planner, "iod19_income_score"), "North")
    assert got["gap"] == pytest.approx(expected)
    assert got["lsoas_most_deprived"] == 6 and got["lsoas_least_deprived"] == 6
    assert "fifths of LSOAs within the area" in got["method"] and "nearest practice" in got["method"]
    assert got["numerator_most_deprived"] == top["numerator"].sum()
    assert np.isnan(row(inequality(planner, "qof_obesity"), "North")["gap"])


# -- a supplied lookup --------------------------------------------------------------------------
def test_lookup_by_ward_changes_locality_values_and_the_method(planner, pack, tmp_path):
    lookup = by_ward_lookup(pack, tmp_path / "wards.csv")
    assert (lookup != planner.localities["lsoa21"].reindex(lookup.index)).any()  # the test can fail
    assignments = lookup_assignments(pack, tmp_path / "wards.csv")
    by_ward = Planner(pack, assignments)
    assert by_ward.assignments["lsoa21"].method == SUPPLIED_LOOKUP
    assert "wards.csv" in by_ward.assignment_statement
    assert (by_ward.localities["lsoa21"].reindex(lookup.index) == lookup).all()
    before, after = aggregate(planner, "census21_disabled"), aggregate(by_ward, "census21_disabled")
    assert not np.allclose(before["value"][:4], after["value"][:4])
    assert "supplied lookup" in row(after, "North")["method"]
    assert row(after, "St Helens")["value"] == row(before, "St Helens")["value"]
    # 2011 LSOAs follow the ONS 2011 -> 2021 lookup: an unchanged LSOA keeps its 2021 locality.
    links = pack.layer("lsoa21").set_index("code")
    unchanged = links[links["change_2011"] == "U"].index[0]
    assert by_ward.localities["lsoa11"][links.loc[unchanged, "lsoa11_code"]] == lookup[unchanged]


@pytest.mark.parametrize("body, words", [
    ("lsoa21cd,locality\nE01006802,North\nE01999999,South\n", ["E01999999", "row 3", "lsoa21cd"]),
    ("lsoa21cd,locality\nE01006802,Nowhere\n", ["Nowhere", "row 2", "locality"]),
    ("lsoa21cd,locality\nE01006802,North\nE01006802,North\n", ["E01006802", "twice", "row 3"]),
    ("lsoa21cd,locality\nE01006802,North\n", ["have no row", "first: E01006803"]),
    ("area,locality\nE01006802,North\n", ["no LSOA code column"]),
])
def test_bad_lookups_are_rejected_naming_the_problem(pack, tmp_path, body, words):
    path = tmp_path / "lookup.csv"
    path.write_text(body)
    with pytest.raises(DataError) as err:
        lookup_assignments(pack, path)
    message = str(err.value)
    assert "lookup.csv" in message and "\n" not in message
    for w in words:
        assert w in message
