"""The File menu as a planner uses it: import data, use a locality lookup, save the workspace,
open it in a fresh session, survive a damaged file, and autosave for crash recovery."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from conftest import write_csv, menu_action
from sthc_desktop.core.localities import SUPPLIED_LOOKUP
from sthc_desktop.ui import import_dialog, workspace_actions


def synthetic_lsoa_file(tmp_path, pack):
    codes = sorted(pack.layer("lsoa21")["code"])
    return write_csv(tmp_path / "synthetic_counts.csv", ["Area code", "Synthetic value"],
                     [(c, str(i + 1)) for i, c in enumerate(codes)]), codes


def import_through_menu(window, qtbot, monkeypatch, path):
    """File ▸ Import indicator data…, answering the dialog as a user would."""
    def answer(dialog):
        dialog.set_path(path)
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "Synthetic test indicator")
        qtbot.keyClicks(dialog.period, "2024")
        qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
        return dialog.result()
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", answer)
    menu_action(window, "File", "Import indicator data…").trigger()


def test_import_save_and_reopen_in_a_fresh_session(make_window, qtbot, monkeypatch, tmp_path):
    window = make_window()
    path, codes = synthetic_lsoa_file(tmp_path, window.model.planner.pack)
    import_through_menu(window, qtbot, monkeypatch, path)
    assert len(window.model.imports) == 1
    new_id = window.model.view.indicator_id
    assert window.model.planner.pack.indicator(new_id).theme == "Imported"
    assert window.canvas.map.areas["lsoa21"][0].get_visible()
    assert "*" in window.windowTitle()

    window.model.update(focus="North")
    assert window.save_to(tmp_path / "plan.sthc")
    assert window.windowTitle().startswith("plan.sthc —")

    other = make_window()
    assert new_id not in set(other.model.planner.pack.catalogue["id"])
    assert other.open_workspace(tmp_path / "plan.sthc")
    assert other.model.view == window.model.view
    assert len(other.model.imports) == 1
    assert other.model.planner.layer_for(other.model.view).row(codes[4])["value"] == 5


def test_locality_lookup_is_kept_in_the_workspace(make_window, tmp_path, monkeypatch):
    window = make_window()
    pack = window.model.planner.pack
    lsoa = pack.layer("lsoa21")
    # A synthetic lookup: every LSOA in Newton & Haydock except those the default puts in North.
    rows = [(c, "North" if loc == "North" else "Newton & Haydock") for c, loc in zip(lsoa["code"], lsoa["locality"])]
    lookup = write_csv(tmp_path / "synthetic_lookup.csv", ["lsoa21cd", "locality"], rows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(lookup), "")))
    menu_action(window, "File", "Use a locality lookup (LSOA → locality)…").trigger()
    assert window.model.planner.assignments["lsoa21"].method == SUPPLIED_LOOKUP
    assert window.method_label.text().startswith(f"Localities: {SUPPLIED_LOOKUP}")
    assert window.save_to(tmp_path / "lookup.sthc")

    other = make_window()
    assert other.open_workspace(tmp_path / "lookup.sthc")
    got = other.model.planner.localities["lsoa21"]
    assert other.model.planner.assignments["lsoa21"].method == SUPPLIED_LOOKUP
    assert set(got) == {"North", "Newton & Haydock"}
    assert dict(got) == dict(window.model.planner.localities["lsoa21"])


def test_a_damaged_workspace_is_reported_and_nothing_is_lost(make_window, tmp_path, monkeypatch):
    window = make_window()
    window.model.set_indicator("qof_obesity")
    before = window.model.view
    damaged = tmp_path / "damaged.sthc"
    damaged.write_text('{"schema": 1, "view": ')
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert not window.open_workspace(damaged)
    assert len(shown) == 1 and "damaged.sthc" in shown[0]
    assert window.model.view == before


def test_autosave_offers_the_work_back(make_window, tmp_path):
    window = make_window()
    window.model.set_indicator("census21_disabled")
    window.autosave()
    left = workspace_actions.recoverable()
    assert left is not None and left.view.indicator_id == "census21_disabled"
    window.close()  # a clean close leaves nothing to recover
    assert workspace_actions.recoverable() is None
