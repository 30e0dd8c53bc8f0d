"""Printed pages are readable: no text on a briefing map or any locality pack page is set under 7 pt,
read back from the PDF (each text run's font size times its text and graphics matrices)."""

from __future__ import annotations

import math

import pytest
from pypdf import PdfReader

from sthc_desktop.core.view import MapView
from sthc_desktop.export import export_map, export_pack


def smallest_text(path) -> tuple[float, int, str]:
    """The smallest type in the PDF (points), with its page and text."""
    smallest = (math.inf, 0, "")
    for number, page in enumerate(PdfReader(path).pages, start=1):
        def visit(text, cm, tm, _font, size):
            nonlocal smallest
            if text.strip():
                points = size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                smallest = min(smallest, (points, number, text.strip()))
        page.extract_text(visitor_text=visit)
    return smallest


def test_locality_pack_has_no_text_under_7_pt(planner, tmp_path):
    points, page, text = smallest_text(export_pack(planner, tmp_path / "pack.pdf", localities=["Central", "North"]))
    assert points >= 7 - 0.01, f"{points:.2f} pt on page {page}: {text!r}"


@pytest.mark.parametrize("view", [MapView(), MapView(indicator_id="qof_obesity", focus="South")])
def test_briefing_map_has_no_text_under_7_pt(planner, tmp_path, view):
    if view.focus:
        view = view.with_(extent=planner.locality_bounds(view.focus))
    points, _page, text = smallest_text(export_map(planner, view, tmp_path / "map.pdf"))
    assert points >= 7 - 0.01, f"{points:.2f} pt: {text!r}"
