"""No exported cell runs as a formula: text beginning =, +, -, @, tab or carriage return is escaped
with a leading quote in every CSV the app writes (compare, its inequality file, districts, the plan
progress template), while
numbers, including negative ones, stay numbers. The hostile names are put into a copy of the
pack here."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from sthc_desktop.core.cells import FORMULA_START, safe_cell, safe_frame

from conftest import BUNDLED_PACK, ROOT

HOSTILE = ['=HYPERLINK("http://example.invalid","click")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3.2, 5, "-3.2", "+4", "1e-5", "North", "", None, "*"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value


@given(st.text(max_size=20))
def test_no_escaped_cell_starts_a_formula(text):
    out = safe_cell(text)
    assert out == text or (out == "'" + text and text.startswith(FORMULA_START))
    try:
        float(text.rstrip("%"))
    except ValueError:
        assert not out.startswith(FORMULA_START)


def test_a_frame_keeps_numbers_and_escapes_text_and_headers():
    frame = pd.DataFrame({"=name": ["=1+1", "ok"], "value": [-3.2, 4.0]})
    out = safe_frame(frame)
    assert list(out.columns) == ["'=name", "value"] and out["'=name"].tolist() == ["'=1+1", "ok"]
    assert out["value"].tolist() == [-3.2, 4.0] and frame["=name"].tolist() == ["=1+1", "ok"]


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "hostile_names.gpkg"
    shutil.copyfile(BUNDLED_PACK, path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE indicators SET name = ?, short_name = ?, unit = ? WHERE theme = 'Deprivation'",
                   (HOSTILE[0], HOSTILE[1], HOSTILE[2]))
    return path


def cells(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return [c for row in csv.reader(fh) for c in row]


def test_compare_and_its_inequality_file_escape_every_formula_cell(hostile_pack, tmp_path):
    out, gaps = tmp_path / "compare.csv", tmp_path / "gaps.csv"
    result = subprocess.run([sys.executable, "main.py", "--pack", str(hostile_pack), "compare", "--indicators",
                             "Deprivation", "--out", str(out), "--inequality", str(gaps)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for path in (out, gaps):
        every = cells(path)
        assert any(c.startswith("'=HYPERLINK") for c in every)
        running = [c for c in every if c.startswith(("=", "+", "@", "\t", "\r"))
                   or (c.startswith("-") and not _number(c))]
        assert running == [], path.name


def test_districts_csv_escapes_formula_cells(hostile_pack, tmp_path):
    out = tmp_path / "districts.csv"
    result = subprocess.run([sys.executable, "main.py", "--pack", str(hostile_pack), "districts", "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert not [c for c in cells(out) if c.startswith(("=", "+", "@", "\t", "\r"))
                or (c.startswith("-") and not _number(c))]


def test_the_plan_progress_template_escapes_formula_cells(tmp_path):
    from sthc_desktop.core import plan_progress
    from sthc_desktop.core.datapack import DataPack

    measures = DataPack(BUNDLED_PACK).key_measures.copy()
    measures["measure"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(measures))]
    out = tmp_path / "template.csv"
    out.write_text(plan_progress.template_csv(measures), encoding="utf-8")
    every = cells(out)
    assert "'" + HOSTILE[0] in every
    assert not [c for c in every if c.startswith(("=", "+", "@", "\t", "\r")) or (c.startswith("-") and not _number(c))]


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
