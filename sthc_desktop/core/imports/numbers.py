"""Numbers read as the user meant them: whether a file writes ``10,5`` (decimal comma, as Excel
saves semicolon CSVs in much of Europe) or ``1,234.5`` (thousands comma), decided once for
the whole file from cells that can only be read one way; a file mixing both is refused.
A cell that is not finite, or absurdly large for a published statistic, is not a number."""

from __future__ import annotations

import math
import re

import pandas as pd

from ..errors import DataError
from .model import short

#: Cells that mean "no value" in published tables (blank, suppressed, not available).
MISSING = {"", "*", "-", "..", ".", ":", "x", "c", "na", "n/a", "null", "none", "#n/a"}
#: The largest magnitude accepted: no published area statistic comes near it.
LARGEST = 1e12

_SPACES = re.compile(r"[\s\u00a0\u202f]")
# Cells only a decimal comma explains: "10,5", "1234,56", "1.234,5".
_COMMA_ONLY = re.compile(r"^[+-]?(?:\d+,\d{1,2}|\d+,\d{4,}|\d{4,},\d+|0,\d+|\d{1,3}(?:\.\d{3})+,\d+)%?$")
# Cells only a decimal point explains: "10.5", "0.123", "1,234.5".
_POINT_ONLY = re.compile(r"^[+-]?(?:\d*\.\d{1,2}|\d*\.\d{4,}|\d{4,}\.\d+|0\.\d+|\.\d+|\d{1,3}(?:,\d{3})+\.\d+)%?$")
# "1,234" (thousands, or three decimals after a comma): decided by the file's other cells.
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+%?$")


class NotANumber(ValueError):
    """A cell that cannot be used as a number; ``str()`` says why in the user's words."""


def number_style(name: str, frame: pd.DataFrame, delimiter: str | None) -> tuple[str, str | None]:
    """"." or "," as the file's decimal mark, and a note when it is the comma; DataError if both appear."""
    first: dict[str, tuple[str, int, str]] = {}  # kind -> (column, row, cell) of its first cell
    kinds = (("comma", _COMMA_ONLY), ("point", _POINT_ONLY), ("ambiguous", _AMBIGUOUS_COMMA))
    for column in frame.columns:
        cells = frame[column]
        for cell in cells.unique():  # each distinct cell once: published tables repeat many
            if len(first) == 3:
                break
            if "," not in cell and "." not in cell:
                continue
            squeezed = _SPACES.sub("", cell)
            for kind, pattern in kinds:
                if kind not in first and pattern.match(squeezed):
                    first[kind] = (column, int(cells.index[cells.eq(cell).argmax()]), squeezed)
    comma, point, ambiguous = first.get("comma"), first.get("point"), first.get("ambiguous")
    if comma and point:
        raise DataError(name, f"mixes decimal commas ('{comma[2]}' in column '{comma[0]}', row {comma[1]}) and "
                              f"decimal points ('{point[2]}' in column '{point[0]}', row {point[1]}); save the "
                              "file with one decimal mark")
    if comma or (ambiguous and not point and delimiter == ";"):
        example = comma or ambiguous
        return ",", (f"Numbers are read with a decimal comma (e.g. '{example[2]}' in column '{example[0]}' "
                     f"as {to_number(example[2], ','):g}).")
    return ".", None


def to_number(text: str, decimal: str = ".") -> float | None:
    """A cell as a number; None if it is blank or a suppression mark; :class:`NotANumber` otherwise."""
    t = text.strip()
    if decimal == "." and t[:1].isdigit() and t[-1:].isdigit():  # the common case, without rewriting
        try:
            value = float(t)
        except ValueError:
            pass
        else:
            return _plausible(value, t)
    if t.lower() in MISSING:
        return None
    plain = _SPACES.sub("", t).replace("\u2212", "-")
    if plain.endswith("%"):
        plain = plain[:-1]
    if decimal == ",":
        plain = plain.replace(".", "").replace(",", ".")
    else:
        plain = plain.replace(",", "")
    try:
        value = float(plain)
    except ValueError:
        raise NotANumber(f"not a number: '{short(t)}'") from None
    return _plausible(value, t)


def _plausible(value: float, t: str) -> float:
    if not math.isfinite(value):
        raise NotANumber(f"not a finite number: '{short(t)}'")
    if abs(value) > LARGEST:
        raise NotANumber(f"implausibly large value '{short(t)}' (over {LARGEST:.0e})")
    return value
