"""A busy cursor while the app works on something the user asked for (anything that can take
more than a moment: a comparison of a whole theme, a planner change)."""

from __future__ import annotations

from functools import wraps

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def busy(method):
    """Show the wait cursor while ``method`` runs (restored however it ends)."""
    @wraps(method)
    def run(*args, **kwargs):
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return method(*args, **kwargs)
        finally:
            QApplication.restoreOverrideCursor()
    return run
