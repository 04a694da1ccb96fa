"""The map: a document's outline with the gist of each part (the document, its chapters,
their sections, their blocks), as `Library.outline` gives it (engine/gists/outline.py).

Selecting a part shows its whole gist below the tree; clicking it, or Enter, opens the
source at its first page or line, the way a citation does. Until the document's gists are
written the panel says so and offers to write them now. It only shows data and asks for
actions through signals (open_requested, write_requested); the window loads the outline.
"""
from __future__ import annotations

import html
import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QStackedWidget,
                               QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from engine.recall.hit import Hit, describe
from engine.store import DocumentRow

__all__ = ["MapPanel", "citation_of_entry", "short_where"]

NO_DOCUMENT = "Select a document in the library, then Map (Ctrl+Shift+O), to see its outline."
NO_MAP = "No map yet — Memex writes it when idle."
NO_MAP_OFF = "No map yet — writing maps when idle is off in Settings."
NOT_UNDERSTOOD = "No map yet — Memex writes it once it has understood this document."
WRITING = "Writing this map…"
_LEVEL = {"document": "the whole document", "chapter": "chapter", "section": "section",
          "block": "passage"}


def citation_of_entry(hit: Hit) -> dict:
    """An outline entry's place as a citation dict (what the chat's citations hold), so it
    opens through the same path: `Place.of(...)`."""
    loc = hit.location
    return {**hit.to_json(), "char_start": loc.char_start, "char_end": loc.char_end,
            "chunk_id": hit.chunk_id, "label": describe(hit)}


def short_where(where: str, name: str, title: str) -> str:
    """'wonder.md, lines 3-7, The Rabbit-Hole' as the tree's column shows it: 'lines 3-7'
    (a passage, named by where it is, shows nothing more)."""
    short = "" if where == name else where.removeprefix(name + ", ")
    if short == title:
        return ""
    return short.removesuffix(", " + title)


class MapPanel(QWidget):
    open_requested = Signal(dict)                # a citation dict: open the source there
    write_requested = Signal(str)                # a document's path: write its map now

    def __init__(self):
        super().__init__()
        self.path: str | None = None             # the document shown (or being loaded)
        self.entry = None                        # its OutlineEntry, once loaded
        self.doc: DocumentRow | None = None
        self._opened: tuple[object, float] = (None, 0.0)   # the last item opened, and when
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.heading = QLabel(NO_DOCUMENT)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Map heading")
        col.addWidget(self.heading)
        self.stack = QStackedWidget()
        col.addWidget(self.stack, 1)

        self.empty = QWidget()                   # no map yet: why, and "Write it now"
        box = QVBoxLayout(self.empty)
        self.message = QLabel(NO_DOCUMENT)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Map status")
        box.addWidget(self.message)
        row = QHBoxLayout()
        self.write_button = QPushButton("Write it now")
        self.write_button.setAccessibleName("Write the map of this document now")
        self.write_button.setToolTip("Summarise this document's parts now, in the background")
        self.write_button.clicked.connect(self._write)
        self.write_button.hide()
        row.addWidget(self.write_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        self.stack.addWidget(self.empty)

        self.split = QSplitter(Qt.Vertical)       # the outline over the selected part's gist
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Document map")
        self.tree.setHeaderLabels(["Part", "Where"])
        header = self.tree.header()               # the parts take the room; 'lines 3-7' fits
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda item, _: self._detail(item))
        self.tree.itemClicked.connect(lambda item, _: self._open(item))
        self.tree.itemActivated.connect(self._activated)
        self.split.addWidget(self.tree)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Summary of the selected part")
        self.detail.setOpenLinks(False)
        self.split.addWidget(self.detail)
        self.split.setSizes([300, 140])
        self.stack.addWidget(self.split)
        self.stack.setCurrentWidget(self.empty)

    def sizeHint(self) -> QSize:
        return QSize(380, 480)

    # -- what is shown -------------------------------------------------------------------

    def loading(self, doc: DocumentRow) -> None:
        """About to show `doc`'s map: its name now, the outline when `show_outline` gets it."""
        self.path, self.entry, self.doc = doc.path, None, doc
        self.heading.setText(f"<b>{html.escape(Path(doc.path).name)}</b>")
        self.heading.setToolTip(doc.path)
        if self.stack.currentWidget() is self.split:
            self.tree.clear()
            self.detail.clear()
        self._say("Loading the map…", button=False)

    def show_outline(self, path: str, entry, *, writing: bool = False, when_idle: bool = True) -> None:
        """`entry` is `path`'s OutlineEntry, or None before its gists are written."""
        if path != self.path:
            return                               # an older request: another document is shown
        self.entry = entry
        if entry is None:
            doc = self.doc
            if doc.status != "ready" or not doc.chunks:
                self._say("This document has nothing to map.", button=False)
            elif doc.phase != "understood":
                self._say(NOT_UNDERSTOOD, button=False)
            elif writing:
                self.writing()
            else:
                self._say(NO_MAP if when_idle else NO_MAP_OFF, button=True)
            return
        self.tree.clear()
        name = Path(path).name
        top = self._item(entry, name)
        self.tree.addTopLevelItem(top)
        self.tree.expandToDepth(1)               # the document and its chapters (or sections)
        self.tree.setCurrentItem(top)
        self.stack.setCurrentWidget(self.split)

    def writing(self) -> None:
        """'Write it now' was heard: the map is being written."""
        if self.entry is None and self.path is not None:
            self._say(WRITING, button=False)

    def clear(self) -> None:
        self.path, self.entry = None, None
        self.heading.setText(NO_DOCUMENT)
        self.tree.clear()
        self._say(NO_DOCUMENT, button=False)

    def _say(self, text: str, *, button: bool) -> None:
        self.message.setText(text)
        self.write_button.setVisible(button)
        self.stack.setCurrentWidget(self.empty)

    def _item(self, entry, name: str) -> QTreeWidgetItem:
        title = entry.title or name
        item = QTreeWidgetItem([title, short_where(entry.where, name, title)])
        item.setData(0, Qt.UserRole, entry)
        item.setToolTip(0, entry.text)
        item.setToolTip(1, entry.where)
        for child in entry.children:
            item.addChild(self._item(child, name))
        return item

    def _detail(self, item: QTreeWidgetItem | None) -> None:
        entry = item.data(0, Qt.UserRole) if item is not None else None
        if entry is None:
            self.detail.clear()
            return
        self.detail.setHtml(
            f"<p><b>{html.escape(item.text(0))}</b> — {_LEVEL.get(entry.level, entry.level)}"
            f"<br><i>{html.escape(entry.where)}</i></p><p>{html.escape(entry.text)}</p>")

    # -- actions -------------------------------------------------------------------------

    def _open(self, item: QTreeWidgetItem) -> None:
        entry = item.data(0, Qt.UserRole)
        last, when = self._opened
        now = time.monotonic()
        if entry is None or (last is entry and now - when < 0.5):
            return                               # a double click, or a style that activates on click
        self._opened = (entry, now)
        self.open_requested.emit(citation_of_entry(entry.hit))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self._open(item)                         # Enter (a click has opened it already)

    def _write(self) -> None:
        if self.path is not None:
            self.writing()
            self.write_requested.emit(self.path)
