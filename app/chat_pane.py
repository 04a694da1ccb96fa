"""The chat: questions, streamed answers rendered as Markdown, citation chips that open the
source, copy and stop. Enter asks, Ctrl+Enter (or Shift+Enter) starts a new line."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (QHBoxLayout, QPlainTextEdit, QPushButton, QTextBrowser,
                               QVBoxLayout, QWidget)

from engine.answer import Answer, describe
from engine.store.app_state import ChatTurn

__all__ = ["ChatPane", "QuestionBox", "turn_of"]

_MARK = re.compile(r"\[(\d{1,3})\]")
_SPECIAL = re.compile(r"([\\`*_<])")   # what Markdown would read as markup


def turn_of(ans: Answer) -> ChatTurn:
    """An engine answer as a chat turn, keeping each cited place (with its char span)."""
    cites = []
    for n, hit in ans.citations:
        loc = hit.location
        cites.append({"n": n, **hit.to_json(), "char_start": loc.char_start,
                      "char_end": loc.char_end, "chunk_id": hit.chunk_id,
                      "label": describe(hit)})
    text = ans.text + (" *[stopped]*" if ans.stopped else "")
    if ans.reading_note:
        text += f"\n\n*({ans.reading_note})*"
    if ans.how:          # which tool answered, in one discreet line
        how = _SPECIAL.sub(r"\\\1", ans.how)
        text += f"\n\n*How it was found: {how}.*"
    return ChatTurn(ans.question, text, cites)


class QuestionBox(QPlainTextEdit):
    submitted = Signal(str)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key_Return, Qt.Key_Enter):
            if e.modifiers() & (Qt.ControlModifier | Qt.ShiftModifier):
                self.insertPlainText("\n")
            elif self.toPlainText().strip():
                self.submitted.emit(self.toPlainText().strip())
            return
        super().keyPressEvent(e)


class ChatPane(QWidget):
    ask_requested = Signal(str)
    stop_requested = Signal()
    new_conversation_requested = Signal()
    citation_clicked = Signal(dict)
    answer_copied = Signal(list)                 # chunk ids the copied answer cites

    def __init__(self):
        super().__init__()
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Conversation")
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(self._anchor)
        col.addWidget(self.transcript, 1)
        self.box = QuestionBox()
        self.box.setAccessibleName("Question")
        self.box.setPlaceholderText("Ask about your library… (Enter asks, Ctrl+Enter new line)")
        self.box.setFixedHeight(70)
        self.box.submitted.connect(self._submit)
        col.addWidget(self.box)
        row = QHBoxLayout()
        self.ask_button = QPushButton("Ask")
        self.ask_button.setAccessibleName("Ask the question")
        self.ask_button.clicked.connect(lambda: self._submit(self.box.toPlainText().strip()))
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop the answer")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_requested)
        self.copy_button = QPushButton("Copy answer")
        self.copy_button.setAccessibleName("Copy the last answer")
        self.copy_button.clicked.connect(self.copy_answer)
        self.new_button = QPushButton("New conversation")
        self.new_button.setAccessibleName("Start a new conversation")
        self.new_button.setToolTip("Later questions no longer follow up on the earlier ones")
        self.new_button.clicked.connect(self.new_conversation_requested)
        for b in (self.ask_button, self.stop_button, self.copy_button, self.new_button):
            row.addWidget(b)
        row.addStretch(1)
        col.addLayout(row)
        self.turns: list[ChatTurn] = []
        self.pending: tuple[str, str] | None = None   # (question, text so far) while streaming
        self._render_timer = QTimer(self, singleShot=True, interval=40)
        self._render_timer.timeout.connect(self.render)

    # -- the conversation ----------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.pending is not None

    def _submit(self, question: str) -> None:
        if question and not self.busy:
            self.ask_requested.emit(question)

    def begin(self, question: str) -> None:
        self.box.clear()
        self.pending = (question, "")
        self.stop_button.setEnabled(True)
        self.ask_button.setEnabled(False)
        self.render()

    def append(self, piece: str) -> None:
        if self.pending is not None:
            self.pending = (self.pending[0], self.pending[1] + piece)
            self._render_timer.start()

    def finish(self, turn: ChatTurn | None, error: str | None = None) -> None:
        question = self.pending[0] if self.pending else ""
        self.pending = None
        if turn is not None:
            self.turns.append(turn)
        elif error:
            self.turns.append(ChatTurn(question, f"*{error}*"))
        self.stop_button.setEnabled(False)
        self.ask_button.setEnabled(True)
        self.render()

    def set_history(self, turns: list[ChatTurn]) -> None:
        self.turns = list(turns)
        self.render()

    def copy_answer(self) -> None:
        if self.turns:
            QGuiApplication.clipboard().setText(self.turns[-1].answer)
            self.answer_copied.emit([c["chunk_id"] for c in self.turns[-1].citations
                                     if c.get("chunk_id") is not None])

    # -- rendering -----------------------------------------------------------------------

    def markdown(self) -> str:
        parts = []
        for t, turn in enumerate(self.turns):
            parts.append(_turn_md(t, turn.question, turn.answer, turn.citations))
        if self.pending is not None:
            parts.append(_turn_md(-1, self.pending[0], self.pending[1] + " ▍", []))
        return "\n\n---\n\n".join(parts)

    def render(self) -> None:
        bar = self.transcript.verticalScrollBar()
        self.transcript.setMarkdown(self.markdown())
        bar.setValue(bar.maximum())

    def citation(self, t: int, n: int) -> dict | None:
        if 0 <= t < len(self.turns):
            for c in self.turns[t].citations:
                if c.get("n") == n:
                    return c
        return None

    def _anchor(self, url: QUrl) -> None:
        m = re.fullmatch(r"cite:(\d+)-(\d+)", url.toString())
        if m and (c := self.citation(int(m.group(1)), int(m.group(2)))) is not None:
            self.citation_clicked.emit(c)


def _turn_md(t: int, question: str, answer: str, citations: list[dict]) -> str:
    known = {c["n"] for c in citations}
    # quotes and gists are the source's words: its backticks and stars (Alice opens her
    # speech with a backtick) must not turn into code spans or emphasis
    answer = "\n".join(_SPECIAL.sub(r"\\\1", line) if line.startswith(("“", "• ")) else line
                       for line in answer.split("\n"))
    body = _MARK.sub(lambda m: f"[\\[{m.group(1)}\\]](cite:{t}-{m.group(1)})"
                     if int(m.group(1)) in known else m.group(0), answer)
    # the answer line the engine opens with reads as the answer: bold, before the evidence
    body = re.sub(r"\AAnswer: ([^\n]*)", r"**Answer: \1**", body)
    # each quote and each gist is a line of its own; Markdown would join them into one paragraph
    body = re.sub(r"(?<=[^\n])\n(?=[^\n])", "  \n", body)
    lines = [f"**You:** {question}", "", body]
    if citations:
        lines += ["", "**Sources**", ""]
        lines += [f"- [\\[{c['n']}\\] {c.get('label') or c['path']}](cite:{t}-{c['n']})"
                  for c in citations]
    return "\n".join(lines)
