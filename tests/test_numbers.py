"""The one set of number formats: the screen and the pack write a plan figure the same way."""

import math

from sthc_desktop.content.numbers import format_value, plan_figure


def test_a_plan_figure_is_written_as_the_plan_prints_it():
    assert plan_figure(1117.0, "per 100000") == "1,117 per 100,000"
    assert plan_figure(7.2, "%") == "7.2%"
    assert plan_figure(7.1, "days per 100000") == "7.1 days per 100,000"
    assert plan_figure(19.4, "score") == "19.4 score"
    assert plan_figure(2468.0, float("nan")) == "2,468"
    assert plan_figure(float("nan"), "%") == plan_figure(None, "%") == "–"


def test_an_indicator_value_keeps_its_precision_rules():
    assert format_value(15.94, "%") == "15.9%" and format_value(7.234, "%") == "7.23%"
    assert format_value(123.45) == "123.5"
    assert format_value(12345.6, "rate") == "12,346"
    assert format_value(math.nan) == format_value(None) == "–"
