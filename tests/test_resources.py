"""The app's resources: the window icon is drawn from ``resources/app_icon.svg`` in the four Care
Community colours, and the desktop launcher entry starts the GUI entry point."""

from __future__ import annotations

import configparser

from PySide6.QtGui import QColor

from sthc_desktop.core.bundled_pack import resource
from sthc_desktop.core.localities import NETWORK_COLOURS
from sthc_desktop.ui.app import application


def test_the_window_icon_shows_the_four_care_community_colours(qapp):
    image = application().windowIcon().pixmap(64).toImage()
    assert not image.isNull()
    seen = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}
    for network, colour in NETWORK_COLOURS.items():
        assert QColor(colour).name() in seen, f"{network}'s colour is missing from the icon"


def test_the_launcher_entry_starts_the_gui_entry_point():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(resource("sthc-desktop-gui.desktop"), encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "sthc-desktop-gui"
    assert section["Terminal"] == "false"
