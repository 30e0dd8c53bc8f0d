"""Workspaces: a planner's work saved as a ``.sthc`` file (JSON) and opened again later.

A workspace holds the current :class:`~sthc_desktop.core.view.MapView`, every imported
dataset (the original file's bytes, base64, with its SHA-256 and the confirmed
:class:`~sthc_desktop.core.imports.ImportSpec`, so reopening re-creates the indicators
without the original file), the locality assignment chosen (its method and, for a
supplied lookup, the CSV text), the what-if scenario and the plan progress the user imported.
Saves are atomic (:mod:`~sthc_desktop.core.files`: a temporary file in the same folder, flushed
to disk, then renamed over the old one), so a crash mid-save leaves the previous file intact; an
autosave file in the user's data folder lets the app offer recovery after a crash. A damaged, incomplete or newer-schema file gives a
one-line DataError.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path, PurePath

from . import imports
from .errors import DataError
from .files import write_bytes
from .input_files import MB, file_bytes
from .saved_view import fit_view, view_from_dict
from .schema import Field, note, read_fields
from .view import MapView

SCHEMA = 1
SUFFIX = ".sthc"
AUTOSAVE_NAME = "autosave" + SUFFIX
RECENT_LIMIT = 10
#: Largest workspace opened (its imported files are embedded, base64).
SIZE_LIMIT = 200 * MB
#: Longest supplied lookup CSV a workspace may carry (characters).
LOOKUP_LIMIT = 5 * MB


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
    notes: tuple[str, ...] = ()            # what was dropped on opening, one line each
    scenario: dict | None = None           # the what-if in use (core.scenarios JSON form), checked on opening
    plan_progress: dict | None = None      # imported latest key-measure values (core.plan_progress), checked on opening

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
            "scenario": self.scenario,
            "plan_progress": self.plan_progress,
        }

    def opened_on(self, planner, path=None) -> tuple["Workspace", list[str]]:
        """This workspace made to fit ``planner``: its imports added (those that still build) and its
        view drawable on the pack; with every note of what was dropped, one line each."""
        notes = list(self.notes)
        kept = tuple(record for record, _ in self._added(planner, notes))
        view, view_notes = fit_view(self.view, planner, path)
        return replace(self, view=view, imports=kept, notes=()), notes + view_notes

    def _added(self, planner, notes: list[str] | None) -> list[tuple[ImportRecord, str]]:
        added = []
        for record in self.imports:
            try:
                indicator = record.indicator(planner.pack)
            except DataError as exc:
                if notes is None:
                    raise
                notes.append(f"{exc.message} (so {record.file_name} is not opened)")
                continue
            planner.add_indicator(indicator.meta, indicator.values, indicator.dataset)
            added.append((record, indicator.meta.id))
        return added


def to_json(workspace: Workspace) -> str:
    return json.dumps(workspace.to_dict(), indent=1, ensure_ascii=False)


def from_json(text: str, path: str | Path | None = None) -> Workspace:
    """Parse a workspace checked against its declared shape.

    A file that is not a workspace at all (not JSON, no schema, a newer schema) raises DataError;
    a bad field inside one drops that field (or that import) with a note in ``Workspace.notes``
    naming the file, the field and the problem, and the rest opens."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"damaged workspace: not valid JSON at line {exc.lineno}, column {exc.colno} "
                              f"({exc.msg})") from None
    except RecursionError:
        raise DataError(path, "damaged workspace: nested too deeply to be a workspace") from None
    if not isinstance(d, dict):
        raise DataError(path, "damaged workspace: not a workspace object")
    schema = d.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise DataError(path, "damaged workspace: no schema number (is this a .sthc workspace?)")
    if schema > SCHEMA:
        raise DataError(path, f"made by a newer version: schema {schema} (this version reads schema {SCHEMA}); "
                              "update the app to open it")
    view, notes = view_from_dict(d.get("view"), path)
    records = []
    saved = d.get("imports", [])
    if not isinstance(saved, list):
        notes.append(note(path, "imports", "is not a list; no imported data is opened"))
        saved = []
    for i, r in enumerate(saved, start=1):
        try:
            records.append(_record(r, path, f"imports[{i}]"))
        except DataError as exc:
            notes.append(exc.message)
    assignment, assignment_notes = read_fields(d.get("assignment") if isinstance(d.get("assignment"), dict)
                                               else {}, _ASSIGNMENT, "assignment", path)
    scenario, progress = (_object(d, key, what, path, notes) for key, what in
                          (("scenario", "no what-if scenario"), ("plan_progress", "no plan progress")))
    return Workspace(view, tuple(records), assignment["method"], assignment["lookup_csv"],
                     tuple(notes + assignment_notes), scenario, progress)


def _object(d: dict, key: str, what: str, path, notes: list[str]) -> dict | None:
    """An optional object field, left to be checked on opening; not an object: a note and None."""
    value = d.get(key)
    if value is not None and not isinstance(value, dict):
        notes.append(note(path, key, f"is not an object; {what} is opened"))
        return None
    return value


_ASSIGNMENT = {"method": Field("text"), "lookup_csv": Field("text", limit=LOOKUP_LIMIT)}
_RECORD = {"file_name": Field("text", optional=False), "sha256": Field("text", optional=False),
           "imported_on": Field("text", optional=False), "spec": Field("object", optional=False),
           "data_base64": Field("text", optional=False, limit=SIZE_LIMIT)}


def _record(r, path, where: str) -> ImportRecord:
    """One embedded import, or DataError naming what is wrong with it (that import is not opened)."""
    if not isinstance(r, dict):
        raise DataError(path, f"{where} is not an object; that import is not opened")
    fields, notes = read_fields(r, _RECORD, where, path)
    if notes:
        raise DataError(None, notes[0].rstrip() + "; that import is not opened")
    name = fields["file_name"]
    if ".." in PurePath(name.replace("\\", "/")).parts:
        raise DataError(path, f"{where}.file_name '{name}' points outside the workspace folder; "
                              "that import is not opened")
    try:
        data = base64.b64decode(fields["data_base64"], validate=True)
        imported_on = date.fromisoformat(fields["imported_on"])
    except ValueError as exc:
        raise DataError(path, f"{where} is damaged ({exc}); that import is not opened") from None
    if hashlib.sha256(data).hexdigest() != fields["sha256"]:
        raise DataError(path, f"{where}: the embedded copy of {name} does not match its checksum; "
                              "that import is not opened")
    spec = imports.ImportSpec.from_saved(fields["spec"], path, f"{where}.spec")
    return ImportRecord(PurePath(name.replace("\\", "/")).name, data, fields["sha256"], spec, imported_on)


def save(workspace: Workspace, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``workspace`` to ``path`` atomically: the old file stays whole until the new one is complete.

    An existing file is replaced only with ``overwrite`` (re-saving the open workspace, or after the
    user confirmed); see :func:`~sthc_desktop.core.files.atomic_path`."""
    return write_bytes(path, to_json(workspace), overwrite=overwrite)


def load(path: str | Path) -> Workspace:
    path = Path(path)
    raw = file_bytes(path, SIZE_LIMIT, "opened")
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
    return save(workspace, autosave_path(data_folder), overwrite=True)


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


def existing_recent(recent) -> list[str]:
    """Recent files that still exist (a moved or deleted file drops off the menu); anything in a damaged
    settings file that is not a path is dropped too."""
    if isinstance(recent, str):
        recent = [recent]
    if not isinstance(recent, (list, tuple)):
        return []
    return [r for r in recent[:RECENT_LIMIT] if isinstance(r, str) and 0 < len(r) < 4096 and "\0" not in r
            and Path(r).is_file()]
