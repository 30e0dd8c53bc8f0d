"""Hostile and careless import files, each made here (synthetic values only): every one ends in a
one-line refusal naming the file and the problem or limit, or in a correct reading; nothing
hangs, nothing patient-identifiable is kept, numbers are read as the user meant them."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sthc_desktop.core import imports
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.imports import reading

from conftest import ROOT


@pytest.fixture(scope="module")
def lsoas(pack):
    return sorted(pack.layer("lsoa21")["code"])


def csv_bytes(header, rows, delimiter=",", encoding="utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def workbook_bytes(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(DataError) as err:
        imports.read_bytes(name, data)
    message = err.value.message
    assert message.startswith(name) and "\n" not in message
    return message


# -- bounded reading -------------------------------------------------------------------------------------
def test_a_tiny_workbook_declaring_a_whole_sheet_is_refused_before_loading():
    data = workbook_bytes(lambda b: b.active.__setitem__("XFD1048576", 1))
    assert len(data) < 10_000
    assert "declares 1,048,576 rows × 16,384 columns, over the limit" in refusal("synthetic_huge.xlsx", data)


def test_a_zip_bomb_workbook_is_refused_from_its_sizes(monkeypatch):
    monkeypatch.setattr(reading, "UNZIPPED_LIMIT", 1 << 20)  # the mechanism, at a test's scale
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 << 20))
    assert "unpacks to 3 MB, over the limit of 1 MB" in refusal("synthetic_bomb.xlsx", out.getvalue())


def test_many_header_cells_read_in_linear_time():
    """480 kB of header cells took 53 s (pandas renamed duplicate names in quadratic time)."""
    header = ",".join(["x"] * 240_000)
    assert "240,000 columns: over the limit of 1,000 columns" in refusal("synthetic_wide.csv",
                                                                       (header + "\n1\n").encode())
    table = imports.read_bytes("synthetic_dups.csv", (",".join(["x"] * 900) + "\n" + ",".join(["1"] * 900)).encode())
    assert table.columns[:3] == ["x", "x.1", "x.2"] and len(set(table.columns)) == 900


def test_a_single_10_mb_line_is_refused_by_the_line_limit():
    assert "line 1 is 10 MB long, over the limit of 1 MB" in refusal("synthetic_line.csv", b"a" * (10 << 20))


def test_rows_over_the_limit_are_refused_naming_it(monkeypatch):
    monkeypatch.setattr(reading, "ROW_LIMIT", 1000)
    data = csv_bytes(["LSOA code", "Value"], [("E01006802", i) for i in range(1500)])
    assert "over the limit of 1,000 rows" in refusal("synthetic_long.csv", data)


@pytest.mark.parametrize("make, kind", [(os.mkfifo, "a named pipe"), (os.mkdir, "a folder")])
def test_a_pipe_or_folder_is_refused_without_blocking(tmp_path, make, kind):
    path = tmp_path / "synthetic.csv"
    make(path)
    with pytest.raises(DataError, match=f"it is {kind}, not a file"):
        imports.read_file(path)


def test_an_endless_device_is_refused():
    with pytest.raises(DataError, match="it is a device, not a file"):
        imports.read_file("/dev/zero")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "SIZE_LIMIT", 1000)
    path = tmp_path / "synthetic_big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(DataError, match="4 kB is over the limit of 1,000 bytes|over the limit"):
        imports.read_file(path)


def test_a_refusal_lists_the_first_few_dozen_problems_and_counts_the_rest(tmp_path, pack):
    path = tmp_path / "synthetic_bad_rows.csv"
    path.write_bytes(csv_bytes(["LSOA code", "Value"], [(f"E0199{i:04d}", "1") for i in range(5000)]))
    result = subprocess.run([sys.executable, "main.py", "import-check", str(path), "--level", "lsoa21"],
                            capture_output=True, text=True, cwd=ROOT)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == imports.SHOWN_PROBLEMS + 2
    assert lines[-2] == f"… and {5000 - imports.SHOWN_PROBLEMS:,} more problems"
    assert lines[-1] == "synthetic_bad_rows.csv: cannot be imported (5,000 problems)"


def test_a_few_hundred_thousand_rows_still_import(pack, lsoas):
    rows = [(lsoas[i % len(lsoas)], f"{i / 7:.3f}", 2000 + i // len(lsoas)) for i in range(60_000)]
    table = imports.read_bytes("synthetic_many.csv", csv_bytes(["LSOA code", "Value", "Year"], rows))
    spec = imports.detect(table, pack).with_(period_column="Year")
    result = imports.check(table, pack, spec)
    assert result.can_import and len(result.values) == 60_000


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_reading_and_checking_tell_their_progress_in_rows(pack, lsoas, suffix):
    rows = [(lsoas[i % len(lsoas)], i % 97, 2000 + i // len(lsoas)) for i in range(25_000)]
    if suffix == ".csv":
        data = csv_bytes(["LSOA code", "Value", "Year"], rows)
    else:
        data = workbook_bytes(lambda b: [b.active.append(r) for r in [("LSOA code", "Value", "Year"), *rows]])
    told = []
    table = imports.read_bytes("synthetic_progress" + suffix, data, lambda *a: told.append(a))
    done = [d for d, _, what in told if what.startswith("Reading rows")]
    assert done == sorted(done) and done[0] == 10_000 and done[-1] == told[-1][1] >= 25_001
    told.clear()
    imports.check(table, pack, imports.detect(table, pack).with_(period_column="Year"), lambda *a: told.append(a))
    assert told == [(10_000, 25_000, "Checking rows"), (20_000, 25_000, "Checking rows"),
                    (25_000, 25_000, "Checking rows")]


def test_file_import_shows_a_progress_bar_for_a_large_file(window, qtbot, tmp_path, monkeypatch, lsoas):
    from PySide6.QtWidgets import QProgressDialog

    from sthc_desktop.ui import busy, import_dialog

    from conftest import menu_action

    shown = []

    class Watched(QProgressDialog):  # the bar as the user sees it at each step
        def setValue(self, value):
            super().setValue(value)
            shown.append((self.labelText(), value, self.maximum(), self.isVisible()))
    monkeypatch.setattr(busy, "QProgressDialog", Watched)
    monkeypatch.setattr(busy, "PROGRESS_AFTER_MS", 0)
    path = tmp_path / "synthetic_large.csv"
    path.write_bytes(csv_bytes(["LSOA code", "Value", "Year"],
                               [(lsoas[i % len(lsoas)], i % 97, 2000 + i // len(lsoas)) for i in range(30_000)]))
    monkeypatch.setattr(import_dialog.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def answer(dialog):  # the user chooses the file, looks, and cancels
        next(b for b in dialog.findChildren(import_dialog.QPushButton) if b.text() == "Choose file…").click()
        dialog.reject()
        return dialog.result()
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", answer)
    menu_action(window, "File", "Import indicator data…").trigger()
    labels = {text for text, *_ in shown}
    assert "Reading rows: 30,001 of 30,001" in labels and "Checking rows: 30,000 of 30,000" in labels
    assert any(visible for *_, visible in shown)


# -- numbers as meant ----------------------------------------------------------------------------------
def test_decimal_commas_in_a_semicolon_file_are_read_as_decimals(pack, lsoas):
    rows = [(c, f"{10 + i},5", f"1.{200 + i},25") for i, c in enumerate(lsoas)]
    table = imports.read_bytes("synthetic_eu.csv", csv_bytes(["LSOA code", "Rate", "Count"], rows, ";"))
    assert table.decimal == ","
    spec = imports.detect(table, pack).with_(count_column=None)
    result = imports.check(table, pack, spec)
    assert result.values.set_index("area_code")["value"][lsoas[0]] == 10.5
    assert any("decimal comma" in p.problem for p in result.problems if not p.error)
    spec = spec.with_(value_column="Count")
    assert imports.check(table, pack, spec).values.set_index("area_code")["value"][lsoas[1]] == 1201.25


def test_thousands_commas_stay_thousands(pack, lsoas):
    rows = [(c, f"1,{100 + i}", f"{i}.5") for i, c in enumerate(lsoas)]
    table = imports.read_bytes("synthetic_uk.csv", csv_bytes(["LSOA code", "Count", "Rate"], rows))
    result = imports.check(table, pack, imports.detect(table, pack).with_(value_column="Count"))
    assert table.decimal == "." and result.values.set_index("area_code")["value"][lsoas[0]] == 1100


def test_a_file_mixing_decimal_commas_and_points_is_refused(lsoas):
    data = csv_bytes(["LSOA code", "Rate"], [(lsoas[0], "10,5"), (lsoas[1], "10.25")], ";")
    assert "mixes decimal commas ('10,5' in column 'Rate', row 2) and decimal points" in refusal(
        "synthetic_mixed.csv", data)


@pytest.mark.parametrize("cell, problem", [
    ("1e308", "implausibly large value '1e308'"), ("inf", "not a finite number: 'inf'"),
    ("-Infinity", "not a finite number"), ("nan", "not a finite number: 'nan'"), ("1e309", "not a finite number"),
])
def test_non_finite_and_absurd_values_are_refused(pack, lsoas, cell, problem):
    rows = [(c, "1") for c in lsoas]
    rows[3] = (lsoas[3], cell)
    table = imports.read_bytes("synthetic_inf.csv", csv_bytes(["LSOA code", "Value"], rows))
    [error] = imports.check(table, pack, imports.detect(table, pack)).errors
    assert (error.row, error.column) == (5, "Value") and error.problem.startswith(problem)


def test_percentages_over_100_are_noted(pack, lsoas):
    rows = [(c, 50 + 2 * i) for i, c in enumerate(lsoas)]
    table = imports.read_bytes("synthetic_pct.csv", csv_bytes(["LSOA code", "Percent"], rows))
    result = imports.check(table, pack, imports.detect(table, pack))
    [note] = [p for p in result.problems if "over 100" in p.problem]
    assert not note.error and note.column == "Percent" and str(note).startswith("synthetic_pct.csv")


# -- patient data ------------------------------------------------------------------------------------
NHS = ["9434765919", "4010232137", "4505577104", "4853303014"]  # valid check digits (published examples)


@pytest.mark.parametrize("cells", [
    NHS, [f"{n[:3]} {n[3:6]} {n[6:]}" for n in NHS], [f"{n}.0" for n in NHS],
    ["9.43E+09", "4.01E+09", "4.51E+09", "4.85E+09"],
])
def test_nhs_numbers_in_any_form_are_refused(lsoas, cells):
    data = csv_bytes(["Ref", "LSOA code", "Value"], [(n, c, 1) for n, c in zip(cells, lsoas)])
    message = refusal("synthetic_nhs.csv", data)
    assert "column 'Ref'" in message and "NHS numbers" in message and "nothing of the file is kept" in message


def test_nhs_numbers_saved_as_numbers_in_a_workbook_are_refused(lsoas):
    def fill(book):
        ws = book.active
        ws.append(["Id", "LSOA code", "Value"])
        for n, c in zip(NHS, lsoas):
            ws.append([int(n), c, 1])
    assert "NHS numbers" in refusal("synthetic_nhs.xlsx", workbook_bytes(fill))


@pytest.mark.parametrize("dates", [
    ["03/04/85", "12/11/92", "30/06/78", "01/02/88"], ["3 Apr 1985", "12 Nov 1992", "30 June 1978", "1 Feb 1988"],
    ["Apr-85", "Nov-92", "Jun-78", "Feb-88"], ["03-Apr-85", "12-Nov-92", "30-Jun-78", "01-Feb-88"],
])
def test_dates_of_birth_beside_postcodes_are_refused(dates):
    postcodes = ["WA10 1DW", "WA9 3DA", "WA11 9BU", "WA10 3HB"]
    data = csv_bytes(["Postcode", "When", "Easting", "Northing", "Value"],
                     [(p, d, 351000, 395000, 1) for p, d in zip(postcodes, dates)])
    message = refusal("synthetic_dob.csv", data)
    assert "column 'When'" in message and "dates of birth beside postcodes" in message


PEOPLE = ["Jane Smith", "MOHAMMED ALI", "Smith, John", "Mrs Margaret O'Neil", "Mary-Jane Jones", "Peter Walsh"]


@pytest.mark.parametrize("header", ["Ref", "Who", "Label"])
def test_peoples_names_are_refused_by_their_content_under_any_header(lsoas, header):
    data = csv_bytes([header, "LSOA code", "Value"], [(n, c, 1) for n, c in zip(PEOPLE, lsoas)])
    message = refusal("synthetic_names.csv", data)
    assert f"column '{header}'" in message and "people's names" in message and "nothing of the file is kept" in message
    assert not any(name in message for name in PEOPLE)  # the refusal repeats no one's name


def test_dates_of_birth_beside_names_are_refused(lsoas):
    births = ["03/04/2019", "12/11/2020", "30/06/2021", "01/02/2022", "15/08/2019", "22/09/2020"]
    data = csv_bytes(["Child", "Date", "LSOA code", "Value"],
                     [(n, d, c, 1) for n, d, c in zip(PEOPLE, births, lsoas)])
    assert "people's names" in refusal("synthetic_names_dob.csv", data)
    renamed = csv_bytes(["Name", "Date", "LSOA code", "Value"], [("x", d, c, 1) for d, c in zip(births, lsoas)])
    assert "dates of birth beside postcodes or names" in refusal("synthetic_named_dob.csv", renamed)


@pytest.mark.parametrize("cells, what", [
    (["jane.smith@example.org", "j.walsh@example.com", "p.jones@example.net", "kim@example.org"], "e-mail addresses"),
    (["07700 900123", "01744 123456", "+44 7700 900456", "0151 123 4567"], "telephone numbers"),
])
def test_contact_details_are_refused(lsoas, cells, what):
    rows = [(x, lsoas[i % 2], 1) for i, x in enumerate(cells)]  # people, so area codes repeat
    assert what in refusal("synthetic_contacts.csv", csv_bytes(["Contact", "LSOA code", "Value"], rows))


def test_place_and_practice_names_and_practice_details_are_not_people(pack):
    practices = pack.layer("practices").dropna(subset=["ods_code"])
    rows = [(code, name, f"01744 {100000 + i}", f"0{1 + i % 28}/04/19{70 + i}", "WA10 1DW", 5000 + i)
            for i, (code, name) in enumerate(zip(practices["ods_code"], practices["name"]))]
    extra = [("N83999", "Holly Bank Surgery", "01744 1", "01/01/1990", "WA9 3DA", 1),
             ("N83998", "Dr Smith & Partners", "01744 2", "01/01/1991", "WA9 3DB", 1)]
    table = imports.read_bytes("synthetic_practices.csv", csv_bytes(
        ["Practice code", "Practice name", "Telephone", "Opened", "Postcode", "List size"], rows + extra))
    assert table.frame.shape == (len(rows) + 2, 6)


@pytest.mark.parametrize("header", ["Forename", "Surname", "Patient ID", "NHS No", "dob", "Date of Birth"])
def test_person_level_headers_are_refused(lsoas, header):
    data = csv_bytes([header, "LSOA code", "Value"], [("x", c, 1) for c in lsoas[:5]])
    assert f"column '{header}'" in refusal("synthetic_person.csv", data)


def test_aggregate_headers_that_mention_patients_are_not_refused(lsoas):
    table = imports.read_bytes("synthetic_list.csv", csv_bytes(["LSOA code", "Registered patients", "NHS England region"],
                                                               [(c, 100, "North West") for c in lsoas]))
    assert table.columns == ["LSOA code", "Registered patients", "NHS England region"]


# -- read what users have -------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])
def test_encodings_users_save_in(pack, lsoas, encoding):
    data = csv_bytes(["LSOA code", "Café visits £"], [(c, i) for i, c in enumerate(lsoas)], encoding=encoding)
    table = imports.read_bytes("synthetic_enc.csv", data)
    assert table.columns == ["LSOA code", "Café visits £"]
    assert imports.check(table, pack, imports.detect(table, pack)).can_import


def test_a_file_of_utf8_and_cp1252_lines_reads_sensibly(lsoas):
    data = "LSOA code,Café\n".encode() + f"{lsoas[0]},1\n".encode() + "Total £,2\n".encode("cp1252")
    table = imports.read_bytes("synthetic_mixed_text.csv", data)
    assert table.columns == ["LSOA code", "Café"] and table.frame.iloc[1, 0] == "Total £"


@pytest.mark.parametrize("delimiter", ["\t", ";", "|", ","])
def test_delimiters(pack, lsoas, delimiter):
    table = imports.read_bytes("synthetic_delim.txt", csv_bytes(["LSOA code", "Value"],
                                                                [(c, i) for i, c in enumerate(lsoas)], delimiter))
    assert table.columns == ["LSOA code", "Value"]
    assert imports.check(table, pack, imports.detect(table, pack)).can_import


def test_a_workbook_with_a_notes_sheet_first_reads_the_data_sheet(pack, lsoas):
    def fill(book):
        notes = book.active
        notes.title = "Notes"
        notes.append(["About this file"])
        notes.append(["Synthetic values made by a test"])
        data = book.create_sheet("Data")
        data.append(["LSOA code", "Value"])
        for i, c in enumerate(lsoas):
            data.append([c, i])
    table = imports.read_bytes("synthetic_notes.xlsx", workbook_bytes(fill))
    assert table.columns == ["LSOA code", "Value"] and "sheet 'Data'" in table.notes[0]
    assert imports.check(table, pack, imports.detect(table, pack)).can_import


def test_merged_header_cells_and_title_rows(pack, lsoas):
    def fill(book):
        ws = book.active
        ws.append(["Synthetic obesity, made by a test"])
        ws.append(["Area code", "Value", "95% CI", None])
        ws.append([None, None, "Lower", "Upper"])
        ws.merge_cells("A2:A3")
        ws.merge_cells("B2:B3")
        ws.merge_cells("C2:D2")
        for i, c in enumerate(lsoas):
            ws.append([c, 10 + i, 5 + i, 15 + i])
    table = imports.read_bytes("synthetic_merged.xlsx", workbook_bytes(fill))
    assert table.columns == ["Area code", "Value", "Lower", "Upper"]
    spec = imports.detect(table, pack)
    assert (spec.code_column, spec.value_column, spec.lower_ci_column, spec.upper_ci_column) == \
        ("Area code", "Value", "Lower", "Upper")
    result = imports.check(table, pack, spec)
    assert result.can_import and result.values["value"].iloc[0] == 10
    assert table.frame.index[0] == 4  # spreadsheet row numbers still


# -- formula-like names ---------------------------------------------------------------------------------
def test_formula_like_indicator_names_are_cleaned_or_refused(pack, lsoas):
    header = ["Area Code", "Indicator Name", "Time period", "Sex", "Value"]
    rows = [(c, '=HYPERLINK("http://x","click")', "2023/24", "Persons", 1) for c in lsoas]
    table = imports.read_bytes("synthetic_formula.csv", csv_bytes(header, rows))
    spec = imports.detect(table, pack)
    assert not spec.name.startswith("=")
    for bad in ("@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"):
        with pytest.raises(DataError, match="cannot start with"):
            imports.build(table, pack, spec.with_(name=bad))


# -- any file ----------------------------------------------------------------------------------------------
CELLS = st.sampled_from(["", "E01006802", "1", "10,5", "1.5", "9434765919", "9.43E+09", "01/02/85", "WA10 1DW",
                         "inf", "1e308", "=cmd", "x", "Area code", "Value", "\u00e9", "\t", '"'])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
       suffix=st.sampled_from([".csv", ".xlsx"]))
def test_every_refusal_names_the_file_and_every_problem_too(pack, rows, delimiter, encoding, suffix):
    name = "synthetic_any" + suffix
    if suffix == ".xlsx":
        data = workbook_bytes(lambda b: [b.active.append(r) for r in rows])
    else:
        data = "\n".join(delimiter.join(r) for r in rows).encode(encoding, errors="replace")
    try:
        table = imports.read_bytes(name, data)
    except DataError as exc:
        assert exc.message.startswith(name + ":") or exc.message.startswith(name + ",")
        assert exc.problem and "\n" not in exc.message
        return
    result = imports.check(table, pack, imports.detect(table, pack))
    for problem in result.problems:
        assert str(problem).startswith(name) and problem.problem


def test_import_check_runs_on_a_semicolon_utf16_file_from_the_command_line(tmp_path, lsoas):
    path = tmp_path / "synthetic_cli.csv"
    path.write_bytes(csv_bytes(["LSOA code", "Rate"], [(c, f"{i},5") for i, c in enumerate(lsoas)], ";", "utf-16"))
    start = time.monotonic()
    result = subprocess.run([sys.executable, "main.py", "import-check", str(path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: synthetic_cli.csv: Numbers are read with a decimal comma" in result.stdout
    assert time.monotonic() - start < 60


# -- lookups read as imports are ----------------------------------------------------------------------
@pytest.mark.parametrize("suffix, encoding, delimiter", [(".csv", "utf-8", ","), (".csv", "utf-16", ";"),
                                                         (".txt", "cp1252", "\t"), (".xlsx", None, None)])
def test_a_lookup_accepts_what_an_import_accepts(tmp_path, pack, suffix, encoding, delimiter):
    from sthc_desktop.core.localities import lookup_assignments

    lsoa = pack.layer("lsoa21")
    rows = [(c.lower(), "North" if i % 2 else "South") for i, c in enumerate(lsoa["code"])]  # lowercase codes
    path = tmp_path / f"synthetic_lookup{suffix}"
    if suffix == ".xlsx":
        path.write_bytes(workbook_bytes(lambda b: [b.active.append(r) for r in [("LSOA21CD", "Locality")] + rows]))
    else:
        path.write_bytes(csv_bytes(["LSOA21CD", "Locality"], rows, delimiter, encoding))
    got = lookup_assignments(pack, path)["lsoa21"].localities
    assert got[lsoa["code"].iloc[1]] == "North" and got[lsoa["code"].iloc[0]] == "South"


def test_a_lookup_that_is_a_named_pipe_is_refused(tmp_path, pack):
    from sthc_desktop.core.localities import lookup_assignments

    os.mkfifo(tmp_path / "lookup.csv")
    with pytest.raises(DataError, match="named pipe"):
        lookup_assignments(pack, tmp_path / "lookup.csv")


# -- other files the app reads -----------------------------------------------------------------------
def test_a_scenario_file_that_is_a_pipe_or_a_link_to_a_device_is_refused(tmp_path, pack):
    from sthc_desktop.core import scenarios

    os.mkfifo(tmp_path / "what_if.json")
    with pytest.raises(DataError, match="named pipe"):
        scenarios.read_file(tmp_path / "what_if.json", pack)
    (tmp_path / "endless.json").symlink_to("/dev/zero")
    with pytest.raises(DataError, match="it is a device"):
        scenarios.read_file(tmp_path / "endless.json", pack)


def test_a_link_to_an_endless_device_is_refused_as_an_import(tmp_path):
    (tmp_path / "endless.csv").symlink_to("/dev/urandom")
    with pytest.raises(DataError, match="it is a device, not a file"):
        imports.read_file(tmp_path / "endless.csv")


def test_a_workspace_that_is_a_pipe_is_refused(tmp_path):
    from sthc_desktop.core import workspace

    os.mkfifo(tmp_path / "plan.sthc")
    with pytest.raises(DataError, match="named pipe"):
        workspace.load(tmp_path / "plan.sthc")


def test_a_workbook_hiding_its_size_is_still_bounded():
    """The same far cell, with the sheet's declared dimension removed."""
    import re as regex

    data = workbook_bytes(lambda b: [b.active.append(["LSOA code", "Value"]), b.active.__setitem__("XFD1048576", 1)])
    stripped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                part = regex.sub(rb"<dimension[^>]*/>", b"", part)
            zout.writestr(info, part)
    assert "has a cell beyond column 1,000" in refusal("synthetic_hidden.xlsx", stripped.getvalue())


# -- through the menu, as a user meets them ----------------------------------------------------------------
@pytest.mark.parametrize("make", ["pipe", "nhs"])
def test_file_import_refuses_a_pipe_or_patient_file_in_the_dialog_and_keeps_nothing(qtbot, isolated_settings,
                                                                                   tmp_path, monkeypatch, make):
    from PySide6.QtCore import Qt

    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    from sthc_desktop.core.view import MapView
    from sthc_desktop.ui import import_dialog
    from sthc_desktop.ui.main_window import MainWindow

    from conftest import BUNDLED_PACK

    window = MainWindow(Planner(DataPack(BUNDLED_PACK)), MapView(), restore=False)
    qtbot.addWidget(window)
    path = tmp_path / "synthetic_refused.csv"
    if make == "pipe":
        os.mkfifo(path)
    else:
        path.write_bytes(csv_bytes(["Ref", "LSOA code", "Value"], [(n, "E01006802", 1) for n in NHS]))
    seen = {}

    def answer(dialog):
        dialog.set_path(path)
        seen["problem"] = dialog.problems.item(0, 2).text()
        seen["can_import"] = dialog.import_button.isEnabled()
        qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
        return dialog.result()
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", answer)
    before = len(window.model.planner.pack.catalogue)
    next(a for a in window.menuBar().actions()[0].menu().actions() if a.text().startswith("&Import")).trigger()
    assert ("named pipe" if make == "pipe" else "NHS numbers") in seen["problem"]
    assert not seen["can_import"] and window.model.imports == [] and len(window.model.planner.pack.catalogue) == before


# -- at full scale, in a process of its own: each ends in one line, within 10 s and 1 GB -----------------
_CHECK_EACH = """
import contextlib, io, json, sys, time
from sthc_desktop.cli import main
for path in sys.argv[1:]:
    out, started = io.StringIO(), time.monotonic()
    with contextlib.redirect_stdout(out):
        code = main(["import-check", path])
    print(json.dumps([path, code, out.getvalue().splitlines(), time.monotonic() - started]), flush=True)
# Peak resident memory in kB: this process's own high-water mark. Not getrusage's ru_maxrss, which on
# Linux also carries the forking parent's size (the whole test run's, by the end of the suite).
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def test_the_worst_files_at_full_scale_end_in_one_line_within_10_s_and_1_gb(tmp_path):
    import json

    from sthc_desktop.core.datapack import DataPack

    from conftest import BUNDLED_PACK

    def bomb(path):  # a real zip bomb: 300 MB of one byte, a few hundred kB packed
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("xl/worksheets/sheet1.xml", "w",
                                                                            force_zip64=True) as part:
            for _ in range(300):
                part.write(b"\0" * (1 << 20))
    made = {
        "synthetic_xfd.xlsx": lambda p: p.write_bytes(workbook_bytes(lambda b: b.active.__setitem__("XFD1048576", 1))),
        "synthetic_bomb.xlsx": bomb,
        "synthetic_millions.csv": lambda p: p.write_bytes(b"LSOA code,Value\n" + b"E01006802,1\n" * 4_000_000),
        "synthetic_line.csv": lambda p: p.write_bytes(b"a," * (5 << 20)),
        "synthetic_header.csv": lambda p: p.write_bytes(",".join(["x"] * 240_000).encode() + b"\n1\n"),
        "synthetic_pipe.csv": os.mkfifo,
        "synthetic_zero.csv": lambda p: p.symlink_to("/dev/zero"),
        "synthetic_big.csv": lambda p: p.write_bytes(b"a" * (60 << 20)),
    }
    for name, make in made.items():
        make(tmp_path / name)
    codes = sorted(DataPack(BUNDLED_PACK).layer("lsoa21")["code"])
    good = tmp_path / "synthetic_300k_rows.csv"  # and a large file that is fine imports within the same bounds
    good.write_bytes(csv_bytes(["LSOA code", "Value", "Year"],
                               [(codes[i % len(codes)], i % 97, 1000 + i // len(codes)) for i in range(300_000)]))
    child = subprocess.Popen([sys.executable, "-c", _CHECK_EACH, *(str(tmp_path / n) for n in made), str(good)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = child.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    assert "Traceback" not in stderr
    *results, (_, code, lines, _), peak_kb = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0 and lines[-1].startswith("synthetic_300k_rows.csv: can be imported")
    assert [Path(r[0]).name for r in results] == list(made)
    for path, code, lines, seconds in results:
        assert code == 1 and len(lines) == 1 and Path(path).name in lines[0], (path, lines)
        assert seconds < 10, (path, seconds)
    assert peak_kb < 1 << 20, f"peak memory {peak_kb / 1024:.0f} MB"
