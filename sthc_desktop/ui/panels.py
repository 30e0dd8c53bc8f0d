"""Side panels of the map workspace: indicator picker, classification, layers, legend and
details. Each observes the view model and shows what the core computed."""

from __future__ import annotations

from html import escape

import pandas as pd
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from sthc_desktop.content.numbers import format_value
from sthc_desktop.core.classes import default_scheme
from sthc_desktop.core.vocabulary import Scheme
from sthc_desktop.core.comparison import SUPPRESSED_TEXT
from sthc_desktop.core.definitions import definition
from sthc_desktop.core.indicators import edition_groups, mappable, themed
from sthc_desktop.core.view import LAYER_NAMES, LAYERS

from .screen_fit import scrolling
from .document import Document

ID_ROLE = Qt.UserRole
GROUP_ABOVE = 12  # a theme with more indicators than this is split by edition


class _ClearOnEscape(QObject):
    def eventFilter(self, box, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape and box.text():
            box.clear()
            return True
        return False


def clear_on_escape(box: QLineEdit) -> None:
    """Escape in a search box clears it, as in a browser's find bar (a shortcut would not see the key:
    the line edit claims Escape for itself)."""
    box.installEventFilter(_ClearOnEscape(box))


class IndicatorPicker(QWidget):
    """Searchable indicator tree grouped by theme, showing each indicator's period and source."""

    def __init__(self, model: Document, parent=None):
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(placeholderText="Search indicators…")
        self.search.setClearButtonEnabled(True)
        clear_on_escape(self.search)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Indicator", "Period"])
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.period = QComboBox()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Period:"))
        row.addWidget(self.period, 1)
        layout.addLayout(row)
        self.search.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(self._chosen)
        self.period.activated.connect(lambda _i: self.model.update(period=self.period.currentData()))
        model.viewChanged.connect(self._sync)
        model.plannerChanged.connect(lambda _p: self.populate())
        self.populate()

    def populate(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for theme, rows in themed(mappable(self.model.planner.pack)):
            top = QTreeWidgetItem([theme])
            top.setFlags(top.flags() & ~Qt.ItemIsSelectable)
            self.tree.addTopLevelItem(top)
            groups = edition_groups(rows) if len(rows) > GROUP_ABOVE else [(None, rows)]
            for group, members in groups:
                parent = top
                if group is not None:
                    parent = QTreeWidgetItem([group])
                    parent.setFlags(parent.flags() & ~Qt.ItemIsSelectable)
                    top.addChild(parent)
                self._add_items(parent, members)
        self.tree.blockSignals(False)
        self._sync(self.model.view)

    @staticmethod
    def _add_items(parent, rows) -> None:
        for r in rows.itertuples():
            item = QTreeWidgetItem([r.short_name or r.name, r.period])
            item.setData(0, ID_ROLE, r.id)
            item.setToolTip(0, f"<b>{r.name}</b><br>{r.unit}<br>Source: {r.source}<br>Period: {r.period}"
                               + (f"<br><i>{r.caveats}</i>" if r.caveats else ""))
            parent.addChild(item)

    def items(self):
        """Every indicator item, however deep its group."""
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            node = stack.pop(0)
            if node.data(0, ID_ROLE):
                yield node
            stack.extend(node.child(j) for j in range(node.childCount()))

    def item_for(self, indicator_id: str):
        return next((it for it in self.items() if it.data(0, ID_ROLE) == indicator_id), None)

    def _filter(self, text: str) -> None:
        q = text.strip().lower()

        def show(node, in_matching_group: bool = False) -> bool:
            named = not q or q in node.text(0).lower()
            if node.data(0, ID_ROLE):
                match = in_matching_group or named or q in node.toolTip(0).lower() \
                    or q in str(node.data(0, ID_ROLE)).lower()
            else:  # a theme or edition matching the search shows everything under it
                match = any([show(node.child(j), in_matching_group or (bool(q) and named))
                             for j in range(node.childCount())])
                node.setExpanded(bool(q) or node.isExpanded())
            node.setHidden(not match)
            return match

        for i in range(self.tree.topLevelItemCount()):
            show(self.tree.topLevelItem(i))

    def _chosen(self, current, _previous) -> None:
        if current is not None and current.data(0, ID_ROLE):
            self.model.set_indicator(current.data(0, ID_ROLE))

    def _sync(self, view) -> None:
        item = self.item_for(view.indicator_id)
        if item is not None and self.tree.currentItem() is not item:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            parent = item.parent()
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()
            self.tree.blockSignals(False)
        layer = self.model.planner.layer_for(view)
        periods = self.model.planner.pack.periods(view.indicator_id)
        self.period.blockSignals(True)
        self.period.clear()
        for p in periods:
            self.period.addItem(p, p)
        self.period.setCurrentIndex(max(periods.index(layer.period), 0) if layer.period in periods else 0)
        self.period.setEnabled(len(periods) > 1)
        self.period.blockSignals(False)


class ClassificationPanel(QWidget):
    def __init__(self, model: Document, parent=None):
        super().__init__(parent)
        self.model = model
        self.scheme = QComboBox()
        for s in Scheme:
            self.scheme.addItem(s.label, s.value)
        self.classes = QSpinBox(minimum=2, maximum=9, value=model.view.classes)
        form = QFormLayout(self)
        form.setContentsMargins(4, 4, 4, 4)
        form.addRow("Classes by:", self.scheme)
        form.addRow("Number of classes:", self.classes)
        self.scheme.activated.connect(lambda _i: self.model.update(scheme=Scheme(self.scheme.currentData())))
        self.classes.valueChanged.connect(lambda k: self.model.update(classes=int(k)))
        model.viewChanged.connect(self._sync)
        self._sync(model.view)

    def _sync(self, view) -> None:
        meta = self.model.planner.layer_for(view).meta
        current = self.model.planner.classes_for(view).scheme
        self.scheme.blockSignals(True)
        model = self.scheme.model()
        row = self.scheme.findData(Scheme.NATIONAL_DECILES.value)
        model.item(row).setEnabled(meta.has_national_deciles)
        self.scheme.setCurrentIndex(self.scheme.findData((current or default_scheme(meta)).value))
        self.scheme.blockSignals(False)
        self.classes.blockSignals(True)
        self.classes.setValue(view.classes)
        self.classes.setEnabled(current != Scheme.NATIONAL_DECILES)
        self.classes.blockSignals(False)


class LayersPanel(QWidget):
    def __init__(self, model: Document, parent=None):
        super().__init__(parent)
        self.model = model
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for name in LAYERS:
            box = QCheckBox(LAYER_NAMES[name])
            box.setChecked(model.view.layers.get(name, True))
            box.toggled.connect(lambda on, n=name: self.model.set_layer(n, on))
            layout.addWidget(box)
            self.boxes[name] = box
        layout.addStretch(1)
        model.viewChanged.connect(self._sync)

    def _sync(self, view) -> None:
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(view.layers.get(name, True))
            box.blockSignals(False)


def swatch(colour: str, hatch: bool = False, circle: bool = False, hollow: bool = False) -> QIcon:
    pix = QPixmap(18, 14)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(QColor("#777777")))
    p.setBrush(QBrush(QColor(colour), Qt.BDiagPattern if hatch else Qt.SolidPattern))
    if hollow:
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor(colour), 1.5, Qt.DashLine))
    if circle or hollow:
        p.drawEllipse(3, 1, 12, 12)
    else:
        p.drawRect(1, 1, 16, 12)
    p.end()
    return QIcon(pix)


class LegendPanel(QWidget):
    """The map legend: class ranges with units and the count of areas in each class."""

    def __init__(self, canvas, parent=None):
        super().__init__(parent)
        self.canvas = canvas
        self.title = QLabel(wordWrap=True)
        self.title.setTextFormat(Qt.RichText)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Class", "Areas"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.NoSelection)
        self.notes = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        canvas.model.viewChanged.connect(lambda _v: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        legend = self.canvas.legend
        self.title.setText(f"<b>{legend.title}</b><br><span style='color:#555'>{legend.subtitle}</span>")
        self.table.setRowCount(0)
        for entry in legend.entries + legend.practice_entries + legend.locality_entries:
            row = self.table.rowCount()
            self.table.insertRow(row)
            item = QTableWidgetItem(swatch(entry.colour, hatch=bool(entry.hatch), circle=entry.marker == "circle",
                                           hollow=entry.marker == "hollow"), entry.label)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem("" if entry.count is None else str(entry.count)))
        self.table.resizeRowsToContents()

    def labels(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]


class DetailsPanel(QWidget):
    """Everything the pack holds for the selected area or practice, against England."""

    def __init__(self, model: Document, parent=None):
        super().__init__(parent)
        self.model = model
        self.heading = QLabel("Click an area or practice on the map.", wordWrap=True)
        self.heading.setTextFormat(Qt.RichText)
        # Four columns that fit a side panel: the value and its interval on two lines, the period in the
        # indicator's tooltip and in the definition below; the name takes what is left (elided).
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Indicator", "Value (95% CI)", "St Helens", "England"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        self.definition = QLabel(wordWrap=True)
        self.definition.setTextFormat(Qt.RichText)
        self.definition.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        # Numbers above, the definition below in its own scrolling pane; the user drags the divide.
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        defined = QWidget()
        box = QVBoxLayout(defined)
        box.setContentsMargins(0, 2, 0, 0)
        box.addWidget(QLabel("<b>Definition</b>"))
        box.addWidget(self.definition, 1)
        split.addWidget(scrolling(defined))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.table.currentCellChanged.connect(lambda row, *_: self._define(row))
        model.selectionChanged.connect(self.show_selection)
        # The mapped indicator leads the list and is the one defined: follow the map's indicator.
        model.viewChanged.connect(lambda view: self.show_selection(self.model.selection)
                                  if self.model.selection else self.show_definition(view.indicator_id))
        self.show_definition(model.view.indicator_id)

    def show_definition(self, indicator_id: str) -> None:
        rows = definition(self.model.planner.pack, indicator_id)
        self.definition.setText("<br>".join(f"<b>{escape(label)}:</b> {escape(text)}" for label, text in rows))

    def _define(self, row: int) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.show_definition(item.data(ID_ROLE))

    def show_selection(self, selection: dict | None) -> None:
        self.table.setRowCount(0)
        if not selection:
            self.heading.setText("Click an area or practice on the map.")
            return
        geography = selection["geography"]
        if geography == "practice":
            key = "" if pd.isna(selection.get("map_key")) else f"Map key {int(selection['map_key'])} · "
            plan = selection.get("plan_name")
            renamed = f" (plan: {plan})" if plan and plan != selection["name"] else ""
            self.heading.setText(f"<b>{selection['name']}</b>{renamed}<br>{key}{selection['code']} · "
                                 f"{selection.get('locality')} · {selection.get('status_text')}"
                                 f"<br>{selection.get('catchment_text') or ''}")
        else:
            self.heading.setText(f"<b>{selection['name']}</b> ({selection['code']})<br>"
                                 f"Ward: {selection.get('ward_name') or '–'} · "
                                 f"Care Community: {selection.get('locality_shares_text') or selection.get('locality') or '–'}"
                                 f"<br>{selection.get('catchment_text') or ''}")
        details = self.model.planner.area_details(geography, selection["code"])
        mapped = self.model.view.indicator_id
        details = details.sort_values("indicator_id", key=lambda ids: ids != mapped, kind="stable")
        for r in details.itertuples():
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem(r.indicator)
            name.setData(ID_ROLE, r.indicator_id)
            name.setToolTip(f"{r.indicator} ({r.unit}), {r.period}")
            if r.indicator_id == mapped:
                font = name.font()
                font.setBold(True)
                name.setFont(font)
            value = SUPPRESSED_TEXT if r.suppressed else format_value(r.value, r.unit)
            if pd.notna(r.lower_ci) and pd.notna(r.upper_ci):
                value += f"\n({format_value(r.lower_ci)}–{format_value(r.upper_ci)})"
            cells = (name, QTableWidgetItem(value), QTableWidgetItem(format_value(r.borough, r.unit)),
                     QTableWidgetItem(format_value(r.england, r.unit)))
            for col, item in enumerate(cells):
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.show_definition(mapped)

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self.table.item(r, c).text() for c in range(self.table.columnCount()))
                for r in range(self.table.rowCount())]
