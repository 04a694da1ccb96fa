"""Showing engine errors: the reason sentence the engine wrote, never a traceback.

`Cancelled` is never shown. Under the offscreen platform (tests) no modal box opens; the
message is logged and kept in `shown`, so a test can assert on it.
"""
from __future__ import annotations

import logging

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from engine.errors import Cancelled, IngestError, MemexError

__all__ = ["describe_error", "show_error", "shown"]

log = logging.getLogger("memex.app")
shown: list[str] = []  # every message shown, newest last


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, IngestError):
        return str(exc)          # names the file, then the reason
    if isinstance(exc, MemexError):
        return exc.reason
    return f"Something went wrong: {type(exc).__name__}: {exc}"


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    if isinstance(exc, Cancelled):
        return
    text = describe_error(exc)
    shown.append(text)
    log.error("%s", text, exc_info=not isinstance(exc, MemexError))
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.warning(parent, "Memex", text)
