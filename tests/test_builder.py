"""The data-pack builder on the real official files: counts, provenance, determinism,
and values checked against the source rows themselves."""

from __future__ import annotations

import json

import pandas as pd
import pyogrio
import pytest

from conftest import BUNDLED_PACK, SHARED_DATA, needs_shared_data

pytestmark = needs_shared_data


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    from sthc_desktop.builder import build_pack
    from sthc_desktop.core.datapack import DataPack
    out = tmp_path_factory.mktemp("pack")
    return DataPack(build_pack(SHARED_DATA, out))


def test_rebuild_reproduces_the_committed_pack(rebuilt, pack):
    layers = [name for name, _ in pyogrio.list_layers(BUNDLED_PACK)]
    assert sorted(layers) == sorted(name for name, _ in pyogrio.list_layers(rebuilt.path))
    for name in layers:
        committed = pyogrio.read_dataframe(BUNDLED_PACK, layer=name)
        fresh = pyogrio.read_dataframe(rebuilt.path, layer=name)
        pd.testing.assert_frame_equal(committed, fresh, check_like=False, obj=name)
    committed_manifest = json.loads(BUNDLED_PACK.with_name("st_helens.manifest.json").read_text())
    fresh_manifest = json.loads(rebuilt.path.with_name("st_helens.manifest.json").read_text())
    assert committed_manifest == fresh_manifest


def test_counts(rebuilt):
    assert len(rebuilt.layer("lsoa11")) == 119
    assert len(rebuilt.layer("lsoa21")) == 121
    assert len(rebuilt.layer("msoa11")) == 23 and len(rebuilt.layer("msoa21")) == 24
    assert len(rebuilt.layer("wards")) == 18
    assert sorted(rebuilt.practices["map_key"].dropna().astype(int)) == list(range(1, 34))
    assert list(rebuilt.networks["network"]) == ["Central", "Newton & Haydock", "North", "South"]
    assert set(rebuilt.layer("neighbours")["name"]) == {"Knowsley", "Wigan", "Halton", "Warrington",
                                                         "West Lancashire"}
    for layer in ("lsoa11", "lsoa21", "practices", "wards", "borough"):
        assert rebuilt.layer(layer).crs.to_epsg() == 27700


def test_practices_follow_the_plan_and_say_what_changed(rebuilt):
    p = rebuilt.practices.set_index("map_key")
    keys = pd.read_csv(SHARED_DATA / "practices" / "planning_map_keys.csv").set_index("map_key")
    for key, row in keys.iterrows():
        assert p.loc[key, "plan_name"] == row["planning_name"]
        assert p.loc[key, "network"] == row["network"]
    # Map key 31 has no ODS match: kept, flagged, no point.
    assert p.loc[31, "status"] == "unmatched" and p.loc[31, "geometry"] is None
    # Closed and dormant practices as ODS records them.
    assert p.loc[12, "status"] == "closed" and p.loc[12, "closed_date"] == "2025-06-30"
    assert p.loc[9, "status"] == "dormant"
    extra = rebuilt.practices[rebuilt.practices["map_key"].isna()]
    assert list(extra["ods_code"]) == ["N83008"]
    assert not extra["in_plan"].iloc[0] and extra["network"].iloc[0] == "South"


def test_imd_values_equal_the_official_files(rebuilt):
    file2 = pd.read_csv(SHARED_DATA / "indicators" / "iod2019_file2_domain_ranks_deciles_lsoa11_england.csv.gz",
                        encoding="utf-8-sig").set_index("LSOA code (2011)")
    scores = pd.read_csv(SHARED_DATA / "indicators" /
                         "iod2019_scores_imd_income_employment_lsoa11_england.csv.gz").set_index("lsoa11_code")
    values = rebuilt.values
    for code in ["E01006802", "E01006877", "E01006909", "E01006865", "E01033017"][:4]:
        got = values[(values["area_code"] == code) & (values["area_type"] == "lsoa11")].set_index("indicator_id")
        assert got.loc["iod19_imd_score", "value"] == pytest.approx(
            scores.loc[code, "Index of Multiple Deprivation (IMD) Score"])
        assert got.loc["iod19_imd_rank", "value"] == file2.loc[
            code, "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]
        assert got.loc["iod19_imd_decile", "value"] == file2.loc[
            code, "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"]


def test_iod2025_on_its_own_boundaries(rebuilt):
    official = pd.read_csv(SHARED_DATA / "indicators" / "st_helens_iod2025_lsoa21.csv").set_index("lsoa21_code")
    got = rebuilt.indicator_values("iod25_imd_score", "lsoa21").set_index("area_code")["value"]
    assert len(got) == 121
    for code in official.index[:10]:
        assert got[code] == pytest.approx(official.loc[code, "IMD_score"])
    assert rebuilt.indicator_values("iod25_imd_score", "lsoa11").empty


def test_qof_obesity_numerators_and_denominators_equal_the_source_rows(rebuilt):
    qof = pd.read_csv(SHARED_DATA / "indicators" / "st_helens_gp_obesity_qof_register_2013_14_to_2024_25.csv")
    qof = qof.dropna(subset=["register"])
    got = rebuilt.indicator_values("qof_obesity", "practice").set_index(["area_code", "period"])
    checked = 0
    for r in qof.itertuples():
        if r.practice_code not in set(rebuilt.practices["ods_code"].dropna()):
            continue
        row = got.loc[(r.practice_code, r.year)]
        assert row["numerator"] == r.register
        assert row["denominator"] == r.practice_list_size
        assert row["lower_ci"] < row["value"] < row["upper_ci"]
        checked += 1
    assert checked > 300
    england = rebuilt.indicator_values("qof_obesity", "england")
    assert list(england["period"]) == sorted(set(qof["year"]))


def test_every_dataset_cites_its_files_and_licence(rebuilt):
    for key, ds in rebuilt.datasets.items():
        assert ds.publisher and ds.licence and ds.attribution and ds.period, key
        assert ds.files, f"{key} lists no source file"
        for f in ds.files:
            assert len(f["sha256"]) == 64 and (SHARED_DATA / f["path"]).is_file()
    assert "Open Government Licence v3.0" in rebuilt.datasets["iod2019"].attribution
    assert "Crown copyright" in rebuilt.datasets["ons_boundaries"].attribution


def test_default_assignment_is_the_best_validated_method(rebuilt):
    for vintage in ("lsoa11", "lsoa21"):
        localities = rebuilt.layer(vintage)["locality"]
        assert localities.notna().all()
        assert set(localities) == {"Central", "Newton & Haydock", "North", "South"}
    best = rebuilt.info["best_method"]
    assert rebuilt.info["assignment_method"] == best
    assert rebuilt.info["assignment_statement"].lower().startswith(best)
    # The practice's own LSOA belongs to its network (Rainford Health Centre, North).
    lsoa = pd.read_csv(SHARED_DATA / "practices" / "sthelens_practices.csv").set_index("ods_code")
    code = lsoa.loc["N83041", "practice_lsoa21"]
    l21 = rebuilt.layer("lsoa21").set_index("code")
    assert l21.loc[code, "locality"] == "North"
