"""The main window: library pane | chat | source viewer, with the trace, memory and map
panels as docks.

It wires widgets to the `Session` (which runs every engine call as a job) and owns what is
window-wide: drag and drop, menus and shortcuts, settings, the first-run sample offer and
a clean quit (cancel live jobs, wait, then save the geometry).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QSplitter

from engine.library import Library
from engine.longlived import freeze_startup_objects

from app.chat_pane import ChatPane, turn_of
from app.errors import describe_error, show_error
from app.library_pane import LibraryPane
from app.map_panel import MapPanel
from app.memory_panel import MemoryPanel
from app.session import Session
from app.settings import Settings
from app.settings_dialog import SettingsDialog
from app.trace_panel import TracePanel
from app.viewer import Place, SourceViewer

__all__ = ["MainWindow", "SAMPLE"]

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "samples" / "alice.pdf"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, *, library: Library | None = None,
                 watch_interval_ms: int = 2000):
        super().__init__()
        self.settings = settings or Settings()
        self.setWindowTitle("Memex")
        self.setAcceptDrops(True)
        self._watch_interval = watch_interval_ms
        self.library_pane = LibraryPane()
        self.chat = ChatPane()
        self.session: Session | None = None
        self.viewer: SourceViewer | None = None
        self.split = QSplitter(Qt.Horizontal)
        self.split.addWidget(self.library_pane)
        self.split.addWidget(self.chat)
        self.setCentralWidget(self.split)
        self.trace = TracePanel()
        self.trace_dock = QDockWidget("Trace", self)
        self.trace_dock.setObjectName("trace")
        self.trace_dock.setWidget(self.trace)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.trace_dock)
        self.trace_dock.hide()
        self.memory = MemoryPanel()
        self.memory_dock = QDockWidget("Memory", self)
        self.memory_dock.setObjectName("memory")
        self.memory_dock.setWidget(self.memory)
        self.addDockWidget(Qt.RightDockWidgetArea, self.memory_dock)
        self.memory_dock.hide()
        self.map = MapPanel()
        self.map_dock = QDockWidget("Map", self)
        self.map_dock.setObjectName("map")
        self.map_dock.setWidget(self.map)
        self.addDockWidget(Qt.RightDockWidgetArea, self.map_dock)
        self.map_dock.hide()
        self._answer_token = None
        self._connect_widgets()
        self._menus()
        self.open_library(library or Library(self.settings.library, **self.settings.model_kwargs()))
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        else:
            self.resize(1280, 800)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        freeze_startup_objects()   # keep full GC passes short (engine/longlived.py)

    # -- wiring --------------------------------------------------------------------------

    def _connect_widgets(self) -> None:
        lp = self.library_pane
        lp.remove_requested.connect(lambda p: self.session.remove(p))
        lp.cancel_requested.connect(lambda e: self.session.cancel(e))
        lp.understand_cancel_requested.connect(lambda: self.session.cancel_understanding())
        lp.digest_cancel_requested.connect(lambda: self.session.digester.cancel())
        lp.map_requested.connect(self.show_map)
        lp.tree.itemSelectionChanged.connect(self._follow_selection)
        lp.open_requested.connect(lambda d: d and self.open_document(d))
        lp.sample_requested.connect(self.add_sample)
        lp.watch_dropped.setChecked(self.settings.watch_dropped_folders)
        lp.watch_dropped_toggled.connect(lambda on: setattr(self.settings, "watch_dropped_folders", on))
        self.chat.ask_requested.connect(self.ask)
        self.chat.stop_requested.connect(self.stop)
        self.chat.citation_clicked.connect(self.open_citation)
        self.chat.answer_copied.connect(lambda ids: self.session.answer_copied(ids))
        self.memory.pin_requested.connect(lambda ids, on: self.session.pin(ids, on))
        self.memory.consolidate_requested.connect(lambda: self.session.consolidate())
        self.memory_dock.visibilityChanged.connect(lambda on: on and self.session.refresh_memory())
        self.chat.new_conversation_requested.connect(self.new_conversation)
        self.trace.trace_requested.connect(self.run_trace)
        self.trace.occurrence_clicked.connect(lambda o: self.open_place(Place.of_object(o)))
        self.map.open_requested.connect(lambda cite: self.open_place(Place.of(cite)))
        self.map.write_requested.connect(lambda path: self.session.digest([path]))

    def open_library(self, library: Library) -> None:
        """Show `library`: documents, chat history, watched folders, resumed ingests."""
        if self.session is not None:
            self.session.close()
        self.session = s = Session(library, watch_interval_ms=self._watch_interval,
                                   digest_when_idle=self.settings.digest_when_idle)
        self.settings.remember(str(library.path))
        if self.viewer is not None:
            self.viewer.setParent(None)
        self.viewer = SourceViewer(s)
        self.split.addWidget(self.viewer)
        self.split.setSizes([400, 460, 520])
        lp = self.library_pane
        s.documents_changed.connect(self._documents)
        s.ingest_queued.connect(lp.entry_queued)
        s.ingest_progress.connect(lp.entry_progress)
        s.ingest_finished.connect(lp.entry_finished)
        s.file_read.connect(lp.file_read)
        lp.understanding_finished()               # a previous library's pass is over
        s.understand_started.connect(lp.understanding_started)
        s.understand_progress.connect(lp.understanding_progress)
        s.understand_finished.connect(lp.understanding_finished)
        s.understand_stopped.connect(lp.understanding_stopped)
        lp.digesting_finished()
        d = s.digester
        d.started.connect(lp.digesting_started)
        d.progress.connect(lp.digesting_progress)
        d.document_digested.connect(lp.document_digested)
        d.document_digested.connect(lambda doc: self._map_changed(doc.path))
        d.finished.connect(lp.digesting_finished)
        d.finished.connect(lambda _: self._map_changed(self.map.path))
        self.map.clear()
        s.activity.connect(lp.note)
        s.memory_changed.connect(self.memory.show_report)
        self.setWindowTitle(f"Memex — {library.path}")
        s.refresh()
        s.chat_history(self.chat.set_history)
        s.start_conversation()
        s.resume_pending()
        s.start_watching()
        s.start_consolidating()
        self._rebuild_recent()

    def _documents(self, docs: list) -> None:
        self.library_pane.show_documents(docs)
        self.trace.units = {d.path: d.units or 0 for d in docs}
        offer = not docs and not self.session.tokens and not self.settings.sample_offered
        self.library_pane.sample.setVisible(offer)
        if self.map.path is not None:            # the mapped document was forgotten, re-read or understood
            now = next((d for d in docs if d.path == self.map.path), None)
            if now is None:
                self.map.clear()
            elif now != self.map.doc:
                self._load_map(now)

    # -- menus and shortcuts -------------------------------------------------------------

    def _menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self._action(file, "&Add files…", QKeySequence("Ctrl+O"), self.add_dialog)
        self._action(file, "Add &folder…", None, self.add_folder_dialog)
        self._action(file, "&Watch a folder…", None, self.watch_dialog)
        self._action(file, "&Open library…", None, self.open_library_dialog)
        self.recent_menu = file.addMenu("&Recent libraries")
        file.addSeparator()
        self._action(file, "&Settings…", QKeySequence("Ctrl+,"), self.settings_dialog)
        self._action(file, "&Quit", QKeySequence("Ctrl+Q"), self.close)
        view = self.menuBar().addMenu("&View")
        self._action(view, "&Trace a term…", QKeySequence("Ctrl+Shift+F"), self.show_trace)
        self._action(view, "&Memory", QKeySequence("Ctrl+Shift+M"), self.show_memory)
        self._action(view, "M&ap of the selected document", QKeySequence("Ctrl+Shift+O"),
                     lambda: self.show_map())
        QShortcut(QKeySequence("Ctrl+L"), self, activated=lambda: self.chat.box.setFocus())
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.stop)

    def _action(self, menu, text, keys, slot) -> QAction:
        action = menu.addAction(text)
        if keys is not None:
            action.setShortcut(keys)
        action.triggered.connect(slot)
        return action

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        for folder in self.settings.recent:
            self.recent_menu.addAction(folder, lambda f=folder: self.switch_library(f))

    # -- adding material -----------------------------------------------------------------

    def add_paths(self, paths: list[str]) -> None:
        for p in paths:
            if Path(p).is_dir() and self.settings.watch_dropped_folders:
                self.session.watch(p)
        self.session.add(paths)

    def add_sample(self) -> None:
        self.settings.sample_offered = True
        self.library_pane.sample.hide()
        self.add_paths([str(SAMPLE)])

    def add_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add to the library", "",
                                                "Books and documents (*.pdf *.epub *.txt *.md);;All files (*)")
        if paths:
            self.add_paths(paths)

    def add_folder_dialog(self) -> None:
        if folder := QFileDialog.getExistingDirectory(self, "Add a folder"):
            self.add_paths([folder])

    def watch_dialog(self) -> None:
        if folder := QFileDialog.getExistingDirectory(self, "Watch a folder"):
            self.session.watch(folder)
            self.session.add([folder])

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        paths = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.add_paths(paths)

    # -- asking --------------------------------------------------------------------------

    def ask(self, question: str) -> None:
        if self.chat.busy:
            return
        self.chat.begin(question)
        self._answer_token = self.session.ask(question, self.chat.append, self._answered, self._not_answered)

    def _answered(self, ans) -> None:
        turn = turn_of(ans)
        self.chat.finish(turn)
        self.session.save_turn(turn)

    def _not_answered(self, exc: BaseException) -> None:
        self.chat.finish(None, describe_error(exc))
        show_error(exc, self)

    def new_conversation(self) -> None:
        """Follow-ups stop resolving against the earlier questions from here on."""
        if self.session is not None and not self.chat.busy:
            self.session.start_conversation(new=True, then=lambda _: self.chat.set_history([]))

    def stop(self) -> None:
        if self._answer_token is not None:
            self._answer_token.cancel()

    def open_place(self, place: Place) -> None:
        self.viewer.open(place)

    def open_citation(self, citation: dict) -> None:
        """Open a cited place, and tell the memory that this evidence was worth opening."""
        self.open_place(Place.of(citation))
        self.session.citation_opened(citation.get("chunk_id"))

    def open_document(self, doc) -> None:
        self.open_place(Place(doc.path, page=1 if doc.unit_name == "page" else None, line_start=None))
        self.session.document_opened(doc.path)

    def show_memory(self) -> None:
        self.memory_dock.show()
        self.session.refresh_memory()

    # -- the map: a document's outline with its gists ------------------------------------

    def show_map(self, doc=None) -> None:
        """Show `doc`'s map (else the selected document's) in the Map dock."""
        doc = doc or self.library_pane.current()
        self.map_dock.show()
        self.map_dock.raise_()
        if doc is None:
            self.map.clear()
        else:
            self._load_map(doc)

    def _load_map(self, doc) -> None:
        self.map.loading(doc)
        s = self.session
        self.session.outline(doc.path, lambda entry: self.map.show_outline(
            doc.path, entry, writing=s.digester.covers(doc.path), when_idle=s.digester.when_idle))

    def _map_changed(self, path: str | None) -> None:
        """Gists were written (or a pass ended): reload the map shown if it had none."""
        if path is not None and path == self.map.path and self.map.entry is None:
            self._load_map(self.map.doc)

    def _follow_selection(self) -> None:
        if self.map_dock.isVisible():
            doc = self.library_pane.current()
            if doc is not None and doc.path != self.map.path:
                self._load_map(doc)

    # -- trace, settings, libraries ------------------------------------------------------

    def show_trace(self) -> None:
        self.trace_dock.show()
        self.trace.term.setFocus()
        self.trace.term.selectAll()

    def run_trace(self, term: str) -> None:
        lib = self.session.library
        if not hasattr(lib, "trace"):
            self.trace.show_unavailable("Tracing needs a newer engine (Library.trace).")
            return
        self.session.read(lambda c, r: lib.trace(term),
                          lambda occ: self.trace.show_occurrences(term, occ))

    def settings_dialog(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings, self)
        dialog.accepted.connect(self.apply_settings)
        dialog.open()
        return dialog

    def apply_settings(self) -> None:
        if str(Path(self.settings.library).expanduser().resolve()) != str(self.session.library.store.folder):
            self.switch_library(self.settings.library)
        else:
            self.session.library.configure_model(**self.settings.model_kwargs())
        self.session.digester.when_idle = self.settings.digest_when_idle
        self.session.digester.idle()

    def open_library_dialog(self) -> None:
        if folder := QFileDialog.getExistingDirectory(self, "Open a library folder"):
            self.switch_library(folder)

    def switch_library(self, folder: str) -> None:
        try:
            lib = Library(folder, **self.settings.model_kwargs())
        except Exception as exc:       # a damaged or newer library: say so, keep the current one
            show_error(exc, self)
            return
        self.settings.qs.setValue("library/path", folder)
        self.open_library(lib)

    def closeEvent(self, e) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        self.session.close()
        super().closeEvent(e)
