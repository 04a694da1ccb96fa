"""Text and code: the file with line numbers, code coloured, the cited lines highlighted
and scrolled into view. The file is decoded by the engine the way ingest read it, so the
cited line numbers match."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from engine.answer.sources import source_text

from app.viewer.place import Place
from app.viewer.syntax import CodeHighlighter, lexer_for

__all__ = ["TextView"]


class _Gutter(QWidget):
    def __init__(self, view: "TextView"):
        super().__init__(view)
        self.view = view

    def sizeHint(self) -> QSize:
        return QSize(self.view.gutter_width(), 0)

    def paintEvent(self, event) -> None:
        self.view.paint_gutter(event)


class TextView(QPlainTextEdit):
    def __init__(self, session):
        super().__init__()
        self.session = session
        self.setReadOnly(True)
        self.setAccessibleName("Source text")
        self.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.place: Place | None = None
        self.lines: tuple[int, int] | None = None  # highlighted, 1-based inclusive
        self._highlighter: CodeHighlighter | None = None
        self._loaded: str | None = None
        self.gutter = _Gutter(self)
        self.blockCountChanged.connect(lambda _: self.setViewportMargins(self.gutter_width(), 0, 0, 0))
        self.updateRequest.connect(self._scroll_gutter)
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    # -- opening -------------------------------------------------------------------------

    def open(self, place: Place) -> None:
        self.place = place
        if place.line_start is None and place.text and place.kind not in ("text", "code"):
            self._show(place.path + "#evidence", place.text)  # a kind with no own viewer yet
            return
        if self._loaded == place.path:
            self._mark()
            return
        self.session.read(lambda c, r: source_text(place.path), lambda text: self._show(place.path, text))

    def _show(self, key: str, text: str) -> None:
        self._loaded = key
        self.setPlainText(text)
        if self._highlighter is not None:
            self._highlighter.setDocument(None)
            self._highlighter = None
        lexer = lexer_for(key) if self.place and self.place.kind == "code" else None
        if lexer is not None:
            self._highlighter = CodeHighlighter(self.document(), lexer)
            self._highlighter.rehighlight()    # now, not on the next event-loop turn
        self._mark()

    def _mark(self) -> None:
        p = self.place
        if p is None or p.line_start is None:
            self.lines = None
            self.setExtraSelections([])
            return
        self.lines = (p.line_start, p.line_end or p.line_start)
        sel = QTextEdit.ExtraSelection()
        sel.format.setBackground(QColor(255, 230, 120))
        sel.format.setProperty(QTextFormat.FullWidthSelection, True)
        doc = self.document()
        first = doc.findBlockByNumber(self.lines[0] - 1)
        last = doc.findBlockByNumber(min(self.lines[1], doc.blockCount()) - 1)
        cursor = QTextCursor(first)
        cursor.setPosition(last.position() + max(0, last.length() - 1), QTextCursor.KeepAnchor)
        sel.cursor = cursor
        self.setExtraSelections([sel])
        # bring the cited lines to the top third of the view
        self.setTextCursor(QTextCursor(last))
        self.ensureCursorVisible()
        self.setTextCursor(QTextCursor(first))
        self.ensureCursorVisible()

    def visible_lines(self) -> tuple[int, int]:
        """First and last line numbers on screen (1-based), for tests and the status bar."""
        top = self.firstVisibleBlock().blockNumber() + 1
        bottom = self.cursorForPosition(self.viewport().rect().bottomLeft()).blockNumber() + 1
        return top, bottom

    # -- line numbers --------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * digits

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        r = self.contentsRect()
        self.gutter.setGeometry(QRect(r.left(), r.top(), self.gutter_width(), r.height()))

    def _scroll_gutter(self, rect, dy) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def paint_gutter(self, event) -> None:
        painter = QPainter(self.gutter)
        painter.fillRect(event.rect(), QColor(245, 245, 245))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            number = block.blockNumber() + 1
            hot = self.lines is not None and self.lines[0] <= number <= self.lines[1]
            painter.setPen(QColor(200, 120, 0) if hot else QColor(140, 140, 140))
            painter.drawText(0, top, self.gutter.width() - 5, height, Qt.AlignRight, str(number))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()
