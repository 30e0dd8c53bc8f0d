"""The comparison table: its columns and rows, comparisons against England or the borough under each
indicator's polarity, themes in place of ids, the strategic plan's key measures, the inequality
within each locality, and publishable rows (counts of 1 to 4 suppressed; the small counts are a
synthetic indicator built by the test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import BUNDLED_PACK, SHARED_DATA, needs_shared_data
from sthc_desktop.core.comparison import (COLUMNS, INEQUALITY_COLUMNS, NOT_IN_PACK, SUPPRESSED, compare,
                                          indicator_ids, inequality_table, plan_measures, publishable)
from sthc_desktop.core.datapack import DataPack, Dataset
from sthc_desktop.core.deprivation import inequality
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.vocabulary import Indicator

AREAS = ["Central", "Newton & Haydock", "North", "South", "St Helens", "England"]


def whole_lsoa_planner(pack) -> Planner:
    """Nearest practice: the whole-LSOA sums here are simplest to recompute (fractional shares are
    checked in test_catchments.py)."""
    from sthc_desktop.core.localities import NEAREST_PRACTICE, pack_assignments
    return Planner(pack, pack_assignments(pack, NEAREST_PRACTICE))


@pytest.fixture(scope="module")
def planner(pack):
    return whole_lsoa_planner(pack)


def rows(pack, indicator_id, area_type):
    return pack.indicator_values(indicator_id, area_type)


def test_columns_and_area_order(planner):
    frame = compare(planner, ["qof_obesity", "iod25_imd_score"])
    assert list(frame.columns) == list(COLUMNS)
    assert frame[frame["indicator_id"] == "qof_obesity"]["area"].tolist() == AREAS
    assert frame[frame["indicator_id"] == "iod25_imd_score"]["area"].tolist() == AREAS[:5]  # no England value


def test_comparison_against_england_follows_the_intervals(planner, pack):
    frame = compare(planner, "qof_obesity").set_index("area")
    england = frame.loc["England", "value"]
    assert frame.loc["England", "comparison"] == "not compared"
    for area in AREAS[:5]:
        r = frame.loc[area]
        expected = "worse" if r["lower_ci"] > england else "better" if r["upper_ci"] < england else "similar"
        assert r["comparison"] == expected, area
        assert r["benchmark"] == "England"
    assert frame.loc["St Helens", "comparison"] == "worse"  # 16.4% (16.2–16.5) against England's 13.9%


def test_comparison_against_the_borough(planner):
    frame = compare(planner, "iod19_income_score", benchmark="borough").set_index("area")
    borough = frame.loc["St Helens", "value"]
    assert frame.loc["St Helens", "comparison"] == "not compared"
    assert frame.loc["England", "comparison"] == "not compared"
    north = frame.loc["North"]
    assert north["upper_ci"] < borough and north["comparison"] == "better"  # higher is worse
    assert set(frame["benchmark"]) == {"St Helens"}


def test_no_judgement_gives_higher_or_lower_and_no_interval_gives_not_compared(planner):
    frame = compare(planner, ["pop20_65_plus_pct", "iod19_imd_score"])
    older = frame[frame["indicator_id"] == "pop20_65_plus_pct"]
    assert set(older["comparison"]) <= {"higher", "similar", "lower", "not compared"}
    assert {"higher", "lower"} & set(older["comparison"])
    scores = frame[frame["indicator_id"] == "iod19_imd_score"]
    assert set(scores["comparison"]) == {"not compared"}  # a weighted mean of scores has no interval


def test_a_theme_stands_for_its_indicators(planner, pack):
    assert indicator_ids(pack, "Obesity") == ["qof_obesity"]
    ids = indicator_ids(pack, "deprivation")
    assert "profile19_pct_lsoas_most_deprived_10" in ids and "profile25_pct_residents_quintile_1" in ids
    assert "iod19_imd_score" in ids and "iod19_imd_rank" not in ids and "iod19_imd_decile" not in ids
    frame = compare(planner, "Deprivation")
    assert set(frame["indicator_id"]) == set(ids)


def test_profile_average_score_is_the_population_weighted_mean_of_the_pack_lsoas(planner, pack):
    frame = compare(planner, "profile19_imd_average_score").set_index("area")
    score = rows(pack, "iod19_imd_score", "lsoa11").set_index("area_code")["value"]
    pop = rows(pack, "iod19_population_2015", "lsoa11").set_index("area_code")["value"].reindex(score.index)
    locality = score.index.map(planner.localities["lsoa11"])
    for area in NETWORKS:
        mine = locality == area
        assert frame.loc[area, "value"] == pytest.approx((score[mine] * pop[mine]).sum() / pop[mine].sum()), area
    assert frame.loc["St Helens", "value"] == pytest.approx((score * pop).sum() / pop.sum())
    assert frame.loc["North", "indicator_name"] == "IMD 2019: population-weighted average score"


@needs_shared_data
def test_england_average_score_is_recomputed_from_every_england_lsoa(planner):
    """The pack's England IMD 2019 average score is not published in the sources: the builder computes it,
    and says so. Recompute it here from the official LSOA files."""
    folder = SHARED_DATA / "indicators"
    scores = pd.read_csv(folder / "iod2019_scores_imd_income_employment_lsoa11_england.csv.gz")
    pop = pd.read_csv(folder / "iod2019_file6_population_denominators_lsoa11_england.csv.gz", thousands=",")
    both = scores.merge(pop, left_on="lsoa11_code", right_on="LSOA code (2011)")
    assert len(both) == 32844
    expected = np.average(both["Index of Multiple Deprivation (IMD) Score"],
                          weights=both["Total population: mid 2015 (excluding prisoners)"])
    england = compare(planner, "profile19_imd_average_score").set_index("area").loc["England"]
    assert england["value"] == pytest.approx(expected, rel=1e-9)
    assert "population-weighted mean of all 32,844 England LSOAs" in england["method"]
    assert "computed by the builder" in england["method"]


def test_period_and_unknown_ids(planner):
    frame = compare(planner, "qof_obesity", period="2019-20")
    assert set(frame["period"]) == {"2019-20"}
    with pytest.raises(DataError, match="unknown indicator or theme 'nope'"):
        compare(planner, "qof_obesity,nope")
    with pytest.raises(DataError, match="period '1999'"):
        compare(planner, "qof_obesity", period="1999")


def test_a_period_without_practice_values_is_refused_not_guessed(planner):
    # Smoking is published for practices in 2022/23 only; 2019/20 exists only for the borough and England.
    with pytest.raises(DataError, match="2019/20"):
        compare(planner, "qof_smoking", period="2019/20")


def test_default_period_has_locality_values(planner):
    # A&E 0-4: England has 2022/23, practices only 2021/22; the default must be the one with practices.
    frame = compare(planner, ["ae_attendances_0_4"]).set_index("area")
    assert set(frame["period"]) == {"2021/22"}
    assert frame.loc[["Central", "Newton & Haydock", "North", "South"], "value"].notna().all()


def test_plan_measures_trace_to_the_key_measures_table(planner, pack):
    measures = plan_measures(planner)
    key = pack.key_measures
    assert len(measures) == len(key) == 18
    assert measures["measure"].tolist() == key["measure"].tolist()
    for column in ("indicator_id", "priority", "objective", "baseline_unit", "target_unit", "aim"):
        assert measures[column].fillna("").tolist() == key[column].fillna("").tolist(), column
    for column in ("baseline", "target_2026_27"):
        np.testing.assert_array_equal(measures[column].to_numpy(float), key[column].to_numpy(float))
    # The pack's only borough rows for the measures are the plan's own baselines: so no later value.
    for m in measures.itertuples():
        borough = pack.indicator_values(m.indicator_id, "borough")
        assert set(borough["period"]) <= {"plan baseline"}, m.measure
        assert borough["value"].tolist() == ([] if np.isnan(m.baseline) else [m.baseline]), m.measure
    assert set(measures["latest_note"]) == {NOT_IN_PACK} and measures["latest_value"].isna().all()


@needs_shared_data
def test_plan_measures_equal_the_plan_as_printed(planner):
    printed = pd.read_csv(SHARED_DATA / "plan" / "strategic_plan_key_measures.csv")
    measures = plan_measures(planner)
    assert measures["measure"].tolist() == printed["measure"].tolist()
    for column in ("baseline", "target_2026_27"):
        np.testing.assert_array_equal(measures[column].to_numpy(float),
                                      pd.to_numeric(printed[column], errors="coerce").to_numpy(float))


# -- inequality within each locality -------------------------------------------------------------
def test_inequality_table_keeps_the_lsoa_rates_proportions_and_scores(planner):
    chosen = ["qof_obesity", "iod19_income_score", "pop20_total", "iod25_imd_score", "profile19_imd_average_score",
              "iod19_imd_decile"]
    table = inequality_table(planner, chosen)
    assert list(table.columns) == list(INEQUALITY_COLUMNS)
    assert list(dict.fromkeys(table["indicator_id"])) == ["iod19_income_score", "iod25_imd_score"]
    for ind in ("iod19_income_score", "iod25_imd_score"):
        part = table[table["indicator_id"] == ind].reset_index(drop=True)
        direct = inequality(planner, ind)
        assert part["area"].tolist() == AREAS[:5]
        np.testing.assert_allclose(part["gap"].to_numpy(float), direct["gap"].to_numpy(float))
        assert (part["lsoas_most_deprived"] > 0).all() and (part["lsoas_least_deprived"] > 0).all()
    assert inequality_table(planner, "Obesity").empty


def test_inequality_with_population_weights_is_computed_from_the_pack_rows(planner, pack):
    imd = rows(pack, "iod25_imd_score", "lsoa21").set_index("area_code")["value"]
    income = rows(pack, "iod25_health_score", "lsoa21").set_index("area_code")["value"]
    residents = rows(pack, "census21_residents", "lsoa21").set_index("area_code")["value"]
    south = imd[imd.index.map(planner.localities["lsoa21"]) == "South"].sort_values(ascending=False)
    n = len(south)
    top = south.index[:math.ceil(n / 5)]              # ranks 0 .. n/5: the most deprived fifth
    bottom = south.index[math.ceil(4 * n / 5):]        # ranks from 4n/5: the least deprived fifth
    mean = (lambda codes: (income[codes] * residents[codes]).sum() / residents[codes].sum())
    got = inequality_table(planner, ["iod25_health_score"]).set_index("area").loc["South"]
    assert got["lsoas_most_deprived"] == len(top) and got["lsoas_least_deprived"] == len(bottom)
    assert got["most_deprived"] == pytest.approx(mean(top)) and got["least_deprived"] == pytest.approx(mean(bottom))
    assert got["gap"] == pytest.approx(mean(top) - mean(bottom)) and got["gap"] > 0
    assert "Census 2021" in got["method"] and "nearest practice" in got["method"]


# -- publishing safely: counts of 1 to 4 ----------------------------------------------------------
def small_count_indicator(pack) -> str:
    """Add a synthetic LSOA 2021 proportion (built here, not official) whose Central total count is 3: the
    Central LSOA with the highest IMD 2025 score counts 3, the other Central LSOAs 0, every other LSOA 50,
    each out of 500."""
    localities = whole_lsoa_planner(pack).localities["lsoa21"]
    imd = rows(pack, "iod25_imd_score", "lsoa21").set_index("area_code")["value"]
    central = imd[imd.index.map(localities) == "Central"].idxmax()
    codes = sorted(localities.index)
    counts = np.array([3 if c == central else 0 if localities[c] == "Central" else 50 for c in codes], dtype=float)
    ind = "synthetic_small_counts"
    values = pd.DataFrame({"indicator_id": ind, "area_type": "lsoa21", "area_code": codes, "period": "2025",
                           "value": 100 * counts / 500, "numerator": counts, "denominator": 500.0,
                           "lower_ci": np.nan, "upper_ci": np.nan})
    meta = {"id": ind, "name": "Synthetic small counts", "short_name": "Synthetic small counts", "theme": "Synthetic",
            "unit": "%", "polarity": "higher is worse", "geography": "lsoa21", "dataset": ind,
            "value_type": "proportion", "aggregation": "ratio of sums", "caveats": "Synthetic test data.",
            "weight": "", "multiplier": 100.0, "periods": "2025", "period": "2025", "source": "synthetic test data"}
    pack.add_indicator(Indicator.from_row(meta), values, Dataset(ind, "Synthetic small counts", "the tests", "2025", "none",
                                             "Synthetic test data", ()))
    return ind


@pytest.fixture(scope="module")
def small_counts():
    """A planner on a pack of this module's own (imports change a pack) holding the synthetic indicator."""
    own = DataPack(BUNDLED_PACK)
    return whole_lsoa_planner(own), small_count_indicator(own)


def test_publishable_suppresses_counts_of_1_to_4_and_the_values_built_on_them(small_counts):
    planner, ind = small_counts
    raw = compare(planner, [ind], benchmark="borough")
    assert raw.set_index("area").loc["Central", "numerator"] == 3  # the synthetic count
    out = publishable(raw)
    assert list(out.columns) == [*COLUMNS, "suppressed"] and "suppressed" not in raw  # input left alone
    central = out.set_index("area").loc["Central"]
    assert central["suppressed"] and central["comparison"] == "not compared"
    # The denominator goes too: with the value's total it would give the count back.
    assert [central[c] for c in ("value", "lower_ci", "upper_ci", "numerator", "denominator")] == [SUPPRESSED] * 5
    # One more locality (the next smallest) is hidden so St Helens minus the rest does not give Central.
    others = raw[raw["area"].isin(["Newton & Haydock", "North", "South"])].set_index("area")["numerator"]
    second = out.set_index("area").loc[others.idxmin()]
    assert second["suppressed"] and "complementary" in second["method"]
    rest = out[~out["area"].isin(["Central", others.idxmin()])]
    assert not rest["suppressed"].any()
    expected = raw[~raw["area"].isin(["Central", others.idxmin()])]
    np.testing.assert_allclose(rest["value"].to_numpy(float), expected["value"].to_numpy(float))
    assert rest["comparison"].tolist() == expected["comparison"].tolist()
    empty = publishable(raw, mark=None).set_index("area").loc["Central"]
    assert np.isnan(empty["value"]) and np.isnan(empty["numerator"]) and empty["suppressed"]


def test_publishable_suppresses_an_end_of_the_inequality_gap(small_counts):
    planner, ind = small_counts
    raw = inequality_table(planner, [ind]).set_index("area")
    assert raw.loc["Central", "numerator_most_deprived"] == 3  # the synthetic count sits in that fifth
    out = publishable(raw.reset_index()).set_index("area")
    central = out.loc["Central"]
    assert central["suppressed"]
    assert [central[c] for c in ("most_deprived", "gap", "numerator_most_deprived")] == [SUPPRESSED] * 3
    assert central["least_deprived"] == pytest.approx(0.0)  # 0 of 1,000: a count of 0 is publishable
    # St Helens holds the LSOA the map hides: its ends go too (its fifth minus the map's other LSOAs).
    assert out.loc["St Helens", "method"].endswith("would give it back")
    assert not out.drop(index=["Central", "St Helens"])["suppressed"].any()


def test_shares_of_lsoas_count_areas_not_people_and_are_published(planner):
    raw = compare(planner, "profile19_pct_lsoas_most_deprived_10").set_index("area")
    assert raw.loc["Central", "numerator"] == 2  # 2 of Central's 10 LSOAs: a count of areas
    out = publishable(raw.reset_index()).set_index("area")
    assert not out["suppressed"].any() and out.loc["Central", "value"] == raw.loc["Central", "value"]


def test_real_comparisons_need_no_suppression(planner):
    # Localities are large: no published count in the pack is below 5, so nothing is hidden.
    out = publishable(compare(planner, ["qof_obesity", "census21_disabled", "iod19_income_score"]))
    assert not out["suppressed"].any()


def test_a_locality_too_small_for_fifths_compares_its_two_extremes(pack):
    """A SYNTHETIC assignment made here: Central cut to three LSOAs, the rest moved to North."""
    from sthc_desktop.core import deprivation
    from sthc_desktop.core.localities import Assignment
    from sthc_desktop.core.planner import Planner

    assignments = {}
    for vintage in ("lsoa11", "lsoa21"):
        localities = pack.layer(vintage).set_index("code")["locality"].copy()
        central = localities[localities == "Central"].index
        localities[central[3:]] = "North"
        assignments[vintage] = Assignment("synthetic test assignment", "Central cut to three LSOAs", localities)
    rows = deprivation.inequality(Planner(pack, assignments), "iod19_income_score").set_index("area")
    central = rows.loc["Central"]
    assert (central["lsoas_most_deprived"], central["lsoas_least_deprived"]) == (1, 1)
    assert central["gap"] == pytest.approx(central["most_deprived"] - central["least_deprived"])
    assert central["gap"] == central["gap"]  # a number, not NaN
