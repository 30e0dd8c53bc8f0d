"""The typed vocabulary: every catalogue row of the bundled pack is an Indicator and back, words outside
their set are refused in one line naming the field and the value, and a pack whose catalogue holds one
is refused on opening. Damaged packs are copies of the bundled one, broken here."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import PackError
from sthc_desktop.core.vocabulary import (Aggregation, Geography, Indicator, Polarity, Scheme, ValueType,
                                          VocabularyError, parse)

from conftest import BUNDLED_PACK


def test_every_catalogue_row_is_an_indicator_and_back(pack):
    rows = pack.layer("indicators").to_dict("records")
    assert len(rows) > 100
    for row in rows:
        indicator = pack.indicator(row["id"])
        assert indicator.to_row() == {k: ("" if v is None else v) for k, v in row.items()}
        assert isinstance(indicator.polarity, Polarity) and isinstance(indicator.geography, Geography)
        assert isinstance(indicator.aggregation, Aggregation) and isinstance(indicator.value_type, ValueType)
        assert indicator.period == (indicator.periods[-1] if indicator.periods else "no value in the sources")
        assert pack.periods(row["id"]) == list(indicator.periods)


def test_the_words_keep_the_packs_text():
    assert f"{Polarity.HIGHER_IS_WORSE}" == "higher is worse" and Geography.LSOA21.label == "LSOA 2021"
    assert Aggregation("population-weighted mean") is Aggregation.POPULATION_WEIGHTED
    assert [s.label for s in Scheme] == ["National deciles", "Quantiles", "Natural breaks (Fisher-Jenks)",
                                         "Equal interval"]
    assert Scheme.read("equal_interval") is Scheme.read("Equal interval") is Scheme.EQUAL_INTERVAL


@pytest.mark.parametrize("kind, value, field, line", [
    (Polarity, "sideways", "polarity",
     "polarity 'sideways' is not one of: higher is better, higher is worse, no judgement"),
    (Geography, "lsoa01", "geography", "geography 'lsoa01' is not one of: lsoa11, lsoa21, practice, borough"),
    (Aggregation, None, "aggregation", "aggregation 'None' is not one of: sum, ratio of sums"),
])
def test_a_word_outside_its_set_is_one_line_naming_the_field(kind, value, field, line):
    with pytest.raises(VocabularyError) as err:
        parse(kind, value, field)
    assert str(err.value).startswith(line) and "\n" not in str(err.value)


def test_a_row_missing_a_required_field_names_it(pack):
    row = {**pack.indicator("qof_obesity").to_row(), "unit": None}
    with pytest.raises(VocabularyError, match="^unit is missing$"):
        Indicator.from_row(row)


@pytest.mark.parametrize("column, value, problem", [
    ("polarity", "sideways", "polarity 'sideways' is not one of"),
    ("aggregation", "median", "aggregation 'median' is not one of"),
    ("value_type", "percentile", "value_type 'percentile' is not one of"),
])
def test_a_pack_whose_catalogue_holds_an_unknown_word_is_refused_on_opening(tmp_path, column, value, problem):
    path = tmp_path / "damaged.gpkg"
    shutil.copyfile(BUNDLED_PACK, path)
    with sqlite3.connect(path) as db:
        db.execute(f'UPDATE "indicators" SET "{column}" = ? WHERE "id" = ?', (value, "qof_obesity"))
    with pytest.raises(PackError) as err:
        DataPack(path)
    message = err.value.message
    assert message.startswith(f"{path}: damaged data pack: row ") and "of the 'indicators' table: " in message
    assert problem in message and "\n" not in message


@pytest.mark.parametrize("named", ["equal_interval", "Equal interval"])
def test_an_export_names_its_scheme_by_id_or_by_label(planner, tmp_path, named):
    from sthc_desktop.export.request import MAP, ExportRequest, check
    request = check(ExportRequest(MAP, tmp_path / "map.png", indicator="qof_obesity", scheme=named), planner)
    assert request.view(planner).scheme is Scheme.EQUAL_INTERVAL
    assert planner.classes_for(request.view(planner)).scheme is Scheme.EQUAL_INTERVAL
