"""Hostile output targets, through each command that writes a file (export map, export pack, compare,
saving a workspace): a symbolic link, a named pipe or a read-only file given as the output is
refused in one line and left as it was, nothing waits on a pipe, and no temporary file is left; a
file written is flushed to the disk before it is renamed over the target, and the rename after."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from sthc_desktop.cli import main
from sthc_desktop.core import files, workspace
from sthc_desktop.core.view import MapView

from conftest import ROOT, SHARED_DATA, needs_shared_data

COMMANDS = {
    "export map": lambda out: ["export", "map", "--indicator", "qof_obesity", "--dpi", "72", "--out", str(out)],
    "export pack": lambda out: ["export", "pack", "--localities", "North", "--indicators", "qof_obesity",
                                "--out", str(out)],
    "compare": lambda out: ["compare", "--indicators", "qof_obesity", "--out", str(out)],
}
SUFFIX = {"export map": ".png", "export pack": ".pdf", "compare": ".csv", "workspace save": ".sthc"}


def write(what: str, out: Path) -> str:
    """Run ``what`` onto ``out`` (replacing allowed) as a user would: "" if it wrote the file, else what
    it printed (a refusal comes before any progress line)."""
    if what == "workspace save":
        try:
            workspace.save(workspace.Workspace(view=MapView()), out, overwrite=True)
        except files.WriteError as exc:
            return str(exc)
        return ""
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([*COMMANDS[what](out), "--overwrite"])
    assert code in (0, 2)
    return "" if code == 0 else err.getvalue().strip()


def make_target(folder: Path, name: str, kind: str):
    """A target that must never be replaced, and a check that it is untouched."""
    out = folder / name
    if kind == "symlink":
        real = folder / "real"
        real.write_text("the real file")
        out.symlink_to(real)
        return out, lambda: out.is_symlink() and real.read_text() == "the real file"
    if kind == "pipe":
        os.mkfifo(out)
        return out, lambda: stat.S_ISFIFO(os.lstat(out).st_mode)
    out.write_text("last month's")
    out.chmod(0o444)  # refused by its mode, even for an administrator
    return out, lambda: out.read_text() == "last month's"


@pytest.mark.parametrize("kind, words", [("symlink", "is a symbolic link"), ("pipe", "not a regular file"),
                                         ("read-only", "is read-only")])
@pytest.mark.parametrize("what", [*COMMANDS, "workspace save"])
def test_no_command_replaces_a_link_a_pipe_or_a_read_only_file(tmp_path, what, kind, words):
    out, untouched = make_target(tmp_path, "out" + SUFFIX[what], kind)
    started = time.monotonic()
    message = write(what, out)
    assert time.monotonic() - started < 10  # a pipe is never opened, so nothing waits on it
    assert "\n" not in message and str(out) in message and words in message and "not replaced" in message
    assert untouched()
    assert {p.name for p in tmp_path.iterdir()} <= {out.name, "real"}  # no temporary file left


@pytest.mark.parametrize("what", [*COMMANDS, "workspace save"])
def test_each_file_is_on_the_disk_before_its_name_is(tmp_path, monkeypatch, what):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst, *a, **k):
        events.append(("rename", os.fspath(src), os.fspath(dst)))
        real_replace(src, dst, *a, **k)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / ("out" + SUFFIX[what])
    assert write(what, out) == "" and out.stat().st_size > 0
    renames = [e for e in events if e[0] == "rename" and e[2] == str(out)]
    assert len(renames) == 1
    at = events.index(renames[0])
    tmp = renames[0][1]
    assert ("fsync", tmp) in events[:at]                   # the file's bytes, before the rename
    assert ("fsync", str(tmp_path)) in events[at + 1:]     # the rename itself, after it


@needs_shared_data
@pytest.mark.parametrize("fault, words", [
    ("read-only", "the folder is read-only or you do not have permission; the existing file is kept"),
    ("full", "the disk is full; the existing file is kept"),
])
def test_build_geodata_into_a_read_only_or_full_folder_is_one_line_and_keeps_the_old_pack(
        tmp_path, monkeypatch, capsys, fault, words):
    import errno

    import pyogrio

    old = {tmp_path / "st_helens.gpkg": b"last build's pack",
           tmp_path / "st_helens.manifest.json": (ROOT / "geodata" / "st_helens.manifest.json").read_bytes()}
    for path, data in old.items():
        path.write_bytes(data)
    if fault == "read-only":  # as a read-only folder refuses a new file (an administrator ignores modes)
        real_open = os.open

        def refuse(path, flags, *a, **k):
            if files.SUFFIX in os.fspath(path) and flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_open(path, flags, *a, **k)
        monkeypatch.setattr(files.os, "open", refuse)
    else:
        def full(*_a, **_k):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(pyogrio, "write_dataframe", full)
    code = main(["build-geodata", "--source", str(SHARED_DATA), "--out", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "Traceback" not in err and words in err
    assert str(tmp_path / "st_helens") in err
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == old  # the old pack whole, nothing left behind
