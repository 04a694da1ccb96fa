"""The settings row for a model server: its URL, a Test button and what the test found.

A test connects over the network and asks for one token, which can take seconds (or the
whole connect timeout when nothing is there), so it runs as a `Job` off the UI thread; a
newer test, or closing the dialog, cancels the one in flight.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from engine.errors import ModelError
from engine.jobs import CancelToken, Report
from engine.model.remote import check_endpoint, normalise_endpoint

from app.errors import describe_error
from app.jobs import POOLS, Job

__all__ = ["EndpointField"]

EMPTY_NOTE = "Empty: the model runs inside Memex."


def _test(url: str, cancel: CancelToken, report: Report) -> str:
    found = check_endpoint(url, cancel=cancel)
    cancel.check()                  # a test stopped half-way says nothing
    return f"✓ {found}"


class EndpointField(QWidget):
    def __init__(self, url: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.edit = QLineEdit(url)
        self.edit.setAccessibleName("Model server")
        self.edit.setPlaceholderText("empty: the model runs inside Memex; e.g. http://127.0.0.1:8080")
        self.test = QPushButton("Test")
        self.test.setAccessibleName("Test model server")
        row.addWidget(self.edit)
        row.addWidget(self.test)
        box.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self._token: CancelToken | None = None
        self.edit.textChanged.connect(self._edited)
        self.test.clicked.connect(self.run_test)
        self._edited()

    def url(self) -> str:
        return self.edit.text().strip()

    def valid(self) -> bool:
        """An empty field or a well-formed http(s) address; the note says what is wrong."""
        if not self.url():
            return True
        try:
            normalise_endpoint(self.url())
        except ModelError as exc:
            self.note.setText(exc.reason)
            return False
        return True

    def _edited(self) -> None:
        self.stop()
        if self.valid():
            self.note.setText("The server answers instead of the model file above; Test "
                              "checks it." if self.url() else EMPTY_NOTE)
        self.test.setEnabled(bool(self.url()))

    def run_test(self) -> None:
        self.stop()
        if not self.url() or not self.valid():
            return
        url = self.url()
        self.note.setText(f"Testing {url}…")
        self.test.setEnabled(False)
        job = Job(lambda cancel, report: _test(url, cancel, report))
        token = job.token
        self._token = (job.success(lambda text: self._show(token, text))
                       .failure(lambda exc: self._show(token, describe_error(exc)))
                       .run(POOLS.read))

    def _show(self, token: CancelToken, text: str) -> None:
        if token is not self._token or not shiboken6.isValid(self.note):
            return                          # an older test, or the dialog is gone
        self._token = None
        self.note.setText(text)
        self.test.setEnabled(True)

    def stop(self, *_) -> None:
        """Cancel a test in flight (a new edit, another test, or the dialog closing)."""
        if self._token is not None:
            self._token.cancel()
            self._token = None
            if shiboken6.isValid(self.test):
                self.test.setEnabled(bool(self.url()))
