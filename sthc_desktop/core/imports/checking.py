"""Checking every row of a file against the pack, as the user's chosen reading says: unknown codes,
duplicates, cells that are not numbers (or not finite, or absurdly large), negative values,
codes of the wrong vintage or level, percentages over 100, each as file, row, column and
problem. MSOA and ward values are given to each LSOA inside them; postcode points are placed in
the LSOA 2021 they fall in and summed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..datapack import BOROUGH_CODE, ENGLAND_CODE, VALUE_COLUMNS, DataPack
from .detecting import POSTCODE
from .model import LEVELS, CheckResult, ImportSpec, Problem, Problems, Progress, TableFile, short, told
from .numbers import NotANumber, to_number
from .pack_codes import Codes, codes as known_codes

_PERCENT = re.compile(r"%|\bper ?cent|\bpercentage\b", re.I)


@dataclass
class _Check:
    """One run of :func:`check`: the file, its reading, what the pack knows, and what was found so far."""

    table: TableFile
    spec: ImportSpec
    codes: Codes
    problems: Problems = field(default_factory=Problems)
    caveats: list[str] = field(default_factory=list)
    converted: set[str] = field(default_factory=set)  # LSOA 2011 codes moved to 2021

    def add(self, row: int | None, column: str | None, problem: str, error: bool = True) -> None:
        self.problems.append(Problem(self.table.name, row, column, problem, error))

    def result(self, values: pd.DataFrame, geography: str) -> CheckResult:
        return CheckResult(self.problems, values, geography, self.caveats)

    def numbers(self, r: dict, columns: dict[str, str | None], row: int, *, coordinates: set[str] = frozenset(),
                non_negative: set[str] = frozenset()) -> dict | None:
        """The numbers of one row by role (None where a column is not chosen or a cell is blank), or None
        after listing every problem: a cell that is not a number, a blank cell in a ``coordinates``
        column, a negative ``non_negative`` value."""
        numbers, bad = {}, False
        for role, column in columns.items():
            numbers[role] = None
            if not column:
                continue
            try:
                numbers[role] = to_number(r[column], self.table.decimal)
            except NotANumber as exc:
                self.add(row, column, str(exc))
                bad = True
                continue
            if numbers[role] is None and role in coordinates:
                self.add(row, column, "no coordinate")
                bad = True
            elif numbers[role] is not None and numbers[role] < 0 and role in non_negative:
                self.add(row, column, f"negative value {numbers[role]:g}")
                bad = True
        return None if bad else numbers


def check(table: TableFile, pack: DataPack, spec: ImportSpec, progress: Progress | None = None) -> CheckResult:
    """Every problem with reading ``table`` as ``spec`` says, and the values that would be imported;
    ``progress`` is told the rows checked so far."""
    c = _Check(table, spec, known_codes(pack))
    for line in table.notes:  # what reading chose (sheet, header row, decimal comma), for the user to confirm
        c.add(None, None, line, error=False)
    geography = {"lsoa11": "lsoa11", "practice": "practice"}.get(spec.level, "lsoa21")
    empty = pd.DataFrame(columns=VALUE_COLUMNS[1:])

    if spec.level not in LEVELS:
        c.add(None, None, f"unknown level '{short(str(spec.level))}'")
        return c.result(empty, geography)
    roles = {"area code": spec.code_column, "value": spec.value_column, "lower CI": spec.lower_ci_column,
             "upper CI": spec.upper_ci_column, "count": spec.count_column, "denominator": spec.denominator_column,
             "period": spec.period_column, "x": spec.x_column, "y": spec.y_column}
    required = ("area code", "value") + (("x", "y") if spec.level == "postcode" else ())
    for role, column in roles.items():
        if column is None or column == "":
            if role in required:
                c.add(None, None, f"no {role} column chosen")
        elif column not in table.frame.columns:
            c.add(None, column, f"no such column (the {role} column)")
    for column, _ in spec.filters:
        if column not in table.frame.columns:
            c.add(None, column, "no such column (used to filter rows)")
    if any(p.error for p in c.problems):
        return c.result(empty, geography)

    rows = table.frame
    for column, wanted in spec.filters:
        rows = rows[rows[column] == wanted]
    if spec.filters:
        c.caveats.append("Rows kept: " + "; ".join(f"{col} = {v or '(blank)'}" for col, v in spec.filters) + ".")
    rows = rows[(rows != "").any(axis=1)]  # blank lines left by spreadsheets are not rows

    if spec.level == "postcode":
        return _check_points(c, rows, progress)

    codes = c.codes
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
            c.add(None, spec.code_column, f"{dropped} rows for areas outside St Helens left out", error=False)

    records: list[dict] = []
    seen: dict[tuple, int] = {}
    columns = {"value": spec.value_column, "lower_ci": spec.lower_ci_column, "upper_ci": spec.upper_ci_column,
               "numerator": spec.count_column, "denominator": spec.denominator_column}
    for done, (row, r) in enumerate(_records(rows, [spec.code_column, spec.period_column, *columns.values()]), 1):
        told(progress, done, len(rows), "Checking rows")
        code = r[spec.code_column].upper()
        period = r[spec.period_column] if spec.period_column else spec.period
        if spec.period_column and not period:
            c.add(row, spec.period_column, "no period")
            continue
        if not code:
            c.add(row, spec.code_column, "no area code")
            continue
        areas = _areas_for(c, code, target, row)
        if areas is None:
            continue
        numbers = c.numbers(r, columns, row, non_negative=set(columns))
        if numbers is None:
            continue
        lo, hi = numbers["lower_ci"], numbers["upper_ci"]
        if lo is not None and hi is not None and lo > hi:
            c.add(row, spec.lower_ci_column, f"lower limit {lo:g} above upper limit {hi:g}")
            continue
        if numbers["value"] is None:
            c.add(row, spec.value_column, f"no value for {code} (blank or suppressed): left without a value",
                  error=False)
        for area_type, area_code in areas:
            key = (area_type, area_code, period)
            if key in seen:
                c.add(row, spec.code_column, f"duplicate: {area_code}{' ' + period if period else ''} already "
                                             f"given in row {seen[key]}")
                continue
            seen[key] = row
            records.append({"area_type": area_type, "area_code": area_code, "period": period,
                            "value": numbers["value"], "numerator": numbers["numerator"],
                            "denominator": numbers["denominator"], "lower_ci": lo, "upper_ci": hi,
                            "source_code": code})
    if c.converted:
        c.caveats.append(_conversion_caveat(c.converted, codes))
    values = pd.DataFrame.from_records(records, columns=list(VALUE_COLUMNS[1:]) + ["source_code"])
    return _finish(c, pack, _spread(c, values), geography)


def _records(rows: pd.DataFrame, columns: list[str | None]):
    """(spreadsheet row, {column: cell}) for the columns a reading uses: one pass, no per-row frame work."""
    used = list(dict.fromkeys(c for c in columns if c))
    for row, cells in zip(rows.index, zip(*(rows[c].tolist() for c in used))):
        yield row, dict(zip(used, cells))


def _target(spec: ImportSpec, rows: pd.DataFrame, codes: Codes) -> frozenset:
    """The codes a row may carry; MSOA files are 2021 unless only 2011-only codes show otherwise."""
    if spec.level != "msoa":
        return codes.level_sets()[spec.level]
    cells = set(rows[spec.code_column].str.upper())
    if cells & (codes.msoa11 - codes.msoa21) and not cells & (codes.msoa21 - codes.msoa11):
        return codes.msoa11
    return codes.msoa21


def _areas_for(c: _Check, code: str, target: frozenset, row: int) -> list[tuple[str, str]] | None:
    """The (area type, code) pairs a row's code stands for, or None after recording the problem."""
    spec, codes, column = c.spec, c.codes, c.spec.code_column
    if code == ENGLAND_CODE:
        return [("england", code)]
    if code == BOROUGH_CODE:
        return [("borough", code)]
    if code in target:
        return [(spec.level if spec.level in ("lsoa11", "lsoa21", "practice") else "msoa_or_ward", code)]
    if spec.level == "lsoa21" and code in codes.lsoa11:
        usable = [k for k, change in codes.children.get(code, []) if change in ("U", "S")]
        if spec.convert_2011 and usable:
            c.converted.add(code)
            return [("lsoa21", k) for k in usable]
        offer = (f"the ONS 2011→2021 lookup splits it into {', '.join(usable)}: choose 'use the ONS lookup' to "
                 "give each the 2011 value (stated in the caveats)") if usable else "the ONS lookup does not apply"
        c.add(row, column, f"LSOA 2011 code {code} where LSOA 2021 codes are expected; {offer}")
        return None
    if spec.level == "lsoa11" and code in codes.lsoa21:
        parent = next((p for p, kids in codes.children.items() if any(k == code for k, _ in kids)), None)
        c.add(row, column, f"LSOA 2021 code {code} where LSOA 2011 codes are expected (new in 2021, split from "
                           f"{parent}); choose level LSOA 2021")
        return None
    if spec.level == "msoa" and code in (codes.msoa11 | codes.msoa21):
        other = "2011" if target == codes.msoa11 else "2021"
        c.add(row, column, f"MSOA code {code} of the other vintage (the file's other codes are MSOA {other})")
        return None
    for level, known in codes.level_sets().items():
        if level != spec.level and code in known:
            c.add(row, column, f"wrong level: {code} is {_a(LEVELS[level])} code, not {_a(LEVELS[spec.level])} code")
            return None
    c.add(row, column, f"unknown area code '{short(code)}' (not a St Helens {LEVELS[spec.level]})")
    return None


def _spread(c: _Check, values: pd.DataFrame) -> pd.DataFrame:
    """MSOA and ward values given to each LSOA inside them (METHODS.md: values published for MSOAs or wards)."""
    spec, codes = c.spec, c.codes
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
    c.caveats.append(f"Published for {what}: each LSOA shows the value and interval of the area it lies in; "
                   "locality values are population-weighted means of these, as OHID's Local Health builds values "
                   "from MSOAs and wards.")
    out = pd.concat([values[values["area_type"] != "msoa_or_ward"], spread[values.columns]], ignore_index=True)
    return out.drop(columns="source_code")


def _conversion_caveat(converted: set, codes: Codes) -> str:
    splits = [f"{c} → {', '.join(k for k, ch in codes.children[c])}" for c in sorted(converted)
              if any(ch == "S" for _, ch in codes.children[c])]
    text = ("LSOA 2011 codes moved to LSOA 2021 through the ONS LSOA 2011 to 2021 lookup: unchanged LSOAs "
            "one to one")
    if splits:
        text += "; LSOAs split in 2021 give each part the whole 2011 value (" + "; ".join(splits) + ")"
    return text + "."


def _check_points(c: _Check, rows: pd.DataFrame, progress: Progress | None) -> CheckResult:
    """Postcode points placed in the LSOA 2021 they fall in; values summed per LSOA."""
    import geopandas as gpd

    spec = c.spec
    records, seen = [], {}
    for done, (row, r) in enumerate(_records(rows, [spec.code_column, spec.x_column, spec.y_column,
                                                    spec.value_column]), 1):
        told(progress, done, len(rows), "Checking postcodes")
        postcode = re.sub(r"\s+", " ", r[spec.code_column].upper())
        if not POSTCODE.match(postcode):
            c.add(row, spec.code_column, f"not a postcode: '{short(postcode)}'")
            continue
        if postcode.replace(" ", "") in seen:
            c.add(row, spec.code_column, f"duplicate: {postcode} already given in row {seen[postcode.replace(' ', '')]}")
            continue
        seen[postcode.replace(" ", "")] = row
        nums = c.numbers(r, {"x": spec.x_column, "y": spec.y_column, "value": spec.value_column}, row,
                         coordinates={"x", "y"}, non_negative={"value"})
        if nums is None:
            continue
        records.append({"row": row, "postcode": postcode, **nums})
    empty = pd.DataFrame(columns=VALUE_COLUMNS[1:])
    if not records:
        c.add(None, None, "no postcode points to import")
        return c.result(empty, "lsoa21")
    pts = pd.DataFrame(records)
    crs = "EPSG:4326" if spec.coordinates == "lonlat" else "EPSG:27700"
    points = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["x"], pts["y"]), crs=crs).to_crs(27700)
    joined = gpd.sjoin(points, c.codes.lsoa21_frame, how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    for r in joined[joined["code"].isna()].itertuples():
        if not spec.only_known_areas:
            c.add(r.row, spec.x_column, f"{r.postcode} lies outside St Helens")
    inside = joined[joined["code"].notna()]
    summed = inside.groupby("code")["value"].sum(min_count=1)
    values = pd.DataFrame({"area_type": "lsoa21", "area_code": summed.index, "period": spec.period,
                           "value": summed.to_numpy(), "numerator": np.nan, "denominator": np.nan,
                           "lower_ci": np.nan, "upper_ci": np.nan})
    c.caveats.append(f"Postcode points ({len(inside)}) placed in the LSOA 2021 they fall in "
                   f"({'WGS84 longitude/latitude' if crs == 'EPSG:4326' else 'British National Grid'}); "
                   "each LSOA shows the sum of its points' values.")
    return _finish(c, None, values, "lsoa21")


def _finish(c: _Check, pack: DataPack | None, values: pd.DataFrame, geography: str) -> CheckResult:
    spec = c.spec
    numeric = ["value", "numerator", "denominator", "lower_ci", "upper_ci"]
    values = values.astype({c: float for c in numeric})
    areas = values[(values["area_type"] == geography) & values["value"].notna()]
    if areas.empty and not any(p.error for p in c.problems):
        c.add(None, spec.code_column, f"no St Helens {LEVELS[spec.level]} with a value: nothing to import")
    elif pack is not None and spec.level in ("lsoa11", "lsoa21", "msoa", "ward"):
        total = len(pack.layer(geography))
        for period, group in areas.groupby("period"):
            missing = total - group["area_code"].nunique()
            if missing:
                c.add(None, spec.code_column, f"{missing} of {total} St Helens {LEVELS[geography]}s have no value"
                                              f"{' for ' + period if period else ''}", error=False)
    _note_percentages_over_100(c, values)
    return c.result(values.reset_index(drop=True), geography)


def _note_percentages_over_100(c: _Check, values: pd.DataFrame) -> None:
    spec = c.spec
    if not (_PERCENT.search(spec.value_column or "") or _PERCENT.search(spec.unit)):
        return
    over = values[values["value"] > 100]
    if not over.empty:
        c.add(None, spec.value_column, f"{len(over)} values over 100 in a percentage column (largest "
                                       f"{over['value'].max():g}): check the column holds percentages", error=False)


def _a(name: str) -> str:
    """The name with its article, as it is read aloud ("an LSOA", "a ward")."""
    return f"{'an' if name[0] in 'AEIOLMNS' else 'a'} {name}"
