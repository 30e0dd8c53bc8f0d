"""North West, Liverpool City Region and Cheshire & Merseyside benchmarks, from the official files.

The strategic plan's targets are "below the North West average", "best in the Liverpool City
Region" and "best borough in Merseyside". This module builds the two pack tables behind those
benchmarks:

* ``benchmark_areas``: one row per benchmark area, its official code and name (read from the
  lookups, never typed), which districts or practices it holds and from which file, and what
  cannot be built and which file would be needed;
* ``benchmarks``: one row per area, indicator and period, in the columns of the pack's indicator
  values plus ``status`` ("published" or "derived") and ``method``.

Published before derived: OHID publishes North West rows for QOF smoking (Fingertips 91547), used
as published. No publisher gives a regional or combined-authority IoD2019 summary or a regional QOF
obesity prevalence, so those are derived the way the published England and district figures are
made: a population-weighted mean of LSOA scores (MHCLG's average score), summed numerators over
summed denominators for rates and prevalences, the share of LSOAs in England's most deprived 10%.

Membership:

* North West (ONS region E12000002) and Liverpool City Region (E47000004): each IoD2019 LSOA's 2019
  district (IoD2019 File 2) matched to the ONS district → region (December 2018) and district →
  combined authority (December 2019) lookups. The April 2019 district changes are checked to lie
  outside the North West (none of the districts they replaced was in it), so its 39 districts hold.
* Cheshire & Merseyside ICB and the NHS England North West region, for practice indicators: each
  practice's ICB and region codes in the national ODS epraccur file (December 2022); the codes are
  those of St Helens' own practices, named by the NHS Digital practice → ICB → region map.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sthc_desktop.core.comparison import CHESHIRE_MERSEYSIDE, LIVERPOOL_CITY_REGION, NORTH_WEST
from sthc_desktop.core.datapack import BENCHMARK_AREA_COLUMNS, BENCHMARK_COLUMNS, BOROUGH_CODE
from sthc_desktop.core.errors import SourceError
from sthc_desktop.core.stats import wilson_interval

from .sources import Sources

REGION_FILE = "geography/england_lad18_to_region18_ons.csv"
AUTHORITY_FILE = "geography/england_lad19_to_combined_authority19_ons.csv"
EPRACCUR_FILE = "practices/epraccur_2022-12_national.csv.gz"
PRACTICE_MAP_FILE = "practices/gp-reg-pat-prac-map_2022-01_sthelens.csv"
#: The standard epraccur columns this module reads, by position (the national file has no header).
EPRACCUR_NAMES = {0: "org_code", 2: "national_grouping", 3: "high_level_health_geography", 12: "status_code",
                  25: "prescribing_setting"}
GP_PRACTICE_SETTING = "4"
#: A QOF year gets NHS-area values only if the practices the December 2022 epraccur cannot place (closed
#: before today's regions and ICBs, or opened after it) hold less than this share of England's list.
UNPLACED_LIMIT = 0.005

REGIONAL_NOT_AVAILABLE = {
    NORTH_WEST: ("IoD2025: the sources hold no national LSOA 2021 → district lookup (ONS 'LSOA (2021) to LAD "
                 "(2024)') and no IoD2025 population denominators (File 6), and MHCLG publishes no regional "
                 "summary; Census 2021, practice and Fingertips indicators other than QOF smoking: the files "
                 "are St Helens only."),
    LIVERPOOL_CITY_REGION: ("IoD2025: as for the North West, an ONS LSOA (2021) → LAD (2024) lookup and "
                            "IoD2025 File 6 would be needed; practice indicators: no practice → district "
                            "lookup (the ONS Postcode Directory, or NHS 'Patients registered at a GP practice' "
                            "by LSOA) for practices outside St Helens; Census 2021: St Helens only."),
    CHESHIRE_MERSEYSIDE: ("LSOA indicators (IoD2019, IoD2025, Census): the sources hold no district → ICB lookup "
                          "(ONS 'LSOA (2021) to Sub-ICB Location to ICB to LAD'); other practice indicators: "
                          "St Helens practices only."),
}
MERSEYSIDE_NOTE = ("Merseyside (the metropolitan county) is not a benchmark: the sources hold no ONS district → "
                   "county lookup; the Liverpool City Region is Merseyside plus Halton.")


def build(src: Sources, iod2019: pd.DataFrame, qof: pd.DataFrame, smoking: pd.DataFrame,
          uses) -> dict[str, pd.DataFrame]:
    """The ``benchmark_areas`` and ``benchmarks`` tables. ``iod2019`` is the national IoD2019 frame
    (one row per England LSOA), ``qof`` the national QOF obesity rows (year, practice, register, list),
    ``smoking`` the Fingertips 91547 rows; ``uses(dataset, *files)`` cites the files read here."""
    uses("ons_lookups", REGION_FILE, AUTHORITY_FILE)
    uses("nhs_practices", EPRACCUR_FILE, PRACTICE_MAP_FILE)
    areas, districts = _district_areas(src, iod2019)
    icb, codes, practices = _nhs_areas(src)
    rows = [*_iod2019_rows(iod2019, districts, areas), *_qof_rows(qof, practices, codes),
            *_smoking_rows(src, smoking, areas[NORTH_WEST])]
    values = (pd.DataFrame(rows, columns=list(BENCHMARK_COLUMNS))
              .sort_values(["benchmark", "indicator_id", "period"]).reset_index(drop=True))
    table = pd.DataFrame([areas[NORTH_WEST], areas[LIVERPOOL_CITY_REGION], icb],
                         columns=list(BENCHMARK_AREA_COLUMNS))
    return {"benchmark_areas": table, "benchmarks": values}


# ---------------------------------------------------------------- districts: North West and the city region

def _district_areas(src: Sources, nat: pd.DataFrame) -> tuple[dict[str, dict], dict[str, set[str]]]:
    regions = src.csv(REGION_FILE, ["LAD18CD", "LAD18NM", "RGN18CD", "RGN18NM"], key="LAD18CD")
    authorities = src.csv(AUTHORITY_FILE, ["LAD19CD", "LAD19NM", "CAUTH19CD", "CAUTH19NM"], key="LAD19CD")
    lad19 = set(nat["Local Authority District code (2019)"])
    # The 2019 district changes must leave the region whole: a district it held must not have gone.
    gone = regions[~regions["LAD18CD"].isin(lad19)]
    nw = _one(regions, "RGN18NM", NORTH_WEST, "RGN18CD", src.root / REGION_FILE)
    lost = gone.loc[gone["RGN18NM"] == NORTH_WEST, "LAD18CD"]
    if len(lost):
        raise SourceError(src.root / REGION_FILE, f"North West district {lost.iloc[0]} is not an IoD2019 "
                                                  "district: a 2019 district → region lookup is needed")
    lcr = _one(authorities, "CAUTH19NM", LIVERPOOL_CITY_REGION, "CAUTH19CD", src.root / AUTHORITY_FILE)
    members = {NORTH_WEST: regions.loc[regions["RGN18NM"] == NORTH_WEST, ["LAD18CD", "LAD18NM"]].to_numpy(),
               LIVERPOOL_CITY_REGION: authorities.loc[authorities["CAUTH19NM"] == LIVERPOOL_CITY_REGION,
                                                      ["LAD19CD", "LAD19NM"]].to_numpy()}
    for name, path in ((NORTH_WEST, REGION_FILE), (LIVERPOOL_CITY_REGION, AUTHORITY_FILE)):
        absent = [c for c, _ in members[name] if c not in lad19]
        if absent or BOROUGH_CODE not in {c for c, _ in members[name]}:
            raise SourceError(src.root / path, f"{name}: district {absent[0] if absent else BOROUGH_CODE} "
                                               "is not among the IoD2019 districts (or St Helens is not a member)")
    new = sorted(lad19 - set(regions["LAD18CD"]))
    source = {NORTH_WEST: (f"ONS Local Authority District to Region (December 2018) lookup ({REGION_FILE}); "
                           f"IoD2019 districts are 2019's, and the {len(new)} districts formed in April 2019 "
                           f"({', '.join(new)}) replaced none of the North West's"),
              LIVERPOOL_CITY_REGION: f"ONS Local Authority District to Combined Authority (December 2019) lookup "
                                     f"({AUTHORITY_FILE})"}
    areas = {}
    for name, code in ((NORTH_WEST, nw), (LIVERPOOL_CITY_REGION, lcr)):
        names = sorted(str(n) for _, n in members[name])
        areas[name] = dict(benchmark=name, area_code=code, members=f"{len(names)} districts: {', '.join(names)}",
                           membership=source[name], not_available=REGIONAL_NOT_AVAILABLE[name]
                           + (f" {MERSEYSIDE_NOTE}" if name == LIVERPOOL_CITY_REGION else ""))
    return areas, {name: {str(c) for c, _ in m} for name, m in members.items()}


def _one(frame: pd.DataFrame, name_col: str, name: str, code_col: str, path) -> str:
    codes = frame.loc[frame[name_col] == name, code_col].unique()
    if len(codes) != 1:
        raise SourceError(path, f"expected one {code_col} named '{name}', found {len(codes)}")
    return str(codes[0])


DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
SCORE = "Index of Multiple Deprivation (IMD) Score"
#: IoD2019 scores summarised as MHCLG's average score: (indicator ids, File column).
WEIGHTED_MEANS = ((("iod19_imd_score", "profile19_imd_average_score"), SCORE),
                  (("iod19_acute_morbidity",), "acute_morbidity_indicator"),
                  (("iod19_cidr",), "comparative_illness_and_disability_ratio_indicator"),
                  (("iod19_ypll",), "years_of_potential_life_lost_indicator"),
                  (("iod19_mood_anxiety",), "mood_and_anxiety_disorders_indicator"))
RATES = (("iod19_income_score", "income_domain_numerator", "pop2015", "total population"),
         ("iod19_employment_score", "employment_domain_numerator", "work2015", "working-age population"))
IOD2019_FILES = ("IoD2019 File 2 (each LSOA's 2019 district and IMD decile), File 6 (mid-2015 populations), "
                 "File 8 (numerators and health indicators) and the IMD, income and employment scores")


def _iod2019_rows(nat: pd.DataFrame, districts: dict[str, set[str]], areas: dict[str, dict]) -> list[dict]:
    lad = nat["Local Authority District code (2019)"]
    return [row for name, members in districts.items()
            for row in _area_rows(name, nat[lad.isin(members)], len(members), areas[name])]


def _area_rows(name: str, part: pd.DataFrame, districts: int, area: dict) -> list[dict]:
    """One area's IoD2019 benchmarks from its LSOAs (``part``, rows of the national frame)."""
    rows = []
    where = f"the {len(part):,} LSOAs of the {name}'s {districts} districts"
    base = dict(benchmark=name, area_code=area["area_code"], status="derived")
    pop = part["pop2015"].astype(float)

    def add(ids, period, value, method, numerator=np.nan, denominator=np.nan, lower=np.nan, upper=np.nan):
        for ind in ids:
            rows.append({**base, "indicator_id": ind, "period": period, "value": float(value),
                         "numerator": float(numerator), "denominator": float(denominator),
                         "lower_ci": float(lower), "upper_ci": float(upper),
                         "method": f"{name}: derived, {method}; from {IOD2019_FILES}; MHCLG publishes no "
                                   f"{'regional' if name == NORTH_WEST else 'combined-authority'} summary; "
                                   f"districts: {area['membership']}"})

    add(("iod19_population_2015",), "mid-2015", pop.sum(), f"sum over {where}", numerator=pop.sum())
    for ids, column in WEIGHTED_MEANS:
        values = part[column].astype(float)
        add(ids, "IoD2019", np.average(values, weights=pop),
            f"population-weighted mean of {where} (mid-2015 populations), MHCLG's average-score method",
            denominator=pop.sum())
    for ind, num_col, den_col, den_name in RATES:
        num, den = float(part[num_col].sum()), float(part[den_col].sum())
        lo, hi = wilson_interval(num, den)
        add((ind,), "IoD2019", 100 * num / den, f"numerators of {where} summed and divided by their summed "
            f"mid-2015 {den_name}; Wilson 95% interval", num, den, 100 * lo, 100 * hi)
    decile = part[DECILE].astype(float)
    add(("profile19_pct_lsoas_most_deprived_10",), "IoD2019", 100 * (decile == 1).mean(),
        f"LSOAs in England's most deprived 10% (IMD decile 1) as a % of {where}", (decile == 1).sum(),
        len(part))
    for kind, levels, level_of in (("decile", 10, decile), ("quintile", 5, (decile + 1) // 2)):
        for n in range(1, levels + 1):
            hit = float(pop[level_of == n].sum())
            add((f"profile19_pct_residents_{kind}_{n}",), "IoD2019", 100 * hit / pop.sum(),
                f"residents (mid-2015) of LSOAs in national IMD {kind} {n} as a % of the residents of {where}",
                hit, pop.sum())
    return rows


# ---------------------------------------------------------------- practices: NHS region and ICB

def _nhs_areas(src: Sources) -> tuple[dict, dict[str, tuple], pd.DataFrame]:
    """Cheshire & Merseyside ICB's ``benchmark_areas`` row; for it and the NHS England North West region,
    the epraccur column, the code (those of St Helens' practices in the practice map), the ONS code and a
    label; and every GP practice's ICB and region codes (epraccur)."""
    path = src.root / PRACTICE_MAP_FILE
    mapped = src.csv(PRACTICE_MAP_FILE, ["CCG_CODE", "ONS_STP_CODE", "STP_CODE", "STP_NAME", "ONS_COMM_REGION_CODE",
                                         "COMM_REGION_CODE", "COMM_REGION_NAME"])
    mapped = mapped[mapped["CCG_CODE"] == "01X"]
    found = mapped[["ONS_STP_CODE", "STP_CODE", "STP_NAME", "COMM_REGION_CODE", "COMM_REGION_NAME"]].drop_duplicates()
    if len(found) != 1 or found["STP_NAME"].iloc[0] != CHESHIRE_MERSEYSIDE:
        raise SourceError(path, f"expected St Helens' practices in one ICB named '{CHESHIRE_MERSEYSIDE}', found "
                                f"{', '.join(found['STP_NAME'].astype(str)) or 'none'}")
    icb = found.iloc[0]
    ep = src.csv(EPRACCUR_FILE, list(EPRACCUR_NAMES.values()), names=EPRACCUR_NAMES, key="org_code")
    ep = ep[ep["prescribing_setting"].astype(str) == GP_PRACTICE_SETTING]
    open_now = ep[ep["status_code"] == "A"]
    # A closed practice keeps the codes it had when it closed: only today's region and ICB codes place it.
    ep = ep.assign(placed=ep["national_grouping"].isin(set(open_now["national_grouping"]))
                   & ep["high_level_health_geography"].isin(set(open_now["high_level_health_geography"])))
    members = ep[ep["high_level_health_geography"] == icb["STP_CODE"]]
    area = dict(benchmark=CHESHIRE_MERSEYSIDE, area_code=str(icb["ONS_STP_CODE"]),
                members=f"{int((members['status_code'] == 'A').sum())} open GP practices in December 2022 "
                        f"(ICB {icb['STP_CODE']}), and the closed practices epraccur places there",
                membership=f"each practice's ICB code in the national ODS epraccur, December 2022 "
                           f"({EPRACCUR_FILE}); {icb['STP_CODE']} is the ICB of St Helens' practices in NHS "
                           f"Digital's practice → ICB → region map ({PRACTICE_MAP_FILE}), which names it",
                not_available=REGIONAL_NOT_AVAILABLE[CHESHIRE_MERSEYSIDE])
    codes = {CHESHIRE_MERSEYSIDE: ("high_level_health_geography", icb["STP_CODE"], str(icb["ONS_STP_CODE"]),
                                   f"Cheshire and Merseyside ICB ({icb['STP_CODE']})"),
             NORTH_WEST: ("national_grouping", icb["COMM_REGION_CODE"], str(mapped["ONS_COMM_REGION_CODE"].iloc[0]),
                          f"the NHS England {icb['COMM_REGION_NAME']} region ({icb['COMM_REGION_CODE']}; not the "
                          f"ONS region: it leaves out North Cumbria and takes in Glossop)")}
    return area, codes, ep


def _qof_rows(qof: pd.DataFrame, practices: pd.DataFrame, codes: dict[str, tuple]) -> list[dict]:
    rows = []
    placed = practices.set_index("org_code")
    for year, part in sorted(qof.groupby("year")):
        usable = part.dropna(subset=["register", "list"])
        usable = usable[usable["list"] > 0]
        where = usable["practice_code"].map(placed["placed"]).fillna(False).astype(bool)
        unplaced = float(usable.loc[~where, "list"].sum() / usable["list"].sum())
        if unplaced >= UNPLACED_LIMIT:
            continue
        for name, (column, code, ons_code, label) in codes.items():
            inside = usable[usable["practice_code"].map(placed[column]).eq(code)]
            num, den = float(inside["register"].sum()), float(inside["list"].sum())
            lo, hi = wilson_interval(num, den)
            rows.append(dict(benchmark=name, area_code=ons_code, indicator_id="qof_obesity", period=str(year),
                             value=100 * num / den, numerator=num, denominator=den, lower_ci=100 * lo,
                             upper_ci=100 * hi, status="derived",
                             method=f"{name}: derived, registers of the {len(inside):,} practices of {label} "
                                    f"summed and divided by their summed lists (NHS England QOF), as the England "
                                    f"value; Wilson 95% interval; practices placed by the December 2022 epraccur "
                                    f"({int((~where).sum())} of the year's practices, {100 * unplaced:.2f}% of "
                                    f"England's list, could not be placed)"))
    return rows


def _smoking_rows(src: Sources, smoking: pd.DataFrame, area: dict) -> list[dict]:
    """Fingertips 91547's North West rows as OHID publishes them."""
    rows = smoking[(smoking["Area Code"] == area["area_code"]) & (smoking["Area Type"] == "Regions (statistical)")]
    out = []
    for r in rows.drop_duplicates("Time period").to_dict("records"):
        out.append(dict(benchmark=NORTH_WEST, area_code=area["area_code"], indicator_id="qof_smoking",
                        period=str(r["Time period"]), value=r["Value"], numerator=r["Count"],
                        denominator=r["Denominator"], lower_ci=r["Lower CI 95.0 limit"],
                        upper_ci=r["Upper CI 95.0 limit"], status="published",
                        method=f"{NORTH_WEST}: as published by OHID Fingertips (indicator 91547, "
                               f"{r['Area Name']}); value, interval and counts not recomputed"))
    return out
