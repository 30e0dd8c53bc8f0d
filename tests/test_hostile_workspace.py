"""Nothing a workspace or the saved settings say can break the app: each bad field is dropped with
one line naming the file, the field and the problem, the rest of the work opens, and the next
start is clean. The hostile files are made here (synthetic values only)."""

from __future__ import annotations

import json
import logging
import math

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sthc_desktop.core import imports, workspace
from sthc_desktop.core.vocabulary import Scheme
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.saved_view import fit_view, restored_view
from sthc_desktop.core.view import MapView

from conftest import BUNDLED_PACK, synthetic_lsoa_import


def synthetic_record(pack) -> workspace.ImportRecord:
    return synthetic_lsoa_import(pack, "synthetic_hostile.csv", 0.5, name="Synthetic hostile value", period="2024",
                                 unit="score")


@pytest.fixture(scope="module")
def good(pack) -> dict:
    return workspace.Workspace(MapView(scheme=Scheme.QUANTILES), (synthetic_record(pack),)).to_dict()


def view_with(**fields):
    return lambda d: {**d, "view": {**d["view"], **fields}}


def spec_with(**fields):
    return lambda d: {**d, "imports": [{**d["imports"][0], "spec": {**d["imports"][0]["spec"], **fields}}]}


def record_with(**fields):
    return lambda d: {**d, "imports": [{**d["imports"][0], **fields}]}


NESTED = {"a": [[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]}


@pytest.mark.parametrize("mutate, field, problem", [
    (view_with(scheme="evil_scheme"), "view.scheme", "'evil_scheme' is not one of: national_deciles, quantiles"),
    (view_with(scheme="quantile"), "view.scheme", "'quantile' is not one of"),
    (view_with(scheme="National Deciles"), "view.scheme", "'National Deciles' is not one of"),
    (view_with(scheme="x" * 400), "view.scheme", "'xxxxxxxx"),
    (view_with(period=["2019", "2015"]), "view.period", "is a list, not text"),
    (view_with(indicator_id=7), "view.indicator_id", "is a whole number, not text"),
    (view_with(extent=[1.0, 2.0, 3.0]), "view.extent", "has 3 numbers, not 4"),
    (view_with(extent=[float("nan"), 0, 1, 1]), "view.extent", "is nan, not a finite number"),
    (view_with(extent=[0, 0, float("inf"), 1]), "view.extent", "is inf, not a finite number"),
    (view_with(extent=[5, 5, 1, 1]), "view.extent", "each minimum below its maximum"),
    (view_with(classes=99), "view.classes", "99 is outside 2–9"),
    (view_with(classes="5"), "view.classes", "is text, not a whole number"),
    (view_with(classes=True), "view.classes", "is true/false, not a whole number"),
    (view_with(focus="Atlantis"), "view.focus", "'Atlantis' is not one of"),
    (view_with(layers={"wards": "no"}), "view.layers.wards", "is not true/false"),
    (view_with(focus=NESTED), "view.focus", "is an object, not text"),
    (lambda d: {**d, "assignment": {"method": ["x"], "lookup_csv": None}}, "assignment.method", "is a list"),
    (spec_with(name=12345), "imports[1].spec.name", "is a whole number, not text"),
    (spec_with(level="galaxy"), "imports[1].spec.level", "'galaxy' is not one of"),
    (spec_with(polarity="evil"), "imports[1].spec.polarity", "'evil' is not one of"),
    (spec_with(filters=[["a", 1]]), "imports[1].spec.filters", "not a list of [column, text] pairs"),
    (spec_with(code_column=NESTED), "imports[1].spec.code_column", "is an object, not text"),
    (record_with(file_name="../../etc/passwd.csv"), "imports[1].file_name", "points outside the workspace folder"),
    (record_with(file_name=None), "imports[1].file_name", "is missing"),
    (record_with(imported_on="yesterday"), "imports[1]", "is damaged"),
    (lambda d: {**d, "imports": {"x": 1}}, "imports", "is not a list"),
])
def test_each_bad_field_is_one_line_naming_file_and_field(tmp_path, good, mutate, field, problem):
    path = tmp_path / "hostile.sthc"
    path.write_text(json.dumps(mutate(good)), encoding="utf-8")
    opened = workspace.load(path)
    [line] = opened.notes
    assert line.startswith(f"{path}: {field} ") and problem in line and "\n" not in line
    imports_ok = not field.startswith("imports")
    assert len(opened.imports) == (1 if imports_ok else 0)  # only the bad import is left out


@pytest.mark.parametrize("view, field", [
    (MapView(period="1066"), "view.period"),
    (MapView(indicator_id="no_such_indicator"), "view.indicator_id"),
    (MapView(extent=(0.0, 0.0, 10.0, 10.0)), "view.extent"),
    (MapView(extent=(-1e9, -1e9, 1e9, 1e9)), "view.extent"),
    (MapView(indicator_id="qof_obesity", scheme=Scheme.NATIONAL_DECILES), "view.scheme"),
])
def test_fields_the_pack_cannot_draw_fall_back_to_defaults(planner, view, field):
    fitted, [line] = fit_view(view, planner, "plan.sthc")
    assert line.startswith(f"plan.sthc: {field} ")
    planner.classes_for(fitted)  # draws
    assert fitted.extent is None or math.isfinite(sum(fitted.extent))


def test_a_workspace_naming_an_unknown_scheme_cannot_stop_the_next_start(qtbot, isolated_settings, tmp_path,
                                                                        monkeypatch, good):
    """The reported case: open it from File ▸ Open (the map redraws), close the app, start it again."""
    from sthc_desktop.ui.main_window import MainWindow

    path = tmp_path / "evil.sthc"
    path.write_text(json.dumps(view_with(scheme="evil_scheme", period=["2019"])(good)), encoding="utf-8")
    warnings = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, title, text: warnings.append((title, text)))
    first = MainWindow(Planner(DataPack(BUNDLED_PACK)))
    qtbot.addWidget(first)
    next(a for a in first.menuBar().actions()[0].menu().actions() if a.text().startswith("&Open")).trigger()
    [(title, text)] = warnings
    assert "view.scheme" in text and "view.period" in text and str(path) in text
    assert first.model.view.scheme is None and first.model.view.period is None
    assert len(first.model.imports) == 1  # the rest of the work is open
    first.model.set_modified(False)
    first.close()
    second = MainWindow(Planner(DataPack(BUNDLED_PACK)))
    qtbot.addWidget(second)
    assert second.model.view.scheme in (None, Scheme.QUANTILES)


@pytest.mark.parametrize("saved", [
    json.dumps({"indicator_id": "iod19_imd_decile", "scheme": "evil_scheme"}),
    json.dumps({"indicator_id": "iod19_imd_decile", "period": ["2019"], "classes": 10 ** 9}),
    json.dumps({"extent": [0, 0, float("nan"), 1]}),
    "[" * 50_000 + "]" * 50_000,
    "{not json",
])
def test_a_bad_view_in_the_settings_is_dropped_with_a_message(qtbot, isolated_settings, planner, caplog, saved):
    from sthc_desktop.ui.main_window import MainWindow
    from sthc_desktop.ui.settings import settings

    settings().setValue("view/state", saved)
    with caplog.at_level(logging.WARNING):
        window = MainWindow(planner)
    qtbot.addWidget(window)
    assert window.model.view.scheme is None and window.model.view.classes in range(2, 10)
    assert any("view/state" in r.getMessage() for r in caplog.records)
    planner.classes_for(window.model.view)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                 max_size=3), max_leaves=8)
VIEW_KEYS = ("indicator_id", "period", "scheme", "classes", "layers", "focus", "extent")
SCHEME_WORDS = st.sampled_from([*Scheme, *(s.label for s in Scheme), "evil_scheme", "", "Quantiles ",
                                "NATIONAL_DECILES"])
SPEC_KEYS = tuple(imports.SPEC_FIELDS)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(view=st.dictionaries(st.sampled_from(VIEW_KEYS), JSON, max_size=4),
       spec=st.dictionaries(st.sampled_from(SPEC_KEYS), JSON, max_size=3))
def test_any_json_in_view_or_spec_opens_or_is_one_line_naming_the_file(tmp_path, good, planner, view, spec):
    path = tmp_path / "any.sthc"
    d = spec_with(**spec)(view_with(**view)(good))
    try:
        text = json.dumps(d)
    except ValueError:
        return
    path.write_text(text, encoding="utf-8")
    try:
        opened = workspace.load(path)
    except DataError as exc:  # never anything else
        assert exc.message.startswith(str(path)) and "\n" not in exc.message
        return
    for line in opened.notes:
        assert line.startswith(f"{path}: ") and "\n" not in line
    fitted, notes = fit_view(opened.view, planner, path)
    planner.classes_for(fitted)
    assert all(n.startswith(f"{path}: view.") for n in notes)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scheme=SCHEME_WORDS | st.text(max_size=12), classes=st.integers(2, 9))
def test_a_saved_scheme_is_an_id_an_old_label_or_one_line(tmp_path, good, planner, scheme, classes):
    """Any text as the scheme: an id or a label opens as that scheme; anything else is one line naming the
    file, the field and the value, and the view draws with the default classification."""
    path = tmp_path / "scheme.sthc"
    path.write_text(json.dumps(view_with(scheme=scheme, classes=classes)(good)), encoding="utf-8")
    opened = workspace.load(path)
    known = {s: s for s in Scheme} | {s.label: s for s in Scheme}
    if scheme in known:
        assert opened.notes == () and opened.view.scheme is known[scheme]
    else:
        [line] = opened.notes
        assert line.startswith(f"{path}: view.scheme '") and "is not one of" in line and "\n" not in line
        assert opened.view.scheme is None
    fitted, _ = fit_view(opened.view, planner, path)
    planner.classes_for(fitted)
    assert json.loads(workspace.to_json(opened))["view"]["scheme"] in (None, *Scheme)


def test_a_view_saved_in_the_settings_with_a_scheme_label_is_restored(planner):
    saved = json.dumps({"indicator_id": "iod19_imd_score", "scheme": "Natural breaks (Fisher-Jenks)", "classes": 4})
    view, notes = restored_view(saved, planner, "settings.ini")
    assert notes == [] and view.scheme == Scheme.NATURAL_BREAKS and view.classes == 4
    assert json.loads(json.dumps(view.to_dict()))["scheme"] == "natural_breaks"


def test_restored_view_refuses_text_that_is_not_a_view(planner):
    view, [line] = restored_view(b"\x00" * 10, planner, "settings.ini")
    assert view is None and line.startswith("settings.ini: view/state")


@pytest.mark.parametrize("stored", [7, [1, None, {"a": 1}], "x" * 10_000, ["\0bad"], {"k": "v"}])
def test_a_damaged_recent_files_list_in_the_settings_is_dropped(qtbot, isolated_settings, planner, stored):
    from sthc_desktop.ui import workspace_actions
    from sthc_desktop.ui.main_window import MainWindow
    from sthc_desktop.ui.settings import settings

    settings().setValue(workspace_actions.RECENT_KEY, stored)
    assert workspace_actions.recent_files() == []
    window = MainWindow(planner)
    qtbot.addWidget(window)
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == ["(none)"]
