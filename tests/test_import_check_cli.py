"""``python main.py import-check``: one problem per line, exit 1 if the file cannot be imported, 0 if it can."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sthc_desktop.cli import main

from conftest import ROOT, write_csv


@pytest.fixture
def lsoa21_codes(pack):
    return sorted(pack.layer("lsoa21")["code"])


def test_a_good_file_exits_0_with_a_summary(tmp_path, lsoa21_codes, capsys):
    path = write_csv(tmp_path / "synthetic_good.csv", ["LSOA code", "Rate"], [(c, 3.5) for c in lsoa21_codes])
    assert main(["import-check", str(path), "--level", "lsoa21"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["synthetic_good.csv: can be imported as LSOA 2021: 121 LSOA 2021 areas with values from column "
                   "'Rate' (area codes in 'LSOA code')"]


def test_each_problem_on_its_own_line_and_exit_1(tmp_path, lsoa21_codes, capsys):
    rows = [[c, "1"] for c in lsoa21_codes]
    rows[0] = ["E01999999", "1"]
    rows[1][1] = "lots"
    rows[2][1] = "-2"
    rows[3] = [lsoa21_codes[4], "5"]
    path = write_csv(tmp_path / "synthetic_bad.csv", ["LSOA code", "Rate"], rows)
    assert main(["import-check", str(path), "--level", "lsoa21", "--value-column", "Rate"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert "synthetic_bad.csv, row 2, column 'LSOA code': unknown area code 'E01999999' (not a St Helens LSOA 2021)" \
        in lines
    assert "synthetic_bad.csv, row 3, column 'Rate': not a number: 'lots'" in lines
    assert "synthetic_bad.csv, row 4, column 'Rate': negative value -2" in lines
    assert "synthetic_bad.csv, row 6, column 'LSOA code': duplicate: " + lsoa21_codes[4] + " already given in row 5" \
        in lines
    assert lines[-1] == "synthetic_bad.csv: cannot be imported (4 problems)"


def test_wrong_level_and_vintage(tmp_path, pack, capsys):
    rows = [(c, 1) for c in sorted(pack.layer("lsoa11")["code"])]
    path = write_csv(tmp_path / "synthetic_2011.csv", ["LSOA code", "Value"], rows)
    assert main(["import-check", str(path), "--level", "lsoa21"]) == 1
    out = capsys.readouterr().out
    assert "LSOA 2011 code E01006865 where LSOA 2021 codes are expected; the ONS 2011→2021 lookup splits it" in out
    assert main(["import-check", str(path), "--level", "lsoa21", "--convert-2011"]) == 0
    assert main(["import-check", str(path), "--level", "msoa"]) == 1
    assert "wrong level: E01006802 is an LSOA 2011 code, not an MSOA code" in capsys.readouterr().out


def test_patient_data_and_unreadable_files_exit_1(tmp_path, capsys):
    path = write_csv(tmp_path / "synthetic_dob.csv", ["Date of birth", "Value"], [("01/02/1960", 1)])
    assert main(["import-check", str(path), "--level", "lsoa21"]) == 1
    assert "column 'Date of birth': looks like dates of birth" in capsys.readouterr().out
    assert main(["import-check", str(tmp_path / "missing.csv"), "--level", "ward"]) == 1
    assert "missing.csv: cannot be read" in capsys.readouterr().out


def test_through_main_py(tmp_path, pack):
    rows = [(c, 2) for c in sorted(pack.layer("wards")["code"])]
    path = write_csv(tmp_path / "synthetic_ward.csv", ["Ward code", "Value"], rows)
    done = subprocess.run([sys.executable, "main.py", "import-check", str(path), "--level", "ward"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "can be imported as ward (2022): 121 LSOA 2021 areas" in done.stdout
    bad = subprocess.run([sys.executable, "main.py", "import-check", str(path), "--level", "practice"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "wrong level: E05014120 is a ward (2022) code" in bad.stdout
