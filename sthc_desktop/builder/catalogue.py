"""What the pack says about each dataset and indicator: names, units, polarity, caveats.

This is descriptive metadata written from each source's PROVENANCE.md; every *value*
comes from the official files, read in :mod:`sthc_desktop.builder.pack`.
"""

from __future__ import annotations

from sthc_desktop.core.vocabulary import Aggregation, Geography, Polarity, ValueType

OGL = "Open Government Licence v3.0"
OS_LINE = "Contains OS data © Crown copyright and database right {year}"
NS_LINE = "Contains National Statistics data © Crown copyright and database right {year}"

# Each dataset: who published it, for which period, under which licence, and the
# attribution line a published map must carry. ``files`` are filled in by the build.
DATASETS: dict[str, dict] = {
    "ons_boundaries": {
        "name": "LSOA 2011 and 2021, MSOA, ward (2022) and local authority boundaries, generalised clipped",
        "publisher": "Office for National Statistics (ONS Open Geography Portal)",
        "period": "LSOA/MSOA Dec 2011 and Dec 2021; wards Dec 2022; LAD May 2021 and May 2024",
        "licence": OGL,
        "attribution": "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
                       + OS_LINE.format(year="2024")
                       + ". GeoJSON conversion of 2011 boundaries by Martin Chorley (CC BY 4.0).",
    },
    "ons_lookups": {
        "name": "LSOA to MSOA, ward and local authority lookups; LSOA 2011 to 2021 lookup; district to region "
                "and to combined authority lookups",
        "publisher": "Office for National Statistics",
        "period": "LSOA11-MSOA11 (2018), LSOA11-ward 2017, LSOA21-ward 2024, LSOA11-LSOA21 (v2), LAD-region "
                  "(Dec 2018), LAD-combined authority (Dec 2019)",
        "licence": OGL,
        "attribution": "Source: Office for National Statistics, LSOA lookups. Open Government Licence v3.0. "
                       + NS_LINE.format(year="2024") + ". MSOA names © House of Commons Library.",
    },
    "iod2019": {
        "name": "English Indices of Deprivation 2019 (Files 1, 2, 4, 6, 8 and scores)",
        "publisher": "Ministry of Housing, Communities and Local Government",
        "period": "2019 edition (data mostly 2015/16); LSOA 2011",
        "licence": OGL,
        "attribution": "Source: Ministry of Housing, Communities and Local Government, English Indices of "
                       "Deprivation 2019. Open Government Licence v3.0",
    },
    "iod2025": {
        "name": "English Indices of Deprivation 2025 (domains, sub-domains, File 8 indicators)",
        "publisher": "Ministry of Housing, Communities and Local Government",
        "period": "2025 edition (data mostly 2021/22 to 2023/24); LSOA 2021",
        "licence": OGL,
        "attribution": "Source: Ministry of Housing, Communities and Local Government, English Indices of "
                       "Deprivation 2025. Open Government Licence v3.0",
    },
    "ons_population_2020": {
        "name": "Lower layer Super Output Area population estimates, mid-2020 (SAPE23DT2)",
        "publisher": "Office for National Statistics",
        "period": "mid-2020; LSOA 2011",
        "licence": OGL,
        "attribution": "Source: Office for National Statistics, LSOA population estimates mid-2020. "
                       "Open Government Licence v3.0",
    },
    "census2021": {
        "name": "Census 2021: TS011 household deprivation dimensions; TS038 disability",
        "publisher": "Office for National Statistics",
        "period": "Census day 21 March 2021; LSOA 2021",
        "licence": OGL,
        "attribution": "Source: Office for National Statistics, Census 2021 (TS011, TS038). "
                       "Open Government Licence v3.0",
    },
    "qof_obesity": {
        "name": "Quality and Outcomes Framework: obesity register (OB) and practice list size, by practice",
        "publisher": "NHS England (NHS Digital)",
        "period": "QOF years 2013-14 to 2024-25",
        "licence": OGL,
        "attribution": "Source: NHS England, Quality and Outcomes Framework 2013-14 to 2024-25. "
                       "Open Government Licence v3.0",
    },
    "fingertips_smoking": {
        "name": "Smoking prevalence in adults (15+), current smokers (QOF), Fingertips indicator 91547",
        "publisher": "Office for Health Improvement and Disparities (Fingertips)",
        "period": "2013/14 to 2023/24 (practices 2022/23 and 2023/24)",
        "licence": OGL,
        "attribution": "Source: OHID, Fingertips indicator 91547. Open Government Licence v3.0",
    },
    "fingertips_practice_imd": {
        "name": "Deprivation score (IMD) of registered patients, by practice, Fingertips indicator 93553",
        "publisher": "Office for Health Improvement and Disparities (Fingertips)",
        "period": "IMD 2010, 2015 and 2019",
        "licence": OGL,
        "attribution": "Source: OHID, Fingertips indicator 93553. Open Government Licence v3.0",
    },
    "fingertips_ae_0_4": {
        "name": "A&E attendances (0 to 4 years), rate per 1,000, Fingertips indicator 93930",
        "publisher": "Office for Health Improvement and Disparities (Fingertips)",
        "period": "2021/22 and 2022/23",
        "licence": OGL,
        "attribution": "Source: OHID, Fingertips indicator 93930. Open Government Licence v3.0",
    },
    "nhs_practices": {
        "name": "GP practices: ODS epraccur and ePCN, Patients Registered at a GP Practice, postcode centroids",
        "publisher": "NHS England (ODS, NHS Digital); ONS Postcode Directory; OS Code-Point Open",
        "period": "ODS status to 2026; list sizes 1 Jan 2021 and 1 Apr 2026; PCN membership Oct 2024",
        "licence": OGL,
        "attribution": "Source: NHS England, ODS and Patients Registered at a GP Practice. Open Government "
                       "Licence v3.0. Contains OS data © Crown copyright and database right 2023; contains "
                       "Royal Mail data © Royal Mail copyright and database right 2023",
    },
    "strategic_plan": {
        "name": "St Helens Cares strategic plan: key measures, baselines and 2026/27 targets",
        "publisher": "St Helens Cares",
        "period": "Baselines as printed in the plan (periods not stated); targets 2026/27",
        "licence": "As published by St Helens Cares",
        "attribution": "Source: St Helens Cares strategic plan, key measures",
    },
}


def indicator(*, id: str, name: str, short_name: str, theme: str, unit: str, polarity: Polarity,
              geography: Geography, dataset: str, value_type: ValueType, aggregation: Aggregation,
              caveats: str = "", weight: str = "", multiplier: float = 1.0, borough_method: str = "") -> dict:
    """One catalogue row (its periods and source are added when the pack is assembled), every field
    named. ``aggregation`` says how small areas combine into a locality: population-weighted mean (by
    the ``weight`` indicator), ratio of sums (× multiplier), sum, list-weighted mean, or not aggregated
    (ranks and deciles are relative). ``england_method`` says how the pack's England row was made (see
    :func:`england_method`); ``borough_method`` how a published St Helens row was, where it names the
    publication. The words are stored as the pack's plain text."""
    return dict(id=id, name=name, short_name=short_name, theme=theme, unit=unit, polarity=Polarity(polarity).value,
                geography=Geography(geography).value, dataset=dataset, value_type=ValueType(value_type).value,
                aggregation=Aggregation(aggregation).value, caveats=caveats, weight=weight, multiplier=multiplier,
                england_method=england_method(dataset, aggregation, unit), borough_method=borough_method)


# How pack.py makes each dataset's England row, by the indicator's aggregation: recomputed from
# every England LSOA or practice in the national files, or taken as the publisher gives it.
# ``None`` stands for any aggregation. A dataset not listed here has no England row.
_ENGLAND_METHODS: dict[tuple[str, Aggregation | None], str] = {
    ("iod2019", Aggregation.POPULATION_WEIGHTED):
        "England: population-weighted mean of all 32,844 England LSOAs (IoD2019 mid-2015 populations, File 6), "
        "computed by the builder from the IoD2019 LSOA files; the same method as the localities",
    ("iod2019", Aggregation.RATIO_OF_SUMS):
        "England: the numerators of all 32,844 England LSOAs (IoD2019 File 8) summed and divided by their summed "
        "mid-2015 denominators (File 6), computed by the builder; Wilson 95% interval",
    ("iod2019", Aggregation.SUM):
        "England: sum over all 32,844 England LSOAs (IoD2019 File 6), computed by the builder",
    ("ons_population_2020", Aggregation.SUM):
        "England: sum of the ONS mid-2020 estimates over all England LSOAs, computed by the builder",
    ("ons_population_2020", Aggregation.RATIO_OF_SUMS):
        "England: the ONS mid-2020 estimates of all England LSOAs summed, then divided, computed by the builder; "
        "Wilson 95% interval",
    ("qof_obesity", Aggregation.RATIO_OF_SUMS):
        "England: registers of all England practices with a list summed and divided by their summed lists "
        "(NHS England QOF), computed by the builder; Wilson 95% interval; a practice with no register "
        "for a year (some rows of 2015-16 to 2018-19) is left out of that year",
    ("fingertips_smoking", None): "England: value as published by OHID Fingertips (not recomputed)",
    ("fingertips_ae_0_4", None): "England: value as published by OHID Fingertips (not recomputed)",
}
# What a mean of LSOA values says about a scale fixed on England's own totals.
_SCALE_NOTES = {
    "England = 100": ("; not 100: England = 100 holds for England's total observed ÷ expected count, which the "
                      "files do not give, while this row (like each locality's value) averages the LSOAs' ratios, "
                      "so compare the localities with this row"),
    "0 = England average": "; the scores are scaled so that England's LSOAs average 0 unweighted",
}


def england_method(dataset: str, aggregation: Aggregation, unit: str) -> str:
    """How the builder makes an indicator's England row, as every output names it ("" if it has none)."""
    text = _ENGLAND_METHODS.get((dataset, aggregation)) or _ENGLAND_METHODS.get((dataset, None), "")
    notes = [note for scale, note in _SCALE_NOTES.items() if text and scale in str(unit)]
    return text + "".join(notes)


IOD19_CAVEAT = ("IoD2019 is published on 2011 LSOAs and measures relative deprivation; MHCLG advises "
                "against comparing scores with IoD2025.")
IOD25_CAVEAT = ("IoD2025 is published on 2021 LSOAs and measures relative deprivation; MHCLG advises "
                "against comparing scores with IoD2019. No mid-2022 LSOA denominators are in the sources, "
                "so locality averages are weighted by Census 2021 usual residents and no England "
                "average is given.")
#: The IoD2025 rates and the denominator each is a share of.
IOD25_RATE_UNITS = {"income": "% of total population", "employment": "% of working-age population"}
IOD25_RATE_CAVEAT = ("IoD2025 is published on 2021 LSOAs and measures relative deprivation; MHCLG advises against "
                     "comparing scores with IoD2019. A rate: people {stem}-deprived ÷ {denominator}. The sources "
                     "lack MHCLG's mid-2022 denominators, so each LSOA's denominator is the one its File 8 "
                     "numerator (published rounded to 5) and its score (3 decimals) imply, and localities are "
                     "their ratio of sums; St Helens is MHCLG's published File 10 value. No England average.")
#: How the pack's St Helens row of an IoD2025 domain score was made.
FILE10_BOROUGH = ("St Helens: average score as published by MHCLG (IoD2025 File 10, local authority summaries, "
                  "weighted by MHCLG's mid-2022 populations); not recomputed")
QOF_OBESITY_CAVEAT = ("QOF register of patients aged 18+ with BMI ≥ 30 recorded in the last 12 months, divided "
                      "by the 18+ list. 2013-14: the list is all ages, not comparable. 2020-21: depressed by "
                      "reduced BMI recording during COVID-19. From 2022-23 (the year of the change is not verified) "
                      "the register adds an ethnicity-specific BMI ≥ 27.5 threshold (Fingertips 92588 / 94136): "
                      "a possible break in the series. Practice coverage changes with closures.")

# IoD domains: (id stem, name in the files, short name).
IOD19_DOMAINS = [
    ("imd", "Index of Multiple Deprivation (IMD)", "IMD"),
    ("income", "Income", "Income"),
    ("employment", "Employment", "Employment"),
    ("education", "Education, Skills and Training", "Education"),
    ("health", "Health Deprivation and Disability", "Health"),
    ("crime", "Crime", "Crime"),
    ("barriers", "Barriers to Housing and Services", "Barriers"),
    ("environment", "Living Environment", "Living env."),
]
IOD25_DOMAINS = [
    ("imd", "IMD", "Index of Multiple Deprivation (IMD)", "IMD"),
    ("income", "Income", "Income", "Income"),
    ("employment", "Employment", "Employment", "Employment"),
    ("education", "Education", "Education, Skills and Training", "Education"),
    ("health", "Health", "Health Deprivation and Disability", "Health"),
    ("crime", "Crime", "Crime", "Crime"),
    ("barriers", "Housing_and_Services", "Barriers to Housing and Services", "Barriers"),
    ("environment", "Environment", "Living Environment", "Living env."),
]
IOD_SUBDOMAINS = [
    # (id stem, IoD2019 column stem, IoD2025 column stem, name)
    ("children_young_people", "Children_and_young_people", "children_and_young_people",
     "Children and Young People sub-domain"),
    ("adult_skills", "Adult_skills", "adult_skills", "Adult Skills sub-domain"),
    ("geographical_barriers", "Geographical_barriers", "geographical_barriers", "Geographical Barriers sub-domain"),
    ("wider_barriers", "Wider_barriers", "wider_barriers", "Wider Barriers sub-domain"),
    ("indoors", "Indoors", "indoors", "Indoors Living Environment sub-domain"),
    ("outdoors", "Outdoors", "outdoors", "Outdoors Living Environment sub-domain"),
]
