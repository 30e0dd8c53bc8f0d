"""Help ▸ Data sources and licences: every dataset in the pack with its publisher, period, licence
and attribution, in a scrolling page that fits the screen (a message box grew taller than it)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from .screen_fit import fit_to_screen


class SourcesDialog(QDialog):
    def __init__(self, pack, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Data sources and licences")
        rows = "".join(f"<p><b>{escape(d.name)}</b><br>{escape(d.publisher)} · {escape(d.period)}<br>"
                       f"{escape(d.licence)}<br><i>{escape(d.attribution)}</i></p>" for d in pack.datasets.values())
        self.text = QTextBrowser(openExternalLinks=True)
        self.text.setHtml(f"<p>Data pack: {escape(str(pack.path))}</p>{rows}")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 620, 720)
