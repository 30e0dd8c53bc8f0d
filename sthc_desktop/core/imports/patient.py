"""Refusing patient-identifiable files: the tool holds aggregated data only.

A file is refused, before anything of it is kept, if a column holds NHS numbers however they
are written (``943 476 5919``, ``9434765919``, ``9434765919.0``, or ``9.43E+09`` as Excel saves
a long number, which keeps too few digits to check but is still a 10-digit identifier), dates of
birth (by header, or dates spread over many years, more readily beside postcodes or names, with
four- or two-digit years and month names), or a person-level identifier by its header
(patient id, forename, surname, date of birth, NHS number…). The refusal says why.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import DataError
from .model import TableFile

#: Cells of each column looked at (evenly spaced through the file).
SAMPLE = 20_000
_REFUSAL = "this tool takes aggregated data only, so the import stops and nothing of the file is kept"
_PERSON_HEADER = re.compile(
    r"^(nhs|chi|mrn|dob|d\.o\.b\.?|patient)$|\bnhs ?(no|num|number|id)\b|\bpatient ?(id|name|no|number|identifier)\b"
    r"|\b(forename|surname|first ?name|last ?name|given ?name|family ?name|full ?name|middle ?name)s?\b"
    r"|\b(date ?of ?birth|birth ?date|birthdate|born|dob)\b|\bhospital ?(no|number)\b", re.I)
_BIRTH_HEADER = re.compile(r"\b(date ?of ?birth|birth ?date|birthdate|born|dob|d\.o\.b)", re.I)
_NAME_HEADER = re.compile(r"^((full|person|patient)'?s? )?names?$", re.I)
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}$")
_SEPARATORS = re.compile(r"[\s-]")
_TEN_DIGITS = re.compile(r"^(\d{10})(?:\.0+)?$")
_SCIENTIFIC_TEN = re.compile(r"^[1-9](?:\.\d+)?[eE]\+?0?9$")  # 1.0E+09 … 9.99E+09
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATES = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T][\d:.]+)?$"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4})(?: [\d:.]+)?$"),
    re.compile(rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ /.-]?(?P<mon>{_MONTH})[ /.,-]*(?P<y>\d{{2}}|\d{{4}})$", re.I),
    re.compile(rf"^(?P<mon>{_MONTH})[ /.-]?(?P<d>\d{{1,2}})?(?:st|nd|rd|th)?,?[ /.-]?(?P<y>\d{{2}}|\d{{4}})$", re.I),
)


def nhs_number_ok(text: str) -> bool:
    """True if ``text`` is a 10-digit NHS number passing the Modulus 11 check digit."""
    digits = re.sub(r"[\s-]", "", text)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def date_parts(text: str, this_year: int) -> tuple[int, int | None] | None:
    """The year and day of a cell written as a date (two-digit years are the most recent such
    year), or None."""
    for pattern in _DATES:
        m = pattern.match(text)
        if m:
            year = int(m.group("y"))
            if year < 100:
                year += 2000 if year <= this_year % 100 else 1900
            return year, int(m.group("d")) if m.group("d") else None
    return None


def refuse_patient_data(table: TableFile) -> None:
    """Raise DataError naming the first column that looks patient-identifiable, and why."""
    this_year = date.today().year
    # Plain lists, not pandas string methods: a wide file pays per column, and most columns are short.
    filled = {c: _sample([v for v in table.frame[c].tolist() if v]) for c in table.columns}
    beside_people = any(_NAME_HEADER.match(c) for c in table.columns) or any(
        cells and sum(bool(_POSTCODE.match(v.upper())) for v in cells) * 2 > len(cells) for cells in filled.values())
    for column, cells in filled.items():
        if not cells:
            continue
        _refuse_nhs_numbers(table.name, column, cells)
        _refuse_birth_dates(table.name, column, cells, this_year, beside_people)
        if _PERSON_HEADER.search(column):
            what = ("dates of birth" if _BIRTH_HEADER.search(column) else "NHS numbers" if "nhs" in column.lower()
                    else "a person's identifier")
            raise DataError(table.name, f"looks like {what} (the column name); {_REFUSAL}", column=column)


def _sample(cells: list[str], size: int = SAMPLE) -> list[str]:
    """Evenly spaced cells: each test is a share of a column, which a sample of thousands shows."""
    return cells if len(cells) <= size else cells[::len(cells) // size + 1]


def _refuse_nhs_numbers(name: str, column: str, cells: list[str]) -> None:
    if not any(c[:1].isdigit() for c in cells):
        return
    squeezed = [_SEPARATORS.sub("", c) for c in cells]
    ten = [m.group(1) for m in map(_TEN_DIGITS.match, squeezed) if m]
    scientific = sum(bool(_SCIENTIFIC_TEN.match(c)) for c in squeezed)
    valid = sum(nhs_number_ok(d) for d in ten)
    if valid * 2 > len(cells):
        raise DataError(name, f"looks like NHS numbers ({valid} of {len(cells)} cells are 10-digit numbers passing "
                              f"the Modulus 11 check); {_REFUSAL}: remove patient-level columns first", column=column)
    if (len(ten) + scientific) * 2 > len(cells):
        how = f", {scientific} written in scientific notation as Excel saves long numbers" if scientific else ""
        raise DataError(name, f"looks like NHS numbers or other identifiers ({len(ten) + scientific} of {len(cells)} "
                              f"cells are 10-digit numbers{how}); {_REFUSAL}", column=column)


def _refuse_birth_dates(name: str, column: str, cells: list[str], this_year: int, beside_people: bool) -> None:
    distinct = set(cells)
    if len(distinct) < 3:
        return
    parts = {c: date_parts(c, this_year) for c in distinct}
    parts = {c: p for c, p in parts.items() if p is not None and 1900 <= p[0] <= this_year}
    dated = sum(c in parts for c in cells)
    if dated * 2 <= len(cells) or len(parts) < 3:
        return
    years = [y for y, _ in parts.values()]
    if not beside_people and {d for _, d in parts.values()} <= {1, None}:
        return  # first-of-month dates, or months, are periods; beside postcodes they may still be births
    spread = max(years) - min(years)
    # Birth dates are many and spread over decades; a period column repeats a few recent dates.
    # Beside postcodes or names, dates over a few years, or all long past, are births too.
    if spread >= 10 or beside_people and (spread >= 3 or max(years) <= this_year - 5):
        where = " beside postcodes or names" if beside_people else ""
        raise DataError(name, f"looks like dates of birth{where} ({dated} dates with birth years {min(years)}–"
                              f"{max(years)}); {_REFUSAL}", column=column)
