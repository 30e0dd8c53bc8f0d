"""PDF pages are set in the PDF core font Helvetica (named, not embedded), measured with its metrics,
and print every character: a core font encodes Windows-1252 only, so anything else is said in the
characters it has before it reaches the file. PNG and SVG pages keep matplotlib's DejaVu Sans."""

from __future__ import annotations

import logging

import pytest
from matplotlib.backends import backend_pdf
from pypdf import PdfReader

from sthc_desktop.core.view import MapView
from sthc_desktop.export import export_map, export_pack
from sthc_desktop.render.briefing_map import briefing_map
from sthc_desktop.render.page import PRINT, SCREEN, face_of, printable, text_width, wrap


@pytest.fixture
def printed_strings(monkeypatch):
    """Every string the PDF backend writes as text, as it was given to it."""
    strings = []
    encode = backend_pdf.RendererPdf.encode_string

    def spy(self, s, fonttype):
        strings.append(s)
        return encode(self, s, fonttype)
    monkeypatch.setattr(backend_pdf.RendererPdf, "encode_string", spy)
    return strings


def fonts(path) -> dict[str, bool]:
    """Each font the PDF's pages use, and whether the file embeds it."""
    found = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[str(font["/BaseFont"]).lstrip("/")] = "/FontDescriptor" in font or font["/Subtype"] == "/Type3"
    return found


def assert_core_fonts_only(path):
    used = fonts(path)
    assert {"Helvetica", "Helvetica-Bold"} <= set(used) <= {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique"}
    assert not any(used.values())  # named, not embedded


def assert_all_encodable(strings):
    assert strings
    unprintable = [s for s in strings if s.encode("cp1252", "replace").decode("cp1252") != s]
    assert unprintable == [], unprintable


def test_the_pack_prints_every_character_in_helvetica_and_embeds_no_font(planner, tmp_path, printed_strings, caplog):
    ids = ["qof_obesity", "qof_smoking", "iod19_imd_score", "census21_disabled", "pop20_65_plus_pct"]
    with caplog.at_level(logging.WARNING):
        out = export_pack(planner, tmp_path / "pack.pdf", indicators=ids)
    assert_all_encodable(printed_strings)
    # The obesity caveat's "BMI ≥ 30" reached the page in characters Helvetica has.
    assert any("BMI >= 30" in s for s in printed_strings)
    assert_core_fonts_only(out)
    assert not [r for r in caplog.records if r.name.startswith("matplotlib")], caplog.text  # no font warnings


@pytest.mark.parametrize("view", [MapView(), MapView(indicator_id="qof_obesity", focus="South")])
def test_a_pdf_briefing_map_prints_every_character_in_helvetica(planner, tmp_path, printed_strings, view):
    if view.focus:
        view = view.with_(extent=planner.locality_bounds(view.focus))
    out = export_map(planner, view, tmp_path / "map.pdf")
    assert_all_encodable(printed_strings)
    assert_core_fonts_only(out)


def test_png_and_svg_pages_keep_matplotlibs_own_face(planner):
    assert face_of(briefing_map(planner, MapView()).figure) is SCREEN
    assert face_of(briefing_map(planner, MapView(), face=PRINT).figure) is PRINT


def test_printable_says_what_helvetica_lacks_in_characters_it_has():
    assert printable("BMI ≥ 27.5, ≤ 5") == "BMI >= 27.5, <= 5"
    assert printable("exp(−0.5·km), κ = 1 × list size") == "exp(-0.5·km), kappa = 1 × list size"
    assert printable("LSOA (2021) → LAD") == "LSOA (2021) -> LAD"
    assert printable("Łódź Surgery") == "Lódz Surgery"  # SYNTHETIC practice name; "ó" is in Windows-1252
    kept = "“–” £5 é ² ½ — …"
    assert printable(kept) == kept
    assert printable("x ☃ y") == "x ? y"  # nothing near: marked, as the file would


def test_pdf_text_is_measured_with_helveticas_own_widths():
    """Helvetica's metrics (1/1000 of the size): "l" 222, "W" 944, bold "W" 944, "x" 500; the core font
    sets a string without kerning, so a word is its letters' widths."""
    slack = text_width("l", 10, face=PRINT) / (222 * 10 / 1000 / 72)
    assert slack == pytest.approx(1.03)
    assert text_width("Wx", 10, face=PRINT) == pytest.approx((944 + 500) * 10 / 1000 / 72 * slack)
    assert text_width("lll", 10, face=PRINT) < text_width("lll", 10, face=SCREEN)  # DejaVu is wider
    # "≥" is printed as ">=" and measured so.
    assert text_width("≥", 10, face=PRINT) == pytest.approx(text_width(">=", 10, face=PRINT))
    line = "Comparison with a benchmark (England, St Helens): significantly higher or lower"
    assert len(wrap(line, 7, 2.5, face=PRINT)) <= len(wrap(line, 7, 2.5, face=SCREEN))


def _fonts(pdf) -> set[str]:
    reader = PdfReader(pdf)
    return {str(font["/BaseFont"]) for page in reader.pages
            for font in page["/Resources"]["/Font"].values() if "/BaseFont" in font.get_object()}


def test_two_exports_at_once_each_draw_in_their_own_face_and_leave_no_setting_behind(tmp_path):
    """The England tab's export and the Export dialog's can run at once, on two threads: a pack in
    Helvetica must not put the other file in Helvetica (or its "−" as "?"), and neither may leave its
    settings in matplotlib's global ones when it ends."""
    import threading

    import matplotlib
    from matplotlib.artist import Artist

    from sthc_desktop.export.files import write_figure, write_pdf
    from sthc_desktop.render.page import Page

    before = {key: matplotlib.rcParams[key] for key in (*PRINT.rc, "pdf.fonttype", "pdf.compression")}
    screen_written = threading.Event()

    class StartTheOtherExport(Artist):
        """Drawn while the printed page is being saved, in its face: the other export starts now and
        waits its turn (were the saves not to take turns, it would be drawn in this page's settings)."""

        def draw(self, renderer):
            other.start()
            screen_written.wait(timeout=1.5)

    def printed_page():
        page = Page(face=PRINT)
        page.text(1, 5, "A printed page", 12)
        page.fig.add_artist(StartTheOtherExport())
        return page.fig

    def screen_map():
        page = Page(face=SCREEN)
        page.text(1, 5, "Rank − St Helens", 12)
        write_figure(page.fig, tmp_path / "screen.pdf", fmt="pdf")
        screen_written.set()

    other = threading.Thread(target=screen_map)
    write_pdf([("printed", printed_page)], tmp_path / "printed.pdf")
    other.join(timeout=30)

    assert _fonts(tmp_path / "printed.pdf") == {"/Helvetica"}
    screen_fonts = _fonts(tmp_path / "screen.pdf")
    assert screen_fonts and not any("Helvetica" in f for f in screen_fonts), screen_fonts
    assert "Rank − St Helens" in PdfReader(tmp_path / "screen.pdf").pages[0].extract_text()
    assert {key: matplotlib.rcParams[key] for key in before} == before
