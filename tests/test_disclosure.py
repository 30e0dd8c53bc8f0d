"""Disclosure control on every output, tried on a copy of the pack whose counts are made small here.

The copy (synthetic values written by this test, never shipped) sets the adult obesity register of
one Central practice to 3 (or 4) and the other Central practices' registers to 0 in one QOF year, so
Central's summed count is 3: primary suppression must hide Central, complementary suppression a
second locality, and no output (CSV, JSON, chart data, map classes, PDF text) may print the hidden
values or let them be recovered from St Helens' total minus the other cells.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pyogrio
import pytest
from conftest import BUNDLED_PACK

from sthc_desktop.cli import main
from sthc_desktop.core import stats
from sthc_desktop.core.classes import SUPPRESSED_CLASS, classify
from sthc_desktop.core.comparison import SUPPRESSED, SUPPRESSED_TEXT, compare, publishable
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.core.view import MapView
from sthc_desktop.render import charts

OBESITY = "qof_obesity"
YEAR = "2024-25"  # the latest year: the one the pack's tables show


def central_obesity_rows(path):
    """A copy of the bundled pack at ``path``: its indicator values, the rows of the Central practices'
    obesity in ``YEAR`` and the first of them, for a test to change and write back."""
    shutil.copy(BUNDLED_PACK, path)
    values = pyogrio.read_dataframe(path, layer="indicator_values")
    practices = DataPack(BUNDLED_PACK).practices
    central = sorted(practices.loc[practices["network"] == "Central", "ods_code"].dropna())
    rows = ((values["indicator_id"] == OBESITY) & (values["period"] == YEAR) & (values["area_type"] == "practice")
            & values["area_code"].isin(central))
    return values, rows, values[rows].index[0]


def small_count_pack(folder, count: int, others_zero: bool = True):
    """A copy of the bundled pack with one Central practice's obesity register in ``YEAR`` made ``count``
    and, with ``others_zero``, the other Central practices' 0, so Central's total is ``count`` (synthetic)."""
    (folder / f"{count}{others_zero}").mkdir(exist_ok=True)
    path = folder / f"{count}{others_zero}" / "small.gpkg"  # one name: the pack's name is printed on its pages
    values, rows, first = central_obesity_rows(path)
    if others_zero:
        values.loc[rows, "numerator"] = 0.0
    values.loc[first, "numerator"] = float(count)
    num, den = values.loc[rows, "numerator"], values.loc[rows, "denominator"]
    lo, hi = stats.wilson_interval(num.to_numpy(), den.to_numpy())
    values.loc[rows, "value"] = 100 * num / den
    values.loc[rows, "lower_ci"], values.loc[rows, "upper_ci"] = lo * 100, hi * 100
    pyogrio.write_dataframe(values, path, layer="indicator_values", driver="GPKG")
    return path, values.loc[first, "area_code"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small_counts")
    path, practice = small_count_pack(folder, 3)
    return path, practice, Planner(DataPack(path))


def hidden_cannot_be_recovered(rows: pd.DataFrame, hidden_value) -> None:
    """No locality cell prints the hidden count, and St Helens minus the shown localities leaves at
    least two hidden localities whose counts add up to 5 or more (so none follows by subtraction)."""
    rows = rows.set_index("area")
    hidden = [a for a in NETWORKS if rows.loc[a, "numerator"] in (SUPPRESSED, None) or pd.isna(rows.loc[a, "numerator"])]
    assert "Central" in hidden and len(hidden) >= 2
    for area in hidden:
        for column in ("value", "lower_ci", "upper_ci", "numerator", "denominator"):
            assert rows.loc[area, column] in (SUPPRESSED, None, "") or pd.isna(rows.loc[area, column]), (area, column)
    shown = [a for a in NETWORKS if a not in hidden]
    left = float(rows.loc["St Helens", "numerator"]) - sum(float(rows.loc[a, "numerator"]) for a in shown)
    assert left >= 5 and left != hidden_value


def test_compare_rows_hide_the_small_count_and_the_next_smallest_locality(small):
    _, _, planner = small
    raw = compare(planner, [OBESITY], period=YEAR)
    assert raw.set_index("area").loc["Central", "numerator"] == 3
    out = publishable(raw)
    hidden_cannot_be_recovered(out, 3)
    rows = out.set_index("area")
    assert "primary" in rows.loc["Central", "method"]
    second = [a for a in NETWORKS if a != "Central" and rows.loc[a, "suppressed"]]
    assert len(second) == 1 and "complementary" in rows.loc[second[0], "method"]
    # The next-smallest locality is the one hidden.
    counts = raw.set_index("area").loc[[a for a in NETWORKS if a != "Central"], "numerator"]
    assert second[0] == counts.idxmin()
    assert not rows.loc["St Helens", "suppressed"] and rows.loc["St Helens", "value"] != SUPPRESSED


def test_compare_command_csv_and_json_carry_no_suppressed_value(small, tmp_path, capsys):
    path, _, _ = small
    out_csv, out_json = tmp_path / "c.csv", tmp_path / "c.json"
    for out in (out_csv, out_json):
        assert main(["--pack", str(path), "compare", "--indicators", OBESITY, "--period", YEAR,
                     "--out", str(out)]) == 0
    with open(out_csv, newline="", encoding="utf-8") as f:
        rows = pd.DataFrame(list(csv.DictReader(f)))
    hidden_cannot_be_recovered(rows, 3)
    assert (rows[rows["suppressed"] == "True"]["comparison"] == "not compared").all()
    records = json.loads(out_json.read_text(encoding="utf-8"))
    records = records["rows"] if isinstance(records, dict) else records
    hidden_cannot_be_recovered(pd.DataFrame(records), 3)


def test_the_obesity_trend_leaves_the_suppressed_point_out_and_marks_it(small):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    _, _, planner = small
    fig, ax = plt.subplots(figsize=(6, 3))
    data = charts.obesity_trend(ax, planner)
    at = data[(data["area"] == "Central") & (data["period"] == YEAR)].iloc[0]
    assert at["suppressed"] and np.isnan(at["value"])
    periods = list(dict.fromkeys(data["period"]))
    central = [line for line in ax.get_lines() if line.get_label() == "Central"][0]
    assert np.isnan(central.get_ydata()[periods.index(YEAR)])
    hidden = data[(data["period"] == YEAR) & data["suppressed"]]["area"].tolist()
    assert len(hidden) >= 2  # the complementary cell is left out too
    stars = [t for t in ax.texts if t.get_text() == "*"]
    assert len(stars) == len(hidden)
    assert any("suppressed value" in t.get_text() for t in ax.texts)
    plt.close(fig)


def test_a_practice_on_a_count_of_3_is_drawn_suppressed_and_does_not_move_the_breaks(small):
    _, practice, planner = small
    view = MapView(indicator_id=OBESITY, period=YEAR)
    layer = planner.layer_for(view)
    classes = planner.classes_for(view)
    at = int(np.flatnonzero(layer.frame["code"].to_numpy() == practice)[0])
    hidden = layer.frame["suppressed"].to_numpy()
    # Central's other registers are 0 here: each is hidden with it, or Central's total would give it back.
    assert classes.class_of[at] == SUPPRESSED_CLASS and classes.suppressed == hidden.sum() > 1
    assert (classes.class_of[hidden] == SUPPRESSED_CLASS).all() and layer.frame.loc[hidden, "value"].isna().all()
    others = layer.frame["value"][~hidden]
    expected = classify(others, layer.meta, view.scheme, view.classes)
    assert classes.labels == expected.labels
    details = planner.practice_details(practice, view)
    assert details["suppressed"] and np.isnan(details["value"])


def test_pack_pdf_text_is_the_same_whether_the_hidden_count_is_3_or_4(small, tmp_path):
    import matplotlib.pyplot as plt
    from pypdf import PdfReader

    from sthc_desktop.export import export_pack
    texts = []
    for count in (3, 4):
        path, _ = small_count_pack(tmp_path, count)
        planner = Planner(DataPack(path))
        out = export_pack(planner, tmp_path / f"pack_{count}.pdf", localities=["Central"],
                          indicators=[OBESITY])
        texts.append("\n".join(page.extract_text() for page in PdfReader(out).pages))
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / f"page_{count}")], check=True)
    assert texts[0] == texts[1]
    assert "complementary" in texts[0]
    # The drawn pages too (tables, the obesity trend, the practice map): nothing moves with the hidden count.
    for three in sorted(tmp_path.glob("page_3*.png")):
        four = tmp_path / three.name.replace("page_3", "page_4")
        assert np.array_equal(plt.imread(three), plt.imread(four)), three.name


def test_hovering_or_opening_the_suppressed_practice_says_suppressed(small, qtbot):
    from sthc_desktop.ui.map_canvas import MapCanvas
    from sthc_desktop.ui.document import Document
    _, practice, planner = small
    model = Document(planner)
    canvas = MapCanvas(model)
    qtbot.addWidget(canvas)
    model.update(indicator_id=OBESITY, period=YEAR)
    # Markers are spread apart on the map: the pointer is put over this practice's marker, wherever drawn.
    canvas._hit = lambda x, y: planner.practice_details(practice, model.view)
    text = canvas.tooltip_at(0.0, 0.0)
    assert SUPPRESSED_TEXT in text and practice in text
    details = planner.area_details("practice", practice).set_index("indicator_id").loc[OBESITY]
    assert details["suppressed"] and np.isnan(details["value"])


def test_the_exported_practice_map_marks_the_suppressed_practice(small, tmp_path):
    from pypdf import PdfReader

    from sthc_desktop.core.classes import SUPPRESSED_LABEL
    path, _, planner = small
    hidden = int(planner.layer_for(MapView(indicator_id=OBESITY, period=YEAR)).frame["suppressed"].sum())
    out = tmp_path / "map.pdf"
    assert main(["--pack", str(path), "export", "map", "--indicator", OBESITY, "--period", YEAR,
                 "--out", str(out)]) == 0
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert f"{SUPPRESSED_LABEL} ({hidden})" in text


def test_a_locality_total_minus_its_shown_practices_does_not_give_a_hidden_practice_back(tmp_path):
    """One Central practice's register is 3, the others keep theirs: Central's total is shown, so a second
    Central practice is hidden on the map, its hover and the funnel plot (complementary)."""
    from sthc_desktop.core.funnel import funnel
    path, practice = small_count_pack(tmp_path, 3, others_zero=False)
    planner = Planner(DataPack(path))
    totals = publishable(compare(planner, [OBESITY], period=YEAR)).set_index("area")
    layer = planner.layer_for(MapView(indicator_id=OBESITY, period=YEAR)).frame
    assert not totals.loc["Central", "suppressed"]
    for locality in NETWORKS:
        cells = layer[layer["locality"] == locality]
        hidden = cells[cells["suppressed"]]
        if hidden.empty:
            assert float(totals.loc[locality, "numerator"]) == cells["numerator"].sum()
            continue
        assert len(hidden) >= 2 and hidden[["numerator", "denominator", "value"]].isna().all().all()
        left = float(totals.loc[locality, "numerator"]) - cells["numerator"].sum()
        assert left >= 5 and left != 3
        for code in hidden["code"]:
            details = planner.practice_details(code, MapView(indicator_id=OBESITY, period=YEAR))
            assert details["suppressed"] and np.isnan(details["value"])
            panel = planner.area_details("practice", code).set_index("indicator_id").loc[OBESITY]
            assert panel["suppressed"] and np.isnan(panel["value"]) and panel["period"] == YEAR
    assert practice in set(layer.loc[layer["suppressed"], "code"])
    shown = set(funnel(planner, OBESITY, period=YEAR).practices["code"])
    assert shown.isdisjoint(layer.loc[layer["suppressed"], "code"])



HOUSEHOLDS = "census21_hh_deprived_2plus"


def test_a_hidden_end_of_the_inequality_table_takes_the_gap_with_it(tmp_path):
    """Households deprived in 2+ dimensions made 0 in every St Helens LSOA but the most deprived, which has 2
    (synthetic): the most deprived fifth's count of its locality and of St Helens is 2, so that value, its
    count and the gap (most minus least, which with the least deprived fifth shown would give it back) are
    "*" in the --inequality CSV."""
    path = tmp_path / "small.gpkg"
    shutil.copy(BUNDLED_PACK, path)
    values = pyogrio.read_dataframe(path, layer="indicator_values")
    scores = values[(values["indicator_id"] == "iod25_imd_score") & (values["area_type"] == "lsoa21")]
    most = scores.sort_values("value", ascending=False)["area_code"].iloc[0]
    rows = (values["indicator_id"] == HOUSEHOLDS) & (values["area_type"] == "lsoa21")
    values.loc[rows, "numerator"] = np.where(values.loc[rows, "area_code"] == most, 2.0, 0.0)
    values.loc[rows, "value"] = 100 * values.loc[rows, "numerator"] / values.loc[rows, "denominator"]
    pyogrio.write_dataframe(values, path, layer="indicator_values", driver="GPKG")
    out, unequal = tmp_path / "c.csv", tmp_path / "i.csv"
    assert main(["--pack", str(path), "compare", "--indicators", HOUSEHOLDS, "--method", "nearest practice",
                 "--out", str(out), "--inequality", str(unequal)]) == 0
    with open(unequal, newline="", encoding="utf-8") as f:
        rows = pd.DataFrame(list(csv.DictReader(f))).set_index("area")
    hidden = rows[rows["most_deprived"] == SUPPRESSED]
    assert len(hidden) == 2 and "St Helens" in hidden.index  # its locality and the borough
    assert (hidden[["numerator_most_deprived", "gap"]] == SUPPRESSED).all().all()
    assert (hidden["least_deprived"].astype(float) == 0).all()
    assert hidden["method"].str.contains("primary").all()
    assert (rows.drop(index=hidden.index)["gap"].astype(float) == 0).all()  # areas without that LSOA


def test_the_deprivation_profile_shares_of_residents_are_shown_in_full_as_the_decile_chart_draws_them():
    """Under estimated registrations a locality can hold a fraction of a resident in a decile (Newton &
    Haydock 1.3 in IMD 2025 decile 10). Hiding that share would not protect it, since the area's ten deciles
    add up to its shown total, and the decile chart draws it: the share is population, not patients, so
    the table, the chart and the workbook show the same full figures."""
    from sthc_desktop.core.comparison import catalogue
    from sthc_desktop.core.deprivation import decile_populations, decile_shares
    planner = Planner(DataPack(BUNDLED_PACK))
    ids = [i for i in catalogue(planner.pack)["id"] if i.startswith("profile25_pct_residents_decile_")]
    assert (decile_populations(planner, "25").to_numpy() < 5).any()  # a small resident count is there to hide
    rows = publishable(compare(planner, ids))
    assert not rows["suppressed"].any()
    shares = decile_shares(planner, "25")
    for r in rows.itertuples():
        assert r.value == pytest.approx(shares.loc[r.area, int(r.indicator_id.rsplit("_", 1)[1])])


def test_a_locality_of_two_lsoas_hides_both_ends_of_its_inequality_row(tmp_path):
    """A supplied lookup gives Central two LSOAs (synthetic assignment), the most deprived with 2 households
    deprived in 2+ dimensions (synthetic): its two ends are all its LSOAs, so Central's total (shown: 5 or
    more) minus the least deprived end would give the hidden 2 back; that end is hidden too."""
    path = tmp_path / "small.gpkg"
    shutil.copy(BUNDLED_PACK, path)
    values = pyogrio.read_dataframe(path, layer="indicator_values")
    scores = values[(values["indicator_id"] == "iod25_imd_score") & (values["area_type"] == "lsoa21")]
    codes = scores.sort_values("value", ascending=False)["area_code"].tolist()
    rows = (values["indicator_id"] == HOUSEHOLDS) & (values["area_type"] == "lsoa21")
    at = rows & (values["area_code"] == codes[0])
    values.loc[at, "numerator"] = 2.0
    values.loc[at, "value"] = 100 * 2.0 / values.loc[at, "denominator"]
    pyogrio.write_dataframe(values, path, layer="indicator_values", driver="GPKG")
    lookup = tmp_path / "lookup.csv"
    others = ["North", "South", "Newton & Haydock"]
    lines = [f"{c},{'Central' if i in (0, len(codes) - 1) else others[i % 3]}" for i, c in enumerate(codes)]
    lookup.write_text("lsoa21cd,locality\n" + "\n".join(lines) + "\n", encoding="utf-8")
    out, unequal = tmp_path / "c.csv", tmp_path / "i.csv"
    assert main(["--pack", str(path), "compare", "--indicators", HOUSEHOLDS, "--lookup", str(lookup),
                 "--out", str(out), "--inequality", str(unequal)]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        totals = pd.DataFrame(list(csv.DictReader(f))).set_index("area")
    with open(unequal, newline="", encoding="utf-8") as f:
        ends = pd.DataFrame(list(csv.DictReader(f))).set_index("area")
    assert float(totals.loc["Central", "numerator"]) >= 5
    assert ends.loc["Central", "lsoas_most_deprived"] == ends.loc["Central", "lsoas_least_deprived"] == "1"
    for column in ("most_deprived", "numerator_most_deprived", "least_deprived", "numerator_least_deprived", "gap"):
        assert ends.loc["Central", column] == SUPPRESSED, column
    assert "primary" in ends.loc["Central", "method"] and "all the area's LSOAs" in ends.loc["Central", "method"]
    # St Helens holds that LSOA too: its ends go, as its fifth's total minus the map's other LSOAs would
    # give it back; South holds none of it and keeps its ends.
    assert ends.loc["St Helens", "least_deprived"] == SUPPRESSED and ends.loc["South", "least_deprived"] != SUPPRESSED


def test_an_imported_count_of_2_in_an_lsoa_is_hidden_on_the_map(tmp_path):
    """Synthetic case counts by postcode point, imported: each LSOA's value is its count (no count column),
    so an LSOA with 2 is hidden, and with it the next-smallest LSOA of its locality."""
    from sthc_desktop.core import imports
    planner = Planner(DataPack(BUNDLED_PACK))
    lsoa21 = planner.pack.layer("lsoa21")
    points = lsoa21.geometry.representative_point()
    cases = [2 if i == 0 else 20 + i for i in range(len(points))]
    path = tmp_path / "synthetic_points.csv"
    letters = "ABDEFGHJLN"
    postcodes = [f"WA{i % 9 + 1} {i // 9 % 10}{letters[i // 90]}{letters[i % 10]}" for i in range(len(points))]
    path.write_text("Postcode,Easting,Northing,Cases\n" + "".join(
        f"{code},{p.x:.1f},{p.y:.1f},{n}\n" for code, p, n in zip(postcodes, points, cases)), encoding="utf-8")
    table = imports.read_file(path)
    made = imports.build(table, planner.pack, imports.detect(table, planner.pack).with_(name="Synthetic cases",
                                                                                          period="2024"))
    planner.add_indicator(made.meta, made.values, made.dataset)
    layer = planner.layer_for(MapView(indicator_id=made.meta.id)).frame.set_index("code")
    first = lsoa21["code"].iloc[0]
    assert layer.loc[first, "suppressed"] and np.isnan(layer.loc[first, "value"])
    same = layer[layer["locality"] == layer.loc[first, "locality"]]
    assert same["suppressed"].sum() == 2 and same.loc[same["suppressed"], "value"].isna().all()
    assert layer["suppressed"].sum() == 2  # the populations and other counts of 5 or more stay shown
    for code in same.index[same["suppressed"]]:
        panel = planner.area_details("lsoa21", code).set_index("indicator_id").loc[made.meta.id]
        assert panel["suppressed"] and np.isnan(panel["value"])
    # LSOAs are shared between localities (estimated registrations): each locality's total holds a known
    # share of the hidden LSOAs, and the four totals would solve for them, so they are hidden; St Helens stays.
    assert ((planner.assignments["lsoa21"].shares > 0) & (planner.assignments["lsoa21"].shares < 1)).any().any()
    rows = publishable(compare(planner, [made.meta.id])).set_index("area")
    localities = rows.loc[list(NETWORKS)]
    assert localities["suppressed"].all() and localities["numerator"].eq(SUPPRESSED).all()
    assert rows.loc["Central", "method"].endswith("their totals together would give it back")
    assert not rows.loc["St Helens", "suppressed"]


def test_under_a_what_if_the_practices_hidden_with_one_follow_its_new_care_community(tmp_path):
    """One Central practice's register is 3 (synthetic) and a what-if moves the practice that would be hidden
    with it to North: Central's total under the what-if minus its shown practices must still not give 3."""
    from sthc_desktop.core.scenarios import command_planner
    path, practice = small_count_pack(tmp_path, 3, others_zero=False)
    base = Planner(DataPack(path)).layer_for(MapView(indicator_id=OBESITY, period=YEAR)).frame
    partner = base.loc[base["suppressed"] & (base["code"] != practice), "code"].iloc[0]
    scenario = tmp_path / "move.json"
    scenario.write_text(json.dumps({"name": "Synthetic move", "move_practices": {partner: "North"}}),
                        encoding="utf-8")
    planner = command_planner(DataPack(path), scenario=scenario)
    totals = publishable(compare(planner, [OBESITY], period=YEAR)).set_index("area")
    layer = planner.layer_for(MapView(indicator_id=OBESITY, period=YEAR)).frame
    homes = planner.practice_networks
    for locality in NETWORKS:
        cells = layer[layer["code"].map(homes) == locality]
        if totals.loc[locality, "suppressed"] or not cells["suppressed"].any():
            continue
        left = float(totals.loc[locality, "numerator"]) - cells["numerator"].sum()
        assert left >= 5 and cells["suppressed"].sum() >= 2, locality
    assert layer.set_index("code").loc[practice, "suppressed"]
