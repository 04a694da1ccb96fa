"""The source viewer: one widget per kind of source, picked by the place's kind.

`VIEWERS` maps a kind to a factory `(session) -> widget with .open(place)`; a new kind
(say, images) registers its own with `register_viewer` and nothing else changes.
Kinds without a viewer show the cited evidence text.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.viewer.media_view import MediaView
from app.viewer.pdf_view import PdfView
from app.viewer.place import Place, kind_of_path
from app.viewer.text_view import TextView

__all__ = ["SourceViewer", "Place", "VIEWERS", "register_viewer", "kind_of_path"]

VIEWERS: dict[str, Callable[[object], QWidget]] = {
    "pdf": PdfView,
    "text": TextView,
    "code": TextView,
    "video": MediaView,
    "subtitles": MediaView,
}


def register_viewer(kind: str, factory: Callable[[object], QWidget]) -> None:
    VIEWERS[kind] = factory


class SourceViewer(QWidget):
    def __init__(self, session):
        super().__init__()
        self.session = session
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel("Click a citation to open its source here.")
        self.title.setWordWrap(True)
        col.addWidget(self.title)
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Source viewer")
        col.addWidget(self.stack, 1)
        self.views: dict[str, QWidget] = {}      # one instance per factory
        self.current: QWidget | None = None

    def view_for(self, kind: str) -> QWidget:
        factory = VIEWERS.get(kind, TextView)
        key = getattr(factory, "__name__", kind)
        if key not in self.views:
            self.views[key] = factory(self.session)
            self.stack.addWidget(self.views[key])
        return self.views[key]

    def open(self, place: Place) -> None:
        view = self.view_for(place.kind)
        self.stack.setCurrentWidget(view)
        self.current = view
        where = (f"page {place.page}" if place.page else
                 f"lines {place.line_start}–{place.line_end}" if place.line_start else
                 place.when)
        self.title.setText(f"<b>{place.path.rsplit('/', 1)[-1]}</b> {where}")
        self.title.setToolTip(place.path)
        view.open(place)
