"""A missing or malformed source stops the build with one clear line naming the file and
the problem, never a traceback. Each test breaks one file in a mirror of ../shared/data."""

from __future__ import annotations

import gzip
import subprocess
import sys


from conftest import ROOT, SHARED_DATA, needs_shared_data, swap_source

pytestmark = needs_shared_data


def build(mirror, tmp_path):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "build-geodata", "--source", str(mirror),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)


def assert_one_line_error(result, *needles):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_truncated_gzip_csv(source_mirror, tmp_path):
    rel = "indicators/iod2019_file2_domain_ranks_deciles_lsoa11_england.csv.gz"
    raw = (SHARED_DATA / rel).read_bytes()
    swap_source(source_mirror, rel, raw[: len(raw) // 3])
    line = assert_one_line_error(build(source_mirror, tmp_path), "iod2019_file2", "cannot be read as CSV")
    assert not (tmp_path / "out" / "st_helens.gpkg").exists()
    assert line.startswith("error: ")


def test_truncated_plain_csv_is_caught_by_the_counts(source_mirror, tmp_path):
    rel = "indicators/st_helens_census2021_disability_lsoa21.csv"
    lines = (SHARED_DATA / rel).read_text().splitlines()
    swap_source(source_mirror, rel, ("\n".join(lines[:100])).encode())
    assert_one_line_error(build(source_mirror, tmp_path), "st_helens_census2021_disability_lsoa21.csv",
                          "no row for St Helens LSOA 2021")


def test_missing_column(source_mirror, tmp_path):
    rel = "practices/planning_map_keys.csv"
    text = (SHARED_DATA / rel).read_text().replace("planning_name", "practice")
    swap_source(source_mirror, rel, text.encode())
    assert_one_line_error(build(source_mirror, tmp_path), "planning_map_keys.csv", "missing column 'planning_name'")


def test_duplicated_lsoa_code(source_mirror, tmp_path):
    rel = "geography/st_helens_lookup_lsoa11_msoa11_ward17_lad21.csv"
    lines = (SHARED_DATA / rel).read_text().splitlines()
    swap_source(source_mirror, rel, ("\n".join(lines + [lines[5]]) + "\n").encode())
    code = lines[5].split(",")[0]
    line = assert_one_line_error(build(source_mirror, tmp_path), "st_helens_lookup_lsoa11_msoa11_ward17_lad21.csv",
                                 f"duplicated lsoa11cd '{code}'")
    assert f"row {len(lines) + 1}" in line


def test_non_numeric_value_names_row_and_column(source_mirror, tmp_path):
    rel = "indicators/qof_obesity_register_by_practice_2013_14_to_2024_25_england.csv.gz"
    with gzip.open(SHARED_DATA / rel, "rt") as fh:
        lines = fh.read().splitlines()
    parts = lines[3].split(",")
    parts[3] = "lots"
    lines[3] = ",".join(parts)
    swap_source(source_mirror, rel, gzip.compress(("\n".join(lines) + "\n").encode()))
    assert_one_line_error(build(source_mirror, tmp_path), "qof_obesity_register", "row 4", "'register'",
                          "'lots' is not a number")


def test_corrupt_geopackage(source_mirror, tmp_path):
    rel = "geography/st_helens_lsoa21_bgc.gpkg"
    raw = (SHARED_DATA / rel).read_bytes()
    swap_source(source_mirror, rel, b"this is not sqlite" + raw[4096:8192])
    assert_one_line_error(build(source_mirror, tmp_path), "st_helens_lsoa21_bgc.gpkg", "not a readable GeoPackage")


def test_missing_file(source_mirror, tmp_path):
    (source_mirror / "plan" / "strategic_plan_key_measures.csv").unlink()
    assert_one_line_error(build(source_mirror, tmp_path), "strategic_plan_key_measures.csv", "source file is missing")
