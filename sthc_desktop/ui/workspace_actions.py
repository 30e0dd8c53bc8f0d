"""What the File menu's workspace actions do: Save, Save As, Open, recent files and crash recovery.

Plain functions the main window connects to its actions: they gather the current view and the
imports the window holds into a :class:`~sthc_desktop.core.workspace.Workspace`, or open one
and re-create its indicators on the planner, and keep the recent-files list in QSettings. The
window owns the widgets and messages; DataError comes back as a one-line message to show.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from sthc_desktop.core import scenarios, workspace
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.localities import PACK_METHODS
from sthc_desktop.core.workspace import ImportRecord, Workspace
from sthc_desktop.ui.settings import settings
from sthc_desktop.ui.view_model import ViewModel

RECENT_KEY = "workspace/recent"
FILE_FILTER = "St Helens Cares workspace (*.sthc)"


def current_workspace(model: ViewModel, records: list[ImportRecord], assignment_method: str | None = None,
                      lookup_csv: str | None = None) -> Workspace:
    """The window's state as a workspace: its view, its imports, the assignment chosen and the what-if."""
    scenario = model.scenario.to_dict() if model.scenario is not None else None
    return Workspace(model.view, tuple(records), assignment_method, lookup_csv, scenario=scenario)


def workspace_file(path: str | Path) -> Path:
    """The file a save to ``path`` writes: with the ``.sthc`` suffix added if it was left off."""
    path = Path(path)
    return path if path.suffix.lower() == workspace.SUFFIX else path.with_name(path.name + workspace.SUFFIX)


def save_workspace(model: ViewModel, records: list[ImportRecord], path: str | Path,
                   assignment_method: str | None = None, lookup_csv: str | None = None, *,
                   overwrite: bool = False) -> Path:
    """Save (atomically) and put the file first in the recent list; DataError if it cannot be written
    or exists and ``overwrite`` is not set."""
    saved = workspace.save(current_workspace(model, records, assignment_method, lookup_csv), workspace_file(path),
                           overwrite=overwrite)
    remember(saved)
    return saved


def open_workspace(model: ViewModel, path: str | Path) -> tuple[Workspace, list[str]]:
    """Open a workspace, add its imported indicators to the planner and show its view.

    Returns the workspace as opened (the imports that still build, which the window keeps to save
    them again, and the ``assignment_method`` / ``lookup_csv`` it applies) and a one-line note for
    each field or import dropped as bad. DataError if the file is not a workspace or is newer."""
    opened, notes = workspace.load(path).opened_on(model.planner, path)
    model.set_planner(model.planner)
    if opened.assignment_method in PACK_METHODS:  # a supplied lookup comes back through its CSV text
        model.set_assignment(opened.assignment_method)
    if opened.scenario is not None:
        try:
            model.set_scenario(scenarios.from_dict(opened.scenario, path, *scenarios.known_codes(model.planner.pack)))
        except DataError as exc:
            notes.append(f"{exc} (so the what-if scenario is not opened)")
    model.set_view(opened.view)
    remember(path)
    return opened, notes


# -- recent files (QSettings holds the list; the list logic is core.workspace) ---------------------
def recent_files() -> list[str]:
    return workspace.existing_recent(settings().value(RECENT_KEY, []) or [])


def remember(path: str | Path) -> None:
    settings().setValue(RECENT_KEY, workspace.add_recent(recent_files(), path))


# -- autosave and recovery ------------------------------------------------------------------------
def data_folder() -> Path:
    """The user's data folder, where the autosave (and the error log) live."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or Path.home())


def autosave(model: ViewModel, records: list[ImportRecord], assignment_method: str | None = None,
             lookup_csv: str | None = None) -> Path:
    """Call from a timer (and after each change worth keeping)."""
    return workspace.autosave(current_workspace(model, records, assignment_method, lookup_csv), data_folder())


def recoverable() -> Workspace | None:
    """At start-up: the workspace left by a session that crashed, to offer back (DataError if damaged)."""
    return workspace.recover(data_folder())


def clean_exit() -> None:
    """On a normal close: nothing to recover next time."""
    workspace.clear_autosave(data_folder())
