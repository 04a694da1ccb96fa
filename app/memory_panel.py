"""The memory view: per document, how many blocks are hot, warm and cold, each block's
value, and pin/unpin; a line with the dense index's size and what the last consolidation
changed, and a button to consolidate now.

Fed by `Library.memory()` (engine/value/report.py) through the session; it only shows data
and asks for actions through signals (pin_requested, consolidate_requested).
"""
from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

__all__ = ["MemoryPanel"]

_COLUMNS = ["Document / block", "Tier", "Value", "Hot", "Warm", "Cold", "Pinned"]


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB"


class MemoryPanel(QWidget):
    pin_requested = Signal(list, bool)           # block ids, pinned
    consolidate_requested = Signal()
    refresh_requested = Signal()

    def __init__(self):
        super().__init__()
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Memory summary")
        col.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Memory blocks per document")
        self.tree.setColumnCount(len(_COLUMNS))
        self.tree.setHeaderLabels(_COLUMNS)
        self.tree.setSelectionMode(QTreeWidget.ExtendedSelection)
        col.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.pin_button = QPushButton("Pin")
        self.pin_button.setAccessibleName("Pin the selected blocks: they never fade")
        self.pin_button.clicked.connect(lambda: self._pin(True))
        self.unpin_button = QPushButton("Unpin")
        self.unpin_button.setAccessibleName("Unpin the selected blocks")
        self.unpin_button.clicked.connect(lambda: self._pin(False))
        self.consolidate_button = QPushButton("Consolidate now")
        self.consolidate_button.setAccessibleName("Rescore blocks and move them between tiers")
        self.consolidate_button.clicked.connect(self.consolidate_requested)
        for b in (self.pin_button, self.unpin_button, self.consolidate_button):
            row.addWidget(b)
        row.addStretch(1)
        col.addLayout(row)
        self.report = None

    def selected_blocks(self) -> list[int]:
        """Selected blocks; a selected document stands for all its blocks."""
        ids: list[int] = []
        for item in self.tree.selectedItems():
            data = item.data(0, Qt.UserRole)
            if isinstance(data, int):
                ids.append(data)
            else:
                ids += [item.child(i).data(0, Qt.UserRole) for i in range(item.childCount())]
        return list(dict.fromkeys(ids))

    def _pin(self, pinned: bool) -> None:
        ids = self.selected_blocks()
        if ids:
            self.pin_requested.emit(ids, pinned)

    def show_report(self, report) -> None:
        """Show a `MemoryReport`, keeping which documents were expanded."""
        self.report = report
        open_docs = {self.tree.topLevelItem(i).toolTip(0) for i in range(self.tree.topLevelItemCount())
                     if self.tree.topLevelItem(i).isExpanded()}
        tiers = ", ".join(f"{t.tier} {t.blocks} blocks ({_size(t.key_bytes)})" for t in report.tiers)
        line = f"{tiers}. Dense index: {report.dense_rows:,} keys, {_size(report.dense_bytes)}."
        if report.last is not None:
            at, last = report.last
            line += (f" Last consolidation {time.strftime('%Y-%m-%d %H:%M', time.localtime(at))}:"
                     f" {len(last['promoted'])} promoted, {len(last['demoted'])} demoted.")
        else:
            line += " Not consolidated yet."
        self.summary.setText(line)
        self.tree.clear()
        for doc in report.documents:
            top = QTreeWidgetItem([doc.title or Path(doc.path).name, "", "",
                                   str(doc.count("hot")), str(doc.count("warm")),
                                   str(doc.count("cold")), str(doc.pinned)])
            top.setToolTip(0, doc.path)
            top.setData(0, Qt.UserRole, doc.path)
            for b in doc.blocks:
                where = " › ".join(b.section) or f"chunks {b.first_chunk}–{b.last_chunk}"
                child = QTreeWidgetItem([where, b.tier, "" if b.value is None else f"{b.value:.2f}",
                                         "", "", "", "pinned" if b.pinned else ""])
                child.setData(0, Qt.UserRole, b.id)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(doc.path in open_docs)
        self.tree.resizeColumnToContents(0)
