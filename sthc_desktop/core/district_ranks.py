"""Where St Helens ranks among England's districts on each deprivation domain, in both IoD editions.

Every pack (borough or England scale) holds the ``district_domains`` table the builder writes: for
each district, IoD edition, domain (the IMD and its seven domains) and MHCLG summary measure, the
value and its rank among all districts (1 = most deprived, for every measure and both editions).
IoD2025 is MHCLG's File 10 as published; IoD2019 is computed by the builder from the LSOA files by
MHCLG's method (the sources hold domain scores for the IMD, income and employment only, so the other
domains have no rank of average score). :func:`district_table` gives the districts wide, one row
each, for the ``districts`` command; :func:`borough_rank_table` gives the table the Deprivation view
and the locality pack show, :data:`RANK_NOTE` and :func:`extent_note` the words under it. Qt-free.
"""

from __future__ import annotations

import pandas as pd

from .datapack import BOROUGH_CODE
from .errors import PackError

EDITIONS = ("IoD2019", "IoD2025")
DOMAINS = {"imd": "Index of Multiple Deprivation (IMD)", "income": "Income", "employment": "Employment",
           "education": "Education, Skills and Training", "health": "Health Deprivation and Disability",
           "crime": "Crime", "barriers": "Barriers to Housing and Services", "environment": "Living Environment"}
#: MHCLG's local-authority summary measures, as tables name them.
MEASURES = {"average_score": "rank of average score", "average_rank": "rank of average rank",
            "extent": "rank of extent", "proportion_most_deprived_10": "rank of share of LSOAs in the most deprived 10%"}
#: The measures the borough table shows for each domain (extent is the IMD's only: it goes in the note).
TABLE_MEASURES = ("average_score", "average_rank", "proportion_most_deprived_10")
SHORT_MEASURES = {"average_score": "average score", "average_rank": "average rank",
                  "proportion_most_deprived_10": "LSOAs in most deprived 10%"}
#: The direction of every rank the ``districts`` table gives, in the file itself.
RANK_DIRECTION = ("every *_rank_of_* column: 1 = most deprived district; *_average_rank: population-weighted mean "
                  "of LSOA ranks, the most deprived LSOA ranked highest (as File 10), so higher is more deprived")
TABLE_TITLE = "Where St Helens ranks among England's districts (1 = most deprived)"
NOT_COMPUTABLE = "–"
RANK_NOTE = ("Ranks among all England districts, 1 = most deprived, on MHCLG's local-authority summary measures: "
             "average score (population-weighted; employment by working-age population), average rank "
             "(population-weighted mean of LSOA ranks, the most deprived LSOA ranked highest, as File 10 does), "
             "share of LSOAs in England's most deprived 10%. IoD2025: as published by MHCLG in File 10 "
             "(296 districts, 2024 boundaries). IoD2019: computed from the IoD2019 LSOA files (317 districts), "
             "whose sources give domain scores only for the IMD, income and employment, so the other domains "
             "have no rank of average score (–).")


def domain_ranks(pack) -> pd.DataFrame:
    """The pack's ``district_domains`` table; :class:`PackError` for a pack built before it existed."""
    try:
        return pack.layer("district_domains")
    except PackError:
        raise PackError(pack.path, "this pack has no district summaries by domain (rebuild it with "
                                   "`python main.py build-geodata`)") from None


def district_table(pack, edition: str, codes: list[str] | None = None) -> pd.DataFrame:
    """One row per district of ``edition`` (all, or those in ``codes``), most deprived on the IMD first:
    ``{domain}_{measure}`` and ``{domain}_rank_of_{measure}`` for every measure the edition has, and the
    ranks' direction (:data:`RANK_DIRECTION`) in a ``ranks`` column."""
    long = domain_ranks(pack)
    long = long[long["edition"] == edition]
    if codes is not None:
        long = long[long["lad_code"].isin(codes)]
    long = long.assign(key=long["domain"] + "_" + long["measure"])
    values = long.pivot(index=["lad_code", "lad_name"], columns="key", values="value")
    ranks = long.pivot(index=["lad_code", "lad_name"], columns="key", values="rank")
    order = [f"{d}_{m}" for d in DOMAINS for m in MEASURES if f"{d}_{m}" in values.columns]
    wide = pd.concat({"value": values[order], "rank": ranks[order]}, axis=1)
    columns = {}
    for key in order:
        domain, measure = key.split("_", 1)
        columns[key] = wide[("value", key)]
        columns[f"{domain}_rank_of_{measure}"] = wide[("rank", key)].astype(int)
    table = pd.DataFrame(columns).reset_index()
    table.insert(2, "districts", int(long["districts"].iloc[0]) if len(long) else 0)
    table.insert(3, "ranks", RANK_DIRECTION)
    table["source"] = long["source"].iloc[0] if len(long) else ""
    return table.sort_values(["imd_rank_of_average_score", "lad_code"]).reset_index(drop=True)


def borough_rank_table(pack, code: str = BOROUGH_CODE) -> tuple[list[str], list[list[str]]]:
    """St Helens' rank on each domain, as the Deprivation view and the locality pack print it: a header,
    naming each edition's number of districts, then one row per domain with St Helens' rank for each
    edition and measure of :data:`TABLE_MEASURES` (:data:`NOT_COMPUTABLE` where the sources do not
    allow the measure)."""
    long = domain_ranks(pack)
    mine = long[long["lad_code"] == code].set_index(["edition", "domain", "measure"])
    districts = long.groupby("edition")["districts"].first()
    header = ["Domain", *[f"{edition[3:]}: {SHORT_MEASURES[m]} (of {int(districts[edition])})"
                          for edition in EDITIONS for m in TABLE_MEASURES]]
    rows = []
    for domain, name in DOMAINS.items():
        cells = [name]
        for edition in EDITIONS:
            for measure in TABLE_MEASURES:
                key = (edition, domain, measure)
                cells.append(str(int(mine.loc[key, "rank"])) if key in mine.index else NOT_COMPUTABLE)
        rows.append(cells)
    return header, rows


def extent_note(pack, code: str = BOROUGH_CODE) -> str:
    """The IMD extent rank of St Helens in each edition, for the notes under the table."""
    long = domain_ranks(pack)
    rows = long[(long["lad_code"] == code) & (long["domain"] == "imd") & (long["measure"] == "extent")]
    parts = [f"{r.edition} {int(r.rank)} of {int(r.districts)}" for r in rows.itertuples()]
    return ("IMD extent (population in the most deprived 10% of LSOAs, plus a share falling linearly to 0 at "
            "30%): " + "; ".join(parts) + ".") if parts else ""


def borough_statement(pack, edition: str, code: str = BOROUGH_CODE) -> str:
    """St Helens' rank of average score on each domain that has one in ``edition``, most deprived first."""
    long = domain_ranks(pack)
    part = long[(long["lad_code"] == code) & (long["measure"] == "average_score") & (long["edition"] == edition)]
    part = part.sort_values(["rank", "domain"])
    ranks = ", ".join(f"{DOMAINS[r.domain]} {int(r.rank)}" for r in part.itertuples())
    return f"{edition} rank of average score: {ranks}"
