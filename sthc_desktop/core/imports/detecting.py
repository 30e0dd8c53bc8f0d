"""Guessing how to read a file: its level (from the codes it holds), its area-code column and the
columns of values, intervals, counts, denominators and periods; the OHID Fingertips "download
data" layout is recognised and filtered to St Helens and whole-population rows; postcode files
are recognised by their postcodes and coordinates."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..cells import FORMULA_START
from ..datapack import DataPack
from .model import ImportSpec, TableFile
from .numbers import MISSING, NotANumber, to_number
from .pack_codes import Codes, codes as known_codes

_FINGERTIPS = ("area code", "indicator name", "value")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}$")


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


def plain_name(text: str) -> str:
    """A proposed indicator name with no leading characters a spreadsheet would run as a formula."""
    return text.lstrip("".join(FORMULA_START) + " ")


def is_fingertips(table: TableFile) -> bool:
    """True for the OHID Fingertips "download data" layout (Area Code, Indicator Name, Value, …)."""
    lower = {c.lower() for c in table.columns}
    return all(h in lower for h in _FINGERTIPS)


def detect(table: TableFile, pack: DataPack, level: str | None = None,
           value_column: str | None = None) -> ImportSpec:
    """A proposed reading of ``table``: the level, the columns and, for Fingertips, the filters."""
    codes = known_codes(pack)
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
            if (c not in taken and _HEADERS[role].search(c)
                    and _mostly_numeric(table.frame[c], role != "period", table.decimal)):
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
        value_column = next((c for c in cols if c not in taken and _mostly_numeric(table.frame[c], True, table.decimal)),
                            "")
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
                      name=plain_name(name))


def _code_column(table: TableFile, codes: Codes, level: str | None) -> tuple[str, str]:
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


def _lsoa_vintage(cells: set, codes: Codes, header: str) -> str:
    only11 = len(cells & (codes.lsoa11 - codes.lsoa21))
    only21 = len(cells & (codes.lsoa21 - codes.lsoa11))
    if only11 != only21:
        return "lsoa11" if only11 > only21 else "lsoa21"
    return "lsoa11" if re.search(r"11|2011", header) else "lsoa21"


def _mostly_numeric(cells: pd.Series, numeric: bool, decimal: str) -> bool:
    """True if most filled cells (of the first 2,000: a guess need not read every row) are numbers."""
    if not numeric:
        return True
    filled = [c for c in cells.iloc[:5000] if c.lower() not in MISSING][:2000]
    ok = 0
    for c in filled:
        try:
            to_number(c, decimal)
            ok += 1
        except NotANumber:
            pass
    return bool(filled) and ok * 2 > len(filled)


def _postcode_column(table: TableFile) -> str | None:
    for c in table.columns:
        cells = [x for x in table.frame[c].iloc[:5000] if x]  # a guess: the first rows show it
        if cells and sum(bool(POSTCODE.match(x.upper())) for x in cells) * 2 > len(cells):
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
        value_column = next((c for c in table.columns
                             if c not in taken and _mostly_numeric(table.frame[c], True, table.decimal)), "")
    return ImportSpec(level="postcode", code_column=code, value_column=value_column, x_column=x, y_column=y,
                      coordinates=system, name=plain_name(Path(table.name).stem.replace("_", " ")))


