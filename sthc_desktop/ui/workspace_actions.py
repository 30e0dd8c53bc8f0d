"""What the File menu's workspace actions do: Save, Save As, Open, recent files and crash recovery.

Plain functions the main window connects to its actions: they write the
:class:`~sthc_desktop.ui.document.Document` as a :class:`~sthc_desktop.core.workspace.Workspace`,
or read one and have the document open it, and keep the recent-files list in QSettings. The
window owns the widgets and messages; DataError comes back as a one-line message to show.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from sthc_desktop.core import workspace
from sthc_desktop.core.workspace import Workspace
from sthc_desktop.ui.document import Document
from sthc_desktop.ui.settings import settings

RECENT_KEY = "workspace/recent"
FILE_FILTER = "St Helens Cares workspace (*.sthc)"


def workspace_file(path: str | Path) -> Path:
    """The file a save to ``path`` writes: with the ``.sthc`` suffix added if it was left off."""
    path = Path(path)
    return path if path.suffix.lower() == workspace.SUFFIX else path.with_name(path.name + workspace.SUFFIX)


def save_workspace(document: Document, path: str | Path, *, overwrite: bool = False) -> Path:
    """Save (atomically), make it the document's file and put it first in the recent list; DataError if
    it cannot be written or exists and ``overwrite`` is not set."""
    saved = workspace.save(document.workspace(), workspace_file(path), overwrite=overwrite)
    document.saved_as(saved)
    remember(saved)
    return saved


def open_workspace(document: Document, path: str | Path, *, recovered: bool = False) -> list[str]:
    """Open a workspace into the document (see :meth:`Document.open`); returns a one-line note for each
    part dropped as bad. DataError if the file is not a workspace or is newer."""
    notes = document.open(workspace.load(path), path, recovered=recovered)
    remember(path)
    return notes


# -- recent files (QSettings holds the list; the list logic is core.workspace) ---------------------
def recent_files() -> list[str]:
    return workspace.existing_recent(settings().value(RECENT_KEY, []) or [])


def remember(path: str | Path) -> None:
    settings().setValue(RECENT_KEY, workspace.add_recent(recent_files(), path))


# -- autosave and recovery ------------------------------------------------------------------------
def data_folder() -> Path:
    """The user's data folder, where the autosave (and the error log) live."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or Path.home())


def autosave(document: Document) -> Path:
    """Call from a timer (and after each change worth keeping)."""
    return workspace.autosave(document.workspace(), data_folder())


def recoverable() -> Workspace | None:
    """At start-up: the workspace left by a session that crashed, to offer back (DataError if damaged)."""
    return workspace.recover(data_folder())


def clean_exit() -> None:
    """On a normal close: nothing to recover next time."""
    workspace.clear_autosave(data_folder())
