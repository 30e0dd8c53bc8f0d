"""What the charts show, before they are drawn: the adult obesity trend's points (each year
through disclosure control) and the years its caveats mark."""

from __future__ import annotations

import pandas as pd

from sthc_desktop.core.aggregate import ENGLAND, aggregate
from sthc_desktop.core.comparison import publishable
from sthc_desktop.core.localities import NETWORKS

OBESITY = "qof_obesity"
#: The qof_obesity catalogue caveats: 2013-14 divides by the all-age list (not comparable, left out),
#: 2020-21 is depressed by reduced BMI recording during COVID-19, and from 2022-23 the register
#: adds an ethnicity-specific BMI threshold (a possible break in the series).
OBESITY_NOT_COMPARABLE = "2013-14"
OBESITY_COVID = "2020-21"
OBESITY_DEFINITION_CHANGE = "2022-23"


def obesity_trend_data(planner) -> pd.DataFrame:
    """Adult obesity (QOF) per network and England for each comparable year: area, period, value,
    lower_ci, upper_ci, suppressed (2013-14 left out: its denominator is the all-age list). Each
    year's rows pass through :func:`~sthc_desktop.core.comparison.publishable`: a suppressed
    point has no value and is left out of the line."""
    periods = [p for p in planner.pack.periods(OBESITY) if p != OBESITY_NOT_COMPARABLE]
    frames = [aggregate(planner, OBESITY, p).assign(indicator_id=OBESITY, unit="") for p in periods]
    frame = publishable(pd.concat(frames, ignore_index=True), mark=None)
    return frame[frame["area"].isin([*NETWORKS, ENGLAND])].reset_index(drop=True)
