"""Start the app: open the data pack, show the main window, and make sure no traceback
ever reaches the user (unexpected errors are logged to the user's data folder)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from sthc_desktop.core import workspace
from sthc_desktop.core.bundled_pack import resource
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.planner import Planner

from . import workspace_actions
from .display_check import startup_problem
from .main_window import MainWindow
from .settings import APPLICATION, ORGANISATION


def log_path() -> Path:
    folder = workspace_actions.data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "sthc-desktop.log"


def install_error_handler() -> None:
    """Show a plain message for any unexpected error and keep the app running."""
    logging.basicConfig(filename=log_path(), level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")

    def handle(kind, value, tb):
        logging.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        message = str(value) if isinstance(value, DataError) else (
            f"Something went wrong: {value}\n\nYour work is kept. Details were written to {log_path()}.")
        QMessageBox.warning(QApplication.activeWindow(), "St Helens Cares Locality Planner", message)

    sys.excepthook = handle


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(resource("app_icon.svg"))))
    # Wayland and desktop menus match the window to the launcher entry by this name.
    app.setDesktopFileName("sthc-desktop-gui")
    return app


def run(pack_path: str | Path | None = None) -> int:
    problem = None if QApplication.instance() else startup_problem()
    if problem:  # said before Qt starts: Qt would end the process with a message about one plugin
        print(f"error: {problem}", file=sys.stderr)
        return 2
    app = application()
    install_error_handler()
    try:
        planner = Planner(DataPack(pack_path))
    except DataError as exc:
        logging.error("cannot open data pack: %s", exc)
        QMessageBox.critical(None, "Cannot open the data pack", str(exc))
        return 2
    window = MainWindow(planner)
    window.show()
    offer_recovery(window)
    return app.exec()


def offer_recovery(window: MainWindow) -> None:
    """After a crash, offer back the work the last session autosaved."""
    try:
        left = workspace_actions.recoverable()
    except DataError as exc:
        logging.warning("autosave could not be read: %s", exc)
        return
    if left is None:
        return
    answer = QMessageBox.question(window, "Recover your work?",
                                  "The planner did not close normally last time. Recover the work it "
                                  "saved automatically?", QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
    if answer == QMessageBox.Yes:
        path = workspace.autosave_path(workspace_actions.data_folder())
        window.open_workspace(path, recovered=True)
    else:
        workspace_actions.clean_exit()
