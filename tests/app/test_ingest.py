"""Dropping material: progress reaches 100 %, failures are listed, cancel changes nothing."""
from __future__ import annotations

import sqlite3

from tests.app.conftest import HeldRead, drop, writes_paused
from tests.engine.conftest import book_pages
from tests.makers import make_pdf


def _snapshot(folder):
    conn = sqlite3.connect(folder / "library.sqlite")
    try:
        return (conn.execute("SELECT path, hash, chunks, status FROM documents ORDER BY path").fetchall(),
                conn.execute("SELECT count(*) FROM chunks").fetchone()[0],
                conn.execute("SELECT count(*) FROM keys").fetchone()[0])
    finally:
        conn.close()


def test_drop_reads_file_with_progress_to_100(qtbot, window, tmp_path):
    pdf = make_pdf(tmp_path / "small.pdf", book_pages(3, []))
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    seen = []
    window.session.ingest_progress.connect(lambda e, d, t, label: seen.append((d, t)))
    bars = []
    window.session.ingest_progress.connect(
        lambda e, d, t, label: bars.append(window.library_pane.rows[e].bar.value()))
    with qtbot.waitSignals([window.session.ingest_finished] * 2, timeout=120_000):
        drop(window, [pdf, bad])
    assert seen and seen[-1][0] == seen[-1][1], seen[-3:]      # done == total at the end
    assert bars[-1] == 100
    qtbot.waitUntil(lambda: window.library_pane.tree.topLevelItemCount() == 1, timeout=10_000)
    item = window.library_pane.tree.topLevelItem(0)
    assert "3 pages" in item.text(3)
    log = [window.library_pane.log.item(i).text() for i in range(window.library_pane.log.count())]
    assert any(str(bad) in line and "not supported" in line for line in log), log
    assert not window.library_pane.rows                          # the bars are gone
    # remove the document again
    item.setSelected(True)
    window.library_pane.remove_button.click()
    qtbot.waitUntil(lambda: window.library_pane.tree.topLevelItemCount() == 0, timeout=10_000)
    assert window.session.library.documents() == []


def test_controls_have_accessible_names(window):
    from PySide6.QtWidgets import (QAbstractItemView, QAbstractSpinBox, QHeaderView, QLineEdit,
                                   QPlainTextEdit, QPushButton, QTextBrowser, QWidget)
    window.viewer.view_for("pdf")
    window.viewer.view_for("text")
    dialog = window.settings_dialog()
    kinds = (QLineEdit, QPlainTextEdit, QTextBrowser, QAbstractSpinBox, QAbstractItemView, QPushButton)
    widgets = [w for w in window.findChildren(QWidget) + dialog.findChildren(QWidget)
               if isinstance(w, kinds) and not isinstance(w, QHeaderView)]
    assert len(widgets) >= 20
    unnamed = [type(w).__name__ for w in widgets   # a button's text is its accessible name
               if not w.accessibleName() and not (isinstance(w, QPushButton) and w.text()) and not isinstance(w.parent(), QAbstractSpinBox)
               and w.objectName() != "qt_spinbox_lineedit"]
    assert unnamed == []
    dialog.reject()


def test_second_drop_queues_and_cancel_leaves_library_unchanged(qtbot, window, tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("The Dormouse fell asleep in the teapot.\n")
    with qtbot.waitSignal(window.session.ingest_finished, timeout=60_000):
        drop(window, [small])
    store = window.session.library.store
    qtbot.waitUntil(lambda: store.document(str(small)).phase == "understood"
                    and window.session.understanding is None, timeout=60_000)
    lib = window.session.library.path
    before = _snapshot(lib)
    big = make_pdf(tmp_path / "big.pdf", book_pages(20, []))
    other = tmp_path / "other.txt"
    other.write_text("The Hatter's watch was two days wrong.\n")
    finished = []
    window.session.ingest_finished.connect(lambda e, s: finished.append((e, s)))
    pane = window.library_pane
    with writes_paused():
        drop(window, [big])
        drop(window, [other])                                  # queued behind the big one
        assert set(pane.rows) == {str(big), str(other)}
        assert pane.rows[str(other)].bar.format() == "queued"
        held = HeldRead(window.session, str(big))
    qtbot.waitUntil(held.reached.is_set, timeout=60_000)       # the big one is mid-read
    pane.rows[str(big)].cancel.click()
    pane.rows[str(other)].cancel.click()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=60_000)
    assert sorted(finished) == sorted([(str(big), None), (str(other), None)])
    assert _snapshot(lib) == before                            # nothing stored, nothing lost
    qtbot.waitUntil(lambda: not pane.rows, timeout=10_000)
    qtbot.waitUntil(lambda: window.session.library.state.pending() == [], timeout=10_000)
