"""England scale: a national pack built for two districts (plus St Helens), its map, exports,
district rankings and the England tab. The full 32,844-LSOA build is measured in benchmarks/."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import SHARED_DATA, needs_shared_data
from sthc_desktop.cli import main
from sthc_desktop.core.datapack import BOROUGH_CODE, DataPack
from sthc_desktop.core.england import England, NationalView
from sthc_desktop.core.errors import PackError
from sthc_desktop.core.vocabulary import Scheme

pytestmark = needs_shared_data

IND = SHARED_DATA / "indicators"


@pytest.fixture(scope="module")
def england_pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("england")
    assert main(["build-geodata", "--scope", "england", "--districts", "Knowsley,Halton",
                 "--source", str(SHARED_DATA), "--out", str(out)]) == 0
    return out / "england.gpkg"


@pytest.fixture(scope="module")
def england(england_pack):
    return England(DataPack(england_pack))


def _source_lsoas() -> pd.DataFrame:
    """IoD2019 LSOA scores, deciles, districts and populations read straight from the source files."""
    f1 = pd.read_csv(IND / "iod2019_file1_imd_lsoa11_england.csv.gz", encoding="utf-8-sig")
    sc = pd.read_csv(IND / "iod2019_scores_imd_income_employment_lsoa11_england.csv.gz")
    f6 = pd.read_csv(IND / "iod2019_file6_population_denominators_lsoa11_england.csv.gz", encoding="utf-8-sig",
                     thousands=",")
    frame = f1.rename(columns={"LSOA code (2011)": "code", "Local Authority District code (2019)": "lad",
                               "Index of Multiple Deprivation (IMD) Decile": "decile"})
    frame = frame.merge(sc.rename(columns={"lsoa11_code": "code",
                                           "Index of Multiple Deprivation (IMD) Score": "score"}), on="code")
    pop = f6.rename(columns={"LSOA code (2011)": "code",
                             "Total population: mid 2015 (excluding prisoners)": "pop"})[["code", "pop"]]
    return frame.merge(pop, on="code")[["code", "lad", "decile", "score", "pop"]]


def test_pack_maps_the_chosen_districts_and_ranks_all_317(england):
    areas = england.areas
    assert set(areas["lad_name"]) == {"Knowsley", "Halton", "St. Helens"}
    assert (areas["lad_code"] == BOROUGH_CODE).sum() == 119
    assert len(england.districts) == 317
    assert england.district_names() == ["Halton", "Knowsley", "St. Helens"]
    # The St Helens Care Community layers are unchanged by the national scope.
    assert len(england.pack.layer("lsoa11")) == 119 and england.pack.layer("lsoa11")["locality"].notna().all()


def test_every_district_measure_and_rank_matches_an_independent_computation(england):
    src = _source_lsoas()
    rank_col = pd.read_csv(IND / "iod2019_file1_imd_lsoa11_england.csv.gz", encoding="utf-8-sig", thousands=",")
    src = src.merge(rank_col.rename(columns={"LSOA code (2011)": "code",
                                             "Index of Multiple Deprivation (IMD) Rank": "rank"})[["code", "rank"]])
    # File 10 averages ranks turned round: the most deprived LSOA counts 32,844.
    g = src.assign(rw=(len(src) + 1 - src["rank"]) * src["pop"], most=(src["decile"] == 1)).groupby("lad")
    average_rank = g["rw"].sum() / g["pop"].sum()
    share = g["most"].mean()
    ours = england.districts.set_index("lad_code")
    assert np.allclose(ours.loc[average_rank.index, "imd_average_rank"], average_rank)
    assert np.allclose(ours.loc[share.index, "imd_proportion_most_deprived_10"], share)
    # Ranks: 1 = most deprived (highest average of the turned ranks, as File 10 2025; highest share),
    # ties share the better rank.
    assert (ours.loc[average_rank.index, "rank_of_average_rank"]
            == average_rank.rank(ascending=False, method="min").astype(int)).all()
    assert (ours.loc[share.index, "rank_of_proportion_most_deprived_10"]
            == share.rank(ascending=False, method="min").astype(int)).all()


def test_district_ranking_matches_an_independent_computation_from_the_source_files(england):
    src = _source_lsoas()
    src["w"] = src["score"] * src["pop"]
    by_lad = src.groupby("lad").agg(w=("w", "sum"), pop=("pop", "sum"))
    average = (by_lad["w"] / by_lad["pop"]).sort_values(ascending=False)
    expected_rank = list(average.index).index(BOROUGH_CODE) + 1
    rank, n = england.borough_rank()
    assert (rank, n) == (expected_rank, 317)
    row = england.ranking(focus=[BOROUGH_CODE])[0]
    assert row.value == pytest.approx(average[BOROUGH_CODE], abs=1e-9)
    share = (src[src["lad"] == BOROUGH_CODE]["decile"] == 1).mean()
    published = england.districts.set_index("lad_code").loc[BOROUGH_CODE, "imd_proportion_most_deprived_10"]
    assert published == pytest.approx(share)
    # Neighbours come with St Helens by default, ordered most deprived first.
    default = england.ranking()
    assert BOROUGH_CODE in {r.lad_code for r in default} and "Knowsley" in {r.lad_name for r in default}
    assert [r.rank for r in default] == sorted(r.rank for r in default)


def test_iod2025_district_summaries_are_file_10_as_published(england):
    published = pd.read_csv(IND / "iod2025_file10_lad_summaries_england.csv").set_index("ltla24_code")
    ours = england.pack.layer("districts_2025").set_index("lad_code")
    assert len(ours) == len(published) == 296
    assert ours.loc[BOROUGH_CODE, "rank_of_average_score"] == published.loc[BOROUGH_CODE, "imd_rank_of_average_score"]
    assert ours.loc[BOROUGH_CODE, "imd_average_score"] == published.loc[BOROUGH_CODE, "imd_average_score"]


def test_national_classes_count_every_lsoa_by_its_source_decile(england):
    classes = england.classes_for(NationalView(indicator_id="iod19_imd_decile"))
    src = _source_lsoas().set_index("code").loc[england.areas["code"]]
    assert classes.counts == tuple(int((src["decile"] == d).sum()) for d in range(1, 11))
    quantiles = england.classes_for(NationalView(indicator_id="iod19_imd_score", scheme=Scheme.QUANTILES, classes=5))
    assert sum(quantiles.counts) == len(england.areas) and quantiles.k == 5


def test_pack_holds_the_overview_as_the_rings_the_map_draws(england):
    import pyogrio
    from sthc_desktop.core.rings import ring_arrays

    overview = england.overview
    made = ring_arrays(overview.geometry.values)  # oriented afresh, as the builder promises they already are
    assert list(england.codes) == list(overview["code"])
    for name in ("coords", "ring_starts", "starts"):
        assert np.array_equal(getattr(england.rings, name), getattr(made, name)), name
    assert england.extent(None) == tuple(float(b) for b in overview.total_bounds)
    # Columns listed, and read without geometry, straight from SQLite: as GDAL would give them.
    path, layer = england.pack.path, "england_lsoa11"
    columns = list(pyogrio.read_info(path, layer=layer)["fields"])
    assert england.pack.columns(layer) == columns
    pd.testing.assert_frame_equal(england.pack.read(layer, columns=columns, geometry=False),
                                  pyogrio.read_dataframe(path, layer=layer, columns=columns, read_geometry=False))


def test_damaged_or_missing_rings_are_one_line_naming_the_pack(england_pack, tmp_path):
    import shutil
    import sqlite3
    from sthc_desktop.core.rings import RINGS_TABLE

    damaged, older = tmp_path / "damaged.gpkg", tmp_path / "older.gpkg"
    for copy in (damaged, older):
        shutil.copy(england_pack, copy)
    with sqlite3.connect(damaged) as con:
        con.execute(f"DELETE FROM {RINGS_TABLE} WHERE name = 'starts'")
    with pytest.raises(PackError, match="damaged data pack: the England overview's rings .no 'starts' array"):
        England(DataPack(damaged)).rings
    with sqlite3.connect(older) as con:
        con.execute(f"DROP TABLE {RINGS_TABLE}")
        con.execute(f"DELETE FROM gpkg_contents WHERE table_name = '{RINGS_TABLE}'")
    with pytest.raises(PackError, match="built by an earlier version: build it again"):
        DataPack(older)


def test_district_names_match_loosely_and_unknown_names_say_so(england):
    assert england.district_code("st helens") == BOROUGH_CODE
    assert england.district_code("St. Helens") == BOROUGH_CODE
    assert england.district_code("e08000011") == "E08000011" and england.district_name("knowsley") == "Knowsley"
    with pytest.raises(KeyError, match="Knowsle"):
        england.district_code("Knowsle")
    with pytest.raises(KeyError, match="not mapped"):
        england.extent("Wigan")  # a real district, but not in this two-district pack


def test_borough_pack_is_not_an_england_pack(pack):
    with pytest.raises(PackError, match="England-scale"):
        England(pack)


def test_export_map_of_a_district_as_png_is_a4_at_150_dpi(england_pack, tmp_path):
    out = tmp_path / "knowsley.png"
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "iod19_imd_decile",
                 "--area", "Knowsley", "--out", str(out)]) == 0
    with Image.open(out) as img:
        assert abs(img.width - 1240) <= 2 and abs(img.height - 1754) <= 2
        pixels = np.asarray(img.convert("RGB"))
    # The map is drawn: the darkest decile colour appears (Knowsley has many most-deprived LSOAs).
    assert (np.abs(pixels.astype(int) - [128, 0, 38]).sum(axis=2) < 60).sum() > 1000


def test_export_map_titles_the_district_by_its_official_name(england_pack, tmp_path):
    out = tmp_path / "k.pdf"
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "iod19_imd_score",
                 "--area", "KNOWSLEY", "--out", str(out)]) == 0
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Knowsley · IoD2019" in text and "KNOWSLEY" not in text


def test_a_two_district_pack_says_what_it_maps_not_england(england_pack, tmp_path):
    out = tmp_path / "whole.pdf"
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "iod19_imd_score",
                 "--area", "England", "--out", str(out)]) == 0
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Halton, Knowsley, St. Helens · IoD2019" in text
    assert f"({119 + 98 + 79} mapped)" in text.replace(",", "")


def test_export_map_pdf_names_the_district_rank_and_sources(england_pack, tmp_path, capsys):
    out = tmp_path / "england.pdf"
    # --pack may also follow the command.
    assert main(["export", "map", "--pack", str(england_pack), "--indicator", "iod19_imd_score",
                 "--area", "England", "--orientation", "landscape", "--out", str(out)]) == 0
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    flat = " ".join(text.split())
    rank, n = England(DataPack(england_pack)).borough_rank()
    assert "Index of Multiple Deprivation 2019: score" in flat
    assert f"{rank} of {n}" in flat
    assert "Office for National Statistics" in flat and "English Indices of Deprivation 2019" in flat


def test_export_map_area_errors_are_one_line(england_pack, pack, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "iod19_imd_score",
                 "--area", "Narnia", "--out", str(out)]) == 2
    assert "no local authority district called 'Narnia'" in capsys.readouterr().err
    assert main(["export", "map", "--indicator", "iod19_imd_score", "--area", "England", "--out", str(out)]) == 2
    assert "needs an England-scale pack" in capsys.readouterr().err
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "qof_obesity",
                 "--area", "England", "--out", str(out)]) == 2
    assert "not mapped nationally" in capsys.readouterr().err
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "iod19_imd_score",
                 "--area", "Knowsley", "--period", "IoD2019", "--out", str(out)]) == 2
    assert "a national map has no period ('IoD2019' given)" in capsys.readouterr().err
    assert not out.exists()


def test_zoomed_map_hides_the_simplified_shapes_under_the_detailed_ones(england):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sthc_desktop.render.englandmap import NationalMapFigure

    fig = Figure(figsize=(6, 8))
    FigureCanvasAgg(fig)
    figure = NationalMapFigure(fig.add_axes([0, 0, 1, 1]), england)
    figure.update(NationalView(district="Knowsley"))
    fig.canvas.draw()
    detailed = set(figure.detail_areas["code"])
    assert {c for c in england.areas.loc[england.areas["lad_name"] == "Knowsley", "code"]} <= detailed
    # The overview's paths hold none of the detailed LSOAs' vertices.
    hidden = np.isin(figure.codes, list(detailed))
    drawn = np.concatenate([p.vertices for p in figure.areas.get_paths()])
    assert not np.isin(drawn.view(complex), figure.rings.coords[np.repeat(hidden, np.diff(figure.rings.starts))]
                       .view(complex)).any()
    # Hovering finds the LSOA under the pointer from the detailed shapes.
    inside = figure.detail_areas.geometry.iloc[0].representative_point()
    assert figure.code_at(inside.x, inside.y) == figure.detail_areas["code"].iloc[0]


def test_corrupt_england_boundaries_stop_the_build_with_one_line(tmp_path, capsys):
    source = tmp_path / "data"
    for folder in SHARED_DATA.iterdir():
        if folder.is_dir():
            (source / folder.name).mkdir(parents=True)
            for f in folder.iterdir():
                (source / folder.name / f.name).symlink_to(f)
    target = source / "geography" / "england_lsoa11_bgc_martinjc.gpkg.gz"
    target.unlink()
    with gzip.open(target, "wb") as fh:
        fh.write(b"this is not a GeoPackage")
    assert main(["build-geodata", "--scope", "england", "--source", str(source), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "england_lsoa11_bgc_martinjc.gpkg.gz" in err and "not a readable GeoPackage" in err
    assert not (tmp_path / "o" / "england.gpkg").exists()


def test_england_tab_zooms_to_a_district_and_exports_what_the_cli_exports(qtbot, england_pack, tmp_path,
                                                                          monkeypatch, isolated_settings):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QResizeEvent
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from sthc_desktop.core.planner import Planner
    from sthc_desktop.ui.main_window import MainWindow

    window = MainWindow(Planner(DataPack(england_pack)), restore=False)
    qtbot.addWidget(window)
    view = window.england
    assert view is not None and window.tabs.tabText(window.tabs.indexOf(view)) == "England"
    window.tabs.setCurrentWidget(view)
    view.ensure_map()

    view.area.setEditText("knowsley")
    view.area.lineEdit().returnPressed.emit()
    assert view.model.view.district == "Knowsley"
    names = [view.ranking.item(r, 0).text() for r in range(view.ranking.rowCount())]
    assert "Knowsley" in names and "St. Helens" in names
    x0, x1 = view.canvas.ax.get_xlim()
    bounds = England(DataPack(england_pack)).extent("Knowsley")
    assert x0 <= bounds[0] and x1 >= bounds[2] and (x1 - x0) < 60_000  # zoomed in, not all England

    # Metres stay square when the window changes shape.
    window.resize(1400, 700)
    qtbot.wait(50)
    view.canvas.resize(900, 500)
    view.canvas.resizeEvent(QResizeEvent(QSize(900, 500), QSize(100, 100)))
    (x0, x1), (y0, y1) = view.canvas.ax.get_xlim(), view.canvas.ax.get_ylim()
    bbox = view.canvas.ax.get_window_extent()
    assert (x1 - x0) / bbox.width == pytest.approx((y1 - y0) / bbox.height, rel=0.02)

    view.indicator.setCurrentIndex(view.indicator.findData("iod19_income_decile"))
    assert view.canvas.legend.title == "Income domain 2019: national decile"
    assert view.legend.labels()[0].startswith("1 (most deprived 10%)")

    out = tmp_path / "gui.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    view.export_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=120_000)  # written on a worker thread
    assert told == [f"Wrote {out}"]
    cli = tmp_path / "cli.pdf"
    assert main(["--pack", str(england_pack), "export", "map", "--indicator", "iod19_income_decile",
                 "--area", "Knowsley", "--out", str(cli)]) == 0
    gui_text = [p.extract_text() for p in PdfReader(out).pages]
    assert gui_text == [p.extract_text() for p in PdfReader(cli).pages]


def test_england_tab_exports_on_a_worker_with_progress_and_cancel_leaves_no_file(qtbot, england_pack, tmp_path,
                                                                                 monkeypatch, isolated_settings):
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from sthc_desktop.core.planner import Planner
    from sthc_desktop.export import national_map
    from sthc_desktop.ui.main_window import MainWindow

    window = MainWindow(Planner(DataPack(england_pack)), restore=False)
    qtbot.addWidget(window)
    window.show()
    view = window.england
    window.tabs.setCurrentWidget(view)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    png = tmp_path / "england.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(png), ""))
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert view.exporting.bar.isVisible() and not view.export_button.isEnabled()
    qtbot.waitUntil(lambda: bool(told), timeout=120_000)
    assert told == [f"Wrote {png}"] and not view.exporting.isVisible() and view.export_button.isEnabled()
    with Image.open(png) as image:
        image.verify()
        assert image.format == "PNG" and abs(image.width - 1240) <= 2 and abs(image.height - 1754) <= 2  # A4, 150 dpi
    assert view.exporting.bar.value() == view.exporting.bar.maximum() == 1

    # Cancel while the page is being drawn: the worker holds the drawn page until the click has landed.
    clicked, draw = threading.Event(), national_map.national_briefing_map
    monkeypatch.setattr(national_map, "national_briefing_map", lambda *a, **k: (clicked.wait(60), draw(*a, **k))[1])
    pdf = tmp_path / "england.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    qtbot.mouseClick(view.exporting.cancel_button, Qt.LeftButton)
    clicked.set()
    qtbot.waitUntil(lambda: view.exporting.job is None, timeout=120_000)
    assert told == [f"Wrote {png}"] and view.export_button.isEnabled()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["england.png"]  # neither the PDF nor a temporary file


def test_borough_pack_has_no_england_tab(qtbot, planner, isolated_settings):
    from sthc_desktop.ui.main_window import MainWindow

    window = MainWindow(planner, restore=False)
    qtbot.addWidget(window)
    assert window.england is None
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Map", "Compare localities"]


def test_districts_command_writes_the_ranking_the_tab_shows(england_pack, england, tmp_path, pack):
    out = tmp_path / "d.csv"
    assert main(["--pack", str(england_pack), "districts", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    src = _source_lsoas().assign(w=lambda f: f["score"] * f["pop"]).groupby("lad")[["w", "pop"]].sum()
    independent = (src["w"] / src["pop"]).rank(ascending=False, method="min").astype(int)
    assert list(table["imd_rank_of_average_score"]) == [independent[c] for c in table["lad_code"]]
    assert list(table["imd_rank_of_average_score"]) == sorted(table["imd_rank_of_average_score"])
    # The England tab shows the same rows.
    assert list(table["lad_name"]) == [r.lad_name for r in england.ranking()]
    assert set(table["lad_code"]) == {BOROUGH_CODE, *pack.layer("neighbours")["code"]}
    every = tmp_path / "all.json"
    assert main(["districts", "--pack", str(england_pack), "--all", "--edition", "2025", "--out", str(every)]) == 0
    rows = pd.read_json(every)
    assert len(rows) == 296 and rows["imd_rank_of_average_score"].is_monotonic_increasing


@pytest.mark.parametrize("district", [None, "Knowsley"])
def test_national_map_has_a_north_arrow_and_a_scale_bar_true_to_its_label(england, district):
    from test_map_furniture import assert_north_arrow, assert_scale_bar_true, map_axes

    from sthc_desktop.render.national_briefing import national_briefing_map
    ax = map_axes(national_briefing_map(england, NationalView(district=district)).figure)
    assert_north_arrow(ax)
    assert_scale_bar_true(ax)


def test_national_legend_prints_every_class_and_counts_every_mapped_lsoa(england):
    from sthc_desktop.render.national_briefing import national_briefing_map
    bm = national_briefing_map(england, NationalView(district="Knowsley"))
    texts = [t.get_text() for t in bm.figure.texts]
    assert len(bm.legend.entries) >= 10  # the national deciles
    for e in bm.legend.entries:
        assert f"{e.label} ({e.count:,})" in texts, e.label
    # No data included: the counts cover every mapped LSOA, as the legend's note says.
    assert sum(e.count for e in bm.legend.entries) == len(england.codes)


def test_national_legend_counts_an_lsoa_without_a_value_as_no_data(england_pack, tmp_path):
    import shutil

    import pyogrio

    from sthc_desktop.core.datapack import ENGLAND_LAYER
    from sthc_desktop.render.national_briefing import national_briefing_map
    path = tmp_path / "gap.gpkg"  # a copy with one LSOA's decile removed (synthetic: made by this test)
    shutil.copy(england_pack, path)
    lsoas = pyogrio.read_dataframe(path, layer=ENGLAND_LAYER)
    lsoas.loc[lsoas.index[0], "iod19_imd_decile"] = np.nan
    pyogrio.write_dataframe(lsoas, path, layer=ENGLAND_LAYER, driver="GPKG")
    england = England(DataPack(path))
    texts = [t.get_text() for t in national_briefing_map(england, NationalView()).figure.texts]
    assert "No data (1)" in texts


def _drawn(figure) -> np.ndarray:
    figure.ax.figure.canvas.draw()
    return np.asarray(figure.ax.figure.canvas.buffer_rgba()).copy()


def _national_figure(england, limits=None):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sthc_desktop.render.englandmap import NationalMapFigure
    fig = Figure(figsize=(5, 6), dpi=60)
    FigureCanvasAgg(fig)
    figure = NationalMapFigure(fig.add_axes([0, 0, 1, 1]), england)
    figure.update(NationalView(indicator_id="iod19_imd_score"))
    if limits is not None:
        figure.ax.set_xlim(*limits[0])
        figure.ax.set_ylim(*limits[1])
    return figure


def test_a_panned_map_draws_the_lsoas_in_view_as_a_fresh_map_of_that_view_does(england):
    """Each draw takes only the LSOAs whose bounds meet the view: after a pan the paths are grouped
    again (stale paths would leave the newly shown LSOAs white), and leaving the rest out changes no pixel."""
    x0, y0, x1, y1 = england.extent("Knowsley")
    corner = ((x0, (x0 + x1) / 2), (y0, (y0 + y1) / 2))
    panned = _national_figure(england)
    _drawn(panned)  # all the pack's LSOAs first
    panned.ax.set_xlim(*corner[0])
    panned.ax.set_ylim(*corner[1])
    after_pan = _drawn(panned)
    drawn = sum(len(p.vertices) for p in panned.areas.get_paths())
    assert 0 < drawn < len(england.rings.coords) / 2
    assert np.array_equal(after_pan, _drawn(_national_figure(england, corner)))
    everything = _national_figure(england, corner)
    everything.bounds = np.tile([-np.inf, -np.inf, np.inf, np.inf], (len(everything.bounds), 1))
    assert np.array_equal(after_pan, _drawn(everything))


def test_switching_indicator_in_the_england_tab_recolours_the_drawn_map(qtbot, england):
    from matplotlib.colors import to_rgba

    from sthc_desktop.render.palettes import class_colours
    from sthc_desktop.ui.england_view import EnglandView

    view = EnglandView(england)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.ensure_map()
    canvas = view.canvas
    # Pixels inside the largest LSOAs of each district (wide enough to hold whole pixels).
    overview = england.overview
    big = overview.loc[overview.geometry.area.sort_values(ascending=False).index[:12]]
    points = [p.coords[0] for p in big.geometry.representative_point()]
    rows = [int(np.flatnonzero(england.codes == c)[0]) for c in big["code"]]

    def colours_drawn():
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        out = []
        for x, y in points:
            px, py = canvas.figure.axes[0].transData.transform((x, y))
            out.append(tuple(pixels[int(pixels.shape[0] - py), int(px)]))
        return out

    def colours_expected(indicator):
        meta = england.meta(indicator)
        classes = england.classes_for(view.model.view)
        colours = class_colours(classes.k, meta.polarity, meta.value_type)
        return [tuple(round(255 * c) for c in to_rgba(colours[classes.class_of[r]])) for r in rows]

    for indicator in ("iod19_imd_decile", "iod19_health_decile", "iod19_imd_score"):
        view.indicator.setCurrentIndex(view.indicator.findData(indicator))
        assert view.model.view.indicator_id == indicator
        assert colours_drawn() == colours_expected(indicator), indicator
    # Each district's ranking row set is refilled when the area changes, not on an indicator switch.
    view.area.setEditText("Halton")
    view.area.lineEdit().returnPressed.emit()
    assert "Halton" in [view.ranking.item(r, 0).text() for r in range(view.ranking.rowCount())]


def test_england_png_export_holds_exactly_the_pixels_of_the_page_drawn(england_pack, england, tmp_path):
    """The PNG is written at a faster zlib level than PIL's default: still lossless, the page's own pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from sthc_desktop.render.national_briefing import national_briefing_map
    out = tmp_path / "england.png"
    assert main(["--pack", str(england_pack), "export", "map", "--area", "England", "--indicator", "iod19_imd_score",
                 "--dpi", "150", "--out", str(out)]) == 0
    page = national_briefing_map(england, NationalView(indicator_id="iod19_imd_score"))
    page.figure.set_dpi(150)
    canvas = FigureCanvasAgg(page.figure)
    canvas.draw()
    with Image.open(out) as png:
        assert png.format == "PNG" and png.mode == "RGBA"
        assert np.array_equal(np.asarray(png), np.asarray(canvas.buffer_rgba()))


def test_england_png_export_loads_no_pandas_geopandas_or_shapely(england_pack, tmp_path):
    """A national map export reads the pack through SQLite into numpy and draws with matplotlib alone
    (about 0.3 s of imports less); a module-level import added back anywhere on its way fails here."""
    from test_command_imports import loaded

    out = tmp_path / "england.png"
    status, found = loaded(["--pack", str(england_pack), "export", "map", "--area", "England", "--indicator",
                            "iod19_imd_score", "--out", str(out)], ("pandas", "geopandas", "shapely", "pyogrio"))
    assert (status, found) == (0, [])
    assert Image.open(out).size == (1240, 1753)


def test_outlines_read_without_shapely_are_the_rings_shapely_reads(england):
    """The borough outline (and any (multi)polygon layer) read from its GeoPackage blobs with numpy: the
    same vertices, rings, areas and orientation as shapely's."""
    from sthc_desktop.core.rings import from_geopackage, ring_arrays

    pack = england.pack
    for layer in ("borough", "neighbours", "lsoa11"):
        blobs = [r["geom"] for r in pack.records(layer, ["geom"])]
        ours, theirs = from_geopackage(blobs), ring_arrays(pack.layer(layer).geometry.values)
        for name in ("coords", "ring_starts", "starts"):
            assert np.array_equal(getattr(ours, name), getattr(theirs, name)), (layer, name)
    assert np.array_equal(england.borough_rings.coords, ring_arrays(pack.layer("borough").geometry.values).coords)


def test_a_damaged_borough_outline_is_one_line_naming_the_pack(england_pack, tmp_path):
    import shutil
    import sqlite3

    path = tmp_path / "damaged.gpkg"  # a copy whose borough shape is cut short (synthetic: made by this test)
    shutil.copy(england_pack, path)
    with sqlite3.connect(path) as con:
        for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):  # the spatial index's triggers
            con.create_function(name, 1, lambda _shape: 0)
        con.execute("UPDATE borough SET geom = substr(geom, 1, 60)")
    with pytest.raises(PackError, match=r"layer 'borough' cannot be read \("):
        England(DataPack(path)).borough_rings


def _damaged_copy(england_pack, tmp_path, sql: str):
    """A copy of the England pack with ``sql`` run on it (synthetic: made by the test)."""
    import shutil
    import sqlite3

    path = tmp_path / "damaged.gpkg"
    shutil.copy(england_pack, path)
    with sqlite3.connect(path) as con:
        for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):  # the spatial index's triggers
            con.create_function(name, 1, lambda _shape: 0)
        con.execute(sql)
    return path


@pytest.mark.parametrize("sql, layer, column, read", [
    ("UPDATE england_lsoa11 SET iod19_imd_score = 'abc' WHERE fid = 2", "england_lsoa11", "iod19_imd_score",
     lambda england: england.values("iod19_imd_score")),
    (f"UPDATE districts SET imd_average_score = 'abc' WHERE lad_code = '{BOROUGH_CODE}'", "districts",
     "imd_average_score", lambda england: england.ranking()),
])
def test_a_text_cell_in_a_column_of_numbers_is_one_line_naming_the_layer_and_column(england_pack, tmp_path, sql,
                                                                                    layer, column, read):
    path = _damaged_copy(england_pack, tmp_path, sql)
    with pytest.raises(PackError) as err:
        read(England(DataPack(path)))
    assert err.value.message == (f"{path}: damaged data pack: column '{column}' of layer '{layer}' holds 'abc', "
                                 f"not a number")


def test_a_district_missing_a_measure_ranks_with_no_value_as_pandas_read_it(england_pack, england, tmp_path):
    path = _damaged_copy(england_pack, tmp_path, "UPDATE districts SET imd_average_score = NULL, xmin = NULL "
                                                 "WHERE lad_code = 'E06000006'")  # Halton
    damaged = England(DataPack(path))
    halton = {r.lad_code: r for r in damaged.ranking()}["E06000006"]
    assert np.isnan(halton.value)
    assert [r._replace(value=0) for r in damaged.ranking()] == [r._replace(value=0) for r in england.ranking()]
    assert np.isnan(damaged.extent("Halton")[0]) and damaged.extent("Knowsley") == england.extent("Knowsley")


def test_a_district_shown_without_a_rank_is_one_line_naming_the_column(england_pack, tmp_path):
    path = _damaged_copy(england_pack, tmp_path, "UPDATE districts SET rank_of_average_score = NULL "
                                                 "WHERE lad_code = 'E06000006'")  # Halton
    england = England(DataPack(path))
    assert england.borough_rank()[1] == 317  # St Helens keeps its rank
    with pytest.raises(PackError) as err:
        england.ranking()
    assert err.value.message == (f"{path}: damaged data pack: column 'rank_of_average_score' of layer 'districts' "
                                 f"has no value for E06000006")
