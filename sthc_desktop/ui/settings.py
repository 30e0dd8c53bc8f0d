"""Where the app keeps its settings (last view, window geometry, recent workspaces)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "St Helens Cares"
APPLICATION = "Locality Planner"


def settings() -> QSettings:
    # INI format everywhere, so tests can point it at a temporary folder.
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANISATION, APPLICATION)
