"""A watched folder: a file changed there is re-read without any click; an ingest cut
short by quitting resumes at the next start."""
from __future__ import annotations

import time
from pathlib import Path

from tests.app.conftest import HeldRead, drop, open_window, writes_paused
from tests.engine.conftest import book_pages
from tests.makers import make_pdf


def _log(window) -> list[str]:
    log = window.library_pane.log
    return [log.item(i).text() for i in range(log.count())]


def test_changed_file_in_watched_folder_is_reread(qtbot, window, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("The March Hare poured tea into the butter dish.\n")
    (folder / "b.md").write_text("# Croquet\n\nThe flamingos were the mallets.\n")
    assert window.settings.watch_dropped_folders
    with qtbot.waitSignal(window.session.ingest_finished, timeout=60_000):
        drop(window, [folder])
    lib = window.session.library
    qtbot.waitUntil(lambda: lib.state.watched() == [str(folder.resolve())], timeout=10_000)
    a = str((folder / "a.txt").resolve())
    first = lib.store.document(a).hash
    # changed, added and deleted files, with no click at all
    time.sleep(0.05)
    (folder / "a.txt").write_text("The Mad Hatter sang Twinkle, twinkle, little bat at the tea party.\n")
    (folder / "c.txt").write_text("The Duchess sneezed over the pepper soup.\n")
    (folder / "b.md").unlink()
    qtbot.waitUntil(lambda: lib.store.document(a).hash != first
                    and lib.store.document(str((folder / "c.txt").resolve())) is not None
                    and lib.store.document(str((folder / "b.md").resolve())) is None,
                    timeout=60_000)
    hits = lib.search("Twinkle little bat", k=1)
    assert hits and hits[0].location.path == a
    qtbot.waitUntil(lambda: any("a.txt changed" in line for line in _log(window)), timeout=10_000)
    assert any("b.md deleted" in line for line in _log(window))
    qtbot.waitUntil(lambda: window.library_pane.tree.topLevelItemCount() == 2, timeout=10_000)
    # an unchanged file (only touched) is not read again
    stored = lib.store.document(a).updated_at
    Path(a).touch()
    time.sleep(1.5)
    qtbot.wait(1200)
    assert lib.store.document(a).updated_at == stored


def test_ingest_interrupted_by_quit_resumes_at_next_start(qtbot, settings, encoder, tmp_path):
    big = make_pdf(tmp_path / "big.pdf", book_pages(12, []))
    window = open_window(qtbot, settings, encoder)
    with writes_paused():
        drop(window, [big])
        held = HeldRead(window.session, str(big))
    qtbot.waitUntil(held.reached.is_set, timeout=60_000)       # mid-read
    window.close()                                   # quit mid-read: cancels, keeps it queued
    lib_path = Path(settings.library)
    again = open_window(qtbot, settings, encoder)
    store = again.session.library.store
    assert store.document(str(big)) is None                    # nothing half-stored
    qtbot.waitUntil(lambda: (store.document(str(big)) is not None
                             and store.document(str(big)).phase == "understood"), timeout=120_000)
    assert store.document(str(big)).status == "ready"
    qtbot.waitUntil(lambda: again.session.library.state.pending() == [], timeout=10_000)
    assert any("Resuming" in line for line in _log(again))
    assert again.session.library.path == lib_path
    again.close()
