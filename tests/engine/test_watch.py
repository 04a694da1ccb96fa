"""The folder watcher (engine, no Qt): content hashes decide what is re-read."""
from __future__ import annotations

import os

from engine.reading.watch import FolderWatcher


def test_watcher_reads_added_changed_and_forgets_deleted(library, tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text("The Queen of Hearts made some tarts.\n")
    b.write_text("The Knave of Hearts stole those tarts.\n")
    library.state.watch(str(folder.resolve()))
    w = FolderWatcher(library)
    first = w.sync()
    assert sorted(first.added) == [str(a.resolve()), str(b.resolve())] and not first.changed
    assert sorted(d.path for d in library.readable()) == sorted(first.added)   # phase 1 only
    assert not w.scan()                                   # nothing moved: nothing to do
    os.utime(a, ns=(1, 1))                                # mtime moved, content did not
    assert not w.scan()
    a.write_text("The King of Hearts called for the tarts.\n")
    b.unlink()
    (folder / "skip.bin").write_bytes(b"\x00\x01")        # unsupported: ignored in folders
    changes = w.sync()
    assert changes.changed == [str(a.resolve())] and changes.deleted == [str(b.resolve())]
    assert [d.path for d in library.documents()] == [str(a.resolve())]
    assert library.search("King called for the tarts", k=1)[0].location.path == str(a.resolve())
    assert library.understand().documents == [str(a.resolve())] and library.readable() == []


def test_watcher_does_not_retry_a_bad_file_until_it_changes(library, tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    bad = folder / "empty.txt"
    bad.write_text("   \n")
    library.state.watch(str(folder))
    w = FolderWatcher(library)
    assert [r.status for r in w.sync().results] == ["failed"]
    assert not w.scan()                                   # the same bad bytes: not again
    bad.write_text("Now the file has words in it.\n")
    assert w.scan().added == [str(bad.resolve())]


def test_app_state_survives_reopening(library, tmp_path):
    from engine.store.app_state import ChatTurn
    from engine.library import Library
    library.state.watch("/some/folder")
    library.state.queue(["/a.pdf", "/b.pdf"])
    library.state.done(["/a.pdf"])
    library.state.add_turn(ChatTurn("Who?", "Alice [1].", [{"n": 1, "path": "/a.pdf", "page": 3}]))
    path = library.path
    library.close()
    with Library(path) as again:
        assert again.state.watched() == ["/some/folder"]
        assert again.state.pending() == ["/b.pdf"]
        turn = again.state.chat()[-1]
        assert (turn.question, turn.citations[0]["page"]) == ("Who?", 3)
