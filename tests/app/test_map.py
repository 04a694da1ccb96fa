"""Each document's map in the window: its gists are written in the background when the
app is idle (a row with progress and Cancel), the Map dock shows the outline with a gist
per part, and clicking a part, or a whole-book answer's citation to a gist, opens the
source there.

The book is three short Markdown chapters of Alice, so a digest takes seconds with the
real model. To keep a pass from finishing before a test looks, the test holds the
library's 'digest' lock, as another Memex process writing gists would; the pass waits.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl

from app.map_panel import NO_MAP_OFF, WRITING
from tests.app.conftest import drop, open_window
from tests.engine.conftest import alice_paragraphs

CHAPTERS = ("The Rabbit-Hole", "The Pool of Tears", "The Caucus-Race")


def _book(folder, name: str = "wonder.md") -> str:
    paras = alice_paragraphs()
    parts = [f"# {title}\n\n" + "\n\n".join(paras[20 * i:20 * i + 3])
             for i, title in enumerate(CHAPTERS)]
    path = folder / name
    path.write_text("\n\n".join(parts) + "\n")
    return str(path)


def _understood(qtbot, window, path: str) -> None:
    store, session = window.session.library.store, window.session
    qtbot.waitUntil(lambda: (doc := store.document(path)) is not None
                    and doc.phase == "understood" and session.understanding is None
                    and window.library_pane.tree.topLevelItemCount() >= 1, timeout=120_000)


def _select(window, path: str) -> None:
    tree = window.library_pane.tree
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item.data(0, Qt.UserRole).path == path:
            tree.setCurrentItem(item)
            return
    raise AssertionError(f"{path} is not listed")


def _items(item):
    yield item
    for i in range(item.childCount()):
        yield from _items(item.child(i))


def _opens_lines(qtbot, window, line_start: int, line_end: int, words: str) -> None:
    view = window.viewer.view_for("text")
    qtbot.waitUntil(lambda: view.lines == (line_start, line_end), timeout=20_000)
    assert window.viewer.stack.currentWidget() is view
    assert "wonder.md" in window.viewer.title.text()
    first = view.document().findBlockByNumber(line_start - 1).text()
    assert words in " ".join(first.split()), first
    top, bottom = view.visible_lines()
    assert top <= line_start <= bottom


def test_map_is_written_when_idle_and_opens_the_source(qtbot, settings, encoder, tmp_path):
    settings.digest_when_idle = True
    window = open_window(qtbot, settings, encoder)
    session, pane, panel = window.session, window.library_pane, window.map
    path = _book(tmp_path)
    rows, digested = [], []
    session.digester.started.connect(lambda n: rows.append(pane.digesting.name.text()))
    session.digester.document_digested.connect(lambda d: digested.append(d.path))
    drop(window, [path])                       # read, understood, then digested: nobody asks
    qtbot.waitUntil(lambda: digested == [path], timeout=180_000)
    assert rows == ["Writing gists for 1 document…"]
    qtbot.waitUntil(lambda: pane.digesting is None and not session.digester.running,
                    timeout=30_000)
    assert session.library.to_digest() == []

    _select(window, path)
    qtbot.keyClick(window, Qt.Key_O, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.map_dock.isVisible()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.split, timeout=20_000)
    tree = panel.tree
    assert tree.topLevelItemCount() == 1
    top = tree.topLevelItem(0)
    doc = top.data(0, Qt.UserRole)
    assert doc.level == "document" and top.text(0) == "wonder.md"
    assert [top.child(i).text(0) for i in range(top.childCount())] == list(CHAPTERS)
    for item in _items(top):
        entry = item.data(0, Qt.UserRole)
        assert item.text(0).strip() and entry.text.strip() and entry.where.startswith("wonder.md")
    assert top.text(1).startswith("lines ")    # where: the lines the whole book spans
    pool = top.child(1)
    tree.setCurrentItem(pool)                  # selecting a part shows its whole gist
    assert pool.data(0, Qt.UserRole).text in panel.detail.toPlainText()

    # clicking a chapter opens the source at its first lines, as a citation does
    loc = pool.data(0, Qt.UserRole).hit.location
    tree.scrollToItem(pool)
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(pool).center())
    _opens_lines(qtbot, window, loc.line_start, loc.line_end, alice_paragraphs()[20][:40])
    # ...and so does Enter on another part
    race = top.child(2)
    tree.setCurrentItem(race)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key_Return)
    loc = race.data(0, Qt.UserRole).hit.location
    _opens_lines(qtbot, window, loc.line_start, loc.line_end, alice_paragraphs()[40][:40])

    # a whole-book question is answered from the gists; its citation opens the source too
    window.ask("What is this book about?")
    qtbot.waitUntil(lambda: not window.chat.busy, timeout=180_000)
    turn = window.chat.turns[-1]
    cite = next((c for c in turn.citations if c.get("gist")), None)
    assert cite is not None, turn.answer
    assert "(summary of the" in cite["label"]
    window.viewer.view_for("text").lines = None
    window.chat.transcript.anchorClicked.emit(
        QUrl(f"cite:{len(window.chat.turns) - 1}-{cite['n']}"))
    _opens_lines(qtbot, window, cite["line_start"], cite["line_end"], "")
    window.close()


def test_write_it_now_then_cancel_keeps_the_document_to_digest(qtbot, window, tmp_path):
    session, pane, panel = window.session, window.library_pane, window.map
    lib = session.library
    path = _book(tmp_path)
    drop(window, [path])
    _understood(qtbot, window, path)
    assert not session.digester.running        # the setting is off: nothing by itself
    session.digester.idle()
    assert not session.digester.running

    _select(window, path)
    pane.map_button.click()
    qtbot.waitUntil(lambda: panel.message.text() == NO_MAP_OFF and panel.write_button.isVisible(),
                    timeout=20_000)
    finished = []
    session.digester.finished.connect(finished.append)
    with lib.store.exclusive("digest"):        # the pass waits for it
        with qtbot.waitSignal(session.digester.progress, timeout=60_000) as waiting:
            panel.write_button.click()
        assert waiting.args[1] == 0            # total 0: waiting for the lock
        assert panel.message.text() == WRITING and not panel.write_button.isVisible()
        assert pane.digesting is not None
        assert pane.digesting.name.text() == "Writing gists for 1 document…"
        assert pane.digesting.bar.maximum() == 0            # a busy bar while it waits
        pane.digesting.cancel.click()                       # heard while it waits
        qtbot.waitUntil(lambda: bool(finished) and not session.digester.running,
                        timeout=30_000)
    assert finished == [None]                  # stopped: no summary
    qtbot.waitUntil(lambda: pane.digesting is None, timeout=10_000)
    assert [d.path for d in lib.to_digest()] == [path]
    log = [pane.log.item(i).text() for i in range(pane.log.count())]
    assert any(line.startswith("Stopped writing gists") for line in log), log
    qtbot.waitUntil(lambda: panel.message.text() == NO_MAP_OFF and panel.write_button.isVisible(),
                    timeout=20_000)
    session.digester.retry()                   # an answer or a sync does not undo the stop
    assert not session.digester.running

    # written now, the map appears in place
    panel.write_button.click()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.split, timeout=180_000)
    top = panel.tree.topLevelItem(0)
    assert top.childCount() == len(CHAPTERS) and top.data(0, Qt.UserRole).text
    assert lib.to_digest() == []


def test_understanding_comes_first_and_the_digest_resumes(qtbot, settings, encoder, tmp_path):
    window = open_window(qtbot, settings, encoder)
    session, pane = window.session, window.library_pane
    lib = session.library
    first, second = _book(tmp_path), _book(tmp_path, "again.md")
    drop(window, [first])
    _understood(qtbot, window, first)
    started, digested = [], []
    session.digester.started.connect(started.append)
    session.digester.document_digested.connect(lambda d: digested.append(d.path))
    log = pane.log
    with lib.store.exclusive("digest"):
        with qtbot.waitSignal(session.digester.progress, timeout=60_000):
            session.digest([first])            # waits for the lock
        with qtbot.waitSignal(session.understand_started, timeout=60_000):
            drop(window, [second])             # understanding it stops the digest...
        assert pane.digesting is None or session.digester.token.cancelled
        qtbot.waitUntil(lambda: session.understanding is None
                        and lib.store.document(second).phase == "understood", timeout=120_000)
        qtbot.waitUntil(lambda: len(started) == 2, timeout=60_000)   # ...which resumes after
        assert session.digester.running and pane.digesting is not None
    qtbot.waitUntil(lambda: digested == [first] and not session.digester.running, timeout=180_000)
    assert not any(log.item(i).text().startswith("Stopped writing gists")
                   for i in range(log.count()))
    assert [d.path for d in lib.to_digest()] == [second]    # the setting is off: only what was asked
    window.close()
