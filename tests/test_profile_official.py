"""The deprivation profile reproduces MHCLG's own local-authority summary (IoD2025 File 10)
for St Helens: the same method on the same LSOAs, differing only by the population weights."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SHARED_DATA, needs_shared_data
from sthc_desktop.core.comparison import area_values

pytestmark = needs_shared_data


def test_borough_profile_matches_file_10(planner):
    file10 = pd.read_csv(SHARED_DATA / "indicators" / "iod2025_file10_lad_summaries_england.csv")
    official = file10.set_index("ltla24_code").loc["E08000013"]
    share = area_values(planner, "profile25_pct_lsoas_most_deprived_10").set_index("area").loc["St Helens", "value"]
    # A count of LSOAs: exactly the published proportion.
    assert share == pytest.approx(100 * official["imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"],
                                  abs=0.01)
    average = area_values(planner, "profile25_imd_average_score").set_index("area").loc["St Helens", "value"]
    # MHCLG weights by mid-2022 population, the pack by Census 2021 residents: within 0.1 of a point.
    assert average == pytest.approx(official["imd_average_score"], abs=0.1)
