"""Workspaces: a view and its imported data survive saving, reopening, damage and a crash mid-save."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from sthc_desktop.core import workspace
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.core.vocabulary import Scheme

from conftest import BUNDLED_PACK, ROOT, synthetic_lsoa_import


@pytest.fixture(scope="module")
def own_pack():
    return DataPack(BUNDLED_PACK)


def synthetic_import(pack) -> workspace.ImportRecord:
    return synthetic_lsoa_import(pack, "synthetic_ws.csv", 0.25, name="Synthetic workspace value", unit="score",
                                 period="2024/25", polarity="higher is better")


def imported_ids(planner) -> list[str]:
    cat = planner.pack.catalogue
    return cat.loc[cat["theme"] == "Imported", "id"].tolist()


def test_round_trip_gives_the_identical_view_and_values(tmp_path, own_pack):
    record = synthetic_import(own_pack)
    first = Planner(own_pack)
    workspace.Workspace(imports=(record,)).opened_on(first)
    ids = imported_ids(first)
    original = first.pack.indicator_values(ids[0])
    view = (MapView(indicator_id=ids[0], period="2024/25", scheme=Scheme.QUANTILES, classes=7, focus="North",
                    extent=(350000.0, 390000.0, 360000.0, 400000.0)).with_layer("wards", False))
    ws = workspace.Workspace(view, (record,), "supplied lookup", "lsoa_code,locality\nE01006802,North\n")
    path = workspace.save(ws, tmp_path / "plan.sthc")

    opened = workspace.load(path)
    assert opened.view == view
    assert (opened.assignment_method, opened.lookup_csv) == (ws.assignment_method, ws.lookup_csv)
    assert opened.imports[0].sha256 == record.sha256 and opened.imports[0].spec == record.spec

    fresh = Planner(DataPack(BUNDLED_PACK))  # as after restarting the app: the original file is not needed
    opened.opened_on(fresh)
    assert imported_ids(fresh) == ids
    again = fresh.pack.indicator_values(ids[0])
    assert again.reset_index(drop=True).equals(original.reset_index(drop=True))
    meta = fresh.pack.indicator(ids[0])
    assert "Imported by the user from synthetic_ws.csv on 2025-01-31" == meta.source
    assert fresh.layer_for(opened.view).row(sorted(own_pack.layer("lsoa21")["code"])[4])["value"] == 1.0


@pytest.mark.parametrize("label, scheme", [("National deciles", Scheme.NATIONAL_DECILES),
                                           ("Quantiles", Scheme.QUANTILES),
                                           ("Natural breaks (Fisher-Jenks)", Scheme.NATURAL_BREAKS),
                                           ("Equal interval", Scheme.EQUAL_INTERVAL)])
def test_a_workspace_saved_with_scheme_labels_opens_with_the_same_view(tmp_path, own_pack, label, scheme):
    """Files saved before schemes had ids name them by their on-screen label: written here as they were."""
    indicator = "iod19_imd_decile" if scheme == Scheme.NATIONAL_DECILES else "iod19_imd_score"
    saved = {"schema": 1, "app": "sthc-desktop", "saved": "2025-06-01T10:00:00",
             "view": {"indicator_id": indicator, "period": None, "scheme": label, "classes": 6,
                      "layers": {"wards": False}, "focus": "South", "extent": None},
             "imports": [], "assignment": {"method": None, "lookup_csv": None}, "scenario": None}
    path = tmp_path / "old.sthc"
    path.write_text(json.dumps(saved), encoding="utf-8")
    opened = workspace.load(path)
    assert opened.notes == ()
    expected = MapView(indicator_id=indicator, scheme=scheme, classes=6, focus="South").with_layer("wards", False)
    assert opened.view == expected
    planner = Planner(own_pack)
    fitted, notes = opened.opened_on(planner)
    assert notes == [] and planner.classes_for(fitted.view).scheme == scheme
    assert planner.classes_for(fitted.view).labels == planner.classes_for(expected).labels

    again = workspace.save(opened, tmp_path / "new.sthc")  # saved again: the id, not the label
    assert json.loads(again.read_text(encoding="utf-8"))["view"]["scheme"] == scheme.value


def good_text(pack) -> str:
    return workspace.to_json(workspace.Workspace(imports=(synthetic_import(pack),)))


@pytest.mark.parametrize("mutate, text", [
    (lambda t: t[:len(t) // 2], "not valid JSON at line "),
    (lambda t: t.replace('"schema": 1', '"schema": 2'), "made by a newer version: schema 2"),
    (lambda t: json.dumps({k: v for k, v in json.loads(t).items() if k != "schema"}), "no schema number"),
    (lambda t: "[1, 2]", "not a workspace object"),
    (lambda t: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_a_damaged_or_newer_workspace_gives_one_clear_line(tmp_path, own_pack, mutate, text):
    path = tmp_path / "bad.sthc"
    path.write_text(mutate(good_text(own_pack)), encoding="utf-8")
    with pytest.raises(DataError, match=text) as err:
        workspace.load(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)


@pytest.mark.parametrize("mutate, field, problem, imports_kept", [
    (lambda d: {k: v for k, v in d.items() if k != "view"}, "view", "is missing; the default view is used", 1),
    (lambda d: {**d, "view": []}, "view", "is not an object; the default view is used", 1),
    (lambda d: {**d, "imports": [{**d["imports"][0], "sha256": "0" + d["imports"][0]["sha256"]}]},
     "imports[1]", "does not match its checksum; that import is not opened", 0),
    (lambda d: {**d, "plan_progress": "12.0"}, "plan_progress", "is not an object; no plan progress is opened", 1),
])
def test_a_bad_part_is_dropped_with_a_line_and_the_rest_opens(tmp_path, own_pack, mutate, field, problem,
                                                              imports_kept):
    path = tmp_path / "part.sthc"
    path.write_text(json.dumps(mutate(json.loads(good_text(own_pack)))), encoding="utf-8")
    opened = workspace.load(path)
    assert len(opened.imports) == imports_kept
    [line] = opened.notes
    assert line.startswith(f"{path}: {field}") and line.endswith(problem)


def test_json_error_names_line_and_column(tmp_path):
    path = tmp_path / "bad.sthc"
    path.write_text('{\n  "schema": 1,\n  "view": {,\n}', encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3, column 12"):
        workspace.load(path)


def test_unopenable_and_unsaveable_paths(tmp_path):
    with pytest.raises(DataError, match="cannot be opened"):
        workspace.load(tmp_path / "missing.sthc")
    (tmp_path / "binary.sthc").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DataError, match="not UTF-8"):
        workspace.load(tmp_path / "binary.sthc")
    with pytest.raises(DataError, match="does not exist; nothing was written"):
        workspace.save(workspace.Workspace(), tmp_path / "no such folder" / "plan.sthc")


def test_autosave_recover_and_clear(tmp_path):
    folder = tmp_path / "data"
    assert workspace.recover(folder) is None
    view = MapView(classes=4, focus="South")
    workspace.autosave(workspace.Workspace(view), folder)
    assert workspace.recover(folder).view == view
    workspace.clear_autosave(folder)
    assert workspace.recover(folder) is None
    workspace.autosave_path(folder).write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="not valid JSON"):
        workspace.recover(folder)


def test_recent_files_list(tmp_path):
    a, b, c = (tmp_path / f"{n}.sthc" for n in "abc")
    recent = workspace.add_recent([], a)
    recent = workspace.add_recent(recent, b)
    recent = workspace.add_recent(recent, a)
    assert recent == [str(a.resolve()), str(b.resolve())]
    assert len(workspace.add_recent([str(tmp_path / f"{i}.sthc") for i in range(20)], c, limit=10)) == 10
    a.write_text("{}")
    assert workspace.existing_recent(recent) == [str(a.resolve())]


CHILD = textwrap.dedent("""
    import os, sys
    from datetime import date
    from sthc_desktop.core import imports, workspace
    from sthc_desktop.core.view import MapView
    path = sys.argv[1]
    blob = os.urandom(6_000_000)  # synthetic bytes standing in for a large imported file
    spec = imports.ImportSpec(level="lsoa21", code_column="c", value_column="v", name="Synthetic", period="1")
    record = workspace.ImportRecord("big.csv", blob, __import__("hashlib").sha256(blob).hexdigest(), spec,
                                    date(2025, 1, 1))
    i = 0
    while True:
        workspace.save(workspace.Workspace(MapView(classes=3 + i % 5), (record,)), path, overwrite=True)
        i += 1
        print("saved", flush=True)
""")


def test_killing_the_app_during_a_save_leaves_the_previous_workspace_intact(tmp_path):
    path = tmp_path / "plan.sthc"
    previous = workspace.Workspace(MapView(classes=9, focus="Central"))
    workspace.save(previous, path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.05, 0.13, 0.31):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, env=env)
        assert child.stdout.readline().strip() == b"saved"  # at least one whole save, then kill mid-way
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        survived = workspace.load(path)  # parses, and the checksum of the embedded file matches
        assert survived.view.classes in range(3, 8)
        assert len(survived.imports[0].data) == 6_000_000
    stray = [p.name for p in tmp_path.iterdir() if p.name != "plan.sthc"]
    assert all(n.startswith(".plan.") and n.endswith(".part.sthc") for n in stray)


def test_the_first_save_is_intact_if_killed_before_any_new_one(tmp_path):
    path = tmp_path / "plan.sthc"
    previous = workspace.Workspace(MapView(classes=9, focus="Central"))
    workspace.save(previous, path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.DEVNULL, env=env)
    time.sleep(0.3)  # the child is still importing or writing its first save
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert workspace.load(path).view.classes in (9, 3)
