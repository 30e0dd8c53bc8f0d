"""Bring your own data: a user's CSV or XLSX file turned into an indicator the whole app can use.

Five stages, one module each, passing the types of :mod:`.model`:

- :mod:`.reading` reads the file, bounded and in linear time (encodings, delimiters, sheets,
  title rows, merged headers, decimal commas) into a :class:`TableFile` of text cells;
- :mod:`.patient` refuses patient-identifiable files (NHS numbers, dates of birth, person
  identifiers) before anything is kept: the tool holds aggregated data only;
- :mod:`.detecting` proposes an :class:`ImportSpec`: the level, the area-code column, the value,
  interval, count, denominator and period columns, and the Fingertips filters;
- :mod:`.checking` checks every row against the pack (:mod:`.pack_codes`), each problem a
  :class:`Problem` naming file, row and column;
- :mod:`.building` turns a clean file into catalogue metadata, values and provenance ready for
  ``Planner.add_indicator``.

Reading and checking tell an optional :data:`Progress` callback how many rows are done, so a
file of a few hundred thousand rows shows its progress.

Values published for MSOAs or wards are given to each LSOA inside them and aggregated as
population-weighted means, as METHODS.md describes; postcode points are placed in the LSOA
2021 they fall in and summed. Row numbers are spreadsheet rows: the header is row 1 (or the
row it is found on, below any title rows).
"""

from .building import build
from .checking import check
from .detecting import detect, is_fingertips
from .model import (LEVELS, POLARITIES, SHOWN_PROBLEMS, SPEC_FIELDS, THEME, CheckResult, ImportedIndicator,
                    ImportSpec, Problem, Progress, TableFile)
from .numbers import MISSING
from .patient import nhs_number_ok, refuse_patient_data
from .reading import SIZE_LIMIT, SUFFIXES, read_bytes, read_file, read_table

__all__ = ["build", "check", "detect", "is_fingertips", "LEVELS", "POLARITIES", "SHOWN_PROBLEMS", "SPEC_FIELDS",
           "THEME", "CheckResult", "ImportedIndicator", "ImportSpec", "Problem", "Progress", "TableFile", "MISSING",
           "nhs_number_ok", "refuse_patient_data", "SIZE_LIMIT", "SUFFIXES", "read_bytes", "read_file",
           "read_table"]
