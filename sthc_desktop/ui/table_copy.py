"""Ctrl+C (and "Copy table" on the right-click menu) on any table: the whole table, with its header,
goes on the clipboard as tab-separated text built by :func:`sthc_desktop.core.clipboard.tab_separated`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QTableView, QWidget

COPY_TEXT = "Copy table"


def table_cells(view: QTableView) -> tuple[list[str], list[list[str]]]:
    """The header and rows a table shows (row headings first when it has them)."""
    model = view.model()
    rows, columns = model.rowCount(), model.columnCount()
    labelled = view.verticalHeader().isVisible() and any(
        model.headerData(r, Qt.Vertical) not in (None, str(r + 1), r + 1) for r in range(rows))
    header = [str(model.headerData(c, Qt.Horizontal) or "") for c in range(columns)]
    body = [[str(model.data(model.index(r, c)) or "") for c in range(columns)] for r in range(rows)]
    if labelled:
        header = ["", *header]
        body = [[str(model.headerData(r, Qt.Vertical) or ""), *row] for r, row in enumerate(body)]
    return header, body


def copy_table(view: QTableView) -> str:
    from sthc_desktop.core.clipboard import tab_separated
    text = tab_separated(*table_cells(view))
    QGuiApplication.clipboard().setText(text)
    return text


def install_copy(root: QWidget) -> None:
    """Give every table under ``root`` (and ``root`` itself, if a table) the copy action, once."""
    views = root.findChildren(QTableView)
    if isinstance(root, QTableView):
        views.append(root)
    for view in views:
        if any(a.text() == COPY_TEXT for a in view.actions()):
            continue
        act = QAction(COPY_TEXT, view)
        act.setShortcut(QKeySequence.Copy)
        act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        act.triggered.connect(lambda _=False, v=view: copy_table(v))
        view.addAction(act)
        view.setContextMenuPolicy(Qt.ActionsContextMenu)
