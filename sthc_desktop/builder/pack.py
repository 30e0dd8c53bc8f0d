"""Build the St Helens data pack from the official files in ``../shared/data``.

``build_pack(source, out)`` reads the boundaries, lookups, practices and indicator files
named in each folder's PROVENANCE.md, derives only what METHODS.md allows (sums,
ratios of sums, population-weighted means, Wilson intervals, nearest-practice
assignment, estimated registrations), checks the result and writes ``st_helens.gpkg`` and ``st_helens.manifest.json``.
The same sources always give the same content: rows are sorted and no build time is stored.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import ExitStack
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import Transformer

from sthc_desktop.core import localities as loc
from sthc_desktop.core.datapack import (AREA_TYPES, BOROUGH_CODE, ENGLAND_CODE, ENGLAND_LAYER,
                                        ENGLAND_OVERVIEW, PACK_FORMAT,
                                        VALUE_COLUMNS)
from sthc_desktop.core.errors import SourceError
from sthc_desktop.core.files import WriteError, atomic_path, check_target
from sthc_desktop.core.rings import RINGS_COLUMNS, RINGS_TABLE
from sthc_desktop.core.stats import wilson_interval
from sthc_desktop.core.vocabulary import Aggregation, Geography, Polarity, ValueType

from . import catalogue as cat
from . import catchments, england, regions
from .sources import Sources, manifest_checksums, numeric

PACK_NAME = "st_helens"
EXPECTED = {"lsoa11": 119, "lsoa21": 121, "map_keys": 33, "networks": 4}

GEO = "geography/"
IND = "indicators/"
PRA = "practices/"


class _Collector:
    """Gathers catalogue rows and their values as the sources are read."""

    def __init__(self):
        self.catalogue: list[dict] = []
        self.values: list[pd.DataFrame] = []
        self.dataset_files: dict[str, list[str]] = {k: [] for k in cat.DATASETS}

    def uses(self, dataset: str, *files: str):
        for f in files:
            if f not in self.dataset_files[dataset]:
                self.dataset_files[dataset].append(f)

    def add(self, meta: dict, area_type: str, codes, period: str, value, numerator=None,
            denominator=None, lower=None, upper=None):
        if not any(row["id"] == meta["id"] for row in self.catalogue):
            self.catalogue.append(meta)
        n = len(codes)

        def col(x):
            return np.full(n, np.nan) if x is None else np.asarray(x, dtype="float64")

        frame = pd.DataFrame({
            "indicator_id": meta["id"], "area_type": area_type, "area_code": np.asarray(codes, dtype=object),
            "period": period, "value": col(value), "numerator": col(numerator),
            "denominator": col(denominator), "lower_ci": col(lower), "upper_ci": col(upper),
        })
        self.values.append(frame.dropna(subset=["value"]))


# ---------------------------------------------------------------- geography

def read_geography(src: Sources, out: _Collector) -> dict[str, gpd.GeoDataFrame]:
    f_l11, f_l21 = GEO + "st_helens_lsoa11_bgc.gpkg", GEO + "st_helens_lsoa21_bgc.gpkg"
    f_m11, f_m21 = GEO + "st_helens_msoa11_bgc.gpkg", GEO + "st_helens_msoa21_bgc.gpkg"
    f_w22, f_lad = GEO + "st_helens_wards2022_bgc.gpkg", GEO + "st_helens_lad21_bgc.gpkg"
    f_nb = GEO + "lad24_bsc_st_helens_and_neighbours.gpkg"
    f_k11 = GEO + "st_helens_lookup_lsoa11_msoa11_ward17_lad21.csv"
    f_k21 = GEO + "st_helens_lookup_lsoa21_msoa21_ward24_lad24.csv"
    f_k1121 = GEO + "st_helens_lookup_lsoa11_lsoa21.csv"

    lsoa11 = src.layer(f_l11, "lsoa11", ["lsoa11cd", "lsoa11nm"])
    lsoa21 = src.layer(f_l21, "lsoa21", ["lsoa21cd", "lsoa21nm"])
    msoa11 = src.layer(f_m11, "msoa11", ["msoa11cd", "msoa11nm", "msoa11hclnm"])
    msoa21 = src.layer(f_m21, "msoa21", ["msoa21cd", "msoa21nm"])
    wards = src.layer(f_w22, "wards2022", ["wd22cd", "wd22nm"])
    borough = src.layer(f_lad, "lad21", ["lad21cd", "lad21nm"])
    neighbours = src.layer(f_nb, "lad24", ["lad24cd", "lad24nm"])
    k11 = src.csv(f_k11, ["lsoa11cd", "msoa11cd", "msoa11hclnm", "wd17cd", "wd17nm"], key="lsoa11cd")
    k21 = src.csv(f_k21, ["lsoa21cd", "msoa21cd", "msoa21nm", "wd24cd", "wd24nm"], key="lsoa21cd")
    k1121 = src.csv(f_k1121, ["lsoa11cd", "lsoa21cd", "chgind"])
    out.uses("ons_boundaries", f_l11, f_l21, f_m11, f_m21, f_w22, f_lad, f_nb)
    out.uses("ons_lookups", f_k11, f_k21, f_k1121)

    for name, frame, col in (("LSOA 2011", lsoa11, "lsoa11cd"), ("LSOA 2021", lsoa21, "lsoa21cd")):
        _check_unique(frame, col, f_l11 if "2011" in name else f_l21, src)

    l11 = lsoa11[["lsoa11cd", "lsoa11nm", "geometry"]].merge(
        k11[["lsoa11cd", "msoa11cd", "msoa11hclnm", "wd17cd", "wd17nm"]], on="lsoa11cd", how="left")
    l11 = l11.rename(columns={"lsoa11cd": "code", "lsoa11nm": "name", "msoa11cd": "msoa_code",
                              "msoa11hclnm": "msoa_name", "wd17cd": "ward_code", "wd17nm": "ward_name"})
    l21 = lsoa21[["lsoa21cd", "lsoa21nm", "geometry"]].merge(
        k21[["lsoa21cd", "msoa21cd", "msoa21nm", "wd24cd", "wd24nm"]], on="lsoa21cd", how="left")
    l21 = l21.rename(columns={"lsoa21cd": "code", "lsoa21nm": "name", "msoa21cd": "msoa_code",
                              "msoa21nm": "msoa_name", "wd24cd": "ward_code", "wd24nm": "ward_name"})
    # The 2011 -> 2021 change (U unchanged, S split) travels with each 2021 LSOA.
    change = k1121.drop_duplicates("lsoa21cd").set_index("lsoa21cd")
    l21["lsoa11_code"] = l21["code"].map(change["lsoa11cd"])
    l21["change_2011"] = l21["code"].map(change["chgind"])

    for frame, path in ((l11, f_k11), (l21, f_k21)):
        missing = frame[frame["msoa_code"].isna()]
        if len(missing):
            raise SourceError(src.root / path, f"no lookup row for LSOA {missing['code'].iloc[0]}")

    msoa11 = msoa11.rename(columns={"msoa11cd": "code", "msoa11nm": "name", "msoa11hclnm": "local_name"})
    msoa21 = msoa21.rename(columns={"msoa21cd": "code", "msoa21nm": "name"})
    wards = wards.rename(columns={"wd22cd": "code", "wd22nm": "name"})[["code", "name", "geometry"]]
    borough = borough.rename(columns={"lad21cd": "code", "lad21nm": "name"})[["code", "name", "geometry"]]
    neighbours = neighbours.rename(columns={"lad24cd": "code", "lad24nm": "name"})
    neighbours = neighbours[neighbours["code"] != BOROUGH_CODE][["code", "name", "geometry"]]
    layers = {"lsoa11": l11, "lsoa21": l21, "msoa11": msoa11[["code", "name", "local_name", "geometry"]],
              "msoa21": msoa21[["code", "name", "geometry"]], "wards": wards, "borough": borough,
              "neighbours": neighbours}
    return {k: gpd.GeoDataFrame(v.sort_values("code").reset_index(drop=True), geometry="geometry",
                                crs="EPSG:27700") for k, v in layers.items()}


def _check_unique(frame, column, relative, src):
    dup = frame[column].duplicated()
    if dup.any():
        code = frame.loc[dup, column].iloc[0]
        raise SourceError(src.root / relative, f"duplicated {column} '{code}'")


# ---------------------------------------------------------------- practices

STATUS = {"ACTIVE": "active", "DORMANT": "dormant", "INACTIVE": "closed"}


def read_practices(src: Sources, out: _Collector) -> gpd.GeoDataFrame:
    f_keys, f_prac = PRA + "planning_map_keys.csv", PRA + "sthelens_practices.csv"
    keys = src.csv(f_keys, ["map_key", "planning_name", "network", "ods_code"], key="map_key")
    prac = src.csv(f_prac, ["ods_code", "name", "address", "postcode", "ods_status_2026", "ods_close_date",
                            "latitude", "longitude", "easting_cpo2014", "northing_cpo2014", "pcn_name",
                            "pcn_member_end", "list_size", "list_size_date", "list_size_2021_01_01",
                            "list_size_2026_04_01", "notes"], key="ods_code")
    out.uses("nhs_practices", f_keys, f_prac)
    keys_path, prac_path = src.root / f_keys, src.root / f_prac

    bad = keys[~keys["network"].isin(loc.NETWORKS)]
    if len(bad):
        raise SourceError(keys_path, f"unknown network '{bad['network'].iloc[0]}'",
                          row=int(bad.index[0]) + 2, column="network")
    prac["network_now"] = prac["pcn_name"].map(loc.PCN_NAME_TO_NETWORK)
    # Practices in one of the four PCNs today: membership has not ended.
    in_pcn = prac["network_now"].notna() & prac["pcn_member_end"].isna()
    status = prac["ods_status_2026"].map(STATUS)
    if status.isna().any():
        row = int(status.isna().to_numpy().nonzero()[0][0])
        raise SourceError(prac_path, f"unknown ODS status '{prac['ods_status_2026'].iloc[row]}'",
                          row=row + 2, column="ods_status_2026")
    prac["status"] = status
    close = pd.to_numeric(prac["ods_close_date"], errors="coerce")
    prac["closed_date"] = [f"{int(d) // 10000:04d}-{int(d) // 100 % 100:02d}-{int(d) % 100:02d}"
                           if pd.notna(d) else None for d in close]

    # Points: the ONSPD postcode centroid (WGS84) projected to BNG; Code-Point Open where that is missing.
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    lat = numeric(prac, "latitude", prac_path)
    lon = numeric(prac, "longitude", prac_path)
    x, y = to_bng.transform(lon.to_numpy(), lat.to_numpy())
    x = np.where(np.isfinite(x), x, numeric(prac, "easting_cpo2014", prac_path))
    y = np.where(np.isfinite(y), y, numeric(prac, "northing_cpo2014", prac_path))
    prac["x"], prac["y"] = np.round(x, 1), np.round(y, 1)

    merged = keys.merge(prac, on="ods_code", how="left", indicator=True)
    unmatched = merged[(merged["_merge"] == "left_only") & merged["ods_code"].notna()]
    if len(unmatched):
        raise SourceError(prac_path, f"map key {unmatched['map_key'].iloc[0]}'s practice "
                          f"{unmatched['ods_code'].iloc[0]} is not in the practice table")
    extra = prac[in_pcn & ~prac["ods_code"].isin(keys["ods_code"].dropna())]
    rows = []
    for _, r in merged.iterrows():
        matched = pd.notna(r["ods_code"])
        rows.append(_practice_row(r, map_key=int(r["map_key"]), plan_name=r["planning_name"],
                                  network=r["network"], matched=matched))
    for _, r in extra.iterrows():
        rows.append(_practice_row(r, map_key=None, plan_name=None, network=r["network_now"], matched=True))
    frame = pd.DataFrame(rows)
    # "(now …)" is shown only for a rename the practice changes timeline records, not for the plan's
    # informal names.
    f_changes = PRA + "sthelens_practice_changes.csv"
    changes = src.csv(f_changes, ["date", "ods_code", "name", "event"])
    out.uses("nhs_practices", f_changes)
    renamed = set(changes.loc[changes["event"].str.contains("renamed", na=False), "ods_code"].dropna())
    frame["renamed"] = frame["ods_code"].isin(renamed)
    geometry = gpd.points_from_xy(frame.pop("x"), frame.pop("y"))
    practices = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:27700")
    practices.loc[practices["x_missing"], "geometry"] = None
    practices = practices.drop(columns="x_missing")
    practices["map_key"] = practices["map_key"].astype("Int64")
    return practices.sort_values(["map_key", "ods_code"], na_position="last").reset_index(drop=True)


def _practice_row(r, *, map_key, plan_name, network, matched: bool) -> dict:
    if not matched:
        return {"map_key": map_key, "ods_code": None, "plan_name": plan_name, "name": None,
                "network": network, "in_plan": True, "status": "unmatched", "closed_date": None,
                "flag": "No ODS practice matches this name in the plan; shown in the key, not on the map.",
                "address": None, "postcode": None, "list_size": np.nan, "list_size_date": None,
                "list_size_2021": np.nan, "list_size_2026": np.nan, "x": 0.0, "y": 0.0, "x_missing": True}
    if map_key is None:
        flag = "In the network today but not on the strategic plan's locality map."
    elif r["status"] != "active":
        closed = r["closed_date"] if isinstance(r["closed_date"], str) else None
        flag = f"{r['status'].capitalize()} since the plan" + (f" (closed {closed})" if closed else "") + "."
    else:
        flag = ""
    return {"map_key": map_key, "ods_code": r["ods_code"], "plan_name": plan_name,
            "name": _title(r["name"]), "network": network, "in_plan": map_key is not None,
            "status": r["status"], "closed_date": r["closed_date"], "flag": flag,
            "address": _title(r["address"]), "postcode": r["postcode"],
            "list_size": float(r["list_size"]) if pd.notna(r["list_size"]) else np.nan,
            "list_size_date": r["list_size_date"] if pd.notna(r["list_size_date"]) else None,
            "list_size_2021": r["list_size_2021_01_01"], "list_size_2026": r["list_size_2026_04_01"],
            "x": r["x"], "y": r["y"], "x_missing": bool(pd.isna(r["x"]))}


def _title(text):
    """ODS names are upper case; show them as people write them ("St Helens", "Dr Rahil's")."""
    if not isinstance(text, str):
        return None
    words = []
    for word in text.split():
        low = word.lower()
        word = low.capitalize() if low not in {"and", "of"} else low
        words.append(word.replace("'S", "'s"))
    out = " ".join(words)
    for a, b in (("Macrae", "MacRae"), ("Med Ctre", "Medical Centre"), ("Med.ctr.", "Medical Centre"),
                 ("Med Centre", "Medical Centre"), ("Ctr.", "Centre")):
        out = out.replace(a, b)
    return out


# ---------------------------------------------------------------- deprivation

def read_iod2019(src: Sources, out: _Collector, codes: pd.Index) -> pd.DataFrame:
    """Add the IoD2019 indicators for ``codes``; return the national frame (one row per England LSOA)."""
    f2 = IND + "iod2019_file2_domain_ranks_deciles_lsoa11_england.csv.gz"
    fs = IND + "iod2019_scores_imd_income_employment_lsoa11_england.csv.gz"
    f4 = IND + "iod2019_subdomain_ranks_deciles_lsoa11_england.csv.gz"
    f6 = IND + "iod2019_file6_population_denominators_lsoa11_england.csv.gz"
    f8 = IND + "iod2019_file8_underlying_indicators_lsoa11_england.csv.gz"
    code = "LSOA code (2011)"
    rank_col = "{} Rank (where 1 is most deprived)"
    dec_col = "{} Decile (where 1 is most deprived 10% of LSOAs)"
    domain_cols = [c.format(d[1]) for d in cat.IOD19_DOMAINS for c in (rank_col, dec_col)]
    file2 = src.csv(f2, [code] + domain_cols, key=code)
    scores = src.csv(fs, ["lsoa11_code", "Index of Multiple Deprivation (IMD) Score", "Income Score (rate)",
                          "Employment Score (rate)"], key="lsoa11_code")
    sub_cols = [f"{s[1]}_{k}" for s in cat.IOD_SUBDOMAINS for k in ("rank", "decile")]
    file4 = src.csv(f4, ["lsoa11_code"] + sub_cols, key="lsoa11_code")
    pop_col = "Total population: mid 2015 (excluding prisoners)"
    work_col = "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)"
    file6 = src.csv(f6, [code, pop_col, work_col], key=code)
    health = ["acute_morbidity_indicator", "comparative_illness_and_disability_ratio_indicator",
              "years_of_potential_life_lost_indicator", "mood_and_anxiety_disorders_indicator"]
    file8 = src.csv(f8, ["lsoa11_code", "income_domain_numerator", "employment_domain_numerator"] + health,
                    key="lsoa11_code")
    out.uses("iod2019", f2, fs, f4, f6, f8)

    # One national frame on LSOA 2011 codes: England values need every LSOA, St Helens its 119.
    nat = file2.rename(columns={code: "code"})
    for c in domain_cols:
        nat[c] = numeric(nat, c, src.root / f2)
    nat = nat.merge(scores.rename(columns={"lsoa11_code": "code"}), on="code", how="left")
    nat = nat.merge(file4.rename(columns={"lsoa11_code": "code"}), on="code", how="left")
    f6n = file6.rename(columns={code: "code"})
    f6n["pop2015"] = numeric(f6n, pop_col, src.root / f6)
    f6n["work2015"] = numeric(f6n, work_col, src.root / f6)
    nat = nat.merge(f6n[["code", "pop2015", "work2015"]], on="code", how="left")
    nat = nat.merge(file8.rename(columns={"lsoa11_code": "code"}), on="code", how="left")
    _require_codes(codes, nat["code"], src.root / f2, "LSOA 2011")
    local = nat.set_index("code").loc[codes]
    period = "IoD2019"
    weight_id = "iod19_population_2015"

    population = cat.indicator(id=weight_id, name="Population mid-2015, excluding prisoners (IoD2019 denominator)",
                               short_name="Population 2015", theme="Population", unit="people",
                               polarity=Polarity.NO_JUDGEMENT, geography=Geography.LSOA11, dataset="iod2019",
                               value_type=ValueType.COUNT, aggregation=Aggregation.SUM,
                               caveats="The population MHCLG used for IoD2019 rates and local-authority summaries.")
    out.add(population, "lsoa11", codes, "mid-2015", local["pop2015"])
    out.add(population, "england", [ENGLAND_CODE], "mid-2015", [nat["pop2015"].sum()])

    score = numeric(local.reset_index(), "Index of Multiple Deprivation (IMD) Score", src.root / fs)
    meta = cat.indicator(id="iod19_imd_score", name="Index of Multiple Deprivation 2019: score",
                         short_name="IMD 2019 score", theme="Deprivation", unit="score",
                         polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.LSOA11, dataset="iod2019",
                         value_type=ValueType.SCORE, aggregation=Aggregation.POPULATION_WEIGHTED,
                         caveats=cat.IOD19_CAVEAT, weight=weight_id)
    out.add(meta, "lsoa11", codes, period, score)
    nat_score = numeric(nat, "Index of Multiple Deprivation (IMD) Score", src.root / fs)
    out.add(meta, "england", [ENGLAND_CODE], period, [_weighted_mean(nat_score, nat["pop2015"])])

    for stem, label, short in cat.IOD19_DOMAINS:
        full = label if stem == "imd" else f"{label} domain"
        for kind, column, pol, vtype in (("rank", rank_col, Polarity.HIGHER_IS_BETTER, "rank"),
                                         ("decile", dec_col, Polarity.HIGHER_IS_BETTER, "decile")):
            unit = "rank of 32,844 (1 = most deprived)" if kind == "rank" else "national decile (1 = most deprived 10%)"
            out.add(cat.indicator(id=f"iod19_{stem}_{kind}", name=f"{full} 2019: national {kind}",
                                  short_name=f"{short} 2019 {kind}", theme="Deprivation", unit=unit, polarity=pol,
                                  geography=Geography.LSOA11, dataset="iod2019", value_type=vtype,
                                  aggregation=Aggregation.NOT_AGGREGATED, caveats=cat.IOD19_CAVEAT),
                    "lsoa11", codes, period, local[column.format(label)])

    for stem, num_col, den, den_name, label in (
            ("income", "income_domain_numerator", "pop2015", "total population mid-2015", "Income"),
            ("employment", "employment_domain_numerator", "work2015", "working-age population mid-2015",
             "Employment")):
        published = numeric(local.reset_index(), f"{label} Score (rate)", src.root / fs)
        meta = cat.indicator(id=f"iod19_{stem}_score", name=f"{label} deprivation 2019: score (rate)",
                             short_name=f"{label} score 2019", theme="Deprivation",
                             unit="% of " + den_name.split(" mid")[0], polarity=Polarity.HIGHER_IS_WORSE,
                             geography=Geography.LSOA11, dataset="iod2019", value_type=ValueType.PROPORTION,
                             aggregation=Aggregation.RATIO_OF_SUMS,
                             caveats=cat.IOD19_CAVEAT + f" Rate = people {stem}-deprived ÷ {den_name}.",
                             multiplier=100.0)
        num = local[num_col].to_numpy(dtype=float)
        denom = local[den].to_numpy(dtype=float)
        lo, hi = wilson_interval(num, denom)
        out.add(meta, "lsoa11", codes, period, published * 100, num, denom, lo * 100, hi * 100)
        n_num, n_den = nat[num_col].sum(), nat[den].sum()
        lo, hi = wilson_interval(n_num, n_den)
        out.add(meta, "england", [ENGLAND_CODE], period, [100 * n_num / n_den], [n_num], [n_den],
                [lo * 100], [hi * 100])

    health_meta = [
        ("iod19_acute_morbidity", "acute_morbidity_indicator", "Emergency admissions: acute morbidity 2019",
         "Acute morbidity 2019", "Admissions", "standardised ratio (England = 100)", Polarity.HIGHER_IS_WORSE,
         "Age- and sex-standardised ratio of emergency hospital admissions (IoD2019 File 8, data 2015/16-2016/17)."),
        ("iod19_cidr", "comparative_illness_and_disability_ratio_indicator",
         "Comparative illness and disability ratio 2019", "Illness & disability 2019", "Health",
         "standardised ratio (England = 100)", Polarity.HIGHER_IS_WORSE,
         "Age- and sex-standardised ratio of people claiming illness- or disability-related benefits."),
        ("iod19_ypll", "years_of_potential_life_lost_indicator", "Years of potential life lost 2019",
         "YPLL 2019", "Health", "age/sex-standardised rate", Polarity.HIGHER_IS_WORSE,
         "Premature death: years of potential life lost, age- and sex-standardised (IoD2019 File 8)."),
        ("iod19_mood_anxiety", "mood_and_anxiety_disorders_indicator", "Mood and anxiety disorders 2019",
         "Mood & anxiety 2019", "Health", "score (0 = England average)", Polarity.HIGHER_IS_WORSE,
         "Composite of prescribing, admissions, suicides and benefit claims for mood and anxiety disorders."),
    ]
    for ind_id, column, name, short, theme, unit, pol, note in health_meta:
        meta = cat.indicator(id=ind_id, name=name, short_name=short, theme=theme, unit=unit, polarity=pol,
                             geography=Geography.LSOA11, dataset="iod2019", value_type=ValueType.SCORE,
                             aggregation=Aggregation.POPULATION_WEIGHTED, caveats=note + " " + cat.IOD19_CAVEAT,
                             weight=weight_id)
        out.add(meta, "lsoa11", codes, period, local[column])
        out.add(meta, "england", [ENGLAND_CODE], period, [_weighted_mean(nat[column], nat["pop2015"])])

    for stem, col19, _, name in cat.IOD_SUBDOMAINS:
        for kind in ("rank", "decile"):
            unit = "rank of 32,844 (1 = most deprived)" if kind == "rank" else "national decile (1 = most deprived 10%)"
            out.add(cat.indicator(id=f"iod19_{stem}_{kind}", name=f"{name} 2019: national {kind}",
                                  short_name=f"{name.split(' sub-domain')[0]} 2019 {kind}", theme="Deprivation",
                                  unit=unit, polarity=Polarity.HIGHER_IS_BETTER, geography=Geography.LSOA11,
                                  dataset="iod2019", value_type=kind, aggregation=Aggregation.NOT_AGGREGATED,
                                  caveats=cat.IOD19_CAVEAT),
                    "lsoa11", codes, period, local[f"{col19}_{kind}"])
    return nat


def read_iod2025(src: Sources, out: _Collector, codes: pd.Index) -> None:
    fd = IND + "iod2025_imd_domains_lsoa21_england.csv.gz"
    fsd = IND + "iod2025_subdomains_lsoa21_england.csv.gz"
    f8 = IND + "iod2025_file8_underlying_indicators_lsoa21_england.csv.gz"
    cols = [f"{d[1]}_{k}" for d in cat.IOD25_DOMAINS for k in ("score", "rank", "decile")]
    dom = src.csv(fd, ["lsoa21_code"] + cols, key="lsoa21_code")
    sub_cols = [f"{s[2]}_{k}" for s in cat.IOD_SUBDOMAINS for k in ("score", "rank", "decile")]
    sub = src.csv(fsd, ["lsoa21_code"] + sub_cols, key="lsoa21_code")
    health = ["acute_morbidity_indicator", "comparative_illness_and_disability_ratio_indicator",
              "mental_health_indicator", "years_of_potential_life_lost_indicator"]
    file8 = src.csv(f8, ["lsoa21_code", "income_domain_numerator", "employment_domain_numerator"] + health,
                    key="lsoa21_code")
    out.uses("iod2025", fd, fsd, f8, england.FILE10_2025)
    published = england.borough_scores_2025(src)
    _require_codes(codes, dom["lsoa21_code"], src.root / fd, "LSOA 2021")
    local = (dom.merge(sub, on="lsoa21_code", how="left").merge(file8, on="lsoa21_code", how="left")
             .set_index("lsoa21_code").loc[codes])
    period = "IoD2025"
    weight = "census21_residents"
    for stem, col, label, short in cat.IOD25_DOMAINS:
        full = label if stem == "imd" else f"{label} domain"
        score = local[f"{col}_score"]
        if stem in ("income", "employment"):
            # Rates, each over its own denominator (total, working-age population): the sources lack
            # MHCLG's mid-2022 denominators, so each LSOA's is the one its File 8 numerator and score imply.
            numerator = numeric(local.reset_index(), f"{stem}_domain_numerator", src.root / f8).to_numpy()
            meta = cat.indicator(id=f"iod25_{stem}_score", name=f"{full} 2025: score (rate)",
                                 short_name=f"{short} 2025 score", theme="Deprivation",
                                 unit=cat.IOD25_RATE_UNITS[stem], polarity=Polarity.HIGHER_IS_WORSE,
                                 geography=Geography.LSOA21, dataset="iod2025", value_type=ValueType.SCORE,
                                 aggregation=Aggregation.RATIO_OF_SUMS,
                                 caveats=cat.IOD25_RATE_CAVEAT.format(stem=stem,
                                                                      denominator=cat.IOD25_RATE_UNITS[stem][5:]),
                                 multiplier=100.0, borough_method=cat.FILE10_BOROUGH)
            out.add(meta, "lsoa21", codes, period, score * 100, numerator, numerator / score.to_numpy())
            out.add(meta, "borough", [BOROUGH_CODE], period, [published[stem] * 100])
            continue
        meta = cat.indicator(id=f"iod25_{stem}_score", name=f"{full} 2025: score", short_name=f"{short} 2025 score",
                             theme="Deprivation", unit="score", polarity=Polarity.HIGHER_IS_WORSE,
                             geography=Geography.LSOA21, dataset="iod2025", value_type=ValueType.SCORE,
                             aggregation=Aggregation.POPULATION_WEIGHTED, caveats=cat.IOD25_CAVEAT, weight=weight,
                             borough_method=cat.FILE10_BOROUGH)
        out.add(meta, "lsoa21", codes, period, score)
        out.add(meta, "borough", [BOROUGH_CODE], period, [published[stem]])
        for kind in ("rank", "decile"):
            unit = "rank of 33,755 (1 = most deprived)" if kind == "rank" else "national decile (1 = most deprived 10%)"
            out.add(cat.indicator(id=f"iod25_{stem}_{kind}", name=f"{full} 2025: national {kind}",
                                  short_name=f"{short} 2025 {kind}", theme="Deprivation", unit=unit,
                                  polarity=Polarity.HIGHER_IS_BETTER, geography=Geography.LSOA21, dataset="iod2025",
                                  value_type=kind, aggregation=Aggregation.NOT_AGGREGATED, caveats=cat.IOD25_CAVEAT),
                    "lsoa21", codes, period, local[f"{col}_{kind}"])
    for stem, _, col25, name in cat.IOD_SUBDOMAINS:
        for kind in ("score", "rank", "decile"):
            unit = {"score": "score", "rank": "rank of 33,755 (1 = most deprived)",
                    "decile": "national decile (1 = most deprived 10%)"}[kind]
            pol = Polarity.HIGHER_IS_WORSE if kind == "score" else Polarity.HIGHER_IS_BETTER
            agg = "population-weighted mean" if kind == "score" else "not aggregated"
            out.add(cat.indicator(id=f"iod25_{stem}_{kind}",
                                  name=f"{name} 2025: {'national ' if kind != 'score' else ''}{kind}",
                                  short_name=f"{name.split(' sub-domain')[0]} 2025 {kind}", theme="Deprivation",
                                  unit=unit, polarity=pol, geography=Geography.LSOA21, dataset="iod2025",
                                  value_type=kind, aggregation=agg, caveats=cat.IOD25_CAVEAT,
                                  weight=weight if kind == "score" else ""),
                    "lsoa21", codes, period, local[f"{col25}_{kind}"])
    for ind_id, column, name, short, theme, unit, note in (
            ("iod25_acute_morbidity", "acute_morbidity_indicator", "Emergency admissions: acute morbidity 2025",
             "Acute morbidity 2025", "Admissions", "standardised ratio (England = 100)",
             "Age- and sex-standardised ratio of emergency hospital admissions (IoD2025 File 8)."),
            ("iod25_cidr", "comparative_illness_and_disability_ratio_indicator",
             "Comparative illness and disability ratio 2025", "Illness & disability 2025", "Health",
             "standardised ratio (England = 100)",
             "Age- and sex-standardised ratio of people claiming illness- or disability-related benefits."),
            ("iod25_mental_health", "mental_health_indicator", "Mental health indicator 2025",
             "Mental health 2025", "Health", "score (0 = England average)",
             "IoD2025 composite mental-health indicator (replaces 2019's mood and anxiety indicator)."),
            ("iod25_ypll", "years_of_potential_life_lost_indicator", "Years of potential life lost 2025",
             "YPLL 2025", "Health", "age/sex-standardised rate", "Premature death (IoD2025 File 8).")):
        out.add(cat.indicator(id=ind_id, name=name, short_name=short, theme=theme, unit=unit,
                              polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.LSOA21, dataset="iod2025",
                              value_type=ValueType.SCORE, aggregation=Aggregation.POPULATION_WEIGHTED,
                              caveats=note + " " + cat.IOD25_CAVEAT, weight=weight),
                "lsoa21", codes, period, local[column])


def _weighted_mean(values, weights) -> float:
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = np.isfinite(v) & np.isfinite(w)
    return float(np.sum(v[ok] * w[ok]) / np.sum(w[ok]))


def _require_codes(codes, available, path, what):
    missing = pd.Index(codes).difference(pd.Index(available))
    if len(missing):
        raise SourceError(path, f"no row for St Helens {what} {missing[0]} ({len(missing)} missing; truncated?)")


# ---------------------------------------------------------------- population and census

POP_BANDS = [("total", "all ages", None, None), ("0_4", "aged 0-4", 0, 4), ("0_15", "aged 0-15", 0, 15),
             ("16_64", "aged 16-64", 16, 64), ("65_plus", "aged 65+", 65, 90), ("75_plus", "aged 75+", 75, 90),
             ("85_plus", "aged 85+", 85, 90)]


def read_population(src: Sources, out: _Collector, codes: pd.Index) -> None:
    f = IND + "population_mid2020_lsoa11_single_year_of_age_england_wales.csv.gz"
    ages = [str(a) for a in range(90)] + ["90+"]
    pop = src.csv(f, ["lsoa11_code", "total_population"] + ages, key="lsoa11_code")
    out.uses("ons_population_2020", f)
    _require_codes(codes, pop["lsoa11_code"], src.root / f, "LSOA 2011")
    path = src.root / f
    for a in ages + ["total_population"]:
        pop[a] = numeric(pop, a, path, allow_missing=False)
    england = pop[pop["lsoa11_code"].str.startswith("E01")]
    local = pop.set_index("lsoa11_code").loc[codes]
    for stem, label, lo, hi in POP_BANDS:
        cols = ["total_population"] if lo is None else [c for c in ages if _age(c) >= lo and _age(c) <= hi]
        meta = cat.indicator(id=f"pop20_{stem}", name=f"Population {label}, mid-2020",
                             short_name=f"Pop. {label} 2020", theme="Population", unit="people",
                             polarity=Polarity.NO_JUDGEMENT, geography=Geography.LSOA11,
                             dataset="ons_population_2020", value_type=ValueType.COUNT, aggregation=Aggregation.SUM)
        out.add(meta, "lsoa11", codes, "mid-2020", local[cols].sum(axis=1))
        out.add(meta, "england", [ENGLAND_CODE], "mid-2020", [england[cols].sum(axis=1).sum()])
    older = [c for c in ages if _age(c) >= 65]
    meta = cat.indicator(id="pop20_65_plus_pct", name="Residents aged 65 and over, mid-2020",
                         short_name="% aged 65+ 2020", theme="Population", unit="% of residents",
                         polarity=Polarity.NO_JUDGEMENT, geography=Geography.LSOA11, dataset="ons_population_2020",
                         value_type=ValueType.PROPORTION, aggregation=Aggregation.RATIO_OF_SUMS, multiplier=100.0)
    for area_type, frame, area_codes in (("lsoa11", local, codes), ("england", None, [ENGLAND_CODE])):
        if frame is None:
            num = np.array([england[older].sum(axis=1).sum()])
            den = np.array([england["total_population"].sum()])
        else:
            num = frame[older].sum(axis=1).to_numpy()
            den = frame["total_population"].to_numpy()
        lo_, hi_ = wilson_interval(num, den)
        out.add(meta, area_type, area_codes, "mid-2020", 100 * num / den, num, den, lo_ * 100, hi_ * 100)


def _age(label: str) -> int:
    return int(label.rstrip("+"))


def read_census(src: Sources, out: _Collector, codes: pd.Index) -> None:
    f_dep = IND + "st_helens_census2021_household_deprivation_dimensions_lsoa21.csv"
    f_dis = IND + "st_helens_census2021_disability_lsoa21.csv"
    dep = src.csv(f_dep, ["lsoa21_code", "households_number_deprivation_dimensions", "count"])
    dis = src.csv(f_dis, ["lsoa21_code", "disability", "n", "total_residents"])
    out.uses("census2021", f_dep, f_dis)
    dep["count"] = numeric(dep, "count", src.root / f_dep, allow_missing=False)
    dep["dims"] = numeric(dep, "households_number_deprivation_dimensions", src.root / f_dep, allow_missing=False)
    table = dep.pivot_table(index="lsoa21_code", columns="dims", values="count", aggfunc="sum")
    _require_codes(codes, table.index, src.root / f_dep, "LSOA 2021")
    table = table.loc[codes]
    households = table.sum(axis=1).to_numpy()
    for stem, name, short, dims in (
            ("census21_hh_deprived_1plus", "Households deprived in one or more dimensions, 2021",
             "Households deprived 1+ dims", [1, 2, 3, 4]),
            ("census21_hh_deprived_2plus", "Households deprived in two or more dimensions, 2021",
             "Households deprived 2+ dims", [2, 3, 4])):
        num = table[[d for d in dims if d in table.columns]].sum(axis=1).to_numpy()
        lo, hi = wilson_interval(num, households)
        out.add(cat.indicator(id=stem, name=name, short_name=short, theme="Deprivation", unit="% of households",
                              polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.LSOA21, dataset="census2021",
                              value_type=ValueType.PROPORTION, aggregation=Aggregation.RATIO_OF_SUMS,
                              caveats="Census 2021 TS011: dimensions are employment, education, health and disability, "
                                      "and housing.", multiplier=100.0),
                "lsoa21", codes, "2021", 100 * num / households, num, households, lo * 100, hi * 100)

    dis["n"] = numeric(dis, "n", src.root / f_dis, allow_missing=False)
    dis["total_residents"] = numeric(dis, "total_residents", src.root / f_dis, allow_missing=False)
    disabled = dis[dis["disability"] == "Disabled under the Equality Act"].set_index("lsoa21_code")
    _require_codes(codes, disabled.index, src.root / f_dis, "LSOA 2021")
    disabled = disabled.loc[codes]
    num, den = disabled["n"].to_numpy(), disabled["total_residents"].to_numpy()
    lo, hi = wilson_interval(num, den)
    out.add(cat.indicator(id="census21_disabled", name="Residents disabled under the Equality Act, 2021",
                          short_name="Disabled residents 2021", theme="Population", unit="% of residents",
                          polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.LSOA21, dataset="census2021",
                          value_type=ValueType.PROPORTION, aggregation=Aggregation.RATIO_OF_SUMS,
                          caveats="Census 2021 TS038, not age-standardised.", multiplier=100.0),
            "lsoa21", codes, "2021", 100 * num / den, num, den, lo * 100, hi * 100)
    out.add(cat.indicator(id="census21_residents", name="Usual residents, Census 2021", short_name="Residents 2021",
                          theme="Population", unit="people", polarity=Polarity.NO_JUDGEMENT,
                          geography=Geography.LSOA21, dataset="census2021", value_type=ValueType.COUNT,
                          aggregation=Aggregation.SUM,
                          caveats="Total residents from TS038; the population weight for LSOA 2021 indicators."),
            "lsoa21", codes, "2021", den)


# ---------------------------------------------------------------- practice indicators

def read_qof_obesity(src: Sources, out: _Collector, ods_codes: list[str]) -> pd.DataFrame:
    """Add adult obesity (QOF) for ``ods_codes`` and England; return every practice's rows (for the regions)."""
    f = IND + "qof_obesity_register_by_practice_2013_14_to_2024_25_england.csv.gz"
    qof = src.csv(f, ["year", "practice_code", "group_code", "register", "practice_list_size"])
    out.uses("qof_obesity", f)
    path = src.root / f
    qof = qof[qof["group_code"] == "OB"].copy()
    dup = qof.duplicated(["year", "practice_code"])
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0])
        raise SourceError(path, f"duplicated practice {qof['practice_code'].iloc[row]} in {qof['year'].iloc[row]}",
                          row=row + 2, column="practice_code")
    qof["register"] = numeric(qof, "register", path)
    qof["list"] = numeric(qof, "practice_list_size", path)
    meta = cat.indicator(id="qof_obesity", name="Obesity: QOF prevalence, adults 18+",
                         short_name="Adult obesity (QOF)", theme="Obesity", unit="% of registered adults",
                         polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.PRACTICE, dataset="qof_obesity",
                         value_type=ValueType.PROPORTION, aggregation=Aggregation.RATIO_OF_SUMS,
                         caveats=cat.QOF_OBESITY_CAVEAT, multiplier=100.0)
    for year, rows in sorted(qof.groupby("year")):
        period = str(year)
        usable = rows.dropna(subset=["register", "list"])
        usable = usable[usable["list"] > 0]
        local = usable[usable["practice_code"].isin(ods_codes)].sort_values("practice_code")
        num, den = local["register"].to_numpy(), local["list"].to_numpy()
        lo, hi = wilson_interval(num, den)
        out.add(meta, "practice", local["practice_code"].to_numpy(), period, 100 * num / den, num, den,
                lo * 100, hi * 100)
        n_num, n_den = usable["register"].sum(), usable["list"].sum()
        lo, hi = wilson_interval(n_num, n_den)
        out.add(meta, "england", [ENGLAND_CODE], period, [100 * n_num / n_den], [n_num], [n_den],
                [lo * 100], [hi * 100])
    return qof


FINGERTIPS_COLUMNS = ["Area Code", "Area Type", "Sex", "Category Type", "Time period", "Value",
                      "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"]


def _fingertips(src: Sources, relative: str, out: _Collector, meta: dict, ods_codes, pcn_codes) -> pd.DataFrame:
    """Add a Fingertips export's practice, PCN, St Helens and England rows; return its whole-population rows."""
    frame = src.csv(relative, FINGERTIPS_COLUMNS)
    out.uses(meta["dataset"], relative)
    path = src.root / relative
    for c in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"):
        frame[c] = numeric(frame, c, path)
    # Whole-population rows only: Fingertips repeats England by deprivation decile and other categories.
    # Its 2023/24 practice rows of 91547 leave Sex blank: the indicator has persons only, so they count.
    frame = frame[frame["Sex"].fillna("Persons").eq("Persons") & frame["Category Type"].isna()].copy()
    # Those rows also lack intervals: Wilson's, as Fingertips uses for proportions, from their counts.
    no_ci = frame["Lower CI 95.0 limit"].isna() & frame["Count"].notna() & frame["Denominator"].gt(0)
    if meta["value_type"] == "proportion" and no_ci.any():
        lo, hi = wilson_interval(frame.loc[no_ci, "Count"].to_numpy(), frame.loc[no_ci, "Denominator"].to_numpy())
        frame.loc[no_ci, "Lower CI 95.0 limit"] = lo * meta["multiplier"]
        frame.loc[no_ci, "Upper CI 95.0 limit"] = hi * meta["multiplier"]
    frame = frame.drop_duplicates(["Area Code", "Time period"])
    kinds = {"GPs": "practice", "England": "england", "UA": "borough"}
    for area_label, area_type in list(kinds.items()) + [("PCN", "pcn")]:
        if area_type == "pcn":
            rows = frame[frame["Area Type"].str.startswith("PCN")]
        else:
            rows = frame[frame["Area Type"] == area_label]
        if area_type == "practice":
            rows = rows[rows["Area Code"].isin(ods_codes)]
        if area_type == "pcn":
            rows = rows[rows["Area Code"].isin(pcn_codes)]
        if area_type == "borough":
            rows = rows[rows["Area Code"] == BOROUGH_CODE]
        for period, part in rows.groupby("Time period"):
            part = part.sort_values("Area Code")
            out.add(meta, area_type, part["Area Code"].to_numpy(), str(period), part["Value"],
                    part["Count"], part["Denominator"], part["Lower CI 95.0 limit"], part["Upper CI 95.0 limit"])
    return frame


def read_practice_indicators(src: Sources, out: _Collector, practices: pd.DataFrame, pcn_codes) -> pd.DataFrame:
    """Add the Fingertips and practice indicators; return the smoking export's rows (for the regions)."""
    ods_codes = practices["ods_code"].dropna().tolist()
    smoking, _ = (_fingertips(src, IND + relative, out, meta, ods_codes, pcn_codes) for relative, meta in (
        ("st_helens_gp_smoking_prevalence_qof_15plus.csv",
         cat.indicator(id="qof_smoking", name="Smoking prevalence in adults (15+), current smokers (QOF)",
                       short_name="Smoking (QOF)", theme="Practices", unit="% of registered 15+",
                       polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.PRACTICE, dataset="fingertips_smoking",
                       value_type=ValueType.PROPORTION, aggregation=Aggregation.RATIO_OF_SUMS, multiplier=100.0,
                       caveats="Recorded smoking status in the practice record; Fingertips 91547. Practice values "
                               "2022/23 and 2023/24 only (St Helens and England from 2013/14 to 2022/23); 2023/24: "
                               "no St Helens or England row, Wilson intervals from the practices' counts.")),
        ("st_helens_gp_ae_attendances_age0_4_fingertips_93930.csv",
         cat.indicator(id="ae_attendances_0_4", name="A&E attendances (0 to 4 years)", short_name="A&E age 0-4",
                       theme="Admissions", unit="per 1,000 registered aged 0-4", polarity=Polarity.HIGHER_IS_WORSE,
                       geography=Geography.PRACTICE, dataset="fingertips_ae_0_4", value_type=ValueType.RATE,
                       aggregation=Aggregation.RATIO_OF_SUMS, multiplier=1000.0,
                       caveats="Fingertips 93930. Care Communities are OHID's published PCN values (PCNs as of "
                               "27/10/23); St Helens is summed from the practice rows (OHID publishes no borough "
                               "row here). 2022/23 has an England value only, so it is left out of the periods."))))

    f_imd = IND + "st_helens_gp_imd_score_fingertips_93553.csv"
    imd = src.csv(f_imd, ["IndicatorID", "Year", "AreaCode", "Value"])
    out.uses("fingertips_practice_imd", f_imd)
    imd["Value"] = numeric(imd, "Value", src.root / f_imd)
    meta = cat.indicator(id="practice_imd_score", name="Deprivation score (IMD) of registered patients",
                         short_name="Practice IMD score", theme="Practices", unit="score",
                         polarity=Polarity.HIGHER_IS_WORSE, geography=Geography.PRACTICE,
                         dataset="fingertips_practice_imd", value_type=ValueType.SCORE,
                         aggregation=Aggregation.LIST_WEIGHTED,
                         caveats="Mean IMD score of the LSOAs the practice's patients live in, weighted by patients "
                                 "(Fingertips 93553).")
    for year, part in imd[imd["AreaCode"].isin(ods_codes)].groupby("Year"):
        part = part.sort_values("AreaCode")
        out.add(meta, "practice", part["AreaCode"].to_numpy(), f"IMD{year}", part["Value"])

    meta = cat.indicator(id="practice_list_size", name="Registered patients (list size)", short_name="List size",
                         theme="Practices", unit="patients", polarity=Polarity.NO_JUDGEMENT,
                         geography=Geography.PRACTICE, dataset="nhs_practices", value_type=ValueType.COUNT,
                         aggregation=Aggregation.SUM,
                         caveats="NHS England Patients Registered at a GP Practice, all ages.")
    for period, column in (("2021-01-01", "list_size_2021"), ("2026-04-01", "list_size_2026")):
        part = practices.dropna(subset=["ods_code", column]).sort_values("ods_code")
        out.add(meta, "practice", part["ods_code"].to_numpy(), period, part[column])
    return smoking


# ---------------------------------------------------------------- strategic plan

def read_plan(src: Sources, out: _Collector) -> pd.DataFrame:
    f = "plan/strategic_plan_key_measures.csv"
    plan = src.csv(f, ["priority", "objective", "measure", "baseline", "baseline_unit", "target_2026_27",
                       "target_unit", "aim"], key="measure")
    out.uses("strategic_plan", f)
    plan["baseline"] = numeric(plan, "baseline", src.root / f)
    plan["target_2026_27"] = numeric(plan, "target_2026_27", src.root / f)
    ids = []
    for _, r in plan.iterrows():
        ind_id = "plan_" + "".join(ch if ch.isalnum() else "_" for ch in r["measure"].lower()).strip("_")
        while "__" in ind_id:
            ind_id = ind_id.replace("__", "_")
        ids.append(ind_id)
        target = "" if pd.isna(r["target_2026_27"]) else f" 2026/27 target: {r['target_2026_27']:g} {r['target_unit']}."
        meta = cat.indicator(id=ind_id, name=r["measure"], short_name=r["measure"][:40], theme="Strategic plan",
                             unit=r["baseline_unit"], polarity=Polarity.NO_JUDGEMENT, geography=Geography.BOROUGH,
                             dataset="strategic_plan", value_type=ValueType.PLAN_MEASURE,
                             aggregation=Aggregation.NOT_AGGREGATED,
                             caveats=f"Strategic plan key measure ({r['priority']}); baseline period not stated "
                                     "in the plan." + target + f" Aim: {r['aim']}.")
        out.add(meta, "borough", [BOROUGH_CODE], "plan baseline", [r["baseline"]])
        if not any(row["id"] == ind_id for row in out.catalogue):
            out.catalogue.append(meta)  # measures with no printed baseline still belong in the catalogue
    plan.insert(0, "indicator_id", ids)
    return plan


# ---------------------------------------------------------------- assemble, check, write

def build_pack(source: str | Path, out_dir: str | Path, scope: str = "borough",
               districts: list[str] | None = None, accept_changed_sources: bool = False) -> Path:
    """Build the pack from ``source`` into ``out_dir``; return the GeoPackage path.

    ``scope="england"`` adds every England LSOA and district (:mod:`.england`) and writes
    ``england.gpkg``; the St Helens content is the same as the borough pack's. ``districts``
    limits its map to those districts (and St Helens).

    Raises :class:`SourceError` (one line: file, row, problem) when a source is missing,
    malformed or (unless ``accept_changed_sources``) changed since the manifest already in
    ``out_dir`` was written, and :class:`PackError` when the result fails its checks.
    """
    previous = Path(out_dir) / f"{'england' if scope == 'england' else PACK_NAME}.manifest.json"
    src = Sources(source, manifest_checksums(previous), accept_changed_sources)
    out = _Collector()
    layers = read_geography(src, out)
    practices = read_practices(src, out)
    lsoa11_codes = pd.Index(layers["lsoa11"]["code"])
    lsoa21_codes = pd.Index(layers["lsoa21"]["code"])
    iod2019 = read_iod2019(src, out, lsoa11_codes)
    read_iod2025(src, out, lsoa21_codes)
    read_population(src, out, lsoa11_codes)
    read_census(src, out, lsoa21_codes)
    qof = read_qof_obesity(src, out, practices["ods_code"].dropna().tolist())
    networks = _networks(src, practices)
    smoking = read_practice_indicators(src, out, practices, networks["pcn_code"].tolist())
    plan = read_plan(src, out)

    assignment = {}
    for vintage in ("lsoa11", "lsoa21"):
        result = loc.nearest_practice(layers[vintage], "code", practices)
        layers[vintage]["locality"] = layers[vintage]["code"].map(result.localities)
        assignment = result
    catalogue = _catalogue_frame(out)
    values = (pd.concat(out.values, ignore_index=True)[list(VALUE_COLUMNS)]
              .sort_values(["indicator_id", "area_type", "period", "area_code"]).reset_index(drop=True))
    origin_frame = catchments.origins(src, iod2019, practices, lsoa11_codes)
    out.uses("ons_boundaries", england.GEO_FILE)
    out.uses("iod2019", england.FILE1)
    validation, fit_info, shares = catchments.catchment_tables(
        origin_frame, practices, values, layers["lsoa11"].set_index("code")["locality"],
        layers["lsoa21"][["code", "lsoa11_code"]])
    if shares is not None:  # the best-validated method gives the layers' (main) locality
        for vintage in ("lsoa11", "lsoa21"):
            layers[vintage]["locality"] = layers[vintage]["code"].map(loc.main_localities(shares[vintage]))
    benchmarks = regions.build(src, iod2019, qof, smoking, out.uses)
    datasets = _datasets_frame(src, out)
    info = pd.DataFrame([
        ("name", "St Helens Cares locality planner data pack" + (" (England scale)" if scope == "england" else "")),
        ("format", str(PACK_FORMAT)),
        ("borough_code", BOROUGH_CODE), ("borough_name", "St Helens"),
        ("crs", "EPSG:27700"),
        ("scope", scope),
        ("assignment_method", fit_info.pop("assignment_method", assignment.method)),
        ("assignment_statement", fit_info.pop("assignment_statement", assignment.statement)),
        *fit_info.items(),
        ("population_weights", "IoD2019: mid-2015 population (IoD2019 File 6); LSOA 2021: Census 2021 usual "
                               "residents; mid-2020 ONS estimates for population counts"),
    ], columns=["key", "value"])
    tables = {"networks": networks, "indicators": catalogue, "indicator_values": values,
              "datasets": datasets, "key_measures": plan, "pack_info": info,
              "catchment_origins": origin_frame, "method_validation": validation}
    # Every pack ranks St Helens among England's districts on each domain (both editions).
    out.uses("iod2025", england.FILE10_2025)
    tables["district_domains"] = england.district_domains(src, iod2019)
    tables.update(benchmarks)
    _validate(layers, practices, tables)
    if scope == "england":
        national = england.england_layers(src, iod2019, out.uses, districts)
        layers[ENGLAND_LAYER], layers[ENGLAND_OVERVIEW] = national["layer"], national["overview"]
        tables["districts"], tables["districts_2025"] = national["districts"], national["districts_2025"]
        tables["pack_info"] = pd.concat([info, pd.DataFrame([("england_districts", national["mapped"])],
                                                            columns=["key", "value"])], ignore_index=True)
        tables["datasets"] = _datasets_frame(src, out)  # now citing the national files too
        return _write(Path(out_dir), layers, practices, tables, pack_name="england", rings=national["rings"])
    return _write(Path(out_dir), layers, practices, tables)


def _networks(src: Sources, practices: gpd.GeoDataFrame) -> pd.DataFrame:
    f = PRA + "ePCN_2024-10_sthelens_pcn_details.csv"
    details = src.csv(f, ["PCN Code", "PCN Name"])
    src_path = src.root / f
    details["network"] = details["PCN Name"].str.upper().map(loc.PCN_NAME_TO_NETWORK)
    details = details.dropna(subset=["network"]).drop_duplicates("network")
    missing = set(loc.NETWORKS) - set(details["network"])
    if missing:
        raise SourceError(src_path, f"no PCN row for the {sorted(missing)[0]} network")
    rows = []
    for order, name in enumerate(loc.NETWORKS, start=1):
        d = details[details["network"] == name].iloc[0]
        members = practices[practices["network"] == name]
        rows.append({"network": name, "order": order, "colour": loc.NETWORK_COLOURS[name],
                     "pcn_code": d["PCN Code"], "pcn_name": d["PCN Name"],
                     "map_keys": f"{members['map_key'].min()}–{members['map_key'].max()}",
                     "practices_in_plan": int(members["in_plan"].sum()),
                     "practices_active": int((members["status"] == "active").sum())})
    return pd.DataFrame(rows)


def _catalogue_frame(out: _Collector) -> pd.DataFrame:
    catalogue = pd.DataFrame(out.catalogue)
    values = pd.concat(out.values, ignore_index=True)
    # Periods the indicator has on its own geography: a period only England has (A&E 0-4 2022/23)
    # would give a blank map and blank localities.
    own = values.merge(catalogue[["id", "geography"]], left_on="indicator_id", right_on="id")
    own = own[own["area_type"] == own["geography"]]
    periods = own.groupby("indicator_id")["period"].agg(lambda s: sorted(set(s)))
    catalogue["periods"] = catalogue["id"].map(lambda i: "|".join(periods.get(i, [])))
    catalogue["period"] = catalogue["id"].map(lambda i: periods.get(i, ["no value in the sources"])[-1])
    names = {k: v["name"] for k, v in cat.DATASETS.items()}
    publishers = {k: v["publisher"] for k, v in cat.DATASETS.items()}
    catalogue["source"] = catalogue["dataset"].map(lambda d: f"{publishers[d]}, {names[d]}")
    return catalogue.sort_values(["theme", "id"]).reset_index(drop=True)


def _datasets_frame(src: Sources, out: _Collector) -> pd.DataFrame:
    rows = []
    for key, meta in cat.DATASETS.items():
        files = src.files(out.dataset_files[key])
        rows.append({"dataset": key, **meta, "files": json.dumps(files)})
    return pd.DataFrame(rows)


def _validate(layers, practices, tables) -> None:
    from sthc_desktop.core.errors import PackError

    def fail(problem):
        raise PackError("data pack", problem)

    for vintage in ("lsoa11", "lsoa21"):
        n = len(layers[vintage])
        if n != EXPECTED[vintage]:
            fail(f"expected {EXPECTED[vintage]} {vintage} areas, found {n}")
        if layers[vintage]["code"].duplicated().any():
            fail(f"duplicated {vintage} code")
        if layers[vintage]["locality"].isna().any():
            fail(f"an {vintage} area has no locality")
    keys = practices["map_key"].dropna()
    if sorted(keys.astype(int)) != list(range(1, EXPECTED["map_keys"] + 1)):
        fail("map keys are not exactly 1-33")
    if practices["ods_code"].dropna().duplicated().any():
        fail("duplicated practice ODS code")
    if set(practices["network"]) != set(loc.NETWORKS) or len(tables["networks"]) != EXPECTED["networks"]:
        fail("the practices do not fall in exactly the four networks")
    catalogue, values = tables["indicators"], tables["indicator_values"]
    if catalogue["id"].duplicated().any():
        fail(f"duplicated indicator id {catalogue['id'][catalogue['id'].duplicated()].iloc[0]}")
    known = {
        "lsoa11": set(layers["lsoa11"]["code"]), "lsoa21": set(layers["lsoa21"]["code"]),
        "practice": set(practices["ods_code"].dropna()), "pcn": set(tables["networks"]["pcn_code"]),
        "borough": {BOROUGH_CODE}, "england": {ENGLAND_CODE},
    }
    assert set(known) == set(AREA_TYPES)
    for area_type, codes in known.items():
        part = values[values["area_type"] == area_type]
        unknown = set(part["area_code"]) - codes
        if unknown:
            fail(f"{area_type} value for unknown area {sorted(unknown)[0]}")
    if not set(values["area_type"]) <= set(known):
        fail(f"unknown area type {sorted(set(values['area_type']) - set(known))[0]}")
    if values.duplicated(["indicator_id", "area_type", "area_code", "period"]).any():
        fail("two values for the same indicator, area and period")
    if set(values["indicator_id"]) - set(catalogue["id"]):
        fail("a value whose indicator is not in the catalogue")
    kinds = values.merge(catalogue[["id", "value_type", "polarity"]], left_on="indicator_id", right_on="id")
    checks = {
        "decile": (1, 10), "proportion": (0, 100), "count": (0, np.inf), "rank": (1, 33755), "rate": (0, np.inf),
    }
    for kind, (lo, hi) in checks.items():
        part = kinds[kinds["value_type"] == kind]
        bad = part[(part["value"] < lo) | (part["value"] > hi)]
        if len(bad):
            b = bad.iloc[0]
            fail(f"{b['indicator_id']} value {b['value']} for {b['area_code']} is outside {lo}-{hi}")
    bench = tables["benchmarks"]
    if bench.duplicated(["benchmark", "indicator_id", "period"]).any():
        fail("two regional benchmark values for the same area, indicator and period")
    strange = set(bench["indicator_id"]) - set(catalogue["id"]) - {i for i in bench["indicator_id"]
                                                                   if i.startswith("profile19_")}
    if strange:
        fail(f"a regional benchmark value for unknown indicator {sorted(strange)[0]}")
    ci = values.dropna(subset=["lower_ci", "upper_ci"])
    tol = 1e-6 + 1e-9 * ci["value"].abs()
    bad = ci[(ci["lower_ci"] > ci["value"] + tol) | (ci["upper_ci"] < ci["value"] - tol)]
    if len(bad):
        b = bad.iloc[0]
        fail(f"{b['indicator_id']} interval does not contain the value for {b['area_code']} {b['period']}")


def _write(out_dir: Path, layers, practices, tables, pack_name: str = PACK_NAME, rings=None) -> Path:
    """Write the GeoPackage and manifest with the atomic writer, both or neither; ``rings``: the rows of
    the England overview's rings table (raw arrays, which GDAL does not write).

    Rebuilding replaces the pack and manifest already in ``out_dir`` (that is what a rebuild is for);
    read-only files, links and other non-regular files there are refused like any other target."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(out_dir, f"the folder cannot be created ({exc.strerror or exc}); nothing was written") \
            from None
    target = out_dir / f"{pack_name}.gpkg"
    manifest = {
        "pack": target.name,
        "format": PACK_FORMAT,
        "datasets": [{**{k: v for k, v in row.items() if k != "files"}, "files": json.loads(row["files"])}
                     for row in tables["datasets"].to_dict("records")],
        "counts": {"lsoa11": len(layers["lsoa11"]), "lsoa21": len(layers["lsoa21"]),
                   "practices": len(practices), "indicators": len(tables["indicators"]),
                   "indicator_values": len(tables["indicator_values"]), "benchmarks": len(tables["benchmarks"]),
                   **{k: len(v) for k, v in {**layers, **tables}.items() if k in england.NATIONAL_PARTS}},
        "assignment": dict(tables["pack_info"].values)["assignment_statement"],
    }
    manifest_path = out_dir / f"{pack_name}.manifest.json"
    for path in (target, manifest_path):
        check_target(path, overwrite=True)
    with ExitStack() as stack:
        # Entered last, the pack's writer is the one to report a failure while the pack is written.
        manifest_tmp = stack.enter_context(atomic_path(manifest_path, overwrite=True))
        pack_tmp = stack.enter_context(atomic_path(target, overwrite=True))
        for name, frame in {**layers, "practices": practices, **tables}.items():
            pyogrio.write_dataframe(frame, pack_tmp, layer=name, driver="GPKG")
        if rings is not None:
            _write_rings(pack_tmp, rings)
        manifest_tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _write_rings(pack: Path, rows) -> None:
    """Add the rings table to the GeoPackage, listed in its contents as a plain (attributes) table."""
    name, dtype, shape, data = RINGS_COLUMNS
    with sqlite3.connect(pack) as con:
        con.execute(f'CREATE TABLE "{RINGS_TABLE}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {name} TEXT NOT NULL, '
                    f'{dtype} TEXT NOT NULL, {shape} TEXT NOT NULL, {data} BLOB NOT NULL)')
        con.executemany(f'INSERT INTO "{RINGS_TABLE}" ({", ".join(RINGS_COLUMNS)}) VALUES (?, ?, ?, ?)', rows)
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (?, 'attributes', ?)",
                    (RINGS_TABLE, RINGS_TABLE))
    con.close()
