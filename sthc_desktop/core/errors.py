"""Errors that carry what a user needs to fix bad input: the file, the row, the problem.

Every message is one line, so the command line can print it and the GUI can show it
in a dialog without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A problem with an input file (a source, the data pack, an import, a workspace)."""

    def __init__(self, path: str | Path | None, problem: str, *, row: int | None = None,
                 column: str | None = None):
        self.path = str(path) if path is not None else None
        self.problem = problem
        self.row = row
        self.column = column
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = []
        if self.path:
            where.append(self.path)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.problem}" if where else self.problem
        return " ".join(text.splitlines())  # a name or cell holding a line break still gives one line

    def __str__(self) -> str:
        return self.message


class SourceError(DataError):
    """An official source file is missing or not as its provenance describes it."""


class PackError(DataError):
    """The data pack cannot be opened or fails its checks."""


class ExportError(DataError):
    """An export could not be written (read-only folder, full disk, cancelled)."""
