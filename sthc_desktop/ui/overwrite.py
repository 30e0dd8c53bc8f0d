"""Asking the user before a file of theirs is replaced (the GUI's ``--overwrite``).

Every window that writes a file calls :func:`confirm_replace` on the final path, then passes
``overwrite=True`` to the writer (:mod:`sthc_desktop.core.files`); file dialogs are opened with
``DontConfirmOverwrite`` so the user is asked once, about the file really written.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from sthc_desktop.core.files import check_target


def confirm_replace(parent, path: str | Path) -> bool:
    """True when ``path`` may be written: nothing is there yet, or the user agreed to replace it.

    A target that is never replaced (read-only, a link, a folder, a pipe) raises its one-line
    :class:`~sthc_desktop.core.files.WriteError` instead of asking."""
    path = Path(path)
    check_target(path, overwrite=True)
    if not os.path.lexists(path):
        return True
    answer = QMessageBox.question(parent, "Replace the file?",
                                  f"{path.name} already exists in {path.parent}.\nReplace it?",
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes
