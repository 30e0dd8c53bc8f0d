"""Locality pack: pages, text, suppression, progress, cancel, and the command line."""

from __future__ import annotations

import importlib.util
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader

from sthc_desktop.cli import main
from sthc_desktop.core.errors import ExportError
from sthc_desktop.export import ExportCancelled, export_pack
from sthc_desktop.export.locality_pack import DEFAULT_INDICATORS, choose_indicators
from sthc_desktop.render.briefing import COMPARISON_FILLS, indicator_table, publish

needs_comparison = pytest.mark.skipif(importlib.util.find_spec("sthc_desktop.core.comparison") is None,
                                      reason="the comparison engine (sthc_desktop.core.comparison) is not there yet")


def pdf_pages(path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


# -- safe publishing ---------------------------------------------------------------------------
def test_a_count_of_3_prints_as_a_star():
    assert publish(3, 3, "people") == "*"
    assert publish(12.5, 3, "% of registered adults") == "*"  # a rate built on 3
    assert publish(0, 0, "people") == "0"
    assert publish(7, 7, "people") == "7"
    assert publish(12.5, None, "score") == "12.5"  # no count published: nothing to protect


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
    return england, borough


def test_indicator_table_suppresses_a_count_of_3_and_colours_comparisons():
    england, borough = synthetic_comparison(3)
    header, rows, fills = indicator_table(england, borough, "North")
    assert header[2] == "North (95% CI)"
    assert rows[0][2] == "*" and rows[0][3] == "better" and rows[0][5] == "worse"
    assert fills[0][3] == COMPARISON_FILLS["better"] and fills[0][5] == COMPARISON_FILLS["worse"]


def test_indicator_table_prints_value_and_interval_when_safe():
    england, borough = synthetic_comparison(30)
    _, rows, _ = indicator_table(england, borough, "North")
    assert rows[0][2] == "12.0 (9.00–15.0)"


# -- choosing indicators -----------------------------------------------------------------------
def test_indicators_from_ids_theme_or_default(planner):
    assert choose_indicators(planner, None) == list(DEFAULT_INDICATORS)
    assert choose_indicators(planner, "qof_obesity, iod19_imd_score") == ["qof_obesity", "iod19_imd_score"]
    obesity = choose_indicators(planner, "obesity")
    assert obesity == ["qof_obesity"]
    health = choose_indicators(planner, "Health")
    assert "iod19_cidr" in health and all(not i.endswith(("_rank", "_decile")) for i in health)


def test_unknown_indicator_or_too_many_is_a_clear_error(planner, tmp_path):
    with pytest.raises(ExportError, match="unknown indicator or theme 'nope'"):
        choose_indicators(planner, "qof_obesity,nope", out=tmp_path / "p.pdf")
    with pytest.raises(ExportError, match="at most"):
        choose_indicators(planner, "Deprivation", out=tmp_path / "p.pdf")


# -- the pack end to end -----------------------------------------------------------------------
@needs_comparison
def test_pack_pages_text_and_attribution(planner, pack, tmp_path):
    chosen = ["Central", "South"]
    ids = ["qof_obesity", "iod19_imd_score"]
    seen = []
    out = export_pack(planner, tmp_path / "pack.pdf", localities=chosen, indicators=ids,
                      progress=lambda done, total, label: seen.append((done, total, label)),
                      produced=date(2026, 5, 4))
    pages = pdf_pages(out)
    assert len(pages) == 1 + 1 + len(chosen) + 1
    assert seen == [(1, 4 + 1, "Cover"), (2, 5, "Borough overview"), (3, 5, "Central"), (4, 5, "South"),
                    (5, 5, "Notes")]
    text = " ".join(pages)
    for name in chosen:
        assert name in pages[0]  # the cover lists the localities included
    assert pages[2].startswith("Central") or "Central" in pages[2]
    assert "South" in pages[3] and "Newton & Haydock" not in pages[3].split("Legend")[0]
    for ind in ids:
        assert pack.indicator(ind)["name"] in text
    for line in pack.attribution_lines(["qof_obesity", "iod2019", "nhs_practices"]):
        assert " ".join(line.split()) in text
    assert "Produced 4 May 2026" in pages[0]
    assert "Emergency admissions for intentional self-harm" in pages[1]  # a plan key measure
    assert " ".join(planner.assignment_statement.split()) in pages[-1]


@needs_comparison
def test_cancelled_pack_leaves_nothing(planner, tmp_path):
    calls = []

    def cancel_after_two():
        calls.append(1)
        return len(calls) > 2
    with pytest.raises(ExportCancelled, match="cancelled"):
        export_pack(planner, tmp_path / "pack.pdf", localities=["North"], indicators=["qof_obesity"],
                    cancelled=cancel_after_two)
    assert list(tmp_path.iterdir()) == []


@needs_comparison
def test_cli_pack_writes_one_page_per_locality(tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    status = main(["export", "pack", "--localities", "North", "Newton & Haydock", "--indicators", "Obesity",
                   "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    pages = pdf_pages(out)
    assert len(pages) == 5
    assert "Newton & Haydock" in pages[2] and "North" in pages[3]  # in the borough's network order


def test_cli_pack_rejects_an_unknown_locality(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["export", "pack", "--localities", "Nowhere", "--out", str(tmp_path / "p.pdf")])
    assert "invalid choice: 'Nowhere'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
