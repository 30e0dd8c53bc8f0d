"""The comparison charts draw the core's numbers: the residents-by-decile bars are the deprivation
profile's shares (or the pack's residents), and a suppressed bar says so instead of drawing a value."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from sthc_desktop.core.comparison import compare, publishable
from sthc_desktop.core.deprivation import profile_values
from sthc_desktop.render import charts
from test_comparison import small_counts  # noqa: F401  (a fixture: a synthetic indicator with a count of 3)

AREAS = ["Central", "Newton & Haydock", "North", "South", "St Helens"]


def decile_widths(planner, edition, share):
    ax = Figure(figsize=(8, 4)).add_subplot()
    table = charts.deprivation_deciles(ax, planner, edition, share=share)
    assert table.index.tolist() == AREAS
    # One bar container per decile, its bars in the table's area order.
    return {d: [p.get_width() for p in container.patches] for d, container in enumerate(ax.containers, start=1)}


@pytest.mark.parametrize("edition", ["19", "25"])
def test_decile_shares_drawn_are_the_profile_indicators(planner, edition):
    widths = decile_widths(planner, edition, share=True)
    assert sorted(widths) == list(range(1, 11))
    for d, drawn in widths.items():
        profile = profile_values(planner, f"profile{edition}_pct_residents_decile_{d}").set_index("area")
        assert drawn == pytest.approx(profile.loc[AREAS, "value"].tolist()), d
    assert np.sum(list(widths.values()), axis=0) == pytest.approx([100.0] * 5)


def test_decile_residents_drawn_are_the_pack_populations(planner, pack):
    widths = decile_widths(planner, "19", share=False)
    deciles = pack.indicator_values("iod19_imd_decile", "lsoa11").set_index("area_code")["value"]
    pop = pack.indicator_values("iod19_population_2015", "lsoa11").set_index("area_code")["value"]
    # North's residents are its share of each LSOA's residents (fractional membership, METHODS.md).
    north = planner.assignments["lsoa11"].shares["North"].reindex(deciles.index).fillna(0.0)
    for d in range(1, 11):
        in_d = deciles == d
        assert widths[d][AREAS.index("St Helens")] == pytest.approx(pop[deciles.index[in_d]].sum())
        assert widths[d][AREAS.index("North")] == pytest.approx((pop.reindex(deciles.index) * north)[in_d].sum())


def test_a_suppressed_bar_is_not_drawn_and_says_why(small_counts):  # noqa: F811
    planner, ind = small_counts
    rows = publishable(compare(planner, [ind], benchmark="borough"), mark=None)
    ax = Figure(figsize=(8, 4)).add_subplot()
    charts.comparison_bars(ax, rows)
    heights = [p.get_height() for p in ax.patches[:4]]
    assert heights[0] == 0  # Central hidden, and with it the next-smallest locality (complementary)
    hidden = rows[rows["suppressed"] & rows["area"].isin(["Central", "Newton & Haydock", "North", "South"])]
    assert len(hidden) == 2 and sum(h == 0 for h in heights) == 2
    assert [t.get_text().strip() for t in ax.texts] == ["* suppressed"] * 2
