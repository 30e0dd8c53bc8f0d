"""`python main.py compare`: the same frame as compare(), as CSV or JSON, written atomically; themes
and lookups work; bad input is one line and exit status 2."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sthc_desktop.cli import main
from sthc_desktop.core.comparison import COLUMNS, compare


def test_json_matches_compare(planner, tmp_path, capsys):
    out = tmp_path / "obesity.json"
    assert main(["compare", "--indicators", "Obesity", "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    expected = compare(planner, "Obesity")
    assert [list(r) for r in rows][0] == list(COLUMNS)
    assert [r["area"] for r in rows] == expected["area"].tolist()
    assert [r["value"] for r in rows] == pytest.approx(expected["value"].tolist())
    assert [r["comparison"] for r in rows] == expected["comparison"].tolist()
    assert "wrote" in capsys.readouterr().out


def test_csv_with_borough_benchmark_and_period(planner, tmp_path):
    out = tmp_path / "c.csv"
    assert main(["compare", "--indicators", "qof_obesity,iod19_income_score", "--benchmark", "borough",
                 "--period", "2019-20", "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["benchmark"]) == {"St Helens"}
    obesity = frame[frame["indicator_id"] == "qof_obesity"]
    assert set(obesity["period"]) == {"2019-20"}
    expected = compare(planner, "qof_obesity", benchmark="borough", period="2019-20")
    assert obesity["numerator"].tolist() == expected["numerator"].tolist()


def test_lookup_changes_the_method(pack, tmp_path):
    lsoas = pack.layer("lsoa21")
    lookup = tmp_path / "lookup.csv"
    pd.DataFrame({"lsoa21cd": lsoas["code"], "locality": lsoas["locality"]}).to_csv(lookup, index=False)
    out = tmp_path / "c.json"
    assert main(["compare", "--indicators", "census21_disabled", "--lookup", str(lookup), "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert "supplied lookup" in rows[0]["method"]


def test_unknown_indicator_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["compare", "--indicators", "not_an_indicator", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not_an_indicator" in err
    assert not out.exists()


def test_bad_lookup_names_the_code(tmp_path, capsys):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("lsoa11cd,network\nE01006802,North\nE01099999,South\n")
    assert main(["compare", "--indicators", "Obesity", "--lookup", str(lookup), "--out",
                 str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "E01099999" in err and "row 3" in err and "lookup.csv" in err
