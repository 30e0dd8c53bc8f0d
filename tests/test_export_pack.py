"""Locality pack: pages, text, suppression, progress, cancel, and the command line."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from sthc_desktop.cli import main
from sthc_desktop.core.errors import ExportError
from sthc_desktop.export import ExportCancelled, export_pack
from sthc_desktop.export.request import DEFAULT_INDICATORS, choose_indicators
from sthc_desktop.core.comparison import publishable
from sthc_desktop.content.pack import indicator_table, publish
from sthc_desktop.render.charts import COMPARISON_FILLS, comparison_fills
from sthc_desktop.render.locality_pack.district_ranks import DISTRICT_RANKS_PAGE
from sthc_desktop.render.locality_pack.spine_funnel import FUNNEL_PAGE, SPINE_PAGE
from sthc_desktop.render.page import MIN_TYPE

from conftest import assert_page_text_fits, measured_as_output



def pdf_pages(path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


# -- safe publishing ---------------------------------------------------------------------------
def printed(value, numerator, unit):
    """How the pack prints one SYNTHETIC comparison row (made up here) after disclosure control."""
    row = pd.DataFrame([dict(indicator_id="synthetic", area="North", value=value, lower_ci=None, upper_ci=None,
                             numerator=numerator, denominator=None, comparison="similar")])
    return publish(publishable(row, mark=None).iloc[0], unit)


def test_a_count_of_3_prints_as_a_star():
    assert printed(3, 3, "people") == "*"
    assert printed(12.5, 3, "% of registered adults") == "*"  # a rate built on 3
    assert printed(0, 0, "people") == "0"
    assert printed(7, 7, "people") == "7"
    assert printed(12.5, None, "score") == "12.5"  # no count published: nothing to protect


def synthetic_comparison(numerator_here: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A SYNTHETIC comparison frame (made up by this test, not official data) in compare()'s shape."""
    base = dict(indicator_id="synthetic_rate", indicator_name="Synthetic rate (test data)", unit="per 1,000",
                period="2024", benchmark="England", method="Byar")
    rows = [dict(base, area="North", value=12.0, lower_ci=9.0, upper_ci=15.0, numerator=numerator_here,
                 denominator=250, comparison="worse"),
            dict(base, area="St Helens", value=10.0, lower_ci=9.5, upper_ci=10.5, numerator=1800,
                 denominator=180000, comparison="similar"),
            dict(base, area="England", value=9.0, lower_ci=8.99, upper_ci=9.01, numerator=500000,
                 denominator=55000000, comparison="not compared")]
    england = pd.DataFrame(rows)
    borough = england.assign(benchmark="St Helens", comparison=["better", "not compared", "not compared"])
    # As the pack gets them: through disclosure control.
    return publishable(england, mark=None), publishable(borough, mark=None)


def test_indicator_table_suppresses_a_count_of_3_and_colours_comparisons():
    england, borough = synthetic_comparison(3)
    table = indicator_table(england, borough, "North")
    header, rows, fills = table.header, table.rows, comparison_fills(table.words)
    assert header[2] == "North (95% CI)"
    # A suppressed value is not compared either: "better" would tell what "*" hides.
    assert rows[0][2] == "*" and rows[0][3] == "not compared" and rows[0][5] == "not compared"
    assert fills[0][3] is None and fills[0][5] is None


def test_indicator_table_prints_value_and_interval_when_safe():
    england, borough = synthetic_comparison(30)
    table = indicator_table(england, borough, "North")
    rows, fills = table.rows, comparison_fills(table.words)
    assert rows[0][2] == "12.0 (9.00–15.0)" and rows[0][3] == "better" and rows[0][5] == "worse"
    assert fills[0][3] == COMPARISON_FILLS["better"] and fills[0][5] == COMPARISON_FILLS["worse"]


# -- choosing indicators -----------------------------------------------------------------------
def test_indicators_from_ids_theme_or_default(planner):
    assert choose_indicators(planner, None) == list(DEFAULT_INDICATORS)
    assert choose_indicators(planner, "qof_obesity, iod19_imd_score") == ["qof_obesity", "iod19_imd_score"]
    obesity = choose_indicators(planner, "obesity")
    assert obesity == ["qof_obesity"]
    health = choose_indicators(planner, "Health")
    assert "iod19_cidr" in health and all(not i.endswith(("_rank", "_decile")) for i in health)
    # Derived deprivation-profile indicators are chosen as `compare` chooses them.
    assert choose_indicators(planner, "profile19_imd_average_score") == ["profile19_imd_average_score"]


def test_unknown_indicator_or_too_many_is_a_clear_error(planner, tmp_path):
    with pytest.raises(ExportError, match="unknown indicator or theme 'nope'"):
        choose_indicators(planner, "qof_obesity,nope", out=tmp_path / "p.pdf")
    with pytest.raises(ExportError, match="at most"):
        choose_indicators(planner, "Deprivation", out=tmp_path / "p.pdf")


# -- the pack end to end -----------------------------------------------------------------------
def test_pack_pages_text_and_attribution(planner, pack, tmp_path):
    chosen = ["Central", "South"]
    ids = ["qof_obesity", "iod19_imd_score"]
    seen = []
    out = export_pack(planner, tmp_path / "pack.pdf", localities=chosen, indicators=ids,
                      progress=lambda done, total, label: seen.append((done, total, label)),
                      produced=date(2026, 5, 4))
    pages = pdf_pages(out)
    assert len(pages) == 1 + 1 + len(chosen) + 2 + 1 + 1
    assert seen == [(1, 8, "Cover"), (2, 8, "Borough overview"), (3, 8, "Central"), (4, 8, "South"),
                    (5, 8, SPINE_PAGE), (6, 8, FUNNEL_PAGE), (7, 8, DISTRICT_RANKS_PAGE), (8, 8, "Notes")]
    text = " ".join(pages)
    for name in chosen:
        assert name in pages[0]  # the cover lists the localities included
    assert pages[2].startswith("Central") or "Central" in pages[2]
    # Each locality page lists its own practices only (the charts name every Care Community).
    assert "South" in pages[3] and "Crossroads Surgery" in pages[3] and "Hall Street Medical Centre" not in pages[3]
    assert "Hall Street Medical Centre" in pages[2] and "Crossroads Surgery" not in pages[2]
    for ind in ids:
        assert pack.indicator(ind).name in text
    for line in pack.attribution_lines(["qof_obesity", "iod2019", "nhs_practices"]):
        assert " ".join(line.split()) in text
    assert "Produced 4 May 2026" in pages[0]
    assert "Emergency admissions for intentional self-harm" in pages[1]  # a plan key measure
    assert " ".join(planner.assignment_statement.split()) in pages[-1]


def test_cancelled_pack_leaves_nothing(planner, tmp_path):
    calls = []

    def cancel_after_two():
        calls.append(1)
        return len(calls) > 2
    with pytest.raises(ExportCancelled, match="cancelled"):
        export_pack(planner, tmp_path / "pack.pdf", localities=["North"], indicators=["qof_obesity"],
                    cancelled=cancel_after_two)
    assert list(tmp_path.iterdir()) == []


def test_cli_pack_writes_one_page_per_locality(tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    status = main(["export", "pack", "--localities", "North", "Newton & Haydock", "--indicators", "Obesity",
                   "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    pages = pdf_pages(out)
    assert len(pages) == 8
    assert "Newton & Haydock" in pages[2] and "North" in pages[3]  # in the borough's network order
    # No LSOA indicator chosen, so no inequality table: the comparison bars take its place.
    assert "Inequality within" not in pages[3]
    assert "Charts: North beside the other Care Communities" in pages[3]
    assert "Obesity: QOF prevalence, adults 18+" in pages[3]


def test_cli_pack_rejects_an_unknown_locality_in_one_line(tmp_path, capsys):
    assert main(["export", "pack", "--localities", "North", "Nowhere", "--out", str(tmp_path / "p.pdf")]) == 2
    err = capsys.readouterr().err
    assert "unknown locality 'Nowhere' (choose Central, Newton & Haydock, North, South)" in err
    assert err.count("\n") == 1 and not list(tmp_path.iterdir())


# -- the full pack: overview, locality pages, charts, notes -------------------------------------

from sthc_desktop.core.comparison import compare, inequality_table, plan_measures, publishable  # noqa: E402
from sthc_desktop.core.localities import NETWORKS  # noqa: E402
from sthc_desktop.render.charts import chart_title  # noqa: E402
from sthc_desktop.render.locality_pack import pack_pages  # noqa: E402
from sthc_desktop.content.pack import PROFILE_INDICATORS, bar_indicators, inequality_rows  # noqa: E402
from sthc_desktop.content.numbers import format_value, plan_figure  # noqa: E402


@pytest.fixture(scope="module")
def four_locality_pack(tmp_path_factory):
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    planner = Planner(DataPack())
    out = export_pack(planner, tmp_path_factory.mktemp("pack") / "pack.pdf", produced=date(2026, 5, 4))
    return planner, pdf_pages(out)


def test_four_locality_pack_pages_names_indicators_and_attribution(four_locality_pack):
    planner, pages = four_locality_pack
    pack = planner.pack
    assert len(pages) == 1 + 1 + len(NETWORKS) + 2 + 1 + 1
    text = " ".join(pages)
    for number, name in enumerate(NETWORKS, start=2):
        assert f"Key indicators: {name} against St Helens and England" in pages[number]
        assert f"page {number + 1} of {len(pages)}" in pages[number]
    assert "Where St Helens ranks among England's districts" in pages[-2]
    for ind in DEFAULT_INDICATORS:
        assert pack.indicator(ind).name in text
    datasets = [pack.indicator(i).dataset for i in DEFAULT_INDICATORS] + ["iod2019", "nhs_practices"]
    for line in pack.attribution_lines(datasets):
        assert " ".join(line.split()) in text
    assert " ".join(pack.attribution_lines(["strategic_plan"])[-1].split()) in pages[1]


def test_overview_shows_each_locality_deprivation_profile_and_plan_targets(four_locality_pack):
    planner, pages = four_locality_pack
    overview = pages[1]
    assert "Deprivation profile of each Care Community (IMD 2019)" in overview
    assert "Residents by national IMD 2019 decile" in overview
    profile = compare(planner, list(PROFILE_INDICATORS))
    for area in (*NETWORKS, "St Helens"):
        values = [format_value(r.value, r.unit) for r in profile[profile["area"] == area].itertuples()]
        assert f"{area} {' '.join(values)}" in overview  # the row as the engine computed it
    measures = plan_measures(planner)
    assert "Target 2026/27" in overview
    for r in measures.itertuples():
        assert r.measure in overview
        assert plan_figure(r.target_2026_27, r.target_unit) in overview
    assert "246 per 100,000" in overview  # as the plan prints it, not "246.00 per 100000"


def test_locality_pages_carry_practices_inequality_and_the_obesity_trend(four_locality_pack):
    planner, pages = four_locality_pack
    for number, name in enumerate(NETWORKS, start=2):
        page = pages[number]
        assert f"Inequality within {name}" in page
        assert f"Adult obesity (QOF register): {name} highlighted" in page
        assert "Practices by map key" in page and "List size" in page
    assert "Ferguson Family Medical Practice" in pages[5] and "no ODS match" in pages[5]
    notes = pages[-1]
    for heading in ("Definitions", "Methods", "Sources"):
        assert heading in notes
    assert "* suppressed (NHS England disclosure control)" in notes and "complementary" in notes
    assert " ".join(planner.assignment_statement.split()) in notes
    assert "IMD 2019: % of LSOAs in England's most deprived 10%" in notes
    assert "Inequality within the area: its LSOAs are ranked by IMD 2019 score" in notes
    assert "by LSOA 2011" in notes and "lsoa11" not in notes  # geographies in words


def test_inequality_table_shows_what_the_core_computes_for_each_locality(four_locality_pack):
    planner, pages = four_locality_pack
    table = inequality_table(planner, list(DEFAULT_INDICATORS))
    measured = table[table["most_deprived"].notna()]
    assert set(measured["indicator_id"]) == {"iod19_imd_score", "iod19_income_score", "iod19_employment_score",
                                             "iod19_cidr", "iod19_acute_morbidity", "pop20_65_plus_pct"}
    short = planner.pack.catalogue.set_index("id")["short_name"]
    for number, name in enumerate(NETWORKS, start=2):
        for r in measured[measured["area"] == name].itertuples():
            borough = measured[(measured["area"] == "St Helens") & (measured["indicator_id"] == r.indicator_id)]
            row = " ".join([short[r.indicator_id], format_value(r.most_deprived, r.unit),
                            format_value(r.least_deprived, r.unit), format_value(r.gap),
                            format_value(borough["gap"].iloc[0]),
                            f"{r.lsoas_most_deprived}, {r.lsoas_least_deprived}"])
            assert row in pages[number], row


def test_inequality_rows_suppress_a_count_of_3_and_skip_what_is_not_measured():
    """SYNTHETIC inequality rows (made up by this test) in inequality_table()'s shape: a rate whose
    most deprived fifth in North rests on 3 people, and a count indicator it does not measure."""
    base = dict(indicator_id="synthetic_rate", indicator_name="Synthetic rate (test data)", unit="% of residents",
                period="2024", lsoas_most_deprived=2, lsoas_least_deprived=2, method="synthetic")
    rows = [dict(base, area="North", most_deprived=30.0, least_deprived=10.0, gap=20.0,
                 numerator_most_deprived=3, numerator_least_deprived=40),
            dict(base, area="St Helens", most_deprived=25.0, least_deprived=12.0, gap=13.0,
                 numerator_most_deprived=300, numerator_least_deprived=400),
            dict(base, indicator_id="synthetic_count", area="North", most_deprived=float("nan"),
                 least_deprived=float("nan"), gap=float("nan"), numerator_most_deprived=float("nan"),
                 numerator_least_deprived=float("nan"))]
    frame = publishable(pd.DataFrame(rows))
    header, table = inequality_rows(frame, "North", pd.Series({"synthetic_rate": "Synthetic 2024"}))
    assert header[1:4] == ["Most deprived fifth", "Least deprived fifth", "Gap"]
    assert table == [["Synthetic 2024", "*", "10.0%", "*", "13.0", "2, 2"]]
    assert inequality_rows(frame, "South", pd.Series(dtype=str))[1] == []


def test_pack_under_a_supplied_lookup_follows_it_and_names_it(pack, tmp_path, capsys):
    """A SYNTHETIC lookup made by the test: the bundled assignment with North and South swapped."""
    from sthc_desktop.core.localities import lookup_assignments
    from sthc_desktop.core.planner import Planner
    lsoas = pack.layer("lsoa21")
    swap = {"North": "South", "South": "North"}
    lookup = tmp_path / "swapped.csv"
    pd.DataFrame({"lsoa21cd": lsoas["code"], "locality": lsoas["locality"].map(lambda n: swap.get(n, n))}) \
        .to_csv(lookup, index=False)
    unswapped = tmp_path / "bundled.csv"  # the layer's (main) localities as whole LSOAs
    pd.DataFrame({"lsoa21cd": lsoas["code"], "locality": lsoas["locality"]}).to_csv(unswapped, index=False)
    out = tmp_path / "pack.pdf"
    assert main(["export", "pack", "--localities", "North", "--indicators", "iod19_income_score",
                 "--lookup", str(lookup), "--out", str(out)]) == 0
    pages = pdf_pages(out)
    for page in pages:  # every page names the method in use
        assert "Localities: supplied lookup swapped.csv (IMD error" in page
    swapped = compare(Planner(pack, lookup_assignments(pack, lookup)), ["iod19_income_score"])
    bundled = compare(Planner(pack, lookup_assignments(pack, unswapped)), ["iod19_income_score"])
    value = lambda frame, area: format_value(frame.loc[frame["area"] == area, "value"].iloc[0], "%")  # noqa: E731
    assert value(swapped, "North") == value(bundled, "South") != value(bundled, "North")
    assert f"Income deprivation 2019: score (rate) IoD2019 {value(swapped, 'North')}" in pages[2]


def test_pack_with_a_locality_the_lookup_leaves_empty_is_one_line(pack, tmp_path, capsys):
    lsoas = pack.layer("lsoa21")
    lookup = tmp_path / "no_north.csv"  # SYNTHETIC: every North LSOA moved to South
    pd.DataFrame({"lsoa21cd": lsoas["code"], "locality": lsoas["locality"].replace("North", "South")}) \
        .to_csv(lookup, index=False)
    out = tmp_path / "pack.pdf"
    assert main(["export", "pack", "--lookup", str(lookup), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "North has no LSOAs" in err and not out.exists()


def test_pack_refuses_a_bad_lookup_naming_file_and_row(tmp_path, capsys):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("lsoa21cd,locality\nE01006802,Nowhere\n")  # synthetic, and wrong
    out = tmp_path / "pack.pdf"
    assert main(["export", "pack", "--lookup", str(lookup), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lookup.csv" in err and "row 2" in err and "Nowhere" in err
    assert not out.exists()


def test_chart_titles_do_not_repeat_the_period():
    assert chart_title("Households deprived in one or more dimensions, 2021", "2021") == \
        "Households deprived in one or more dimensions, 2021"
    assert chart_title("Residents aged 65 and over, mid-2020", "mid-2020") == "Residents aged 65 and over, mid-2020"
    assert chart_title("Income deprivation 2019: score (rate)", "IoD2019") == "Income deprivation 2019: score (rate)"
    assert chart_title("Obesity: QOF prevalence, adults 18+", "2024-25") == "Obesity: QOF prevalence, adults 18+, 2024-25"
    assert chart_title("Smoking prevalence", "2022/23") == "Smoking prevalence, 2022/23"


def test_bar_charts_take_indicators_with_an_interval_one_theme_each():
    """SYNTHETIC comparison rows (made up by this test): two Deprivation rates, a score without an
    interval and a Practices rate; the bars take one per theme, obesity last."""
    rows = []
    for ind, theme, ci in (("dep_a", "Deprivation", True), ("dep_b", "Deprivation", True),
                           ("score", "Health", False), ("qof_obesity", "Obesity", True), ("prac", "Practices", True)):
        rows.append(dict(indicator_id=ind, theme=theme, area="North", lower_ci=1.0 if ci else float("nan"),
                         upper_ci=2.0 if ci else float("nan")))
    frame = pd.DataFrame(rows)
    assert bar_indicators(frame, "North", 2) == ["dep_a", "prac"]
    assert bar_indicators(frame, "North", 4) == ["dep_a", "prac", "qof_obesity", "dep_b"]
    assert bar_indicators(frame, "South", 2) == []


@pytest.mark.parametrize("label", ["Cover", "Borough overview", "Central", "South", "Notes"])
def test_pack_page_text_stays_on_the_sheet_without_overlaps(planner, label):
    ids = list(DEFAULT_INDICATORS)
    fig = dict(pack_pages(planner, list(NETWORKS), ids))[label]()
    assert_page_text_fits(fig, at_least=15 if label == "Cover" else 40)  # the cover is mostly its map
    assert min(t.get_fontsize() for t in fig.texts) >= 5.4  # readable in board papers


def most_indicators(planner) -> list[str]:
    ids = choose_indicators(planner, "Health") + [
        "qof_obesity", "qof_smoking", "ae_attendances_0_4", "pop20_65_plus_pct", "iod19_income_score",
        "iod19_employment_score", "iod19_imd_score", "iod19_acute_morbidity", "iod25_acute_morbidity",
        "census21_disabled"]
    assert len(ids) == 16  # the most a pack holds
    return ids


def test_a_locality_page_with_the_most_indicators_stays_readable(planner):
    fig = dict(pack_pages(planner, ["South"], most_indicators(planner)))["South"]()
    assert_page_text_fits(fig)
    assert min(t.get_fontsize() for t in fig.texts) >= 5.4
    # No room for charts or a readable inequality table: the page says so rather than shrink the type.
    assert any(t.get_text().startswith("Inequality within South is left out") for t in fig.texts)


def test_notes_for_a_long_indicator_list_continue_on_a_second_page_in_readable_type(planner):
    ids = most_indicators(planner)
    pages = [(label, build) for label, build in pack_pages(planner, ["North"], ids) if label.startswith("Notes")]
    assert [label for label, _ in pages] == ["Notes", "Notes (continued)"]
    from sthc_desktop.core.comparison import catalogue
    names = set(catalogue(planner.pack).set_index("id").loc[[*ids, *PROFILE_INDICATORS], "name"])
    everything = []
    for number, (_, build) in enumerate(pages):
        fig = build()
        if number == 0:
            assert_page_text_fits(fig)
        with measured_as_output(fig) as renderer:
            lines = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.texts]
        assert all(box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.x1 for _, box in lines)
        assert min(t.get_fontsize() for t in fig.texts) >= MIN_TYPE  # carried over, not set smaller
        if number == 0:
            first = {text: box for text, box in lines if text in names}
            assert {b.x0 < fig.bbox.width / 2 for b in first.values()} == {True, False}  # both columns
        everything += [text for text, _ in lines]
    assert all(name in " ".join(everything) for name in names)  # every definition, the profile's too
    assert "Methods" in everything and "Sources" in everything


def test_a_summed_count_of_three_is_suppressed_in_the_pack_table():
    """Synthetic values (made by this test): a count indicator whose locality total is 3."""
    from sthc_desktop.core.aggregate import combine
    from sthc_desktop.core.vocabulary import Indicator
    meta = Indicator.from_row({"id": "synthetic_count", "name": "Synthetic count", "short_name": "Synthetic count",
                               "theme": "Synthetic", "unit": "people", "polarity": "no judgement",
                               "geography": "lsoa21", "dataset": "synthetic", "value_type": "count",
                               "aggregation": "sum", "periods": "2025"})
    missing = np.full(2, np.nan)
    result = combine(np.array([1.0, 2.0]), missing, missing, np.ones(2), None, meta)
    assert result["value"] == 3 and result["numerator"] == 3
    assert printed(result["value"], result["numerator"], "people") == "*"
