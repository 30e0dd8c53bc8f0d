"""What the import stages hand each other: how to read a file (:class:`ImportSpec`), the file as
read (:class:`TableFile`), the one problem type (:class:`Problem`, collected in a bounded
:class:`Problems` list), the outcome of a check and the indicator it builds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from ..datapack import Dataset
from ..errors import DataError
from ..schema import Field, note, read_fields
from ..vocabulary import Indicator, Polarity

THEME = "Imported"
LEVELS = {"lsoa11": "LSOA 2011", "lsoa21": "LSOA 2021", "msoa": "MSOA", "ward": "ward (2022)",
          "practice": "GP practice (ODS code)", "postcode": "postcode point"}
POLARITIES = (Polarity.HIGHER_IS_WORSE, Polarity.HIGHER_IS_BETTER, Polarity.NO_JUDGEMENT)
#: Problems kept of each kind (errors, notes); the rest are counted, not listed.
KEPT_PROBLEMS = 1000
#: Problems shown in a refusal before "and N more".
SHOWN_PROBLEMS = 30
#: How far reading or checking a file has got, told every :data:`PROGRESS_STEP` rows as
#: ``progress(done, total, what)`` (rows, and what is being done in the user's words). Qt-free: the
#: import dialog shows it as a progress bar; a command may ignore it.
Progress = Callable[[int, int, str], None]
PROGRESS_STEP = 10_000


def told(progress: Progress | None, done: int, total: int, what: str) -> None:
    """Tell ``progress`` (if any) at every :data:`PROGRESS_STEP` rows and at the end."""
    if progress is not None and (done % PROGRESS_STEP == 0 or done == total):
        progress(min(done, total), total, what)


def short(text: str, limit: int = 40) -> str:
    """A cell or name cut to fit in a one-line message."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class ImportSpec:
    """How to read one file: which column holds what, at which level, and what the user confirmed."""

    level: str
    code_column: str
    value_column: str
    lower_ci_column: str | None = None
    upper_ci_column: str | None = None
    count_column: str | None = None
    denominator_column: str | None = None
    period_column: str | None = None     # a column of periods (Fingertips "Time period"); else `period`
    x_column: str | None = None          # postcode points: easting or longitude
    y_column: str | None = None          # postcode points: northing or latitude
    coordinates: str = "en"              # "en" (British National Grid) or "lonlat" (WGS84)
    filters: tuple[tuple[str, str], ...] = ()  # keep only rows where column == text
    only_known_areas: bool = False       # drop rows for areas outside St Helens (national downloads)
    convert_2011: bool = False           # move LSOA 2011 codes to 2021 through the ONS lookup
    name: str = ""
    unit: str = ""
    polarity: str = "no judgement"
    period: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["filters"] = [list(f) for f in self.filters]
        return d

    @classmethod
    def from_saved(cls, d: dict, path, where: str = "spec") -> "ImportSpec":
        """The spec saved in a workspace, checked against :data:`SPEC_FIELDS`; DataError naming the
        first bad field."""
        values, notes = read_fields(d, SPEC_FIELDS, where, path)
        filters = values.pop("filters") or []
        if not notes and not all(isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f)
                                 for f in filters):
            notes.append(note(path, f"{where}.filters", "is not a list of [column, text] pairs"))
        if notes:
            raise DataError(None, notes[0])
        return cls(**values, filters=tuple((c, v) for c, v in filters))

    def with_(self, **changes) -> "ImportSpec":
        return replace(self, **changes)


_TEXT, _COLUMN = Field("text", "", optional=False), Field("text")
#: The declared shape of a saved :class:`ImportSpec`.
SPEC_FIELDS = {"level": Field("text", optional=False, allowed=tuple(LEVELS)), "code_column": _TEXT,
               "value_column": _TEXT, **{k: _COLUMN for k in ("lower_ci_column", "upper_ci_column", "count_column",
                                                              "denominator_column", "period_column", "x_column",
                                                              "y_column")},
               "coordinates": Field("text", "en", optional=False, allowed=("en", "lonlat")),
               "filters": Field("list", []), "only_known_areas": Field("bool", False, optional=False),
               "convert_2011": Field("bool", False, optional=False), "name": _TEXT, "unit": _TEXT,
               "polarity": Field("text", "no judgement", optional=False, allowed=POLARITIES), "period": _TEXT}


@dataclass(frozen=True)
class TableFile:
    """A user's file as read: its name, bytes, SHA-256, cells (all text) and how its numbers are
    written (``decimal`` "." or ","); ``notes`` say what reading chose (sheet, header row, decimals)."""

    name: str
    data: bytes = field(repr=False)
    sha256: str
    frame: pd.DataFrame = field(repr=False)
    decimal: str = "."
    notes: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. ``error`` False marks a note that does not stop the import."""

    file: str
    row: int | None
    column: str | None
    problem: str
    error: bool = True

    def __str__(self) -> str:
        return DataError(self.file, self.problem, row=self.row, column=self.column).message


class Problems(list):
    """Problems as they are found: the first :data:`KEPT_PROBLEMS` errors and notes are kept, the
    rest only counted (``unlisted``), so a file of millions of bad rows cannot fill memory."""

    def __init__(self):
        super().__init__()
        self.unlisted = {True: 0, False: 0}
        self._kept = {True: 0, False: 0}

    def append(self, problem: Problem) -> None:
        if self._kept[problem.error] >= KEPT_PROBLEMS:
            self.unlisted[problem.error] += 1
            return
        self._kept[problem.error] += 1
        super().append(problem)


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    values: pd.DataFrame        # VALUE_COLUMNS without indicator_id: what would be imported
    geography: str              # "lsoa11", "lsoa21" or "practice"
    caveats: list[str]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def error_count(self) -> int:
        return len(self.errors) + getattr(self.problems, "unlisted", {True: 0})[True]

    @property
    def can_import(self) -> bool:
        return not self.errors

    def shown(self) -> list[str]:
        """The lines to show: at most :data:`SHOWN_PROBLEMS` (errors first) and a count of the rest."""
        ordered = self.errors + [p for p in self.problems if not p.error]
        total = len(ordered) + sum(getattr(self.problems, "unlisted", {}).values())
        lines = [("" if p.error else "note: ") + str(p) for p in ordered[:SHOWN_PROBLEMS]]
        if total > SHOWN_PROBLEMS:
            lines.append(f"… and {total - SHOWN_PROBLEMS:,} more problems")
        return lines

    @property
    def areas_with_values(self) -> int:
        v = self.values
        return int(v[(v["area_type"] == self.geography) & v["value"].notna()]["area_code"].nunique())


@dataclass(frozen=True)
class ImportedIndicator:
    """What ``Planner.add_indicator`` takes: the indicator, its values and its provenance."""

    meta: Indicator
    values: pd.DataFrame
    dataset: Dataset
