"""Refusing patient-identifiable files: the tool holds aggregated data only.

A file is refused, before anything of it is kept, if a column holds NHS numbers however they
are written (``943 476 5919``, ``9434765919``, ``9434765919.0``, or ``9.43E+09`` as Excel saves
a long number, which keeps too few digits to check but is still a 10-digit identifier), dates of
birth (by header, or dates spread over many years, more readily beside postcodes or names, with
four- or two-digit years and month names), people's names by their content ("Firstname Surname",
"SURNAME, Firstname", "Mrs Firstname Surname": a common given name first), e-mail addresses or
telephone numbers, or a person-level identifier by its header (patient id, forename, surname,
date of birth, NHS number…). A file of one row per area or practice is aggregated: its postcodes,
telephone numbers and (for practices) dates are the area's or practice's. The refusal says why,
and quotes no cell of the file.
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
# Two to four words of letters (a comma after a surname written first); '&', digits or brackets
# mark an organisation ("Dr Smith & Partners", "Parr Health Centre (Y02625)").
_PERSON_NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?:,? [^\W\d_][\w'’.-]*){1,3}$")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir"}
#: Words of places and organisations: "Holly Bank Surgery" and "Lee Road" are not people.
_NOT_PEOPLE = frozenset("""
and avenue bank brook centre center church clinic close community court crescent drive estate farm field gardens
grange green group grove hall health healthcare hill hospital house lane lodge manor medical mount nhs park
partners partnership path place practice road row school square street surgery terrace trust valley view village
walk way wood
""".split())
#: Given names common among people living in England (for telling a column of people's names from
#: one of places or practices, which rarely start with one).
GIVEN_NAMES = frozenset("""
aaron abigail ada adam adrian agnes agnieszka ahmed aidan aisha alan albert alex alexander alexandra alfie alfred
ali alice alison amanda amber amelia amy andrea andrew angela ann anna anne annie anthony archie arthur ashley
audrey ava barbara barry beatrice ben benjamin bernard beryl beth bethany betty beverley bill billy brenda brian
bruce callum carl carol caroline carolyn catherine charles charlie charlotte chloe chris christina christine
christopher claire clare clive colin connor craig cyril daisy daniel danielle darren david dawn dean debbie
deborah declan denise dennis derek diane donald donna doreen dorothy douglas dylan edith edna edward eileen
eleanor elizabeth ella ellie elsie emily emma eric ernest ethan evelyn evie fatima finley florence frances
francis frank freddie frederick freya gail gareth gary gavin gemma geoffrey george georgia gerald gillian
gladys glenn gordon grace graham gregory hannah harold harriet harrison harry hassan hayley hazel heather helen
henry herbert hilda holly howard ian ibrahim irene isabel isabella isla ivy jack jacob jacqueline jade james
jamie jan jane janet janice jason jean jeffrey jennifer jeremy jessica jill joan joanne joe john jonathan jordan
joseph joshua joyce judith julia julie june karen kate katherine kathleen kathryn katie kayleigh keith kelly
kenneth kevin kieran kirsty lauren laura lee leah leanne leo leonard leslie lewis liam lily linda lindsay lisa
logan lorraine louis louise lucas lucy luke lynn malcolm margaret maria marie marion mark martin mary matthew
maureen megan melanie melissa mia michael michelle millie mohamed mohammad mohammed molly muhammad nancy naomi
natalie nathan neil nicholas nicola nigel noah norman olive oliver olivia omar oscar owen pamela patricia patrick
paul pauline peter philip phoebe poppy priya rachel raymond rebecca reginald richard rita robert robin roger
ronald rose rosemary rosie ruby russell ruth ryan sally samantha samuel sandra sarah scott sean sharon sheila
shirley sidney simon sophia sophie stanley stephanie stephen steven stuart susan sylvia teresa terence theo
theresa thomas timothy toby tom tony tracey tracy trevor valerie vera victoria vincent violet walter wayne wendy
william yasmin yvonne zainab zoe
""".split())
_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^(?:\+44 ?\(?0?\)? ?|\(?0)[1-37]\d{2,4}\)? ?\d{3,4} ?\d{3,4}$")  # UK numbers, as written
_ODS = r"[A-Z]\d{5}|[A-Z]\d{2}[A-Z0-9]{3}"  # practices and services
_PRACTICE = re.compile(rf"^(?:{_ODS})$")
_AREA_OR_PRACTICE = re.compile(rf"^(?:[EWSN]\d{{8}}|{_ODS})$")
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
    filled = {c: [v for v in table.frame[c].tolist() if v] for c in table.columns}
    # A row per area or per practice (each code once) is aggregated data: its postcode, telephone number
    # and e-mail address are the area's or the practice's, and a practice's dates are its opening or closing.
    unique = [{v.upper() for v in cells} for cells in filled.values()
              if len(cells) == len(table.frame) and len(set(cells)) == len(cells)]
    per_area = any(all(_AREA_OR_PRACTICE.match(v) for v in codes) for codes in unique)
    per_practice = any(all(_PRACTICE.match(v) for v in codes) for codes in unique)
    filled = {c: _sample(cells) for c, cells in filled.items()}
    names = {c for c, cells in filled.items() if _mostly(cells, _is_person_name)}
    beside_people = bool(names) or any(_NAME_HEADER.match(c) for c in table.columns) or not per_area and any(
        _mostly(cells, lambda v: _POSTCODE.match(v.upper())) for cells in filled.values())
    for column, cells in filled.items():
        if not cells:
            continue
        _refuse_nhs_numbers(table.name, column, cells)
        if column in names:
            raise DataError(table.name, f"looks like people's names (most cells are a given name and a surname); "
                                        f"{_REFUSAL}", column=column)
        if _PERSON_HEADER.search(column):
            what = ("dates of birth" if _BIRTH_HEADER.search(column) else "NHS numbers" if "nhs" in column.lower()
                    else "a person's identifier")
            raise DataError(table.name, f"looks like {what} (the column name); {_REFUSAL}", column=column)
        for what, pattern in (("e-mail addresses", _EMAIL), ("telephone numbers", _PHONE)):
            if not per_area and _mostly(cells, pattern.match):
                raise DataError(table.name, f"looks like {what}; {_REFUSAL}", column=column)
        if not per_practice:
            _refuse_birth_dates(table.name, column, cells, this_year, beside_people)


def _mostly(cells: list[str], test) -> bool:
    """True if more than half of the (non-blank) cells pass ``test`` and at least three different ones do."""
    passing = [c for c in cells if test(c)]
    return len(passing) * 2 > len(cells) and len(set(passing)) >= 3


def _is_person_name(cell: str) -> bool:
    """A cell written as a person's name: a common given name first, after any title, or after the comma
    of "SURNAME, Given"."""
    if not _PERSON_NAME.match(cell):
        return False
    before, comma, after = cell.partition(",")
    words = (after if comma else before).lower().replace(".", " ").split()
    if words and words[0] in _TITLES:
        words = words[1:]
    return (len(words) >= (1 if comma else 2) and words[0].split("-")[0] in GIVEN_NAMES
            and not _NOT_PEOPLE.intersection(cell.lower().replace(",", " ").split()))


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
