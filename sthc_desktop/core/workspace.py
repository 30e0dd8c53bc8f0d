"""Workspaces: a planner's work saved as a ``.sthc`` file (JSON) and opened again later.

A workspace holds the current :class:`~sthc_desktop.core.view.MapView`, every imported
dataset (the original file's bytes, base64, with its SHA-256 and the confirmed
:class:`~sthc_desktop.core.imports.ImportSpec`, so reopening re-creates the indicators
without the original file) and the locality assignment chosen (its method and, for a
supplied lookup, the CSV text). Saves are atomic (a temporary file in the same folder,
flushed to disk, then renamed over the old one), so a crash mid-save leaves the previous
file intact; an autosave file beside the user's data lets the app offer recovery after a
crash. A damaged, incomplete or newer-schema file gives a one-line DataError.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import imports
from .errors import DataError, file_bytes
from .view import MapView

SCHEMA = 1
SUFFIX = ".sthc"
AUTOSAVE_NAME = "autosave" + SUFFIX
RECENT_LIMIT = 10


@dataclass(frozen=True)
class ImportRecord:
    """One imported file as a workspace keeps it."""

    file_name: str
    data: bytes = field(repr=False)
    sha256: str
    spec: imports.ImportSpec
    imported_on: date

    @classmethod
    def from_table(cls, table: imports.TableFile, spec: imports.ImportSpec,
                   imported_on: date | None = None) -> "ImportRecord":
        return cls(table.name, table.data, table.sha256, spec, imported_on or date.today())

    def indicator(self, pack) -> imports.ImportedIndicator:
        """Re-create the indicator from the embedded file, exactly as first imported."""
        return imports.build(imports.read_bytes(self.file_name, self.data), pack, self.spec, self.imported_on)


@dataclass(frozen=True)
class Workspace:
    view: MapView = field(default_factory=MapView)
    imports: tuple[ImportRecord, ...] = ()
    assignment_method: str | None = None  # None: the pack's default assignment
    lookup_csv: str | None = None          # the supplied LSOA -> locality lookup, when that is the method

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "app": "sthc-desktop",
            "saved": datetime.now().isoformat(timespec="seconds"),
            "view": self.view.to_dict(),
            "imports": [{"file_name": r.file_name, "sha256": r.sha256, "imported_on": r.imported_on.isoformat(),
                         "spec": r.spec.to_dict(), "data_base64": base64.b64encode(r.data).decode("ascii")}
                        for r in self.imports],
            "assignment": {"method": self.assignment_method, "lookup_csv": self.lookup_csv},
        }

    def apply_imports(self, planner) -> list[str]:
        """Add every embedded import to ``planner``; returns the indicator ids."""
        ids = []
        for record in self.imports:
            indicator = record.indicator(planner.pack)
            planner.add_indicator(indicator.meta, indicator.values, indicator.dataset)
            ids.append(indicator.meta["id"])
        return ids


def to_json(workspace: Workspace) -> str:
    return json.dumps(workspace.to_dict(), indent=1, ensure_ascii=False)


def from_json(text: str, path: str | Path | None = None) -> Workspace:
    """Parse a workspace; DataError naming what is wrong (JSON position, schema, missing key)."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"damaged workspace: not valid JSON at line {exc.lineno}, column {exc.colno} "
                              f"({exc.msg})") from None
    if not isinstance(d, dict):
        raise DataError(path, "damaged workspace: not a workspace object")
    schema = d.get("schema")
    if not isinstance(schema, int):
        raise DataError(path, "damaged workspace: no schema number (is this a .sthc workspace?)")
    if schema > SCHEMA:
        raise DataError(path, f"made by a newer version: schema {schema} (this version reads schema {SCHEMA}); "
                              "update the app to open it")
    try:
        view = MapView.from_dict(_need(d, "view", dict, path))
        records = []
        for i, r in enumerate(_need(d, "imports", list, path), start=1):
            where = f"imports[{i}]"
            if not isinstance(r, dict):
                raise DataError(path, f"damaged workspace: {where} is not an object")
            for key in ("file_name", "sha256", "imported_on", "spec", "data_base64"):
                if key not in r:
                    raise DataError(path, f"damaged workspace: {where} has no '{key}'")
            data = base64.b64decode(r["data_base64"], validate=True)
            if hashlib.sha256(data).hexdigest() != r["sha256"]:
                raise DataError(path, f"damaged workspace: the embedded copy of {r['file_name']} does not match "
                                      "its checksum")
            records.append(ImportRecord(str(r["file_name"]), data, r["sha256"],
                                        imports.ImportSpec.from_dict(r["spec"]),
                                        date.fromisoformat(r["imported_on"])))
        assignment = _need(d, "assignment", dict, path)
    except DataError:
        raise
    except (TypeError, ValueError, KeyError) as exc:  # wrong types inside an otherwise valid file
        raise DataError(path, f"damaged workspace: {exc}") from None
    return Workspace(view, tuple(records), assignment.get("method"), assignment.get("lookup_csv"))


def _need(d: dict, key: str, kind: type, path) -> object:
    if key not in d:
        raise DataError(path, f"damaged workspace: '{key}' is missing")
    if not isinstance(d[key], kind):
        raise DataError(path, f"damaged workspace: '{key}' is not a {kind.__name__}")
    return d[key]


def save(workspace: Workspace, path: str | Path) -> Path:
    """Write ``workspace`` to ``path`` atomically: the old file stays whole until the new one is complete."""
    path = Path(path)
    text = to_json(workspace).encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DataError(path, f"cannot be saved ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DataError(path, f"cannot be saved ({exc.strerror or exc})") from None
    return path


def load(path: str | Path) -> Workspace:
    path = Path(path)
    raw = file_bytes(path, "opened")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(path, "damaged workspace: not UTF-8 text") from None
    return from_json(text, path)


# -- autosave and recovery ----------------------------------------------------------------------
def autosave_path(data_folder: str | Path) -> Path:
    """Where the app autosaves, in the user's data folder (QStandardPaths.AppDataLocation)."""
    return Path(data_folder) / AUTOSAVE_NAME


def autosave(workspace: Workspace, data_folder: str | Path) -> Path:
    Path(data_folder).mkdir(parents=True, exist_ok=True)
    return save(workspace, autosave_path(data_folder))


def recover(data_folder: str | Path) -> Workspace | None:
    """The autosaved workspace left by a session that did not close cleanly, or None.

    A damaged autosave raises DataError, so the app can say so rather than offer nothing."""
    path = autosave_path(data_folder)
    return load(path) if path.is_file() else None


def clear_autosave(data_folder: str | Path) -> None:
    """Called on a clean exit: nothing to recover next time."""
    autosave_path(data_folder).unlink(missing_ok=True)


# -- recent files -------------------------------------------------------------------------------
def add_recent(recent: list[str], path: str | Path, limit: int = RECENT_LIMIT) -> list[str]:
    """The recent-files list with ``path`` first (once), at most ``limit`` long."""
    p = str(Path(path).resolve())
    return [p] + [r for r in recent if r != p][:limit - 1]


def existing_recent(recent: list[str]) -> list[str]:
    """Recent files that still exist (a moved or deleted file drops off the menu)."""
    return [r for r in recent if Path(r).is_file()]
