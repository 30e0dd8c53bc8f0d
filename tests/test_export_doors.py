"""One request, two doors: the Export dialog (File ▸ Export, driven through its widgets) and
``python3 main.py export`` (run as a separate process) write byte-identical files for the same
choices, refuse the same bad choices in one line, show progress to the last page and cancel
leaving no file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from conftest import ROOT, click_export, menu_action, write_csv
from sthc_desktop.cli import main
from sthc_desktop.core.errors import ExportError
from sthc_desktop.core.view import MapView
from sthc_desktop.export import ExportCancelled, ExportJob, ExportRequest, export_map
from sthc_desktop.export.request import MAP, PACK
from sthc_desktop.ui import export_dialog


def command_line(*args, check=True) -> subprocess.CompletedProcess:
    """``python3 main.py export …`` in its own process, as a planner types it."""
    done = subprocess.run([sys.executable, "main.py", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def export_through_the_menu(qtbot, window, monkeypatch, use_the_widgets):
    """File ▸ Export…, the widgets set by ``use_the_widgets(dialog)``, Export, and wait for the worker."""
    def run(dialog):
        use_the_widgets(dialog)
        click_export(qtbot, dialog)
        assert dialog.status.text().startswith("Saved"), dialog.status.text()
        return 1
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", run)
    menu_action(window, "File", "Export briefing map or locality pack…").trigger()


def test_zoom_to_south_briefing_map_is_the_same_file_from_both_doors(window, qtbot, monkeypatch, tmp_path):
    window.model.set_indicator("qof_obesity")
    window.zoom_box.setCurrentText("South")
    window.zoom_box.activated.emit(window.zoom_box.currentIndex())  # the toolbar's "Zoom to: South"
    gui = tmp_path / "gui.pdf"

    def widgets(dialog):
        dialog.tabs.setCurrentIndex(0)
        dialog.orientation.setCurrentText("landscape")
        dialog.format.setCurrentText("PDF")
        dialog.out.setText(str(gui))
    export_through_the_menu(qtbot, window, monkeypatch, widgets)
    cli = tmp_path / "cli.pdf"
    done = command_line("map", "--indicator", "qof_obesity", "--locality", "South", "--orientation", "landscape",
                        "--out", str(cli))
    assert gui.read_bytes() == cli.read_bytes()
    assert done.stderr.splitlines()[-1].startswith("page 1 of 1: Obesity")  # the progress line, on stderr
    assert done.stdout == f"wrote {cli}\n"


def test_locality_pack_is_the_same_file_from_both_doors(window, qtbot, monkeypatch, tmp_path):
    gui = tmp_path / "gui.pdf"

    def widgets(dialog):
        dialog.tabs.setCurrentIndex(1)
        for name, box in dialog.locality_boxes.items():
            box.setChecked(name in ("Newton & Haydock", "North"))
        dialog.indicators.setCurrentText("Obesity")
        dialog.pack_format.setCurrentText("PDF")
        dialog.out.setText(str(gui))
    export_through_the_menu(qtbot, window, monkeypatch, widgets)
    cli = tmp_path / "cli.pdf"
    done = command_line("pack", "--localities", "Newton & Haydock", "North", "--indicators", "Obesity",
                        "--out", str(cli))
    assert gui.read_bytes() == cli.read_bytes()
    assert done.stderr.splitlines() == [f"page {n} of 8: {label}" for n, label in enumerate(
        ["Cover", "Borough overview", "Newton & Haydock", "North", "Spine charts", "Practice funnel plots",
         "St Helens among England's districts", "Notes"], start=1)]


def test_a_map_under_a_supplied_lookup_is_the_same_file_from_both_doors(window, qtbot, monkeypatch, tmp_path):
    lsoa = window.model.planner.pack.layer("lsoa21")
    lookup = write_csv(tmp_path / "synthetic_lookup.csv", ["lsoa21cd", "locality"],  # SYNTHETIC: two localities
                       [(c, "North" if n == "North" else "South") for c, n in zip(lsoa["code"], lsoa["locality"])])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(lookup), "")))
    menu_action(window, "File", "Use a locality lookup (LSOA → locality)…").trigger()
    gui = tmp_path / "gui.pdf"

    def widgets(dialog):
        dialog.format.setCurrentText("PDF")
        dialog.out.setText(str(gui))
    export_through_the_menu(qtbot, window, monkeypatch, widgets)
    cli = tmp_path / "cli.pdf"
    assert main(["export", "map", "--indicator", window.model.view.indicator_id, "--lookup", str(lookup),
                 "--out", str(cli)]) == 0
    assert gui.read_bytes() == cli.read_bytes()


# -- the one check, from either door ---------------------------------------------------------------
@pytest.mark.parametrize("args, problem", [
    (["map", "--indicator", "no_such_thing"], "unknown indicator 'no_such_thing'"),
    (["map", "--indicator", "qof_obesity", "--period", "1999"], "unknown period '1999' of indicator 'qof_obesity'"),
    (["map", "--indicator", "qof_obesity", "--scheme", "Jenks"], "unknown scheme 'Jenks'"),
    (["map", "--indicator", "qof_obesity", "--classes", "12"], "classes 12 is outside 2–9"),
    (["map", "--indicator", "qof_obesity", "--locality", "Sowth"], "unknown locality 'Sowth' (choose Central,"),
    (["map", "--indicator", "qof_obesity", "--focus", "Sowth"], "unknown focus 'Sowth'"),
    (["map", "--indicator", "qof_obesity", "--hide", "roads"], "unknown layer 'roads'"),
    (["map", "--indicator", "qof_obesity", "--paper", "A5"], "unknown paper 'A5' (choose A4, A3)"),
    (["map", "--indicator", "qof_obesity", "--orientation", "sideways"], "unknown orientation 'sideways'"),
    (["map", "--indicator", "qof_obesity", "--format", "docx"], "unknown format 'docx' for a briefing map"),
    (["map", "--indicator", "qof_obesity", "--method", "guesswork"], "unknown method 'guesswork'"),
    (["pack", "--localities", "North", "Nowhere"], "unknown locality 'Nowhere'"),
    (["pack", "--indicators", "nope"], "unknown indicator or theme 'nope'"),
    (["pack", "--format", "svg"], "unknown format 'svg' for a locality pack"),
])
def test_the_command_line_refuses_a_bad_choice_in_one_line_naming_it(tmp_path, capsys, args, problem):
    out = tmp_path / "out.pdf"
    assert main(["export", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {out}: ") and problem in err, err
    assert list(tmp_path.iterdir()) == []


def test_the_dialog_refuses_what_the_command_line_refuses_in_the_same_words(window, qtbot, monkeypatch,
                                                                              tmp_path, capsys):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    window.model.update(indicator_id="qof_obesity", period="1999")  # e.g. a view saved on an older pack
    out = tmp_path / "map.pdf"

    def run(dialog):
        dialog.out.setText(str(out))
        dialog.format.setCurrentText("PDF")
        click_export(qtbot, dialog)
        return 1
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", run)
    menu_action(window, "File", "Export briefing map or locality pack…").trigger()
    assert main(["export", "map", "--indicator", "qof_obesity", "--period", "1999", "--out", str(out)]) == 2
    assert shown == [capsys.readouterr().err.removeprefix("error: ").rstrip("\n")]
    assert "unknown period '1999'" in shown[0] and list(tmp_path.iterdir()) == []


def test_the_engine_called_directly_refuses_an_unknown_period(planner, tmp_path):
    with pytest.raises(ExportError, match="unknown period '2099-00'"):
        export_map(planner, MapView(indicator_id="qof_obesity", period="2099-00"), tmp_path / "map.pdf")
    assert list(tmp_path.iterdir()) == []


# -- the worker: progress to the end, cancel leaves nothing ------------------------------------------
def test_a_job_reports_every_page_and_its_request_names_the_zoom(planner, tmp_path):
    seen = []
    request = ExportRequest(MAP, tmp_path / "south.png", indicator="qof_obesity", zoom="South", dpi=72)
    assert request.view(planner).extent == planner.locality_bounds("South") and request.view(planner).focus is None
    job = ExportJob(request, planner, progress=lambda *step: seen.append(step)).start()
    assert job.wait() == tmp_path / "south.png" and not job.running
    assert [s[:2] for s in seen] == [(1, 1)] and (tmp_path / "south.png").is_file()


def test_a_cancelled_job_leaves_neither_the_file_nor_a_temporary_file(planner, tmp_path):
    job = None

    def progress(done, total, label):
        if done == 2:
            job.cancel()  # as the dialog's Cancel does, from another thread, between pages
    job = ExportJob(ExportRequest(PACK, tmp_path / "pack.pdf", localities=("North",), indicators="Obesity"),
                    planner, progress=progress).start()
    with pytest.raises(ExportCancelled, match="cancelled; nothing was written"):
        job.wait()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_cancels_the_command_line_export_and_leaves_nothing(tmp_path):
    out = tmp_path / "pack.pdf"
    # A process started in the background ignores Ctrl+C; a terminal's foreground one does not.
    run = subprocess.Popen([sys.executable, "main.py", "export", "pack", "--out", str(out)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = run.stderr.readline()
        assert first.startswith("page 1 of 10: Cover"), first
        run.send_signal(signal.SIGINT)
        rest = run.stderr.read()
        assert run.wait(timeout=120) == 2
    finally:
        run.kill()
    assert rest.splitlines()[-1] == f"error: {out}: export cancelled; nothing was written"
    assert list(tmp_path.iterdir()) == []


def test_the_export_path_loads_neither_pyplot_nor_qt(tmp_path):
    """What the worker thread runs draws with Figure and Agg/PDF canvases only, safe off the GUI thread."""
    script = ("import sys; from sthc_desktop.cli import main; "
              f"status = main(['export', 'pack', '--localities', 'North', '--indicators', 'Obesity', "
              f"'--out', {str(tmp_path / 'p.pdf')!r}]); "
              "print(status, sorted(m for m in sys.modules if m.startswith(('matplotlib.pyplot', 'PySide6'))))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
