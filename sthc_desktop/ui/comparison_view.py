"""The comparison view: the four Care Communities beside St Helens and England.

The user picks a theme or a set of indicators, the benchmark (England, St Helens, the North West,
the Liverpool City Region or Cheshire and Merseyside, a regional one getting a column of its own)
and how LSOAs are assigned to localities (estimated registrations, nearest practice, each named
with its validation error, or a lookup CSV they load; the document applies the choice). The view
shows what :func:`~sthc_desktop.core.comparison.compare` returns — one row per indicator, grouped
under its theme or source in groups that fold away, one column per area, each cell the value and
its 95% interval, coloured by the comparison (with a colour key; no selection fill hides a colour),
with the counts, period and method in its tooltip; "*" where disclosure control suppresses a
value — plus the inequality within each locality for the chosen LSOA indicators, the charts of
:mod:`sthc_desktop.render.charts` and the strategic plan's key measures. It computes nothing:
every number comes from :mod:`sthc_desktop.core.comparison`.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from sthc_desktop.content.numbers import format_value, plan_figure
from sthc_desktop.core import district_ranks
from sthc_desktop.core.aggregate import AREAS
from sthc_desktop.core.comparison import BENCHMARKS as BENCHMARK_AREAS
from sthc_desktop.core.comparison import (NOT_AVAILABLE, NOT_COMPARED_TYPES, NOT_IN_PACK, SUPPRESSED,
                                          SUPPRESSION_NOTE, catalogue, compare, compared_areas, inequality_table,
                                          plan_measures, publishable)
from sthc_desktop.core.errors import DataError, PackError
from sthc_desktop.core.indicators import themed
from sthc_desktop.core.localities import PACK_METHODS, SUPPLIED_LOOKUP, method_label
from sthc_desktop.render import charts

from .busy import busy
from .plan_progress import plan_panel
from .table_copy import install_copy
from .fingertips_charts import FUNNEL_TAB, SPINE_TAB, FunnelTab, SpineTab
from .document import Document

CHOSEN = "Chosen indicators"
BENCHMARKS = tuple((area, key) for key, area in BENCHMARK_AREAS.items())
LOOKUP = "Lookup CSV…"
LOOKUP_FILES = "CSV or XLSX files (*.csv *.txt *.xlsx);;All files (*)"
INDICATOR = "Indicator"
#: Groups open on showing while their rows add up to this many (the first group always opens).
OPEN_ROWS = 15
DARK_FILLS = {"worse", "lower"}
ID_ROLE = Qt.UserRole
INEQUALITY_TITLE = "Inequality within each locality"
DISTRICT_RANKS_TAB = "St Helens among districts"
INEQUALITY_HEADERS = ("Indicator", "Area", "Most deprived fifth", "Least deprived fifth", "Gap (most − least)",
                      "LSOAs (most / least deprived)")


def cell_label(value, lower, upper, unit: str) -> str:
    """A value and its 95% interval as a cell shows it: "15.9% (15.5–16.3%)"; "–" when missing."""
    text = format_value(value, unit)
    if not (_missing(lower) or _missing(upper)):
        text += f" ({format_value(lower, unit)}–{format_value(upper, unit)})"
    return text


def use_lookup(parent, document: Document, path) -> bool:
    """Have the document use a lookup file; on a bad file, say why (the method in use stays)."""
    try:
        document.use_lookup(path)
    except DataError as exc:
        QMessageBox.warning(parent, "Lookup not loaded", str(exc))
        return False
    return True


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class ComparisonView(QWidget):
    def __init__(self, model: Document, parent=None, *, defer: bool = False):
        super().__init__(parent)
        self.model = model
        self.frame = pd.DataFrame()
        self._cells: dict[tuple[str, str], tuple[QTreeWidgetItem, int]] = {}

        self.selection = QComboBox()
        self.chooser = QListWidget()
        self.chooser.setMaximumHeight(110)
        self.benchmark = QComboBox()
        for label, key in BENCHMARKS:
            self.benchmark.addItem(label, key)
        self.assignment = QComboBox()
        # The methods' long names would set the whole window's minimum width; the list shows them in full.
        self.assignment.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.assignment.setMinimumContentsLength(14)
        self._fill_methods()
        self.method_label = QLabel(wordWrap=True)
        self.method_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        # Indicators grouped under their theme or source, each group folding away; one column per area.
        self.table = QTreeWidget()
        self.table.setHeaderLabels([INDICATOR, *AREAS])
        self.table.setUniformRowHeights(True)
        self.table.setAllColumnsShowFocus(True)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        # The indicator's name takes what the areas leave (elided, in full in its tooltip), so the
        # England column stays in view on a small screen.
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setDefaultAlignment(Qt.AlignRight | Qt.AlignVCenter)  # over the figures, as they are aligned
        self.table.setTextElideMode(Qt.ElideRight)
        # No selection fill: it would hide a cell's better/worse colour; the current row gets a focus outline.
        self.table.setSelectionMode(QTreeWidget.NoSelection)
        install_copy(self.table)  # Ctrl+C copies it as the tables of the window do
        self.colour_key = QLabel(wordWrap=True)
        self.footnote = QLabel(SUPPRESSION_NOTE, wordWrap=True)
        self.footnote.setVisible(False)

        self.inequality = QTableWidget(0, len(INEQUALITY_HEADERS))
        self.inequality.setHorizontalHeaderLabels(list(INEQUALITY_HEADERS))
        self.inequality.setEditTriggers(QTableWidget.NoEditTriggers)
        self.inequality.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.inequality.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.inequality_method = QLabel(wordWrap=True)
        self.inequality_method.setTextInteractionFlags(Qt.TextSelectableByMouse)
        inequality_panel = QWidget()
        panel = QVBoxLayout(inequality_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        title = QLabel(f"<b>{INEQUALITY_TITLE}</b>: each chosen LSOA indicator in the most and least deprived "
                       "fifth of the locality's LSOAs")
        title.setWordWrap(True)
        panel.addWidget(title)
        panel.addWidget(self.inequality, 1)
        panel.addWidget(self.inequality_method)

        self.bars_figure, self.bars_canvas = self._canvas((8, 3.2))
        self.trend_figure, self.trend_canvas = self._canvas((8, 3.6))
        self.deciles_figure, self.deciles_canvas = self._canvas((8, 5.2))
        self.plan = QTableWidget(0, 7)
        self.plan.setHorizontalHeaderLabels(["Priority", "Measure", "Baseline", "Target 2026/27", "Aim",
                                             "Latest St Helens value", "Direction of travel"])
        self.plan.setEditTriggers(QTableWidget.NoEditTriggers)
        self.plan.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.bars_canvas, "Selected indicator")
        self.tabs.addTab(self.trend_canvas, "Adult obesity trend")
        self.tabs.addTab(self.deciles_canvas, "Residents by IMD decile")
        self.tabs.addTab(inequality_panel, INEQUALITY_TITLE)
        self.tabs.addTab(plan_panel(self, self.plan), "Strategic plan")
        self.spine, self.funnel = SpineTab(), FunnelTab(model.planner)
        self.tabs.addTab(self.spine, SPINE_TAB)
        self.tabs.addTab(self.funnel, FUNNEL_TAB)
        self.district_ranks = QTableWidget(0, 0)
        self.district_ranks.setEditTriggers(QTableWidget.NoEditTriggers)
        self.district_ranks_note = QLabel(wordWrap=True)
        ranks_panel = QWidget()
        ranks_box = QVBoxLayout(ranks_panel)
        ranks_box.setContentsMargins(0, 0, 0, 0)
        ranks_box.addWidget(QLabel(f"<b>{district_ranks.TABLE_TITLE}</b>"))
        ranks_box.addWidget(self.district_ranks, 1)
        ranks_box.addWidget(self.district_ranks_note)
        self.tabs.addTab(ranks_panel, DISTRICT_RANKS_TAB)

        controls = QHBoxLayout()
        for label, widget in (("Show:", self.selection), ("Compare with:", self.benchmark),
                              ("Localities by:", self.assignment)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.chooser)
        layout.addWidget(self.method_label)
        split = QSplitter(Qt.Vertical)
        comparison = QWidget()
        table_box = QVBoxLayout(comparison)
        table_box.setContentsMargins(0, 0, 0, 0)
        table_box.addWidget(self.table, 1)
        table_box.addWidget(self.colour_key)
        table_box.addWidget(self.footnote)
        split.addWidget(comparison)
        split.addWidget(self.tabs)
        # The table is what planners read first: at 1366x768 it shows about ten rows, not three.
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])  # the charts' own size hints would otherwise take most of the height
        layout.addWidget(split, 1)

        self._populate()
        self.selection.currentIndexChanged.connect(self._selection_changed)
        self.chooser.itemChanged.connect(lambda _item: self.refresh())
        self.benchmark.currentIndexChanged.connect(lambda _i: self.refresh())
        self.assignment.activated.connect(self._assignment_chosen)
        self.table.currentItemChanged.connect(lambda item, _previous: self._draw_bars(
            item.data(0, ID_ROLE) if item is not None else None))
        # Deferred in the main window: nothing is computed until the tab is first looked at.
        self._stale = True
        self._computed: dict = {}
        self._defer = defer
        model.plannerChanged.connect(lambda _p: self._planner_changed())
        model.planProgressChanged.connect(lambda _p: None if self._stale else self._fill_plan())
        self._planner_changed()

    @staticmethod
    def _canvas(size) -> tuple[Figure, FigureCanvasQTAgg]:
        figure = Figure(figsize=size, layout="constrained")
        return figure, FigureCanvasQTAgg(figure)

    # -- choices -------------------------------------------------------------------------
    def _populate(self) -> None:
        cat = catalogue(self.model.planner.pack)
        groups = themed(cat[~cat["value_type"].isin(NOT_COMPARED_TYPES)])
        self.selection.blockSignals(True)
        self.selection.clear()
        for theme, _rows in groups:
            self.selection.addItem(theme, theme)
        self.selection.addItem(CHOSEN, CHOSEN)
        self.selection.setCurrentIndex(max(self.selection.findData("Obesity"), 0))
        self.selection.blockSignals(False)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for theme, rows in groups:
            for r in rows.itertuples():
                item = QListWidgetItem(f"{theme}: {r.name}")
                item.setData(ID_ROLE, r.id)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Unchecked)
                self.chooser.addItem(item)
        self.chooser.blockSignals(False)
        self.chooser.setVisible(False)

    def _selection_changed(self, _index: int) -> None:
        self.chooser.setVisible(self.selection.currentData() == CHOSEN)
        if self.selection.currentData() == "Deprivation":  # where St Helens ranks on each domain
            self.tabs.setCurrentIndex(self.tabs.count() - 1)
        self.refresh()

    def choose(self, spec: str | list[str]) -> None:
        """Show a theme (a string) or a set of indicator ids, as the controls would."""
        if isinstance(spec, str):
            self.selection.setCurrentIndex(self.selection.findData(spec))
            return
        self.chooser.blockSignals(True)
        for i in range(self.chooser.count()):
            item = self.chooser.item(i)
            item.setCheckState(Qt.Checked if item.data(ID_ROLE) in spec else Qt.Unchecked)
        self.chooser.blockSignals(False)
        if self.selection.currentData() == CHOSEN:
            self.refresh()
        else:
            self.selection.setCurrentIndex(self.selection.findData(CHOSEN))

    def indicator_spec(self) -> str | list[str]:
        if self.selection.currentData() != CHOSEN:
            return self.selection.currentData()
        return [self.chooser.item(i).data(ID_ROLE) for i in range(self.chooser.count())
                if self.chooser.item(i).checkState() == Qt.Checked]

    # -- locality assignment -------------------------------------------------------------
    def _fill_methods(self) -> None:
        """The pack's methods, each named with its validation error, then the lookup; the pack's default first."""
        pack = self.model.planner.pack
        self.assignment.clear()
        default = pack.info.get("assignment_method", PACK_METHODS[-1])
        for method in sorted(PACK_METHODS, key=lambda m: m != default):
            self.assignment.addItem(method_label(pack, method), method)
        self.assignment.addItem(LOOKUP, SUPPLIED_LOOKUP)
        self._show_method()

    def _show_method(self) -> None:
        """The method the document uses (chosen here, from the File menu or by a workspace)."""
        self.assignment.setCurrentIndex(max(self.assignment.findData(self.model.method_in_use), 0))

    def _assignment_chosen(self, index: int) -> None:
        method = self.assignment.itemData(index)
        if method in PACK_METHODS:
            self.model.set_assignment(method)
            return
        path, _filter = QFileDialog.getOpenFileName(self, "Load an LSOA → locality lookup", "",
                                                    LOOKUP_FILES)
        if not (path and use_lookup(self, self.model, path)):
            self._show_method()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._planner_changed()

    def _planner_changed(self) -> None:
        self._computed.clear()  # the planner's data or localities changed: compare afresh
        if self._defer and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        planner = self.model.planner
        self._show_method()
        self.method_label.setText(f"Care Communities: {planner.assignment_statement}")
        self.refresh()
        self._draw_context()
        self._fill_plan()
        self._fill_district_ranks()

    # -- what is shown -------------------------------------------------------------------
    @busy
    def refresh(self) -> None:
        """Ask the core for the comparison of the current choices and show it."""
        spec = self.indicator_spec()
        self.table.clear()
        self._cells.clear()
        if not spec:
            self.frame = pd.DataFrame()
            self.footnote.setVisible(False)
            self._draw_bars(None)
            self._fill_inequality(None)
            return
        # Suppressed cells come back empty (NaN) and flagged: the table prints "*", the charts draw nothing.
        compared = self._once(("compare", str(spec), self.benchmark.currentData()),
                              lambda: compare(self.model.planner, spec, benchmark=self.benchmark.currentData()))
        self.frame = publishable(compared, mark=None)
        areas = compared_areas(self.benchmark.currentData())  # a regional benchmark gets its own column
        self.table.setColumnCount(1 + len(areas))  # the header's labels alone would keep a column left over
        self.table.setHeaderLabels([INDICATOR, *areas])
        self.table.headerItem().setTextAlignment(0, Qt.AlignLeft | Qt.AlignVCenter)
        self.footnote.setVisible(bool(self.frame["suppressed"].any()))
        rows = {}
        groups = self._groups(list(dict.fromkeys(self.frame["indicator_id"])))
        for name, ids in groups:
            group = QTreeWidgetItem(self.table, [f"{name} ({len(ids)})"])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for indicator_id in ids:
                rows[indicator_id] = row = QTreeWidgetItem(group, ["–"] * (1 + len(areas)))
                row.setData(0, ID_ROLE, indicator_id)
                for col, area in enumerate(areas, start=1):
                    row.setToolTip(col, f"{area}: no value in the pack for this indicator")
                    row.setTextAlignment(col, Qt.AlignRight | Qt.AlignVCenter)
        for r in self.frame.itertuples(index=False):
            row, col = rows[r.indicator_id], 1 + areas.index(r.area)
            if row.text(0) == "–":
                row.setText(0, f"{r.indicator_name} ({r.period})")
                row.setToolTip(0, f"{r.indicator_name} ({r.period})\n{r.unit}")
            row.setText(col, SUPPRESSED if r.suppressed else NOT_AVAILABLE if r.comparison == NOT_AVAILABLE
                        else cell_label(r.value, r.lower_ci, r.upper_ci, r.unit))
            fill = charts.COMPARISON_COLOURS.get(r.comparison)
            if fill and r.comparison != "not compared":
                row.setBackground(col, QBrush(QColor(fill)))
                if r.comparison in DARK_FILLS:
                    row.setForeground(col, QBrush(QColor("white")))
            row.setToolTip(col, self._tooltip(r))
            self._cells[(r.indicator_id, r.area)] = (row, col)
        # Groups open while they fit OPEN_ROWS rows (the first always); the others are a click (or the
        # right arrow key) away.
        shown = 0
        for i, (_name, ids) in enumerate(groups):
            shown += len(ids)
            self.table.topLevelItem(i).setExpanded(i == 0 or shown <= OPEN_ROWS)
        self._show_colour_key()
        self._draw_bars(groups[0][1][0])
        self._fill_inequality(spec)
        self.spine.set_request(self.model.planner, spec)
        self.funnel.set_request(self.model.planner, spec)

    def _groups(self, ids: list[str]) -> list[tuple[str, list[str]]]:
        """The rows' groups, in the comparison's order: by theme when the indicators span themes, else by
        the source each comes from (its dataset's name as the pack gives it)."""
        cat = catalogue(self.model.planner.pack).set_index("id").loc[ids]
        datasets = self.model.planner.pack.datasets
        by_theme = cat["theme"].nunique() > 1
        groups: dict[str, list[str]] = {}
        for indicator_id, r in cat.iterrows():
            source = datasets.get(r["dataset"])
            name = r["theme"] if by_theme or source is None else source.name.split(" (")[0].split(":")[0]
            groups.setdefault(name, []).append(indicator_id)
        return list(groups.items())

    def _once(self, key, compute):
        """The core's answer for ``key``, computed once per planner state (switching back is instant)."""
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]

    def _show_colour_key(self) -> None:
        """The cell colours in words, for the comparisons the table shows."""
        shown = [c for c in charts.COMPARISON_COLOURS if c != "not compared" and c in set(self.frame["comparison"])]
        swatches = "  ".join(f"<span style='background:{charts.COMPARISON_COLOURS[c]};"
                             f"color:{'white' if c in DARK_FILLS else 'black'}'>&nbsp;{c}&nbsp;</span>" for c in shown)
        plain = "; no colour: not compared" if "not compared" in set(self.frame["comparison"]) else ""
        self.colour_key.setText(f"Colours: compared with {self.benchmark.currentText()} (95% intervals): "
                                f"{swatches}{plain}")

    def _fill_inequality(self, spec) -> None:
        """Show the core's inequality within each locality for the chosen LSOA indicators ("*" where suppressed)."""
        frame = self._once(("inequality", str(spec)), lambda: publishable(inequality_table(self.model.planner, spec))) \
            if spec else pd.DataFrame()
        self.inequality.setRowCount(len(frame))
        for i, r in enumerate(frame.itertuples(index=False)):
            values = [format_value(v, r.unit) for v in (r.most_deprived, r.least_deprived, r.gap)]
            cells = [r.indicator_name, r.area, *values, f"{r.lsoas_most_deprived} / {r.lsoas_least_deprived}"]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j >= 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                item.setToolTip(f"{r.indicator_name}, {r.area}, {r.period}\nMethod: {r.method}")
                self.inequality.setItem(i, j, item)
        if frame.empty:
            self.inequality_method.setText("None of the chosen indicators is an LSOA rate, proportion or score, "
                                           "so there is no inequality within localities to show.")
            return
        notes = [SUPPRESSION_NOTE] if frame["suppressed"].any() else []
        self.inequality_method.setText("\n".join([*dict.fromkeys(frame["method"]), *notes]))

    @staticmethod
    def _tooltip(r) -> str:
        def count(v):
            if _missing(v):
                return SUPPRESSED if r.suppressed else "–"
            return f"{v:,.0f}"
        return (f"{r.indicator_name}\n{r.area}, {r.period}\nNumerator: {count(r.numerator)}\n"
                f"Denominator: {count(r.denominator)}\nCompared with {r.benchmark}: {r.comparison}\n"
                f"Method: {r.method}")

    def _draw_bars(self, indicator_id: str | None) -> None:
        self.bars_figure.clear()
        if indicator_id is not None:  # None: a group's row, or nothing compared
            ax = self.bars_figure.add_subplot()
            charts.comparison_bars(ax, self.frame[self.frame["indicator_id"] == indicator_id])
        self.bars_canvas.draw_idle()

    def _draw_context(self) -> None:
        planner = self.model.planner
        self.trend_figure.clear()
        charts.obesity_trend(self.trend_figure.add_subplot(), planner)
        self.trend_canvas.draw_idle()
        self.deciles_figure.clear()
        top, bottom = self.deciles_figure.subplots(2, 1)
        charts.deprivation_deciles(top, planner, "19")
        charts.deprivation_deciles(bottom, planner, "25")
        self.deciles_canvas.draw_idle()

    def _fill_plan(self) -> None:
        measures = plan_measures(self.model.planner)
        self.plan.setRowCount(len(measures))
        for i, m in enumerate(measures.itertuples(index=False)):
            latest = NOT_IN_PACK if _missing(m.latest_value) else \
                f"{plan_figure(m.latest_value, m.baseline_unit)} ({m.latest_period}; {m.latest_note})"
            cells = [m.priority, m.measure, plan_figure(m.baseline, m.baseline_unit),
                     plan_figure(m.target_2026_27, m.target_unit), f"{m.aim} ({m.aim_check})" if m.aim_check else m.aim,
                     latest, m.direction]
            for j, text in enumerate(cells):
                self.plan.setItem(i, j, QTableWidgetItem(str(text)))

    def _fill_district_ranks(self) -> None:
        """St Helens' rank among England's districts on each domain, as the core's table gives it."""
        pack = self.model.planner.pack
        try:
            header, rows = district_ranks.borough_rank_table(pack)
        except PackError as exc:
            header, rows, note = [], [], str(exc)
        else:
            note = f"{district_ranks.RANK_NOTE} {district_ranks.extent_note(pack)}"
        self.district_ranks.setColumnCount(len(header))
        self.district_ranks.setHorizontalHeaderLabels(header)
        self.district_ranks.setRowCount(len(rows))
        for i, cells in enumerate(rows):
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.district_ranks.setItem(i, j, item)
        self.district_ranks.resizeColumnsToContents()
        self.district_ranks_note.setText(note)

    # -- what the tables show, as text (read by the tests) -----------------------------------------------
    def cell_text(self, indicator_id: str, area: str) -> str:
        item, col = self._cells.get((indicator_id, area), (None, 0))
        return item.text(col) if item is not None else "–"

    def cell_colour(self, indicator_id: str, area: str) -> str | None:
        item, col = self._cells.get((indicator_id, area), (None, 0))
        if item is None or item.background(col).style() == Qt.NoBrush:
            return None
        return item.background(col).color().name()

    def cell_tooltip(self, indicator_id: str, area: str) -> str:
        item, col = self._cells.get((indicator_id, area), (None, 0))
        return item.toolTip(col) if item is not None else ""

    def shown_rows(self) -> list[list[str]]:
        """The table's rows as a user sees them: each group, then its rows if it is open."""
        out = []
        for i in range(self.table.topLevelItemCount()):
            group = self.table.topLevelItem(i)
            out.append([group.text(0)])
            if group.isExpanded():
                out += [[group.child(j).text(c) for c in range(self.table.columnCount())]
                        for j in range(group.childCount())]
        return out

    def indicator_rows(self) -> list[str]:
        """The indicator ids the table holds, open groups or not, in its order."""
        return [self.table.topLevelItem(i).child(j).data(0, ID_ROLE) for i in range(self.table.topLevelItemCount())
                for j in range(self.table.topLevelItem(i).childCount())]

    def plan_rows(self) -> list[list[str]]:
        return [[self.plan.item(i, j).text() for j in range(self.plan.columnCount())]
                for i in range(self.plan.rowCount())]

    def inequality_rows(self) -> list[list[str]]:
        return [[self.inequality.item(i, j).text() for j in range(self.inequality.columnCount())]
                for i in range(self.inequality.rowCount())]
