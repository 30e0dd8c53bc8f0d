"""The comparison view shows the numbers the `compare` command writes, recolours with the benchmark,
switches locality assignment to a loaded lookup (or refuses a bad one and keeps the old method), shows
the inequality within each locality as `compare --inequality` writes it, and prints "*" where a count
of 1 to 4 is suppressed (a synthetic indicator built by the test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sthc_desktop.content.numbers import format_value
from sthc_desktop.render.charts import COMPARISON_COLOURS
from test_comparison import small_counts  # noqa: F401  (a fixture: a synthetic indicator with a count of 3)

ROOT = Path(__file__).resolve().parents[1]
AREAS = ["Central", "Newton & Haydock", "North", "South", "St Helens", "England"]


@pytest.fixture
def view(qtbot, planner):
    from sthc_desktop.ui.comparison_view import ComparisonView
    from sthc_desktop.ui.document import Document
    model = Document(planner)
    w = ComparisonView(model)
    qtbot.addWidget(w)
    w.show()
    return w


def cli_rows(tmp_path, *args, inequality: bool = False) -> list[dict]:
    out, gaps = tmp_path / "cli.json", tmp_path / "gaps.json"
    extra = ["--inequality", str(gaps)] if inequality else []
    done = subprocess.run([sys.executable, "main.py", "compare", *args, "--format", "json", "--out", str(out),
                           *extra, "--overwrite"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads((gaps if inequality else out).read_text())


def expected_text(r: dict) -> str:
    text = format_value(r["value"], r["unit"])
    if r["lower_ci"] is not None and r["upper_ci"] is not None:
        text += f" ({format_value(r['lower_ci'], r['unit'])}–{format_value(r['upper_ci'], r['unit'])})"
    return text


def by_ward_lookup(pack, path):
    """A lookup CSV built by this test: every 2021 LSOA goes to the locality holding most of its ward."""
    lsoas = pack.layer("lsoa21")[["code", "ward_code", "locality"]]
    ward = lsoas.groupby("ward_code")["locality"].agg(lambda s: s.value_counts().sort_index().idxmax())
    pd.DataFrame({"lsoa21cd": lsoas["code"], "locality": lsoas["ward_code"].map(ward)}).to_csv(path, index=False)


def test_table_shows_what_the_command_line_writes(view, tmp_path):
    view.selection.setCurrentIndex(view.selection.findData("Obesity"))
    view.benchmark.setCurrentIndex(view.benchmark.findData("borough"))
    rows = cli_rows(tmp_path, "--indicators", "Obesity", "--benchmark", "borough")
    assert len(rows) == 6
    for r in rows:
        assert view.cell_text(r["indicator_id"], r["area"]) == expected_text(r)
        assert f"{r['value']:.1f}" in view.cell_text(r["indicator_id"], r["area"])
        colour = view.cell_colour(r["indicator_id"], r["area"])
        if r["comparison"] == "not compared":
            assert colour is None
        else:
            assert colour == COMPARISON_COLOURS[r["comparison"]].lower()
    assert [view.table.headerItem().text(i) for i in range(view.table.columnCount())] == ["Indicator", *AREAS]


def test_chosen_indicators_and_tooltips(view, tmp_path):
    view.choose(["qof_smoking", "profile19_pct_lsoas_most_deprived_10"])
    assert sorted(view.indicator_rows()) == ["profile19_pct_lsoas_most_deprived_10", "qof_smoking"]
    rows = cli_rows(tmp_path, "--indicators", "qof_smoking,profile19_pct_lsoas_most_deprived_10")
    for r in rows:
        assert view.cell_text(r["indicator_id"], r["area"]) == expected_text(r)
    tip = view.cell_tooltip("qof_smoking", "North")
    north = next(r for r in rows if r["indicator_id"] == "qof_smoking" and r["area"] == "North")
    assert f"{north['numerator']:,.0f}" in tip and f"{north['denominator']:,.0f}" in tip
    assert north["period"] in tip and "Ratio of sums" in tip


def test_benchmark_choice_recolours(view):
    view.selection.setCurrentIndex(view.selection.findData("Obesity"))
    assert view.cell_colour("qof_obesity", "St Helens") == COMPARISON_COLOURS["worse"].lower()  # vs England
    view.benchmark.setCurrentIndex(view.benchmark.findData("borough"))
    assert view.cell_colour("qof_obesity", "St Helens") is None  # the benchmark itself
    assert "St Helens" in view.cell_tooltip("qof_obesity", "North")


def load_ward_lookup(view, pack, tmp_path, monkeypatch):
    """Choose "Lookup CSV…" in the view and pick a SYNTHETIC lookup (LSOAs grouped by ward, made here);
    returns the lookup's path."""
    from PySide6.QtWidgets import QFileDialog
    path = tmp_path / "by_ward.csv"
    by_ward_lookup(pack, path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), "CSV files (*.csv)"))
    index = view.assignment.findData("supplied lookup")
    view.assignment.setCurrentIndex(index)
    view.assignment.activated.emit(index)
    return path


def test_loading_a_lookup_changes_values_and_the_stated_method(view, pack, tmp_path, monkeypatch):
    view.choose(["census21_disabled"])
    before = {a: view.cell_text("census21_disabled", a) for a in AREAS[:4]}
    assert "Estimated registrations" in view.method_label.text()
    path = load_ward_lookup(view, pack, tmp_path, monkeypatch)
    assert "by_ward.csv" in view.method_label.text()
    assert view.model.planner.assignments["lsoa21"].method == "supplied lookup"
    after = {a: view.cell_text("census21_disabled", a) for a in AREAS[:4]}
    assert after != before
    rows = cli_rows(tmp_path, "--indicators", "census21_disabled", "--lookup", str(path))
    for r in rows:
        assert view.cell_text(r["indicator_id"], r["area"]) == expected_text(r)
    # Back to the pack's default, the best-validated method.
    view.assignment.setCurrentIndex(0)
    view.assignment.activated.emit(0)
    assert {a: view.cell_text("census21_disabled", a) for a in AREAS[:4]} == before


def test_a_bad_lookup_is_refused_and_the_method_kept(view, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    path = tmp_path / "bad.csv"
    path.write_text("lsoa21cd,locality\nE01006802,North\nE01099999,South\n")
    planner = view.model.planner
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    lookup = view.assignment.findText("Lookup CSV…")
    view.assignment.setCurrentIndex(lookup)
    view.assignment.activated.emit(lookup)
    assert len(shown) == 1 and "E01099999" in shown[0] and "row 3" in shown[0]
    assert view.model.planner is planner
    assert view.assignment.currentText().startswith("estimated registrations (best validated, IMD error")
    assert "Estimated registrations" in view.method_label.text()


def test_charts_and_plan_panel(view):
    view.selection.setCurrentIndex(view.selection.findData("Obesity"))
    bars = view.bars_figure.axes[0]
    assert [t.get_text() for t in bars.get_xticklabels()] == AREAS[:5]
    trend = view.trend_figure.axes[0]
    labels = [t.get_text() for t in trend.get_xticklabels()]
    assert labels[0] == "2014-15" and labels[-1] == "2024-25" and "2013-14" not in labels
    assert len(view.deciles_figure.axes) == 2
    plan = view.plan_rows()
    assert len(plan) == 18
    self_harm = next(r for r in plan if r[1] == "Emergency admissions for intentional self-harm")
    assert self_harm[2:4] == ["978.7 per 100,000", "246 per 100,000"] and self_harm[5] == "not in the pack"
    employment = next(r for r in plan if r[1] == "Adults with learning disabilities in employment (ASC-12)")
    assert employment[2:4] == ["7.2%", "8%"]  # as the pack prints them, not "7.20%"


def show_tab(view, title):
    index = next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == title)
    view.tabs.setCurrentIndex(index)


def test_inequality_within_each_locality_shows_what_the_command_line_writes(view, pack, tmp_path, monkeypatch):
    show_tab(view, "Inequality within each locality")
    view.choose(["iod19_income_score", "qof_obesity", "census21_disabled"])
    shown = view.inequality_rows()
    rows = cli_rows(tmp_path, "--indicators", "iod19_income_score,qof_obesity,census21_disabled", inequality=True)
    assert len(shown) == len(rows) == 10  # five areas for each LSOA indicator; none for the practice one
    for got, r in zip(shown, rows):
        assert got[:2] == [r["indicator_name"], r["area"]]
        assert got[2:5] == [format_value(r[c], r["unit"]) for c in ("most_deprived", "least_deprived", "gap")]
        assert got[5] == f"{r['lsoas_most_deprived']} / {r['lsoas_least_deprived']}"
    assert "fifths of LSOAs within the area" in view.inequality_method.text()
    assert "estimated registrations" in view.inequality_method.text()
    # A lookup moves LSOAs between localities: the gaps and the stated method follow.
    path = load_ward_lookup(view, pack, tmp_path, monkeypatch)
    after = view.inequality_rows()
    assert [r[2:] for r in after[:4]] != [r[2:] for r in shown[:4]]
    assert "supplied lookup" in view.inequality_method.text()
    assert after == [[r["indicator_name"], r["area"], *(format_value(r[c], r["unit"]) for c in
                                                        ("most_deprived", "least_deprived", "gap")),
                      f"{r['lsoas_most_deprived']} / {r['lsoas_least_deprived']}"]
                     for r in cli_rows(tmp_path, "--indicators", "iod19_income_score,qof_obesity,census21_disabled",
                                       "--lookup", str(path), inequality=True)]
    # A set with no LSOA indicator says so rather than showing an empty table silently.
    view.choose(["qof_obesity"])
    assert view.inequality_rows() == [] and "None of the chosen indicators" in view.inequality_method.text()


def test_suppressed_cells_show_a_star_and_a_footnote(qtbot, small_counts):  # noqa: F811
    from sthc_desktop.ui.comparison_view import ComparisonView
    from sthc_desktop.ui.document import Document
    planner, ind = small_counts
    w = ComparisonView(Document(planner))
    qtbot.addWidget(w)
    w.show()
    assert not w.footnote.isVisible()  # the default theme has nothing to hide
    w.choose([ind])
    assert w.cell_text(ind, "Central") == "*"
    assert "Numerator: *" in w.cell_tooltip(ind, "Central")
    assert "Denominator: *" in w.cell_tooltip(ind, "Central")  # with the value's total it would give the count
    assert w.cell_colour(ind, "Central") is None  # a suppressed value is not compared
    assert w.cell_text(ind, "North").startswith("10.0")  # 50 of 500 in each North LSOA
    assert w.footnote.isVisible() and "between 1 and 4" in w.footnote.text()
    bars = w.bars_figure.axes[0]
    assert any(t.get_text().strip() == "* suppressed" for t in bars.texts)
    central = next(r for r in w.inequality_rows() if r[1] == "Central")
    assert central[2] == "*" and central[4] == "*"  # the most deprived fifth holds the count of 3, and the gap
    assert "between 1 and 4" in w.inequality_method.text()
