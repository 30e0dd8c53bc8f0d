"""The comparison view shows the numbers the `compare` command writes, recolours with the benchmark,
and switches locality assignment to a loaded lookup (or refuses a bad one and keeps the old method)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sthc_desktop.render.charts import COMPARISON_COLOURS
from sthc_desktop.render.text import format_value

ROOT = Path(__file__).resolve().parents[1]
AREAS = ["Central", "Newton & Haydock", "North", "South", "St Helens", "England"]


@pytest.fixture
def view(qtbot, planner):
    from sthc_desktop.ui.comparison_view import ComparisonView
    from sthc_desktop.ui.view_model import ViewModel
    model = ViewModel(planner)
    w = ComparisonView(model)
    qtbot.addWidget(w)
    w.show()
    return w


def cli_rows(tmp_path, *args) -> list[dict]:
    out = tmp_path / "cli.json"
    done = subprocess.run([sys.executable, "main.py", "compare", *args, "--format", "json", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


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
    assert view.table.columnCount() == 6
    assert [view.table.horizontalHeaderItem(i).text() for i in range(6)] == AREAS


def test_chosen_indicators_and_tooltips(view, tmp_path):
    view.choose(["qof_smoking", "profile19_pct_lsoas_most_deprived_10"])
    assert view.table.rowCount() == 2
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


def test_loading_a_lookup_changes_values_and_the_stated_method(view, pack, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    view.choose(["census21_disabled"])
    before = {a: view.cell_text("census21_disabled", a) for a in AREAS[:4]}
    assert "Nearest practice" in view.method_label.text()
    path = tmp_path / "by_ward.csv"
    by_ward_lookup(pack, path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), "CSV files (*.csv)"))
    view.assignment.setCurrentIndex(1)
    view.assignment.activated.emit(1)
    assert "by_ward.csv" in view.method_label.text()
    assert view.model.planner.assignments["lsoa21"].method == "supplied lookup"
    after = {a: view.cell_text("census21_disabled", a) for a in AREAS[:4]}
    assert after != before
    rows = cli_rows(tmp_path, "--indicators", "census21_disabled", "--lookup", str(path))
    for r in rows:
        assert view.cell_text(r["indicator_id"], r["area"]) == expected_text(r)
    # Back to nearest practice.
    view.assignment.setCurrentIndex(0)
    view.assignment.activated.emit(0)
    assert {a: view.cell_text("census21_disabled", a) for a in AREAS[:4]} == before


def test_a_bad_lookup_is_refused_and_the_method_kept(view, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    path = tmp_path / "bad.csv"
    path.write_text("lsoa21cd,locality\nE01006802,North\nE01099999,South\n")
    planner = view.model.planner
    assert view.load_lookup(path) is False
    assert len(shown) == 1 and "E01099999" in shown[0] and "row 3" in shown[0]
    assert view.model.planner is planner
    assert view.assignment.currentText() == "Nearest practice"
    assert "Nearest practice" in view.method_label.text()


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
    assert self_harm[2].startswith("978.7") and self_harm[3].startswith("246") and self_harm[5] == "not in the pack"
