"""The comparison table: its columns and rows, comparisons against England or the borough under each
indicator's polarity, themes in place of ids, and the strategic plan's key measures."""

from __future__ import annotations

import numpy as np
import pytest

from sthc_desktop.core.comparison import COLUMNS, compare, indicator_ids, plan_measures
from sthc_desktop.core.errors import DataError

AREAS = ["Central", "Newton & Haydock", "North", "South", "St Helens", "England"]


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


def test_profile_indicators_compare_like_catalogue_ones(planner):
    frame = compare(planner, "profile19_imd_average_score").set_index("area")
    assert frame.loc["England", "value"] == pytest.approx(21.722087)  # the pack's published England score
    assert frame.loc["North", "indicator_name"] == "IMD 2019: population-weighted average score"


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


def test_plan_measures_show_baseline_target_and_latest(planner, pack):
    measures = plan_measures(planner)
    key = pack.key_measures
    assert len(measures) == len(key) == 18
    self_harm = measures[measures["measure"] == "Emergency admissions for intentional self-harm"].iloc[0]
    assert self_harm["baseline"] == 978.7 and self_harm["target_2026_27"] == 246.0
    # The pack holds only the plan's baselines, so no later borough value: said, not invented.
    assert set(measures["latest_note"]) == {"not in the pack"} and measures["latest_value"].isna().all()
