"""Shared fixtures. Tests run headless: Qt draws offscreen."""

from __future__ import annotations

import csv
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
BUNDLED_PACK = ROOT / "geodata" / "st_helens.gpkg"

needs_shared_data = pytest.mark.skipif(
    not (SHARED_DATA / "README.md").is_file(),
    reason="the official source data (../shared/data) is not beside this checkout",
)


@pytest.fixture(scope="session")
def pack():
    from sthc_desktop.core.datapack import DataPack
    return DataPack(BUNDLED_PACK)


@pytest.fixture(scope="session")
def planner(pack):
    from sthc_desktop.core.planner import Planner
    return Planner(pack)


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """Keep QSettings written by a test out of the user's real settings."""
    from PySide6.QtCore import QSettings
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    return tmp_path / "settings"


def write_csv(path, header, rows):
    """A CSV file written by a test (synthetic data, named as such by each caller)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path
