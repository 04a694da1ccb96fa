"""The library pane: documents with kind, size and status, a progress bar and a cancel
button per reading entry, one for understanding (phase 2 of reading) and one for writing
gists (the documents' maps), failures with their reason on hover, remove, a document's
map, and an activity log (failures, watched-folder re-reads, resumed ingests)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QLabel, QListWidget,
                               QMenu, QProgressBar, QPushButton, QStyle, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from engine.reading.documents import FileResult
from engine.store import DocumentRow

__all__ = ["LibraryPane", "human_size"]

UNDERSTANDING_TIP = ("Searchable by keyword and traceable now; "
                     "Memex is still reading it for meaning")
STOPPED_TIP = ("Searchable by keyword and traceable now; reading it for meaning was stopped "
               "and goes on at the next start")

_KIND_ICON = {"pdf": QStyle.SP_FileIcon, "epub": QStyle.SP_FileDialogDetailedView,
              "text": QStyle.SP_FileDialogContentsView, "markdown": QStyle.SP_FileDialogContentsView}


def human_size(n: int | None) -> str:
    if not n:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


class _Reading(QWidget):
    """One queued or running entry (or the understanding pass): name, progress bar, cancel."""

    def __init__(self, name: str, on_cancel, *, doing: str = "", state: str = "queued"):
        super().__init__()
        doing = doing or f"reading {name}"
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 0, 2, 0)
        self.name = QLabel(name)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setFormat(state)
        self.bar.setAccessibleName(f"Progress {doing}")
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName(f"Cancel {doing}")
        self.cancel.clicked.connect(on_cancel)
        row.addWidget(self.name, 2)
        row.addWidget(self.bar, 3)
        row.addWidget(self.cancel)

    def progress(self, done: int, total: int, label: str) -> None:
        if total <= 0:                            # nothing to count yet (waiting): busy bar
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 100)
            self.bar.setValue(int(100 * done / total))
            self.bar.setFormat("%p%")
        self.bar.setToolTip(label)


def _understanding(on_cancel) -> _Reading:
    """Phase 2 while it runs: how many documents are left, progress in chunks, cancel."""
    row = _Reading("Understanding…", on_cancel, doing="understanding documents", state="starting")
    row.name.setToolTip(UNDERSTANDING_TIP)
    row.cancel.setToolTip("Stop for now: what is left stays searchable by keyword and is "
                          "understood the next time Memex starts")
    return row


def _digesting(on_cancel) -> _Reading:
    """A digest pass while it runs: how many documents are left, progress in gists, cancel."""
    row = _Reading("Writing gists…", on_cancel, doing="writing gists", state="starting")
    row.name.setToolTip("Memex is writing summaries of each part of these documents: their "
                        "maps, and answers to questions about whole books")
    row.cancel.setToolTip("Stop for now: the gists written are kept, and the rest are written "
                          "the next time Memex is idle")
    return row


def _gists_left(n: int) -> str:
    return f"Writing gists for {n} document{'s' if n != 1 else ''}…" if n else "Writing gists…"


def _documents_left(n: int) -> str:
    return f"Understanding {n} document{'s' if n != 1 else ''}…" if n else "Understanding: last steps…"


class LibraryPane(QWidget):
    remove_requested = Signal(str)
    cancel_requested = Signal(str)
    understand_cancel_requested = Signal()
    digest_cancel_requested = Signal()
    open_requested = Signal(object)               # DocumentRow
    map_requested = Signal(object)                # DocumentRow
    sample_requested = Signal()
    watch_dropped_toggled = Signal(bool)

    def __init__(self):
        super().__init__()
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.sample = QPushButton("New here? Read the sample book")   # short: keeps the pane narrow
        self.sample.setToolTip("Read the bundled sample book, Alice in Wonderland, into this library")
        self.sample.setAccessibleName("Load the sample library")
        self.sample.clicked.connect(self.sample_requested)
        self.sample.hide()
        col.addWidget(self.sample)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Documents")
        self.tree.setHeaderLabels(["Document", "Kind", "Size", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemDoubleClicked.connect(lambda item, _: self.open_requested.emit(item.data(0, Qt.UserRole)))
        for column, width in enumerate((170, 45, 60)):
            self.tree.setColumnWidth(column, width)
        col.addWidget(self.tree, 3)
        self.reading = QVBoxLayout()
        col.addLayout(self.reading)
        self.rows: dict[str, _Reading] = {}
        self.understanding: _Reading | None = None   # shown while phase 2 runs
        self.digesting: _Reading | None = None     # shown while gists are written
        self._to_digest = 0                       # documents the running digest pass has left
        self._readable = 0                        # documents listed as not yet understood
        self._stopped = False                     # a person stopped phase 2 until the next start
        self._docs: list[DocumentRow] = []
        self.watch_dropped = QCheckBox("Watch dropped folders for changes")
        self.watch_dropped.toggled.connect(self.watch_dropped_toggled)
        col.addWidget(self.watch_dropped)
        col.addWidget(QLabel("Activity and problems"))
        self.log = QListWidget()
        self.log.setAccessibleName("Activity and problems")
        col.addWidget(self.log, 1)
        buttons = QHBoxLayout()
        self.map_button = QPushButton("Map")
        self.map_button.setAccessibleName("Show the map of the selected document")
        self.map_button.setToolTip("The selected document's outline with a summary of each "
                                   "part (Ctrl+Shift+O)")
        self.map_button.clicked.connect(lambda: self.map_requested.emit(self.current()))
        buttons.addWidget(self.map_button)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setAccessibleName("Remove the selected documents")
        self.remove_button.clicked.connect(self._remove_selected)
        buttons.addWidget(self.remove_button, 1)
        col.addLayout(buttons)

    # -- documents -----------------------------------------------------------------------

    def show_documents(self, docs: list[DocumentRow]) -> None:
        self._docs = docs
        self.tree.clear()
        style = self.style()
        for d in docs:
            name = d.title or Path(d.path).name
            status = "ready" if d.status == "ready" else "failed"
            if d.status == "ready" and d.units:
                status = f"{d.units} {d.unit_name}s · {d.chunks} chunks"
            readable = d.status == "ready" and d.phase == "readable"
            if readable:
                status = ("" if status == "ready" else status + " · ") + \
                    ("readable — stopped" if self._stopped else "readable — understanding…")
            item = QTreeWidgetItem([name, d.modality or "?", human_size(d.size), status])
            if readable:
                item.setToolTip(3, STOPPED_TIP if self._stopped else UNDERSTANDING_TIP)
            item.setIcon(0, style.standardIcon(_KIND_ICON.get(d.modality or "", QStyle.SP_MessageBoxWarning)))
            item.setToolTip(0, d.path)
            item.setData(0, Qt.UserRole, d)
            if d.status != "ready":
                item.setToolTip(3, d.error or "")
                item.setForeground(3, Qt.red)
            self.tree.addTopLevelItem(item)
        self._readable = sum(d.status == "ready" and d.phase == "readable" for d in docs)
        if self.understanding is not None:
            self.understanding.name.setText(_documents_left(self._readable))

    def _selected(self) -> list[DocumentRow]:
        return [i.data(0, Qt.UserRole) for i in self.tree.selectedItems()]

    def current(self) -> DocumentRow | None:
        """The selected document (the current one among several), else the only one."""
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            chosen = self.tree.selectedItems()
            item = chosen[0] if chosen else (self.tree.topLevelItem(0)
                                             if self.tree.topLevelItemCount() == 1 else None)
        return item.data(0, Qt.UserRole) if item is not None else None

    def _remove_selected(self) -> None:
        for d in self._selected():
            self.remove_requested.emit(d.path)

    def _menu(self, pos) -> None:
        if not self._selected():
            return
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.open_requested.emit(self._selected()[0]))
        menu.addAction("Show map", lambda: self.map_requested.emit(self.current()))
        menu.addAction("Remove from library", self._remove_selected)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # -- reading entries -----------------------------------------------------------------

    def entry_queued(self, entry: str) -> None:
        if entry in self.rows:
            return
        row = _Reading(Path(entry).name, lambda: self.cancel_requested.emit(entry))
        self.rows[entry] = row
        self.reading.addWidget(row)

    def entry_progress(self, entry: str, done: int, total: int, label: str) -> None:
        row = self.rows.get(entry)
        if row is not None:
            row.progress(done, max(1, total), label)

    def entry_finished(self, entry: str, summary) -> None:
        row = self.rows.pop(entry, None)
        if row is not None:
            row.deleteLater()
        if summary is None:
            self.note(f"Stopped reading {Path(entry).name}; the library is as it was before it.")

    # -- understanding (phase 2) ---------------------------------------------------------

    def understanding_stopped(self) -> None:
        """A person stopped phase 2: readable documents say so until a pass starts again."""
        self._stopped = True
        self.show_documents(self._docs)

    def understanding_started(self) -> None:
        if self._stopped:
            self._stopped = False
            self.show_documents(self._docs)
        if self.understanding is None:
            self.understanding = _understanding(lambda: self.understand_cancel_requested.emit())
            self.reading.addWidget(self.understanding)
        self.understanding.name.setText(_documents_left(self._readable))

    def understanding_progress(self, done: int, total: int, label: str) -> None:
        if self.understanding is not None:     # total 0: waiting for another process
            self.understanding.progress(done, total, label)

    def understanding_finished(self, _summary=None) -> None:
        row, self.understanding = self.understanding, None
        if row is not None:
            row.deleteLater()

    # -- writing gists (the maps) ------------------------------------------------------

    def digesting_started(self, n: int) -> None:
        if self.digesting is None:
            self.digesting = _digesting(lambda: self.digest_cancel_requested.emit())
            self.reading.addWidget(self.digesting)
        self._to_digest = n
        self.digesting.name.setText(_gists_left(n))

    def digesting_progress(self, done: int, total: int, label: str) -> None:
        if self.digesting is not None:        # total 0: waiting for another process
            self.digesting.progress(done, total, label)

    def document_digested(self, _doc=None) -> None:
        if self.digesting is not None:
            self._to_digest = max(0, self._to_digest - 1)
            self.digesting.name.setText(_gists_left(self._to_digest))

    def digesting_finished(self, _summary=None) -> None:
        row, self.digesting = self.digesting, None
        if row is not None:
            row.deleteLater()

    def file_read(self, result: FileResult) -> None:
        name = Path(result.path).name
        if result.status == "failed":
            self.note(f"✗ {result.path}: {result.reason}", error=True)
        elif result.status == "stored":
            self.note(f"✓ {name}: {result.chunks} chunks")
        for w in result.warnings:
            self.note(f"! {result.path}: {w}", error=True)

    def note(self, text: str, *, error: bool = False) -> None:
        self.log.addItem(text)
        item = self.log.item(self.log.count() - 1)
        item.setToolTip(text)
        if error:
            item.setForeground(Qt.red)
        self.log.scrollToBottom()
