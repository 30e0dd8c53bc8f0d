"""Bring your own data: a user's CSV or XLSX file turned into an indicator the whole app can use.

A file is read (:func:`read_file`), its area-code, value, interval, count, denominator and
period columns are guessed (:func:`detect`, which also recognises the OHID Fingertips
"download data" layout and filters it to St Helens and whole-population rows), every row is
checked against the pack (:func:`check`: unknown codes, duplicates, non-numeric or negative
values, codes of the wrong vintage or level, each as file, row, column and problem), and a
clean file becomes catalogue metadata, values and provenance (:func:`build`) ready for
``Planner.add_indicator``. Files that look patient-identifiable (NHS numbers, dates of birth)
are refused on reading: the tool holds aggregated data only. Values published for MSOAs or
wards are given to each LSOA inside them and aggregated as population-weighted means, as
METHODS.md describes; postcode points are placed in the LSOA 2021 they fall in and summed.
Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import weakref
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .datapack import BOROUGH_CODE, ENGLAND_CODE, VALUE_COLUMNS, DataPack, Dataset
from .errors import DataError
from .input_files import MB, file_bytes
from .schema import Field, note, read_fields

THEME = "Imported"
LEVELS = {"lsoa11": "LSOA 2011", "lsoa21": "LSOA 2021", "msoa": "MSOA", "ward": "ward (2022)",
          "practice": "GP practice (ODS code)", "postcode": "postcode point"}
POLARITIES = ("higher is worse", "higher is better", "no judgement")
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
#: Largest file imported.
SIZE_LIMIT = 50 * MB
#: Cells that mean "no value" in published tables (blank, suppressed, not available).
MISSING = {"", "*", "-", "..", ".", ":", "x", "c", "na", "n/a", "nan", "null", "none", "#n/a"}
_POPULATION_WEIGHT = {"lsoa11": "iod19_population_2015", "lsoa21": "census21_residents"}
_FINGERTIPS = ("area code", "indicator name", "value")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}$")


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
    """A user's file as read: its name, bytes, SHA-256 and cells (all text)."""

    name: str
    data: bytes = field(repr=False)
    sha256: str
    frame: pd.DataFrame = field(repr=False)

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
    def can_import(self) -> bool:
        return not self.errors

    @property
    def areas_with_values(self) -> int:
        v = self.values
        return int(v[(v["area_type"] == self.geography) & v["value"].notna()]["area_code"].nunique())


@dataclass(frozen=True)
class ImportedIndicator:
    """What ``Planner.add_indicator`` takes: a catalogue row, its values and its provenance."""

    meta: dict
    values: pd.DataFrame
    dataset: Dataset


def _row_numbers(r, columns: dict[str, str | None], name: str, row: int, problems: list, *,
                 coordinates: set[str] = frozenset(), non_negative: set[str] = frozenset()) -> dict | None:
    """The numbers of one row by role (None where a column is not chosen or a cell is blank), or None
    after listing every problem: a cell that is not a number, a blank cell in a ``coordinates`` column,
    a negative ``non_negative`` value."""
    numbers, bad = {}, False
    for role, column in columns.items():
        numbers[role] = None
        if not column:
            continue
        try:
            numbers[role] = _number(r[column])
        except ValueError:
            problems.append(Problem(name, row, column, f"not a number: '{_short(r[column])}'"))
            bad = True
            continue
        if numbers[role] is None and role in coordinates:
            problems.append(Problem(name, row, column, "no coordinate"))
            bad = True
        elif numbers[role] is not None and numbers[role] < 0 and role in non_negative:
            problems.append(Problem(name, row, column, f"negative value {numbers[role]:g}"))
            bad = True
    return None if bad else numbers


# -- reading --------------------------------------------------------------------------------------
def read_file(path: str | Path) -> TableFile:
    """Read a CSV or XLSX file; raise DataError if it cannot be read or looks patient-identifiable."""
    return read_bytes(Path(path).name, file_bytes(path, SIZE_LIMIT))


def read_bytes(name: str, data: bytes) -> TableFile:
    """Read a file's bytes (as embedded in a workspace); ``name`` decides CSV or XLSX."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(name, f"not a CSV or XLSX file ('{suffix or 'no extension'}')")
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=str, na_filter=False,
                                  engine="openpyxl")
        else:
            frame = pd.read_csv(io.StringIO(_decode(data)), sep=None, engine="python", dtype=str,
                                keep_default_na=False, skip_blank_lines=True)
    except Exception as exc:  # pandas, csv and openpyxl report a malformed file through many types
        kind = "an XLSX workbook" if suffix in (".xlsx", ".xlsm") else "a readable CSV file"
        raise DataError(name, f"not {kind} ({_first_line(exc)})") from None
    if frame.shape[1] == 0 or frame.empty:
        raise DataError(name, "no rows of data under the header")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").astype(str).map(str.strip).reset_index(drop=True)
    frame.index = frame.index + 2  # spreadsheet rows: the header is row 1
    table = TableFile(name, data, hashlib.sha256(data).hexdigest(), frame)
    refuse_patient_data(table)
    return table


def _decode(data: bytes) -> str:
    # Excel on Windows saves "CSV" in cp1252; latin-1 never fails, so it is the last resort.
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


# -- refusing patient-identifiable data ------------------------------------------------------------
def nhs_number_ok(text: str) -> bool:
    """True if ``text`` is a 10-digit NHS number passing the Modulus 11 check digit."""
    digits = re.sub(r"[\s-]", "", text)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_DOB_HEADER = re.compile(r"\b(dob|d\.o\.b\.?|date ?of ?birth|birth ?date|birthdate|born)\b", re.I)
_DATE = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))$")


def refuse_patient_data(table: TableFile) -> None:
    """Raise DataError naming the first column that looks like NHS numbers or dates of birth."""
    this_year = date.today().year
    for column in table.columns:
        cells = [c for c in table.frame[column] if c]
        if not cells:
            continue
        nhs = sum(nhs_number_ok(c) for c in cells)
        if nhs * 2 > len(cells) or (re.search(r"\bnhs ?(no|num|number)\b", column, re.I) and nhs):
            raise DataError(table.name, f"looks like NHS numbers ({nhs} of {len(cells)} cells are 10-digit "
                                        "numbers passing the Modulus 11 check); this tool takes aggregated "
                                        "data only, so the import stops: remove patient-level columns first",
                            column=column)
        if _DOB_HEADER.search(column):
            raise DataError(table.name, "looks like dates of birth (the column name); this tool takes "
                                        "aggregated data only, so the import stops", column=column)
        years = []
        for c in cells:
            m = _DATE.match(c)
            if m:
                years.append(int(m.group(1) or m.group(6)))
        plausible = [y for y in years if 1900 <= y <= this_year]
        # Birth dates are many and spread over decades; a period column repeats a few recent dates.
        if (len(plausible) * 2 > len(cells) and len(set(cells)) >= 3
                and max(plausible) - min(plausible) >= 10):
            raise DataError(table.name, f"looks like dates of birth ({len(plausible)} dates with birth years "
                                        f"{min(plausible)}–{max(plausible)}); this tool takes aggregated data "
                                        "only, so the import stops", column=column)


# -- what the pack knows ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Codes:
    lsoa11: frozenset
    lsoa21: frozenset
    msoa11: frozenset
    msoa21: frozenset
    ward: frozenset
    practice: frozenset
    children: dict        # LSOA 2011 code -> [(LSOA 2021 code, change)] from the ONS lookup
    msoa_lsoa: dict       # "msoa11"/"msoa21" -> Series LSOA code -> MSOA code
    ward_lsoa: pd.Series  # LSOA 2021 code -> 2022 ward code
    lsoa21_frame: object  # LSOA 2021 polygons, for placing postcode points

    def level_sets(self) -> dict[str, frozenset]:
        return {"lsoa11": self.lsoa11, "lsoa21": self.lsoa21, "msoa": self.msoa11 | self.msoa21,
                "ward": self.ward, "practice": self.practice}


_CODES: "weakref.WeakKeyDictionary[DataPack, _Codes]" = weakref.WeakKeyDictionary()


def _codes(pack: DataPack) -> _Codes:
    if pack not in _CODES:
        l11, l21 = pack.layer("lsoa11"), pack.layer("lsoa21")
        children: dict[str, list] = {}
        for r in l21[["code", "lsoa11_code", "change_2011"]].itertuples():
            children.setdefault(r.lsoa11_code, []).append((r.code, r.change_2011))
        _CODES[pack] = _Codes(
            frozenset(l11["code"]), frozenset(l21["code"]), frozenset(pack.layer("msoa11")["code"]),
            frozenset(pack.layer("msoa21")["code"]), frozenset(pack.layer("wards")["code"]),
            frozenset(pack.practices["ods_code"].dropna()), children,
            {"msoa11": pd.Series(l11["msoa_code"].to_numpy(), index=l11["code"].to_numpy()),
             "msoa21": pd.Series(l21["msoa_code"].to_numpy(), index=l21["code"].to_numpy())},
            pd.Series(l21["ward_code"].to_numpy(), index=l21["code"].to_numpy()), l21[["code", "geometry"]])
    return _CODES[pack]


# -- detection ------------------------------------------------------------------------------------
_HEADERS = {
    "value": re.compile(r"^value$|%|\b(value|rate|percent|percentage|score|prevalence|ratio)\b", re.I),
    "lower_ci": re.compile(r"lower|\blci\b|\bll\b", re.I),
    "upper_ci": re.compile(r"upper|\buci\b|\bul\b", re.I),
    "count": re.compile(r"^count$|numerator|^number|observed|^n$", re.I),
    "denominator": re.compile(r"denominator|population|^den", re.I),
    "period": re.compile(r"^time period$|^period$|^year$|^financial year$", re.I),
    "code": re.compile(r"code|lsoa|msoa|ward|ods|practice|area", re.I),
    "postcode": re.compile(r"post ?code|^pcds?$", re.I),
    "x": re.compile(r"^(easting|x|oseast1m|long|longitude|lon|lng)$", re.I),
    "y": re.compile(r"^(northing|y|osnrth1m|lat|latitude)$", re.I),
}


def is_fingertips(table: TableFile) -> bool:
    """True for the OHID Fingertips "download data" layout (Area Code, Indicator Name, Value, …)."""
    lower = {c.lower() for c in table.columns}
    return all(h in lower for h in _FINGERTIPS)


def detect(table: TableFile, pack: DataPack, level: str | None = None,
           value_column: str | None = None) -> ImportSpec:
    """A proposed reading of ``table``: the level, the columns and, for Fingertips, the filters."""
    codes = _codes(pack)
    cols = table.columns
    by_lower = {c.lower(): c for c in cols}
    fingertips = is_fingertips(table)
    if level == "postcode" or (level is None and _postcode_column(table) and _xy_columns(table)[0]):
        return _detect_postcode(table, value_column)
    code_column, level = _code_column(table, codes, level)
    taken = {code_column}

    def pick(role: str, exact: tuple[str, ...] = ()) -> str | None:
        for name in exact:
            if name in by_lower and by_lower[name] not in taken:
                taken.add(by_lower[name])
                return by_lower[name]
        for c in cols:
            if c not in taken and _HEADERS[role].search(c) and _mostly_numeric(table.frame[c], role != "period"):
                taken.add(c)
                return c
        return None

    period_column = pick("period", ("time period",))
    lower = pick("lower_ci", ("lower ci 95.0 limit", "lower ci 99.8 limit"))
    upper = pick("upper_ci", ("upper ci 95.0 limit", "upper ci 99.8 limit"))
    count = pick("count", ("count",))
    den = pick("denominator", ("denominator",))
    if value_column is None:
        value_column = pick("value", ("value",))
    if value_column is None:  # the first numeric column not already given a role
        value_column = next((c for c in cols if c not in taken and _mostly_numeric(table.frame[c], True)), "")
    filters: list[tuple[str, str]] = []
    name = Path(table.name).stem.replace("_", " ")
    if fingertips:
        rows = table.frame[table.frame[code_column].str.upper().isin(codes.level_sets()[level])]
        if rows.empty:
            rows = table.frame
        for column, wanted in (("indicator name", None), ("sex", "Persons"), ("category type", ""),
                               ("age", None)):
            if column not in by_lower:
                continue
            seen = rows[by_lower[column]]
            choice = wanted if wanted is not None and (seen == wanted).any() else seen.mode().iloc[0]
            if wanted is None and seen.nunique() == 1 and column != "indicator name":
                continue
            filters.append((by_lower[column], choice))
            rows = rows[seen == choice]
            if column == "indicator name":
                name = choice
    return ImportSpec(level=level, code_column=code_column, value_column=value_column, lower_ci_column=lower,
                      upper_ci_column=upper, count_column=count, denominator_column=den,
                      period_column=period_column, filters=tuple(filters), only_known_areas=fingertips,
                      name=name)


def _code_column(table: TableFile, codes: _Codes, level: str | None) -> tuple[str, str]:
    sets = codes.level_sets()
    best: tuple[float, str, str] = (-1.0, "", level or "lsoa21")
    for c in table.columns:
        cells = set(table.frame[c].str.upper())
        for lv, known in sets.items():
            if level is not None and lv != level:
                continue
            score = len(cells & known) + (0.5 if _HEADERS["code"].search(c) else 0.0)
            if score > best[0]:
                best = (score, c, lv)
    _, column, found = best
    if level is None and found in ("lsoa11", "lsoa21"):
        found = _lsoa_vintage(set(table.frame[column].str.upper()), codes, column)
    return column, found


def _lsoa_vintage(cells: set, codes: _Codes, header: str) -> str:
    only11 = len(cells & (codes.lsoa11 - codes.lsoa21))
    only21 = len(cells & (codes.lsoa21 - codes.lsoa11))
    if only11 != only21:
        return "lsoa11" if only11 > only21 else "lsoa21"
    return "lsoa11" if re.search(r"11|2011", header) else "lsoa21"


def _mostly_numeric(cells: pd.Series, numeric: bool) -> bool:
    if not numeric:
        return True
    filled = [c for c in cells if c.strip().lower() not in MISSING]
    ok = 0
    for c in filled:
        try:
            _number(c)
            ok += 1
        except ValueError:
            pass
    return bool(filled) and ok * 2 > len(filled)


def _postcode_column(table: TableFile) -> str | None:
    for c in table.columns:
        cells = [x for x in table.frame[c] if x]
        if cells and sum(bool(_POSTCODE.match(x.upper())) for x in cells) * 2 > len(cells):
            return c
    return None


def _xy_columns(table: TableFile) -> tuple[str | None, str | None, str]:
    x = next((c for c in table.columns if _HEADERS["x"].match(c)), None)
    y = next((c for c in table.columns if _HEADERS["y"].match(c)), None)
    lonlat = bool(x and re.match(r"^(long|longitude|lon|lng)$", x, re.I))
    return x, y, "lonlat" if lonlat else "en"


def _detect_postcode(table: TableFile, value_column: str | None) -> ImportSpec:
    code = _postcode_column(table) or next((c for c in table.columns if _HEADERS["postcode"].search(c)), "")
    x, y, system = _xy_columns(table)
    taken = {code, x, y}
    if value_column is None:
        value_column = next((c for c in table.columns if c not in taken and _mostly_numeric(table.frame[c], True)),
                            "")
    return ImportSpec(level="postcode", code_column=code, value_column=value_column, x_column=x, y_column=y,
                      coordinates=system, name=Path(table.name).stem.replace("_", " "))


# -- checking -------------------------------------------------------------------------------------
def _number(text: str) -> float | None:
    """A cell as a number; None if it is blank or a suppression mark; ValueError if it is not a number."""
    t = text.strip()
    if t.lower() in MISSING:
        return None
    value = float(t.replace(",", "").rstrip("%").strip())
    if not math.isfinite(value):
        raise ValueError(t)
    return value


def check(table: TableFile, pack: DataPack, spec: ImportSpec) -> CheckResult:
    """Every problem with reading ``table`` as ``spec`` says, and the values that would be imported."""
    codes = _codes(pack)
    name = table.name
    problems: list[Problem] = []
    caveats: list[str] = []
    geography = {"lsoa11": "lsoa11", "practice": "practice"}.get(spec.level, "lsoa21")
    empty = pd.DataFrame(columns=VALUE_COLUMNS[1:])

    if spec.level not in LEVELS:
        return CheckResult([Problem(name, None, None, f"unknown level '{spec.level}'")], empty, geography, [])
    roles = {"area code": spec.code_column, "value": spec.value_column, "lower CI": spec.lower_ci_column,
             "upper CI": spec.upper_ci_column, "count": spec.count_column, "denominator": spec.denominator_column,
             "period": spec.period_column, "x": spec.x_column, "y": spec.y_column}
    required = ("area code", "value") + (("x", "y") if spec.level == "postcode" else ())
    for role, column in roles.items():
        if column is None or column == "":
            if role in required:
                problems.append(Problem(name, None, None, f"no {role} column chosen"))
        elif column not in table.frame.columns:
            problems.append(Problem(name, None, column, f"no such column (the {role} column)"))
    for column, _ in spec.filters:
        if column not in table.frame.columns:
            problems.append(Problem(name, None, column, "no such column (used to filter rows)"))
    if problems:
        return CheckResult(problems, empty, geography, caveats)

    rows = table.frame
    for column, wanted in spec.filters:
        rows = rows[rows[column] == wanted]
    if spec.filters:
        caveats.append("Rows kept: " + "; ".join(f"{c} = {v or '(blank)'}" for c, v in spec.filters) + ".")
    rows = rows[(rows != "").any(axis=1)]  # blank lines left by spreadsheets are not rows

    if spec.level == "postcode":
        return _check_points(table, rows, spec, codes, problems, caveats)

    target = _target(spec, rows, codes)
    upper = rows[spec.code_column].str.upper()
    benchmark = upper.isin([ENGLAND_CODE, BOROUGH_CODE])
    if spec.only_known_areas:
        keep = upper.isin(target) | benchmark
        if spec.level == "lsoa21" and spec.convert_2011:
            keep |= upper.isin(codes.lsoa11)
        dropped = int((~keep).sum())
        rows = rows[keep]
        if dropped:
            problems.append(Problem(name, None, spec.code_column,
                                    f"{dropped} rows for areas outside St Helens left out", error=False))

    records: list[dict] = []
    seen: dict[tuple, int] = {}
    converted: set[str] = set()
    for row, r in rows.iterrows():
        code = r[spec.code_column].upper()
        period = r[spec.period_column] if spec.period_column else spec.period
        if spec.period_column and not period:
            problems.append(Problem(name, row, spec.period_column, "no period"))
            continue
        if not code:
            problems.append(Problem(name, row, spec.code_column, "no area code"))
            continue
        areas = _areas_for(code, spec, target, codes, name, row, problems, converted)
        if areas is None:
            continue
        columns = {"value": spec.value_column, "lower_ci": spec.lower_ci_column, "upper_ci": spec.upper_ci_column,
                   "numerator": spec.count_column, "denominator": spec.denominator_column}
        numbers = _row_numbers(r, columns, name, row, problems, non_negative=set(columns))
        if numbers is None:
            continue
        lo, hi = numbers["lower_ci"], numbers["upper_ci"]
        if lo is not None and hi is not None and lo > hi:
            problems.append(Problem(name, row, spec.lower_ci_column, f"lower limit {lo:g} above upper limit {hi:g}"))
            continue
        if numbers["value"] is None:
            problems.append(Problem(name, row, spec.value_column,
                                    f"no value for {code} (blank or suppressed): left without a value", error=False))
        for area_type, area_code in areas:
            key = (area_type, area_code, period)
            if key in seen:
                problems.append(Problem(name, row, spec.code_column,
                                        f"duplicate: {area_code}{' ' + period if period else ''} already given "
                                        f"in row {seen[key]}"))
                continue
            seen[key] = row
            records.append({"area_type": area_type, "area_code": area_code, "period": period,
                            "value": numbers["value"], "numerator": numbers["numerator"],
                            "denominator": numbers["denominator"], "lower_ci": lo, "upper_ci": hi,
                            "source_code": code})
    if converted:
        caveats.append(_conversion_caveat(converted, codes))
    values = pd.DataFrame.from_records(records, columns=list(VALUE_COLUMNS[1:]) + ["source_code"])
    values = _spread(values, spec, codes, caveats)
    return _finish(table, spec, pack, values, geography, problems, caveats)


def _target(spec: ImportSpec, rows: pd.DataFrame, codes: _Codes) -> frozenset:
    """The codes a row may carry; MSOA files are 2021 unless only 2011-only codes show otherwise."""
    if spec.level != "msoa":
        return codes.level_sets()[spec.level]
    cells = set(rows[spec.code_column].str.upper())
    if cells & (codes.msoa11 - codes.msoa21) and not cells & (codes.msoa21 - codes.msoa11):
        return codes.msoa11
    return codes.msoa21


def _areas_for(code: str, spec: ImportSpec, target: frozenset, codes: _Codes, name: str, row: int,
               problems: list, converted: set) -> list[tuple[str, str]] | None:
    """The (area type, code) pairs a row's code stands for, or None after recording the problem."""
    column = spec.code_column
    if code == ENGLAND_CODE:
        return [("england", code)]
    if code == BOROUGH_CODE:
        return [("borough", code)]
    if code in target:
        return [(spec.level if spec.level in ("lsoa11", "lsoa21", "practice") else "msoa_or_ward", code)]
    if spec.level == "lsoa21" and code in codes.lsoa11:
        children = codes.children.get(code, [])
        usable = [c for c, change in children if change in ("U", "S")]
        if spec.convert_2011 and usable:
            converted.add(code)
            return [("lsoa21", c) for c in usable]
        offer = (f"the ONS 2011→2021 lookup splits it into {', '.join(usable)}: choose 'use the ONS lookup' to "
                 "give each the 2011 value (stated in the caveats)") if usable else "the ONS lookup does not apply"
        problems.append(Problem(name, row, column,
                                f"LSOA 2011 code {code} where LSOA 2021 codes are expected; {offer}"))
        return None
    if spec.level == "lsoa11" and code in codes.lsoa21:
        parent = next((p for p, kids in codes.children.items() if any(c == code for c, _ in kids)), None)
        problems.append(Problem(name, row, column, f"LSOA 2021 code {code} where LSOA 2011 codes are expected "
                                                   f"(new in 2021, split from {parent}); choose level LSOA 2021"))
        return None
    if spec.level == "msoa" and code in (codes.msoa11 | codes.msoa21):
        problems.append(Problem(name, row, column, f"MSOA code {code} of the other vintage (the file's other "
                                                   "codes are MSOA " + ("2011" if target == codes.msoa11 else "2021")
                                + ")"))
        return None
    for level, known in codes.level_sets().items():
        if level != spec.level and code in known:
            problems.append(Problem(name, row, column, f"wrong level: {code} is {_a(LEVELS[level])} code, not "
                                                       f"{_a(LEVELS[spec.level])} code"))
            return None
    problems.append(Problem(name, row, column, f"unknown area code '{_short(code)}' (not a St Helens "
                                               f"{LEVELS[spec.level]})"))
    return None


def _spread(values: pd.DataFrame, spec: ImportSpec, codes: _Codes, caveats: list) -> pd.DataFrame:
    """MSOA and ward values given to each LSOA inside them (METHODS.md: values published for MSOAs or wards)."""
    if spec.level not in ("msoa", "ward"):
        return values.drop(columns="source_code")
    parts = values[values["area_type"] == "msoa_or_ward"]
    if spec.level == "msoa":
        vintage = "msoa11" if set(parts["area_code"]) & (codes.msoa11 - codes.msoa21) else "msoa21"
        lookup, lsoa = codes.msoa_lsoa[vintage], "lsoa11" if vintage == "msoa11" else "lsoa21"
        what = f"MSOAs ({'2011' if vintage == 'msoa11' else '2021'})"
    else:
        lookup, lsoa, what = codes.ward_lsoa, "lsoa21", "wards (2022, ONS best-fit LSOA 2021 to ward lookup)"
    members = lookup.rename_axis("lsoa").reset_index(name="parent")
    spread = parts.merge(members, left_on="area_code", right_on="parent")
    spread = spread.assign(area_type=lsoa, area_code=spread["lsoa"], numerator=np.nan, denominator=np.nan)
    caveats.append(f"Published for {what}: each LSOA shows the value and interval of the area it lies in; "
                   "locality values are population-weighted means of these, as OHID's Local Health builds values "
                   "from MSOAs and wards.")
    out = pd.concat([values[values["area_type"] != "msoa_or_ward"], spread[values.columns]], ignore_index=True)
    return out.drop(columns="source_code")


def _conversion_caveat(converted: set, codes: _Codes) -> str:
    splits = [f"{c} → {', '.join(k for k, ch in codes.children[c])}" for c in sorted(converted)
              if any(ch == "S" for _, ch in codes.children[c])]
    text = ("LSOA 2011 codes moved to LSOA 2021 through the ONS LSOA 2011 to 2021 lookup: unchanged LSOAs "
            "one to one")
    if splits:
        text += "; LSOAs split in 2021 give each part the whole 2011 value (" + "; ".join(splits) + ")"
    return text + "."


def _check_points(table: TableFile, rows: pd.DataFrame, spec: ImportSpec, codes: _Codes, problems: list,
                  caveats: list) -> CheckResult:
    """Postcode points placed in the LSOA 2021 they fall in; values summed per LSOA."""
    import geopandas as gpd

    name = table.name
    records, seen = [], {}
    for row, r in rows.iterrows():
        postcode = re.sub(r"\s+", " ", r[spec.code_column].upper())
        if not _POSTCODE.match(postcode):
            problems.append(Problem(name, row, spec.code_column, f"not a postcode: '{_short(postcode)}'"))
            continue
        if postcode.replace(" ", "") in seen:
            problems.append(Problem(name, row, spec.code_column,
                                    f"duplicate: {postcode} already given in row {seen[postcode.replace(' ', '')]}"))
            continue
        seen[postcode.replace(" ", "")] = row
        nums = _row_numbers(r, {"x": spec.x_column, "y": spec.y_column, "value": spec.value_column}, name, row,
                            problems, coordinates={"x", "y"}, non_negative={"value"})
        if nums is None:
            continue
        records.append({"row": row, "postcode": postcode, **nums})
    empty = pd.DataFrame(columns=VALUE_COLUMNS[1:])
    if not records:
        problems.append(Problem(name, None, None, "no postcode points to import"))
        return CheckResult(problems, empty, "lsoa21", caveats)
    pts = pd.DataFrame(records)
    crs = "EPSG:4326" if spec.coordinates == "lonlat" else "EPSG:27700"
    points = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["x"], pts["y"]), crs=crs).to_crs(27700)
    joined = gpd.sjoin(points, codes.lsoa21_frame, how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    for r in joined[joined["code"].isna()].itertuples():
        if not spec.only_known_areas:
            problems.append(Problem(name, r.row, spec.x_column, f"{r.postcode} lies outside St Helens"))
    inside = joined[joined["code"].notna()]
    summed = inside.groupby("code")["value"].sum(min_count=1)
    values = pd.DataFrame({"area_type": "lsoa21", "area_code": summed.index, "period": spec.period,
                           "value": summed.to_numpy(), "numerator": np.nan, "denominator": np.nan,
                           "lower_ci": np.nan, "upper_ci": np.nan})
    caveats.append(f"Postcode points ({len(inside)}) placed in the LSOA 2021 they fall in "
                   f"({'WGS84 longitude/latitude' if crs == 'EPSG:4326' else 'British National Grid'}); "
                   "each LSOA shows the sum of its points' values.")
    return _finish(table, spec, None, values, "lsoa21", problems, caveats)


def _finish(table: TableFile, spec: ImportSpec, pack: DataPack | None, values: pd.DataFrame, geography: str,
            problems: list, caveats: list) -> CheckResult:
    numeric = ["value", "numerator", "denominator", "lower_ci", "upper_ci"]
    values = values.astype({c: float for c in numeric})
    areas = values[(values["area_type"] == geography) & values["value"].notna()]
    if areas.empty and not any(p.error for p in problems):
        problems.append(Problem(table.name, None, spec.code_column,
                                f"no St Helens {LEVELS[spec.level]} with a value: nothing to import"))
    elif pack is not None and spec.level in ("lsoa11", "lsoa21", "msoa", "ward"):
        total = len(pack.layer(geography))
        for period, group in areas.groupby("period"):
            missing = total - group["area_code"].nunique()
            if missing:
                problems.append(Problem(table.name, None, spec.code_column,
                                        f"{missing} of {total} St Helens {LEVELS[geography]}s have no value"
                                        f"{' for ' + period if period else ''}", error=False))
    return CheckResult(problems, values.reset_index(drop=True), geography, caveats)


# -- building the indicator -----------------------------------------------------------------------
def build(table: TableFile, pack: DataPack, spec: ImportSpec, imported_on: date | None = None) -> ImportedIndicator:
    """The catalogue row, values and provenance of an importable file; DataError if it cannot be imported."""
    if not spec.name.strip():
        raise DataError(table.name, "give the indicator a name")
    if spec.polarity not in POLARITIES:
        raise DataError(table.name, f"polarity must be one of: {', '.join(POLARITIES)}")
    if not spec.period_column and not spec.period.strip():
        raise DataError(table.name, "give the period the values describe (e.g. 2023/24)")
    result = check(table, pack, spec)
    if not result.can_import:
        first = result.errors[0]
        more = len(result.errors) - 1
        raise DataError(table.name, first.problem + (f" (and {more} more problems)" if more else ""),
                        row=first.row, column=first.column)
    imported_on = imported_on or date.today()
    indicator_id = _indicator_id(spec.name, table.sha256, pack)
    values = result.values.assign(indicator_id=indicator_id)[list(VALUE_COLUMNS)]
    periods = sorted(set(values["period"]))
    aggregation, weight, multiplier, value_type = _aggregation(spec, result, values)
    where = f"{table.name} on {imported_on.isoformat()}"
    provenance = f"Imported by the user from {where}"
    caveats = " ".join([f"{provenance} (SHA-256 {table.sha256}); not part of the official data pack."]
                       + result.caveats)
    meta = {"id": indicator_id, "name": spec.name.strip(), "short_name": spec.name.strip()[:40], "theme": THEME,
            "unit": spec.unit.strip(), "polarity": spec.polarity, "geography": result.geography,
            "dataset": indicator_id, "value_type": value_type, "aggregation": aggregation, "caveats": caveats,
            "weight": weight, "multiplier": multiplier, "periods": "|".join(periods), "period": periods[-1],
            "source": provenance}
    dataset = Dataset(indicator_id, spec.name.strip(), provenance, ", ".join(periods),
                      "As supplied by the user", f"Source: {provenance}.",
                      ({"path": table.name, "sha256": table.sha256},))
    return ImportedIndicator(meta, values.reset_index(drop=True), dataset)


def _aggregation(spec: ImportSpec, result: CheckResult, values: pd.DataFrame) -> tuple[str, str, float, str]:
    if spec.level == "postcode":
        return "sum", "", 1.0, "count"
    if spec.level == "practice":
        if _multiplier(values) is not None:
            m = _multiplier(values)
            return "ratio of sums", "", m, "proportion" if m == 100 else "rate"
        return "list-weighted mean", "", 1.0, "score"
    if spec.level in ("lsoa11", "lsoa21"):
        m = _multiplier(values)
        if m is not None:
            return "ratio of sums", "", m, "proportion" if m == 100 else "rate"
    return "population-weighted mean", _POPULATION_WEIGHT[result.geography], 1.0, "score"


def _multiplier(values: pd.DataFrame) -> float | None:
    """The power of ten relating value to count/denominator, if every row with all three agrees on one."""
    v = values.dropna(subset=["value", "numerator", "denominator"])
    v = v[(v["numerator"] > 0) & (v["denominator"] > 0)]
    if v.empty or len(v) != len(values.dropna(subset=["value"])):
        return None
    ratio = v["value"] / (v["numerator"] / v["denominator"])
    for m in (1.0, 100.0, 1000.0, 10000.0, 100000.0):
        if ((ratio / m - 1).abs() < 0.01).all():
            return m
    return None


def _indicator_id(name: str, sha256: str, pack: DataPack) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "indicator"
    candidate = f"imported_{slug}"
    official = set(pack.layer("indicators")["id"])
    return candidate if candidate not in official else f"{candidate}_{sha256[:8]}"


def _a(name: str) -> str:
    """The name with its article, as it is read aloud ("an LSOA", "a ward")."""
    return f"{'an' if name[0] in 'AEIOLMNS' else 'a'} {name}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
