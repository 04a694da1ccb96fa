"""The real window on real libraries: offscreen Qt, the real encoder and model, real files.

Settings go to an INI file per test, so no test touches a person's real settings.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

os.environ["QT_QPA_PLATFORM"] = "offscreen"   # never a real screen, never a modal box

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "alice.pdf"


@pytest.fixture(scope="session")
def encoder():
    from engine.model.encoder import shared_encoder
    return shared_encoder()


def make_settings(path: Path, library: Path):
    from PySide6.QtCore import QSettings

    from app.settings import Settings
    s = Settings(QSettings(str(path), QSettings.IniFormat))
    s.qs.setValue("library/path", str(library))
    s.digest_when_idle = False      # no model writing maps behind a test's back (test_map turns it on)
    return s


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path / "memex.ini", tmp_path / "lib")


def open_window(qtbot, settings, encoder, *, library_path=None, interval_ms=300):
    from engine.library import Library

    from app.main_window import MainWindow
    lib = Library(library_path or settings.library, encoder=encoder, **settings.model_kwargs())
    window = MainWindow(settings, library=lib, watch_interval_ms=interval_ms)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    from PySide6.QtTest import QTest
    QTest.qWaitForWindowActive(window)           # shortcuts need the active window
    return window


@pytest.fixture
def window(qtbot, settings, encoder):
    w = open_window(qtbot, settings, encoder)
    yield w
    w.close()


@pytest.fixture(scope="session")
def alice_library(tmp_path_factory, encoder) -> Path:
    """A library holding the bundled sample book, read once per session."""
    from engine.library import Library
    folder = tmp_path_factory.mktemp("alice-lib")
    with Library(folder, encoder=encoder) as lib:
        summary = lib.ingest([SAMPLE])
        assert summary.stored, summary.failed
    return folder


def drop(window, paths) -> None:
    """A real drop event carrying file URLs, delivered to the window."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)


@contextmanager
def writes_paused():
    """The write pool's one thread waits until the block ends, so entries dropped inside it
    are still queued when it ends: a test can hook them before they start instead of racing
    a phase 1 that takes a fraction of a second."""
    from app.jobs import POOLS, Job
    go = threading.Event()
    Job(lambda cancel, report: go.wait(60)).run(POOLS.write)
    try:
        yield
    finally:
        go.set()


class HeldRead:
    """Holds an entry's reading in its worker thread at its first progress report (the
    first page of a PDF), until its token is cancelled or `release()`: a cancel or a quit
    then lands mid-read every time. Hook it while the entry is queued (`writes_paused`)."""

    def __init__(self, session, entry: str):
        from PySide6.QtCore import Qt

        from app.jobs import Job
        token = session.tokens[entry]
        self.job = next(j for j in Job.live if j.token is token)
        self.reached, self._go = threading.Event(), threading.Event()
        self.job.progress.connect(self._hold, Qt.ConnectionType.DirectConnection)

    def _hold(self, done: int, total: int, label: str) -> None:     # worker thread
        if self.reached.is_set():
            return
        self.reached.set()
        while not self._go.wait(0.02) and not self.job.token.cancelled:
            pass

    def release(self) -> None:
        self._go.set()
