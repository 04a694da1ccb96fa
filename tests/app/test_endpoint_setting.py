"""The model-server setting: checked off the UI thread by Test, saved, applied to the library."""
from __future__ import annotations

import socket

from PySide6.QtWidgets import QDialogButtonBox

from app.endpoint_field import EMPTY_NOTE
from tests.app.conftest import open_window


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_model_server_is_tested_saved_and_applied(qtbot, settings, encoder):
    window = open_window(qtbot, settings, encoder)
    dialog = window.settings_dialog()
    field = dialog.endpoint
    assert field.note.text() == EMPTY_NOTE and not field.test.isEnabled()

    field.edit.setText("ftp://127.0.0.1:1")
    dialog.buttons.button(QDialogButtonBox.Ok).click()
    assert dialog.isVisible() and "not a model server address" in field.note.text()

    url = f"http://127.0.0.1:{_closed_port()}"
    field.edit.setText(url)
    field.test.click()                   # returns at once: the check runs as a Job
    assert field.note.text() == f"Testing {url}…" and not field.test.isEnabled()
    qtbot.waitUntil(lambda: "connection refused" in field.note.text(), timeout=15_000)
    assert url in field.note.text() and field.test.isEnabled()

    dialog.buttons.button(QDialogButtonBox.Ok).click()
    assert settings.endpoint == url and settings.model_kwargs()["endpoint"] == url
    assert window.session.library._endpoint == url            # applied to the open library
    again = window.settings_dialog()
    assert again.endpoint.url() == url
    again.endpoint.edit.setText("")                           # empty: the in-process model
    again.buttons.button(QDialogButtonBox.Ok).click()
    assert settings.endpoint == "" and window.session.library._endpoint is None
    window.close()
