"""The trace panel: a term or symbol in, its occurrences across chapters and files out,
grouped by document in reading order, each document with a strip showing where in it the
term falls. Clicking an occurrence opens it in the viewer.

Built on `Library.trace(term, limit=None) -> list[Occurrence]` (engine/recall/trace.py): path,
page, line_start, line_end, section, symbol, kind ('definition'|'reference'|'mention'), text.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

__all__ = ["TracePanel", "DistributionStrip", "group_in_reading_order"]

_KIND_COLOR = {"definition": QColor(200, 60, 40), "reference": QColor(40, 110, 200),
               "mention": QColor(90, 90, 90)}


def _position(o) -> int:
    return o.page if o.page is not None else (o.line_start or 0)


def group_in_reading_order(occurrences: list) -> list[tuple[str, list]]:
    """(path, occurrences) per document, documents in first-seen order, each in reading order."""
    groups: dict[str, list] = {}
    for o in occurrences:
        groups.setdefault(o.path, []).append(o)
    return [(p, sorted(os_, key=lambda o: (_position(o), o.line_start or 0))) for p, os_ in groups.items()]


class DistributionStrip(QWidget):
    """Ticks at each occurrence's position within the document (page or line / extent)."""

    def __init__(self, marks: list[tuple[float, str]]):
        super().__init__()
        self.marks = marks                       # (fraction 0..1, kind)
        self.setMinimumHeight(14)
        self.setToolTip(f"{len(marks)} occurrences across the document")

    def sizeHint(self) -> QSize:
        return QSize(160, 14)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(QRectF(0, h * 0.25, w, h * 0.5), QColor(230, 230, 230))
        for frac, kind in self.marks:
            p.fillRect(QRectF(frac * (w - 2), 1, 2, h - 2), _KIND_COLOR.get(kind, QColor(90, 90, 90)))
        p.end()


class TracePanel(QWidget):
    trace_requested = Signal(str)
    occurrence_clicked = Signal(object)          # Occurrence

    def __init__(self):
        super().__init__()
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.term = QLineEdit()
        self.term.setAccessibleName("Term or symbol to trace")
        self.term.setPlaceholderText("A term or symbol, e.g. Cheshire Cat")
        self.term.returnPressed.connect(self._go)
        self.button = QPushButton("Trace")
        self.button.setAccessibleName("Trace the term")
        self.button.clicked.connect(self._go)
        row.addWidget(self.term, 1)
        row.addWidget(self.button)
        col.addLayout(row)
        self.summary = QLabel()
        col.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Occurrences")
        self.tree.setHeaderLabels(["Where", "Kind / spread", "Text"])
        self.tree.setColumnWidth(0, 200)
        self.tree.setColumnWidth(1, 170)
        self.tree.itemClicked.connect(self._clicked)
        col.addWidget(self.tree, 1)
        self.units: dict[str, int] = {}          # path -> pages/lines, for the strips

    def _go(self) -> None:
        if self.term.text().strip():
            self.summary.setText("Tracing…")
            self.trace_requested.emit(self.term.text().strip())

    def show_unavailable(self, why: str) -> None:
        self.summary.setText(why)

    def show_occurrences(self, term: str, occurrences: list) -> None:
        self.tree.clear()
        groups = group_in_reading_order(occurrences)
        self.summary.setText(f"“{term}”: {len(occurrences)} occurrences in {len(groups)} documents")
        for path, items in groups:
            top = QTreeWidgetItem([f"{Path(path).name} ({len(items)})", "", ""])
            top.setToolTip(0, path)
            self.tree.addTopLevelItem(top)
            extent = self.units.get(path) or max(_position(o) for o in items) or 1
            strip = DistributionStrip([(min(1.0, max(0, _position(o) - 1) / max(1, extent)), o.kind)
                                       for o in items])
            self.tree.setItemWidget(top, 1, strip)
            for o in items:
                where = (f"page {o.page}" if o.page is not None else
                         f"lines {o.line_start}–{o.line_end}" if o.line_start else "")
                section = o.section if isinstance(o.section, str) else " › ".join(o.section or ())
                if o.symbol:
                    where += f" · {o.symbol}"
                elif section:
                    where += f" · {section}"
                child = QTreeWidgetItem([where, o.kind, " ".join((o.text or "").split())[:200]])
                child.setToolTip(2, o.text or "")
                child.setForeground(1, _KIND_COLOR.get(o.kind, QColor(90, 90, 90)))
                child.setData(0, Qt.UserRole, o)
                top.addChild(child)
            top.setExpanded(True)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        o = item.data(0, Qt.UserRole)
        if o is not None:
            self.occurrence_clicked.emit(o)
