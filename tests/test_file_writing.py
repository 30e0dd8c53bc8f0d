"""Files as users expect, through the commands and the File menu: an existing output is kept unless
``--overwrite`` is given or the replace question is answered Yes; links, pipes and read-only files are
never replaced; new files get the umask's permissions; a failed write keeps the old file; hidden
leftovers of crashed writes are removed."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest
from PySide6.QtWidgets import QMessageBox

from conftest import click_export
from sthc_desktop.cli import main
from sthc_desktop.core import files

COMPARE = ["compare", "--indicators", "qof_obesity"]


def compare(out, *extra) -> int:
    return main([*COMPARE, "--out", str(out), *extra])


def test_an_existing_output_is_kept_unless_overwrite_is_given(tmp_path, capsys):
    out = tmp_path / "north.png"
    out.write_bytes(b"last week's map")
    args = ["export", "map", "--indicator", "qof_obesity", "--locality", "North", "--dpi", "72", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(out) in err and "already exists" in err and "--overwrite" in err
    assert out.read_bytes() == b"last week's map"
    assert main([*args, "--overwrite"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["north.png"]


def test_compare_checks_both_outputs_before_writing_either(tmp_path, capsys):
    out, gaps = tmp_path / "compare.csv", tmp_path / "gaps.csv"
    gaps.write_text("kept")
    assert compare(out, "--inequality", str(gaps)) == 2
    assert "gaps.csv: already exists" in capsys.readouterr().err
    assert not out.exists() and gaps.read_text() == "kept"


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_files_get_the_umasks_permissions(tmp_path, umask):
    old = os.umask(umask)
    try:
        assert compare(tmp_path / "c.csv") == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "c.csv").stat().st_mode) == 0o666 & ~umask


def make_target(tmp_path, kind):
    """A target that must never be replaced, and how to tell it is untouched."""
    if kind == "symlink":
        real = tmp_path / "real.csv"
        real.write_text("the real file")
        (tmp_path / "out.csv").symlink_to(real)
        return lambda p: p.is_symlink() and real.read_text() == "the real file"
    if kind == "fifo":
        os.mkfifo(tmp_path / "out.csv")
        return lambda p: stat.S_ISFIFO(os.lstat(p).st_mode)
    if kind == "read-only":
        (tmp_path / "out.csv").write_text("read-only")
        (tmp_path / "out.csv").chmod(0o444)  # refused by its mode, even for root
        return lambda p: p.read_text() == "read-only"
    (tmp_path / "out.csv").mkdir()
    return lambda p: p.is_dir()


@pytest.mark.parametrize("kind,words", [("symlink", "symbolic link"), ("fifo", "not a regular file"),
                                        ("read-only", "read-only"), ("folder", "is a folder")])
def test_links_pipes_folders_and_read_only_files_are_never_replaced(tmp_path, capsys, kind, words):
    untouched = make_target(tmp_path, kind)
    started = time.monotonic()
    assert compare(tmp_path / "out.csv", "--overwrite") == 2
    assert time.monotonic() - started < 10  # a pipe is not opened, so nothing waits on it
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "out.csv" in err and words in err and "not replaced" in err
    assert untouched(tmp_path / "out.csv")
    assert not [p for p in tmp_path.iterdir() if files.SUFFIX in p.name]


def test_a_full_disk_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    out = tmp_path / "plan.sthc"
    out.write_text("the previous workspace")
    real_sync = files._sync

    def full(path):  # the data went out, but the disk filled before it reached the platter
        real_sync(path)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files, "_sync", full)
    with pytest.raises(files.WriteError, match="plan.sthc: the disk is full; the existing file is kept"):
        files.write_bytes(out, "new", overwrite=True)
    assert out.read_text() == "the previous workspace"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.sthc"]


@pytest.mark.parametrize("free", [0, 10**12])
def test_a_writer_failing_in_its_own_words_on_a_full_disk_is_told_as_a_full_disk(tmp_path, capsys, monkeypatch,
                                                                                 free):
    import pandas as pd
    out = tmp_path / "c.csv"
    out.write_text("kept")

    def fail(*_a, **_k):  # as GDAL or zlib report a write that ran out of space
        raise RuntimeError("Failed to commit transaction")
    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    monkeypatch.setattr(files.shutil, "disk_usage", lambda _p: shutil_usage(free))
    if free:  # with space left it is some other fault: not hidden behind a message
        with pytest.raises(RuntimeError, match="commit"):
            compare(out, "--overwrite")
    else:
        assert compare(out, "--overwrite") == 2
        assert "c.csv: the disk is full; the existing file is kept" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["c.csv"] and out.read_text() == "kept"


def shutil_usage(free):
    import shutil
    return shutil._ntuple_diskusage(10**12, 10**12 - free, free)


def test_leftovers_of_crashed_writes_are_removed_and_nothing_else(tmp_path):
    dead = 4_194_305  # above Linux's largest process id, so never running
    old = time.time() - 3600
    leftovers = [tmp_path / f".c.{dead}.0123456789ab.part.csv", tmp_path / f".other.{dead}.ba9876543210.part.pdf",
                 tmp_path / ".c.csv.k2j_9x0a.part", tmp_path / ".c.csv.k2j_9x0a.tmp"]  # older versions' names
    kept = [tmp_path / f".c.{os.getpid() + 1}.0123456789ab.part.csv",  # written after this process started
            tmp_path / ".notes.part", tmp_path / "c.csv.part"]          # not the writer's names
    for p in leftovers + kept:
        p.write_text("partial")
    for p in leftovers + kept[1:]:
        os.utime(p, (old, old))
    os.utime(kept[0], (time.time() + 60,) * 2)
    assert compare(tmp_path / "c.csv") == 0
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in kept)


# -- the app asks before replacing -------------------------------------------------------------------
def file_action(window, text):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")
    return next(a for a in file_menu.actions() if a.text().replace("&", "") == text)


@pytest.mark.parametrize("answer", [QMessageBox.No, QMessageBox.Yes])
def test_export_dialog_asks_before_replacing(window, qtbot, monkeypatch, tmp_path, answer):
    from sthc_desktop.ui import export_dialog
    out = tmp_path / "map.png"
    out.write_bytes(b"last week's map")
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answer
    monkeypatch.setattr(QMessageBox, "question", question)

    def use_the_dialog(dialog):
        dialog.format.setCurrentText("PNG")
        dialog.dpi.setValue(72)
        dialog.out.setText(str(out))
        click_export(qtbot, dialog)
        return 1
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", use_the_dialog)
    file_action(window, "Export briefing map or locality pack…").trigger()
    assert len(asked) == 1 and "map.png already exists" in asked[0]
    if answer == QMessageBox.No:
        assert out.read_bytes() == b"last week's map"
    else:
        assert out.read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


@pytest.mark.parametrize("answer", [QMessageBox.No, QMessageBox.Yes])
def test_save_as_asks_before_replacing_the_file_really_written(window, monkeypatch, tmp_path, answer):
    from PySide6.QtWidgets import QFileDialog
    existing = tmp_path / "plan.sthc"
    existing.write_text("another workspace")
    # The user types "plan"; the app adds .sthc, so it asks about plan.sthc, not the name typed.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "plan"), "")))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or answer)
    window.model.set_indicator("qof_obesity")
    file_action(window, "Save workspace as…").trigger()
    assert len(asked) == 1 and "plan.sthc already exists" in asked[0]
    if answer == QMessageBox.No:
        assert existing.read_text() == "another workspace" and window.model.path is None
    else:
        assert json.loads(existing.read_text())["view"]["indicator_id"] == "qof_obesity"
        window.model.set_indicator("census21_disabled")
        file_action(window, "Save workspace").trigger()  # saving the open workspace again does not ask
        assert len(asked) == 1
        assert json.loads(existing.read_text())["view"]["indicator_id"] == "census21_disabled"
