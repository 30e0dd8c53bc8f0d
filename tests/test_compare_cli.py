"""`python main.py compare`: the same frame as compare(), as CSV or JSON, written atomically, through
publishable() (counts of 1 to 4 as "*" or null); `--inequality FILE` writes inequality_table(); themes and
lookups work; bad input is one line and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sthc_desktop.cli import main
from sthc_desktop.core import comparison
from sthc_desktop.core.comparison import COLUMNS, INEQUALITY_COLUMNS, compare, inequality_table
from test_comparison import small_counts  # noqa: F401  (a fixture: a synthetic indicator with a count of 3)

ROOT = Path(__file__).resolve().parents[1]


def test_json_matches_compare(planner, tmp_path, capsys):
    out = tmp_path / "obesity.json"
    assert main(["compare", "--indicators", "Obesity", "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    expected = compare(planner, "Obesity")
    assert [list(r) for r in rows][0] == [*COLUMNS, "suppressed"]
    assert not any(r["suppressed"] for r in rows)
    assert [r["area"] for r in rows] == expected["area"].tolist()
    assert [r["value"] for r in rows] == pytest.approx(expected["value"].tolist())
    assert [r["comparison"] for r in rows] == expected["comparison"].tolist()
    assert "wrote" in capsys.readouterr().out


def test_csv_with_borough_benchmark_and_period(planner, tmp_path):
    out = tmp_path / "c.csv"
    assert main(["compare", "--indicators", "qof_obesity,iod19_income_score", "--benchmark", "borough",
                 "--period", "2019-20", "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    assert list(frame.columns) == [*COLUMNS, "suppressed"]
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


def test_inequality_file_holds_the_inequality_table(planner, tmp_path):
    out, gaps = tmp_path / "c.csv", tmp_path / "gaps.json"
    chosen = "qof_obesity,iod19_income_score,census21_disabled"
    assert main(["compare", "--indicators", chosen, "--out", str(out), "--inequality", str(gaps)]) == 0
    rows = json.loads(gaps.read_text())
    expected = inequality_table(planner, chosen)
    assert list(rows[0]) == [*INEQUALITY_COLUMNS, "suppressed"]
    assert [r["indicator_id"] for r in rows] == expected["indicator_id"].tolist()
    assert {r["indicator_id"] for r in rows} == {"iod19_income_score", "census21_disabled"}
    for column in ("most_deprived", "least_deprived", "gap"):
        assert [r[column] for r in rows] == pytest.approx(expected[column].tolist())
    assert [r["lsoas_most_deprived"] for r in rows] == expected["lsoas_most_deprived"].tolist()
    assert pd.read_csv(out)["indicator_id"].nunique() == 3  # the comparison itself is still written


def test_inequality_without_an_lsoa_indicator_is_one_line_and_writes_nothing(tmp_path, capsys):
    out, gaps = tmp_path / "c.csv", tmp_path / "gaps.csv"
    assert main(["compare", "--indicators", "Obesity", "--out", str(out), "--inequality", str(gaps)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--inequality" in err and "LSOA" in err
    assert not out.exists() and not gaps.exists()


def test_help_and_readme_document_the_inequality_option(capsys):
    with pytest.raises(SystemExit) as done:
        main(["compare", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--inequality FILE" in text and "most and least deprived fifth" in text
    assert "--inequality" in (ROOT / "README.md").read_text()


def test_small_counts_are_suppressed_in_csv_and_json(small_counts, tmp_path, monkeypatch):  # noqa: F811
    planner, ind = small_counts
    synthetic = compare(planner, [ind])
    # The command's own pack has no count below 5: hand it the synthetic table the test built.
    monkeypatch.setattr(comparison, "compare", lambda *args, **kwargs: synthetic)
    csv_out, json_out = tmp_path / "c.csv", tmp_path / "c.json"
    assert main(["compare", "--indicators", "qof_obesity", "--out", str(csv_out)]) == 0
    assert main(["compare", "--indicators", "qof_obesity", "--out", str(json_out)]) == 0
    table = pd.read_csv(csv_out, dtype=str).set_index("area")
    assert table.loc["Central", ["value", "lower_ci", "upper_ci", "numerator"]].tolist() == ["*"] * 4
    assert table.loc["Central", "suppressed"] == "True" and table.loc["North", "suppressed"] == "False"
    assert float(table.loc["North", "value"]) == pytest.approx(synthetic.set_index("area").loc["North", "value"])
    central = next(r for r in json.loads(json_out.read_text()) if r["area"] == "Central")
    assert central["value"] is None and central["numerator"] is None and central["suppressed"] is True


def test_both_files_or_neither(tmp_path, capsys):
    out, gaps = tmp_path / "compare.csv", tmp_path / "missing-folder" / "gaps.csv"
    assert main(["compare", "--indicators", "iod19_imd_score", "--out", str(out), "--inequality", str(gaps)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # the comparison was not left behind on its own, nor a temporary file
