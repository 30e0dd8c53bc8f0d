"""Ctrl+C (and "Copy table" on the right-click menu) on any table: the whole table, with its header,
goes on the clipboard as tab-separated text built by :func:`sthc_desktop.core.clipboard.tab_separated`."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTreeView, QWidget

COPY_TEXT = "Copy table"


def table_cells(view: QAbstractItemView) -> tuple[list[str], list[list[str]]]:
    """The header and rows a table shows (row headings first when it has them); a tree's rows in order,
    each group before its rows."""
    model = view.model()
    columns = model.columnCount()
    header = [str(model.headerData(c, Qt.Horizontal) or "") for c in range(columns)]
    rows = list(_rows(model, QModelIndex()))
    body = [[str(model.data(model.index(r, c, parent)) or "") for c in range(columns)] for r, parent in rows]
    labelled = isinstance(view, QTableView) and view.verticalHeader().isVisible() and any(
        model.headerData(r, Qt.Vertical) not in (None, str(r + 1), r + 1) for r, _ in rows)
    if labelled:
        header = ["", *header]
        body = [[str(model.headerData(r, Qt.Vertical) or ""), *row] for (r, _), row in zip(rows, body)]
    return header, body


def _rows(model, parent):
    for r in range(model.rowCount(parent)):
        yield r, parent
        yield from _rows(model, model.index(r, 0, parent))


def copy_table(view: QAbstractItemView) -> str:
    from sthc_desktop.core.clipboard import tab_separated
    text = tab_separated(*table_cells(view))
    QGuiApplication.clipboard().setText(text)
    return text


def install_copy(root: QWidget) -> None:
    """Give every table under ``root`` (and ``root`` itself, if a table or a tree of rows) the copy action,
    once."""
    views = root.findChildren(QTableView)
    if isinstance(root, (QTableView, QTreeView)):
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
