"""The Details panel at 1366×768 and at 1920×1080 with 150% scaling: value, interval, St Helens and England in view without scrolling
sideways, the mapped indicator first, and a definition read from the pack's catalogue."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt

from sthc_desktop.core.view import MapView
from sthc_desktop.ui import main_window, screen_fit


@pytest.fixture(params=[QRect(0, 0, 1366, 768), QRect(0, 0, 1280, 720)], ids=["1366x768", "1920x1080 at 150%"])
def window(make_window, planner, qtbot, monkeypatch, request):
    area = request.param
    for module in (screen_fit, main_window):
        monkeypatch.setattr(module, "available_geometry", lambda _w=None: area)
    w = make_window(planner, MapView(indicator_id="qof_obesity"))
    qtbot.wait(20)
    return w


def test_details_fit_lead_with_the_mapped_indicator_and_define_it(window, qtbot, planner):
    qtbot.keyClicks(window.search, "Rainford Health Centre")
    qtbot.keyClick(window.search, Qt.Key_Return)
    table = window.details.table
    assert table.rowCount() > 3
    assert table.item(0, 0).text() == planner.pack.indicator("qof_obesity").name  # the map's indicator first
    viewport = table.viewport().width()
    header = table.horizontalHeader()
    for column in (1, 2, 3):  # value (with its interval), St Helens, England: wholly in view
        assert 0 <= header.sectionViewportPosition(column)
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= viewport
    assert not table.horizontalScrollBar().isVisible()
    assert "(" in table.item(0, 1).text()  # the interval is shown with the value
    meta = planner.pack.indicator("qof_obesity")
    text = window.details.definition.text()
    assert meta.caveats[:40] in text and "Source:" in text and meta.period in text

    table.setCurrentCell(1, 0)  # another row: its own definition
    other = planner.pack.indicator(table.item(1, 0).data(Qt.UserRole))
    assert other.id != "qof_obesity" and other.source[:40] in window.details.definition.text()
