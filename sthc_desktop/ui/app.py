"""Start the app: open the data pack, show the main window, and make sure no traceback
ever reaches the user (unexpected errors are logged to the user's data folder)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.planner import Planner

from .main_window import APPLICATION, ORGANISATION, MainWindow


def log_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or Path.home())
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
    return app


def run(pack_path: str | Path | None = None) -> int:
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
    return app.exec()
