"""Text that is safe in a spreadsheet cell: a cell beginning ``=``, ``+``, ``-``, ``@``, tab or
carriage return is a formula to Excel and LibreOffice, so every CSV and XLSX the app writes
escapes such text cells with a leading single quote (OWASP's advice on CSV injection).
Numbers stay numbers: -3.2 is written as -3.2, whether it is held as a number or as text.
"""

from __future__ import annotations

import numbers
import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?$")


def is_formula(text: str) -> bool:
    """True for text a spreadsheet would run: it starts with a formula character and is not just a number."""
    return isinstance(text, str) and text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text)


def safe_cell(value):
    """``value`` as it may be written to a cell: text that would run as a formula gets a leading quote."""
    if isinstance(value, numbers.Number) or not isinstance(value, str):
        return value
    return "'" + value if is_formula(value) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`safe_cell`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out
