"""Briefing map export: the engine, the command line, the page layout and never-broken files."""

from __future__ import annotations

import errno
import os
import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader

from sthc_desktop.content.practices import practice_key_rows
from sthc_desktop.cli import main
from sthc_desktop.core.errors import ExportError
from sthc_desktop.core.view import MapView
from sthc_desktop.export import export_map
from sthc_desktop.core import files as core_files
from sthc_desktop.export import files
from sthc_desktop.render.briefing_map import briefing_map
from sthc_desktop.render.furniture import nice_length
from sthc_desktop.render.page import PAPER_SIZES, page_size

from conftest import assert_page_text_fits


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def squash(text: str) -> str:
    return " ".join(text.split())


def test_png_at_a4_portrait_150_dpi_is_1240_by_1754(planner, tmp_path):
    out = export_map(planner, MapView(), tmp_path / "map.png", paper="A4", orientation="portrait", dpi=150)
    w, h = Image.open(out).size
    assert abs(w - 1240) <= 2 and abs(h - 1754) <= 2


def test_png_landscape_a3_at_300_dpi_has_the_sheet_size(planner, tmp_path):
    out = export_map(planner, MapView(), tmp_path / "map.png", paper="A3", orientation="landscape", dpi=300)
    w, h = Image.open(out).size
    assert abs(w - 16.54 * 300) <= 2 and abs(h - 11.69 * 300) <= 2


def test_svg_parses_and_is_vector(planner, tmp_path):
    out = export_map(planner, MapView(indicator_id="qof_obesity"), tmp_path / "map.svg")
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert root.get("width") == "595.44pt"  # 8.27 in × 72
    assert not any(el.tag.endswith("image") for el in root.iter())  # no raster inside


def test_pdf_carries_title_period_method_legend_and_attribution(planner, pack, tmp_path):
    view = MapView(indicator_id="iod19_imd_score")
    out = export_map(planner, view, tmp_path / "map.pdf", produced=date(2026, 5, 4))
    text = pdf_text(out)
    assert "Index of Multiple Deprivation 2019: score" in text
    assert "St Helens · IoD2019" in text
    assert "Produced 4 May 2026" in text
    assert squash(planner.assignments["lsoa21"].statement) in text
    for line in pack.attribution_lines(["iod2019", "nhs_practices"]):
        assert squash(line) in text
    # The legend: every class with its count of areas, and the practices' key.
    classes = planner.classes_for(view)
    for label, count in zip(classes.labels, classes.counts):
        assert f"{label} ({count})" in text
    assert "Hall Street Medical Centre — active" in text
    assert "Haydock Medical Centre (now Modality St Helens) — active" in text
    assert "Newton Community Hospital Practice — closed 2025-06-30" in text
    assert "Dr Rahil's Surgery — dormant" in text
    assert "Ferguson Family Medical Practice — no ODS match" in text
    assert "Berrymead Family Medical Centre (N83008)" in text and "not on the plan's locality map" in text
    assert len(PdfReader(out).pages) == 1
    w, h = PdfReader(out).pages[0].mediabox.upper_right
    assert (round(float(w)), round(float(h))) == (595, 842)


def test_locality_map_names_the_locality_and_lists_only_its_practices(planner, tmp_path):
    view = MapView(indicator_id="qof_obesity", focus="North", extent=planner.locality_bounds("North"))
    text = pdf_text(export_map(planner, view, tmp_path / "north.pdf"))
    assert "Obesity: QOF prevalence, adults 18+" in text and "North · 2024-25" in text
    assert "Windermere Medical Centre" in text and "Billinge Surgery — active" in text
    assert "Hall Street Medical Centre" not in text


def test_practice_key_hides_with_the_practices_layer(planner, tmp_path):
    view = MapView().with_layer("practices", False)
    text = pdf_text(export_map(planner, view, tmp_path / "nopractices.pdf"))
    assert "Practices by map key" not in text
    assert "Hall Street" not in text


def test_practice_key_rows_for_a_network_include_its_unlocated_practice(planner):
    south = practice_key_rows(planner, network="South")
    keys = [r["key"] for r in south]
    assert keys[:3] == ["21", "22", "23"] and "31" in keys and keys[-1] == "–"
    assert {r["network"] for r in south} == {"South"}


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("indicator", ["iod19_imd_decile", "qof_obesity"])
def test_page_text_never_overlaps_or_leaves_the_sheet(planner, paper, orientation, indicator):
    page = briefing_map(planner, MapView(indicator_id=indicator), paper=paper, orientation=orientation)
    fig = page.figure
    assert_page_text_fits(fig)
    # Nothing set below 5.5 pt at A4 (a board member must be able to read the key).
    smallest = min(t.get_fontsize() for t in fig.texts) / (min(page_size(paper, orientation)) / PAPER_SIZES["A4"][0])
    assert smallest >= 5.5


def test_scale_bar_lengths_are_round():
    assert nice_length(4300) == 4000
    assert nice_length(2600) == 2000
    assert nice_length(900) == 500
    assert nice_length(30) == 100


# -- the command line calls the same engine ------------------------------------------------
def test_cli_writes_a_png_map_of_a_locality(tmp_path, capsys):
    out = tmp_path / "central.png"
    status = main(["export", "map", "--indicator", "iod19_imd_decile", "--locality", "Central",
                   "--paper", "A4", "--orientation", "landscape", "--dpi", "100", "--format", "png",
                   "--out", str(out)])
    assert status == 0 and f"wrote {out}" in capsys.readouterr().out
    w, h = Image.open(out).size
    assert abs(w - 1169) <= 2 and abs(h - 827) <= 2


def test_cli_locality_is_the_zoom_and_focus_the_highlight_as_on_screen(planner, tmp_path):
    out_cli = tmp_path / "cli.pdf"
    assert main(["export", "map", "--indicator", "qof_obesity", "--locality", "South", "--out", str(out_cli)]) == 0
    zoomed = MapView(indicator_id="qof_obesity", extent=planner.locality_bounds("South"))  # "Zoom to: South"
    assert out_cli.read_bytes() == export_map(planner, zoomed, tmp_path / "api.pdf").read_bytes()
    focused = tmp_path / "focused.pdf"
    assert main(["export", "map", "--indicator", "qof_obesity", "--locality", "South", "--focus", "South",
                 "--out", str(focused)]) == 0
    both = export_map(planner, zoomed.with_(focus="South"), tmp_path / "api_focused.pdf")
    assert focused.read_bytes() == both.read_bytes() != out_cli.read_bytes()  # the others dimmed only here


def test_engine_refuses_a_view_the_check_refuses_before_drawing(planner, tmp_path, monkeypatch):
    import sthc_desktop.export.briefing_map as engine
    monkeypatch.setattr(engine, "briefing_map", lambda *a, **k: pytest.fail("the page was built"))
    # Called directly, an unknown period was once drawn as the latest one.
    for view, problem in [(MapView(indicator_id="qof_obesity", period="1999"), "unknown period '1999'"),
                          (MapView(indicator_id="qof_obesity", focus="Sowth"), "unknown focus 'Sowth'"),
                          (MapView(indicator_id="qof_obesity", classes=12), "classes 12 is outside 2–9"),
                          (MapView(indicator_id="qof_obesity").with_(scheme="Jenks"), "unknown scheme 'Jenks'")]:
        with pytest.raises(ExportError, match=problem):
            export_map(planner, view, tmp_path / "map.pdf")
    assert list(tmp_path.iterdir()) == []


def test_cli_rejects_an_unknown_indicator_in_one_line(tmp_path, capsys):
    status = main(["export", "map", "--indicator", "no_such_thing", "--out", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert status == 2 and "unknown indicator 'no_such_thing'" in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


# -- never a broken file -----------------------------------------------------------------------
def test_read_only_folder_reports_the_file_and_leaves_nothing(planner, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # root ignores modes: refuse the rename as a read-only folder would
            def refuse(*_a, **_k):
                raise PermissionError(errno.EACCES, "Permission denied")
            monkeypatch.setattr(core_files.os, "open", refuse)
        with pytest.raises(ExportError) as info:
            export_map(planner, MapView(), folder / "map.pdf")
        assert str(folder / "map.pdf") in str(info.value) and "read-only" in str(info.value)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_failed_rename_removes_the_temporary_file(planner, tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(core_files.os, "replace", refuse)
    with pytest.raises(ExportError, match="read-only"):
        export_map(planner, MapView(), tmp_path / "map.png", dpi=files.MIN_DPI)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_is_reported_and_leaves_nothing(planner, tmp_path, monkeypatch):
    real_savefig = Figure.savefig

    def full(self, fname, *a, **k):
        with open(fname, "wb") as f:
            f.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(Figure, "savefig", full)
    target = tmp_path / "map.pdf"
    target.write_bytes(b"the previous export")
    with pytest.raises(ExportError, match="disk is full; the existing file is kept"):
        export_map(planner, MapView(), target, overwrite=True)
    monkeypatch.setattr(Figure, "savefig", real_savefig)
    assert [p.name for p in tmp_path.iterdir()] == ["map.pdf"]
    assert target.read_bytes() == b"the previous export"  # the old file is untouched


def test_cli_reports_a_missing_folder(tmp_path, capsys):
    status = main(["export", "map", "--indicator", "qof_obesity", "--out", str(tmp_path / "nope" / "m.pdf")])
    assert status == 2 and "does not exist" in capsys.readouterr().err


# -- one resolution range for the command line and the dialog ------------------------------------
def test_cli_takes_the_engine_resolution_range_edges_and_refuses_beyond(tmp_path, capsys):
    low = tmp_path / "low.png"
    assert main(["export", "map", "--indicator", "qof_obesity", "--dpi", str(files.MIN_DPI), "--out", str(low)]) == 0
    w, h = Image.open(low).size
    assert abs(w - 8.27 * files.MIN_DPI) <= 2 and abs(h - 11.69 * files.MIN_DPI) <= 2
    # The top edge is accepted too (as a PDF, so the test does not render 35 million pixels).
    assert main(["export", "map", "--indicator", "qof_obesity", "--dpi", str(files.MAX_DPI), "--format", "pdf",
                 "--out", str(tmp_path / "high.pdf")]) == 0
    capsys.readouterr()
    for dpi in (files.MIN_DPI - 1, files.MAX_DPI + 1):
        out = tmp_path / f"refused_{dpi}.png"
        assert main(["export", "map", "--indicator", "qof_obesity", "--dpi", str(dpi), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{dpi} dpi is outside {files.MIN_DPI}–{files.MAX_DPI}" in err
        assert str(out) in err and not out.exists()


def test_engine_refuses_a_resolution_outside_the_range_before_drawing(planner, tmp_path, monkeypatch):
    import sthc_desktop.export.briefing_map as engine
    monkeypatch.setattr(engine, "briefing_map", lambda *a, **k: pytest.fail("the page was built"))
    with pytest.raises(ExportError, match="outside"):
        export_map(planner, MapView(), tmp_path / "map.png", dpi=files.MAX_DPI + 1)
    assert list(tmp_path.iterdir()) == []


# -- a supplied LSOA -> locality lookup from the command line ------------------------------------
def synthetic_lookup(pack, path, change):
    """A SYNTHETIC lookup made by the test: the pack's own assignment with localities renamed by ``change``."""
    lsoas = pack.layer("lsoa21")
    pd.DataFrame({"lsoa21cd": lsoas["code"], "locality": lsoas["locality"].map(lambda n: change.get(n, n))}) \
        .to_csv(path, index=False)
    return path


def test_cli_map_under_a_supplied_lookup_names_it_as_the_method(pack, planner, tmp_path):
    lookup = synthetic_lookup(pack, tmp_path / "swapped.csv", {"North": "South", "South": "North"})
    out = tmp_path / "north.pdf"
    assert main(["export", "map", "--indicator", "iod19_imd_decile", "--locality", "North", "--lookup", str(lookup),
                 "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "Localities: Supplied lookup: each LSOA is assigned to the Care Community given in swapped.csv" in text
    assert squash(planner.assignment_statement) not in text  # not the bundled nearest-practice method
    # Zoomed to North as the lookup draws it: its practice key is still the plan's North practices.
    assert "Windermere Medical Centre" in text


def test_cli_map_refuses_a_bad_lookup_in_one_line(tmp_path, capsys):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("lsoa21cd,locality\nE01006802,North\nNOT_A_CODE,South\n")  # synthetic, and wrong
    out = tmp_path / "map.pdf"
    assert main(["export", "map", "--indicator", "qof_obesity", "--lookup", str(lookup), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lookup.csv" in err and "row 3" in err and "NOT_A_CODE" in err
    assert not out.exists()


def test_cli_map_of_a_locality_the_lookup_leaves_empty_is_one_line(pack, tmp_path, capsys):
    lookup = synthetic_lookup(pack, tmp_path / "no_north.csv", {"North": "South"})
    out = tmp_path / "north.pdf"
    assert main(["export", "map", "--indicator", "qof_obesity", "--locality", "North", "--lookup", str(lookup),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "North has no LSOAs" in err and not out.exists()
