"""The text a table is copied as, for pasting into Excel or LibreOffice: tab-separated, header first.

Each row is a line of cells separated by tabs; a tab or line break inside a cell becomes a space (it
would start a new cell or row), and text a spreadsheet would run as a formula is escaped with a
leading quote (:func:`~sthc_desktop.core.cells.safe_cell`), while numbers such as "-3.2" stay numbers.
Qt-free: the widgets only put this text on the clipboard.
"""

from __future__ import annotations

import re

from .cells import safe_cell

_BREAKS = re.compile(r"[\t\r\n]+")
#: A cell that is a plain number ("-3.2", "1,278", "15.9%"): pasted as a number, not escaped.
_NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")


def clipboard_cell(text) -> str:
    text = _BREAKS.sub(" ", "" if text is None else str(text)).strip()
    return text if _NUMBER.match(text) else safe_cell(text)


def tab_separated(header: list[str], rows: list[list[str]]) -> str:
    """``header`` and ``rows`` as tab-separated lines (ending with a line break)."""
    return "".join("\t".join(clipboard_cell(c) for c in line) + "\n" for line in [header, *rows])
