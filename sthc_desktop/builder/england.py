"""The England-scale additions to a data pack: every LSOA in England and every district.

``build_pack(..., scope="england")`` writes the St Helens pack plus three things read here:

* ``england_lsoa11``: the 32,844 England LSOA 2011 boundaries with their district (LAD 2019,
  from IoD2019 File 1) and one column per nationally mappable IoD2019 indicator (wide, so the
  national map reads one layer instead of millions of long rows);
* ``districts``: the 317 IoD2019 districts summarised as MHCLG summarises them (population-
  weighted average score, average rank, proportion of LSOAs in England's most deprived 10%), with
  the rank of each among all districts — computed here from the LSOA files, because the
  IoD2019 File 10 is not among the sources;
* ``districts_2025``: IoD2025 File 10 as published (296 districts, 2024 boundaries).

Care Community features stay St Helens-only: the pack's ``lsoa11`` / ``lsoa21`` layers are
still the borough's.
"""

from __future__ import annotations

import pandas as pd
import shapely

from sthc_desktop.core.datapack import BOROUGH_CODE, ENGLAND_LAYER, ENGLAND_OVERVIEW
from sthc_desktop.core.england import plain_name
from sthc_desktop.core.errors import PackError, SourceError
from sthc_desktop.core.rings import ring_arrays, to_rows

from . import catalogue as cat
from .sources import Sources, numeric

GEO_FILE = "geography/england_lsoa11_bgc_martinjc.gpkg.gz"
# Where a national column comes from, for error messages (ranks, deciles and populations were
# already checked as numbers when the borough's IoD2019 values were read).
SCORES_FILE = "indicators/iod2019_scores_imd_income_employment_lsoa11_england.csv.gz"
FILE8 = "indicators/iod2019_file8_underlying_indicators_lsoa11_england.csv.gz"
FILE1 = "indicators/iod2019_file1_imd_lsoa11_england.csv.gz"
FILE10_2025 = "indicators/iod2025_file10_lad_summaries_england.csv"
NATIONAL_PARTS = (ENGLAND_LAYER, ENGLAND_OVERVIEW, "districts", "districts_2025")
#: The overview geometry (all England on one A4 page at 150 dpi: about 400 m a pixel) is
#: simplified to 200 m, half a pixel; zoomed maps read the full shapes.
OVERVIEW_TOLERANCE_M = 200.0
EXPECTED_LSOAS = 32844
EXPECTED_DISTRICTS = 317

#: IoD2019 indicators mapped nationally; each is a column of the national frame ``read_iod2019`` returns.
NATIONAL_COLUMNS = {
    "iod19_imd_score": "Index of Multiple Deprivation (IMD) Score",
    "iod19_income_score": "Income Score (rate)",
    "iod19_employment_score": "Employment Score (rate)",
    "iod19_acute_morbidity": "acute_morbidity_indicator",
    "iod19_population_2015": "pop2015",
    **{f"iod19_{stem}_{kind}": f"{label} {'Rank (where 1 is most deprived)' if kind == 'rank' else 'Decile (where 1 is most deprived 10% of LSOAs)'}"
       for stem, label, _ in cat.IOD19_DOMAINS for kind in ("rank", "decile")},
}
#: Published rates are fractions; the pack holds them as percentages like the borough's values.
PERCENT = {"iod19_income_score", "iod19_employment_score"}


def england_layers(src: Sources, iod2019: pd.DataFrame, uses, districts: list[str] | None = None
                   ) -> dict[str, pd.DataFrame]:
    """The national LSOA layer and the district tables, checked; ``uses(dataset, *files)`` cites the files.

    ``districts`` (names or codes) keeps only their LSOAs, plus St Helens', in the map layers: a
    smaller pack for a sub-region or a quick test. District summaries always cover all of England."""
    uses("ons_boundaries", GEO_FILE)
    uses("iod2019", FILE1)
    uses("iod2025", FILE10_2025)
    boundaries = src.layer(GEO_FILE, "lsoa11", ["lsoa11cd", "lsoa11nm"])
    file1 = src.csv(FILE1, ["LSOA code (2011)", "Local Authority District code (2019)",
                            "Local Authority District name (2019)"], key="LSOA code (2011)")
    path = src.root / GEO_FILE
    dup = boundaries["lsoa11cd"].duplicated()
    if dup.any():
        raise SourceError(path, f"duplicated lsoa11cd '{boundaries.loc[dup, 'lsoa11cd'].iloc[0]}'")
    lad_of = file1[["LSOA code (2011)", "Local Authority District code (2019)",
                       "Local Authority District name (2019)"]].rename(columns={"LSOA code (2011)": "code", "Local Authority District code (2019)": "lad_code",
                                      "Local Authority District name (2019)": "lad_name"})
    layer = boundaries.rename(columns={"lsoa11cd": "code", "lsoa11nm": "name"})[["code", "name", "geometry"]]
    layer = layer.merge(lad_of, on="code", how="left", validate="one_to_one")
    missing = layer[layer["lad_code"].isna()]
    if len(missing) or len(layer) != EXPECTED_LSOAS:
        problem = (f"LSOA {missing['code'].iloc[0]} has no district in {FILE1}" if len(missing)
                   else f"expected {EXPECTED_LSOAS} England LSOAs, found {len(layer)}")
        raise SourceError(path, problem)

    for ind_id, column in NATIONAL_COLUMNS.items():
        source = src.root / (FILE8 if column == "acute_morbidity_indicator" else SCORES_FILE)
        values = numeric(iod2019, column, source) * (100.0 if ind_id in PERCENT else 1.0)
        layer[ind_id] = layer["code"].map(pd.Series(values.to_numpy(), index=iod2019["code"]))
    layer = layer.sort_values("code").reset_index(drop=True)
    summaries = district_summaries(layer)
    if districts:
        wanted = {plain_name(d) for d in districts}
        known = {plain_name(n) for n in summaries["lad_name"]} | {plain_name(c) for c in summaries["lad_code"]}
        unknown = sorted(wanted - known)
        if unknown:
            raise SourceError(src.root / FILE1, f"no district called '{unknown[0]}'")
        keep = (layer["lad_name"].map(plain_name).isin(wanted) | layer["lad_code"].map(plain_name).isin(wanted)
                | (layer["lad_code"] == BOROUGH_CODE))
        layer = layer[keep].reset_index(drop=True)
    overview = layer[["code", "geometry"]].copy()
    # Each LSOA simplified on its own: neighbours may part by up to the tolerance, invisible at national scale.
    # Oriented here (outer rings anticlockwise, holes clockwise) so the map need not orient 32,844 shapes.
    overview["geometry"] = shapely.orient_polygons(shapely.simplify(overview.geometry.values, OVERVIEW_TOLERANCE_M))
    # And stored again as the arrays the map draws, so opening the map converts nothing.
    rings = to_rows(ring_arrays(overview.geometry.values, oriented=True), overview["code"])
    mapped = "all" if not districts else ",".join(sorted(set(layer["lad_code"])))
    return {"layer": layer, "overview": overview, "rings": rings, "districts": summaries,
            "districts_2025": published_2025(src), "mapped": mapped}


def district_summaries(layer: pd.DataFrame) -> pd.DataFrame:
    """IoD2019 district summaries by MHCLG's method, with ranks (1 = most deprived) of all districts.

    Average score and average rank are population-weighted (mid-2015 population, IoD2019 File 6),
    the average rank over LSOA ranks turned round (most deprived = 32,844) as MHCLG's File 10 does;
    the proportion counts LSOAs in national decile 1."""
    pop = layer["iod19_population_2015"]
    bounds = layer.geometry.bounds
    frame = pd.DataFrame({
        "lad_code": layer["lad_code"], "lad_name": layer["lad_name"], "pop": pop,
        "xmin": bounds["minx"], "ymin": bounds["miny"], "xmax": bounds["maxx"], "ymax": bounds["maxy"],
        "score_x_pop": layer["iod19_imd_score"] * pop, "rank_x_pop": (EXPECTED_LSOAS + 1 - layer["iod19_imd_rank"]) * pop,
        "most_deprived": (layer["iod19_imd_decile"] == 1).astype(int),
    })
    g = frame.groupby(["lad_code", "lad_name"], as_index=False).agg(
        lsoas=("pop", "size"), population=("pop", "sum"), score_x_pop=("score_x_pop", "sum"),
        rank_x_pop=("rank_x_pop", "sum"), most_deprived=("most_deprived", "sum"),
        xmin=("xmin", "min"), ymin=("ymin", "min"), xmax=("xmax", "max"), ymax=("ymax", "max"))
    out = pd.DataFrame({
        "lad_code": g["lad_code"], "lad_name": g["lad_name"], "lsoas": g["lsoas"],
        "population_2015": g["population"],
        "imd_average_score": g["score_x_pop"] / g["population"],
        "imd_average_rank": g["rank_x_pop"] / g["population"],
        "imd_proportion_most_deprived_10": g["most_deprived"] / g["lsoas"],
        "xmin": g["xmin"], "ymin": g["ymin"], "xmax": g["xmax"], "ymax": g["ymax"],
    })
    out["rank_of_average_score"] = out["imd_average_score"].rank(ascending=False, method="min").astype(int)
    # As File 10 does (and the 2025 table published): the most deprived LSOA ranked highest, so a
    # higher average rank is more deprived in both editions.
    out["rank_of_average_rank"] = out["imd_average_rank"].rank(ascending=False, method="min").astype(int)
    out["rank_of_proportion_most_deprived_10"] = (
        out["imd_proportion_most_deprived_10"].rank(ascending=False, method="min").astype(int))
    if len(out) != EXPECTED_DISTRICTS or BOROUGH_CODE not in set(out["lad_code"]):
        raise PackError("data pack", f"expected {EXPECTED_DISTRICTS} IoD2019 districts including St Helens, "
                                     f"found {len(out)}")
    return out.sort_values("lad_code").reset_index(drop=True)


def published_2025(src: Sources) -> pd.DataFrame:
    """IoD2025 File 10 (districts on 2024 boundaries) as MHCLG published it."""
    cols = {"ltla24_code": "lad_code", "ltla24_name": "lad_name", "imd_average_score": "imd_average_score",
            "imd_rank_of_average_score": "rank_of_average_score", "imd_average_rank": "imd_average_rank",
            "imd_rank_of_average_rank": "rank_of_average_rank",
            "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally": "imd_proportion_most_deprived_10",
            "imd_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally":
                "rank_of_proportion_most_deprived_10"}
    frame = src.csv(FILE10_2025, list(cols), key="ltla24_code")[list(cols)].rename(columns=cols)
    path = src.root / FILE10_2025
    for c in list(cols.values())[2:]:
        frame[c] = numeric(frame, c, path, allow_missing=False)
    for c in [c for c in frame.columns if c.startswith("rank_")]:
        frame[c] = frame[c].astype(int)
    return frame.sort_values("lad_code").reset_index(drop=True)


# ---------------------------------------------------------------- district summaries for every domain

#: File 10 (IoD2025) column prefix of each domain, by the catalogue's stem.
FILE10_DOMAINS = {"imd": "imd", "income": "income", "employment": "employment",
                  "education": "education_skills_and_training", "health": "health_deprivation_and_disability",
                  "crime": "crime", "barriers": "barriers_to_housing_and_services",
                  "environment": "living_environment"}
#: The summary measures, in the order tables show them, and how each is ranked (1 = most deprived).
MEASURES = {
    "average_score": "rank of average score (population-weighted mean of LSOA scores)",
    "average_rank": "rank of average rank (population-weighted mean of LSOA ranks, most deprived LSOA ranked "
                    "highest, as MHCLG's File 10)",
    "extent": "rank of extent (population in the most deprived 10% of LSOAs, plus a share falling linearly to 0 "
              "at 30%)",
    "proportion_most_deprived_10": "rank of the proportion of LSOAs in England's most deprived 10%",
}
FILE10_MEASURE_COLUMNS = {
    "average_score": ("{d}_average_score", "{d}_rank_of_average_score"),
    "average_rank": ("{d}_average_rank", "{d}_rank_of_average_rank"),
    "proportion_most_deprived_10": ("{d}_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
                                    "{d}_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally"),
}
DOMAIN_COLUMNS = ("edition", "lad_code", "lad_name", "domain", "measure", "value", "rank", "districts", "source")
PUBLISHED_2025 = "as published by MHCLG, IoD2025 File 10 (local authority summaries, 2024 districts)"
COMPUTED_2019 = ("computed by the builder from the IoD2019 LSOA files (Files 2 and 6 and the IMD, income and "
                 "employment scores; File 10 2019 is not among the sources), MHCLG's method, 2019 districts")


def district_domains(src: Sources, iod2019: pd.DataFrame) -> pd.DataFrame:
    """Every England district's summary measures for every IoD domain, both editions, in one long table
    (:data:`DOMAIN_COLUMNS`): IoD2025 as File 10 publishes them, IoD2019 computed from the LSOA files
    (scores exist for the IMD, income and employment only, so only those have a rank of average score;
    extent for the IMD only, as MHCLG publishes it). Ranks: 1 = most deprived, ties share the rank."""
    return pd.concat([_domains_2019(iod2019), _domains_2025(src)], ignore_index=True)[list(DOMAIN_COLUMNS)]


def _domains_2019(nat: pd.DataFrame) -> pd.DataFrame:
    lad = nat["Local Authority District code (2019)"]
    names = nat.groupby(lad)["Local Authority District name (2019)"].first()
    n = len(nat)
    rows = []
    for stem, label, _ in cat.IOD19_DOMAINS:
        # Each domain weighted by its own denominator: working-age people for employment.
        pop = nat["work2015" if stem == "employment" else "pop2015"].astype(float)
        total = pop.groupby(lad).sum()
        rank = nat[f"{label} Rank (where 1 is most deprived)"].astype(float)
        measures = {
            "average_rank": ((n + 1 - rank) * pop).groupby(lad).sum() / total,
            "proportion_most_deprived_10":
                (nat[f"{label} Decile (where 1 is most deprived 10% of LSOAs)"] == 1).groupby(lad).mean(),
        }
        score = {"imd": "Index of Multiple Deprivation (IMD) Score", "income": "Income Score (rate)",
                 "employment": "Employment Score (rate)"}.get(stem)
        if score:
            measures["average_score"] = (nat[score].astype(float) * pop).groupby(lad).sum() / total
        if stem == "imd":
            share = (0.3 - rank / n) / 0.2
            measures["extent"] = (share.clip(0, 1) * pop).groupby(lad).sum() / total
        for measure in MEASURES:
            if measure in measures:
                value = measures[measure]
                rows.append(pd.DataFrame({
                    "edition": "IoD2019", "lad_code": value.index, "lad_name": names.loc[value.index].to_numpy(),
                    "domain": stem, "measure": measure, "value": value.to_numpy(),
                    "rank": value.rank(ascending=False, method="min").astype(int).to_numpy(),
                    "districts": len(value), "source": COMPUTED_2019}))
    return pd.concat(rows, ignore_index=True)


def _domains_2025(src: Sources) -> pd.DataFrame:
    frame = src.csv(FILE10_2025, ["ltla24_code", "ltla24_name"], key="ltla24_code")
    path = src.root / FILE10_2025
    rows = []
    for stem, prefix in FILE10_DOMAINS.items():
        columns = dict(FILE10_MEASURE_COLUMNS)
        if stem == "imd":
            columns["extent"] = ("imd25_extent", "imd25_rank_of_extent")
        for measure in MEASURES:
            if measure not in columns:
                continue
            value_col, rank_col = (c.format(d=prefix) for c in columns[measure])
            for c in (value_col, rank_col):
                if c not in frame:
                    raise SourceError(path, f"missing column '{c}'")
            rows.append(pd.DataFrame({
                "edition": "IoD2025", "lad_code": frame["ltla24_code"], "lad_name": frame["ltla24_name"],
                "domain": stem, "measure": measure,
                "value": numeric(frame, value_col, path, allow_missing=False).to_numpy(),
                "rank": numeric(frame, rank_col, path, allow_missing=False).astype(int).to_numpy(),
                "districts": len(frame), "source": PUBLISHED_2025}))
    return pd.concat(rows, ignore_index=True)


def borough_scores_2025(src: Sources) -> dict[str, float]:
    """St Helens' average score on each IoD2025 domain as File 10 publishes it (rates as fractions)."""
    frame = src.csv(FILE10_2025, ["ltla24_code"], key="ltla24_code")
    path = src.root / FILE10_2025
    row = frame[frame["ltla24_code"] == BOROUGH_CODE]
    if row.empty:
        raise SourceError(path, f"no row for St Helens ({BOROUGH_CODE})")
    return {stem: float(numeric(row, f"{prefix}_average_score", path, allow_missing=False).iloc[0])
            for stem, prefix in FILE10_DOMAINS.items()}
