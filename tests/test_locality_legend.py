"""A locality's map describes that locality: its legend counts its own areas (the borough's classes,
North's LSOAs), on the briefing map and on the locality pack page, read back from the PDF."""

from __future__ import annotations

import re

from pypdf import PdfReader

from sthc_desktop.cli import main
from sthc_desktop.export import export_pack

DECILE_ROW = re.compile(r"^(\d{1,2})(?: \((?:most|least) deprived 10%\))? \((\d+)\)$")


def legend_counts(text: str) -> dict[int, int]:
    """Decile → count from the legend lines "1 (most deprived 10%) (2)", "2 (0)", … of a page."""
    rows = [DECILE_ROW.match(line.strip()) for line in text.splitlines()]
    return {int(m[1]): int(m[2]) for m in rows if m}


def test_north_briefing_map_counts_north_lsoas(planner, tmp_path):
    out = tmp_path / "north.pdf"
    assert main(["export", "map", "--indicator", "iod19_imd_decile", "--locality", "North", "--out", str(out)]) == 0
    text = PdfReader(out).pages[0].extract_text()
    counts = legend_counts(text)
    north = int((planner.localities["lsoa11"] == "North").sum())
    assert sorted(counts) == list(range(1, 11))
    assert sum(counts.values()) == north < 119
    assert "number of areas in North in brackets" in " ".join(text.split())  # wherever its line breaks


def test_whole_borough_map_still_counts_all_119(planner, tmp_path):
    out = tmp_path / "borough.pdf"
    assert main(["export", "map", "--indicator", "iod19_imd_decile", "--out", str(out)]) == 0
    assert sum(legend_counts(PdfReader(out).pages[0].extract_text()).values()) == 119


def test_north_pack_page_counts_north_lsoas(planner, tmp_path):
    out = export_pack(planner, tmp_path / "pack.pdf", localities=["North"])
    page = next(p.extract_text() for p in PdfReader(out).pages if "Care Community locality profile" in p.extract_text())
    # The pack's strip legend drops the decile explanations: rows read "1 (2) 2 (0) …" along the line.
    strip = next(line for line in page.splitlines() if line.startswith("1 ("))
    counts = [int(n) for n in re.findall(r"\b\d+ \((\d+)\)", strip + " " + page.split(strip, 1)[1][:200])][:10]
    assert len(counts) == 10 and sum(counts) == int((planner.localities["lsoa11"] == "North").sum())
    assert "in North in brackets" in page


def test_a_view_zoomed_to_a_locality_describes_it_and_a_wider_one_does_not(planner):
    from sthc_desktop.content.maps import padded
    from sthc_desktop.core.view import MapView

    south = planner.locality_bounds("South")
    assert planner.locality_shown(MapView(extent=south)) == "South"          # as Zoom to sets it
    assert planner.locality_shown(MapView(extent=padded(south))) == "South"  # with a page's margin
    assert planner.locality_shown(MapView(extent=planner.borough_bounds)) is None
    assert planner.locality_shown(MapView(focus="North", extent=south)) == "North"
    counts = planner.classes_for(MapView(indicator_id="iod19_imd_decile", extent=south)).counts
    assert sum(counts) == int((planner.localities["lsoa11"] == "South").sum())
