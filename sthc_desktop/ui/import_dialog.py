"""The Import data dialog: choose a CSV or XLSX file, confirm what its columns hold and what the
indicator is, see every problem by row and column as the choices change, then import.

Wiring only: reading, detection, checking and building are :mod:`sthc_desktop.core.imports`.
The dialog changes nothing: after ``exec()`` it holds what the user chose, the built indicator
(:attr:`ImportDialog.imported`) and what a workspace keeps of it (:attr:`ImportDialog.record`: the
file's bytes, checksum and the confirmed choices), and the document applies them
(:meth:`~sthc_desktop.ui.document.Document.add_import`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QSizePolicy, QTableWidgetItem, QVBoxLayout, QWidget)

from sthc_desktop.core import imports
from sthc_desktop.core.datapack import DataPack
from sthc_desktop.core.errors import DataError
from sthc_desktop.core.workspace import ImportRecord
from sthc_desktop.ui.busy import progress_bar
from sthc_desktop.ui.screen_fit import fit_to_screen, scrolling

NONE = "(none)"
#: Combo box per column role: (ImportSpec field, label, required).
ROLES = (("code_column", "Area code column", True), ("value_column", "Value column", True),
         ("lower_ci_column", "Lower 95% limit", False), ("upper_ci_column", "Upper 95% limit", False),
         ("count_column", "Count (numerator)", False), ("denominator_column", "Denominator", False),
         ("period_column", "Period column", False), ("x_column", "Easting / longitude", False),
         ("y_column", "Northing / latitude", False))


class ImportDialog(QDialog):
    def __init__(self, pack: DataPack, path: str | Path | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import data")
        self.pack = pack  # read to detect, check and build; the document adds the result
        self.table: imports.TableFile | None = None
        self.check_result: imports.CheckResult | None = None
        self.imported: imports.ImportedIndicator | None = None
        self.record: ImportRecord | None = None
        self._filters: tuple = ()
        self._loading = False

        self.path_edit = QLineEdit(readOnly=True, placeholderText="Choose a CSV or XLSX file…")
        browse = QPushButton("Choose file…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)

        form = QFormLayout()
        self.level = QComboBox()
        for key, name in imports.LEVELS.items():
            self.level.addItem(name, key)
        form.addRow("Areas the file describes", self.level)
        self.combos: dict[str, QComboBox] = {}
        for field, label, _required in ROLES:
            combo = QComboBox()
            self.combos[field] = combo
            form.addRow(label, combo)
        self.coordinates = QComboBox()
        self.coordinates.addItem("British National Grid (easting, northing)", "en")
        self.coordinates.addItem("Longitude, latitude (WGS84)", "lonlat")
        form.addRow("Coordinates", self.coordinates)
        self.filters_label = QLabel("")
        self.filters_label.setWordWrap(True)
        form.addRow("Rows kept", self.filters_label)
        self.only_known = QCheckBox("Leave out areas outside St Helens (national downloads)")
        self.convert = QCheckBox("Use the ONS LSOA 2011 → 2021 lookup for LSOA 2011 codes "
                                 "(split LSOAs take their 2011 value; stated in the caveats)")
        form.addRow(self.only_known)
        form.addRow(self.convert)
        self.name = QLineEdit(placeholderText="e.g. Child obesity, Year 6 (NCMP)")
        self.unit = QLineEdit(placeholderText="e.g. %, per 100,000")
        self.polarity = QComboBox()
        self.polarity.addItems(imports.POLARITIES)
        self.period = QLineEdit(placeholderText="e.g. 2023/24 (when the file has no period column)")
        form.addRow("Indicator name", self.name)
        form.addRow("Unit", self.unit)
        form.addRow("Polarity", self.polarity)
        form.addRow("Period", self.period)

        self.problems = QTableWidget(0, 3)
        self.problems.setHorizontalHeaderLabels(["Row", "Column", "Problem"])
        self.problems.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QTableWidget.NoEditTriggers)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

        content = QWidget()  # scrolls on a screen too short for it; the buttons stay in view below
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(file_row)
        layout.addLayout(form)
        layout.addWidget(QLabel("Problems (rows as in the spreadsheet: the header is row 1)"))
        # The table takes the height left (three rows at least), not its own preferred height: that would
        # scroll the form on a screen where everything fits.
        self.problems.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)
        self.problems.setMinimumHeight(4 * self.problems.verticalHeader().defaultSectionSize())
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.summary)
        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(content), 1)
        outer.addWidget(self.buttons)

        self.level.activated.connect(self._level_chosen)
        for combo in (*self.combos.values(), self.coordinates, self.polarity):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.only_known, self.convert):
            box.toggled.connect(self.refresh)
        for edit in (self.name, self.unit, self.period):
            edit.textChanged.connect(self.refresh)
        fit_to_screen(self, 720, 760)
        if path is not None:
            self.set_path(path)

    # -- choosing the file ------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import data", "", "Data files (*.csv *.xlsx *.xlsm *.txt)")
        if path:
            self.set_path(path)

    def set_path(self, path: str | Path) -> None:
        """Read ``path`` and fill the dialog with what was detected (or the reason it cannot be read)."""
        self.path_edit.setText(str(path))
        try:
            with progress_bar(self, "Reading the file") as progress:
                self.table = imports.read_file(path, progress)
        except DataError as exc:
            self.table = None
            self._show([imports.Problem(Path(path).name, exc.row, exc.column, exc.problem)], "")
            return
        self._apply(imports.detect(self.table, self.pack))

    def _level_chosen(self, _index: int) -> None:
        if self.table is not None:
            detected = imports.detect(self.table, self.pack, self.level.currentData())
            self._apply(detected.with_(name=self.name.text() or detected.name))

    def _apply(self, spec: imports.ImportSpec) -> None:
        self._loading = True
        self.level.setCurrentIndex(self.level.findData(spec.level))
        for field, _label, required in ROLES:
            combo = self.combos[field]
            combo.clear()
            if not required:
                combo.addItem(NONE, None)
            for column in self.table.columns:
                combo.addItem(column, column)
            chosen = getattr(spec, field)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        self.coordinates.setCurrentIndex(self.coordinates.findData(spec.coordinates))
        self._filters = spec.filters
        self.filters_label.setText("; ".join(f"{c} = {v or '(blank)'}" for c, v in spec.filters) or "all rows")
        self.only_known.setChecked(spec.only_known_areas)
        if not self.name.text():
            self.name.setText(spec.name)
        self._loading = False
        self.refresh()

    # -- checking as the user chooses ---------------------------------------------------------
    def spec(self) -> imports.ImportSpec | None:
        if self.table is None:
            return None
        columns = {field: self.combos[field].currentData() for field, _l, _r in ROLES}
        columns["code_column"] = columns["code_column"] or ""
        columns["value_column"] = columns["value_column"] or ""
        return imports.ImportSpec(level=self.level.currentData(), **columns,
                                  coordinates=self.coordinates.currentData(), filters=self._filters,
                                  only_known_areas=self.only_known.isChecked(), convert_2011=self.convert.isChecked(),
                                  name=self.name.text(), unit=self.unit.text(),
                                  polarity=self.polarity.currentText(), period=self.period.text())

    def refresh(self, *_args) -> None:
        if self._loading or self.table is None:
            return
        spec = self.spec()
        with progress_bar(self, "Checking the file") as progress:
            self.check_result = imports.check(self.table, self.pack, spec, progress)
        missing = [what for what, empty in (("a name", not spec.name.strip()),
                                            ("the period", not spec.period_column and not spec.period.strip()))
                   if empty]
        if not self.check_result.can_import:
            text = f"Cannot be imported: {self.check_result.error_count:,} problems to fix."
        elif missing:
            text = f"Ready to import {self.check_result.areas_with_values} areas once you give {' and '.join(missing)}."
        else:
            text = (f"Ready to import {self.check_result.areas_with_values} "
                    f"{imports.LEVELS[self.check_result.geography]} areas with values.")
        self._show(self.check_result.problems, text)
        self.import_button.setEnabled(self.check_result.can_import and not missing)

    def _show(self, problems: list[imports.Problem], summary: str) -> None:
        self.problems.setRowCount(len(problems))
        for i, p in enumerate(problems):
            cells = ("" if p.row is None else str(p.row), p.column or "",
                     p.problem if p.error else f"Note: {p.problem}")
            for j, text in enumerate(cells):
                self.problems.setItem(i, j, QTableWidgetItem(text))
        self.summary.setText(summary or (problems[0].problem if problems else ""))
        if self.table is None:
            self.import_button.setEnabled(False)

    # -- importing --------------------------------------------------------------------------
    def _import(self) -> None:
        spec = self.spec()
        today = date.today()
        try:
            self.imported = imports.build(self.table, self.pack, spec, today)
        except DataError as exc:  # the checks above make this rare; say why rather than close
            self.summary.setText(exc.message)
            return
        self.record = ImportRecord.from_table(self.table, spec, today)
        self.accept()
