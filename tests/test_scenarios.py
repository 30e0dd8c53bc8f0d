"""What-if scenarios: moving a practice or an LSOA re-aggregates every figure and names the scenario;
undo restores the figures exactly; the scenario is saved in the workspace; `compare` and `export pack`
with --scenario give the figures the screen shows."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from sthc_desktop.core import scenarios
from sthc_desktop.core.aggregate import aggregate
from sthc_desktop.core.comparison import compare
from sthc_desktop.core.errors import DataError
from test_comparison_view import ROOT, cli_rows, expected_text

MOVE = ("N83017", "North")  # Hall Street Medical Centre, Central today


def test_map_layers_share_their_areas_within_a_planner_and_a_moved_lsoa_shows_its_new_locality(pack, planner):
    """A planner joins each geography's areas to their localities once for all its layers; a what-if's
    planner joins them again, so its layers show the moved LSOA in its new locality."""
    from sthc_desktop.core.view import MapView
    imd, income = (planner.layer_for(MapView(indicator_id=i)).frame for i in ("iod25_imd_score", "iod25_income_score"))
    assert list(imd["code"]) == list(income["code"]) and list(imd["locality"]) == list(income["locality"])
    code, home = imd["code"].iloc[0], imd["locality"].iloc[0]
    elsewhere = next(n for n in ("Central", "North") if n != home)
    moved = scenarios.apply(pack, scenarios.Scenario("one LSOA").move_lsoa(code, elsewhere))
    layer = moved.layer_for(MapView(indicator_id="iod25_income_score")).frame.set_index("code")
    assert layer.loc[code, "locality"] == elsewhere
    assert planner.layer_for(MapView(indicator_id="iod25_income_score")).frame["locality"].iloc[0] == home
    values = pack.indicator_values("iod25_income_score", "lsoa21").set_index(["period", "area_code"])["value"]
    period = moved.layer_for(MapView(indicator_id="iod25_income_score")).period
    assert layer["value"].to_dict() == pytest.approx(values.loc[period].reindex(layer.index).to_dict(), nan_ok=True)


def test_moving_a_practice_changes_network_figures_and_undo_restores_them(pack, planner):
    before = compare(planner, ["iod19_imd_score", "qof_obesity"])
    history = scenarios.History()
    history.push(scenarios.Scenario("Hall Street to North").move_practice(*MOVE))
    moved = scenarios.apply(pack, history.current)
    after = compare(moved, ["iod19_imd_score", "qof_obesity"])
    for ind in ("iod19_imd_score", "qof_obesity"):
        b = before[before["indicator_id"] == ind].set_index("area")["value"]
        a = after[after["indicator_id"] == ind].set_index("area")["value"]
        assert a["Central"] != b["Central"] and a["North"] != b["North"]
        assert a["St Helens"] == b["St Helens"]
    assert (after[after["area"] == "North"]["method"].str.contains("what-if 'Hall Street to North'")).all()
    assert "Hall Street to North" in moved.assignment_statement
    # The practice's own figures went with it: North's obesity register now counts Hall Street's.
    qof = pack.indicator_values("qof_obesity", "practice", aggregate(planner, "qof_obesity")["period"].iloc[0])
    north = set(pack.practices.loc[pack.practices["network"] == "North", "ods_code"]) | {MOVE[0]}
    assert aggregate(moved, "qof_obesity").set_index("area").loc["North", "numerator"] == \
        qof[qof["area_code"].isin(north)]["numerator"].sum()
    history.undo()
    pd.testing.assert_frame_equal(compare(scenarios.apply(pack, history.current), ["iod19_imd_score", "qof_obesity"]),
                                  before)


def test_a_moved_lsoa_counts_whole_in_its_new_locality(pack, planner):
    code = "E01006802"
    moved = scenarios.apply(pack, scenarios.Scenario("One LSOA").move_lsoa(code, "South"))
    shares = moved.assignments["lsoa21"].shares
    assert shares.loc[code].to_dict() == {"Central": 0.0, "Newton & Haydock": 0.0, "North": 0.0, "South": 1.0}
    assert moved.assignments["lsoa11"].shares.loc[code, "South"] == 1.0  # unchanged in 2021: both vintages
    residents = pack.indicator_values("census21_residents", "lsoa21").set_index("area_code")["value"]
    got = aggregate(moved, "census21_residents").set_index("area")["value"]
    for area in ("North", "South"):
        assert got[area] == pytest.approx((shares[area] * residents.reindex(shares.index)).sum())


def test_a_bad_scenario_file_names_the_file_and_the_problem(pack, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "x", "move_practices": {"N83017": "Nowhere"}}))
    with pytest.raises(DataError, match="bad.json.*unknown Care Community 'Nowhere'"):
        scenarios.read_file(path, pack)
    path.write_text("{not json")
    with pytest.raises(DataError, match="is not JSON"):
        scenarios.read_file(path, pack)


@pytest.fixture
def window(make_window, planner):
    """The main window on the session's pack: a what-if changes no pack."""
    return make_window(planner)


def choose_in_dialogs(monkeypatch, items: list[str], name: str = "Merger test"):
    """Answer the What-if dialogs: each getItem picks the first choice containing the next text."""
    from PySide6.QtWidgets import QInputDialog
    answers = iter(items)

    def get_item(parent, title, label, choices, current=0, editable=False):
        want = next(answers)
        return next(c for c in choices if want in c), True
    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (name, True))


def test_what_if_menu_moves_a_practice_names_it_saves_it_and_undoes(window, monkeypatch, tmp_path):
    view = window.comparison
    window.tabs.setCurrentWidget(view)
    view.choose(["iod19_imd_score", "qof_obesity"])
    before = {a: view.cell_text("iod19_imd_score", a) for a in ("Central", "North")}
    choose_in_dialogs(monkeypatch, [f"({MOVE[0]})", MOVE[1]])
    window.what_if["practice"].trigger()
    after = {a: view.cell_text("iod19_imd_score", a) for a in ("Central", "North")}
    assert after != before
    assert "what-if 'Merger test'" in window.method_label.text()
    assert "Merger test" in view.method_label.text()

    # Saved in the workspace, and the command line gives the screen's figures for the saved scenario.
    assert window.save_to(tmp_path / "w.sthc")
    saved = json.loads((tmp_path / "w.sthc").read_text())["scenario"]
    assert saved == {"name": "Merger test", "move_practices": {MOVE[0]: MOVE[1]}, "move_lsoas": {}}
    scenario_file = tmp_path / "merger.json"
    scenario_file.write_text(json.dumps(saved))
    rows = cli_rows(tmp_path, "--indicators", "iod19_imd_score,qof_obesity", "--scenario", str(scenario_file))
    for r in rows:
        assert view.cell_text(r["indicator_id"], r["area"]) == expected_text(r)
        if r["area"] in ("Central", "North"):
            assert "what-if 'Merger test'" in r["method"]

    window.what_if["undo"].trigger()
    assert {a: view.cell_text("iod19_imd_score", a) for a in ("Central", "North")} == before
    assert "what-if" not in window.method_label.text()
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Discard)  # the test closes unsaved


def test_export_pack_under_a_scenario_names_it(pack, tmp_path):
    from pypdf import PdfReader
    scenario_file = tmp_path / "merger.json"
    scenario_file.write_text(json.dumps(scenarios.Scenario("Board option B").move_practice(*MOVE).to_dict()))
    out = tmp_path / "pack.pdf"
    done = subprocess.run([sys.executable, "main.py", "export", "pack", "--localities", "North", "--indicators",
                           "iod19_imd_score", "--scenario", str(scenario_file), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert "Board option B" in text


def test_a_workspace_brings_back_the_method_and_the_scenario(window, make_window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Discard)  # closing unsaved windows
    view = window.comparison
    window.tabs.setCurrentWidget(view)
    index = view.assignment.findData("nearest practice")
    view.assignment.setCurrentIndex(index)
    view.assignment.activated.emit(index)
    choose_in_dialogs(monkeypatch, [f"({MOVE[0]})", MOVE[1]], name="Kept")
    window.what_if["practice"].trigger()
    shown = window.method_label.text()
    assert shown.startswith("Localities: nearest practice") and "what-if 'Kept'" in shown
    assert window.save_to(tmp_path / "kept.sthc")
    again = make_window()
    assert again.open_workspace(tmp_path / "kept.sthc")
    assert again.model.planner.assignments["lsoa21"].method == "nearest practice"
    assert again.model.scenario.name == "Kept" and again.model.scenario.practices == {MOVE[0]: MOVE[1]}
    again.show()
    again.tabs.setCurrentWidget(again.comparison)  # the tab brings itself up to date when shown
    assert again.comparison.assignment.currentData() == "nearest practice"


def test_pack_workbook_under_a_saved_scenario_holds_the_screens_figures(pack, tmp_path):
    """`export pack` under --scenario: its comparison sheet has the figures the comparison view shows
    for the same scenario (both from the planner the scenario makes)."""
    import openpyxl

    from sthc_desktop.cli import main
    scenario = scenarios.Scenario("Board option C").move_practice(*MOVE).move_lsoa("E01006802", "South")
    path = tmp_path / "option_c.json"
    path.write_text(json.dumps(scenario.to_dict()))
    out = tmp_path / "pack.xlsx"
    assert main(["export", "pack", "--localities", "North", "--indicators", "iod19_imd_score,qof_obesity",
                 "--scenario", str(path), "--out", str(out)]) == 0
    rows = list(openpyxl.load_workbook(out)["vs England"].iter_rows(values_only=True))
    sheet = pd.DataFrame(rows[1:], columns=rows[0]).set_index(["indicator_id", "area"])["value"]
    screen = compare(scenarios.apply(pack, scenario), ["iod19_imd_score", "qof_obesity"])
    for r in screen.itertuples():
        assert sheet[(r.indicator_id, r.area)] == pytest.approx(r.value)
    base = compare(scenarios.apply(pack, None), ["iod19_imd_score"]).set_index("area")["value"]
    assert sheet[("iod19_imd_score", "North")] != pytest.approx(base["North"])  # the scenario is in it
