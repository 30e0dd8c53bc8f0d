"""Bad input never crashes the importer: random and mutated CSV files end in a clean rejection
(DataError, or a problems list that stops the import) or a successful import, never another exception."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sthc_desktop.core import imports
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import DataError

from conftest import BUNDLED_PACK

PACK = DataPack(BUNDLED_PACK)
LEVELS = (None,) + tuple(imports.LEVELS)


def good_csv() -> str:
    """A synthetic Fingertips-like file built from the pack's own LSOA 2021 codes."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Area Code", "Indicator Name", "Time period", "Sex", "Value", "Lower CI 95.0 limit",
                "Upper CI 95.0 limit", "Count", "Denominator"])
    for i, code in enumerate(sorted(PACK.layer("lsoa21")["code"])[:30]):
        w.writerow([code, "Synthetic", "2023/24", "Persons", 10 + i, 5 + i, 15 + i, 10 + i, 100])
    return buf.getvalue()


GOOD = good_csv()
CELLS = st.one_of(st.sampled_from(["", "*", "-1", "1e309", "nan", "E01006802", "E02001407", "E05014120",
                                   "N83017", "E92000001", "E08000013", "WA10 1DW", "9434765919", "01/02/1960",
                                   "2024-03-31", "Value", "Area Code", '"', ",", "\n", "\x00", "١٢"]),
                  st.text(max_size=12), st.floats(allow_nan=True).map(str), st.integers().map(str))


@st.composite
def mutated(draw) -> bytes:
    lines = GOOD.splitlines()
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["cell", "drop", "dup", "cut", "insert", "header"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0))) if lines else 0
        if not lines:
            break
        if kind == "cell":
            cells = lines[i].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(CELLS)
            lines[i] = ",".join(cells)
        elif kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "cut":
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
        elif kind == "insert":
            lines.insert(i, ",".join(draw(st.lists(CELLS, max_size=10))))
        else:
            cells = lines[0].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(CELLS)
            lines[0] = ",".join(cells)
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


FILES = st.one_of(mutated(), st.binary(max_size=400),
                  st.lists(st.lists(CELLS, max_size=6), max_size=8).map(
                      lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=FILES, level=st.sampled_from(LEVELS), convert=st.booleans())
def test_random_and_mutated_csv_files_are_cleanly_rejected_or_imported(data, level, convert):
    try:
        table = imports.read_bytes("synthetic_fuzz.csv", data)
    except DataError as exc:
        assert exc.problem and "\n" not in str(exc)
        return
    spec = imports.detect(table, PACK, level).with_(convert_2011=convert)
    result = imports.check(table, PACK, spec)
    for p in result.problems:
        assert p.problem and (p.row is None or p.row >= 2)
    try:
        indicator = imports.build(table, PACK, spec.with_(name="Synthetic fuzz", period="2024"))
    except DataError:
        assert not result.can_import
        return
    assert result.can_import
    assert indicator.values["value"].dropna().ge(0).all()
    assert indicator.meta.theme == imports.THEME


@pytest.mark.parametrize("level", [None, "lsoa21"])
def test_the_unmutated_file_imports(level):
    table = imports.read_bytes("synthetic_fuzz.csv", GOOD.encode())
    spec = imports.detect(table, PACK, level)
    assert imports.check(table, PACK, spec).can_import
