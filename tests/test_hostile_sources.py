"""The builder refuses damaged sources before writing anything: a file whose checksum differs from
the previous build's manifest, a plain CSV cut mid-line, text in a numeric column, a gzip that
unpacks too far, a named pipe as a source. Each breaks a copy made here of one official file."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from sthc_desktop.builder import sources as sources_module
from sthc_desktop.builder.sources import Sources, manifest_checksums
from sthc_desktop.core.errors import SourceError

from conftest import ROOT, SHARED_DATA, needs_shared_data, swap_source

pytestmark = needs_shared_data
LOOKUP = "geography/st_helens_lookup_lsoa11_lsoa21.csv"
FIRST = "geography/st_helens_lsoa11_bgc.gpkg"  # the first file a build reads


def test_the_committed_manifest_matches_the_official_files():
    known = manifest_checksums(ROOT / "geodata" / "st_helens.manifest.json")
    assert LOOKUP in known
    src = Sources(SHARED_DATA, known)
    for relative in known:
        src.path(relative)  # raises if an official file no longer matches what the pack was built from


def test_a_source_changed_since_the_manifest_is_refused_unless_accepted(source_mirror):
    text = (SHARED_DATA / LOOKUP).read_bytes()
    swap_source(source_mirror, LOOKUP, text.replace(b"E01006", b"E01007", 1))
    known = manifest_checksums(ROOT / "geodata" / "st_helens.manifest.json")
    with pytest.raises(SourceError, match="has changed since the last build") as err:
        Sources(source_mirror, known).path(LOOKUP)
    assert err.value.message.startswith(str(source_mirror / LOOKUP)) and "--accept-changed-sources" in err.value.message
    Sources(source_mirror, known, accept_changed=True).path(LOOKUP)


def test_build_geodata_refuses_a_changed_source_and_writes_nothing(source_mirror, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(ROOT / "geodata" / "st_helens.manifest.json", out / "st_helens.manifest.json")
    swap_source(source_mirror, FIRST, (SHARED_DATA / FIRST).read_bytes() + b"\0")
    result = subprocess.run([sys.executable, "main.py", "build-geodata", "--source", str(source_mirror), "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "st_helens_lsoa11_bgc.gpkg: has changed since the last build" in line
    assert sorted(p.name for p in out.iterdir()) == ["st_helens.manifest.json"]


def test_a_plain_csv_cut_mid_line_is_refused(source_mirror):
    text = (SHARED_DATA / LOOKUP).read_text(encoding="utf-8-sig")
    swap_source(source_mirror, LOOKUP, text[: text.rindex(",")].encode())  # the last line loses its last cell
    header = text.splitlines()[0].split(",")
    with pytest.raises(SourceError, match="the file was cut short"):
        Sources(source_mirror).csv(LOOKUP, header)


def test_text_in_a_numeric_column_is_refused_naming_it(source_mirror):
    lines = (SHARED_DATA / LOOKUP).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    with pytest.raises(SourceError, match="not of its column's type"):
        Sources(source_mirror).csv(LOOKUP, header, dtype={header[0]: "float64"})


def test_a_gzip_that_unpacks_too_far_is_refused(source_mirror, monkeypatch):
    monkeypatch.setattr(sources_module, "UNPACKED_LIMIT", 1 << 20)
    (source_mirror / "geography/huge.gpkg.gz").write_bytes(gzip.compress(b"\0" * (3 << 20)))
    with pytest.raises(SourceError, match=r"huge.gpkg.gz: unpacks to more than 1 MB \(damaged"):
        Sources(source_mirror).layer("geography/huge.gpkg.gz", "x", [])


def test_a_named_pipe_as_a_source_is_refused_without_blocking(source_mirror):
    (source_mirror / LOOKUP).unlink()
    os.mkfifo(source_mirror / LOOKUP)
    with pytest.raises(SourceError, match="it is a named pipe, not a file"):
        Sources(source_mirror).path(LOOKUP)


def test_a_damaged_previous_manifest_is_one_line(tmp_path):
    (tmp_path / "m.json").write_text(json.dumps({"datasets": [{"files": [{"path": 1}]}]}))
    with pytest.raises(SourceError, match="manifest is damaged"):
        manifest_checksums(tmp_path / "m.json")
