"""Reading a user's CSV or XLSX file into cells, bounded and in linear time.

The file must be a regular file under :data:`SIZE_LIMIT`; lines, columns, rows and cells have
limits too, each refusal naming the file and the limit. Text may be UTF-8, UTF-16 (with or
without a byte-order mark), cp1252 (Excel on Windows), or lines of both; the delimiter is the
one of comma, semicolon, tab or pipe that splits the first lines evenly. A workbook is read in
openpyxl's streaming mode after its zip sizes and each sheet's declared size are checked; the
sheet used is the first with area codes (so a notes sheet first is passed over). Title rows
above the header are skipped, and a blank header cell (left by merged cells) takes the text of
the cell above it. Duplicate column names get ``.1``, ``.2`` suffixes, in linear time (pandas'
renaming of duplicate names is quadratic: 480 kB of header cells once took 53 s). How numbers are written
(decimal comma or point) is decided here, once per file, and patient-level files are refused
before anything is kept.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..input_files import MB, file_bytes, size_words
from .model import Progress, TableFile, told
from .numbers import number_style
from .patient import refuse_patient_data

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
SIZE_LIMIT = 50 * MB
LINE_LIMIT = 1 * MB          # characters in one line of a CSV
COLUMN_LIMIT = 1000
ROW_LIMIT = 500_000         # a few hundred thousand rows import in seconds, within 1 GB
CELL_LIMIT = 3_000_000
UNZIPPED_LIMIT = 250 * MB    # all parts of a workbook, uncompressed
HEADER_SEARCH = 50           # rows searched for the first row of area codes
_DELIMITERS = (",", ";", "\t", "|")
#: A cell that is an area code (ONS), a practice code (ODS) or a postcode.
AREA_CODE = re.compile(r"^(?:[EWSN]\d{8}|[A-Z]\d{5}|[A-Z]{1,2}\d[\dA-Z]? ?\d[A-Z]{2})$", re.I)


def read_file(path: str | Path, progress: Progress | None = None) -> TableFile:
    """Read a CSV or XLSX file; raise DataError if it cannot be read or looks patient-identifiable.
    ``progress`` is told the rows read so far."""
    return read_bytes(Path(path).name, file_bytes(path, SIZE_LIMIT), progress)


def read_bytes(name: str, data: bytes, progress: Progress | None = None) -> TableFile:
    """Read a file's bytes (as embedded in a workspace); ``name`` decides CSV or XLSX."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(name, f"not a CSV or XLSX file ('{suffix or 'no extension'}')")
    if len(data) > SIZE_LIMIT:
        raise DataError(name, f"{size_words(len(data))} is over the limit of {size_words(SIZE_LIMIT)}")
    notes = []
    if suffix in (".xlsx", ".xlsm"):
        rows, sheet = _workbook_rows(name, data, progress)
        delimiter = None
        if sheet:
            notes.append(sheet)
    else:
        text = decode(name, data)
        if not text.strip():
            raise DataError(name, "not a readable CSV file (it is empty)")
        delimiter = _delimiter(text)
        rows = _csv_rows(name, text, delimiter, progress)
    frame, header_note = _frame(name, rows)
    if header_note:
        notes.append(header_note)
    decimal, decimal_note = number_style(name, frame, delimiter)
    if decimal_note:
        notes.append(decimal_note)
    table = TableFile(name, data, hashlib.sha256(data).hexdigest(), frame, decimal, tuple(notes))
    refuse_patient_data(table)
    return table


def read_table(path: str | Path) -> pd.DataFrame:
    """The cells of a CSV or XLSX file under its header, bounded as an import (for lookups)."""
    return read_file(path).frame


# -- text ---------------------------------------------------------------------------------------------
def decode(name: str, data: bytes) -> str:
    """The file's text: UTF-16/32 by byte-order mark or by its zero bytes, else UTF-8, else each line as
    UTF-8 or cp1252 (a file pasted together from both reads sensibly)."""
    for bom, encoding in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                          (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _strict(name, data, encoding)
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):  # UTF-16 without a byte-order mark
        odd = head[1::2].count(b"\x00") > head[0::2].count(b"\x00")
        return _strict(name, data, "utf-16-le" if odd else "utf-16-be")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "".join(_line(line) for line in data.splitlines(keepends=True))
    if "\x00" in text:
        raise DataError(name, "not a text file (it holds zero bytes): save it as CSV or XLSX")
    return text


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(name, f"not readable as {encoding.upper()} text (byte {exc.start})") from None
    return text.lstrip("\ufeff")


def _line(line: bytes) -> str:
    # Excel on Windows saves "CSV" in cp1252; latin-1 never fails, so it is the last resort.
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of cells most often."""
    sample = [line for line in text[:200_000].splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0.0, 0)
    for d in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=d) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (int(mode > 1), counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _csv_rows(name: str, text: str, delimiter: str, progress: Progress | None) -> list[tuple[int, list[str]]]:
    lines = _refuse_long(name, text)
    csv.field_size_limit(LINE_LIMIT)
    rows, cells, number = [], 0, 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            cells = _bounded(name, rows, number, [c.strip() for c in row], cells)
            told(progress, number, max(lines, number), "Reading rows")
    except csv.Error as exc:
        raise DataError(name, f"not a readable CSV file ({exc})") from None
    told(progress, number, number, "Reading rows")
    return rows


def _refuse_long(name: str, text: str) -> int:
    """The number of lines; DataError for a line over :data:`LINE_LIMIT` (in UTF-8 bytes) or more lines
    than rows allowed, found from the line breaks' positions in one pass, before any line is parsed."""
    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    breaks = np.flatnonzero(raw == 10)
    if len(breaks) == 0:
        breaks = np.flatnonzero(raw == 13)  # old Mac line ends
    if len(breaks) > ROW_LIMIT + HEADER_SEARCH:
        raise DataError(name, f"{len(breaks):,} lines: over the limit of {ROW_LIMIT:,} rows")
    lengths = np.diff(np.concatenate(([-1], breaks, [len(raw)]))) - 1
    longest = int(np.argmax(lengths))
    if lengths[longest] > LINE_LIMIT:
        raise DataError(name, f"line {longest + 1} is {size_words(int(lengths[longest]))} long, over the limit of "
                              f"{size_words(LINE_LIMIT)} for one line")
    return len(lengths)


def _bounded(name: str, rows: list, number: int, row: list[str], cells: int) -> int:
    """Keep a non-blank row (trailing blank cells dropped) within the limits; the cell count so far."""
    while row and row[-1] == "":
        row.pop()
    if not row:
        return cells
    if len(row) > COLUMN_LIMIT:
        raise DataError(name, f"{len(row):,} columns: over the limit of {COLUMN_LIMIT:,} columns", row=number)
    cells += len(row)
    if cells > CELL_LIMIT:
        raise DataError(name, f"over the limit of {CELL_LIMIT:,} cells", row=number)
    if len(rows) >= ROW_LIMIT:
        raise DataError(name, f"over the limit of {ROW_LIMIT:,} rows", row=number)
    rows.append((number, row))
    return cells


# -- workbooks ---------------------------------------------------------------------------------------
def _workbook_rows(name: str, data: bytes, progress: Progress | None) -> tuple[list[tuple[int, list[str]]], str | None]:
    """The rows of the first sheet with area codes (else the first sheet), and a note naming it."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DataError(name, f"not an XLSX workbook ({exc})") from None
    if unzipped > UNZIPPED_LIMIT:
        raise DataError(name, f"unpacks to {size_words(unzipped)}, over the limit of {size_words(UNZIPPED_LIMIT)} "
                              "(a damaged or hostile workbook)")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl reports a malformed workbook through many types
        raise DataError(name, f"not an XLSX workbook ({_first_line(exc)})") from None
    try:
        sheets = [s for s in book.worksheets if hasattr(s, "iter_rows")]
        if not sheets:
            raise DataError(name, "the workbook has no worksheet")
        first = None
        for index, sheet in enumerate(sheets):
            rows = _sheet_rows(name, sheet, progress)
            if first is None:
                first = rows
            if any(AREA_CODE.match(c) for _, row in rows[:HEADER_SEARCH] for c in row):
                return rows, (None if index == 0 else f"Read sheet '{sheet.title}', the first with area codes.")
        return first, None
    except DataError:
        raise
    except Exception as exc:
        raise DataError(name, f"not an XLSX workbook ({_first_line(exc)})") from None
    finally:
        book.close()


def _sheet_rows(name: str, sheet, progress: Progress | None) -> list[tuple[int, list[str]]]:
    rows_declared, columns_declared = sheet.max_row or 0, sheet.max_column or 0
    if rows_declared * columns_declared > CELL_LIMIT or rows_declared > ROW_LIMIT + HEADER_SEARCH:
        raise DataError(name, f"sheet '{sheet.title}' declares {rows_declared:,} rows × {columns_declared:,} "
                              f"columns, over the limit of {CELL_LIMIT:,} cells")
    rows, cells, number = [], 0, 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(values) > COLUMN_LIMIT and any(v is not None for v in values[COLUMN_LIMIT:]):
            raise DataError(name, f"sheet '{sheet.title}' has a cell beyond column {COLUMN_LIMIT:,}, over the "
                                  f"limit of {COLUMN_LIMIT:,} columns", row=number)
        cells = _bounded(name, rows, number, [_cell_text(v) for v in values[:COLUMN_LIMIT]], cells)
        told(progress, number, max(rows_declared, number), f"Reading rows of sheet '{sheet.title}'")
    told(progress, number, number, f"Reading rows of sheet '{sheet.title}'")
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


# -- the header and the frame ---------------------------------------------------------------------
def _frame(name: str, rows: list[tuple[int, list[str]]]) -> tuple[pd.DataFrame, str | None]:
    """The cells under the header as a frame indexed by spreadsheet row; a note if title rows were skipped."""
    if not rows:
        raise DataError(name, "no rows of data under the header")
    at = _header_at(rows)
    header_number, header = rows[at]
    above = rows[at - 1][1] if at else []
    data = rows[at + 1:]
    if not data:
        raise DataError(name, "no rows of data under the header")
    width = max(len(header), max(len(r) for _, r in data))
    columns = _column_names(header, above, width)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for _, r in data], columns=columns,
                         index=[n for n, _ in data], dtype=object)
    note = f"The header is row {header_number}; the rows above it are titles." if at else None
    return frame, note


def _header_at(rows: list[tuple[int, list[str]]]) -> int:
    """Where the header is: the nearest row above the first row of area codes that reads as a header
    (two or more cells, none a number); the first row if there is none."""
    codes_at = next((i for i, (_, row) in enumerate(rows[:HEADER_SEARCH]) if any(AREA_CODE.match(c) for c in row)),
                    0)
    width = len(rows[codes_at][1])
    for i in range(codes_at - 1, -1, -1):
        cells = [c for c in rows[i][1] if c]
        if len(cells) >= max(2, width // 2) and not any(_NUMBER.match(c) for c in cells):
            return i
    return 0


_NUMBER = re.compile(r"^[+-]?[\d.,\s]*\d[\d.,\s]*%?$")


def _column_names(header: list[str], above: list[str], width: int) -> list[str]:
    """Header cells as unique names; a blank one takes the cell above it (a merged header), else 'column N'."""
    names, used = [], {}
    for i in range(width):
        text = " ".join(header[i].split()) if i < len(header) else ""  # a line break in a header cell: a space
        if not text:
            text = " ".join(above[i].split()) if i < len(above) and above[i] else f"column {i + 1}"
        base, n = text, used.get(text, 0)
        while text in used:  # amortised linear: each base name remembers its last suffix
            n += 1
            text = f"{base}.{n}"
        used[base] = n
        used[text] = used.get(text, 0)
        names.append(text)
    return names


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
